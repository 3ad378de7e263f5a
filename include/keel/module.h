/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keel/module.h: the module ABI. A keel module is a shared object exporting
 *
 *     const uint32_t keel_module_abi = KEEL_ABI_VERSION;
 *     int keel_module_onload(const KeelCore *core, int argc, char **argv);
 *
 * The loader checks keel_module_abi before calling anything, then calls
 * keel_module_onload once on the main thread with the loadmodule arguments.
 * The module names itself (core->module_set_info), registers its options and
 * connection types or IO engine through the KeelCore table, and returns
 * KEEL_OK, or KEEL_ERR after core->module_set_error explained why. Modules
 * include only headers from include/keel/ and never touch core globals.
 *
 * Bump KEEL_ABI_VERSION on any incompatible change to these headers.
 */
#ifndef KEEL_MODULE_H
#define KEEL_MODULE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "keel/config.h"
#include "keel/conn.h"
#include "keel/ioengine.h"

#define KEEL_ABI_VERSION 1

#define KEEL_OK 0
#define KEEL_ERR (-1)

/* Event-loop masks for KeelCore.ev_add. */
#define KEEL_EV_READABLE 1
#define KEEL_EV_WRITABLE 2

/* Log levels, as Valkey's loglevel option. */
#define KEEL_LOG_DEBUG 0
#define KEEL_LOG_VERBOSE 1
#define KEEL_LOG_NOTICE 2
#define KEEL_LOG_WARNING 3

/* A readable/writable fd. mask says which fired. Thread: main. */
typedef void (*KeelFileProc)(int fd, void *data, int mask);
/* A timer fired. Returns the delay in ms until the next run, or -1 to stop. */
typedef long long (*KeelTimerProc)(long long id, void *data);

/* The core's functions, as one read-only table. New members are appended
 * only; size tells a module which ones exist. Thread: main unless stated. */
struct KeelCore {
    size_t size;             /* sizeof(KeelCore) of the running server */
    uint32_t abi_version;    /* KEEL_ABI_VERSION of the running server */
    const char *server_version; /* "8.0.0"-style version keel reports */

    /* Names the module being loaded (MODULE LIST); call from onload. */
    void (*module_set_info)(const char *name, int version);
    /* Records why onload failed; the loader prints it. printf-style. */
    void (*module_set_error)(const char *fmt, ...);

    /* Writes one log line at level (KEEL_LOG_*). Thread: any. */
    void (*log)(int level, const char *fmt, ...);
    /* 1 on the main thread. Thread: any. */
    int (*is_main_thread)(void);
    /* Monotonic microseconds. Thread: any. */
    uint64_t (*monotonic_us)(void);

    /* Event loop: watch fd for mask, calling proc(fd, data, fired). One
     * (proc, data) per fd; returns 0 or -1 (fd out of range, epoll error). */
    int (*ev_add)(int fd, int mask, KeelFileProc proc, void *data);
    /* Stops watching mask on fd. */
    void (*ev_remove)(int fd, int mask);
    /* Runs proc after ms milliseconds; returns a timer id (> 0) or -1. */
    long long (*timer_add)(long long ms, KeelTimerProc proc, void *data);
    /* Cancels a timer; returns 0, or -1 if no such timer. */
    int (*timer_remove)(long long id);

    /* Registers a connection type provided by the module being loaded.
     * Refuses duplicates and missing required members with a reason. */
    int (*conn_type_register)(const KeelConnType *type, char *err, size_t errlen);
    /* Hands an accepted connection to the core, which creates a client for it
     * or closes it (maxclients, protected mode). flags: KEEL_ACCEPT_F_*. */
    void (*accept_client)(KeelConn *conn, int flags, const char *peer_ip);
    /* max-new-connections-per-cycle: how many accepts one wakeup may do. */
    int (*accept_budget)(void);

    /* Registers an option that CONFIG GET/SET/REWRITE treat like a core one.
     * The core parses config-file lines and writes the value into storage. */
    int (*config_register)(const KeelConfigOption *opt, char *err, size_t errlen);

