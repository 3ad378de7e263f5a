/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_value.c: the sorted set value whatever its encoding (see
 * types/zset_internal.h): creating, converting, and adding, removing and
 * finding members.
 *
 * The SKIPLIST encoding's hashtable stores the skiplist nodes themselves,
 * keyed by the ZslMember inside each node, so a lookup by member hashes the
 * bytes once and a member costs one allocation. Score changes relink the
 * same node (zsl_update_score), so the table never needs updating for them.
 *
 * Threads: main only.
 */
#include <math.h>
#include <string.h>

#include "server/mem.h"
#include "types/args.h"
#include "types/zset_internal.h"

static uint64_t member_hash(const void *key) {
    const ZslMember *m = key;
    return ht_hash(m->ptr, m->len);
}

static int member_compare(const void *a, const void *b) {
    const ZslMember *x = a, *y = b;
    return x->len != y->len || memcmp(x->ptr, y->ptr, x->len) != 0;
}

static const void *node_key(const void *entry) {
    return zsl_node_key(entry);
}

const HtType zset_ht_type = {
    .hash = member_hash,
    .key_compare = member_compare,
    .entry_get_key = node_key,
    .entry_destructor = NULL, /* the skiplist owns the nodes */
};

/* ---- the skiplist encoding ---- */

Zset *zset_skiplist_create(void) {
    Zset *zs = mem_alloc(sizeof(*zs));
    zs->members = ht_create(&zset_ht_type);
    zsl_init(&zs->zsl);
    return zs;
}

void zset_skiplist_destroy(Zset *zs) {
    ht_destroy(zs->members);
    zsl_deinit(&zs->zsl);
    mem_free(zs);
}

ZslNode *zsk_find(Zset *zs, const char *m, size_t len) {
    ZslMember key = {m, len};
    return ht_find(zs->members, &key);
}

ZslNode *zsk_insert(Zset *zs, double score, const char *m, size_t len) {
    ZslNode *node = zsl_insert(&zs->zsl, score, m, len);
    ht_add(zs->members, node);
    return node;
}

bool zsk_remove(Zset *zs, const char *m, size_t len) {
    ZslMember key = {m, len};
    void *node;
    if (!ht_pop(zs->members, &key, &node)) return false;
    ZslNode *x = node;
    zsl_delete(&zs->zsl, x->score, m, len, NULL);
    return true;
}

/* ---- creating and converting ---- */

Obj *zset_create(size_t size_hint, size_t value_len_hint) {
    if (cfg_zset_max_listpack_entries == 0 || size_hint > (size_t)cfg_zset_max_listpack_entries ||
        value_len_hint > (size_t)cfg_zset_max_listpack_value) {
        Zset *zs = zset_skiplist_create();
        if (size_hint > 1) ht_resize(zs->members, size_hint);
        return obj_create(OBJ_ZSET, OBJ_ENCODING_SKIPLIST, zs);
    }
    return obj_create(OBJ_ZSET, OBJ_ENCODING_LISTPACK, lp_new(0));
}

size_t zset_length(const Obj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return lp_length(o->ptr) / 2;
    return ((const Zset *)o->ptr)->zsl.length;
}

void zset_convert(Obj *o, int encoding) {
    if (o->encoding == encoding) return;
    if (encoding == OBJ_ENCODING_SKIPLIST) {
        unsigned char *lp = o->ptr;
        Zset *zs = zset_skiplist_create();
        ht_resize(zs->members, lp_length(lp) / 2);
        for (unsigned char *eptr = lp_first(lp); eptr; eptr = lp_next(lp, lp_next(lp, eptr))) {
            ZsetElem e;
            zlp_get(lp, eptr, &e);
            zsk_insert(zs, e.score, e.str, e.len);
        }
        lp_free(lp);
        o->ptr = zs;
        o->encoding = OBJ_ENCODING_SKIPLIST;
        return;
    }
    Zset *zs = o->ptr;
    unsigned char *lp = lp_new(0);
    for (ZslNode *x = zs->zsl.header->level[0].forward; x; x = x->level[0].forward) {
        size_t len;
        const char *m = zsl_node_member(x, &len);
        char text[DOUBLE_TEXT_MAX];
        size_t text_len = type_format_double(text, x->score);
        lp = lp_append(lp, (const unsigned char *)m, len);
        lp = lp_append(lp, (const unsigned char *)text, text_len);
    }
    zset_skiplist_destroy(zs);
    o->ptr = lp;
    o->encoding = OBJ_ENCODING_LISTPACK;
}

