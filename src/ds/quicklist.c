/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/quicklist.c: the linked list of listpack nodes (see quicklist.h).
 *
 * Compression keeps one invariant loosely: the `compress` nodes nearest
 * each end are raw, and nodes further in are compressed when they are
 * created or touched (ql_compress_around). Correctness never depends on it:
 * every reader goes through ql_node_use, which decompresses on demand.
 *
 * Threads: none of its own; a quicklist belongs to one thread at a time.
 */
#include "ds/quicklist.h"

#include <assert.h>
#include <limits.h>
#include <liblzf/lzf.h>
#include <string.h>

#include "ds/listpack.h"
#include "server/mem.h"

/* Byte limits of fill -1..-5. */
static const size_t ql_size_limits[] = {4096, 8192, 16384, 32768, 65536};
/* Count-limited nodes still stop growing at 8 KiB (Valkey's safety
 * limit), unless a single element is bigger. */
#define QL_SIZE_SAFETY_LIMIT 8192
/* Worst-case listpack overhead of one element (encoding and back-length). */
#define QL_ENTRY_OVERHEAD 11
/* Elements bigger than this get a plain node when fill counts elements. */
#define QL_PACKED_THRESHOLD (1UL << 30)
#define QL_FILL_MAX (1 << 15)
/* LZF is not tried on less, and must save at least this much. */
#define QL_MIN_COMPRESS_BYTES 48
#define QL_MIN_COMPRESS_IMPROVE 8

/* ---- limits ---- */

void ql_node_limits(int fill, size_t *bytes, unsigned long *count) {
    if (fill >= 0) {
        *bytes = SIZE_MAX;
        *count = fill == 0 ? 1 : (unsigned long)fill;
    } else {
        int level = -fill - 1;
        if (level > 4) level = 4;
        *bytes = ql_size_limits[level];
        *count = ULONG_MAX;
    }
}

bool ql_exceeds_limit(int fill, size_t new_bytes, unsigned long new_count) {
    size_t byte_limit;
    unsigned long count_limit;
    ql_node_limits(fill, &byte_limit, &count_limit);
    if (byte_limit != SIZE_MAX) return new_bytes > byte_limit;
    if (new_bytes > QL_SIZE_SAFETY_LIMIT) return true;
    return new_count > count_limit;
}

static bool ql_is_large(const Quicklist *ql, size_t len) {
    if (ql->fill >= 0) return len > QL_PACKED_THRESHOLD;
    size_t byte_limit;
    unsigned long count_limit;
    ql_node_limits(ql->fill, &byte_limit, &count_limit);
    return len > byte_limit;
}

static bool ql_node_allows_insert(const Quicklist *ql, const QlNode *node, size_t len) {
    if (node == NULL || node->plain || ql_is_large(ql, len)) return false;
    if (node->count >= UINT16_MAX) return false;
    return !ql_exceeds_limit(ql->fill, node->sz + len + QL_ENTRY_OVERHEAD, node->count + 1);
}

/* ---- nodes and compression ---- */

static QlNode *ql_node_create_packed(void) {
    QlNode *node = mem_calloc(sizeof(*node));
    node->entry = lp_new(0);
    node->sz = lp_bytes(node->entry);
    return node;
}

static QlNode *ql_node_create_plain(const unsigned char *s, size_t len) {
    QlNode *node = mem_calloc(sizeof(*node));
    node->entry = mem_alloc(len ? len : 1);
    if (len) memcpy(node->entry, s, len);
    node->sz = len;
    node->count = 1;
    node->plain = 1;
    return node;
}

static void ql_node_destroy(QlNode *node) {
    mem_free(node->entry);
    mem_free(node);
}

/* Compresses node when LZF saves enough; a node in use stays as it is
 * until its user calls this again with recompress cleared. */
static void ql_node_compress(QlNode *node) {
    node->recompress = 0;
    if (node->compressed || node->incompressible || node->sz < QL_MIN_COMPRESS_BYTES) return;
    size_t cap = node->sz - QL_MIN_COMPRESS_IMPROVE;
    unsigned char *blob = mem_alloc(cap);
    unsigned out = lzf_compress(node->entry, (unsigned)node->sz, blob, (unsigned)cap);
    if (out == 0) {
        mem_free(blob);
        node->incompressible = 1;
        return;
    }
    mem_free(node->entry);
    node->entry = mem_realloc(blob, out);
    node->lzf_bytes = out;
    node->compressed = 1;
}

