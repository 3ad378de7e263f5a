/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/server.h: process-level state and the loop hooks: startup order,
 * serverCron, before-sleep, shutdown.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_SERVER_H
#define KEEL_SERVER_SERVER_H

#include <stddef.h>

#include "ds/sds.h"

/* The fds keel reserves beyond maxclients: listeners, log, epoll, modules. */
#define SERVER_RESERVED_FDS 32

/* Settings owned by this room. */
extern long long cfg_hz;           /* hz */
extern int cfg_dynamic_hz;         /* dynamic-hz */
extern int cfg_daemonize;          /* daemonize */
extern char *cfg_pidfile;          /* pidfile, NULL if unset */
extern int cfg_enable_debug;       /* enable-debug-command: 0 no, 1 yes, 2 local */
extern long long cfg_io_threads;   /* io-threads */

/* Process facts for INFO server. */
typedef struct ServerInfo {
    long long start_wall_ms;  /* when the server started */
    unsigned long long start_monotonic_us;
    char executable[4096];    /* absolute path of the binary */
    char run_id[41];          /* random hex id, new per start */
    int effective_hz;         /* hz after dynamic-hz scaling */
    unsigned long long cron_loops;
} ServerInfo;
extern ServerInfo server_info;

/* Registers this room's options. */
void server_register_config(void);
/* Runs the whole start sequence after config loading; exits on failure. */
void server_start(void);
/* Performs a shutdown now: flags are SHUTDOWN_*. Returns -1 if it was
 * refused (the reason is logged), else does not return. */
#define SHUTDOWN_NOSAVE 1
#define SHUTDOWN_SAVE 2
#define SHUTDOWN_NOW 4
#define SHUTDOWN_FORCE 8
int server_shutdown(int flags);
/* From inside a command that runs long (a busy script): serves ready
 * clients once (reads, completions, pending writes), without timers,
 * expiry or frees. Their commands see script_is_busy() (script/script.h). */
void server_process_events_while_busy(void);

#endif
