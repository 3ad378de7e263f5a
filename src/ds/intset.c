/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/intset.c: the sorted integer array behind the "intset" set encoding
 * (layout and rules in ds/intset.h).
 *
 * Sets of small integers are common (ids, flags) and the intset keeps them
 * at 2, 4 or 8 bytes a member with no per-member allocation. Adds and
 * removes move the tail with memmove, so the structure is meant for the
 * few hundred members set-max-intset-entries allows, not for big sets.
 *
 * Threads: none of its own (the random generator state is unguarded: main
 * thread only for intset_random).
 */
#include "ds/intset.h"

#include <string.h>

#include "server/mem.h"

/* ---- byte order: fields are little-endian whatever the host ---- */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define INTSET_LE16(x) __builtin_bswap16(x)
#define INTSET_LE32(x) __builtin_bswap32(x)
#define INTSET_LE64(x) __builtin_bswap64(x)
#else
#define INTSET_LE16(x) (x)
#define INTSET_LE32(x) (x)
#define INTSET_LE64(x) (x)
#endif

static uint32_t header_encoding(const Intset *is) {
    return INTSET_LE32(is->encoding);
}

uint32_t intset_len(const Intset *is) {
    return INTSET_LE32(is->length);
}

static void set_length(Intset *is, uint32_t len) {
    is->length = INTSET_LE32(len);
}

/* The narrowest width that holds value. */
static uint32_t encoding_for(int64_t value) {
    if (value < INT32_MIN || value > INT32_MAX) return INTSET_ENC_INT64;
    if (value < INT16_MIN || value > INT16_MAX) return INTSET_ENC_INT32;
    return INTSET_ENC_INT16;
}

/* The element at pos read as width enc (memcpy: contents is unaligned when
 * the intset is a slice of an RDB buffer). */
static int64_t get_encoded(const int8_t *contents, uint32_t pos, uint32_t enc) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v;
        memcpy(&v, contents + (size_t)pos * 8, 8);
        return (int64_t)INTSET_LE64(v);
    }
    if (enc == INTSET_ENC_INT32) {
        uint32_t v;
        memcpy(&v, contents + (size_t)pos * 4, 4);
        return (int32_t)INTSET_LE32(v);
    }
    uint16_t v;
    memcpy(&v, contents + (size_t)pos * 2, 2);
    return (int16_t)INTSET_LE16(v);
}

static void set_at(Intset *is, uint32_t pos, int64_t value) {
    uint32_t enc = header_encoding(is);
    if (enc == INTSET_ENC_INT64) {
        uint64_t v = INTSET_LE64((uint64_t)value);
        memcpy(is->contents + (size_t)pos * 8, &v, 8);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v = INTSET_LE32((uint32_t)(int32_t)value);
        memcpy(is->contents + (size_t)pos * 4, &v, 4);
    } else {
        uint16_t v = INTSET_LE16((uint16_t)(int16_t)value);
        memcpy(is->contents + (size_t)pos * 2, &v, 2);
    }
}

int64_t intset_get(const Intset *is, uint32_t pos) {
    return get_encoded(is->contents, pos, header_encoding(is));
}

size_t intset_bytes(const Intset *is) {
    return sizeof(Intset) + (size_t)intset_len(is) * header_encoding(is);
}

/* ---- lifetime ---- */

Intset *intset_create(void) {
    Intset *is = mem_alloc(sizeof(Intset));
    is->encoding = INTSET_LE32(INTSET_ENC_INT16);
    is->length = 0;
    return is;
}

void intset_free(Intset *is) {
    mem_free(is);
}

Intset *intset_dup(const Intset *is) {
    size_t bytes = intset_bytes(is);
    Intset *copy = mem_alloc(bytes);
    memcpy(copy, is, bytes);
    return copy;
}

static Intset *resize(Intset *is, uint32_t len) {
    return mem_realloc(is, sizeof(Intset) + (size_t)len * header_encoding(is));
}

/* ---- search ---- */

/* Binary search. Returns true with *pos at value, or false with *pos where
 * value would be inserted. The ends are checked first because ascending
 * inserts (ids) are the common case. */
