/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_iter.c: walking a sorted set in either direction from a rank,
 * a score bound or a lex bound, and deleting ranges, for both encodings.
 *
 * The iterator only positions and steps; callers check the far end of their
 * range as they go (zsl_score_lte_max and friends), which keeps one loop per
 * command instead of one per encoding.
 *
 * Threads: main only.
 */
#include "types/zset_internal.h"

/* ---- listpack stepping ---- */

static unsigned char *lp_next_pair(unsigned char *lp, unsigned char *eptr) {
    return lp_next(lp, lp_next(lp, eptr));
}

static unsigned char *lp_prev_pair(unsigned char *lp, unsigned char *eptr) {
    unsigned char *sptr = lp_prev(lp, eptr);
    return sptr ? lp_prev(lp, sptr) : NULL;
}

static double lp_pair_score(unsigned char *lp, unsigned char *eptr) {
    return zlp_score(lp_next(lp, eptr));
}

/* ---- positioning ---- */

void zset_iter_at_rank(ZsetIter *it, Obj *o, long rank, bool reverse) {
    long length = (long)zset_length(o);
    it->o = o;
    it->ep = NULL;
    it->node = NULL;
    it->reverse = reverse;
    if (rank < 0 || rank >= length) return;
    long forward_rank = reverse ? length - 1 - rank : rank;
    if (o->encoding == OBJ_ENCODING_LISTPACK)
        it->ep = lp_seek(o->ptr, 2 * forward_rank);
    else
        it->node = zsl_node_by_rank(&((Zset *)o->ptr)->zsl, (unsigned long)forward_rank + 1);
}

bool zset_iter_at_score(ZsetIter *it, Obj *o, const ZslRange *range, bool reverse) {
    it->o = o;
    it->ep = NULL;
    it->node = NULL;
    it->reverse = reverse;
    if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        Zsl *zsl = &((Zset *)o->ptr)->zsl;
        it->node = reverse ? zsl_last_in_range(zsl, range) : zsl_first_in_range(zsl, range);
        return it->node != NULL;
    }
    if (zsl_range_is_empty(range)) return false;
    unsigned char *lp = o->ptr;
    if (!reverse) {
        for (unsigned char *e = lp_first(lp); e; e = lp_next_pair(lp, e)) {
            double s = lp_pair_score(lp, e);
            if (!zsl_score_gte_min(s, range)) continue;
            if (zsl_score_lte_max(s, range)) it->ep = e;
            break;
        }
    } else {
        for (unsigned char *e = lp_seek(lp, -2); e; e = lp_prev_pair(lp, e)) {
            double s = lp_pair_score(lp, e);
            if (!zsl_score_lte_max(s, range)) continue;
            if (zsl_score_gte_min(s, range)) it->ep = e;
            break;
        }
    }
    return it->ep != NULL;
}

static bool lp_member_gte_min(unsigned char *e, const ZslLexRange *range) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *s = lp_get_bytes(e, buf, &len);
    return zsl_lex_gte_min((const char *)s, len, range);
}

static bool lp_member_lte_max(unsigned char *e, const ZslLexRange *range) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *s = lp_get_bytes(e, buf, &len);
    return zsl_lex_lte_max((const char *)s, len, range);
}

bool zset_iter_at_lex(ZsetIter *it, Obj *o, const ZslLexRange *range, bool reverse) {
    it->o = o;
    it->ep = NULL;
    it->node = NULL;
    it->reverse = reverse;
    if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        Zsl *zsl = &((Zset *)o->ptr)->zsl;
        it->node = reverse ? zsl_last_in_lex_range(zsl, range) : zsl_first_in_lex_range(zsl, range);
        return it->node != NULL;
    }
    if (zsl_lex_range_is_empty(range)) return false;
    unsigned char *lp = o->ptr;
    if (!reverse) {
        for (unsigned char *e = lp_first(lp); e; e = lp_next_pair(lp, e)) {
            if (!lp_member_gte_min(e, range)) continue;
            if (lp_member_lte_max(e, range)) it->ep = e;
            break;
        }
    } else {
        for (unsigned char *e = lp_seek(lp, -2); e; e = lp_prev_pair(lp, e)) {
            if (!lp_member_lte_max(e, range)) continue;
            if (lp_member_gte_min(e, range)) it->ep = e;
            break;
        }
    }
    return it->ep != NULL;
}

/* ---- stepping ---- */

void zset_iter_get(const ZsetIter *it, ZsetElem *e) {
    if (it->ep) {
        zlp_get(it->o->ptr, it->ep, e);
        return;
    }
    e->str = zsl_node_member(it->node, &e->len);
    e->score = it->node->score;
}

void zset_iter_next(ZsetIter *it) {
    if (it->ep) {
        unsigned char *lp = it->o->ptr;
        it->ep = it->reverse ? lp_prev_pair(lp, it->ep) : lp_next_pair(lp, it->ep);
    } else if (it->node) {
        it->node = it->reverse ? it->node->backward : it->node->level[0].forward;
    }
}

/* ---- range deletes ---- */

static void forget_node(void *ctx, ZslNode *node) {
    Zset *zs = ctx;
    ht_pop(zs->members, zsl_node_key(node), NULL);
}

unsigned long zset_delete_rank_range(Obj *o, long start, long end) {
    if (start > end) return 0;
    unsigned long count = (unsigned long)(end - start + 1);
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        o->ptr = lp_delete_range(o->ptr, 2 * start, 2 * count);
        return count;
    }
    Zset *zs = o->ptr;
    return zsl_delete_range_by_rank(&zs->zsl, (unsigned long)start + 1, (unsigned long)end + 1,
                                    forget_node, zs);
}

unsigned long zset_delete_score_range(Obj *o, const ZslRange *range) {
    if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        Zset *zs = o->ptr;
        return zsl_delete_range_by_score(&zs->zsl, range, forget_node, zs);
    }
    ZsetIter it;
    if (!zset_iter_at_score(&it, o, range, false)) return 0;
    unsigned char *lp = o->ptr, *first = it.ep;
    unsigned long count = 0;
    for (unsigned char *e = first; e && zsl_score_lte_max(lp_pair_score(lp, e), range);
         e = lp_next_pair(lp, e))
        count++;
    o->ptr = lp_delete_range_at(lp, &first, 2 * count);
    return count;
}

unsigned long zset_delete_lex_range(Obj *o, const ZslLexRange *range) {
    if (o->encoding == OBJ_ENCODING_SKIPLIST) {
        Zset *zs = o->ptr;
        return zsl_delete_range_by_lex(&zs->zsl, range, forget_node, zs);
    }
    ZsetIter it;
    if (!zset_iter_at_lex(&it, o, range, false)) return 0;
    unsigned char *lp = o->ptr, *first = it.ep;
    unsigned long count = 0;
    for (unsigned char *e = first; e && lp_member_lte_max(e, range); e = lp_next_pair(lp, e))
        count++;
    o->ptr = lp_delete_range_at(lp, &first, 2 * count);
    return count;
}
