/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list_internal.h: what the list command files share: the list value
 * in either encoding (a single listpack, or a quicklist once it outgrows
 * list-max-listpack-size) behind one set of calls, and the options.
 *
 * A list value is never empty: the commands delete a key whose list they
 * emptied.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_LIST_INTERNAL_H
#define KEEL_TYPES_LIST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "ds/listpack.h"
#include "ds/quicklist.h"

#define LIST_HEAD 0
#define LIST_TAIL 1

/* list-max-listpack-size and list-compress-depth (types/list_ops.c). */
extern long long cfg_list_max_listpack_size;
extern long long cfg_list_compress_depth;

/* One element read from a list. Its bytes stay valid until the list
 * changes or the iterator that produced it moves. */
typedef struct ListEntry {
    const unsigned char *str; /* NULL for an integer */
    size_t len;
    long long ival;
    unsigned char *lp_pos; /* listpack encoding: the element */
    QlEntry ql;            /* quicklist encoding */
} ListEntry;

typedef struct ListIter {
    Obj *o;
    bool forward;
    unsigned char *lp_next; /* listpack: the next element, NULL at the end */
    QlIter ql;
} ListIter;

/* A new list object (bare, for db_add) holding an empty listpack. */
Obj *list_create(void);
unsigned long list_length(const Obj *o);

/* Converts o to a quicklist when adding the arguments argv[first..last]
 * would pass the listpack limit. Call before pushing/inserting them. */
void list_grow_for(Obj *o, Obj **argv, int first, int last);
/* Converts a quicklist of one small node back to a listpack (after
 * removing elements: the node must be under half the limit). */
void list_shrink_check(Obj *o);

void list_push(Obj *o, int where, const unsigned char *s, size_t len);
/* The element at the head or tail (the list is not empty). */
void list_peek(Obj *o, int where, ListEntry *e);
void list_pop_discard(Obj *o, int where);
/* Replaces the element at index (in range). */
void list_replace(Obj *o, long index, const unsigned char *s, size_t len);
/* Deletes count elements from start (normalized, in range). */
void list_delete_range(Obj *o, long start, unsigned long count);

/* Iteration from index (negative from the tail) one way; false when out of
 * range (nothing to release then). */
bool list_iter_init(ListIter *it, Obj *o, long index, bool forward);
bool list_iter_next(ListIter *it, ListEntry *e);
/* Deletes e; the iteration goes on with the next element. */
void list_iter_delete(ListIter *it, ListEntry *e);
/* Inserts before or after e; the iterator is done afterwards. */
void list_iter_insert(ListIter *it, ListEntry *e, bool after, const unsigned char *s, size_t len);
void list_iter_release(ListIter *it);

bool list_entry_equals(const ListEntry *e, const unsigned char *s, size_t len);
void list_reply_entry(Client *c, const ListEntry *e);
/* The entry's bytes as a new sds (the caller frees it). */
sds list_entry_to_sds(const ListEntry *e);

/* Parses LEFT/RIGHT (syntax error otherwise). */
bool list_arg_where(Client *c, Obj *arg, int *where);
/* Replies with up to count elements popped from o's `where` end (an array
 * of them), and deletes the key (key is its name) if that emptied it. */
void list_pop_reply_range(Client *c, Db *db, Obj *key, Obj *o, int where, long count);

#endif