void zset_convert_to_listpack_if_fits(Obj *o, size_t max_member_len) {
    if (o->encoding == OBJ_ENCODING_SKIPLIST &&
        zset_length(o) <= (size_t)cfg_zset_max_listpack_entries &&
        max_member_len <= (size_t)cfg_zset_max_listpack_value)
        zset_convert(o, OBJ_ENCODING_LISTPACK);
}

/* ---- members ---- */

bool zset_score(Obj *o, const char *m, size_t len, double *score) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return zlp_find(o->ptr, m, len, score) != NULL;
    ZslNode *node = zsk_find(o->ptr, m, len);
    if (node == NULL) return false;
    *score = node->score;
    return true;
}

/* Applies ZADD's flags to an existing member with score cur. Returns false
 * for a NaN result; otherwise stores the score to set in *score and says
 * through *out whether to change anything. */
static bool resolve_existing(double cur, double *score, int in, int *out, double *newscore) {
    if (in & ZADD_IN_NX) {
        *out |= ZADD_OUT_NOP;
        if (newscore) *newscore = cur;
        return true;
    }
    if (in & ZADD_IN_INCR) {
        *score += cur;
        if (isnan(*score)) {
            *out |= ZADD_OUT_NAN;
            return false;
        }
    }
    if (((in & ZADD_IN_LT) && *score >= cur) || ((in & ZADD_IN_GT) && *score <= cur)) {
        *out |= ZADD_OUT_NOP;
        if (newscore) *newscore = cur;
        return true;
    }
    if (newscore) *newscore = *score;
    if (*score != cur) *out |= ZADD_OUT_UPDATED;
    return true;
}

static bool listpack_fits_one_more(const Obj *o, size_t len) {
    return zset_length(o) + 1 <= (size_t)cfg_zset_max_listpack_entries &&
           len <= (size_t)cfg_zset_max_listpack_value && lp_safe_to_add(o->ptr, len + 32);
}

bool zset_add(Obj *o, double score, const char *m, size_t len, int in, int *out, double *newscore) {
    *out = 0;
    if (isnan(score)) {
        *out = ZADD_OUT_NAN;
        return false;
    }
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        double cur;
        unsigned char *eptr = zlp_find(o->ptr, m, len, &cur);
        if (eptr) {
            if (!resolve_existing(cur, &score, in, out, newscore)) return false;
            if (*out & ZADD_OUT_UPDATED) {
                o->ptr = zlp_delete(o->ptr, eptr);
                o->ptr = zlp_insert(o->ptr, m, len, score);
            }
            return true;
        }
        if (in & ZADD_IN_XX) {
            *out |= ZADD_OUT_NOP;
            return true;
        }
        if (listpack_fits_one_more(o, len)) {
            o->ptr = zlp_insert(o->ptr, m, len, score);
            *out |= ZADD_OUT_ADDED;
            if (newscore) *newscore = score;
            return true;
        }
        zset_convert(o, OBJ_ENCODING_SKIPLIST);
    }
    Zset *zs = o->ptr;
    ZslNode *node = zsk_find(zs, m, len);
    if (node) {
        if (!resolve_existing(node->score, &score, in, out, newscore)) return false;
        if (*out & ZADD_OUT_UPDATED) zsl_update_score(&zs->zsl, node, score);
        return true;
    }
    if (in & ZADD_IN_XX) {
        *out |= ZADD_OUT_NOP;
        return true;
    }
    zsk_insert(zs, score, m, len);
    *out |= ZADD_OUT_ADDED;
    if (newscore) *newscore = score;
    return true;
}

bool zset_remove(Obj *o, const char *m, size_t len) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *eptr = zlp_find(o->ptr, m, len, NULL);
        if (eptr == NULL) return false;
        o->ptr = zlp_delete(o->ptr, eptr);
        return true;
    }
    return zsk_remove(o->ptr, m, len);
}

long zset_rank(Obj *o, const char *m, size_t len, bool reverse, double *score) {
    long length = (long)zset_length(o);
    long rank;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        rank = 0;
        unsigned char *eptr = lp_first(lp);
        while (eptr && !lp_equals(eptr, (const unsigned char *)m, len)) {
            eptr = lp_next(lp, lp_next(lp, eptr));
            rank++;
        }
        if (eptr == NULL) return -1;
        *score = zlp_score(lp_next(lp, eptr));
    } else {
        Zset *zs = o->ptr;
        ZslNode *node = zsk_find(zs, m, len);
        if (node == NULL) return -1;
        *score = node->score;
        rank = (long)zsl_rank(&zs->zsl, node->score, m, len) - 1;
    }
    return reverse ? length - 1 - rank : rank;
}
