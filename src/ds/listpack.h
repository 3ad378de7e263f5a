/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/listpack.h: the listpack, a compact serialized list of strings and
 * integers in one allocation (the small encoding of lists, hashes, sets and
 * sorted sets, and each node of a quicklist).
 *
 * The byte format is the public listpack format that Valkey uses (and that
 * its RDB files embed): a 6-byte header (total bytes, element count), the
 * entries, each with its encoding, data and a back-length so it can be
 * walked both ways, and a 0xFF terminator. Strings that spell an integer are
 * stored as integers.
 *
 * An element is addressed by a pointer p into the listpack. Every function
 * that changes a listpack may move it: it returns the new listpack, and
 * pointers into the old one are invalid unless the function hands back a
 * new one (the `unsigned char **p` arguments).
 *
 * Threads: none of its own; a listpack belongs to one thread at a time.
 */
#ifndef KEEL_DS_LISTPACK_H
#define KEEL_DS_LISTPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes lp_get_bytes needs for an integer's text. */
#define LP_INTBUF_SIZE 21

#define LP_BEFORE 0
#define LP_AFTER 1

/* One element as read: a string (str != NULL, len bytes) or an integer
 * (str == NULL, ival). */
typedef struct LpEntry {
    const unsigned char *str;
    uint32_t len;
    long long ival;
} LpEntry;

/* A new empty listpack with room for capacity bytes (0: just the header). */
unsigned char *lp_new(size_t capacity);
void lp_free(unsigned char *lp);
/* A copy of lp. */
unsigned char *lp_dup(const unsigned char *lp);
/* Total bytes of the listpack (its allocation may be larger). */
size_t lp_bytes(const unsigned char *lp);
/* Number of elements. */
unsigned long lp_length(const unsigned char *lp);
/* Whether adding add bytes keeps the listpack under its 1 GiB limit. */
bool lp_safe_to_add(const unsigned char *lp, size_t add);

/* ---- walking ---- */

/* First / last element, or NULL when empty. */
unsigned char *lp_first(unsigned char *lp);
unsigned char *lp_last(unsigned char *lp);
/* The element after / before p, or NULL at the end. */
unsigned char *lp_next(unsigned char *lp, unsigned char *p);
unsigned char *lp_prev(unsigned char *lp, unsigned char *p);
/* The element at index (negative: from the tail, -1 the last), or NULL
 * when out of range. */
unsigned char *lp_seek(unsigned char *lp, long index);

/* ---- reading ---- */

void lp_get(const unsigned char *p, LpEntry *e);
/* The element's bytes: a string's own bytes, or an integer formatted into
 * buf (LP_INTBUF_SIZE). */
const unsigned char *lp_get_bytes(const unsigned char *p, unsigned char *buf, size_t *len);
/* True when the element at p equals the len bytes at s (an integer element
 * compares by its decimal text). */
bool lp_equals(const unsigned char *p, const unsigned char *s, size_t len);
/* Searches from p (inclusive) for an element equal to s, comparing only
 * every (skip + 1)-th element (skip 1: the keys of key/value pairs).
 * Returns it or NULL. */
unsigned char *lp_find(unsigned char *lp, unsigned char *p, const unsigned char *s, size_t len,
                       unsigned skip);

/* ---- changing ---- */

unsigned char *lp_append(unsigned char *lp, const unsigned char *s, size_t len);
unsigned char *lp_prepend(unsigned char *lp, const unsigned char *s, size_t len);
unsigned char *lp_append_int(unsigned char *lp, long long value);
/* Inserts s before or after (where) the element at p. *newp, when not NULL,
 * gets the inserted element. */
unsigned char *lp_insert(unsigned char *lp, unsigned char *p, int where, const unsigned char *s,
                         size_t len, unsigned char **newp);
/* Replaces the element at *p with s; *p then points at the new element. */
unsigned char *lp_replace(unsigned char *lp, unsigned char **p, const unsigned char *s, size_t len);
unsigned char *lp_replace_int(unsigned char *lp, unsigned char **p, long long value);
/* Deletes the element at *p; *p then points at the one that followed it
 * (NULL if it was the last). */
unsigned char *lp_delete(unsigned char *lp, unsigned char **p);
/* Deletes count elements from index (negative: from the tail). */
unsigned char *lp_delete_range(unsigned char *lp, long index, unsigned long count);
/* Deletes count elements starting at *p; *p as for lp_delete. */
unsigned char *lp_delete_range_at(unsigned char *lp, unsigned char **p, unsigned long count);
/* Appends every element of b to a and frees b; returns a. */
unsigned char *lp_merge(unsigned char *a, unsigned char *b);

/* ---- checking ---- */

/* Whether size bytes at lp are a well-formed listpack: header, every
 * entry's encoding, lengths and back-lengths inside the buffer, the count,
 * and the terminator. Never reads outside [lp, lp + size). */
bool lp_validate(const unsigned char *lp, size_t size);

#endif
