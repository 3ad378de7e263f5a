/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/string_incr.c: the counters: INCR, DECR, INCRBY, DECRBY and
 * INCRBYFLOAT.
 *
 * An INT-encoded value is changed in place (no allocation, the expire
 * stays); any other value is parsed and replaced, keeping its TTL. The
 * integer forms refuse to overflow a signed 64-bit value; INCRBYFLOAT works
 * in long double and stores Valkey's "human" decimal form (17 digits after
 * the point, trailing zeros dropped), so the text reads back the same on
 * every replica.
 *
 * Threads: main only.
 */
#include "types/string.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/evict.h"
#include "db/notify.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "types/args.h"
#include "types/string_internal.h"


/* The integer value of a stored string; -1 after replying the error. */
static int stored_ll(Client *c, const Obj *o, long long *value) {
    if (o->encoding == OBJ_ENCODING_INT) {
        *value = (long long)(intptr_t)o->ptr;
        return 0;
    }
    if (strnum_to_ll(o->ptr, obj_string_len(o), value) == 0) return 0;
    reply_error(c, ERR_NOT_INTEGER);
    return -1;
}

static void incr_by(Client *c, long long incr) {
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    long long value = 0;
    if (o) {
        if (string_reply_if_wrongtype(c, o)) return;
        if (stored_ll(c, o, &value) != 0) return;
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        reply_error(c, "increment or decrement would overflow");
        return;
    }
    value += incr;
    if (o && o->encoding == OBJ_ENCODING_INT && o->refcount == 1) {
        o->ptr = (void *)(intptr_t)value; /* in place: same key, same expire */
    } else {
        char buf[24];
        size_t len = strnum_from_ll(buf, value);
        db_set_string(db, c->argv[1], buf, len, -1, DB_SET_KEEPTTL);
    }
    notify_key_changed(c, db, NOTIFY_STRING, "incrby", c->argv[1]);
    reply_ll(c, value);
}

void cmd_incr(Client *c) {
    incr_by(c, 1);
}

void cmd_decr(Client *c) {
    incr_by(c, -1);
}

void cmd_incrby(Client *c) {
    long long incr;
    if (string_arg_ll(c, c->argv[2], &incr) != 0) return;
    incr_by(c, incr);
}

void cmd_decrby(Client *c) {
    long long decr;
    if (string_arg_ll(c, c->argv[2], &decr) != 0) return;
    if (decr == LLONG_MIN) { /* -LLONG_MIN does not exist */
        reply_error(c, "decrement would overflow");
        return;
    }
    incr_by(c, -decr);
}

/* ---- INCRBYFLOAT ---- */

/* The long double value of a stored string; -1 after replying the error. */
static int stored_long_double(Client *c, const Obj *o, long double *value) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(o, buf, &len);
    if (type_parse_long_double(p, len, value) == 0) return 0;
    reply_error(c, ERR_NOT_FLOAT);
    return -1;
}

/* Stores text under key in place of old (NULL if none), keeping old's
 * expire. Unlike db_set_string it keeps text that spells an integer as a
 * string: Valkey reports INCRBYFLOAT's "3" as "embstr", not "int". */
static void store_as_text(Db *db, Obj *key, const Obj *old, const char *text, size_t len) {
    size_t klen;
    const char *k = obj_key(key, &klen);
    Obj *bare = obj_create_string(text, len); /* EMBSTR up to 44 bytes, else RAW */
    Obj *stored = obj_duplicate_keyed(bare, k, klen, old ? obj_get_expire(old) : -1);
    obj_decr_ref(bare);
    evict_init_object(stored);
    db_insert_keyed(db, stored);
}

void cmd_incrbyfloat(Client *c) {
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    long double value = 0, incr;
    if (o) {
        if (string_reply_if_wrongtype(c, o)) return;
        if (stored_long_double(c, o, &value) != 0) return;
    }
    if (stored_long_double(c, c->argv[2], &incr) != 0) return;
    value += incr;
    if (isnan(value) || isinf(value)) {
        reply_error(c, "increment would produce NaN or Infinity");
        return;
    }
    char buf[LONG_DOUBLE_TEXT_MAX];
    size_t len = type_format_long_double(buf, sizeof(buf), value);
    store_as_text(db, c->argv[1], o, buf, len);
    notify_key_changed(c, db, NOTIFY_STRING, "incrbyfloat", c->argv[1]);
    reply_bulk(c, buf, len);
    /* Float arithmetic may differ where the AOF is replayed: store the
     * text, keeping the TTL. */
    if (propagate_recording()) {
        Obj *text = obj_create_string(buf, len);
        propagate_rewrite_fmt(c, "woow", "SET", c->argv[1], text, "KEEPTTL");
        obj_decr_ref(text);
    }
}
