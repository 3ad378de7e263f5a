/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/db.c: the databases, lookups with lazy expiry, and every change to the
 * keys/expires tables (see db/db.h for the rules callers follow).
 */
#include "db/db.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/blocking.h"
#include "db/evict.h"
#include "db/expire.h"
#include "db/lazyfree.h"
#include "db/notify.h"
#include "net/io_threads.h"
#include "net/pause.h"
#include "persist/propagate.h"
#include "server/config.h"
#include "server/log.h"
#include "server/mem.h"
#include "server/tracking.h"
#include "types/hash.h"
#include "types/types.h"

long long cfg_databases;
long long db_now_ms;
DbStats db_stats;

static Db *dbs;

/* ---- the hashtable types ---- */

static uint64_t key_hash(const void *key) {
    size_t len;
    const char *p = obj_key(key, &len);
    return ht_hash(p, len);
}

static int key_compare(const void *a, const void *b) {
    size_t alen, blen;
    const char *ap = obj_key(a, &alen);
    const char *bp = obj_key(b, &blen);
    return alen != blen || memcmp(ap, bp, alen) != 0;
}

static void key_destructor(void *entry) {
    obj_free(entry);
}

/* Both tables store keyed objects, which are their own keys; a lookup
 * passes any string object (a command argument) as the key. */
static const HtType keys_type = {
    .hash = key_hash, .key_compare = key_compare, .entry_destructor = key_destructor};
static const HtType expires_type = {.hash = key_hash, .key_compare = key_compare};

/* ---- set-up ---- */

void db_register_config(void) {
    static const KeelConfigOption option = {
        .size = sizeof(KeelConfigOption), .name = "databases", .type = KEEL_CFG_NUMBER,
        .flags = KEEL_CFG_IMMUTABLE, .default_value = "16", .min = 1, .max = 1000000,
        .storage = &cfg_databases};
    config_register_core(&option);
    lazyfree_register_config();
    evict_register_config();
    expire_register_config();
    types_register();
    notify_register_config();
    tracking_register_config();
}

void db_init(void) {
    db_time_refresh();
    dbs = mem_calloc(sizeof(Db) * (size_t)cfg_databases);
    for (int i = 0; i < cfg_databases; i++) {
        dbs[i].id = i;
        dbs[i].keys = ht_create(&keys_type);
        dbs[i].expires = ht_create(&expires_type);
    }
    lazyfree_init();
    evict_init();
}

void db_stats_reset(void) {
    memset(&db_stats, 0, sizeof(db_stats));
}

Db *db_get(int id) {
    return &dbs[id];
}

unsigned long long db_total_keys(void) {
    unsigned long long total = 0;
    for (int i = 0; i < cfg_databases; i++) total += ht_size(dbs[i].keys);
    return total;
}

