/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_expire.c: expiring hash fields: the deletion of a hash's
 * expired fields with its notifications, and the active walk that the
 * expire cron drives over the hashes that have volatile fields.
 *
 * Each database keeps a registry: a hashtable of key names (bare string
 * objects) whose hash had a volatile field when last seen. Names, not
 * pointers to the stored objects, because objects move (they gain an expire
 * field) and keys get renamed; a name whose key is gone, or no longer a hash
 * with volatile fields, is dropped by the walk. A command touching a hash
 * with volatile fields registers its name again, which catches renames.
 *
 * Threads: main only.
 */
#include "types/hash.h"

#include <string.h>
#include <time.h>

#include "db/notify.h"
#include "persist/aof.h"
#include "persist/propagate.h"
#include "server/mem.h"
#include "types/hash_internal.h"

/* At most this many fields of one hash per visit, so one huge hash cannot
 * eat the whole budget before the clock is read again. */
#define FIELDS_PER_VISIT 200

typedef struct Registry {
    Ht *names;
    uint64_t cursor; /* where the active walk resumes */
} Registry;

static Registry *registries; /* one per database, allocated on first use */
static int next_db;          /* the database the next walk starts with */

static uint64_t name_hash(const void *key) {
    size_t len;
    const char *p = obj_key(key, &len);
    return ht_hash(p, len);
}

static int name_compare(const void *a, const void *b) {
    size_t alen, blen;
    const char *ap = obj_key(a, &alen);
    const char *bp = obj_key(b, &blen);
    return alen != blen || memcmp(ap, bp, alen) != 0;
}

static void name_destroy(void *entry) {
    obj_decr_ref(entry);
}

static const HtType registry_type = {
    .hash = name_hash,
    .key_compare = name_compare,
    .entry_get_key = NULL,
    .entry_destructor = name_destroy,
};

static Registry *registry_of(Db *db) {
    if (registries == NULL) registries = mem_calloc(sizeof(Registry) * (size_t)cfg_databases);
    return &registries[db->id];
}

void hash_registry_add(Db *db, Obj *key) {
    Registry *r = registry_of(db);
    if (r->names == NULL) r->names = ht_create(&registry_type);
    if (ht_find(r->names, key) != NULL) return;
    size_t len;
    const char *p = obj_key(key, &len);
    ht_add(r->names, obj_create_string(p, len));
}

void hash_track_key(Db *db, Obj *key) {
    Obj *o = db_find(db, key);
    if (o != NULL && o->type == OBJ_HASH && hash_has_volatile(o)) hash_registry_add(db, key);
}

void hash_registry_swap(Db *a, Db *b) {
    Registry *ra = registry_of(a), *rb = registry_of(b);
    Registry tmp = *ra;
    *ra = *rb;
    *rb = tmp;
    ra->cursor = rb->cursor = 0;
}

void hash_registry_clear(Db *db) {
    Registry *r = registry_of(db);
    if (r->names) ht_clear(r->names);
    r->cursor = 0;
}

bool hash_expire_fields_now(Client *c, Db *db, Obj *key, Obj *o, size_t max, size_t *removed) {
    /* Expired fields replay as HDEL key field ... */
    PropagateBatch batch;
    bool propagating = aof_wants_commands();
    if (propagating) propagate_batch_init(&batch, db->id, "HDEL", key);
    size_t count = hash_remove_expired(o, db_now_ms, max, propagating ? &batch : NULL);
    if (propagating) propagate_batch_finish(&batch);
    if (removed) *removed = count;
    if (count == 0) return false;
    notify_keyspace_event(NOTIFY_HASH, "hexpired", key, db->id);
    db_signal_modified(c, db, key);
    if (propagating) propagate_count_implicit();
    if (hash_length(o) > 0) return false;
    db_delete(db, key, false);
    notify_keyspace_event(NOTIFY_GENERIC, "del", key, db->id);
    return true;
}

/* ---- the active walk ---- */

typedef struct WalkCtx {
    Db *db;
    Ht *names;
} WalkCtx;

static long long monotonic_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void visit_name(void *privdata, void *entry) {
    WalkCtx *ctx = privdata;
    Obj *name = entry;
    Obj *o = db_find(ctx->db, name);
    if (o == NULL || o->type != OBJ_HASH || !hash_has_volatile(o)) {
        ht_delete(ctx->names, name);
        return;
    }
    if (db_key_is_expired(o)) return; /* the key's own expiry deletes it */
    bool deleted = hash_expire_fields_now(NULL, ctx->db, name, o, FIELDS_PER_VISIT, NULL);
    if (deleted || !hash_has_volatile(o)) ht_delete(ctx->names, name);
}

void hash_active_expire_fields(long long budget_us) {
    if (registries == NULL) return;
    long long deadline = monotonic_us() + budget_us;
    for (int n = 0; n < cfg_databases; n++) {
        int id = (next_db + n) % (int)cfg_databases;
        Registry *r = &registries[id];
        if (r->names == NULL || ht_size(r->names) == 0) continue;
        WalkCtx ctx = {.db = db_get(id), .names = r->names};
        do {
            r->cursor = ht_scan(r->names, r->cursor, visit_name, &ctx);
            if (monotonic_us() >= deadline) {
                next_db = id; /* resume here */
                return;
            }
        } while (r->cursor != 0);
    }
}
