/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/multi.c: MULTI/EXEC/DISCARD and WATCH/UNWATCH (server/multi.h).
 *
 * A client in MULTI keeps its queued commands in its MultiState, each with
 * its own references to the argument objects. Watched keys live in one
 * table of (database, key) entries, each listing the clients that watch
 * it; a client's MultiState lists its entries back, so UNWATCH and
 * disconnects cost one step per watched key. Touching a key sets
 * CLIENT_DIRTY_CAS on its watchers; EXEC of a dirty client replies a null
 * array and runs nothing.
 */
#include "server/multi.h"

#include <string.h>

#include "ds/ht.h"
#include "net/reply.h"
#include "server/mem.h"

/* ---- watched keys ---- */

typedef struct WatchKeyRef {
    const char *p;
    size_t len;
    int db;
} WatchKeyRef;

typedef struct WatchedKey {
    WatchKeyRef ref; /* p points into key */
    sds key;
    Client **clients;
    int count, cap;
} WatchedKey;

typedef struct WatchEntry {
    WatchedKey *wk;
    bool expired_when_watched; /* logically expired at WATCH: expiry alone is no change */
} WatchEntry;

typedef struct QueuedCommand {
    const Command *cmd;
    int argc;
    Obj **argv; /* one reference each */
} QueuedCommand;

typedef struct MultiState {
    QueuedCommand *cmds;
    int count, cap;
    size_t bytes;
    WatchEntry *watched;
    int nwatched, capwatched;
} MultiState;

static uint64_t watch_hash(const void *key) {
    const WatchKeyRef *ref = key;
    return ht_hash(ref->p, ref->len) ^ (uint64_t)ref->db * 0x9e3779b97f4a7c15ull;
}

static int watch_compare(const void *a, const void *b) {
    const WatchKeyRef *x = a, *y = b;
    return x->db != y->db || x->len != y->len || memcmp(x->p, y->p, x->len) != 0;
}

static const void *watch_entry_key(const void *entry) {
    return &((const WatchedKey *)entry)->ref;
}

static const HtType watch_table_type = {
    .hash = watch_hash, .key_compare = watch_compare, .entry_get_key = watch_entry_key};

static Ht *watched_keys;
static size_t watching_clients;

void multi_init(void) {
    watched_keys = ht_create(&watch_table_type);
}

static MultiState *state_of(Client *c) {
    if (c->mstate == NULL) c->mstate = mem_calloc(sizeof(MultiState));
    return c->mstate;
}

/* A stack string object holding s, for db lookups. */
static Obj key_object(sds s) {
    Obj o = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = 1, .ptr = s};
    return o;
}

static void mark_dirty(WatchedKey *wk) {
    for (int i = 0; i < wk->count; i++) wk->clients[i]->flags |= CLIENT_DIRTY_CAS;
}

void multi_touch_key(Db *db, const Obj *key) {
    if (watched_keys == NULL || ht_size(watched_keys) == 0) return; /* none, or no server */
    char buf[24];
    size_t len;
    const char *p;
    if (key->has_key) p = obj_key(key, &len);
    else p = obj_string_bytes(key, buf, &len);
    WatchKeyRef ref = {p, len, db->id};
    WatchedKey *wk = ht_find(watched_keys, &ref);
    if (wk) mark_dirty(wk);
}

/* Touches every watched key of database id that exists in db_a or db_b. */
static void touch_existing(int id, Db *db_a, Db *db_b) {
    HtIter it;
    void *entry;
    ht_iter_init(&it, watched_keys, 0);
    while (ht_iter_next(&it, &entry)) {
        WatchedKey *wk = entry;
        if (wk->ref.db != id) continue;
        Obj k = key_object(wk->key);
        if (db_find(db_a, &k) || (db_b && db_find(db_b, &k))) mark_dirty(wk);
    }
    ht_iter_deinit(&it);
}

void multi_touch_flushed(int dbid) {
    if (watched_keys == NULL || ht_size(watched_keys) == 0) return; /* none, or no server */
    for (int id = 0; id < cfg_databases; id++)
        if (dbid < 0 || dbid == id) touch_existing(id, db_get(id), NULL);
}

