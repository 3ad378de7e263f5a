/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list_pop.c: the list commands that take elements off an end:
 * LPOP, RPOP, LMOVE, RPOPLPUSH, LMPOP and their blocking forms BLPOP,
 * BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP.
 *
 * A blocking form first tries to serve itself exactly as its non-blocking
 * form would; when every key is empty it hands the client to
 * db/blocking.c, which runs the command again once a push signals one of
 * the keys. Argument errors come in Valkey's order (positions and counts
 * before the timeout, the timeout before any key is looked at).
 *
 * Threads: main only.
 */
#include "types/list.h"

#include <limits.h>

#include "db/blocking.h"
#include "db/notify.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "types/args.h"
#include "types/list_internal.h"

/* ---- LPOP / RPOP ---- */

static void pop_generic(Client *c, int where) {
    if (c->argc > 3) {
        reply_error_arity(c);
        return;
    }
    bool has_count = c->argc == 3;
    long long count = 1;
    if (has_count &&
        !type_arg_ll_range(c, c->argv[2], 0, LONG_MAX, &count,
                           "value is out of range, must be positive"))
        return;
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        if (has_count) reply_null_array(c);
        else reply_null(c);
        return;
    }
    if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return;
    if (has_count && count == 0) {
        reply_array_len(c, 0);
        return;
    }
    if (has_count) {
        list_pop_reply_range(c, db, c->argv[1], o, where, (long)count);
        return;
    }
    ListEntry e;
    list_peek(o, where, &e);
    list_reply_entry(c, &e);
    list_pop_discard(o, where);
    notify_keyspace_event(NOTIFY_LIST, where == LIST_HEAD ? "lpop" : "rpop", c->argv[1], db->id);
    if (list_length(o) == 0) {
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->argv[1], db->id);
        db_delete(db, c->argv[1], false);
    } else {
        list_shrink_check(o);
    }
    db_signal_modified(c, db, c->argv[1]);
}

void cmd_lpop(Client *c) {
    pop_generic(c, LIST_HEAD);
}

void cmd_rpop(Client *c) {
    pop_generic(c, LIST_TAIL);
}

/* ---- LMOVE family ---- */

/* Moves one element from the list src (non-empty, a list) to dst_key,
 * replying with it. dst must be the list under dst_key or NULL (checked
 * for WRONGTYPE by the caller). */
static void move_element(Client *c, Db *db, Obj *src_key, Obj *src, Obj *dst_key, Obj *dst,
                         int wherefrom, int whereto) {
    ListEntry e;
    list_peek(src, wherefrom, &e);
    sds value = list_entry_to_sds(&e);
    list_pop_discard(src, wherefrom);
    /* With src == dst the push refills the list popped above, so src is
     * checked for emptiness only after it. */
    if (dst == NULL) dst = db_add(db, dst_key, list_create(), -1);
    Obj *value_obj = obj_create_from_sds(value); /* takes value */
    list_grow_for(dst, &value_obj, 0, 0);
    list_push(dst, whereto, (const unsigned char *)value_obj->ptr, sds_len(value_obj->ptr));
    db_signal_modified(c, db, dst_key);
    notify_keyspace_event(NOTIFY_LIST, whereto == LIST_HEAD ? "lpush" : "rpush", dst_key, db->id);
    blocking_signal_key_ready(db, dst_key);
    reply_bulk(c, value_obj->ptr, sds_len(value_obj->ptr));
    obj_decr_ref(value_obj);
    notify_keyspace_event(NOTIFY_LIST, wherefrom == LIST_HEAD ? "lpop" : "rpop", src_key, db->id);
    if (list_length(src) == 0) {
        notify_keyspace_event(NOTIFY_GENERIC, "del", src_key, db->id);
        db_delete(db, src_key, false);
    } else {
        list_shrink_check(src);
    }
    db_signal_modified(c, db, src_key);
}

/* LMOVE's body once the positions are parsed. Returns false (replying
 * nothing) when the source is missing, so the blocking form may wait. */
static bool try_move(Client *c, int wherefrom, int whereto) {
    Db *db = client_db(c);
    Obj *src = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (src == NULL) return false;
    if (type_reply_if_wrongtype(c, src, OBJ_LIST)) return true;
    Obj *dst = db_lookup_write(db, c->argv[2], LOOKUP_NONE);
    if (type_reply_if_wrongtype(c, dst, OBJ_LIST)) return true;
    move_element(c, db, c->argv[1], src, c->argv[2], dst, wherefrom, whereto);
    return true;
}

void cmd_lmove(Client *c) {
    int wherefrom, whereto;
    if (!list_arg_where(c, c->argv[3], &wherefrom) || !list_arg_where(c, c->argv[4], &whereto))
        return;
    if (!try_move(c, wherefrom, whereto)) reply_null(c);
}

void cmd_rpoplpush(Client *c) {
    if (!try_move(c, LIST_TAIL, LIST_HEAD)) reply_null(c);
}

