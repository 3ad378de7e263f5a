/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_entry.c: the single-allocation field/value/expire entries of
 * hashtable-encoded hashes (layout in types/hash_entry.h), and the HtType
 * that hashes and compares their length-prefixed fields.
 *
 * Threads: main only; hash_entry_free may run on the lazy-free thread.
 */
#include "types/hash_entry.h"

#include <stdint.h>
#include <string.h>

#include "server/mem.h"

#define ENTRY_HAS_EXPIRE 0x01
#define LEN_LONG 255 /* marker: a size_t length follows */

static inline size_t len_prefix_size(size_t len) {
    return len < LEN_LONG ? 1 : 1 + sizeof(size_t);
}

static inline unsigned char *len_write(unsigned char *p, size_t len) {
    if (len < LEN_LONG) {
        *p = (unsigned char)len;
        return p + 1;
    }
    *p = LEN_LONG;
    memcpy(p + 1, &len, sizeof(len));
    return p + 1 + sizeof(len);
}

/* Reads a length at p; returns the address of the bytes it measures. */
static inline const unsigned char *len_read(const unsigned char *p, size_t *len) {
    if (*p < LEN_LONG) {
        *len = *p;
        return p + 1;
    }
    memcpy(len, p + 1, sizeof(*len));
    return p + 1 + sizeof(*len);
}

static size_t entry_size(size_t flen, size_t vlen, bool has_expire) {
    return 1 + len_prefix_size(flen) + flen + len_prefix_size(vlen) + vlen +
           (has_expire ? sizeof(int64_t) : 0);
}

static void *entry_build(const char *field, size_t flen, const char *value, size_t vlen,
                         long long expire) {
    bool has_expire = expire != HASH_NO_EXPIRE;
    unsigned char *e = mem_alloc(entry_size(flen, vlen, has_expire));
    unsigned char *p = e;
    *p++ = has_expire ? ENTRY_HAS_EXPIRE : 0;
    p = len_write(p, flen);
    memcpy(p, field, flen);
    p = len_write(p + flen, vlen);
    memcpy(p, value, vlen);
    if (has_expire) {
        int64_t when = expire;
        memcpy(p + vlen, &when, sizeof(when));
    }
    return e;
}

void *hash_entry_create(const char *field, size_t flen, const char *value, size_t vlen,
                        long long expire) {
    return entry_build(field, flen, value, vlen, expire);
}

void hash_entry_free(void *entry) {
    mem_free(entry);
}

const char *hash_entry_field(const void *entry, size_t *len) {
    return (const char *)len_read((const unsigned char *)entry + 1, len);
}

const char *hash_entry_value(const void *entry, size_t *len) {
    size_t flen;
    const unsigned char *f = len_read((const unsigned char *)entry + 1, &flen);
    return (const char *)len_read(f + flen, len);
}

long long hash_entry_expire(const void *entry) {
    if (!(*(const unsigned char *)entry & ENTRY_HAS_EXPIRE)) return HASH_NO_EXPIRE;
    size_t vlen;
    const char *v = hash_entry_value(entry, &vlen);
    int64_t when;
    memcpy(&when, v + vlen, sizeof(when));
    return when;
}

static size_t entry_used_bytes(const void *entry) {
    size_t flen, vlen;
    hash_entry_field(entry, &flen);
    hash_entry_value(entry, &vlen);
    return entry_size(flen, vlen, *(const unsigned char *)entry & ENTRY_HAS_EXPIRE);
}

void *hash_entry_dup(const void *entry) {
    size_t size = entry_used_bytes(entry);
    void *copy = mem_alloc(size);
    memcpy(copy, entry, size);
    return copy;
}

void *hash_entry_set_value(void *entry, const char *value, size_t vlen) {
    size_t old_vlen;
    char *old = (char *)hash_entry_value(entry, &old_vlen);
    if (old_vlen == vlen) {
        memmove(old, value, vlen); /* same size: in place */
        return entry;
    }
    size_t flen;
    const char *field = hash_entry_field(entry, &flen);
    return entry_build(field, flen, value, vlen, hash_entry_expire(entry));
}

void *hash_entry_set_expire(void *entry, long long expire) {
    unsigned char *e = entry;
    bool had = *e & ENTRY_HAS_EXPIRE;
    if (had && expire != HASH_NO_EXPIRE) {
        size_t vlen;
        char *v = (char *)hash_entry_value(e, &vlen);
        int64_t when = expire;
        memcpy(v + vlen, &when, sizeof(when));
        return e;
    }
    if (!had && expire == HASH_NO_EXPIRE) return e;
    size_t flen, vlen;
    const char *field = hash_entry_field(e, &flen);
    const char *value = hash_entry_value(e, &vlen);
    return entry_build(field, flen, value, vlen, expire);
}

size_t hash_entry_memory(const void *entry) {
    return mem_size((void *)entry);
}

/* ---- table types: the key is the length-prefixed field at entry + 1 ---- */

static uint64_t field_hash(const void *key) {
    size_t len;
    const unsigned char *p = len_read(key, &len);
    return ht_hash(p, len);
}

static int field_compare(const void *a, const void *b) {
    size_t alen, blen;
    const unsigned char *ap = len_read(a, &alen);
    const unsigned char *bp = len_read(b, &blen);
    return alen != blen || memcmp(ap, bp, alen) != 0;
}

static const void *entry_key(const void *entry) {
    return (const unsigned char *)entry + 1;
}

static void entry_destructor(void *entry) {
    mem_free(entry);
}

const HtType hash_fields_type = {
    .hash = field_hash,
    .key_compare = field_compare,
    .entry_get_key = entry_key,
    .entry_destructor = entry_destructor,
};

const HtType hash_volatile_type = {
    .hash = field_hash,
    .key_compare = field_compare,
    .entry_get_key = entry_key,
    .entry_destructor = NULL,
};

const void *hash_field_key_init(HashFieldKey *k, const char *field, size_t flen) {
    size_t need = len_prefix_size(flen) + flen;
    k->key = need <= sizeof(k->inline_buf) ? k->inline_buf : mem_alloc(need);
    unsigned char *p = len_write(k->key, flen);
    memcpy(p, field, flen);
    return k->key;
}

void hash_field_key_deinit(HashFieldKey *k) {
    if (k->key != k->inline_buf) mem_free(k->key);
}
