/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/string_set.c: the commands that store a whole string value: SET
 * (with NX, XX, IFEQ, GET and the expire options), SETNX, SETEX, PSETEX,
 * GETSET, MSET and MSETNX.
 *
 * SET key value with no options is the benchmark's hot path: it goes
 * straight to db_set_string, which finds the slot, copies the value into
 * the keyed object (one allocation) and replaces any old value, so it costs
 * one hash lookup and no parsing. The options add one lookup when they
 * need to know what is stored.
 *
 * An expire time already in the past deletes the key instead of storing it,
 * as Valkey does (it would only wait for expiry to remove it).
 *
 * Threads: main only.
 */
#include "types/string.h"

#include <string.h>

#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "types/string_internal.h"

/* How a SET-family command says whether it stored: SET's +OK or null, or
 * SETNX's 1 or 0. */
typedef enum SetReplyStyle { SET_REPLY_OK_OR_NULL, SET_REPLY_ONE_OR_ZERO } SetReplyStyle;

static void reply_set_result(Client *c, SetReplyStyle style, bool stored) {
    if (style == SET_REPLY_ONE_OR_ZERO) reply_ll(c, stored);
    else if (stored) reply_ok(c);
    else reply_null(c);
}

/* True when two string values hold the same bytes (INT values compare by
 * their decimal form, as users see them). */
static bool string_values_equal(const Obj *stored, const Obj *arg) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(stored, buf, &len);
    return len == obj_string_len(arg) && memcmp(p, arg->ptr, len) == 0;
}

/* The common body of SET, SETNX, SETEX, PSETEX. Replies in every case. */
static void set_generic(Client *c, const StringOptions *opts, Obj *key, Obj *val,
                        SetReplyStyle style) {
    Db *db = client_db(c);
    int flags = opts->flags;
    long long when = -1;
    if (opts->expire_arg && string_expire_to_ms(c, opts->expire_arg, flags, &when) != 0) return;

    const bool quiet = (flags & STR_OPT_GET) != 0; /* the old value is the reply */
    Obj *old = NULL;
    if (quiet) {
        old = db_lookup_read(db, key, LOOKUP_NONE);
        if (old && string_reply_if_wrongtype(c, old)) return;
        if (old) reply_bulk_obj(c, old);
        else reply_null(c);
    } else if ((flags & (STR_OPT_NX | STR_OPT_XX | STR_OPT_IFEQ)) ||
               (when >= 0 && when <= db_now_ms)) {
        /* Only conditions and a past expire need to know what is stored;
         * SET EX in the future goes straight to db_set_string. */
        old = db_lookup_write(db, key, LOOKUP_NONE);
    }

    bool blocked = false;
    if (flags & STR_OPT_IFEQ) {
        if (old && !quiet && string_reply_if_wrongtype(c, old)) return;
        blocked = old == NULL || !string_values_equal(old, opts->comparison);
    }
    if (((flags & STR_OPT_NX) && old) || ((flags & STR_OPT_XX) && !old)) blocked = true;
    if (blocked) {
        if (!quiet) reply_set_result(c, style, false);
        return;
    }

    if (when >= 0 && when <= db_now_ms) {
        /* Already expired: storing it would only wait for expiry to delete
         * it. The old value goes as an expired key (counted in expired_keys,
         * freed per lazyfree-lazy-expire), as in Valkey. */
        if (old) db_delete_expired(db, old);
        if (!quiet) reply_ok(c);
        return;
    }
    int set_flags = (flags & STR_OPT_KEEPTTL) ? DB_SET_KEEPTTL : 0;
    db_set_string(db, key, val->ptr, obj_string_len(val), when, set_flags);
    notify_key_changed(c, db, NOTIFY_STRING, "set", key);
    if (when >= 0) notify_keyspace_event(NOTIFY_GENERIC, "expire", key, db->id);
    /* EX, PX, EXAT, SETEX and PSETEX replay as SET key value PXAT <ms>. */
    if (when >= 0 && !(flags & STR_OPT_PXAT) && propagate_recording())
        propagate_rewrite_fmt(c, "woowl", "SET", key, val, "PXAT", when);
    if (!quiet) reply_set_result(c, style, true);
}

void cmd_set(Client *c) {
    if (c->argc == 3) { /* the hot path: no options */
        Db *db = client_db(c);
        db_set_string(db, c->argv[1], c->argv[2]->ptr, obj_string_len(c->argv[2]), -1, 0);
        notify_key_changed(c, db, NOTIFY_STRING, "set", c->argv[1]);
        reply_ok(c);
        return;
    }
    StringOptions opts;
    if (string_parse_options(c, 3, STRING_OPTIONS_SET, &opts) != 0) return;
    set_generic(c, &opts, c->argv[1], c->argv[2], SET_REPLY_OK_OR_NULL);
}

void cmd_setnx(Client *c) {
    StringOptions opts = {.flags = STR_OPT_NX};
    set_generic(c, &opts, c->argv[1], c->argv[2], SET_REPLY_ONE_OR_ZERO);
}

void cmd_setex(Client *c) {
    StringOptions opts = {.flags = STR_OPT_EX, .expire_arg = c->argv[2]};
    set_generic(c, &opts, c->argv[1], c->argv[3], SET_REPLY_OK_OR_NULL);
}

void cmd_psetex(Client *c) {
    StringOptions opts = {.flags = STR_OPT_PX, .expire_arg = c->argv[2]};
    set_generic(c, &opts, c->argv[1], c->argv[3], SET_REPLY_OK_OR_NULL);
}

void cmd_getset(Client *c) {
    Db *db = client_db(c);
    Obj *old = db_lookup_read(db, c->argv[1], LOOKUP_NONE);
    if (old && string_reply_if_wrongtype(c, old)) return;
    if (old) reply_bulk_obj(c, old);
    else reply_null(c);
    db_set_string(db, c->argv[1], c->argv[2]->ptr, obj_string_len(c->argv[2]), -1, 0);
    notify_key_changed(c, db, NOTIFY_STRING, "set", c->argv[1]);
}

/* MSET and MSETNX: pairs of key and value after the command name. */
static void mset_generic(Client *c, bool only_new) {
    if (c->argc % 2 == 0) {
        reply_error_arity(c);
        return;
    }
    Db *db = client_db(c);
    if (only_new) {
        for (int j = 1; j < c->argc; j += 2) {
            if (db_lookup_write(db, c->argv[j], LOOKUP_NONE)) {
                reply_raw(c, ":0\r\n", 4);
                return;
            }
        }
    }
    for (int j = 1; j < c->argc; j += 2) {
        db_set_string(db, c->argv[j], c->argv[j + 1]->ptr, obj_string_len(c->argv[j + 1]), -1, 0);
        notify_key_changed(c, db, NOTIFY_STRING, "set", c->argv[j]);
    }
    if (only_new) reply_raw(c, ":1\r\n", 4);
    else reply_ok(c);
}

void cmd_mset(Client *c) {
    mset_generic(c, false);
}

void cmd_msetnx(Client *c) {
    mset_generic(c, true);
}
