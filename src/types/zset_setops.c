/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_setops.c: union, intersection and difference of sorted sets:
 * ZUNION, ZINTER, ZDIFF, their STORE forms, and ZINTERCARD. Plain sets may
 * be sources too, every member scoring 1 (read through types/set_internal.h).
 *
 * The result is built in a temporary skiplist zset (members found by hash,
 * kept in order as they are added), then replied in order or stored,
 * converted down to a listpack when it fits, as Valkey stores it.
 *
 * Threads: main only.
 */
#include "types/zset.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "db/blocking.h"
#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/set_internal.h"
#include "types/zset_internal.h"

#define OP_UNION 0
#define OP_INTER 1
#define OP_DIFF 2

#define AGG_SUM 0
#define AGG_MIN 1
#define AGG_MAX 2

/* One input: a zset, a set, or a missing key (o NULL). */
typedef struct Source {
    Obj *o;
    double weight;
    size_t size;
} Source;

/* Walks any source, yielding bytes and a score. */
typedef struct SourceIter {
    const Source *src;
    ZsetIter zit;
    SetIter sit;
    char buf[24];
} SourceIter;

static void source_iter_init(SourceIter *it, const Source *src) {
    it->src = src;
    if (src->o->type == OBJ_ZSET)
        zset_iter_at_rank(&it->zit, src->o, 0, false);
    else
        set_iter_init(&it->sit, src->o);
}

/* The next member into e (score 1 for a set member); false at the end. */
static bool source_iter_next(SourceIter *it, ZsetElem *e) {
    if (it->src->o->type == OBJ_ZSET) {
        if (!zset_iter_valid(&it->zit)) return false;
        zset_iter_get(&it->zit, e);
        zset_iter_next(&it->zit);
        return true;
    }
    SetElem se;
    if (!set_iter_next(&it->sit, &se)) return false;
    e->str = set_elem_bytes(&se, it->buf, &e->len);
    e->score = 1.0;
    return true;
}

static void source_iter_deinit(SourceIter *it) {
    if (it->src->o->type != OBJ_ZSET) set_iter_deinit(&it->sit);
}

static bool source_score(const Source *src, const char *m, size_t len, double *score) {
    if (src->o == NULL) return false;
    if (src->o->type == OBJ_ZSET) return zset_score(src->o, m, len, score);
    *score = 1.0;
    return set_contains(src->o, m, len);
}

static double aggregate(int agg, double a, double b) {
    if (agg == AGG_MIN) return a < b ? a : b;
    if (agg == AGG_MAX) return a > b ? a : b;
    double sum = a + b;
    return isnan(sum) ? 0 : sum; /* inf + -inf: Valkey counts it as 0 */
}

static double weighted(double score, double weight) {
    double value = score * weight;
    return isnan(value) ? 0 : value; /* inf * 0 */
}

static int by_size(const void *a, const void *b) {
    const Source *x = a, *y = b;
    return x->size < y->size ? -1 : x->size > y->size;
}

/* Options after the keys. Returns false after replying an error. */
typedef struct SetOpArgs {
    int op, agg;
    bool withscores, store, card_only;
    long long limit;
} SetOpArgs;

