/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list_cmd.c: the list commands that add elements or only read:
 * LPUSH, RPUSH, LPUSHX, RPUSHX, LLEN, LRANGE, LINDEX and LPOS.
 *
 * Pushes check the encoding once for all their arguments (one conversion
 * at most) and wake clients blocked on the key.
 *
 * Threads: main only.
 */
#include "types/list.h"

#include <limits.h>

#include "db/blocking.h"
#include "db/notify.h"
#include "net/reply.h"
#include "types/args.h"
#include "types/list_internal.h"

static void push_generic(Client *c, int where, bool only_existing) {
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return;
    if (o == NULL) {
        if (only_existing) {
            reply_ll(c, 0);
            return;
        }
        o = db_add(db, c->argv[1], list_create(), -1);
    }
    list_grow_for(o, c->argv, 2, c->argc - 1);
    for (int j = 2; j < c->argc; j++) {
        char buf[LP_INTBUF_SIZE];
        size_t len;
        const char *s = obj_string_bytes(c->argv[j], buf, &len);
        list_push(o, where, (const unsigned char *)s, len);
    }
    reply_ll(c, (long long)list_length(o));
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_LIST, where == LIST_HEAD ? "lpush" : "rpush", c->argv[1], db->id);
    blocking_signal_key_ready(db, c->argv[1]);
}

void cmd_lpush(Client *c) {
    push_generic(c, LIST_HEAD, false);
}

void cmd_rpush(Client *c) {
    push_generic(c, LIST_TAIL, false);
}

void cmd_lpushx(Client *c) {
    push_generic(c, LIST_HEAD, true);
}

void cmd_rpushx(Client *c) {
    push_generic(c, LIST_TAIL, true);
}

/* The list under argv[1] for a read, or NULL after replying `missing` (or
 * WRONGTYPE). */
static Obj *lookup_read_or_reply(Client *c, void (*missing)(Client *)) {
    Obj *o = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        missing(c);
        return NULL;
    }
    if (type_reply_if_wrongtype(c, o, OBJ_LIST)) return NULL;
    return o;
}

static void reply_zero(Client *c) {
    reply_ll(c, 0);
}

static void reply_empty_array(Client *c) {
    reply_array_len(c, 0);
}

void cmd_llen(Client *c) {
    Obj *o = lookup_read_or_reply(c, reply_zero);
    if (o) reply_ll(c, (long long)list_length(o));
}

void cmd_lindex(Client *c) {
    long long index;
    /* Valkey parses the index after the lookup, so a missing key answers
     * nil even for a bad index. */
    Obj *o = lookup_read_or_reply(c, reply_null);
    if (o == NULL || !type_arg_ll(c, c->argv[2], &index)) return;
    ListIter it;
    ListEntry e;
    if (index < LONG_MIN || index > LONG_MAX || !list_iter_init(&it, o, (long)index, true)) {
        reply_null(c);
        return;
    }
    list_iter_next(&it, &e);
    list_reply_entry(c, &e);
    list_iter_release(&it);
}

void cmd_lrange(Client *c) {
    long long start, end;
    if (!type_arg_ll(c, c->argv[2], &start) || !type_arg_ll(c, c->argv[3], &end)) return;
    Obj *o = lookup_read_or_reply(c, reply_empty_array);
    if (o == NULL) return;
    long long len = (long long)list_length(o);
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
        reply_array_len(c, 0);
        return;
    }
    if (end >= len) end = len - 1;
    long long count = end - start + 1;
    reply_array_len(c, count);
    /* The iterator finds the start from whichever end is nearer. */
    ListIter it;
    ListEntry e;
    list_iter_init(&it, o, (long)start, true);
    for (long long i = 0; i < count && list_iter_next(&it, &e); i++) list_reply_entry(c, &e);
    list_iter_release(&it);
}

/* ---- LPOS ---- */

#define LPOS_ERR_RANK                                                                             \
    "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "      \
    "negative to start from the end of the list"

typedef struct LposArgs {
    long long rank;    /* 1: first match from the head; -1: first from the tail */
    long long count;   /* -1: no COUNT (reply one index); 0: all matches */
    long long maxlen;  /* 0: scan the whole list */
} LposArgs;

static bool lpos_parse(Client *c, LposArgs *a) {
    a->rank = 1, a->count = -1, a->maxlen = 0;
    for (int j = 3; j < c->argc; j++) {
        bool more = j + 1 < c->argc;
        if (type_arg_is(c->argv[j], "rank") && more) {
            if (!type_arg_ll(c, c->argv[++j], &a->rank)) return false;
            if (a->rank == 0) {
                reply_error(c, LPOS_ERR_RANK);
                return false;
            }
            if (a->rank == LLONG_MIN) {
                reply_error(c, "value is out of range, value must between -9223372036854775807 "
                               "and 9223372036854775807");
                return false;
            }
        } else if (type_arg_is(c->argv[j], "count") && more) {
            if (!type_arg_ll(c, c->argv[++j], &a->count)) return false;
            if (a->count < 0) {
                reply_error(c, "COUNT can't be negative");
                return false;
            }
        } else if (type_arg_is(c->argv[j], "maxlen") && more) {
            if (!type_arg_ll(c, c->argv[++j], &a->maxlen)) return false;
            if (a->maxlen < 0) {
                reply_error(c, "MAXLEN can't be negative");
                return false;
            }
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

void cmd_lpos(Client *c) {
    LposArgs a;
    if (!lpos_parse(c, &a)) return;
    Obj *o = lookup_read_or_reply(c, a.count >= 0 ? reply_empty_array : reply_null);
    if (o == NULL) return;
    char buf[LP_INTBUF_SIZE];
    size_t elen;
    const unsigned char *ele = (const unsigned char *)obj_string_bytes(c->argv[2], buf, &elen);
    bool forward = a.rank > 0;
    long long skip = (forward ? a.rank : -a.rank) - 1; /* matches to pass over */
    long long len = (long long)list_length(o);
    void *deferred = a.count >= 0 ? reply_defer_len(c) : NULL;
    long long matches = 0, index = -1;
    ListIter it;
    ListEntry e;
    list_iter_init(&it, o, forward ? 0 : -1, forward);
    for (long long scanned = 0; list_iter_next(&it, &e); scanned++) {
        if (a.maxlen && scanned >= a.maxlen) break;
        if (!list_entry_equals(&e, ele, elen)) continue;
        if (skip > 0) {
            skip--;
            continue;
        }
        long long pos = forward ? scanned : len - 1 - scanned;
        if (a.count < 0) {
            index = pos;
            break;
        }
        reply_ll(c, pos);
        matches++;
        if (a.count && matches == a.count) break;
    }
    list_iter_release(&it);
    if (deferred) reply_set_defer_array_len(c, deferred, matches);
    else if (index >= 0) reply_ll(c, index);
    else reply_null(c);
}
