/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/skiplist.c: the sorted set skiplist (see ds/skiplist.h).
 *
 * Every link carries a span (how many level-0 steps it jumps), so walking
 * from the header towards a node adds up its rank on the way. Changes keep
 * the spans right by remembering, per level, the last node visited (update[])
 * and the rank reached there (rank[]).
 *
 * Nodes are never moved or reallocated after insertion: the zset keeps them
 * in a hashtable by member, so zsl_update_score relinks the same node.
 *
 * Threads: none of its own.
 */
#include "ds/skiplist.h"

#include <stdlib.h>
#include <string.h>

#include "server/mem.h"

/* An extra level with probability 1/4, drawn from one 64-bit xorshift state
 * (two bits per level); the sequence need not be unpredictable, only cheap. */
static uint64_t level_state = 0x9e3779b97f4a7c15ull;

static int random_level(void) {
    uint64_t x = level_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    level_state = x;
    int level = 1;
    while ((x & 3) == 0 && level < ZSL_MAX_LEVEL) {
        level++;
        x >>= 2;
    }
    return level;
}

static ZslNode *node_create(int height, double score, const char *member, size_t len) {
    size_t size = sizeof(ZslNode) + (size_t)height * sizeof(ZslLevel) + sizeof(ZslMember) + len + 1;
    ZslNode *node = mem_alloc(size);
    node->score = score;
    node->backward = NULL;
    node->height = (uint32_t)height;
    for (int i = 0; i < height; i++) {
        node->level[i].forward = NULL;
        node->level[i].span = 0;
    }
    ZslMember *key = (ZslMember *)((char *)node + sizeof(ZslNode) + height * sizeof(ZslLevel));
    char *bytes = (char *)(key + 1);
    if (len) memcpy(bytes, member, len);
    bytes[len] = '\0';
    key->ptr = bytes;
    key->len = len;
    return node;
}

size_t zsl_node_size(const ZslNode *node) {
    return mem_size((void *)(uintptr_t)node);
}

void zsl_node_free(ZslNode *node) {
    mem_free(node);
}

void zsl_init(Zsl *zsl) {
    zsl->header = node_create(ZSL_MAX_LEVEL, 0, NULL, 0);
    zsl->tail = NULL;
    zsl->length = 0;
    zsl->level = 1;
}

void zsl_deinit(Zsl *zsl) {
    ZslNode *node = zsl->header->level[0].forward;
    while (node) {
        ZslNode *next = node->level[0].forward;
        zsl_node_free(node);
        node = next;
    }
    zsl_node_free(zsl->header);
    zsl->header = NULL;
    zsl->tail = NULL;
    zsl->length = 0;
}

