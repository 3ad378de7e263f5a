/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_entry.h: one field of a hashtable-encoded hash: the field, its
 * value and (when it has one) its expire time in a single allocation, and
 * the HtType that lets ds/ht.h store these entries directly.
 *
 * Layout (no padding, unaligned reads through memcpy):
 *
 *   [flags u8][field len][field bytes][value len][value bytes][int64 expire]?
 *
 * A length is one byte below 255, or 255 followed by a size_t. The table's
 * key is the entry address + 1 (the length-prefixed field), so a lookup key
 * is built the same way from a command argument (HashFieldKey, on the stack
 * for fields up to 62 bytes). There is no separate sds, dict entry or value
 * object: a 10-byte field with a 10-byte value costs one 24-byte allocation
 * and its 8-byte slot.
 *
 * Entries move when their value or expire changes size: the functions that
 * can move one return the new address and leave the old one alive, so the
 * caller can find and repoint the table slots (which compare against the
 * old entry) before freeing it; types/hash_value.c does that for both of a
 * hash's tables.
 *
 * Threads: main only; hash_entry_free may run on the lazy-free thread.
 */
#ifndef KEEL_TYPES_HASH_ENTRY_H
#define KEEL_TYPES_HASH_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "ds/ht.h"

/* No expire (the same -1 that the keyspace uses). */
#define HASH_NO_EXPIRE (-1LL)

/* A new entry with copies of the field and value; expire is a unix time in
 * ms or HASH_NO_EXPIRE. Never fails (allocation failure aborts). */
void *hash_entry_create(const char *field, size_t flen, const char *value, size_t vlen,
                        long long expire);
void hash_entry_free(void *entry);
/* A copy of entry (COPY of a hash). */
void *hash_entry_dup(const void *entry);

/* Borrowed pointers into the entry, valid until it moves or is freed. */
const char *hash_entry_field(const void *entry, size_t *len);
const char *hash_entry_value(const void *entry, size_t *len);
/* The field's expire time in unix ms, or HASH_NO_EXPIRE. */
long long hash_entry_expire(const void *entry);

/* Replaces the value, keeping the field and the expire. Returns the entry:
 * the same one changed in place, or a new one, in which case the old one is
 * untouched (tables may still point at it) and the caller frees it once the
 * slots point at the new one. */
void *hash_entry_set_value(void *entry, const char *value, size_t vlen);
/* Sets (or, with HASH_NO_EXPIRE, removes) the expire; returns as above. */
void *hash_entry_set_expire(void *entry, long long expire);

/* Bytes the allocator gave the entry. */
size_t hash_entry_memory(const void *entry);

/* The table types: hash_fields_type owns its entries (frees them),
 * hash_volatile_type holds borrowed pointers to the same entries. */
extern const HtType hash_fields_type;
extern const HtType hash_volatile_type;

/* A lookup key for the tables above built from a field's bytes. */
typedef struct HashFieldKey {
    unsigned char *key;     /* what to pass to ht_find & co. */
    unsigned char inline_buf[64];
} HashFieldKey;

/* Builds the key (heap-allocated only for long fields); pair with
 * hash_field_key_deinit. */
const void *hash_field_key_init(HashFieldKey *k, const char *field, size_t flen);
void hash_field_key_deinit(HashFieldKey *k);

#endif
