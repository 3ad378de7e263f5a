/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_internal.h: what the AOF's files share among themselves: the
 * options, the state (which files are current, the write buffer, the
 * rewrite child), the manifest model, the RESP command reader and the
 * background fsync thread.
 *
 * Threads: main only, except the fsync thread's queue (aof_fsync.c), whose
 * shared fields are atomics or behind its mutex.
 */
#ifndef KEEL_PERSIST_AOF_INTERNAL_H
#define KEEL_PERSIST_AOF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ds/sds.h"

/* ---- options (aof_config.c) ---- */
#define AOF_FSYNC_EVERYSEC 0 /* indexes of appendfsync's names, Valkey's order */
#define AOF_FSYNC_ALWAYS 1
#define AOF_FSYNC_NO 2
extern int cfg_appendonly;
extern char *cfg_appenddirname;
extern char *cfg_appendfilename;
extern int cfg_appendfsync;
extern int cfg_aof_use_rdb_preamble;
extern long long cfg_auto_aof_rewrite_percentage;
extern long long cfg_auto_aof_rewrite_min_size;
extern int cfg_aof_load_truncated;
extern int cfg_aof_timestamp_enabled;
extern int cfg_no_appendfsync_on_rewrite;
extern int cfg_aof_rewrite_incremental_fsync;

/* appendonly takes effect from now on (start-up loading is done). */
void aof_config_startup_done(void);
/* Whether appendfilename and appenddirname are plain names (else false
 * with Valkey's error in err). */
bool aof_config_check_names(char *err, size_t errlen);

/* ---- the manifest (aof_manifest.c) ---- */
#define AOF_FILE_BASE 'b'
#define AOF_FILE_HISTORY 'h'
#define AOF_FILE_INCR 'i'

typedef struct AofFileInfo {
    sds name;
    long long seq;
    char type; /* AOF_FILE_* */
} AofFileInfo;

typedef struct AofManifest {
    AofFileInfo *base; /* NULL before the first rewrite */
    AofFileInfo *incr; /* in sequence order; the last one is written */
    int incr_count;
    AofFileInfo *history; /* waiting to be deleted */
    int history_count;
    long long base_seq; /* highest seq given out so far */
    long long incr_seq;
} AofManifest;

AofManifest *aof_manifest_create(void);
void aof_manifest_destroy(AofManifest *m);
AofManifest *aof_manifest_dup(const AofManifest *m);
/* Parses the text of a manifest file. Returns NULL with the reason in err. */
AofManifest *aof_manifest_parse(const char *text, size_t len, char *err, size_t errlen);
/* Reads the manifest file at path: 1 and *out set, 0 when there is none,
 * -1 with the reason in err. */
int aof_manifest_load(const char *path, AofManifest **out, char *err, size_t errlen);
/* The manifest's text: base, history, incr lines. */
sds aof_manifest_format(const AofManifest *m);
/* Writes m as the manifest of appenddirname: temp file, fsync, rename,
 * fsync of the folder. Returns false with the reason in err. */
bool aof_manifest_save(const AofManifest *m, char *err, size_t errlen);
/* Gives out the next base name (.base.rdb or .base.aof), moving the old
 * base to history. Returns the new name (owned by m). */
const char *aof_manifest_new_base(AofManifest *m, bool rdb);
/* Gives out and appends the next incr name (owned by m). */
const char *aof_manifest_new_incr(AofManifest *m);
/* Moves every incr file but the last `keep` ones to history. */
void aof_manifest_incr_to_history(AofManifest *m, int keep);
/* Deletes the history files from disk and from m, then saves m. */
void aof_manifest_delete_history(AofManifest *m);
/* dir/appenddirname/name (new sds). */
sds aof_file_path(const char *name);
/* Creates appenddirname if needed. Returns false with the reason. */
bool aof_dir_create(char *err, size_t errlen);
/* Size of a file in appenddirname, 0 when missing. */
long long aof_file_size(const char *name);

/* ---- reading commands (aof_parse.c) ---- */
typedef enum {
    AOF_PARSE_OK,        /* one command in *argv */
    AOF_PARSE_END,       /* nothing left */
    AOF_PARSE_TRUNCATED, /* the last command stops before its end */
    AOF_PARSE_BAD,       /* not RESP: err says why */
} AofParseResult;

typedef struct AofReader {
    const char *p;
    size_t len;
    size_t pos;        /* start of the next command */
    long long ts_last; /* the last #TS: annotation seen, 0 none */
    char err[128];
} AofReader;

void aof_reader_init(AofReader *r, const char *p, size_t len);
/* Reads the next command (skipping "#..." annotation lines). On OK,
 * argv (new sds array, free with aof_args_free) and argc are set and
 * r->pos is past it; on TRUNCATED/BAD r->pos stays at the command's start. */
