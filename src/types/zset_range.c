/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_range.c: the range commands: ZRANGE (rank, BYSCORE, BYLEX,
 * REV, LIMIT, WITHSCORES) and its older spellings, ZRANGESTORE, ZCOUNT,
 * ZLEXCOUNT and the ZREMRANGEBY* deletes.
 *
 * Every ZRANGE form is one parse (zrange_generic) feeding one walk
 * (emit_*) into a sink that either replies or fills the ZRANGESTORE
 * destination, so the old commands and the new options cannot disagree.
 *
 * Threads: main only.
 */
#include "types/zset.h"

#include "db/blocking.h"
#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "types/args.h"
#include "types/zset_internal.h"

#define RANGE_AUTO 0 /* ZRANGE / ZRANGESTORE: BYSCORE / BYLEX may follow */
#define RANGE_RANK 1
#define RANGE_SCORE 2
#define RANGE_LEX 3

/* Where a range goes: to the client, or into a destination zset. */
typedef struct RangeSink {
    Client *c;
    bool withscores;
    Obj *dst; /* ZRANGESTORE's new value, NULL when replying */
    void *defer;
    long count;
    size_t max_len; /* longest member stored (to pick dst's encoding) */
} RangeSink;

static void sink_begin(RangeSink *s, long known) {
    s->count = 0;
    s->max_len = 0;
    if (s->dst) return;
    if (known >= 0)
        reply_array_len(s->c, zset_reply_len(s->c, known, s->withscores));
    else
        s->defer = reply_defer_len(s->c);
}

static void sink_emit(RangeSink *s, const ZsetElem *e) {
    s->count++;
    if (s->dst) {
        int out;
        zset_add(s->dst, e->score, e->str, e->len, 0, &out, NULL);
        if (e->len > s->max_len) s->max_len = e->len;
        return;
    }
    zset_reply_elem(s->c, e, s->withscores);
}

static void sink_end(RangeSink *s) {
    if (s->dst == NULL && s->defer)
        reply_set_defer_array_len(s->c, s->defer, zset_reply_len(s->c, s->count, s->withscores));
}

/* ---- the walks ---- */

static void emit_rank(RangeSink *s, Obj *o, long start, long end, bool reverse) {
    long length = (long)zset_length(o);
    if (start < 0) start += length;
    if (end < 0) end += length;
    if (start < 0) start = 0;
    if (start > end || start >= length) {
        sink_begin(s, 0);
        return;
    }
    if (end >= length) end = length - 1;
    long count = end - start + 1;
    sink_begin(s, count);
    ZsetIter it;
    zset_iter_at_rank(&it, o, start, reverse);
    for (; count > 0 && zset_iter_valid(&it); count--, zset_iter_next(&it)) {
        ZsetElem e;
        zset_iter_get(&it, &e);
        sink_emit(s, &e);
    }
}

/* Whether e is still inside the range's far end in the walking direction. */
static bool score_in_far_end(const ZsetElem *e, const ZslRange *r, bool reverse) {
    return reverse ? zsl_score_gte_min(e->score, r) : zsl_score_lte_max(e->score, r);
}

static bool lex_in_far_end(const ZsetElem *e, const ZslLexRange *r, bool reverse) {
    return reverse ? zsl_lex_gte_min(e->str, e->len, r) : zsl_lex_lte_max(e->str, e->len, r);
}

static void emit_score_or_lex(RangeSink *s, Obj *o, int type, const ZslRange *range,
                              const ZslLexRange *lex, bool reverse, long offset, long limit) {
    sink_begin(s, -1);
    ZsetIter it;
    bool found = type == RANGE_SCORE ? zset_iter_at_score(&it, o, range, reverse)
                                     : zset_iter_at_lex(&it, o, lex, reverse);
    if (!found || offset < 0) goto end;
    for (; zset_iter_valid(&it) && limit != 0; zset_iter_next(&it)) {
        ZsetElem e;
        zset_iter_get(&it, &e);
        bool inside = type == RANGE_SCORE ? score_in_far_end(&e, range, reverse)
                                          : lex_in_far_end(&e, lex, reverse);
        if (!inside) break;
        if (offset > 0) {
            offset--;
            continue;
        }
        sink_emit(s, &e);
        if (limit > 0) limit--;
    }
end:
    sink_end(s);
}

/* ---- ZRANGE and friends ---- */

