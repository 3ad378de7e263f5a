/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/string_edit.c: the commands that change part of a string in place:
 * APPEND and SETRANGE.
 *
 * Both make the stored value writable first (db_unshare_string turns an INT
 * or embedded value into an sds of its own, so OBJECT ENCODING says "raw"
 * afterwards, as in Valkey) and then grow it; the sds grows geometrically,
 * so appending in a loop is amortized O(1). The result may not exceed
 * proto-max-bulk-len (512MB by default).
 *
 * Threads: main only.
 */
#include "types/string.h"

#include <string.h>

#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "types/string_internal.h"

void cmd_append(Client *c) {
    Db *db = client_db(c);
    Obj *key = c->argv[1];
    const Obj *tail = c->argv[2];
    size_t tail_len = obj_string_len(tail);
    Obj *o = db_lookup_write(db, key, LOOKUP_NONE);
    if (o == NULL) {
        /* A new key stores the argument as SET would (an INT if it is one). */
        db_set_string(db, key, tail->ptr, tail_len, -1, 0);
        notify_key_changed(c, db, NOTIFY_STRING, "append", key);
        reply_ll(c, (long long)tail_len);
        return;
    }
    if (string_reply_if_wrongtype(c, o)) return;
    if (string_check_length(c, (long long)obj_string_length(o), (long long)tail_len) != 0) return;
    o = db_unshare_string(db, o);
    o->ptr = sds_cat_len(o->ptr, tail->ptr, tail_len);
    notify_key_changed(c, db, NOTIFY_STRING, "append", key);
    reply_ll(c, (long long)sds_len(o->ptr));
}

/* SETRANGE key offset value: overwrites from offset, padding with zero
 * bytes when the string is shorter. */
void cmd_setrange(Client *c) {
    Db *db = client_db(c);
    Obj *key = c->argv[1];
    const Obj *patch = c->argv[3];
    size_t patch_len = obj_string_len(patch);
    long long offset;
    if (string_arg_ll(c, c->argv[2], &offset) != 0) return;
    if (offset < 0) {
        reply_error(c, "offset is out of range");
        return;
    }
    Obj *o = db_lookup_write(db, key, LOOKUP_NONE);
    if (o == NULL) {
        if (patch_len == 0) { /* nothing to write: the key is not created */
            reply_ll(c, 0);
            return;
        }
        if (string_check_length(c, offset, (long long)patch_len) != 0) return;
        /* Start from an empty value; it becomes RAW below, as in Valkey. */
        o = db_set_string(db, key, "", 0, -1, 0);
    } else {
        if (string_reply_if_wrongtype(c, o)) return;
        size_t old_len = obj_string_length(o);
        if (patch_len == 0) {
            reply_ll(c, (long long)old_len);
            return;
        }
        if (string_check_length(c, offset, (long long)patch_len) != 0) return;
    }
    o = db_unshare_string(db, o);
    sds value = o->ptr;
    size_t needed = (size_t)offset + patch_len;
    size_t len = sds_len(value);
    if (needed > len) {
        value = sds_make_room(value, needed - len);
        memset(value + len, 0, needed - len); /* the gap is zero bytes */
        sds_incr_len(value, (long)(needed - len));
    }
    memcpy(value + offset, patch->ptr, patch_len);
    o->ptr = value;
    notify_key_changed(c, db, NOTIFY_STRING, "setrange", key);
    reply_ll(c, (long long)sds_len(value));
}