static void ql_node_decompress(QlNode *node) {
    if (!node->compressed) return;
    unsigned char *raw = mem_alloc(node->sz ? node->sz : 1);
    unsigned out = lzf_decompress(node->entry, node->lzf_bytes, raw, (unsigned)node->sz);
    assert(out == node->sz);
    (void)out;
    mem_free(node->entry);
    node->entry = raw;
    node->compressed = 0;
}

/* Makes node readable; ql_compress_around compresses it again if inner. */
static void ql_node_use(QlNode *node) {
    if (node->compressed) {
        ql_node_decompress(node);
        node->recompress = 1;
    }
}

/* Keeps the `compress` nodes at each end raw, compresses the first inner
 * node on each side (the one a push just moved inward), and node too when
 * it is inner. */
static void ql_compress_around(Quicklist *ql, QlNode *node) {
    unsigned depth = ql->compress;
    if (depth == 0) {
        if (node) node->recompress = 0;
        return;
    }
    QlNode *fwd = ql->head, *rev = ql->tail;
    bool node_is_edge = false;
    for (unsigned i = 0; i < depth; i++) {
        if (fwd == NULL) return;
        ql_node_decompress(fwd);
        ql_node_decompress(rev);
        fwd->recompress = rev->recompress = 0;
        if (fwd == node || rev == node) node_is_edge = true;
        if (fwd == rev || fwd->next == rev) return; /* every node is an edge */
        fwd = fwd->next;
        rev = rev->prev;
    }
    ql_node_compress(fwd);
    if (rev != fwd) ql_node_compress(rev);
    if (node && !node_is_edge) ql_node_compress(node);
}

static void ql_link_after(Quicklist *ql, QlNode *old, QlNode *node) {
    node->prev = old;
    node->next = old ? old->next : ql->head;
    if (node->next) node->next->prev = node;
    else ql->tail = node;
    if (old) old->next = node;
    else ql->head = node;
    ql->len++;
}

static void ql_link_before(Quicklist *ql, QlNode *old, QlNode *node) {
    if (old == NULL) {
        ql_link_after(ql, ql->tail, node);
        return;
    }
    ql_link_after(ql, old->prev, node);
}

static void ql_unlink(Quicklist *ql, QlNode *node) {
    if (node->prev) node->prev->next = node->next;
    else ql->head = node->next;
    if (node->next) node->next->prev = node->prev;
    else ql->tail = node->prev;
    ql->len--;
}

static void ql_node_set_lp(QlNode *node, unsigned char *lp) {
    node->entry = lp;
    node->sz = lp_bytes(lp);
    node->incompressible = 0;
}

/* ---- whole list ---- */

void ql_set_options(Quicklist *ql, int fill, int compress) {
    if (fill > QL_FILL_MAX) fill = QL_FILL_MAX;
    if (fill < -5) fill = -5;
    ql->fill = fill;
    ql->compress = compress < 0 ? 0 : (unsigned)compress;
}

Quicklist *ql_create(int fill, int compress) {
    Quicklist *ql = mem_calloc(sizeof(*ql));
    ql_set_options(ql, fill, compress);
    return ql;
}

Quicklist *ql_create_from_listpack(int fill, int compress, unsigned char *lp) {
    Quicklist *ql = ql_create(fill, compress);
    QlNode *node = mem_calloc(sizeof(*node));
    ql_node_set_lp(node, lp);
    node->count = (uint32_t)lp_length(lp);
    ql_link_after(ql, NULL, node);
    ql->count = node->count;
    return ql;
}

void ql_destroy(Quicklist *ql) {
    QlNode *node = ql->head;
    while (node) {
        QlNode *next = node->next;
        ql_node_destroy(node);
        node = next;
    }
    mem_free(ql);
}

Quicklist *ql_dup(const Quicklist *ql) {
    Quicklist *copy = ql_create(ql->fill, (int)ql->compress);
    for (const QlNode *node = ql->head; node; node = node->next) {
        QlNode *n = mem_alloc(sizeof(*n));
        *n = *node;
        size_t bytes = node->compressed ? node->lzf_bytes : node->sz;
        n->entry = mem_alloc(bytes ? bytes : 1);
        memcpy(n->entry, node->entry, bytes);
        ql_link_after(copy, copy->tail, n);
    }
    copy->count = ql->count;
    return copy;
}