static void blocking_move(Client *c, int wherefrom, int whereto, Obj *timeout_arg) {
    long long timeout_ms;
    if (!blocking_parse_timeout(c, timeout_arg, &timeout_ms)) return;
    if (try_move(c, wherefrom, whereto)) {
        /* Replayed without blocking: LMOVE, or RPOPLPUSH for BRPOPLPUSH. */
        if (propagate_recording() && c->argc == 6)
            propagate_rewrite_fmt(c, "woooo", "LMOVE", c->argv[1], c->argv[2], c->argv[3],
                                  c->argv[4]);
        else if (propagate_recording())
            propagate_rewrite_fmt(c, "woo", "RPOPLPUSH", c->argv[1], c->argv[2]);
        return;
    }
    if (c->flags & CLIENT_DENY_BLOCKING) {
        reply_null(c); /* BLMOVE's timeout inside MULTI is a null bulk */
        return;
    }
    block_for_keys(c, BLOCKED_LIST, &c->argv[1], 1, timeout_ms);
}

void cmd_blmove(Client *c) {
    int wherefrom, whereto;
    if (!list_arg_where(c, c->argv[3], &wherefrom) || !list_arg_where(c, c->argv[4], &whereto))
        return;
    blocking_move(c, wherefrom, whereto, c->argv[5]);
}

void cmd_brpoplpush(Client *c) {
    blocking_move(c, LIST_TAIL, LIST_HEAD, c->argv[3]);
}

/* ---- multi-key pops ---- */

/* Pops from the first non-empty list of keys[0..numkeys): BLPOP's reply
 * ([key, element]) when count < 0, else LMPOP's ([key, [elements]]).
 * Returns false with nothing replied when every key is empty; true when
 * it replied (the pop, or WRONGTYPE). */
static bool try_pop_first(Client *c, Obj **keys, long numkeys, int where, long count) {
    Db *db = client_db(c);
    for (long j = 0; j < numkeys; j++) {
        Obj *o = db_lookup_write(db, keys[j], LOOKUP_NONE);
        if (o == NULL) continue;
        if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return true;
        reply_array_len(c, 2);
        reply_bulk_obj(c, keys[j]);
        const char *pop_name = where == LIST_HEAD ? "LPOP" : "RPOP";
        if (count >= 0) {
            /* LMPOP/BLMPOP replay as [LR]POP key n (what was popped). */
            long long length = (long long)list_length(o);
            long long popped = length < count ? length : count;
            if (propagate_recording()) propagate_rewrite_fmt(c, "wol", pop_name, keys[j], popped);
            list_pop_reply_range(c, db, keys[j], o, where, count);
            return true;
        }
        if (propagate_recording()) propagate_rewrite_fmt(c, "wo", pop_name, keys[j]); /* BLPOP */
        ListEntry e;
        list_peek(o, where, &e);
        list_reply_entry(c, &e);
        list_pop_discard(o, where);
        notify_keyspace_event(NOTIFY_LIST, where == LIST_HEAD ? "lpop" : "rpop", keys[j], db->id);
        if (list_length(o) == 0) {
            notify_keyspace_event(NOTIFY_GENERIC, "del", keys[j], db->id);
            db_delete(db, keys[j], false);
        } else {
            list_shrink_check(o);
        }
        db_signal_modified(c, db, keys[j]);
        return true;
    }
    return false;
}

static void blocking_pop(Client *c, int where) {
    long long timeout_ms;
    if (!blocking_parse_timeout(c, c->argv[c->argc - 1], &timeout_ms)) return;
    if (try_pop_first(c, &c->argv[1], c->argc - 2, where, -1)) return;
    block_for_keys(c, BLOCKED_LIST, &c->argv[1], c->argc - 2, timeout_ms);
}

void cmd_blpop(Client *c) {
    blocking_pop(c, LIST_HEAD);
}

void cmd_brpop(Client *c) {
    blocking_pop(c, LIST_TAIL);
}

/* Parses `numkeys key... LEFT|RIGHT [COUNT n]` from argv[first]. */
static bool mpop_parse(Client *c, int first, long *numkeys, int *where, long *count) {
    long long n;
    if (!type_arg_ll_range(c, c->argv[first], 1, LONG_MAX, &n, "numkeys should be greater than 0"))
        return false;
    long where_idx = first + 1 + (long)n;
    if (n >= c->argc || where_idx >= c->argc) {
        reply_error_syntax(c);
        return false;
    }
    if (!list_arg_where(c, c->argv[where_idx], where)) return false;
    long long cnt = -1;
    for (long j = where_idx + 1; j < c->argc; j++) {
        if (cnt == -1 && type_arg_is(c->argv[j], "count") && j + 1 < c->argc) {
            j++;
            if (!type_arg_ll_range(c, c->argv[j], 1, LONG_MAX, &cnt,
                                   "count should be greater than 0"))
                return false;
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    *numkeys = (long)n;
    *count = cnt == -1 ? 1 : (long)cnt;
    return true;
}

void cmd_lmpop(Client *c) {
    long numkeys, count;
    int where;
    if (!mpop_parse(c, 1, &numkeys, &where, &count)) return;
    if (!try_pop_first(c, &c->argv[2], numkeys, where, count)) reply_null_array(c);
}

void cmd_blmpop(Client *c) {
    long numkeys, count;
    int where;
    if (!mpop_parse(c, 2, &numkeys, &where, &count)) return;
    long long timeout_ms;
    if (!blocking_parse_timeout(c, c->argv[1], &timeout_ms)) return;
    if (try_pop_first(c, &c->argv[3], numkeys, where, count)) return;
    block_for_keys(c, BLOCKED_LIST, &c->argv[3], (int)numkeys, timeout_ms);
}