void multi_touch_swapped(Db *a, Db *b) {
    if (watched_keys == NULL || ht_size(watched_keys) == 0) return; /* none, or no server */
    touch_existing(a->id, a, b);
    touch_existing(b->id, a, b);
}

static void watch_key(Client *c, Obj *key) {
    MultiState *ms = state_of(c);
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(key, buf, &len);
    WatchKeyRef ref = {p, len, c->db};
    for (int i = 0; i < ms->nwatched; i++)
        if (watch_compare(&ms->watched[i].wk->ref, &ref) == 0) return; /* already */
    WatchedKey *wk = ht_find(watched_keys, &ref);
    if (wk == NULL) {
        wk = mem_calloc(sizeof(WatchedKey));
        wk->key = sds_new_len(p, len);
        wk->ref.p = wk->key;
        wk->ref.len = len;
        wk->ref.db = c->db;
        ht_add(watched_keys, wk);
    }
    if (wk->count == wk->cap) {
        wk->cap = wk->cap ? wk->cap * 2 : 2;
        wk->clients = mem_realloc(wk->clients, sizeof(Client *) * (size_t)wk->cap);
    }
    wk->clients[wk->count++] = c;
    if (ms->nwatched == ms->capwatched) {
        ms->capwatched = ms->capwatched ? ms->capwatched * 2 : 4;
        ms->watched = mem_realloc(ms->watched, sizeof(WatchEntry) * (size_t)ms->capwatched);
    }
    Obj *o = db_find(client_db(c), key);
    if (ms->nwatched == 0) watching_clients++;
    ms->watched[ms->nwatched++] =
        (WatchEntry){.wk = wk, .expired_when_watched = o != NULL && db_key_is_expired(o)};
}

static void unwatch_all(Client *c) {
    MultiState *ms = c->mstate;
    if (ms == NULL || ms->nwatched == 0) return;
    for (int i = 0; i < ms->nwatched; i++) {
        WatchedKey *wk = ms->watched[i].wk;
        for (int j = 0; j < wk->count; j++) {
            if (wk->clients[j] != c) continue;
            wk->clients[j] = wk->clients[--wk->count];
            break;
        }
        if (wk->count == 0) {
            ht_pop(watched_keys, &wk->ref, NULL);
            sds_free(wk->key);
            mem_free(wk->clients);
            mem_free(wk);
        }
    }
    ms->nwatched = 0;
    watching_clients--;
}

/* A watched key that was alive when watched and has logically expired
 * since counts as changed, even if nobody deleted it yet. */
static bool watched_key_expired(Client *c) {
    MultiState *ms = c->mstate;
    if (ms == NULL) return false;
    for (int i = 0; i < ms->nwatched; i++) {
        if (ms->watched[i].expired_when_watched) continue;
        WatchedKey *wk = ms->watched[i].wk;
        Obj k = key_object(wk->key);
        Obj *o = db_find(db_get(wk->ref.db), &k);
        if (o && db_key_is_expired(o)) return true;
    }
    return false;
}

/* ---- the queue ---- */

void multi_queue(Client *c, const Command *cmd) {
    MultiState *ms = state_of(c);
    if (ms->count == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 4;
        ms->cmds = mem_realloc(ms->cmds, sizeof(QueuedCommand) * (size_t)ms->cap);
    }
    QueuedCommand *q = &ms->cmds[ms->count++];
    q->cmd = cmd;
    q->argc = c->argc;
    q->argv = mem_alloc(sizeof(Obj *) * (size_t)c->argc);
    for (int i = 0; i < c->argc; i++) {
        q->argv[i] = c->argv[i];
        obj_incr_ref(c->argv[i]);
        ms->bytes += obj_string_length(c->argv[i]);
    }
    ms->bytes += sizeof(Obj *) * (size_t)c->argc + sizeof(QueuedCommand);
    reply_raw(c, "+QUEUED\r\n", 9);
}

void multi_flag_error(Client *c) {
    if (c->flags & CLIENT_MULTI) c->flags |= CLIENT_DIRTY_EXEC;
}

