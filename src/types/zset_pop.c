/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_pop.c: taking members out from either end (ZPOPMIN, ZPOPMAX,
 * ZMPOP and their blocking forms BZPOPMIN, BZPOPMAX, BZMPOP) and picking
 * random members (ZRANDMEMBER).
 *
 * A blocking pop first tries to serve itself like its non-blocking twin;
 * only when every key is missing or empty does it call block_for_keys
 * (db/blocking.h), which re-runs the command when a key is signalled.
 *
 * Threads: main only.
 */
#include "types/zset.h"

#include <limits.h>
#include <stdlib.h>

#include "db/blocking.h"
#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/zset_internal.h"

/* How a pop replies its members. */
#define POP_FLAT 0   /* member, score, member, score ... */
#define POP_NESTED 1 /* [member, score] pairs in RESP3, flat in RESP2 */
#define POP_PAIRS 2  /* [member, score] pairs in both protocols (ZMPOP) */

/* Pops up to count members from o's min (or max) end and replies them.
 * Sends the events and deletes the key if it empties. */
static void pop_and_reply(Client *c, Obj *key, Obj *o, bool max, long count, int style) {
    long length = (long)zset_length(o);
    if (count > length) count = length;
    bool pairs = style == POP_PAIRS || (style == POP_NESTED && c->resp > 2);
    reply_array_len(c, pairs ? count : count * 2);
    ZsetIter it;
    zset_iter_at_rank(&it, o, 0, max);
    for (long i = 0; i < count && zset_iter_valid(&it); i++, zset_iter_next(&it)) {
        ZsetElem e;
        zset_iter_get(&it, &e);
        if (pairs) reply_array_len(c, 2);
        zset_reply_member(c, &e);
        reply_double(c, e.score);
    }
    if (count == 0) return;
    if (max)
        zset_delete_rank_range(o, length - count, length - 1);
    else
        zset_delete_rank_range(o, 0, count - 1);
    Db *db = client_db(c);
    notify_keyspace_event(NOTIFY_ZSET, max ? "zpopmax" : "zpopmin", key, db->id);
    zset_delete_if_empty(c, key, o);
    db_signal_modified(c, db, key);
}

/* The first key of keys[0..numkeys) holding a non-empty zset; NULL when
 * none does, or after replying WRONGTYPE (*failed set) for a key of another
 * type met first. */
static Obj *first_nonempty(Client *c, Obj **keys, int numkeys, int *which, bool *failed) {
    Db *db = client_db(c);
    *failed = false;
    for (int i = 0; i < numkeys; i++) {
        Obj *o = db_lookup_write(db, keys[i], LOOKUP_NONE);
        if (o == NULL) continue;
        if (type_reply_if_wrongtype(c, o, OBJ_ZSET)) {
            *failed = true;
            return NULL;
        }
        if (zset_length(o) == 0) continue;
        *which = i;
        return o;
    }
    return NULL;
}

static void zpop_generic(Client *c, bool max) {
    long long count = 1;
    if (c->argc > 3) {
        reply_error_syntax(c);
        return;
    }
    /* A bad count of any kind gets the one message, as in Valkey. */
    if (c->argc == 3 && !type_arg_ll_range(c, c->argv[2], 0, LLONG_MAX, &count,
                                           "value is out of range, must be positive"))
        return;
    Obj *key = c->argv[1];
    Obj *o = db_lookup_write(client_db(c), key, LOOKUP_NONE);
    if (type_reply_if_wrongtype(c, o, OBJ_ZSET)) return;
    if (o == NULL || count == 0) {
        reply_array_len(c, 0);
        return;
    }
    pop_and_reply(c, key, o, max, (long)count, c->argc == 3 ? POP_NESTED : POP_FLAT);
}

void cmd_zpopmin(Client *c) {
    zpop_generic(c, false);
}

void cmd_zpopmax(Client *c) {
    zpop_generic(c, true);
}

