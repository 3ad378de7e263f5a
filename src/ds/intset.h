/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/intset.h: a sorted array of distinct integers in one allocation (the
 * "intset" encoding of sets whose members all spell integers).
 *
 * Every element is stored at the same width, 16, 32 or 64 bits: the
 * narrowest that holds them all. Adding a value that needs more upgrades
 * the whole array once; removing never downgrades (as Valkey). Lookups are
 * a binary search.
 *
 * The bytes are the layout Valkey uses in memory and in RDB files: encoding
 * (u32: 2, 4 or 8, the element width in bytes), length (u32), then the
 * elements in ascending order, every field little-endian. On a
 * little-endian host the in-memory form is the on-disk form; a big-endian
 * host byte-swaps each access.
 *
 * Functions that change an intset may move it: they return the new pointer
 * and the old one is invalid. Allocation failure aborts (server/mem.h).
 *
 * Threads: none of its own; an intset belongs to one thread at a time.
 */
#ifndef KEEL_DS_INTSET_H
#define KEEL_DS_INTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Element widths (the encoding field). */
#define INTSET_ENC_INT16 ((uint32_t)sizeof(int16_t))
#define INTSET_ENC_INT32 ((uint32_t)sizeof(int32_t))
#define INTSET_ENC_INT64 ((uint32_t)sizeof(int64_t))

typedef struct Intset {
    uint32_t encoding; /* INTSET_ENC_*, little-endian */
    uint32_t length;   /* number of elements, little-endian */
    int8_t contents[]; /* length elements of encoding bytes each, ascending */
} Intset;

/* A new empty intset (16-bit). Caller frees with intset_free. */
Intset *intset_create(void);
void intset_free(Intset *is);
/* A copy of is. */
Intset *intset_dup(const Intset *is);

/* Adds value; *added (when not NULL) says whether it was new (false: it was
 * already there and nothing changed). Returns the possibly moved intset. */
Intset *intset_add(Intset *is, int64_t value, bool *added);
/* Removes value; *removed (when not NULL) says whether it was there.
 * Returns the possibly moved intset. */
Intset *intset_remove(Intset *is, int64_t value, bool *removed);
/* True if value is a member. */
bool intset_find(const Intset *is, int64_t value);

/* Number of elements. */
uint32_t intset_len(const Intset *is);
/* Total bytes of the intset (header and elements). */
size_t intset_bytes(const Intset *is);
/* The element at pos (0 <= pos < intset_len, ascending order). */
int64_t intset_get(const Intset *is, uint32_t pos);
/* A random element (uniform); is must not be empty. */
int64_t intset_random(const Intset *is);
/* Smallest and largest element; is must not be empty. */
int64_t intset_min(const Intset *is);
int64_t intset_max(const Intset *is);

/* Whether size bytes at p are a well-formed intset: a known encoding, a
 * length that matches size exactly, and (when deep) elements strictly
 * ascending. Never reads outside [p, p + size). For RDB loading. */
bool intset_validate(const unsigned char *p, size_t size, bool deep);

#endif
