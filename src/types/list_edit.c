/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list_edit.c: the list commands that change elements in place or
 * cut the list: LSET, LINSERT, LREM and LTRIM.
 *
 * Each keeps Valkey's order of checks (which argument errors come before
 * the key lookup) and deletes a list it empties.
 *
 * Threads: main only.
 */
#include "types/list.h"

#include <limits.h>

#include "db/notify.h"
#include "net/reply.h"
#include "types/args.h"
#include "types/list_internal.h"

/* After a removal: deletes the key if the list is empty (with its "del"
 * event), else lets a small quicklist become a listpack again. */
static void after_removal(Db *db, Obj *key, Obj *o) {
    if (list_length(o) == 0) {
        notify_keyspace_event(NOTIFY_GENERIC, "del", key, db->id);
        db_delete(db, key, false);
    } else {
        list_shrink_check(o);
    }
}

void cmd_lset(Client *c) {
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_error(c, "no such key");
        return;
    }
    if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return;
    long long index;
    if (!type_arg_ll(c, c->argv[2], &index)) return;
    long long len = (long long)list_length(o);
    if (index >= len || index < -len) {
        reply_error(c, "index out of range");
        return;
    }
    list_grow_for(o, c->argv, 3, 3);
    char buf[LP_INTBUF_SIZE];
    size_t vlen;
    const char *value = obj_string_bytes(c->argv[3], buf, &vlen);
    list_replace(o, (long)index, (const unsigned char *)value, vlen);
    list_shrink_check(o);
    reply_ok(c);
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_LIST, "lset", c->argv[1], db->id);
}

void cmd_linsert(Client *c) {
    bool after;
    if (type_arg_is(c->argv[2], "after")) {
        after = true;
    } else if (type_arg_is(c->argv[2], "before")) {
        after = false;
    } else {
        reply_error_syntax(c);
        return;
    }
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_ll(c, 0);
        return;
    }
    if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return;
    list_grow_for(o, c->argv, 4, 4);
    char pbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
    size_t plen, vlen;
    const char *pivot = obj_string_bytes(c->argv[3], pbuf, &plen);
    const char *value = obj_string_bytes(c->argv[4], vbuf, &vlen);
    ListIter it;
    ListEntry e;
    bool inserted = false;
    list_iter_init(&it, o, 0, true);
    while (list_iter_next(&it, &e)) {
        if (list_entry_equals(&e, (const unsigned char *)pivot, plen)) {
            list_iter_insert(&it, &e, after, (const unsigned char *)value, vlen);
            inserted = true;
            break;
        }
    }
    list_iter_release(&it);
    if (!inserted) {
        reply_ll(c, -1);
        return;
    }
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_LIST, "linsert", c->argv[1], db->id);
    reply_ll(c, (long long)list_length(o));
}

void cmd_lrem(Client *c) {
    long long count;
    if (!type_arg_ll(c, c->argv[2], &count)) return;
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_ll(c, 0);
        return;
    }
    if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return;
    char buf[LP_INTBUF_SIZE];
    size_t elen;
    const char *ele = obj_string_bytes(c->argv[3], buf, &elen);
    bool forward = count >= 0;
    unsigned long long limit = count == 0 ? ULLONG_MAX
                               : count > 0 ? (unsigned long long)count
                                           : (unsigned long long)(-(count + 1)) + 1;
    long long removed = 0;
    ListIter it;
    ListEntry e;
    list_iter_init(&it, o, forward ? 0 : -1, forward);
    while ((unsigned long long)removed < limit && list_iter_next(&it, &e)) {
        if (list_entry_equals(&e, (const unsigned char *)ele, elen)) {
            list_iter_delete(&it, &e);
            removed++;
        }
    }
    list_iter_release(&it);
    if (removed) {
        notify_keyspace_event(NOTIFY_LIST, "lrem", c->argv[1], db->id);
        after_removal(db, c->argv[1], o);
        db_signal_modified(c, db, c->argv[1]);
    }
    reply_ll(c, removed);
}

void cmd_ltrim(Client *c) {
    long long start, end;
    if (!type_arg_ll(c, c->argv[2], &start) || !type_arg_ll(c, c->argv[3], &end)) return;
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_ok(c);
        return;
    }
    if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return;
    long long len = (long long)list_length(o);
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    long long ltrim, rtrim;
    if (start > end || start >= len) {
        ltrim = len; /* everything goes */
        rtrim = 0;
    } else {
        if (end >= len) end = len - 1;
        ltrim = start;
        rtrim = len - end - 1;
    }
    if (ltrim) list_delete_range(o, 0, (unsigned long)ltrim);
    if (rtrim) list_delete_range(o, -(long)rtrim, (unsigned long)rtrim);
    notify_keyspace_event(NOTIFY_LIST, "ltrim", c->argv[1], db->id);
    after_removal(db, c->argv[1], o);
    db_signal_modified(c, db, c->argv[1]);
    reply_ok(c);
}