static void free_queue(Client *c) {
    MultiState *ms = c->mstate;
    if (ms == NULL) return;
    for (int i = 0; i < ms->count; i++) {
        for (int j = 0; j < ms->cmds[i].argc; j++) obj_decr_ref(ms->cmds[i].argv[j]);
        mem_free(ms->cmds[i].argv);
    }
    mem_free(ms->cmds);
    ms->cmds = NULL;
    ms->count = ms->cap = 0;
    ms->bytes = 0;
}

/* Leaves MULTI: drops the queue and every watched key. */
static void discard_transaction(Client *c) {
    free_queue(c);
    unwatch_all(c);
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
}

void multi_client_free(Client *c) {
    if (c->mstate == NULL) return;
    discard_transaction(c);
    mem_free(c->mstate->watched);
    mem_free(c->mstate);
    c->mstate = NULL;
}

long multi_queued_count(const Client *c) {
    if (!(c->flags & CLIENT_MULTI)) return -1;
    return c->mstate ? c->mstate->count : 0;
}

long multi_watched_count(const Client *c) {
    return c->mstate ? c->mstate->nwatched : 0;
}

size_t multi_queued_bytes(const Client *c) {
    return c->mstate ? c->mstate->bytes : 0;
}

size_t multi_watched_keys_total(void) {
    return watched_keys ? ht_size(watched_keys) : 0;
}

size_t multi_watching_clients(void) {
    return watching_clients;
}

/* ---- commands ---- */

void cmd_multi(Client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "MULTI calls can not be nested");
        return;
    }
    c->flags |= CLIENT_MULTI;
    reply_ok(c);
}

void cmd_discard(Client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "DISCARD without MULTI");
        return;
    }
    discard_transaction(c);
    reply_ok(c);
}

void cmd_watch(Client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "WATCH inside MULTI is not allowed");
        return;
    }
    /* Already dirty: watching more cannot make EXEC succeed (Valkey). */
    if (!(c->flags & CLIENT_DIRTY_CAS))
        for (int j = 1; j < c->argc; j++) watch_key(c, c->argv[j]);
    reply_ok(c);
}

void cmd_unwatch(Client *c) {
    unwatch_all(c);
    c->flags &= ~CLIENT_DIRTY_CAS;
    reply_ok(c);
}

void cmd_exec(Client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "EXEC without MULTI");
        return;
    }
    if (watched_key_expired(c)) c->flags |= CLIENT_DIRTY_CAS;
    if (c->flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) {
        if (c->flags & CLIENT_DIRTY_EXEC)
            reply_error(c, "-EXECABORT Transaction discarded because of previous errors.");
        else
            reply_null_array(c);
        discard_transaction(c);
        return;
    }
    /* Our own writes must not make the transaction fail halfway. */
    unwatch_all(c);
    MultiState *ms = c->mstate;
    QueuedCommand *cmds = ms ? ms->cmds : NULL;
    int count = ms ? ms->count : 0;
    if (ms) {
        ms->cmds = NULL;
        ms->count = ms->cap = 0;
        ms->bytes = 0;
    }
    c->flags &= ~CLIENT_MULTI;
    int saved_argc = c->argc;
    Obj **saved_argv = c->argv;
    uint32_t saved_deny = c->flags & CLIENT_DENY_BLOCKING;
    c->flags |= CLIENT_DENY_BLOCKING; /* BLPOP and friends answer at once */
    reply_array_len(c, count);
    for (int i = 0; i < count; i++) {
        c->argc = cmds[i].argc;
        c->argv = cmds[i].argv;
        cmd_call(c, cmds[i].cmd);
    }
    c->flags = (c->flags & ~CLIENT_DENY_BLOCKING) | saved_deny;
    c->argc = saved_argc;
    c->argv = saved_argv;
    for (int i = 0; i < count; i++) {
        for (int j = 0; j < cmds[i].argc; j++) obj_decr_ref(cmds[i].argv[j]);
        mem_free(cmds[i].argv);
    }
    mem_free(cmds);
}
