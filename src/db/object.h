/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/object.h: reference-counted values, and the keyed objects the keyspace
 * stores.
 *
 * A command argument is a bare string object (header + sds). A value in the
 * keyspace is a *keyed* object: one allocation holding the 16-byte header,
 * then the expire time (only when the key ever had one), then the key bytes,
 * then (EMBSTR) the string value itself:
 *
 *   [Obj header 16][int64 expire ms]?[key len 1 or 1+8][key bytes][NUL][sds value]?
 *
 * So a string key costs one allocation and the hashtable slot that points at
 * it, with no dict entry and no separate key string. The price is that an
 * object moves when it gains an expire field or drops its embedded value:
 * only db/db.c does either, and it updates the tables that point at it.
 *
 * A bare string object doubles as a lookup key: obj_key() of an object
 * without an embedded key is its string value, so the hashtable can compare
 * a command's argv[i] with stored objects directly.
 *
 * Threads: an object belongs to one thread at a time; refcounts are plain
 * ints, so an object shared between threads must be handed over, never used
 * by two at once.
 */
#ifndef KEEL_DB_OBJECT_H
#define KEEL_DB_OBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ds/sds.h"

/* Types, numbered as Valkey numbers them (TYPE and OBJECT use the names). */
#define OBJ_STRING 0
#define OBJ_LIST 1
#define OBJ_SET 2
#define OBJ_ZSET 3
#define OBJ_HASH 4
#define OBJ_STREAM 6

/* Encodings, numbered as Valkey numbers them. The collection encodings'
 * structures live in src/ds/ and their types in src/types/ (types/types.h
 * is how this file frees, copies and measures them). */
#define OBJ_ENCODING_RAW 0        /* ptr is an sds allocated on its own */
#define OBJ_ENCODING_INT 1        /* ptr holds a long long (keyed strings only) */
#define OBJ_ENCODING_HT 2         /* hashtable ("hashtable"): hashes, sets, zsets */
#define OBJ_ENCODING_INTSET 6     /* sets of integers */
#define OBJ_ENCODING_SKIPLIST 7   /* zsets: skiplist + hashtable */
#define OBJ_ENCODING_EMBSTR 8     /* sds stored in the same allocation; read-only */
#define OBJ_ENCODING_QUICKLIST 9  /* lists: linked listpacks */
#define OBJ_ENCODING_LISTPACK 11  /* small lists, hashes, sets, zsets */

/* Largest string reported as "embstr" and kept inline in a bare object. */
#define OBJ_EMBSTR_MAX 44
/* Largest string value a keyed object embeds (reported as "raw" above
 * OBJ_EMBSTR_MAX, since to a user it behaves as one). Bigger values get an
 * sds of their own, so that gaining an expire never copies megabytes. */
#define OBJ_EMBED_VALUE_MAX 16384

typedef struct Obj {
    unsigned type : 4;
    unsigned encoding : 4;
    unsigned lru : 24;            /* LRU clock or LFU data (db/evict.c) */
    unsigned refcount : 29;
    unsigned has_expire_field : 1; /* an int64 expire follows the header */
    unsigned has_key : 1;          /* the key is embedded (a keyspace value) */
    unsigned unused : 1;
    void *ptr;
} Obj;

/* New bare string object with refcount 1: EMBSTR up to OBJ_EMBSTR_MAX, else
 * RAW. */
Obj *obj_create_string(const char *p, size_t len);
/* New bare object of any type, taking ownership of ptr (the type's
 * structure in the given encoding), refcount 1. db_add / db_set turn it
 * into a keyed object without copying the structure. */
Obj *obj_create(int type, int encoding, void *ptr);
/* New bare RAW string object taking ownership of s. */
Obj *obj_create_from_sds(sds s);
/* New bare string object holding the decimal form of value. */
Obj *obj_create_string_from_ll(long long value);
void obj_incr_ref(Obj *o);
/* Drops one reference; frees the object (and its value) at zero. */
void obj_decr_ref(Obj *o);

/* ---- keyed objects (the keyspace's values) ---- */