void db_time_refresh(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    db_now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- lookups ---- */

bool db_key_is_expired(const Obj *o) {
    long long when = obj_get_expire(o);
    return when >= 0 && db_now_ms > when;
}

Obj *db_find(Db *db, Obj *key) {
    return ht_find(db->keys, key);
}

static Obj *lookup(Db *db, Obj *key, int flags) {
    Obj *o = ht_find(db->keys, key);
    if (o == NULL) return NULL;
    if (o->has_expire_field && db_key_is_expired(o)) {
        /* While writes are paused (CLIENT PAUSE WRITE, failover) an expired
         * key reads as missing but stays: deleting it is a write, done when
         * the pause ends, as Valkey does. */
        if (!(flags & LOOKUP_NOEXPIRE) && !pause_writes_paused()) db_delete_expired(db, o);
        return NULL;
    }
    if (!(flags & LOOKUP_NOTOUCH)) evict_touch(o);
    return o;
}

Obj *db_lookup_read(Db *db, Obj *key, int flags) {
    Obj *o = lookup(db, key, flags);
    if (!(flags & LOOKUP_NOSTATS)) {
        if (o) db_stats.keyspace_hits++;
        else db_stats.keyspace_misses++;
    }
    return o;
}

Obj *db_lookup_write(Db *db, Obj *key, int flags) {
    return lookup(db, key, flags);
}

/* ---- changes ---- */

static void free_object(Obj *o, bool async) {
    if (io_try_offload_free_object(o)) return; /* a big string, IO threads running */
    if (async) lazyfree_free_object(o);
    else obj_free(o);
}

/* The table slots that point at a stored object. They must be found while
 * the object is still valid: a search compares keys through the pointers
 * stored in the table, so once an object has moved (its old memory freed)
 * the tables can no longer be searched for it. */
typedef struct DbSlots {
    void **key;    /* its slot in keys */
    void **expire; /* its slot in expires, or NULL when it has no expire */
} DbSlots;

/* Finds o's slots. The references stay valid until the next call on each
 * table; moving the object itself touches neither table. */
static DbSlots find_slots(Db *db, Obj *o) {
    DbSlots slots = {.key = ht_find_ref(db->keys, o), .expire = NULL};
    if (obj_get_expire(o) >= 0) slots.expire = ht_find_ref(db->expires, o);
    return slots;
}

/* Points the slots found by find_slots at n, the moved object. */
static void relink(const DbSlots *slots, Obj *n) {
    *slots->key = n;
    if (slots->expire) *slots->expire = n;
}

/* Stores n in the keys slot ref that holds old (same key, both valid) and
 * frees old. */
static void replace(Db *db, void **ref, Obj *old, Obj *n) {
    bool had_expire = obj_get_expire(old) >= 0;
    bool has_expire = obj_get_expire(n) >= 0;
    if (had_expire && has_expire)
        *ht_find_ref(db->expires, old) = n;
    else if (had_expire)
        ht_pop(db->expires, old, NULL);
    else if (has_expire)
        ht_add(db->expires, n);
    *ref = n; /* still valid: only the expires table was called since */
    free_object(old, cfg_lazyfree_lazy_server_del);
}

/* First half of every set: one lookup that either finds the present object
 * (returned; pos->existing_ref is its slot) or leaves pos ready for an
 * insert (NULL returned). With DB_SET_KEEPTTL, *expire becomes the present
 * object's. */
static Obj *set_lookup(Db *db, Obj *key, HtPosition *pos, long long *expire, int flags) {
    void *existing;
    if (ht_find_position_for_insert(db->keys, key, pos, &existing)) return NULL;
    if (flags & DB_SET_KEEPTTL) *expire = obj_get_expire(existing);
    return existing;
}

/* Second half: stores o (built for the key set_lookup was given) as a new
 * key or in place of old. */
static Obj *set_store(Db *db, const HtPosition *pos, Obj *old, Obj *o) {
    if (old == NULL) {
        evict_init_object(o);
        ht_insert_at_position(db->keys, o, pos);
        if (obj_get_expire(o) >= 0) ht_add(db->expires, o);
        notify_keyspace_event(NOTIFY_NEW, "new", o, db->id);
    } else {
        evict_init_replacement(o, old);
        replace(db, pos->existing_ref, old, o);
    }
    return o;
}

Obj *db_set_string(Db *db, Obj *key, const char *val, size_t vlen, long long expire, int flags) {
    size_t klen;
    const char *k = obj_key(key, &klen);
    HtPosition pos;
    Obj *old = set_lookup(db, key, &pos, &expire, flags);
    return set_store(db, &pos, old, obj_create_keyed_string(k, klen, expire, val, vlen));
}

/* A list or sorted set arrived under key: clients waiting on it may now be
 * served (db/blocking.h; a no-op when nobody waits). */
static inline void signal_ready(Db *db, Obj *key, const Obj *o) {
    if (o->type == OBJ_LIST || o->type == OBJ_ZSET) blocking_signal_key_ready(db, key);
}

Obj *db_set(Db *db, Obj *key, Obj *val, long long expire, int flags) {
    if (val->type == OBJ_STRING) {
        char buf[24];
        size_t len;
        const char *p = obj_string_bytes(val, buf, &len);
        Obj *o = db_set_string(db, key, p, len, expire, flags);
        obj_decr_ref(val);
        return o;
    }
    size_t klen;
    const char *k = obj_key(key, &klen);
    HtPosition pos;
    Obj *old = set_lookup(db, key, &pos, &expire, flags);
    Obj *o = set_store(db, &pos, old, obj_rekey(val, k, klen, expire));
    signal_ready(db, o, o);
    return o;
}

Obj *db_add(Db *db, Obj *key, Obj *val, long long expire) {
    size_t klen;
    const char *k = obj_key(key, &klen);
    HtPosition pos;
    if (!ht_find_position_for_insert(db->keys, key, &pos, NULL)) {
        log_msg(LL_WARNING, "db_add: key already exists in db %d", db->id);
        abort();
    }
    Obj *o = set_store(db, &pos, NULL, obj_rekey(val, k, klen, expire));
    signal_ready(db, o, o);
    return o;
}

void db_insert_keyed(Db *db, Obj *o) {
    HtPosition pos;
    void *existing;
    if (ht_find_position_for_insert(db->keys, o, &pos, &existing)) {
        ht_insert_at_position(db->keys, o, &pos); /* keeps o's access data */
        if (obj_get_expire(o) >= 0) ht_add(db->expires, o);
        notify_keyspace_event(NOTIFY_NEW, "new", o, db->id);
    } else {
        replace(db, pos.existing_ref, existing, o);
    }
    signal_ready(db, o, o); /* RENAME, COPY, MOVE onto a waited key */
    /* A hash with volatile fields under a new name or database: the active
     * field expiry walks per-database registries of names. */
    if (o->type == OBJ_HASH) hash_track_key(db, o);
}

Obj *db_unlink(Db *db, Obj *key) {
    void *popped;
    if (!ht_pop(db->keys, key, &popped)) return NULL;
    Obj *o = popped;
    if (obj_get_expire(o) >= 0) ht_pop(db->expires, o, NULL);
    return o;
}

bool db_delete(Db *db, Obj *key, bool async) {
    Obj *o = db_unlink(db, key);
    if (o == NULL) return false;
    free_object(o, async);
    return true;
}

/* Frees an unlinked object of db whose time had passed, counting it as
 * expired and telling watchers ("expired" event, modified key). */
static void free_expired(Db *db, Obj *o) {
    db_signal_modified(NULL, db, o);
    notify_keyspace_event(NOTIFY_EXPIRED, "expired", o, db->id);
    propagate_deletion(db->id, o, cfg_lazyfree_lazy_expire, true); /* DEL or UNLINK */
    db_stats.expired_keys++;
    free_object(o, cfg_lazyfree_lazy_expire);
}

void db_delete_expired(Db *db, Obj *o) {
    Obj *popped = db_unlink(db, o);
    if (popped) free_expired(db, popped);
}

bool db_delete_live(Db *db, Obj *key, bool async) {
    Obj *o = db_unlink(db, key);
    if (o == NULL) return false;
    if (db_key_is_expired(o)) {
        free_expired(db, o);
        return false;
    }
    free_object(o, async);
    return true;
}

Obj *db_set_expire(Db *db, Obj *o, long long when) {
    bool had_expire = obj_get_expire(o) >= 0;
    if (when < 0) {
        if (!had_expire) return o;
        ht_pop(db->expires, o, NULL);
        return obj_set_expire(o, -1); /* in place: the field stays */
    }
    if (o->has_expire_field) {
        obj_set_expire(o, when);
        if (!had_expire) ht_add(db->expires, o);
        return o;
    }
    DbSlots slots = find_slots(db, o); /* before the move (no expire yet) */
    Obj *n = obj_set_expire(o, when);   /* moved: o is gone */
    relink(&slots, n);
    ht_add(db->expires, n);
    return n;
}

Obj *db_unshare_string(Db *db, Obj *o) {
    /* RAW is writable already and INT converts in place: only EMBSTR moves. */
    if (o->encoding != OBJ_ENCODING_EMBSTR) return obj_unshare_string(o);
    DbSlots slots = find_slots(db, o);
    Obj *n = obj_unshare_string(o);
    if (n != o) relink(&slots, n);
    return n;
}

long long db_empty(Db *db, bool async) {
    long long removed = (long long)ht_size(db->keys);
    if (async && removed > 0) {
        lazyfree_free_tables(db->keys, db->expires);
        db->keys = ht_create(&keys_type);
        db->expires = ht_create(&expires_type);
    } else {
        ht_clear(db->expires);
        ht_clear(db->keys);
    }
    db->avg_ttl = 0;
    db->expire_cursor = 0;
    return removed;
}

void db_swap(Db *a, Db *b) {
    Db tmp = *a;
    a->keys = b->keys;
    a->expires = b->expires;
    a->avg_ttl = b->avg_ttl;
    a->expire_cursor = b->expire_cursor;
    b->keys = tmp.keys;
    b->expires = tmp.expires;
    b->avg_ttl = tmp.avg_ttl;
    b->expire_cursor = tmp.expire_cursor;
}