unsigned char *ql_take_listpack(Quicklist *ql) {
    if (ql->len != 1 || ql->head->plain) return NULL;
    QlNode *node = ql->head;
    ql_node_decompress(node);
    unsigned char *lp = node->entry;
    mem_free(node);
    mem_free(ql);
    return lp;
}

size_t ql_memory(const Quicklist *ql, long long samples) {
    size_t total = mem_size((void *)ql);
    size_t nodes_bytes = 0;
    unsigned long seen = 0;
    for (const QlNode *node = ql->head; node; node = node->next) {
        nodes_bytes += mem_size((void *)node) + mem_size(node->entry);
        seen++;
        if (samples > 0 && seen >= (unsigned long)samples) break;
    }
    if (seen && seen < ql->len) nodes_bytes = nodes_bytes / seen * ql->len;
    return total + nodes_bytes;
}

/* ---- ends ---- */

void ql_push(Quicklist *ql, int where, const unsigned char *s, size_t len) {
    QlNode *end = where == QL_HEAD ? ql->head : ql->tail;
    if (end) ql_node_use(end);
    if (ql_node_allows_insert(ql, end, len)) {
        unsigned char *lp = where == QL_HEAD ? lp_prepend(end->entry, s, len)
                                             : lp_append(end->entry, s, len);
        ql_node_set_lp(end, lp);
        end->count++;
        end->recompress = 0;
    } else {
        QlNode *node;
        if (ql_is_large(ql, len)) {
            node = ql_node_create_plain(s, len);
        } else {
            node = ql_node_create_packed();
            ql_node_set_lp(node, lp_append(node->entry, s, len));
            node->count = 1;
        }
        if (where == QL_HEAD) ql_link_after(ql, NULL, node);
        else ql_link_after(ql, ql->tail, node);
    }
    ql->count++;
    ql_compress_around(ql, end);
}

static void ql_entry_fill(QlEntry *e, QlNode *node, unsigned char *pos, long offset) {
    e->node = node;
    e->pos = pos;
    e->offset = offset;
    if (node->plain) {
        e->str = node->entry;
        e->len = node->sz;
        e->ival = 0;
        return;
    }
    LpEntry le;
    lp_get(pos, &le);
    e->str = le.str;
    e->len = le.len;
    e->ival = le.ival;
}

bool ql_peek(Quicklist *ql, int where, QlEntry *e) {
    QlNode *node = where == QL_HEAD ? ql->head : ql->tail;
    if (node == NULL) return false;
    ql_node_use(node);
    node->recompress = 0; /* end nodes stay raw */
    if (node->plain) {
        ql_entry_fill(e, node, NULL, 0);
    } else {
        unsigned char *pos = where == QL_HEAD ? lp_first(node->entry) : lp_last(node->entry);
        ql_entry_fill(e, node, pos, where == QL_HEAD ? 0 : (long)node->count - 1);
    }
    return true;
}

/* Deletes the element at (node, pos). Returns the element that followed
 * it in the node (NULL if none), or NULL when the node went away (then
 * *node_gone is set). */
static unsigned char *ql_delete_in_node(Quicklist *ql, QlNode *node, unsigned char *pos,
                                        bool *node_gone) {
    ql->count--;
    if (node->plain || node->count == 1) {
        ql_unlink(ql, node);
        ql_node_destroy(node);
        *node_gone = true;
        return NULL;
    }
    *node_gone = false;
    unsigned char *lp = lp_delete(node->entry, &pos);
    ql_node_set_lp(node, lp);
    node->count--;
    return pos;
}

void ql_pop_discard(Quicklist *ql, int where) {
    QlEntry e;
    bool found = ql_peek(ql, where, &e);
    assert(found);
    (void)found;
    bool gone;
    ql_delete_in_node(ql, e.node, e.pos, &gone);
    if (gone) ql_compress_around(ql, NULL);
}

/* ---- by index ---- */

/* The node holding index (normalized into [0, count)) and the offset in it. */
static QlNode *ql_locate(Quicklist *ql, unsigned long index, long *offset) {
    if (index < ql->count / 2) {
        unsigned long seen = 0;
        for (QlNode *node = ql->head; node; node = node->next) {
            if (index < seen + node->count) {
                *offset = (long)(index - seen);
                return node;
            }
            seen += node->count;
        }
    } else {
        unsigned long seen = ql->count;
        for (QlNode *node = ql->tail; node; node = node->prev) {
            seen -= node->count;
            if (index >= seen) {
                *offset = (long)(index - seen);
                return node;
            }
        }
    }
    return NULL;
}