/* BZPOPMIN / BZPOPMAX key [key ...] timeout. */
static void bzpop_generic(Client *c, bool max) {
    long long timeout;
    if (!blocking_parse_timeout(c, c->argv[c->argc - 1], &timeout)) return;
    int numkeys = c->argc - 2;
    int which;
    bool failed;
    Obj *o = first_nonempty(c, c->argv + 1, numkeys, &which, &failed);
    if (failed) return;
    if (o == NULL) {
        block_for_keys(c, BLOCKED_ZSET, c->argv + 1, numkeys, timeout);
        return;
    }
    Obj *key = c->argv[1 + which];
    long length = (long)zset_length(o);
    ZsetIter it;
    zset_iter_at_rank(&it, o, 0, max);
    ZsetElem e;
    zset_iter_get(&it, &e);
    reply_array_len(c, 3);
    reply_bulk_obj(c, key);
    zset_reply_member(c, &e);
    reply_double(c, e.score);
    zset_delete_rank_range(o, max ? length - 1 : 0, max ? length - 1 : 0);
    if (propagate_recording()) propagate_rewrite_fmt(c, "wo", max ? "ZPOPMAX" : "ZPOPMIN", key);
    Db *db = client_db(c);
    notify_keyspace_event(NOTIFY_ZSET, max ? "zpopmax" : "zpopmin", key, db->id);
    zset_delete_if_empty(c, key, o);
    db_signal_modified(c, db, key);
}

void cmd_bzpopmin(Client *c) {
    bzpop_generic(c, false);
}

void cmd_bzpopmax(Client *c) {
    bzpop_generic(c, true);
}

/* ZMPOP / BZMPOP: numkeys at argv[idx], keys, MIN|MAX, [COUNT count]. */
static void zmpop_generic(Client *c, int idx, bool blocking, long long timeout) {
    long long numkeys, count = 1;
    if (!type_arg_ll_range(c, c->argv[idx], 1, LONG_MAX, &numkeys,
                           "numkeys should be greater than 0"))
        return;
    int where_idx = idx + 1 + (int)(numkeys < c->argc ? numkeys : c->argc);
    if (numkeys > c->argc - idx - 2) {
        reply_error_syntax(c);
        return;
    }
    bool max;
    if (type_arg_is(c->argv[where_idx], "min")) {
        max = false;
    } else if (type_arg_is(c->argv[where_idx], "max")) {
        max = true;
    } else {
        reply_error_syntax(c);
        return;
    }
    bool has_count = false;
    for (int j = where_idx + 1; j < c->argc; j++) {
        if (!has_count && type_arg_is(c->argv[j], "count") && j + 1 < c->argc) {
            if (!type_arg_ll_range(c, c->argv[j + 1], 1, LONG_MAX, &count,
                                   "count should be greater than 0"))
                return;
            has_count = true;
            j++;
        } else {
            reply_error_syntax(c);
            return;
        }
    }
    int which;
    bool failed;
    Obj *o = first_nonempty(c, c->argv + idx + 1, (int)numkeys, &which, &failed);
    if (failed) return;
    if (o == NULL) {
        if (blocking)
            block_for_keys(c, BLOCKED_ZSET, c->argv + idx + 1, (int)numkeys, timeout);
        else
            reply_null_array(c);
        return;
    }
    Obj *key = c->argv[idx + 1 + which];
    reply_array_len(c, 2);
    reply_bulk_obj(c, key);
    if (propagate_recording()) { /* replays as ZPOPMIN|ZPOPMAX key n, what was popped */
        long long popped = (long long)zset_length(o) < count ? (long long)zset_length(o) : count;
        propagate_rewrite_fmt(c, "wol", max ? "ZPOPMAX" : "ZPOPMIN", key, popped);
    }
    pop_and_reply(c, key, o, max, (long)count, POP_PAIRS);
}