static bool parse_options(Client *c, int j, Source *srcs, int numkeys, SetOpArgs *a) {
    while (j < c->argc) {
        int remaining = c->argc - j;
        Obj *arg = c->argv[j];
        bool scored = a->op != OP_DIFF && !a->card_only;
        if (scored && remaining >= numkeys + 1 && type_arg_is(arg, "weights")) {
            j++;
            for (int i = 0; i < numkeys; i++, j++) {
                if (type_parse_double(c->argv[j]->ptr, sds_len(c->argv[j]->ptr), &srcs[i].weight) !=
                    0) {
                    reply_error(c, "weight value is not a float");
                    return false;
                }
            }
        } else if (scored && remaining >= 2 && type_arg_is(arg, "aggregate")) {
            Obj *how = c->argv[j + 1];
            if (type_arg_is(how, "sum")) {
                a->agg = AGG_SUM;
            } else if (type_arg_is(how, "min")) {
                a->agg = AGG_MIN;
            } else if (type_arg_is(how, "max")) {
                a->agg = AGG_MAX;
            } else {
                reply_error_syntax(c);
                return false;
            }
            j += 2;
        } else if (!a->store && !a->card_only && type_arg_is(arg, "withscores")) {
            a->withscores = true;
            j++;
        } else if (a->card_only && remaining >= 2 && type_arg_is(arg, "limit")) {
            if (!type_arg_ll_range(c, c->argv[j + 1], 0, LLONG_MAX, &a->limit,
                                   "LIMIT can't be negative"))
                return false;
            j += 2;
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

/* ---- the three operations, into a temporary skiplist zset ---- */

static void add_or_aggregate(Zset *acc, const ZsetElem *e, double value, int agg) {
    ZslNode *node = zsk_find(acc, e->str, e->len);
    if (node == NULL) {
        zsk_insert(acc, value, e->str, e->len);
        return;
    }
    double updated = aggregate(agg, node->score, value);
    if (updated != node->score) zsl_update_score(&acc->zsl, node, updated);
}

static void run_union(Zset *acc, Source *srcs, int n, int agg) {
    for (int i = 0; i < n; i++) {
        if (srcs[i].o == NULL) continue;
        SourceIter it;
        ZsetElem e;
        source_iter_init(&it, &srcs[i]);
        while (source_iter_next(&it, &e))
            add_or_aggregate(acc, &e, weighted(e.score, srcs[i].weight), agg);
        source_iter_deinit(&it);
    }
}

/* Intersection; stops after limit members when limit > 0 (ZINTERCARD).
 * Returns the number of members found. */
static long run_inter(Zset *acc, Source *srcs, int n, int agg, long long limit) {
    for (int i = 0; i < n; i++)
        if (srcs[i].o == NULL || srcs[i].size == 0) return 0;
    qsort(srcs, (size_t)n, sizeof(Source), by_size);
    long found = 0;
    SourceIter it;
    ZsetElem e;
    source_iter_init(&it, &srcs[0]);
    while (source_iter_next(&it, &e)) {
        double value = weighted(e.score, srcs[0].weight);
        int j;
        for (j = 1; j < n; j++) {
            double score;
            if (srcs[j].o == srcs[0].o) {
                score = e.score; /* the same key twice */
            } else if (!source_score(&srcs[j], e.str, e.len, &score)) {
                break;
            }
            value = aggregate(agg, value, weighted(score, srcs[j].weight));
        }
        if (j < n) continue;
        found++;
        if (acc) zsk_insert(acc, value, e.str, e.len);
        if (limit > 0 && found >= limit) break;
    }
    source_iter_deinit(&it);
    return found;
}

static void run_diff(Zset *acc, Source *srcs, int n) {
    if (srcs[0].o == NULL) return;
    SourceIter it;
    ZsetElem e;
    source_iter_init(&it, &srcs[0]);
    while (source_iter_next(&it, &e)) {
        int j;
        for (j = 1; j < n; j++) {
            double score;
            if (srcs[j].o == srcs[0].o || source_score(&srcs[j], e.str, e.len, &score)) break;
        }
        if (j == n) zsk_insert(acc, e.score, e.str, e.len);
    }
    source_iter_deinit(&it);
}

/* ---- the commands ---- */

static const char *store_event(int op) {
    return op == OP_UNION ? "zunionstore" : op == OP_INTER ? "zinterstore" : "zdiffstore";
}

static void store_result(Client *c, Obj *dst, Zset *acc, int op) {
    Db *db = client_db(c);
    long length = (long)acc->zsl.length;
    if (length == 0) {
        zset_skiplist_destroy(acc);
        if (db_delete(db, dst, false)) {
            db_signal_modified(c, db, dst);
            notify_keyspace_event(NOTIFY_GENERIC, "del", dst, db->id);
        }
        reply_ll(c, 0);
        return;
    }
    size_t max_len = 0;
    for (ZslNode *x = acc->zsl.header->level[0].forward; x; x = x->level[0].forward) {
        size_t len;
        zsl_node_member(x, &len);
        if (len > max_len) max_len = len;
    }
    Obj *o = obj_create(OBJ_ZSET, OBJ_ENCODING_SKIPLIST, acc);
    zset_convert_to_listpack_if_fits(o, max_len);
    db_set(db, dst, o, -1, 0);
    db_signal_modified(c, db, dst);
    notify_keyspace_event(NOTIFY_ZSET, store_event(op), dst, db->id);
    blocking_signal_key_ready(db, dst);
    reply_ll(c, length);
}

static void reply_result(Client *c, Zset *acc, bool withscores) {
    reply_array_len(c, zset_reply_len(c, (long)acc->zsl.length, withscores));
    for (ZslNode *x = acc->zsl.header->level[0].forward; x; x = x->level[0].forward) {
        ZsetElem e;
        e.str = zsl_node_member(x, &e.len);
        e.score = x->score;
        zset_reply_elem(c, &e, withscores);
    }
    zset_skiplist_destroy(acc);
}

/* numkeys at argv[idx]; dst is the STORE key or NULL. */
static void setop_generic(Client *c, Obj *dst, int idx, int op, bool card_only) {
    long long numkeys;
    if (!type_arg_ll(c, c->argv[idx], &numkeys)) return;
    if (numkeys < 1) {
        char name[16] = {0}; /* the command's name in lower case, as Valkey says it */
        const char *typed = c->argv[0]->ptr;
        for (size_t i = 0; i + 1 < sizeof(name) && typed[i]; i++)
            name[i] = (char)tolower((unsigned char)typed[i]);
        reply_error_format(c, "at least 1 input key is needed for '%s' command", name);
        return;
    }
    if (numkeys > c->argc - idx - 1) {
        reply_error_syntax(c);
        return;
    }
    int n = (int)numkeys;
    Source *srcs = mem_alloc(sizeof(Source) * (size_t)n);
    Db *db = client_db(c);
    for (int i = 0; i < n; i++) {
        Obj *key = c->argv[idx + 1 + i];
        Obj *o = dst ? db_lookup_write(db, key, LOOKUP_NONE) : db_lookup_read(db, key, LOOKUP_NONE);
        if (o && o->type != OBJ_ZSET && o->type != OBJ_SET) {
            reply_error(c, TYPE_ERR_WRONGTYPE);
            goto done;
        }
        srcs[i].o = o;
        srcs[i].weight = 1.0;
        srcs[i].size = o == NULL ? 0 : o->type == OBJ_ZSET ? zset_length(o) : set_size(o);
    }
    SetOpArgs a = {.op = op, .agg = AGG_SUM, .store = dst != NULL, .card_only = card_only};
    if (!parse_options(c, idx + 1 + n, srcs, n, &a)) goto done;
    if (card_only) {
        reply_ll(c, run_inter(NULL, srcs, n, AGG_SUM, a.limit));
        goto done;
    }
    Zset *acc = zset_skiplist_create();
    if (op == OP_UNION)
        run_union(acc, srcs, n, a.agg);
    else if (op == OP_INTER)
        run_inter(acc, srcs, n, a.agg, 0);
    else
        run_diff(acc, srcs, n);
    if (dst)
        store_result(c, dst, acc, op);
    else
        reply_result(c, acc, a.withscores);
done:
    mem_free(srcs);
}

void cmd_zunion(Client *c) {
    setop_generic(c, NULL, 1, OP_UNION, false);
}

void cmd_zinter(Client *c) {
    setop_generic(c, NULL, 1, OP_INTER, false);
}

void cmd_zdiff(Client *c) {
    setop_generic(c, NULL, 1, OP_DIFF, false);
}

void cmd_zunionstore(Client *c) {
    setop_generic(c, c->argv[1], 2, OP_UNION, false);
}

void cmd_zinterstore(Client *c) {
    setop_generic(c, c->argv[1], 2, OP_INTER, false);
}

void cmd_zdiffstore(Client *c) {
    setop_generic(c, c->argv[1], 2, OP_DIFF, false);
}

void cmd_zintercard(Client *c) {
    setop_generic(c, NULL, 1, OP_INTER, true);
}