    /* Allocation counted in used_memory. Thread: any. */
    void *(*mem_alloc)(size_t size);
    void *(*mem_calloc)(size_t size);
    void *(*mem_realloc)(void *ptr, size_t size);
    void (*mem_free)(void *ptr);

    /* ---- IO engine (keel/ioengine.h); present when size covers them ---- */

    /* Registers the IO engine of the module being loaded; at most one per
     * process. Refuses a wrong size or KEEL_IO_ENGINE_ABI, a NULL required
     * member and a second engine, with a reason in err. */
    int (*io_engine_register)(const KeelIoEngine *engine, char *err, size_t errlen);
    /* Runs job on the calling IO thread: queue is KEEL_IO_QUEUE_*, tid the
     * thread's id (1..). Returns the completion word to post to the main
     * thread, or 0 for none. Thread: IO thread (the engine's). */
    KeelJob (*io_run_job)(KeelJob job, int queue, int tid);
    /* Tells the core that the calling thread is IO thread tid. Thread: that
     * IO thread, once, before its first io_run_job. */
    void (*io_thread_init)(int tid);
    /* 1 once the process is writing a crash report: IO threads stop posting
     * completions. Thread: any. */
    int (*is_crashing)(void);
    /* Reopens the core's listener of connection type conn_type ("tls")
     * from the current options (its port may have changed, from or to 0):
     * the new sockets first, then the old ones closed. Returns 0, or -1
     * with a reason in err and the old listener kept. Main thread, e.g.
     * from a port option's apply hook. */
    int (*listener_reopen)(const char *conn_type, char *err, size_t errlen);
    /* Offers the next handshake step of an accepted connection whose
     * KEEL_CONN_F_OFFLOAD_OK is set to an IO thread. 1: an ACCEPT job took
     * it; the connection is postponed (postpone_update_state) until the job
     * is done, the IO thread calls the type's accept() once, and the core
     * then calls update_state, where the transport finishes the step (event
     * interest, conn_cb). 0: run the step here. Thread: main. */
    int (*io_offload_handshake)(KeelConn *conn);
    /* A transport's event proc ignored an event of a connection an IO job
     * owns (a level-triggered fd fires every turn until the job reads it).
     * When every event of a turn was such a refire, the loop waits for an
     * IO completion instead of polling straight again. Thread: main. */
    void (*ev_event_ignored)(void);
};

typedef int (*KeelModuleOnload)(const KeelCore *core, int argc, char **argv);

/* 1 if the running core's table reaches member (appended after the
 * module's minimum): a module built against a newer header may still be
 * loaded by an older core, where such members are missing. */
#define KEEL_CORE_HAS(core, member) \
    ((core)->size >= offsetof(KeelCore, member) + sizeof((core)->member))

/* The first checks of a keel_module_onload that takes no arguments: the
 * core speaks this module's ABI, its table reaches min_size (offsetof the
 * last member the module calls, plus that member's size: KeelCore only grows
 * at its end), and argc is 0. file names the module in the errors. Returns
 * KEEL_OK, or KEEL_ERR with the reason set through module_set_error (which
 * sits near the head of the table, so it is there even on a mismatch). */
static inline int keel_module_check_core(const KeelCore *core, const char *file,
                                         size_t min_size, int argc, char **argv) {
    if (core->abi_version != KEEL_ABI_VERSION) {
        core->module_set_error("built for keel module ABI %d, this server provides ABI %u; "
                               "rebuild the module",
                               KEEL_ABI_VERSION, (unsigned)core->abi_version);
        return KEEL_ERR;
    }
    if (core->size < min_size) {
        core->module_set_error("%s needs a KeelCore of at least %zu bytes, the server provides "
                               "%zu",
                               file, min_size, core->size);
        return KEEL_ERR;
    }
    if (argc > 0) {
        core->module_set_error("%s takes no arguments, got \"%s\"", file, argv[0]);
        return KEEL_ERR;
    }
    return KEEL_OK;
}

#endif
