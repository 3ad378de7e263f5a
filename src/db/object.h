/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/object.h: reference-counted values (for now: strings, as used by
 * command arguments; the keyspace adds the other types).
 *
 * Threads: an object belongs to one thread at a time; refcounts are plain
 * ints, so an object shared between threads must be handed over, never used
 * by two at once.
 */
#ifndef KEEL_DB_OBJECT_H
#define KEEL_DB_OBJECT_H

#include <stddef.h>

#include "ds/sds.h"

#define OBJ_STRING 0

#define OBJ_ENCODING_RAW 0    /* ptr is an sds allocated on its own */
#define OBJ_ENCODING_INT 1    /* ptr holds a long (reserved for the keyspace) */
#define OBJ_ENCODING_EMBSTR 8 /* sds stored in the same allocation; read-only */

/* Largest string kept inline with its object header (one allocation). */
#define OBJ_EMBSTR_MAX 44

typedef struct Obj {
    unsigned type : 4;
    unsigned encoding : 4;
    unsigned lru : 24; /* LRU clock or LFU data (keyspace) */
    int refcount;
    void *ptr;
} Obj;

/* New string object with refcount 1: EMBSTR up to OBJ_EMBSTR_MAX, else RAW. */
Obj *obj_create_string(const char *p, size_t len);
/* New RAW string object taking ownership of s. */
Obj *obj_create_from_sds(sds s);
void obj_incr_ref(Obj *o);
/* Drops one reference; frees the object at zero. */
void obj_decr_ref(Obj *o);

static inline size_t obj_string_len(const Obj *o) {
    return sds_len((sds)o->ptr);
}

#endif
