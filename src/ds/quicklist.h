/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/quicklist.h: a doubly linked list of listpack nodes, the big encoding
 * of lists.
 *
 * Each node holds a listpack of up to `fill` elements (fill > 0) or of up
 * to 4/8/16/32/64 KiB (fill -1..-5). An element too big for a node's byte
 * limit gets a "plain" node of its own holding just its bytes. With a
 * compress depth d > 0 every node but the d first and d last is kept LZF
 * compressed; a node that is read or changed is decompressed for the time
 * it is used and compressed again afterwards.
 *
 * Element pointers handed out (QlEntry.str) point into a node and stay
 * valid only until the next call that changes the list or moves an
 * iterator.
 *
 * Threads: none of its own; a quicklist belongs to one thread at a time.
 */
#ifndef KEEL_DS_QUICKLIST_H
#define KEEL_DS_QUICKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QL_HEAD 0
#define QL_TAIL 1

typedef struct QlNode {
    struct QlNode *prev, *next;
    unsigned char *entry; /* listpack, plain element bytes, or an LZF blob; owned */
    size_t sz;            /* uncompressed bytes of entry */
    uint32_t count;       /* elements (1 for a plain node) */
    uint32_t lzf_bytes;   /* bytes of the LZF blob when compressed */
    uint8_t plain;        /* entry is one element's bytes, not a listpack */
    uint8_t compressed;   /* entry is an LZF blob of sz bytes */
    uint8_t recompress;   /* decompressed to be used; compress when done */
    uint8_t incompressible; /* LZF could not shrink it; do not retry */
} QlNode;

typedef struct Quicklist {
    QlNode *head, *tail;
    unsigned long count; /* elements in all nodes */
    unsigned long len;   /* nodes */
    int fill;            /* list-max-listpack-size, clamped */
    unsigned compress;   /* list-compress-depth */
} Quicklist;

/* One element read from the list: a string (str != NULL) or an integer. */
typedef struct QlEntry {
    QlNode *node;
    unsigned char *pos; /* the element in node's listpack; NULL for plain */
    long offset;        /* index within the node */
    const unsigned char *str;
    size_t len;
    long long ival;
} QlEntry;

/* Walks elements one way. Holds the current node decompressed. */
typedef struct QlIter {
    Quicklist *ql;
    QlNode *node;       /* node of the next element, NULL when done */
    unsigned char *pos; /* next element in node's listpack (packed nodes) */
    long offset;        /* its index within the node */
    bool forward;
} QlIter;

Quicklist *ql_create(int fill, int compress);
/* A quicklist of one node holding lp (taken over). */
Quicklist *ql_create_from_listpack(int fill, int compress, unsigned char *lp);
void ql_destroy(Quicklist *ql);
Quicklist *ql_dup(const Quicklist *ql);
void ql_set_options(Quicklist *ql, int fill, int compress);

/* Whether a node of new_bytes bytes and new_count elements is over the
 * limit that fill sets (the listpack to quicklist conversion uses it). */
bool ql_exceeds_limit(int fill, size_t new_bytes, unsigned long new_count);
/* The byte and count limits of fill (SIZE_MAX / ULONG_MAX when unbounded). */
void ql_node_limits(int fill, size_t *bytes, unsigned long *count);

void ql_push(Quicklist *ql, int where, const unsigned char *s, size_t len);
/* The element at the head or tail; false when empty. */
bool ql_peek(Quicklist *ql, int where, QlEntry *e);
/* Removes the element at the head or tail (there must be one). */
void ql_pop_discard(Quicklist *ql, int where);

/* Replaces the element at index (in range). */
void ql_replace_at(Quicklist *ql, long index, const unsigned char *s, size_t len);
/* Deletes count elements from index start (normalized, in range). */
void ql_delete_range(Quicklist *ql, long start, unsigned long count);

/* Iterators: from the head (forward) or tail, or from index. */
void ql_iter_init(QlIter *it, Quicklist *ql, bool forward);
/* false (and it done) when index is out of range. */
bool ql_iter_init_at(QlIter *it, Quicklist *ql, bool forward, long index);
bool ql_iter_next(QlIter *it, QlEntry *e);
/* Deletes e (the element the last ql_iter_next gave); iteration goes on
 * with the element after it in the iterator's direction. */
void ql_iter_delete(QlIter *it, QlEntry *e);
/* Inserts s before or after e; the iterator is done afterwards. */
void ql_iter_insert(QlIter *it, QlEntry *e, bool after, const unsigned char *s, size_t len);
/* Ends iteration, compressing the node it held. */
void ql_iter_release(QlIter *it);

/* If ql is one packed node, hands its listpack out, frees ql and returns
 * it; else NULL and ql is unchanged. */
unsigned char *ql_take_listpack(Quicklist *ql);
/* Bytes allocated for ql (nodes sampled when samples > 0). */
size_t ql_memory(const Quicklist *ql, long long samples);

#endif
