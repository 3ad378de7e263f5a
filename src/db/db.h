/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/db.h: the keyspace: numbered databases of keyed objects, with lazy
 * expiry on access and the counters INFO reports.
 *
 * Each database holds two hashtables (ds/ht.h) of the same object pointers:
 * `keys` (every key; it owns the objects) and `expires` (the keys that have
 * an expire time). Objects embed their key and expire (db/object.h), so a
 * key costs one allocation plus its slots. An object may move when it gains
 * an expire or is made writable: always use the pointer these functions
 * return, never one kept from before.
 *
 * Every command that reads or writes a key goes through db_lookup_read /
 * db_lookup_write (which delete an expired key first and keep the hit/miss
 * counters) and changes keys only through db_set / db_add / db_delete /
 * db_set_expire, so the two tables never disagree.
 *
 * Threads: main only. Freeing in the background (UNLINK, FLUSHALL ASYNC)
 * goes through db/lazyfree.h.
 */
#ifndef KEEL_DB_DB_H
#define KEEL_DB_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "db/object.h"
#include "ds/ht.h"
#include "net/client.h"

typedef struct Db {
    Ht *keys;    /* every key; owns the objects */
    Ht *expires; /* keys with an expire (borrowed pointers into keys) */
    int id;
    long long avg_ttl;              /* estimate kept by the active expire cycle (ms) */
    unsigned long long expire_cursor; /* active expire: where the scan resumes */
} Db;

/* The databases option (immutable, default 16). */
extern long long cfg_databases;

/* Keyspace counters for INFO stats (reset by CONFIG RESETSTAT). */
typedef struct DbStats {
    unsigned long long keyspace_hits;
    unsigned long long keyspace_misses;
    unsigned long long expired_keys;
    unsigned long long expired_stale_perc_x100; /* active expire's last stale estimate */
    unsigned long long expired_time_cap_reached_count;
    unsigned long long expire_cycle_time_used_us;
    unsigned long long evicted_keys;
    unsigned long long evicted_scripts;
    unsigned long long total_eviction_exceeded_time_ms;
} DbStats;
extern DbStats db_stats;
/* Zeroes db_stats (CONFIG RESETSTAT). */
void db_stats_reset(void);

/* Registers the db room's options (databases, lazyfree-*, maxmemory-*...). */
void db_register_config(void);
/* Creates the databases. Once, at startup, after config loading. */
void db_init(void);
/* Database number id (0 <= id < cfg_databases). */
Db *db_get(int id);
static inline Db *client_db(Client *c) {
    return db_get(c->db);
}

/* ---- time ---- */

/* Wall-clock ms that expiry compares against: refreshed before each command
 * (db_time_refresh, called by cmd/call.c) so one command sees one time. */
extern long long db_now_ms;
void db_time_refresh(void);

/* ---- lookups ---- */

#define LOOKUP_NONE 0
#define LOOKUP_NOTOUCH (1 << 0)  /* don't update the LRU/LFU data */
#define LOOKUP_NOSTATS (1 << 1)  /* don't count a hit or miss */
#define LOOKUP_NOEXPIRE (1 << 2) /* don't delete an expired key (still reported missing) */

/* The object stored under key, or NULL (also when it has expired: the key
 * is deleted then, unless LOOKUP_NOEXPIRE). Counts keyspace hits/misses.
 * key is any string object (a command argument). */
Obj *db_lookup_read(Db *db, Obj *key, int flags);
/* As db_lookup_read without the hit/miss counters: for commands that write. */
Obj *db_lookup_write(Db *db, Obj *key, int flags);
/* The stored object, expired or not, with no side effects (tests, DEBUG). */
Obj *db_find(Db *db, Obj *key);
/* True if the key is logically expired (its time has passed). */
bool db_key_is_expired(const Obj *o);

/* ---- changes ---- */

/* Flags for db_set. */
#define DB_SET_KEEPTTL (1 << 0) /* keep the existing key's expire (expire arg ignored) */

/* Stores val under key, replacing any value (and, unless DB_SET_KEEPTTL,
 * its expire) with expire (unix ms, -1 none). Consumes one reference of
 * val (a bare object whose value is copied or moved into a keyed object).
 * Returns the stored object. */
Obj *db_set(Db *db, Obj *key, Obj *val, long long expire, int flags);
/* Stores a string value under key (the fast path of SET): as db_set with the
 * bytes given directly. */
Obj *db_set_string(Db *db, Obj *key, const char *val, size_t vlen, long long expire, int flags);
/* Adds val under key, which must not exist (checked: aborts if it does).
 * Consumes one reference of val. Returns the stored object. */
Obj *db_add(Db *db, Obj *key, Obj *val, long long expire);
/* Puts o (a keyed object, e.g. from another database) into db, replacing
 * any object under its key. Takes ownership of o. */
void db_insert_keyed(Db *db, Obj *o);
/* Removes the key, freeing its value (in the background for big values
 * when async). Returns false if it did not exist. */
bool db_delete(Db *db, Obj *key, bool async);
/* DEL and UNLINK in one lookup: removes the key and returns true, unless it
 * had already expired: then it is removed as expired (counted in
 * expired_keys) and false is returned, as for a missing key. */
bool db_delete_live(Db *db, Obj *key, bool async);
/* Removes the key without freeing: returns the keyed object (caller owns it)
 * or NULL. */
Obj *db_unlink(Db *db, Obj *key);
/* Sets or clears (when = -1) the key's expire. o must be stored in db.
 * Returns the (possibly moved) object. */
Obj *db_set_expire(Db *db, Obj *o, long long when);
/* Makes a stored string value writable in place (RAW); returns the (possibly
 * moved) object. */
Obj *db_unshare_string(Db *db, Obj *o);
/* Removes every key. With async, the old tables are freed in the background.
 * Returns the number of keys removed. */
long long db_empty(Db *db, bool async);
/* Swaps the contents of two databases (SWAPDB). */
void db_swap(Db *a, Db *b);
/* Deletes o's key because it expired (counting expired_keys). */
void db_delete_expired(Db *db, Obj *o);

/* ---- sizes ---- */

static inline size_t db_size(const Db *db) {
    return ht_size(db->keys);
}
static inline size_t db_expires_size(const Db *db) {
    return ht_size(db->expires);
}
/* Total keys in every database. */
unsigned long long db_total_keys(void);

#endif