int zsl_member_compare(const char *a, size_t alen, const char *b, size_t blen) {
    size_t min = alen < blen ? alen : blen;
    int cmp = min ? memcmp(a, b, min) : 0;
    if (cmp) return cmp;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* True when node sorts before (score, member). */
static inline bool node_before(const ZslNode *node, double score, const char *member, size_t len) {
    if (node->score != score) return node->score < score;
    const ZslMember *m = zsl_node_key(node);
    return zsl_member_compare(m->ptr, m->len, member, len) < 0;
}

/* Finds, per level, the last node before (score, member), filling update[]
 * and rank[] (the rank of update[i]). */
static void find_predecessors(Zsl *zsl, double score, const char *member, size_t len,
                              ZslNode **update, unsigned long *rank) {
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (x->level[i].forward && node_before(x->level[i].forward, score, member, len)) {
            rank[i] += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
}

/* Links node (height already set) after the predecessors found for it. */
static void link_node(Zsl *zsl, ZslNode *node, ZslNode **update, unsigned long *rank) {
    int height = (int)node->height;
    if (height > zsl->level) {
        for (int i = zsl->level; i < height; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            update[i]->level[i].span = zsl->length;
        }
        zsl->level = height;
    }
    for (int i = 0; i < height; i++) {
        node->level[i].forward = update[i]->level[i].forward;
        update[i]->level[i].forward = node;
        node->level[i].span = update[i]->level[i].span - (rank[0] - rank[i]);
        update[i]->level[i].span = (rank[0] - rank[i]) + 1;
    }
    for (int i = height; i < zsl->level; i++) update[i]->level[i].span++;
    node->backward = update[0] == zsl->header ? NULL : update[0];
    if (node->level[0].forward)
        node->level[0].forward->backward = node;
    else
        zsl->tail = node;
    zsl->length++;
}

ZslNode *zsl_insert(Zsl *zsl, double score, const char *member, size_t len) {
    ZslNode *update[ZSL_MAX_LEVEL];
    unsigned long rank[ZSL_MAX_LEVEL];
    find_predecessors(zsl, score, member, len, update, rank);
    ZslNode *node = node_create(random_level(), score, member, len);
    link_node(zsl, node, update, rank);
    return node;
}

/* Unlinks node x given its predecessors on every level. */
static void unlink_node(Zsl *zsl, ZslNode *x, ZslNode **update) {
    for (int i = 0; i < zsl->level; i++) {
        if (update[i]->level[i].forward == x) {
            update[i]->level[i].span += x->level[i].span - 1;
            update[i]->level[i].forward = x->level[i].forward;
        } else {
            update[i]->level[i].span -= 1;
        }
    }
    if (x->level[0].forward)
        x->level[0].forward->backward = x->backward;
    else
        zsl->tail = x->backward;
    while (zsl->level > 1 && zsl->header->level[zsl->level - 1].forward == NULL) zsl->level--;
    zsl->length--;
}

/* Fills update[] with the predecessors of (score, member) without ranks. */
static ZslNode *find_node(Zsl *zsl, double score, const char *member, size_t len,
                          ZslNode **update) {
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && node_before(x->level[i].forward, score, member, len))
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    if (x && x->score == score) {
        const ZslMember *m = zsl_node_key(x);
        if (m->len == len && memcmp(m->ptr, member, len) == 0) return x;
    }
    return NULL;
}

bool zsl_delete(Zsl *zsl, double score, const char *member, size_t len, ZslNode **node_out) {
    ZslNode *update[ZSL_MAX_LEVEL];
    ZslNode *x = find_node(zsl, score, member, len, update);
    if (x == NULL) return false;
    unlink_node(zsl, x, update);
    if (node_out)
        *node_out = x;
    else
        zsl_node_free(x);
    return true;
}

void zsl_update_score(Zsl *zsl, ZslNode *node, double newscore) {
    size_t len;
    const char *m = zsl_node_member(node, &len);
    /* Same place when the neighbours still bracket the new score: only the
     * score changes, no link does. */
    if ((node->backward == NULL || node->backward->score < newscore) &&
        (node->level[0].forward == NULL || node->level[0].forward->score > newscore)) {
        node->score = newscore;
        return;
    }
    ZslNode *update[ZSL_MAX_LEVEL];
    unsigned long rank[ZSL_MAX_LEVEL];
    ZslNode *found = find_node(zsl, node->score, m, len, update);
    (void)found; /* must be node itself: the caller owns it in this list */
    unlink_node(zsl, node, update);
    node->score = newscore;
    for (uint32_t i = 0; i < node->height; i++) {
        node->level[i].forward = NULL;
        node->level[i].span = 0;
    }
    find_predecessors(zsl, newscore, m, len, update, rank);
    link_node(zsl, node, update, rank);
}

unsigned long zsl_rank(const Zsl *zsl, double score, const char *member, size_t len) {
    const ZslNode *x = zsl->header;
    unsigned long rank = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward) {
            const ZslNode *next = x->level[i].forward;
            if (next->score < score) {
                /* before: step */
            } else if (next->score == score) {
                const ZslMember *m = zsl_node_key(next);
                if (zsl_member_compare(m->ptr, m->len, member, len) > 0) break;
            } else {
                break;
            }
            rank += x->level[i].span;
            x = next;
        }
        if (x != zsl->header) {
            const ZslMember *m = zsl_node_key(x);
            if (x->score == score && m->len == len && memcmp(m->ptr, member, len) == 0) return rank;
        }
    }
    return 0;
}

ZslNode *zsl_node_by_rank(const Zsl *zsl, unsigned long rank) {
    if (rank == 0 || rank > zsl->length) return NULL;
    ZslNode *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span <= rank) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        if (traversed == rank) return x;
    }
    return NULL;
}

/* ---- score ranges ---- */

bool zsl_range_is_empty(const ZslRange *r) {
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

static bool is_in_range(const Zsl *zsl, const ZslRange *r) {
    if (zsl_range_is_empty(r)) return false;
    const ZslNode *x = zsl->tail;
    if (x == NULL || !zsl_score_gte_min(x->score, r)) return false;
    x = zsl->header->level[0].forward;
    return zsl_score_lte_max(x->score, r);
}

ZslNode *zsl_first_in_range(const Zsl *zsl, const ZslRange *range) {
    if (!is_in_range(zsl, range)) return NULL;
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !zsl_score_gte_min(x->level[i].forward->score, range))
            x = x->level[i].forward;
    x = x->level[0].forward;
    return zsl_score_lte_max(x->score, range) ? x : NULL;
}

ZslNode *zsl_last_in_range(const Zsl *zsl, const ZslRange *range) {
    if (!is_in_range(zsl, range)) return NULL;
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && zsl_score_lte_max(x->level[i].forward->score, range))
            x = x->level[i].forward;
    return x != zsl->header && zsl_score_gte_min(x->score, range) ? x : NULL;
}

/* ---- lex ranges ---- */

bool zsl_lex_gte_min(const char *member, size_t len, const ZslLexRange *r) {
    if (r->minkind == ZSL_LEX_MIN) return true;
    if (r->minkind == ZSL_LEX_MAX) return false;
    int cmp = zsl_member_compare(member, len, r->min, r->minlen);
    return r->minkind == ZSL_LEX_EXCLUSIVE ? cmp > 0 : cmp >= 0;
}

