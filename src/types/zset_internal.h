/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_internal.h: the sorted set value behind every zset command,
 * whatever its encoding, shared by the types/zset_*.c files only.
 *
 * A zset object (OBJ_ZSET) holds one of two structures in o->ptr:
 *   OBJ_ENCODING_LISTPACK a listpack (ds/listpack.h) of member, score,
 *                         member, score ... ordered by score then member
 *                         bytes; at most zset-max-listpack-entries members
 *                         of at most zset-max-listpack-value bytes;
 *   OBJ_ENCODING_SKIPLIST a Zset: a skiplist (ds/skiplist.h) whose nodes are
 *                         also the entries of a hashtable by member, so a
 *                         member is stored once.
 * zset_add converts a listpack to a skiplist when a limit is crossed; only
 * the STORE commands convert back down (zset_convert_to_listpack_if_fits).
 *
 * Members leave this API as ZsetElem: bytes (borrowed from the value, or
 * formatted into the element's own buffer when the listpack holds an
 * integer) and a score.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_ZSET_INTERNAL_H
#define KEEL_TYPES_ZSET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "db/object.h"
#include "ds/ht.h"
#include "ds/listpack.h"
#include "ds/skiplist.h"
#include "net/client.h"

/* zset-max-listpack-entries / -value (aliases zset-max-ziplist-*);
 * registered in types/zset_ops.c. */
extern long long cfg_zset_max_listpack_entries;
extern long long cfg_zset_max_listpack_value;

/* The SKIPLIST encoding's structure. */
typedef struct Zset {
    Ht *members; /* ZslNode entries keyed by their ZslMember; owned by zsl */
    Zsl zsl;
} Zset;

extern const HtType zset_ht_type;

/* One member read from a zset. str is borrowed from the value (or points at
 * buf): valid until the zset changes or the element is reused. */
typedef struct ZsetElem {
    const char *str;
    size_t len;
    double score;
    unsigned char buf[LP_INTBUF_SIZE];
} ZsetElem;

/* ---- creating and converting (zset_value.c) ---- */

/* A new bare zset object sized for size_hint members of up to
 * value_len_hint bytes (Valkey's zsetTypeCreate): a listpack when both fit
 * the listpack limits, else a skiplist. */
Obj *zset_create(size_t size_hint, size_t value_len_hint);
Zset *zset_skiplist_create(void);
void zset_skiplist_destroy(Zset *zs);
/* Converts o to encoding (OBJ_ENCODING_LISTPACK or _SKIPLIST). */
void zset_convert(Obj *o, int encoding);
/* Converts a skiplist zset to a listpack when its size and longest member
 * fit the limits (the STORE commands' results). */
void zset_convert_to_listpack_if_fits(Obj *o, size_t max_member_len);
size_t zset_length(const Obj *o);

/* ---- members (zset_value.c) ---- */

#define ZADD_IN_INCR (1 << 0)
#define ZADD_IN_NX (1 << 1)
#define ZADD_IN_XX (1 << 2)
#define ZADD_IN_GT (1 << 3)
#define ZADD_IN_LT (1 << 4)

#define ZADD_OUT_NOP (1 << 0)     /* nothing changed (a flag refused it) */
#define ZADD_OUT_NAN (1 << 1)     /* the resulting score would be NaN */
#define ZADD_OUT_ADDED (1 << 2)   /* a new member */
#define ZADD_OUT_UPDATED (1 << 3) /* an existing member got a new score */

/* Adds or updates a member following ZADD's flags. Returns false only for
 * a NaN result (ZADD_OUT_NAN; nothing changed). *newscore (when not NULL)
 * gets the member's score afterwards when ADDED or UPDATED, or its
 * unchanged score when it exists. Converts the encoding as needed. */
bool zset_add(Obj *o, double score, const char *m, size_t len, int in_flags, int *out_flags,
              double *newscore);
/* Removes a member; returns true if it was there. Never converts. */
bool zset_remove(Obj *o, const char *m, size_t len);
/* The member's score, or false when absent. */
bool zset_score(Obj *o, const char *m, size_t len, double *score);
/* The member's 0-based rank (from the end when reverse), or -1. Fills
 * *score when found. */