static bool ql_normalize(const Quicklist *ql, long index, unsigned long *out) {
    if (index < 0) index += (long)ql->count;
    if (index < 0 || (unsigned long)index >= ql->count) return false;
    *out = (unsigned long)index;
    return true;
}

void ql_iter_init(QlIter *it, Quicklist *ql, bool forward) {
    it->ql = ql;
    it->forward = forward;
    it->node = NULL;
    if (ql->count) ql_iter_init_at(it, ql, forward, forward ? 0 : -1);
}

bool ql_iter_init_at(QlIter *it, Quicklist *ql, bool forward, long index) {
    it->ql = ql;
    it->forward = forward;
    it->node = NULL;
    unsigned long at;
    if (!ql_normalize(ql, index, &at)) return false;
    long offset;
    QlNode *node = ql_locate(ql, at, &offset);
    ql_node_use(node);
    it->node = node;
    it->offset = offset;
    it->pos = node->plain ? NULL : lp_seek(node->entry, offset);
    return true;
}

/* Moves the iterator onto the next node in its direction. */
static void ql_iter_enter(QlIter *it, QlNode *node) {
    it->node = node;
    if (node == NULL) return;
    ql_node_use(node);
    it->offset = it->forward ? 0 : (long)node->count - 1;
    it->pos = node->plain ? NULL : it->forward ? lp_first(node->entry) : lp_last(node->entry);
}

bool ql_iter_next(QlIter *it, QlEntry *e) {
    while (it->node) {
        QlNode *node = it->node;
        if (it->offset >= 0 && it->offset < (long)node->count) {
            ql_entry_fill(e, node, it->pos, it->offset);
            if (it->forward) {
                it->offset++;
                if (it->pos) it->pos = lp_next(node->entry, it->pos);
            } else {
                it->offset--;
                if (it->pos) it->pos = lp_prev(node->entry, it->pos);
            }
            return true;
        }
        if (node->recompress) ql_compress_around(it->ql, node);
        ql_iter_enter(it, it->forward ? node->next : node->prev);
    }
    return false;
}

void ql_iter_release(QlIter *it) {
    if (it->node && it->node->recompress) ql_compress_around(it->ql, it->node);
    it->node = NULL;
}

void ql_iter_delete(QlIter *it, QlEntry *e) {
    QlNode *node = e->node;
    QlNode *prev = node->prev, *next = node->next;
    bool gone;
    unsigned char *after = ql_delete_in_node(it->ql, node, e->pos, &gone);
    if (gone) {
        ql_iter_enter(it, it->forward ? next : prev);
        return;
    }
    if (it->forward) {
        it->offset = e->offset;
        it->pos = after;
    } else {
        it->offset = e->offset - 1;
        if (e->offset == 0) it->pos = NULL;
        else it->pos = after ? lp_prev(node->entry, after) : lp_last(node->entry);
    }
}

/* ---- changing in the middle ---- */

/* Moves elements [offset, count) of node into a new node after it. */
static QlNode *ql_split(Quicklist *ql, QlNode *node, long offset) {
    QlNode *right = mem_calloc(sizeof(*right));
    unsigned char *copy = lp_dup(node->entry);
    ql_node_set_lp(right, lp_delete_range(copy, 0, (unsigned long)offset));
    right->count = node->count - (uint32_t)offset;
    ql_node_set_lp(node, lp_delete_range(node->entry, offset, right->count));
    node->count = (uint32_t)offset;
    ql_link_after(ql, node, right);
    return right;
}

/* Merges b (after a) into a when both are packed and the sum fits. */
static bool ql_try_merge(Quicklist *ql, QlNode *a, QlNode *b) {
    if (a == NULL || b == NULL || a->plain || b->plain) return false;
    if (ql_exceeds_limit(ql->fill, a->sz + b->sz - 7, (unsigned long)a->count + b->count) ||
        a->count + b->count > UINT16_MAX)
        return false;
    ql_node_decompress(a);
    ql_node_decompress(b);
    ql_node_set_lp(a, lp_merge(a->entry, b->entry));
    a->count += b->count;
    ql_unlink(ql, b);
    mem_free(b);
    return true;
}

