/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_cmd.c: the hash commands that set, read and delete fields:
 * HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS,
 * HVALS and HGETALL.
 *
 * Every lookup goes through hash_lookup, which drops expired fields first,
 * so nothing here checks field expiry.
 *
 * Threads: main only.
 */
#include "types/hash.h"

#include "db/notify.h"
#include "net/reply.h"
#include "types/hash_internal.h"

/* The hash under argv[1] for writing, created empty if missing. NULL after
 * replying WRONGTYPE. */
static Obj *lookup_or_create(Client *c, Db *db) {
    bool wrongtype;
    Obj *o = hash_lookup(c, db, c->argv[1], true, &wrongtype);
    if (wrongtype) return NULL;
    if (o == NULL) o = hash_add_empty(db, c->argv[1]);
    return o;
}

static inline const char *arg_bytes(const Obj *arg, size_t *len) {
    *len = sds_len(arg->ptr);
    return arg->ptr;
}

/* HSET key field value [field value ...] (and HMSET, which replies OK). */
void cmd_hset(Client *c) {
    if (c->argc % 2 == 1) {
        reply_error_arity(c);
        return;
    }
    Db *db = client_db(c);
    Obj *o = lookup_or_create(c, db);
    if (o == NULL) return;
    hash_convert_for_args(o, c->argv, 2, c->argc - 1);
    long long created = 0;
    for (int i = 2; i < c->argc; i += 2) {
        size_t flen, vlen;
        const char *f = arg_bytes(c->argv[i], &flen);
        const char *v = arg_bytes(c->argv[i + 1], &vlen);
        created += hash_set(o, f, flen, v, vlen, 0);
    }
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_HASH, "hset", c->argv[1], db->id);
    const char *name = c->argv[0]->ptr;
    if (name[1] == 's' || name[1] == 'S') reply_ll(c, created);
    else reply_ok(c);
}

void cmd_hsetnx(Client *c) {
    Db *db = client_db(c);
    Obj *o = lookup_or_create(c, db);
    if (o == NULL) return;
    size_t flen, vlen;
    const char *f = arg_bytes(c->argv[2], &flen);
    if (hash_exists(o, f, flen)) {
        reply_ll(c, 0);
        return;
    }
    hash_convert_for_args(o, c->argv, 2, 3);
    const char *v = arg_bytes(c->argv[3], &vlen);
    hash_set(o, f, flen, v, vlen, 0);
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_HASH, "hset", c->argv[1], db->id);
    reply_ll(c, 1);
}

/* Replies the value of one field, or null. */
static void reply_field(Client *c, Obj *o, const Obj *field) {
    size_t flen, vlen;
    const char *f = arg_bytes(field, &flen);
    const char *v;
    char numbuf[LP_INTBUF_SIZE];
    if (o != NULL && hash_get(o, f, flen, &v, &vlen, numbuf)) reply_bulk(c, v, vlen);
    else reply_null(c);
}

void cmd_hget(Client *c) {
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    reply_field(c, o, c->argv[2]);
}

void cmd_hmget(Client *c) {
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    reply_array_len(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) reply_field(c, o, c->argv[i]);
}

void cmd_hdel(Client *c) {
    Db *db = client_db(c);
    bool wrongtype;
    Obj *o = hash_lookup(c, db, c->argv[1], true, &wrongtype);
    if (wrongtype) return;
    if (o == NULL) {
        reply_ll(c, 0);
        return;
    }
    long long deleted = 0;
    bool emptied = false;
    for (int i = 2; i < c->argc; i++) {
        size_t flen;
        const char *f = arg_bytes(c->argv[i], &flen);
        if (!hash_delete(o, f, flen)) continue;
        deleted++;
        if (hash_length(o) == 0) {
            emptied = true;
            break;
        }
    }
    if (deleted) {
        db_signal_modified(c, db, c->argv[1]);
        notify_keyspace_event(NOTIFY_HASH, "hdel", c->argv[1], db->id);
        if (emptied) {
            db_delete(db, c->argv[1], false);
            notify_keyspace_event(NOTIFY_GENERIC, "del", c->argv[1], db->id);
        }
    }
    reply_ll(c, deleted);
}

void cmd_hlen(Client *c) {
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    reply_ll(c, o ? (long long)hash_length(o) : 0);
}

void cmd_hstrlen(Client *c) {
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    size_t flen, vlen = 0;
    const char *f = arg_bytes(c->argv[2], &flen);
    const char *v;
    char numbuf[LP_INTBUF_SIZE];
    if (o == NULL || !hash_get(o, f, flen, &v, &vlen, numbuf)) vlen = 0;
    reply_ll(c, (long long)vlen);
}

void cmd_hexists(Client *c) {
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    size_t flen;
    const char *f = arg_bytes(c->argv[2], &flen);
    reply_ll(c, o != NULL && hash_exists(o, f, flen));
}

#define WANT_FIELDS 1
#define WANT_VALUES 2

/* HKEYS, HVALS and HGETALL (a map in RESP3). */
static void reply_all(Client *c, int want) {
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    long len = o ? (long)hash_length(o) : 0;
    if (want == (WANT_FIELDS | WANT_VALUES)) reply_map_len(c, len);
    else reply_array_len(c, len);
    if (o == NULL) return;
    HashIter it;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it)) {
        if (want & WANT_FIELDS) reply_bulk(c, it.field, it.flen);
        if (want & WANT_VALUES) reply_bulk(c, it.value, it.vlen);
    }
    hash_iter_deinit(&it);
}

void cmd_hkeys(Client *c) {
    reply_all(c, WANT_FIELDS);
}

void cmd_hvals(Client *c) {
    reply_all(c, WANT_VALUES);
}

void cmd_hgetall(Client *c) {
    reply_all(c, WANT_FIELDS | WANT_VALUES);
}