AofParseResult aof_reader_next(AofReader *r, sds **argv, int *argc);
void aof_args_free(sds *argv, int argc);
/* Whether the bytes start like an RDB image ("REDIS" magic). */
bool aof_looks_like_rdb(const char *p, size_t len);

/* ---- the encoder (aof.c) ---- */
/* Appends "*argc\r\n$len\r\narg\r\n..." for sds arguments. */
sds aof_cat_command(sds out, int argc, const sds *argv);

/* ---- state (aof.c) ---- */
typedef enum { AOF_OFF, AOF_ON, AOF_WAIT_REWRITE } AofStatus;

typedef struct AofState {
    AofStatus status;
    AofManifest *manifest; /* NULL until start-up read or created it */
    int fd;                /* the incr file written, -1 none */
    sds buf;               /* RESP waiting for the before-sleep write */
    int selected_db;       /* db of the last command fed, -1 after a new file */
    long long current_size;   /* bytes of the incr file written (after truncation fixes) */
    long long base_size;      /* aof_base_size */
    long long other_files_size; /* the manifest's base + older incr files */
    long long incr_size_at_rewrite; /* current_size + base when the last rewrite ended */
    long long fsync_requested_size; /* current_size when the last fsync was asked for */
    long long last_fsync_ms;
    long long postponed_since_ms; /* everysec: write held back while a fsync runs */
    unsigned long long delayed_fsync;
    bool last_write_ok;
    int last_write_errno;
    long long last_write_error_log_ms;
    bool loading;
    /* the rewrite child */
    pid_t child_pid;
    long long child_start_ms;
    bool rewrite_scheduled;
    bool last_rewrite_ok;
    long long last_rewrite_seconds;
    unsigned long long rewrites;
    unsigned long long rewrite_failures; /* consecutive */
    long long last_rewrite_try_ms;
    sds temp_incr_name; /* WAIT_REWRITE: the incr opened at rewrite start */
    bool child_writes_rdb; /* the running child writes an RDB base */
} AofState;

extern AofState aof_state;

/* Opens a file of appenddirname for appending (truncate: emptied). Returns
 * the fd, or -1 with the reason in err. */
int aof_open_file(const char *name, bool truncate, char *err, size_t errlen);
/* Makes fd the file written from now on (the old one is fsynced by
 * whoever switched and closed by the fsync thread). */
void aof_use_fd(int fd);
/* Re-reads the current file's size (after a truncation). */
void aof_refresh_size(void);
/* Opens (appends to) the incr file name, fd to aof_state.fd; the old fd is
 * closed by the fsync thread. Returns false with the reason. */
bool aof_open_incr(const char *name, char *err, size_t errlen);
/* Writes the buffer now (force: even while a background fsync runs). */
void aof_flush(bool force);
/* Writes and fsyncs everything (shutdown, before a rewrite). */
void aof_flush_and_fsync(void);
/* Stops writing: flushes, fsyncs, closes the file. */
void aof_close(void);
/* Base + every incr file, in bytes (aof_current_size). */
long long aof_total_size(void);
/* Re-reads the sizes of the files other than the one written (after the
 * manifest changed). */
void aof_sizes_refresh(void);

/* ---- the fsync thread (aof_fsync.c) ---- */
void aof_fsync_thread_start(void);
/* Queues an fsync of fd / a close of fd (done in order, so an fd is never
 * closed under a queued fsync). */
void aof_fsync_post(int fd);
void aof_close_post(int fd);
/* Jobs queued or running. */
int aof_fsync_pending(void);
/* Waits until the queue is empty. */
void aof_fsync_drain(void);
/* 0, or the errno of the last failed background fsync (cleared by the next
 * good one). */
int aof_fsync_last_error(void);

/* ---- the rewrite (aof_rewrite.c) ---- */
/* Starts a rewrite now. Returns false with the reason in err. */
bool aof_rewrite_start(char *err, size_t errlen);
/* Reaps the child, starts scheduled/automatic rewrites (from the cron). */
void aof_rewrite_cron(void);
/* Kills a running child and removes its temp files. */
void aof_rewrite_kill(void);
/* Writes the current dataset as a base file named name in the foreground
 * (start-up with no files). */
bool aof_write_base_now(const char *name, char *err, size_t errlen);
/* Writes the dataset as commands to fd (aof-use-rdb-preamble no). */
bool aof_rewrite_commands_fd(int fd, char *err, size_t errlen);

/* ---- loading (aof_load.c) ---- */
/* Loads every file of the manifest (names relative to base_dir, NULL for
 * dir itself). Returns 1 loaded, 0 nothing to load, -1 failed (logged). */
int aof_load_manifest(const AofManifest *m, const char *base_dir);

#endif
