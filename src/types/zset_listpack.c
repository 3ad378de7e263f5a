/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_listpack.c: the LISTPACK encoding of sorted sets: pairs of
 * member and score elements kept ordered by score, then member bytes.
 *
 * Scores are written as their shortest round-trip text (types/args.h), so
 * integral scores become listpack integers, as Valkey stores them; reading
 * one parses it back. Everything here is a linear walk, which is what the
 * encoding is for: at most zset-max-listpack-entries (128) pairs.
 *
 * Threads: main only.
 */
#include <string.h>

#include "ds/skiplist.h"
#include "types/args.h"
#include "types/zset_internal.h"

double zlp_score(const unsigned char *sptr) {
    LpEntry e;
    lp_get(sptr, &e);
    if (e.str == NULL) return (double)e.ival;
    double score = 0;
    type_parse_double((const char *)e.str, e.len, &score); /* written by zlp_insert */
    return score;
}

void zlp_get(unsigned char *lp, unsigned char *eptr, ZsetElem *e) {
    size_t len;
    e->str = (const char *)lp_get_bytes(eptr, e->buf, &len);
    e->len = len;
    e->score = zlp_score(lp_next(lp, eptr));
}

unsigned char *zlp_find(unsigned char *lp, const char *m, size_t len, double *score) {
    unsigned char *eptr = lp_first(lp);
    if (eptr == NULL) return NULL;
    eptr = lp_find(lp, eptr, (const unsigned char *)m, len, 1);
    if (eptr && score) *score = zlp_score(lp_next(lp, eptr));
    return eptr;
}

/* Compares the member at eptr with (m, len). */
static int member_compare(const unsigned char *eptr, const char *m, size_t len) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t elen;
    const unsigned char *s = lp_get_bytes(eptr, buf, &elen);
    return zsl_member_compare((const char *)s, elen, m, len);
}

unsigned char *zlp_insert(unsigned char *lp, const char *m, size_t len, double score) {
    char text[DOUBLE_TEXT_MAX];
    size_t text_len = type_format_double(text, score);
    unsigned char *eptr = lp_first(lp);
    while (eptr) {
        unsigned char *sptr = lp_next(lp, eptr);
        double s = zlp_score(sptr);
        if (s > score || (s == score && member_compare(eptr, m, len) > 0)) {
            unsigned char *newp;
            lp = lp_insert(lp, eptr, LP_BEFORE, (const unsigned char *)m, len, &newp);
            return lp_insert(lp, newp, LP_AFTER, (const unsigned char *)text, text_len, NULL);
        }
        eptr = lp_next(lp, sptr);
    }
    lp = lp_append(lp, (const unsigned char *)m, len);
    return lp_append(lp, (const unsigned char *)text, text_len);
}

unsigned char *zlp_delete(unsigned char *lp, unsigned char *eptr) {
    return lp_delete_range_at(lp, &eptr, 2);
}