static bool search(const Intset *is, int64_t value, uint32_t *pos) {
    uint32_t len = intset_len(is);
    if (len == 0) {
        *pos = 0;
        return false;
    }
    uint32_t enc = header_encoding(is);
    if (value > get_encoded(is->contents, len - 1, enc)) {
        *pos = len;
        return false;
    }
    if (value < get_encoded(is->contents, 0, enc)) {
        *pos = 0;
        return false;
    }
    uint32_t lo = 0, hi = len; /* answer in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = get_encoded(is->contents, mid, enc);
        if (cur == value) {
            *pos = mid;
            return true;
        }
        if (cur < value) lo = mid + 1;
        else hi = mid;
    }
    *pos = lo;
    return false;
}

bool intset_find(const Intset *is, int64_t value) {
    uint32_t pos;
    return encoding_for(value) <= header_encoding(is) && search(is, value, &pos);
}

/* ---- changes ---- */

/* Re-encodes every element at the wider width needed by value and adds it.
 * value is outside the old range, so it goes first (negative) or last. */
static Intset *upgrade_and_add(Intset *is, int64_t value) {
    uint32_t old_enc = header_encoding(is);
    uint32_t len = intset_len(is);
    bool prepend = value < 0;
    is->encoding = INTSET_LE32(encoding_for(value));
    is = resize(is, len + 1);
    /* Back to front, so wider slots never overwrite unread narrow ones. */
    uint32_t shift = prepend ? 1 : 0;
    for (uint32_t i = len; i-- > 0;) set_at(is, i + shift, get_encoded(is->contents, i, old_enc));
    set_at(is, prepend ? 0 : len, value);
    set_length(is, len + 1);
    return is;
}

Intset *intset_add(Intset *is, int64_t value, bool *added) {
    if (added) *added = true;
    if (encoding_for(value) > header_encoding(is)) return upgrade_and_add(is, value);
    uint32_t pos;
    if (search(is, value, &pos)) {
        if (added) *added = false;
        return is;
    }
    uint32_t len = intset_len(is);
    uint32_t enc = header_encoding(is);
    is = resize(is, len + 1);
    if (pos < len)
        memmove(is->contents + (size_t)(pos + 1) * enc, is->contents + (size_t)pos * enc,
                (size_t)(len - pos) * enc);
    set_at(is, pos, value);
    set_length(is, len + 1);
    return is;
}

Intset *intset_remove(Intset *is, int64_t value, bool *removed) {
    uint32_t pos;
    if (encoding_for(value) > header_encoding(is) || !search(is, value, &pos)) {
        if (removed) *removed = false;
        return is;
    }
    uint32_t len = intset_len(is);
    uint32_t enc = header_encoding(is);
    if (pos < len - 1)
        memmove(is->contents + (size_t)pos * enc, is->contents + (size_t)(pos + 1) * enc,
                (size_t)(len - pos - 1) * enc);
    set_length(is, len - 1);
    if (removed) *removed = true;
    return resize(is, len - 1);
}

/* ---- random and ends ---- */

static uint64_t random_state = 0x853c49e6748fea9bull;

static uint64_t random_next(void) {
    uint64_t z = (random_state += 0x9e3779b97f4a7c15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int64_t intset_random(const Intset *is) {
    return intset_get(is, (uint32_t)(random_next() % intset_len(is)));
}

int64_t intset_min(const Intset *is) {
    return intset_get(is, 0);
}

int64_t intset_max(const Intset *is) {
    return intset_get(is, intset_len(is) - 1);
}

/* ---- validation of untrusted bytes ---- */

bool intset_validate(const unsigned char *p, size_t size, bool deep) {
    if (size < sizeof(Intset)) return false;
    uint32_t enc, len;
    memcpy(&enc, p, 4);
    memcpy(&len, p + 4, 4);
    enc = INTSET_LE32(enc);
    len = INTSET_LE32(len);
    if (enc != INTSET_ENC_INT16 && enc != INTSET_ENC_INT32 && enc != INTSET_ENC_INT64)
        return false;
    /* 64-bit arithmetic: len * 8 cannot overflow it. */
    if ((uint64_t)sizeof(Intset) + (uint64_t)len * enc != (uint64_t)size) return false;
    if (!deep || len == 0) return true;
    const int8_t *contents = (const int8_t *)p + sizeof(Intset);
    int64_t prev = get_encoded(contents, 0, enc);
    for (uint32_t i = 1; i < len; i++) {
        int64_t cur = get_encoded(contents, i, enc);
        if (cur <= prev) return false;
        prev = cur;
    }
    return true;
}
