/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_listpack.c: the listpack encoding of small hashes: field and
 * value elements alternate in one listpack (ds/listpack.h), so a hash of
 * ten short fields is one allocation of about 200 bytes.
 *
 * Lookups are linear (lp_find compares only the field elements); the
 * hash-max-listpack-* options keep the listpack small enough for that to
 * beat hashing. Fields never carry an expire in this form.
 *
 * Threads: main only.
 */
#include "types/hash_internal.h"

#include "types/hash_entry.h"

unsigned char *hash_lp_find(unsigned char *lp, const char *f, size_t flen) {
    unsigned char *p = lp_first(lp);
    if (p == NULL) return NULL;
    return lp_find(lp, p, (const unsigned char *)f, flen, 1);
}

const char *hash_lp_bytes(const unsigned char *p, char *buf, size_t *len) {
    return (const char *)lp_get_bytes(p, (unsigned char *)buf, len);
}

unsigned char *hash_lp_set(unsigned char *lp, const char *f, size_t flen, const char *v,
                           size_t vlen, bool *added) {
    unsigned char *p = hash_lp_find(lp, f, flen);
    if (p != NULL) {
        unsigned char *vp = lp_next(lp, p);
        *added = false;
        return lp_replace(lp, &vp, (const unsigned char *)v, vlen);
    }
    *added = true;
    lp = lp_append(lp, (const unsigned char *)f, flen);
    return lp_append(lp, (const unsigned char *)v, vlen);
}

unsigned char *hash_lp_delete(unsigned char *lp, const char *f, size_t flen, bool *deleted) {
    unsigned char *p = hash_lp_find(lp, f, flen);
    *deleted = p != NULL;
    if (p == NULL) return lp;
    return lp_delete_range_at(lp, &p, 2);
}

HashDict *hash_lp_to_dict(unsigned char *lp) {
    HashDict *d = hash_dict_create();
    unsigned long pairs = lp_length(lp) / 2;
    ht_resize(d->fields, pairs);
    char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
    for (unsigned char *p = lp_first(lp); p != NULL;) {
        unsigned char *vp = lp_next(lp, p);
        size_t flen, vlen;
        const char *f = hash_lp_bytes(p, fbuf, &flen);
        const char *v = hash_lp_bytes(vp, vbuf, &vlen);
        bool added = ht_add(d->fields, hash_entry_create(f, flen, v, vlen, HASH_NO_EXPIRE));
        (void)added; /* a listpack never holds a field twice */
        p = lp_next(lp, vp);
    }
    return d;
}