/* Options of a ZRANGE-family call. */
typedef struct RangeArgs {
    int type;
    bool reverse, withscores, has_limit;
    long offset, limit;
} RangeArgs;

static bool parse_range_options(Client *c, int first, bool store, RangeArgs *a) {
    bool modern = a->type == RANGE_AUTO; /* ZRANGE / ZRANGESTORE */
    for (int j = first; j < c->argc; j++) {
        int left = c->argc - j - 1;
        Obj *arg = c->argv[j];
        if (!store && type_arg_is(arg, "withscores")) {
            a->withscores = true;
        } else if (type_arg_is(arg, "limit") && left >= 2) {
            long long offset, limit;
            if (!type_arg_ll(c, c->argv[j + 1], &offset) || !type_arg_ll(c, c->argv[j + 2], &limit))
                return false;
            a->offset = (long)offset;
            a->limit = (long)limit;
            a->has_limit = true;
            j += 2;
        } else if (modern && type_arg_is(arg, "rev")) {
            a->reverse = true;
        } else if (modern && type_arg_is(arg, "byscore")) {
            a->type = RANGE_SCORE;
        } else if (modern && type_arg_is(arg, "bylex")) {
            a->type = RANGE_LEX;
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

/* The whole of ZRANGE, ZRANGESTORE and the old range commands: key at
 * argv[key_idx], then min and max, then options. type is RANGE_AUTO for the
 * commands that take BYSCORE/BYLEX/REV. */
static void zrange_generic(Client *c, int key_idx, Obj *dst, int type, bool reverse) {
    RangeArgs a = {.type = type, .reverse = reverse, .limit = -1};
    bool store = dst != NULL;
    if (!parse_range_options(c, key_idx + 3, store, &a)) return;
    if (a.type == RANGE_AUTO) a.type = RANGE_RANK;
    /* The old commands keep their own reverse; BYSCORE/BYLEX with REV
     * take max first. */
    if (a.has_limit && a.type == RANGE_RANK) {
        reply_error(c, "syntax error, LIMIT is only supported in combination with either "
                       "BYSCORE or BYLEX");
        return;
    }
    if (a.withscores && a.type == RANGE_LEX) {
        reply_error(c, "syntax error, WITHSCORES not supported in combination with BYLEX");
        return;
    }
    Obj *min = c->argv[key_idx + 1], *max = c->argv[key_idx + 2];
    if (a.reverse && a.type != RANGE_RANK) {
        Obj *t = min;
        min = max;
        max = t;
    }
    long long start = 0, end = 0;
    ZslRange range;
    ZslLexRange lex;
    if (a.type == RANGE_RANK) {
        if (!type_arg_ll(c, min, &start) || !type_arg_ll(c, max, &end)) return;
    } else if (a.type == RANGE_SCORE) {
        if (!zset_parse_score_range(c, min, max, &range)) return;
    } else {
        if (!zset_parse_lex_range(c, min, max, &lex)) return;
    }

    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[key_idx], &wrongtype);
    if (wrongtype) return;
    RangeSink s = {.c = c, .withscores = a.withscores};
    if (store) s.dst = zset_create(0, 0);
    if (o == NULL)
        sink_begin(&s, 0);
    else if (a.type == RANGE_RANK)
        emit_rank(&s, o, (long)start, (long)end, a.reverse);
    else
        emit_score_or_lex(&s, o, a.type, &range, &lex, a.reverse, a.offset, a.limit);
    if (!store) {
        if (o == NULL) sink_end(&s);
        return;
    }

    Db *db = client_db(c);
    if (s.count == 0) {
        obj_decr_ref(s.dst);
        if (db_delete(db, dst, false)) {
            db_signal_modified(c, db, dst);
            notify_keyspace_event(NOTIFY_GENERIC, "del", dst, db->id);
        }
        reply_ll(c, 0);
        return;
    }
    zset_convert_to_listpack_if_fits(s.dst, s.max_len);
    db_set(db, dst, s.dst, -1, 0);
    db_signal_modified(c, db, dst);
    notify_keyspace_event(NOTIFY_ZSET, "zrangestore", dst, db->id);
    blocking_signal_key_ready(db, dst);
    reply_ll(c, s.count);
}

void cmd_zrange(Client *c) {
    zrange_generic(c, 1, NULL, RANGE_AUTO, false);
}

void cmd_zrangestore(Client *c) {
    zrange_generic(c, 2, c->argv[1], RANGE_AUTO, false);
}

void cmd_zrevrange(Client *c) {
    zrange_generic(c, 1, NULL, RANGE_RANK, true);
}

void cmd_zrangebyscore(Client *c) {
    zrange_generic(c, 1, NULL, RANGE_SCORE, false);
}

void cmd_zrevrangebyscore(Client *c) {
    zrange_generic(c, 1, NULL, RANGE_SCORE, true);
}

void cmd_zrangebylex(Client *c) {
    zrange_generic(c, 1, NULL, RANGE_LEX, false);
}

void cmd_zrevrangebylex(Client *c) {
    zrange_generic(c, 1, NULL, RANGE_LEX, true);
}

/* ---- counting ---- */

static long count_range(Obj *o, const ZslRange *range, const ZslLexRange *lex) {
    ZsetIter it;
    bool found =
        range ? zset_iter_at_score(&it, o, range, false) : zset_iter_at_lex(&it, o, lex, false);
    if (!found) return 0;
    if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        Zsl *zsl = &((Zset *)o->ptr)->zsl;
        ZslNode *last = range ? zsl_last_in_range(zsl, range) : zsl_last_in_lex_range(zsl, lex);
        size_t flen, llen;
        const char *fm = zsl_node_member(it.node, &flen);
        const char *lm = zsl_node_member(last, &llen);
        return (long)(zsl_rank(zsl, last->score, lm, llen) -
                      zsl_rank(zsl, it.node->score, fm, flen)) +
               1;
    }
    long count = 0;
    for (; zset_iter_valid(&it); zset_iter_next(&it)) {
        ZsetElem e;
        zset_iter_get(&it, &e);
        if (range ? !zsl_score_lte_max(e.score, range) : !zsl_lex_lte_max(e.str, e.len, lex)) break;
        count++;
    }
    return count;
}

void cmd_zcount(Client *c) {
    ZslRange range;
    if (!zset_parse_score_range(c, c->argv[2], c->argv[3], &range)) return;
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    reply_ll(c, o ? count_range(o, &range, NULL) : 0);
}

void cmd_zlexcount(Client *c) {
    ZslLexRange lex;
    if (!zset_parse_lex_range(c, c->argv[2], c->argv[3], &lex)) return;
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    reply_ll(c, o ? count_range(o, NULL, &lex) : 0);
}

/* ---- ZREMRANGEBY* ---- */

static void zremrange_generic(Client *c, int type) {
    long long start = 0, end = 0;
    ZslRange range;
    ZslLexRange lex;
    if (type == RANGE_RANK) {
        if (!type_arg_ll(c, c->argv[2], &start) || !type_arg_ll(c, c->argv[3], &end)) return;
    } else if (type == RANGE_SCORE) {
        if (!zset_parse_score_range(c, c->argv[2], c->argv[3], &range)) return;
    } else if (!zset_parse_lex_range(c, c->argv[2], c->argv[3], &lex)) {
        return;
    }
    Db *db = client_db(c);
    Obj *key = c->argv[1];
    Obj *o = db_lookup_write(db, key, LOOKUP_NONE);
    if (type_reply_if_wrongtype(c, o, OBJ_ZSET)) return;
    if (o == NULL) {
        reply_ll(c, 0);
        return;
    }
    unsigned long deleted;
    const char *event;
    if (type == RANGE_RANK) {
        long long length = (long long)zset_length(o);
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (start < 0) start = 0;
        if (start > end || start >= length) {
            reply_ll(c, 0);
            return;
        }
        if (end >= length) end = length - 1;
        deleted = zset_delete_rank_range(o, (long)start, (long)end);
        event = "zremrangebyrank";
    } else if (type == RANGE_SCORE) {
        deleted = zset_delete_score_range(o, &range);
        event = "zremrangebyscore";
    } else {
        deleted = zset_delete_lex_range(o, &lex);
        event = "zremrangebylex";
    }
    if (deleted) {
        notify_keyspace_event(NOTIFY_ZSET, event, key, db->id);
        zset_delete_if_empty(c, key, o);
        db_signal_modified(c, db, key);
    }
    reply_ll(c, (long long)deleted);
}

void cmd_zremrangebyrank(Client *c) {
    zremrange_generic(c, RANGE_RANK);
}

void cmd_zremrangebyscore(Client *c) {
    zremrange_generic(c, RANGE_SCORE);
}

void cmd_zremrangebylex(Client *c) {
    zremrange_generic(c, RANGE_LEX);
}
