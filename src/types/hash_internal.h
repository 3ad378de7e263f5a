/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_internal.h: what the hash files share: the value in its two
 * encodings behind one API (types/hash_value.c, types/hash_listpack.c),
 * the options, error texts and the per-database registry of hashes with
 * volatile fields (types/hash_expire.c).
 *
 * Encodings:
 *   OBJ_ENCODING_LISTPACK  o->ptr is a listpack: field, value, field, ...
 *                          (no field ever has an expire in this form);
 *   OBJ_ENCODING_HT        o->ptr is a HashDict: a table of entries
 *                          (types/hash_entry.h), plus a second table of the
 *                          entries that have an expire.
 * A listpack hash becomes a hashtable when it outgrows the options or when
 * one of its fields gets an expire (as Valkey 9 does); it never goes back.
 *
 * Expired fields are removed before any command sees the hash
 * (hash_lookup), so the rest of the code never meets one.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_HASH_INTERNAL_H
#define KEEL_TYPES_HASH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "db/object.h"
#include "ds/ht.h"
#include "ds/listpack.h"
#include "net/client.h"

#define HASH_ERR_NOT_INTEGER "hash value is not an integer"
#define HASH_ERR_NOT_FLOAT "hash value is not a float"
#define HASH_ERR_OVERFLOW "increment or decrement would overflow"
#define HASH_ERR_NAN "increment would produce NaN or Infinity"
#define HASH_ERR_NUMFIELDS \
    "numfields should be greater than 0 and match the provided number of fields"

/* hash-max-listpack-entries / -value (types/hash_ops.c). */
extern long long cfg_hash_max_listpack_entries;
extern long long cfg_hash_max_listpack_value;

/* The hashtable encoding's structure. */
typedef struct HashDict {
    Ht *fields;          /* every entry; owns them */
    Ht *volatile_fields; /* entries with an expire (borrowed); NULL when none */
    long long next_expire; /* no volatile field expires before this (ms); a
                              lower bound, made exact by each purge */
} HashDict;

/* ---- lookups (types/hash_value.c) ---- */

/* The hash under key, or NULL. Replies WRONGTYPE and returns NULL with
 * *wrongtype set when the key holds another type. Expired fields are
 * deleted first (and the key, if none is left). write: lookup for a write
 * command (no hit/miss counting). */
Obj *hash_lookup(Client *c, Db *db, Obj *key, bool write, bool *wrongtype);
/* Adds an empty listpack hash under key (which must not exist) and returns
 * the stored object. */
Obj *hash_add_empty(Db *db, Obj *key);
/* Converts a listpack hash to a hashtable when the fields and values in
 * argv[start..end] could not all be stored in the listpack. */
void hash_convert_for_args(Obj *o, Obj **argv, int start, int end);
/* Converts a listpack hash to the hashtable encoding (no-op otherwise). */
void hash_convert_to_ht(Obj *o);

/* ---- fields ---- */

/* A field's value: true with *v / *vlen set (bytes borrowed from the hash
 * or formatted into numbuf, LP_INTBUF_SIZE bytes), false if absent. */
bool hash_get(Obj *o, const char *f, size_t flen, const char **v, size_t *vlen, char *numbuf);
bool hash_exists(Obj *o, const char *f, size_t flen);
#define HASH_SET_KEEPTTL 1 /* keep the field's expire (else a set removes it) */
/* Sets a field; returns true if it was added, false if updated. Converts
 * the encoding when the listpack would outgrow the options. */
bool hash_set(Obj *o, const char *f, size_t flen, const char *v, size_t vlen, int flags);
/* Removes a field; returns false if it was absent. */
bool hash_delete(Obj *o, const char *f, size_t flen);
size_t hash_length(const Obj *o);

/* The field's expire (ms), HASH_NO_EXPIRE, or -2 when the field is absent. */
long long hash_get_expire(Obj *o, const char *f, size_t flen);
/* Sets a present field's expire (converting a listpack first) and registers
 * the key for active expiry. Returns false if the field is absent. */
bool hash_set_expire(Db *db, Obj *key, Obj *o, const char *f, size_t flen, long long when);
/* Removes a field's expire; returns 1 done, -1 no expire, -2 absent. */
int hash_persist(Obj *o, const char *f, size_t flen);
/* True when some field has an expire. */
bool hash_has_volatile(const Obj *o);
/* Deletes fields whose time has passed (at most max, 0 for all). Returns
 * how many; the caller notifies and deletes an emptied key. Each deleted
 * field is added to hdel when it is not NULL (the AOF's HDEL). */
struct PropagateBatch;
size_t hash_remove_expired(Obj *o, long long now, size_t max, struct PropagateBatch *hdel);

/* ---- walking ---- */

typedef struct HashIter {
    Obj *o;
    unsigned char *lp_pos; /* listpack: the next field */
    HtIter ht_iter;
    /* The current field and value (borrowed; formatted into the bufs for
     * integers stored in a listpack). */
    const char *field, *value;
    size_t flen, vlen;
    char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
    void *entry; /* hashtable: the current entry */
} HashIter;

/* The hash must not change during the walk. */
void hash_iter_init(HashIter *it, Obj *o);
bool hash_iter_next(HashIter *it);
void hash_iter_deinit(HashIter *it);

/* ---- listpack encoding (types/hash_listpack.c) ---- */

unsigned char *hash_lp_find(unsigned char *lp, const char *f, size_t flen);
/* Reads the element at p as bytes (integers formatted into buf). */
const char *hash_lp_bytes(const unsigned char *p, char *buf, size_t *len);
/* Adds or replaces; returns the listpack and sets *added. */
unsigned char *hash_lp_set(unsigned char *lp, const char *f, size_t flen, const char *v,
                           size_t vlen, bool *added);
unsigned char *hash_lp_delete(unsigned char *lp, const char *f, size_t flen, bool *deleted);
/* A HashDict holding the listpack's pairs; the listpack is not freed. */
HashDict *hash_lp_to_dict(unsigned char *lp);

/* ---- dict helpers (types/hash_value.c) ---- */

HashDict *hash_dict_create(void);
void hash_dict_destroy(HashDict *d);
/* The entry for field, or NULL; *ref gets its slot when ref is not NULL. */
void *hash_dict_find(HashDict *d, const char *f, size_t flen);

/* ---- random numbers (types/hash_random.c) ---- */

/* A uniform 64-bit random number (not for cryptography). */
unsigned long long hash_random(void);

/* ---- expire arguments (types/hash_ttl_cmd.c) ---- */

/* Converts an expire argument to a unix time in ms (base_ms: now for
 * relative forms, 0 for absolute ones). Returns false after replying the
 * integer error or "invalid expire time in '<cmd>' command" (negative or
 * overflowing; zero is allowed and expires at once). */
bool hash_expire_arg_to_ms(Client *c, const Obj *arg, long long base_ms, bool seconds,
                           long long *when);

/* ---- active expiry registry (types/hash_expire.c) ---- */

/* Remembers that the hash under key in db has volatile fields. */
void hash_registry_add(Db *db, Obj *key);
/* Deletes the fields of o that have expired (all when max is 0), sends the
 * notifications, deletes the key when it is left empty. c is the client
 * (NULL: the server). Returns true if the key was deleted. */
bool hash_expire_fields_now(Client *c, Db *db, Obj *key, Obj *o, size_t max, size_t *removed);

#endif