void cmd_zmpop(Client *c) {
    zmpop_generic(c, 1, false, 0);
}

void cmd_bzmpop(Client *c) {
    long long timeout;
    if (!blocking_parse_timeout(c, c->argv[1], &timeout)) return;
    zmpop_generic(c, 2, true, timeout);
}

/* ---- ZRANDMEMBER ---- */

static uint64_t random_u64(void) {
    return ((uint64_t)random() << 33) ^ ((uint64_t)random() << 11) ^ (uint64_t)random();
}

static void reply_rank(Client *c, Obj *o, long rank, bool withscores) {
    ZsetIter it;
    zset_iter_at_rank(&it, o, rank, false);
    ZsetElem e;
    zset_iter_get(&it, &e);
    zset_reply_elem(c, &e, withscores);
}

/* count distinct random ranks out of length (count < length): a partial
 * Fisher-Yates shuffle of the ranks when count is a large share, else
 * rejection sampling through a small open-addressed set. */
static void reply_distinct(Client *c, Obj *o, long length, long count, bool withscores) {
    reply_array_len(c, zset_reply_len(c, count, withscores));
    if (count * 3 > length) {
        long *ranks = mem_alloc(sizeof(long) * (size_t)length);
        for (long i = 0; i < length; i++) ranks[i] = i;
        for (long i = 0; i < count; i++) {
            long j = i + (long)(random_u64() % (uint64_t)(length - i));
            long t = ranks[i];
            ranks[i] = ranks[j];
            ranks[j] = t;
            reply_rank(c, o, ranks[i], withscores);
        }
        mem_free(ranks);
        return;
    }
    size_t slots = 16;
    while (slots < (size_t)count * 2) slots *= 2;
    long *seen = mem_alloc(sizeof(long) * slots);
    for (size_t i = 0; i < slots; i++) seen[i] = -1;
    for (long picked = 0; picked < count;) {
        long rank = (long)(random_u64() % (uint64_t)length);
        size_t h = ((uint64_t)rank * 0x9e3779b97f4a7c15ull) & (slots - 1);
        while (seen[h] != -1 && seen[h] != rank) h = (h + 1) & (slots - 1);
        if (seen[h] == rank) continue;
        seen[h] = rank;
        reply_rank(c, o, rank, withscores);
        picked++;
    }
    mem_free(seen);
}

void cmd_zrandmember(Client *c) {
    if (c->argc > 4 || (c->argc == 4 && !type_arg_is(c->argv[3], "withscores"))) {
        reply_error_syntax(c);
        return;
    }
    bool withscores = c->argc == 4;
    long long count = 0;
    if (c->argc >= 3) {
        if (!type_arg_ll(c, c->argv[2], &count)) return;
        if (withscores && count < -LONG_MAX / 2) {
            reply_error(c, "value is out of range");
            return;
        }
    }
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    if (c->argc == 2) {
        if (o == NULL) {
            reply_null(c);
            return;
        }
        reply_rank(c, o, (long)(random_u64() % zset_length(o)), false);
        return;
    }
    if (o == NULL || count == 0) {
        reply_array_len(c, 0);
        return;
    }
    long length = (long)zset_length(o);
    if (count < 0) {
        reply_array_len(c, zset_reply_len(c, (long)-count, withscores));
        for (long long i = 0; i < -count; i++)
            reply_rank(c, o, (long)(random_u64() % (uint64_t)length), withscores);
        return;
    }
    if (count >= length) {
        reply_array_len(c, zset_reply_len(c, length, withscores));
        ZsetIter it;
        for (zset_iter_at_rank(&it, o, 0, false); zset_iter_valid(&it); zset_iter_next(&it)) {
            ZsetElem e;
            zset_iter_get(&it, &e);
            zset_reply_elem(c, &e, withscores);
        }
        return;
    }
    reply_distinct(c, o, length, (long)count, withscores);
}