/* New keyed string object holding a copy of val: INT when val is the
 * canonical form of a long long of up to 20 bytes, else the value embedded
 * (up to OBJ_EMBED_VALUE_MAX) or in an sds of its own. expire is a unix time
 * in ms, or -1 for none (no expire field is allocated then). */
Obj *obj_create_keyed_string(const char *key, size_t keylen, long long expire, const char *val,
                             size_t vlen);
/* New keyed object for a value that is not an embedded string: takes
 * ownership of ptr (an sds for RAW strings, the type's structure for other
 * types; for INT, the number itself). */
Obj *obj_create_keyed(const char *key, size_t keylen, long long expire, int type, int encoding,
                      void *ptr);
/* New keyed object holding the value of val (any type, keyed or bare; a
 * string is copied, another type's structure is moved: val must then hold
 * its only reference, and loses its value). Consumes one reference of val. */
Obj *obj_rekey(Obj *val, const char *key, size_t keylen, long long expire);
/* Returns o with an expire field set to when (-1: none). May reallocate: the
 * old pointer is invalid unless the result equals it. Keyed objects only;
 * refcount must be 1. */
Obj *obj_set_expire(Obj *o, long long when);
/* Returns o with its string value in an sds of its own (RAW), so it can be
 * changed in place; INT and EMBSTR values are converted. May reallocate, as
 * obj_set_expire. Keyed string objects only. */
Obj *obj_unshare_string(Obj *o);
/* Frees a keyed or bare object whatever its refcount (the keyspace's
 * destructor). */
void obj_free(Obj *o);
/* New keyed object under key holding a deep copy of keyed object o's value,
 * in o's encoding (COPY); o is unchanged. The copy's lru field is unset. */
Obj *obj_duplicate_keyed(const Obj *o, const char *key, size_t keylen, long long expire);
/* Keyed object o under another key, with its value, encoding, expire and lru
 * (RENAME). o must be out of every table; it is freed (its value moves). */
Obj *obj_rename_keyed(Obj *o, const char *key, size_t keylen);

/* The key of a keyed object, or the string value of a bare string object
 * (so argv[i] can be passed where a key is looked up). Never NUL-free: the
 * embedded key is NUL-terminated. */
static inline const char *obj_key(const Obj *o, size_t *len) {
    if (!o->has_key) {
        *len = sds_len((sds)o->ptr);
        return o->ptr;
    }
    const unsigned char *p = (const unsigned char *)(o + 1) + (o->has_expire_field ? 8 : 0);
    if (p[0] < 255) {
        *len = p[0];
        return (const char *)p + 1;
    }
    size_t l;
    memcpy(&l, p + 1, sizeof(l));
    *len = l;
    return (const char *)p + 1 + sizeof(l);
}

/* The expire time of a keyed object in unix ms, or -1 for none. */
static inline long long obj_get_expire(const Obj *o) {
    if (!o->has_expire_field) return -1;
    long long when;
    memcpy(&when, o + 1, sizeof(when));
    return when;
}

/* Byte length of a RAW or EMBSTR string value (not INT: use obj_string_bytes). */
static inline size_t obj_string_len(const Obj *o) {
    return sds_len((sds)o->ptr);
}

/* The bytes of any string value: for INT, formatted into buf (at least 21
 * bytes). */
const char *obj_string_bytes(const Obj *o, char *buf, size_t *len);
/* Length of any string value (INT included). */
size_t obj_string_length(const Obj *o);

/* Names for TYPE and OBJECT ENCODING. */
const char *obj_type_name(const Obj *o);
const char *obj_encoding_name(const Obj *o);
/* Bytes of memory the object uses, as MEMORY USAGE reports it (its own
 * allocation and its value; a collection samples up to `samples` elements
 * and extrapolates, 0 meaning all of them). */
size_t obj_memory_usage_sampled(const Obj *o, long long samples);
/* obj_memory_usage_sampled with Valkey's default of 5 samples. */
size_t obj_memory_usage(const Obj *o);

#endif