long zset_rank(Obj *o, const char *m, size_t len, bool reverse, double *score);

/* ---- walking (zset_iter.c) ---- */

typedef struct ZsetIter {
    Obj *o;
    unsigned char *ep; /* listpack: current member element, NULL at the end */
    ZslNode *node;     /* skiplist: current node, NULL at the end */
    bool reverse;
} ZsetIter;

/* Positions at the 0-based rank counted in the walking direction (rank 0
 * with reverse is the last member). Out of range gives an ended iterator. */
void zset_iter_at_rank(ZsetIter *it, Obj *o, long rank, bool reverse);
/* Positions at the first member inside the range in the walking direction;
 * false (an ended iterator) when none is. */
bool zset_iter_at_score(ZsetIter *it, Obj *o, const ZslRange *range, bool reverse);
bool zset_iter_at_lex(ZsetIter *it, Obj *o, const ZslLexRange *range, bool reverse);
static inline bool zset_iter_valid(const ZsetIter *it) {
    return it->ep != NULL || it->node != NULL;
}
void zset_iter_get(const ZsetIter *it, ZsetElem *e);
void zset_iter_next(ZsetIter *it);

/* ---- range deletes (zset_iter.c) ---- */

/* Delete by 0-based inclusive ranks (already clamped), by score or by lex;
 * return how many went. Never convert. */
unsigned long zset_delete_rank_range(Obj *o, long start, long end);
unsigned long zset_delete_score_range(Obj *o, const ZslRange *range);
unsigned long zset_delete_lex_range(Obj *o, const ZslLexRange *range);

/* ---- listpack helpers (zset_listpack.c) ---- */

/* The score stored in the element at sptr. */
double zlp_score(const unsigned char *sptr);
/* The member element equal to m, or NULL; *score gets its score. */
unsigned char *zlp_find(unsigned char *lp, const char *m, size_t len, double *score);
/* Inserts (m, score) at its sorted place; returns the new listpack. */
unsigned char *zlp_insert(unsigned char *lp, const char *m, size_t len, double score);
/* Deletes the pair whose member element is eptr; returns the new listpack. */
unsigned char *zlp_delete(unsigned char *lp, unsigned char *eptr);
/* Reads the pair at eptr into e. */
void zlp_get(unsigned char *lp, unsigned char *eptr, ZsetElem *e);

/* ---- skiplist helpers (zset_value.c) ---- */

ZslNode *zsk_find(Zset *zs, const char *m, size_t len);
ZslNode *zsk_insert(Zset *zs, double score, const char *m, size_t len);
/* Removes and frees the node of member m; false when absent. */
bool zsk_remove(Zset *zs, const char *m, size_t len);

/* ---- arguments and replies (zset_args.c) ---- */

/* Parse ZRANGEBYSCORE / ZRANGEBYLEX bounds; reply Valkey's error and return
 * false on a bad one. */
bool zset_parse_score_range(Client *c, const Obj *min, const Obj *max, ZslRange *range);
bool zset_parse_lex_range(Client *c, const Obj *min, const Obj *max, ZslLexRange *range);
/* The zset under key for reading: NULL (with nothing replied) when missing,
 * NULL after replying WRONGTYPE when *wrongtype is set. */
Obj *zset_lookup_read(Client *c, Obj *key, bool *wrongtype);
/* Replies a member (bulk string). */
void zset_reply_member(Client *c, const ZsetElem *e);
/* Replies one element of a member list: the member alone, or with
 * withscores the member and its score (as a 2-element array in RESP3,
 * flat in RESP2). */
void zset_reply_elem(Client *c, const ZsetElem *e, bool withscores);
/* The array length announcing count elements replied by zset_reply_elem. */
long zset_reply_len(const Client *c, long count, bool withscores);
/* Deletes key when its zset became empty (with the "del" event). Returns
 * true if deleted. */
bool zset_delete_if_empty(Client *c, Obj *key, Obj *o);

#endif
