/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/types.h: how the core handles a collection value (list, hash, set,
 * sorted set) without knowing its structure.
 *
 * db/object.c frees, copies and measures values, db/lazyfree.c weighs them
 * and db/db.c registers each type's options through the hooks below; each
 * type defines its TypeOps in types/<type>_ops.c next to its commands, and
 * types_register (types/types.c) hands them to db/object.c at startup.
 *
 * Threads: free_value may run on the lazy-free thread (the value is out of
 * every table by then); the rest run on the main thread.
 */
#ifndef KEEL_TYPES_TYPES_H
#define KEEL_TYPES_TYPES_H

#include <stddef.h>

typedef struct TypeOps {
    /* Frees the structure ptr in encoding. */
    void (*free_value)(int encoding, void *ptr);
    /* A deep copy of ptr, in the same encoding (COPY). */
    void *(*dup_value)(int encoding, const void *ptr);
    /* Bytes ptr uses beyond the object header; sample up to `samples`
     * elements and extrapolate (0: all of them). */
    size_t (*value_memory)(int encoding, const void *ptr, long long samples);
    /* Roughly how many allocations freeing ptr touches (lazy free sends
     * values over a threshold to the background thread). */
    size_t (*free_effort)(int encoding, const void *ptr);
} TypeOps;

extern const TypeOps list_type_ops; /* types/list_ops.c */
extern const TypeOps hash_type_ops; /* types/hash_ops.c */
extern const TypeOps set_type_ops;  /* types/set_ops.c */
extern const TypeOps zset_type_ops; /* types/zset_ops.c */

/* The ops of an object type (OBJ_LIST...), or NULL for strings (and for
 * every type before types_register). */
const TypeOps *type_ops_for(int type);
/* Makes ops the hooks of type (db/object.c keeps the table). */
void type_ops_register(int type, const TypeOps *ops);
/* Registers every collection type's hooks and options. Once, at startup,
 * from db_register_config. */
void types_register(void);

/* Each type's options (list-max-listpack-size, ...), registered by
 * types_register. */
void list_register_config(void);
void hash_register_config(void);
void set_register_config(void);
void zset_register_config(void);

#endif
