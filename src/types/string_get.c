/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/string_get.c: the commands that read a string value: GET, GETEX,
 * GETDEL, MGET, STRLEN, GETRANGE and SUBSTR.
 *
 * GET is the benchmark's other hot path: one hash lookup (which also does
 * lazy expiry and the hit/miss counters) and one bulk reply copied straight
 * from the stored value, or formatted without snprintf for INT values.
 *
 * Threads: main only.
 */
#include "types/string.h"

#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "types/string_internal.h"

void cmd_get(Client *c) {
    Obj *o = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_null(c);
        return;
    }
    if (string_reply_if_wrongtype(c, o)) return;
    reply_bulk_obj(c, o);
}

void cmd_getex(Client *c) {
    StringOptions opts;
    if (string_parse_options(c, 2, STRING_OPTIONS_GETEX, &opts) != 0) return;
    long long when = -1;
    if (opts.expire_arg && string_expire_to_ms(c, opts.expire_arg, opts.flags, &when) != 0) return;

    Db *db = client_db(c);
    Obj *o = db_lookup_read(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_null(c);
        return;
    }
    if (string_reply_if_wrongtype(c, o)) return;
    reply_bulk_obj(c, o); /* before the key may be deleted */
    if ((opts.flags & (STR_OPT_EXAT | STR_OPT_PXAT)) && when <= db_now_ms) {
        /* An absolute time already past deletes the key as expired (counted
         * in expired_keys), as Valkey does. */
        db_delete_expired(db, o);
    } else if (when >= 0) {
        db_set_expire(db, o, when);
        notify_key_changed(c, db, NOTIFY_GENERIC, "expire", c->argv[1]);
        if (propagate_recording()) propagate_rewrite_fmt(c, "wol", "PEXPIREAT", c->argv[1], when);
    } else if ((opts.flags & STR_OPT_PERSIST) && obj_get_expire(o) >= 0) {
        db_set_expire(db, o, -1);
        notify_key_changed(c, db, NOTIFY_GENERIC, "persist", c->argv[1]);
        if (propagate_recording()) propagate_rewrite_fmt(c, "wo", "PERSIST", c->argv[1]);
    }
}

void cmd_getdel(Client *c) {
    Db *db = client_db(c);
    Obj *o = db_lookup_read(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_null(c);
        return;
    }
    if (string_reply_if_wrongtype(c, o)) return;
    reply_bulk_obj(c, o);
    db_delete(db, c->argv[1], false);
    notify_key_changed(c, db, NOTIFY_GENERIC, "del", c->argv[1]);
}

void cmd_mget(Client *c) {
    Db *db = client_db(c);
    reply_array_len(c, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        Obj *o = db_lookup_read(db, c->argv[j], LOOKUP_NONE);
        if (o == NULL || o->type != OBJ_STRING) reply_null(c);
        else reply_bulk_obj(c, o);
    }
}

void cmd_strlen(Client *c) {
    Obj *o = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_ll(c, 0);
        return;
    }
    if (string_reply_if_wrongtype(c, o)) return;
    reply_ll(c, (long long)obj_string_length(o));
}

/* GETRANGE key start end (and SUBSTR): inclusive byte range, negative
 * indexes counted from the end, clamped to the string. */
void cmd_getrange(Client *c) {
    long long start, end;
    if (string_arg_ll(c, c->argv[2], &start) != 0) return;
    if (string_arg_ll(c, c->argv[3], &end) != 0) return;
    Obj *o = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_bulk(c, "", 0);
        return;
    }
    if (string_reply_if_wrongtype(c, o)) return;

    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(o, buf, &len);
    long long slen = (long long)len;
    if (start < 0 && end < 0 && start > end) {
        reply_bulk(c, "", 0);
        return;
    }
    if (start < 0) start += slen;
    if (end < 0) end += slen;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= slen) end = slen - 1;
    if (slen == 0 || start > end) {
        reply_bulk(c, "", 0);
        return;
    }
    reply_bulk(c, p + start, (size_t)(end - start + 1));
}
