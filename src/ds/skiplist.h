/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/skiplist.h: the ordered half of a big sorted set: a skiplist of
 * (score, member) nodes ordered by score, then by member bytes, with a span
 * on every link so that rank lookups, rank ranges and deletes by rank are
 * O(log N).
 *
 * Each node is one allocation holding its score, its links and its member
 * (a ZslMember pointing at the bytes that follow it, NUL-terminated), so the
 * node itself can be the entry of a hashtable keyed by ZslMember
 * (types/zset_*.c does this): a member is stored once.
 *
 * Levels are drawn with probability 1/4 per extra level, at most
 * ZSL_MAX_LEVEL. Ranks are 1-based, as the structure counts them; the zset
 * commands convert to 0-based.
 *
 * Threads: none of its own; a skiplist belongs to one thread at a time.
 */
#ifndef KEEL_DS_SKIPLIST_H
#define KEEL_DS_SKIPLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ds/sds.h"

#define ZSL_MAX_LEVEL 32

typedef struct ZslNode ZslNode;

/* A member's bytes as a lookup key: inside a node ptr points just past the
 * struct; callers build one on the stack to look a member up. */
typedef struct ZslMember {
    const char *ptr;
    size_t len;
} ZslMember;

typedef struct ZslLevel {
    ZslNode *forward;   /* next node on this level, NULL at the end */
    unsigned long span; /* nodes skipped by forward, counting it (rank distance) */
} ZslLevel;

struct ZslNode {
    double score;
    ZslNode *backward; /* previous node on level 0; NULL for the first node */
    uint32_t height;   /* number of entries in level[] */
    ZslLevel level[];  /* followed by a ZslMember and the member bytes,
                          NUL-terminated */
};

typedef struct Zsl {
    ZslNode *header; /* sentinel with ZSL_MAX_LEVEL levels; no member */
    ZslNode *tail;   /* last node, NULL when empty */
    unsigned long length;
    int level; /* highest level in use (>= 1) */
} Zsl;

/* A score interval; minex / maxex exclude the bound itself. */
typedef struct ZslRange {
    double min, max;
    bool minex, maxex;
} ZslRange;

/* Kinds of lex bound: a member (inclusive or exclusive), or the ends. */
#define ZSL_LEX_INCLUSIVE 0 /* [member */
#define ZSL_LEX_EXCLUSIVE 1 /* (member */
#define ZSL_LEX_MIN 2       /* "-": below everything */
#define ZSL_LEX_MAX 3       /* "+": above everything */

/* A lex interval (for members that all share one score). The bytes are
 * borrowed. */
typedef struct ZslLexRange {
    const char *min, *max;
    size_t minlen, maxlen;
    int minkind, maxkind; /* ZSL_LEX_* */
} ZslLexRange;

/* ---- nodes ---- */

/* The node's member key (inside the node; read-only). */
static inline const ZslMember *zsl_node_key(const ZslNode *node) {
    return (const ZslMember *)((const char *)node + sizeof(ZslNode) +
                               node->height * sizeof(ZslLevel));
}
/* The node's member bytes (NUL-terminated); *len, when not NULL, gets the
 * length. */
static inline const char *zsl_node_member(const ZslNode *node, size_t *len) {
    const ZslMember *m = zsl_node_key(node);
    if (len) *len = m->len;
    return m->ptr;
}
/* Bytes the node occupies as allocated. */
size_t zsl_node_size(const ZslNode *node);
/* Frees a node that is in no skiplist (from zsl_delete's node_out). */
void zsl_node_free(ZslNode *node);

/* ---- lifetime ---- */

/* Initializes an empty skiplist in caller storage; zsl_deinit frees nodes.
 * Never fails (allocation failure aborts). */
void zsl_init(Zsl *zsl);
void zsl_deinit(Zsl *zsl);

/* ---- changes ---- */

/* Inserts a new node; the member must not be present (the caller checks,
 * usually in its hashtable). Returns the node. */
ZslNode *zsl_insert(Zsl *zsl, double score, const char *member, size_t len);
/* Removes the node holding (score, member). Returns false if there is none.
 * When node_out is not NULL the unlinked node is stored there for the caller
 * to free with zsl_node_free; otherwise it is freed. */
bool zsl_delete(Zsl *zsl, double score, const char *member, size_t len, ZslNode **node_out);
/* Gives node (in zsl) the score newscore. The node never moves in memory:
 * it is updated in place when its order does not change, else unlinked and
 * linked again at its new place with the same height. */
void zsl_update_score(Zsl *zsl, ZslNode *node, double newscore);

/* Called for each node a range delete removes, before it is freed. */
typedef void (*ZslDeleteFn)(void *ctx, ZslNode *node);
/* Delete every node in the range (score, lex, or ranks start..end,
 * 1-based inclusive). Returns the number deleted. */
unsigned long zsl_delete_range_by_score(Zsl *zsl, const ZslRange *range, ZslDeleteFn fn, void *ctx);
unsigned long zsl_delete_range_by_lex(Zsl *zsl, const ZslLexRange *range, ZslDeleteFn fn,
                                      void *ctx);
unsigned long zsl_delete_range_by_rank(Zsl *zsl, unsigned long start, unsigned long end,
                                       ZslDeleteFn fn, void *ctx);

/* ---- lookups ---- */

/* 1-based rank of (score, member), or 0 when absent. */
unsigned long zsl_rank(const Zsl *zsl, double score, const char *member, size_t len);
/* The node at a 1-based rank, or NULL when out of range. */
ZslNode *zsl_node_by_rank(const Zsl *zsl, unsigned long rank);
/* First / last node inside the range, or NULL when none is. */
ZslNode *zsl_first_in_range(const Zsl *zsl, const ZslRange *range);
ZslNode *zsl_last_in_range(const Zsl *zsl, const ZslRange *range);
ZslNode *zsl_first_in_lex_range(const Zsl *zsl, const ZslLexRange *range);
ZslNode *zsl_last_in_lex_range(const Zsl *zsl, const ZslLexRange *range);

/* ---- range tests (shared with the listpack encoding) ---- */

static inline bool zsl_score_gte_min(double value, const ZslRange *r) {
    return r->minex ? value > r->min : value >= r->min;
}
static inline bool zsl_score_lte_max(double value, const ZslRange *r) {
    return r->maxex ? value < r->max : value <= r->max;
}
/* True when the interval can hold no score (min > max, or equal and one end
 * excluded). */
bool zsl_range_is_empty(const ZslRange *r);
bool zsl_lex_range_is_empty(const ZslLexRange *r);
/* Whether member (len bytes) is at or past the lower / at or before the
 * upper bound. */
bool zsl_lex_gte_min(const char *member, size_t len, const ZslLexRange *r);
bool zsl_lex_lte_max(const char *member, size_t len, const ZslLexRange *r);
/* Byte-wise comparison of two members (memcmp, shorter first on a tie). */
int zsl_member_compare(const char *a, size_t alen, const char *b, size_t blen);

#endif