bool zsl_lex_lte_max(const char *member, size_t len, const ZslLexRange *r) {
    if (r->maxkind == ZSL_LEX_MAX) return true;
    if (r->maxkind == ZSL_LEX_MIN) return false;
    int cmp = zsl_member_compare(member, len, r->max, r->maxlen);
    return r->maxkind == ZSL_LEX_EXCLUSIVE ? cmp < 0 : cmp <= 0;
}

bool zsl_lex_range_is_empty(const ZslLexRange *r) {
    if (r->minkind == ZSL_LEX_MAX || r->maxkind == ZSL_LEX_MIN) return true;
    if (r->minkind == ZSL_LEX_MIN || r->maxkind == ZSL_LEX_MAX) return false;
    int cmp = zsl_member_compare(r->min, r->minlen, r->max, r->maxlen);
    return cmp > 0 ||
           (cmp == 0 && (r->minkind == ZSL_LEX_EXCLUSIVE || r->maxkind == ZSL_LEX_EXCLUSIVE));
}

static bool node_gte_min(const ZslNode *x, const ZslLexRange *r) {
    const ZslMember *m = zsl_node_key(x);
    return zsl_lex_gte_min(m->ptr, m->len, r);
}

static bool node_lte_max(const ZslNode *x, const ZslLexRange *r) {
    const ZslMember *m = zsl_node_key(x);
    return zsl_lex_lte_max(m->ptr, m->len, r);
}

static bool is_in_lex_range(const Zsl *zsl, const ZslLexRange *r) {
    if (zsl_lex_range_is_empty(r)) return false;
    if (zsl->tail == NULL || !node_gte_min(zsl->tail, r)) return false;
    return node_lte_max(zsl->header->level[0].forward, r);
}

ZslNode *zsl_first_in_lex_range(const Zsl *zsl, const ZslLexRange *range) {
    if (!is_in_lex_range(zsl, range)) return NULL;
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !node_gte_min(x->level[i].forward, range))
            x = x->level[i].forward;
    x = x->level[0].forward;
    return node_lte_max(x, range) ? x : NULL;
}

ZslNode *zsl_last_in_lex_range(const Zsl *zsl, const ZslLexRange *range) {
    if (!is_in_lex_range(zsl, range)) return NULL;
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && node_lte_max(x->level[i].forward, range))
            x = x->level[i].forward;
    return x != zsl->header && node_gte_min(x, range) ? x : NULL;
}

/* ---- range deletes ---- */

/* Deletes nodes from x (whose predecessors are in update[]) while keep()
 * says they are in range, or count nodes when keep is NULL. */
typedef bool (*InRangeFn)(const ZslNode *x, const void *range);

static unsigned long delete_run(Zsl *zsl, ZslNode *x, ZslNode **update, InRangeFn in_range,
                                const void *range, unsigned long count, ZslDeleteFn fn, void *ctx) {
    unsigned long removed = 0;
    while (x && (in_range ? in_range(x, range) : removed < count)) {
        ZslNode *next = x->level[0].forward;
        unlink_node(zsl, x, update);
        if (fn) fn(ctx, x);
        zsl_node_free(x);
        removed++;
        x = next;
    }
    return removed;
}

static bool score_lte_max(const ZslNode *x, const void *range) {
    return zsl_score_lte_max(x->score, range);
}

static bool lex_lte_max(const ZslNode *x, const void *range) {
    return node_lte_max(x, range);
}

unsigned long zsl_delete_range_by_score(Zsl *zsl, const ZslRange *range, ZslDeleteFn fn,
                                        void *ctx) {
    ZslNode *update[ZSL_MAX_LEVEL];
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && !zsl_score_gte_min(x->level[i].forward->score, range))
            x = x->level[i].forward;
        update[i] = x;
    }
    return delete_run(zsl, x->level[0].forward, update, score_lte_max, range, 0, fn, ctx);
}

unsigned long zsl_delete_range_by_lex(Zsl *zsl, const ZslLexRange *range, ZslDeleteFn fn,
                                      void *ctx) {
    ZslNode *update[ZSL_MAX_LEVEL];
    ZslNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && !node_gte_min(x->level[i].forward, range))
            x = x->level[i].forward;
        update[i] = x;
    }
    return delete_run(zsl, x->level[0].forward, update, lex_lte_max, range, 0, fn, ctx);
}

unsigned long zsl_delete_range_by_rank(Zsl *zsl, unsigned long start, unsigned long end,
                                       ZslDeleteFn fn, void *ctx) {
    if (start == 0 || start > end || start > zsl->length) return 0;
    ZslNode *update[ZSL_MAX_LEVEL];
    ZslNode *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span < start) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    return delete_run(zsl, x->level[0].forward, update, NULL, NULL, end - start + 1, fn, ctx);
}
