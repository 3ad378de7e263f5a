/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/persist.h: what the rest of the server calls of the persistence
 * room: its options, loading the RDB file at start-up, the save points and
 * the BGSAVE child (driven from the cron), saving on SHUTDOWN, DEBUG
 * RELOAD, the INFO persistence section, the change counter, and the
 * command procs (SAVE, BGSAVE, LASTSAVE, DUMP, RESTORE).
 *
 * Threads: main only (the BGSAVE child runs the writer in its own process).
 */
#ifndef KEEL_PERSIST_PERSIST_H
#define KEEL_PERSIST_PERSIST_H

#include <stdbool.h>

#include "ds/sds.h"
#include "net/client.h"

/* Options (persist/persist_config.c). */
extern int cfg_rdb_compression;        /* rdbcompression yes|no */
extern int cfg_rdb_checksum;           /* rdbchecksum yes|no */
extern char *cfg_dbfilename;           /* dbfilename (never NULL once registered) */
extern int cfg_sanitize_dump_payload;  /* sanitize-dump-payload: 0 no, 1 yes, 2 clients */
extern int cfg_stop_writes_on_bgsave_error;

/* One save point: save when `changes` writes happened in `seconds`. */
typedef struct PersistSavePoint {
    long long seconds;
    long long changes;
} PersistSavePoint;
/* The `save` option's points (persist_config.c). */
int persist_save_point_count(void);
const PersistSavePoint *persist_save_point_at(int i);

/* Registers dbfilename, save, rdbcompression, rdbchecksum,
 * sanitize-dump-payload, stop-writes-on-bgsave-error. */
void persist_register_config(void);
/* From now on `save` values replace the points instead of adding to them
 * (called once the config file and command line are applied). */
void persist_config_startup_done(void);

/* Loads dbfilename (in dir) into the empty databases, if the file exists.
 * A damaged file is fatal: logs the file, offset and reason, exits 1. */
void persist_load_at_startup(void);
/* Reaps a finished BGSAVE child and starts one when a save point is due. */
void persist_cron(void);
/* Saving on SHUTDOWN: with SHUTDOWN_SAVE, or when save points exist and
 * not SHUTDOWN_NOSAVE. Stops a running BGSAVE child first. Returns 0, or
 * -1 when the save failed (logged). */
int persist_shutdown_save(int flags);
/* DEBUG RELOAD flags. */
#define PERSIST_RELOAD_NOSAVE 1  /* load the file as it is */
#define PERSIST_RELOAD_NOFLUSH 2 /* keep the keys; a key in both is an error... */
#define PERSIST_RELOAD_MERGE 4   /* ...unless the file's copy replaces it */
/* DEBUG RELOAD: save, empty every database, load the file again. Returns
 * false with the reason in err. */
bool persist_debug_reload(int flags, char *err, size_t errlen);

/* Counts one change for rdb_changes_since_last_save (db/notify.c). */
void persist_count_change(void);
/* Counts n changes (FLUSHDB / FLUSHALL: the keys they removed). */
void persist_count_changes(unsigned long long n);
/* After FLUSHALL: with save points, stops a BGSAVE child and saves the
 * empty dataset at once, which resets the change counter (Valkey). */
void persist_after_flushall(void);
/* The MISCONF error when stop-writes-on-bgsave-error refuses writes (the
 * last background save failed and save points exist), else NULL. For the
 * command dispatcher. */
const char *persist_write_refusal(void);
/* Whether a BGSAVE child runs (an AOF rewrite waits for it). */
bool persist_child_running(void);
/* Whether the server is loading the RDB (INFO's loading field). */
bool persist_loading(void);

/* INFO persistence's body (persist_info.c). */
sds persist_info_section(sds out);

/* Commands. */
void cmd_save(Client *c);
void cmd_bgsave(Client *c);
void cmd_lastsave(Client *c);
void cmd_dump(Client *c);
void cmd_restore(Client *c);

#endif
