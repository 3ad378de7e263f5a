/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_internal.h: the set value behind every set command, whatever its
 * encoding, shared by the types/set_*.c files only.
 *
 * A set object (OBJ_SET) holds one of three structures in o->ptr:
 *   OBJ_ENCODING_INTSET   Intset * (ds/intset.h): every member spells an
 *                         integer, at most set-max-intset-entries of them;
 *   OBJ_ENCODING_LISTPACK a listpack (ds/listpack.h) of at most
 *                         set-max-listpack-entries members, each at most
 *                         set-max-listpack-value bytes;
 *   OBJ_ENCODING_HT       an Ht (ds/ht.h) whose entries are the members
 *                         themselves, each one allocation: a length prefix
 *                         (1 byte below 255, else 0xFF and a size_t) and
 *                         the bytes. No per-member node, and 15 bytes less
 *                         than an sds header per member.
 * set_add converts upward exactly as Valkey does (intset to listpack or
 * hashtable when a non-integer arrives, to hashtable past the intset limit,
 * listpack to hashtable past its limits); nothing converts back down.
 *
 * Members cross this API as SetElem: bytes, or an integer when they come
 * from an intset (so integer sets never format numbers they do not reply).
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_SET_INTERNAL_H
#define KEEL_TYPES_SET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "db/object.h"
#include "ds/ht.h"
#include "net/client.h"

/* set-max-intset-entries, set-max-listpack-entries (alias
 * set-max-ziplist-entries), set-max-listpack-value (alias
 * set-max-ziplist-value); registered in types/set_ops.c. */
extern long long cfg_set_max_intset_entries;
extern long long cfg_set_max_listpack_entries;
extern long long cfg_set_max_listpack_value;

/* One member: str/len bytes, or (str == NULL) the integer ival. Borrowed
 * from the set: valid until the set changes. */
typedef struct SetElem {
    const char *str;
    size_t len;
    long long ival;
} SetElem;

/* Iterator over any encoding; caller-provided storage, fields private. The
 * set must not change during the walk, except through set_iter_remove_current
 * semantics documented there. */
typedef struct SetIter {
    Obj *set;
    uint32_t pos;      /* intset: next index */
    unsigned char *lp; /* listpack: next element, NULL at the end */
    HtIter ht;         /* hashtable (safe iterator) */
} SetIter;

/* The hashtable type of HT-encoded sets: entries are members (below). */
extern const HtType set_ht_type;

/* A new member entry holding a copy of len bytes at s; freed with mem_free
 * (or by the table's destructor). */
void *set_member_create(const char *s, size_t len);

#define SET_MEMBER_LONG 0xFF /* prefix byte of a member of 255 bytes or more */

/* The bytes of a member entry (borrowed) and their length. */
static inline const char *set_member_bytes(const void *member, size_t *len) {
    const unsigned char *p = member;
    if (p[0] != SET_MEMBER_LONG) {
        *len = p[0];
        return (const char *)p + 1;
    }
    size_t l;
    memcpy(&l, p + 1, sizeof(l));
    *len = l;
    return (const char *)p + 1 + sizeof(l);
}

/* Bytes a member entry occupies (prefix and data). */
static inline size_t set_member_size(const void *member) {
    size_t len;
    const char *bytes = set_member_bytes(member, &len);
    return (size_t)(bytes - (const char *)member) + len;
}

/* ---- creating ---- */

/* A new bare set object able to hold size_hint members, the first of which
 * is first/len (Valkey's setTypeCreate): an intset when first is an integer
 * and the hint fits set-max-intset-entries, else a listpack when the hint
 * fits set-max-listpack-entries, else a hashtable presized to the hint. */
Obj *set_create_for(const char *first, size_t len, size_t size_hint);
/* A new bare empty intset-encoded set (results of SINTERSTORE and friends
 * start here and grow into the smallest encoding that fits). */
Obj *set_create_intset(void);

/* ---- members ---- */

size_t set_size(const Obj *set);
/* Adds a member; returns true if it was new. Converts the encoding when a
 * limit is crossed. */
bool set_add(Obj *set, const char *s, size_t len);
/* set_add for a SetElem (integers skip the text round trip into intsets). */
bool set_add_elem(Obj *set, const SetElem *e);
/* Removes a member; returns true if it was there. Never converts. */
bool set_remove(Obj *set, const char *s, size_t len);
bool set_remove_elem(Obj *set, const SetElem *e);
bool set_contains(Obj *set, const char *s, size_t len);
bool set_contains_elem(Obj *set, const SetElem *e);
/* Converts to encoding (OBJ_ENCODING_LISTPACK or OBJ_ENCODING_HT), the HT
 * presized for size_hint members. */
void set_convert(Obj *set, int encoding, size_t size_hint);

/* ---- walking and picking ---- */

void set_iter_init(SetIter *it, Obj *set);
/* Stores the next member in *e and returns true, or false at the end. */
bool set_iter_next(SetIter *it, SetElem *e);
void set_iter_deinit(SetIter *it);
/* A random member (set not empty). */
void set_random_elem(Obj *set, SetElem *e);

/* ---- helpers ---- */

/* The member as a new sds (caller frees). */
sds set_elem_to_sds(const SetElem *e);
/* The member as a new member entry (see set_member_create). */
void *set_elem_to_member(const SetElem *e);
/* The member's bytes: its own, or an integer formatted into buf (24). */
const char *set_elem_bytes(const SetElem *e, char *buf, size_t *len);
/* Replies the member as a bulk string. */
void set_reply_elem(Client *c, const SetElem *e);
/* Parses a member as Valkey's strict integer (what an intset can hold). */
bool set_elem_is_integer(const char *s, size_t len, long long *value);

/* A fresh 64-bit random number (splitmix64; main thread only). */
uint64_t set_random_u64(void);

#endif
