/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/persist_state.h: the persistence room's shared state (save
 * times, the BGSAVE child, counters), read by INFO and the commands.
 *
 * Threads: main only. Written only by persist/persist.c and
 * persist/persist_load.c.
 */
#ifndef KEEL_PERSIST_PERSIST_STATE_H
#define KEEL_PERSIST_PERSIST_STATE_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct PersistState {
    unsigned long long changes;        /* writes since the last successful save */
    unsigned long long changes_at_fork; /* `changes` when the running BGSAVE forked */
    long long last_save;               /* unix seconds of the last successful save */
    long long last_bgsave_try;         /* unix seconds of the last BGSAVE attempt */
    bool last_bgsave_ok;
    long long last_bgsave_seconds;     /* -1 before the first */
    pid_t child_pid;                   /* -1 when no BGSAVE runs */
    bool bgsave_scheduled;             /* BGSAVE SCHEDULE while an AOF rewrite runs */
    long long child_start_ms;
    unsigned long long saves;          /* successful saves (rdb_saves) */
    bool loading;
    unsigned long long last_load_keys;
    unsigned long long last_load_expired;
} PersistState;

extern PersistState persist_state;

/* Saves dbfilename in the foreground; on success resets the counters. */
bool persist_save_now(char *err, size_t errlen);
/* Forks the BGSAVE child. Returns false with the reason in err. */
bool persist_bgsave_start(char *err, size_t errlen);
/* Sets o's eviction data from an IDLE (seconds) or FREQ hint, -1 for
 * none, as the current maxmemory-policy reads it (RDB loading, RESTORE). */
struct Obj;
void persist_apply_eviction_hint(struct Obj *o, long long idle, int freq);
/* Loads an RDB image of len bytes into the databases; *consumed (may be
 * NULL) gets the bytes the image took (an old AOF's RDB preamble is
 * followed by commands). Returns false with the reason in err. */
bool persist_load_image(const unsigned char *image, size_t len, bool merge, size_t *consumed,
                        char *err, size_t errlen);
/* Loads path into the (empty) databases. Returns false with the reason
 * (naming the offset) in err. */
bool persist_load_file(const char *path, bool merge, char *err, size_t errlen);

#endif
