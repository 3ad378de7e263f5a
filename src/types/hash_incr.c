/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_incr.c: HINCRBY and HINCRBYFLOAT, the counters kept in hash
 * fields. The increment is checked before the key is looked up, as Valkey
 * does; the new value is stored as text (a listpack keeps a number that
 * spells an integer as an integer element).
 *
 * Threads: main only.
 */
#include "types/hash.h"

#include <limits.h>
#include <math.h>

#include "db/notify.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "types/args.h"
#include "types/hash_internal.h"

/* The hash under argv[1] for writing, created empty if missing. */
static Obj *lookup_or_create(Client *c, Db *db) {
    bool wrongtype;
    Obj *o = hash_lookup(c, db, c->argv[1], true, &wrongtype);
    if (wrongtype) return NULL;
    if (o == NULL) o = hash_add_empty(db, c->argv[1]);
    return o;
}

static void store(Client *c, Db *db, Obj *o, const char *text, size_t len, const char *event) {
    const Obj *field = c->argv[2];
    hash_set(o, field->ptr, sds_len(field->ptr), text, len, HASH_SET_KEEPTTL);
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_HASH, event, c->argv[1], db->id);
}

void cmd_hincrby(Client *c) {
    long long incr, value = 0;
    if (!type_arg_ll(c, c->argv[3], &incr)) return;
    Db *db = client_db(c);
    Obj *o = lookup_or_create(c, db);
    if (o == NULL) return;
    const char *v;
    size_t vlen;
    char numbuf[LP_INTBUF_SIZE];
    const Obj *field = c->argv[2];
    if (hash_get(o, field->ptr, sds_len(field->ptr), &v, &vlen, numbuf) &&
        strnum_to_ll(v, vlen, &value) != 0) {
        reply_error(c, HASH_ERR_NOT_INTEGER);
        return;
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        reply_error(c, HASH_ERR_OVERFLOW);
        return;
    }
    value += incr;
    char buf[LP_INTBUF_SIZE];
    size_t len = strnum_from_ll(buf, value);
    store(c, db, o, buf, len, "hincrby");
    reply_ll(c, value);
}

void cmd_hincrbyfloat(Client *c) {
    long double incr, value = 0;
    const Obj *arg = c->argv[3];
    if (type_parse_long_double(arg->ptr, sds_len(arg->ptr), &incr) != 0) {
        reply_error(c, TYPE_ERR_NOT_FLOAT);
        return;
    }
    if (isnan(incr) || isinf(incr)) {
        reply_error(c, "value is NaN or Infinity");
        return;
    }
    Db *db = client_db(c);
    Obj *o = lookup_or_create(c, db);
    if (o == NULL) return;
    const char *v;
    size_t vlen;
    char numbuf[LP_INTBUF_SIZE];
    const Obj *field = c->argv[2];
    if (hash_get(o, field->ptr, sds_len(field->ptr), &v, &vlen, numbuf) &&
        type_parse_long_double(v, vlen, &value) != 0) {
        reply_error(c, HASH_ERR_NOT_FLOAT);
        return;
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        reply_error(c, HASH_ERR_NAN);
        return;
    }
    char buf[LONG_DOUBLE_TEXT_MAX];
    size_t len = type_format_long_double(buf, sizeof(buf), value);
    store(c, db, o, buf, len, "hincrbyfloat");
    reply_bulk(c, buf, len);
    if (propagate_recording()) { /* floats may differ on replay: HSET the text */
        Obj *text = obj_create_string(buf, len);
        propagate_rewrite_fmt(c, "wooo", "HSET", c->argv[1], c->argv[2], text);
        obj_decr_ref(text);
    }
}