/* Inserts into node at element position idx (0..count). */
static void ql_insert_at(Quicklist *ql, QlNode *node, long idx, const unsigned char *s,
                         size_t len) {
    ql_node_use(node);
    QlNode *touched = node;
    if (ql_node_allows_insert(ql, node, len)) {
        unsigned char *lp;
        if (idx == (long)node->count) lp = lp_append(node->entry, s, len);
        else lp = lp_insert(node->entry, lp_seek(node->entry, idx), LP_BEFORE, s, len, NULL);
        ql_node_set_lp(node, lp);
        node->count++;
    } else if (idx == (long)node->count && ql_node_allows_insert(ql, node->next, len)) {
        touched = node->next;
        ql_node_use(touched);
        ql_node_set_lp(touched, lp_prepend(touched->entry, s, len));
        touched->count++;
    } else if (idx == 0 && ql_node_allows_insert(ql, node->prev, len)) {
        touched = node->prev;
        ql_node_use(touched);
        ql_node_set_lp(touched, lp_append(touched->entry, s, len));
        touched->count++;
    } else {
        QlNode *fresh;
        if (ql_is_large(ql, len)) {
            fresh = ql_node_create_plain(s, len);
        } else {
            fresh = ql_node_create_packed();
            ql_node_set_lp(fresh, lp_append(fresh->entry, s, len));
            fresh->count = 1;
        }
        if (idx == 0) {
            ql_link_before(ql, node, fresh);
        } else if (idx == (long)node->count) {
            ql_link_after(ql, node, fresh);
        } else {
            QlNode *right = ql_split(ql, node, idx);
            ql_link_after(ql, node, fresh);
            if (ql_try_merge(ql, fresh, right)) right = NULL;
            if (ql_try_merge(ql, node, fresh)) fresh = node;
            if (right) ql_compress_around(ql, right);
        }
        ql_compress_around(ql, fresh);
        if (fresh != node) ql_compress_around(ql, node);
        ql->count++;
        return;
    }
    ql->count++;
    ql_compress_around(ql, touched);
    if (touched != node) ql_compress_around(ql, node);
}

void ql_iter_insert(QlIter *it, QlEntry *e, bool after, const unsigned char *s, size_t len) {
    it->node = NULL; /* the nodes may merge or split: nothing to release */
    ql_insert_at(it->ql, e->node, e->offset + (after ? 1 : 0), s, len);
}

void ql_replace_at(Quicklist *ql, long index, const unsigned char *s, size_t len) {
    unsigned long at;
    bool ok = ql_normalize(ql, index, &at);
    assert(ok);
    (void)ok;
    long offset;
    QlNode *node = ql_locate(ql, at, &offset);
    ql_node_use(node);
    if (!node->plain && !ql_is_large(ql, len)) {
        unsigned char *pos = lp_seek(node->entry, offset);
        LpEntry old;
        lp_get(pos, &old);
        size_t old_len = old.str ? old.len : 8;
        if (!ql_exceeds_limit(ql->fill, node->sz - old_len + len, node->count)) {
            ql_node_set_lp(node, lp_replace(node->entry, &pos, s, len));
            ql_compress_around(ql, node);
            return;
        }
    }
    if (node->plain && ql_is_large(ql, len)) {
        mem_free(node->entry);
        node->entry = mem_alloc(len ? len : 1);
        memcpy(node->entry, s, len);
        node->sz = len;
        node->incompressible = 0;
        ql_compress_around(ql, node);
        return;
    }
    /* Does not fit where it is: insert the new one after, drop the old. */
    ql_insert_at(ql, node, offset + 1, s, len);
    ql_delete_range(ql, (long)at, 1);
}

void ql_delete_range(Quicklist *ql, long start, unsigned long count) {
    unsigned long at;
    if (count == 0 || !ql_normalize(ql, start, &at)) return;
    if (count > ql->count - at) count = ql->count - at;
    long offset;
    QlNode *node = ql_locate(ql, at, &offset);
    QlNode *first_touched = NULL, *last_touched = NULL;
    while (count && node) {
        QlNode *next = node->next;
        unsigned long in_node = node->count - (unsigned long)offset;
        unsigned long take = count < in_node ? count : in_node;
        if (offset == 0 && take == node->count) {
            ql_unlink(ql, node);
            ql_node_destroy(node);
        } else {
            ql_node_use(node);
            ql_node_set_lp(node, lp_delete_range(node->entry, offset, take));
            node->count -= (uint32_t)take;
            if (first_touched == NULL) first_touched = node;
            last_touched = node;
        }
        ql->count -= take;
        count -= take;
        offset = 0;
        node = next;
    }
    ql_compress_around(ql, last_touched);
    if (first_touched && first_touched != last_touched) ql_compress_around(ql, first_touched);
}
