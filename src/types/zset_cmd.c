/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_cmd.c: the sorted set commands on single members: ZADD,
 * ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK and ZREVRANK.
 *
 * ZADD checks every argument (flags, then every score) before touching the
 * key, as Valkey does, so a bad score changes nothing.
 *
 * Threads: main only.
 */
#include "types/zset.h"

#include <strings.h>

#include "db/blocking.h"
#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/zset_internal.h"

#define ERR_NAN "resulting score is not a number (NaN)"

/* Parses ZADD's flags from argv[2]; returns the index of the first score. */
static int parse_zadd_flags(Client *c, int *flags, bool *ch) {
    int idx = 2;
    for (; idx < c->argc; idx++) {
        const Obj *arg = c->argv[idx];
        if (type_arg_is(arg, "nx"))
            *flags |= ZADD_IN_NX;
        else if (type_arg_is(arg, "xx"))
            *flags |= ZADD_IN_XX;
        else if (type_arg_is(arg, "gt"))
            *flags |= ZADD_IN_GT;
        else if (type_arg_is(arg, "lt"))
            *flags |= ZADD_IN_LT;
        else if (type_arg_is(arg, "ch"))
            *ch = true;
        else if (type_arg_is(arg, "incr"))
            *flags |= ZADD_IN_INCR;
        else
            break;
    }
    return idx;
}

/* Checks the flag combinations; replies the error and returns false. */
static bool check_zadd_flags(Client *c, int flags, int elements) {
    if ((flags & ZADD_IN_NX) && (flags & ZADD_IN_XX)) {
        reply_error(c, "XX and NX options at the same time are not compatible");
        return false;
    }
    int exclusive = !!(flags & ZADD_IN_GT) + !!(flags & ZADD_IN_LT) + !!(flags & ZADD_IN_NX);
    if (exclusive > 1) {
        reply_error(c, "GT, LT, and/or NX options at the same time are not compatible");
        return false;
    }
    if ((flags & ZADD_IN_INCR) && elements > 1) {
        reply_error(c, "INCR option supports a single increment-element pair");
        return false;
    }
    return true;
}

static void zadd_generic(Client *c, int flags) {
    bool ch = false;
    int idx = parse_zadd_flags(c, &flags, &ch);
    int elements = c->argc - idx;
    if (elements == 0 || elements % 2) {
        reply_error_syntax(c);
        return;
    }
    elements /= 2;
    if (!check_zadd_flags(c, flags, elements)) return;

    double scores_small[16];
    double *scores = elements <= 16 ? scores_small : mem_alloc(sizeof(double) * elements);
    size_t max_len = 0;
    for (int i = 0; i < elements; i++) {
        if (!type_arg_double(c, c->argv[idx + 2 * i], &scores[i])) goto done;
        size_t len = sds_len(c->argv[idx + 2 * i + 1]->ptr);
        if (len > max_len) max_len = len;
    }

    Db *db = client_db(c);
    Obj *key = c->argv[1];
    Obj *o = db_lookup_write(db, key, LOOKUP_NONE);
    if (type_reply_if_wrongtype(c, o, OBJ_ZSET)) goto done;
    bool incr = flags & ZADD_IN_INCR;
    long long added = 0, updated = 0, processed = 0;
    double score = 0;
    if (o == NULL) {
        if (flags & ZADD_IN_XX) goto reply;
        o = db_add(db, key, zset_create((size_t)elements, max_len), -1);
    }
    for (int i = 0; i < elements; i++) {
        sds m = c->argv[idx + 2 * i + 1]->ptr;
        int out;
        if (!zset_add(o, scores[i], m, sds_len(m), flags, &out, &score)) {
            reply_error(c, ERR_NAN);
            goto notify;
        }
        if (out & ZADD_OUT_ADDED) added++;
        if (out & ZADD_OUT_UPDATED) updated++;
        if (!(out & ZADD_OUT_NOP)) processed++;
    }
reply:
    if (incr) {
        if (processed)
            reply_double(c, score);
        else
            reply_null(c);
    } else {
        reply_ll(c, ch ? added + updated : added);
    }
notify:
    if (added || updated) {
        db_signal_modified(c, db, key);
        notify_keyspace_event(NOTIFY_ZSET, incr ? "zincr" : "zadd", key, db->id);
        if (added) blocking_signal_key_ready(db, key);
    }
    if (o && zset_length(o) == 0) db_delete(db, key, false); /* created, nothing added */
done:
    if (scores != scores_small) mem_free(scores);
}

void cmd_zadd(Client *c) {
    zadd_generic(c, 0);
}

void cmd_zincrby(Client *c) {
    zadd_generic(c, ZADD_IN_INCR);
}

void cmd_zrem(Client *c) {
    Db *db = client_db(c);
    Obj *key = c->argv[1];
    Obj *o = db_lookup_write(db, key, LOOKUP_NONE);
    if (type_reply_if_wrongtype(c, o, OBJ_ZSET)) return;
    long long deleted = 0;
    if (o) {
        for (int i = 2; i < c->argc; i++) {
            sds m = c->argv[i]->ptr;
            if (zset_remove(o, m, sds_len(m))) deleted++;
            if (zset_length(o) == 0) break;
        }
    }
    if (deleted) {
        notify_keyspace_event(NOTIFY_ZSET, "zrem", key, db->id);
        zset_delete_if_empty(c, key, o);
        db_signal_modified(c, db, key);
    }
    reply_ll(c, deleted);
}

void cmd_zcard(Client *c) {
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    reply_ll(c, o ? (long long)zset_length(o) : 0);
}

void cmd_zscore(Client *c) {
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    double score;
    sds m = c->argv[2]->ptr;
    if (o && zset_score(o, m, sds_len(m), &score))
        reply_double(c, score);
    else
        reply_null(c);
}

void cmd_zmscore(Client *c) {
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    reply_array_len(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        double score;
        sds m = c->argv[i]->ptr;
        if (o && zset_score(o, m, sds_len(m), &score))
            reply_double(c, score);
        else
            reply_null(c);
    }
}

static void zrank_generic(Client *c, bool reverse) {
    bool withscore = false;
    if (c->argc > 4 || (c->argc == 4 && !type_arg_is(c->argv[3], "withscore"))) {
        reply_error_syntax(c);
        return;
    }
    withscore = c->argc == 4;
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    sds m = c->argv[2]->ptr;
    double score = 0;
    long rank = o ? zset_rank(o, m, sds_len(m), reverse, &score) : -1;
    if (rank < 0) {
        if (withscore)
            reply_null_array(c);
        else
            reply_null(c);
        return;
    }
    if (withscore) {
        reply_array_len(c, 2);
        reply_ll(c, rank);
        reply_double(c, score);
    } else {
        reply_ll(c, rank);
    }
}

void cmd_zrank(Client *c) {
    zrank_generic(c, false);
}

void cmd_zrevrank(Client *c) {
    zrank_generic(c, true);
}
