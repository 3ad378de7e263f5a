/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list_value.c: a list value in either encoding behind one set of
 * calls (see list_internal.h), and the conversions between the encodings.
 *
 * A list starts as one listpack. It becomes a quicklist when a push or an
 * insert would take the listpack past list-max-listpack-size (a node's
 * limit, by bytes or by count), and goes back to a listpack when a removal
 * leaves a quicklist of a single node under half that limit, so a list
 * hovering at the limit does not convert back and forth.
 *
 * Threads: main only.
 */
#include <string.h>

#include "db/notify.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/list_internal.h"

Obj *list_create(void) {
    return obj_create(OBJ_LIST, OBJ_ENCODING_LISTPACK, lp_new(0));
}

unsigned long list_length(const Obj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return lp_length(o->ptr);
    return ((const Quicklist *)o->ptr)->count;
}

/* ---- conversions ---- */

void list_grow_for(Obj *o, Obj **argv, int first, int last) {
    if (o->encoding != OBJ_ENCODING_LISTPACK) return;
    size_t add_bytes = 0;
    for (int i = first; i <= last; i++) add_bytes += obj_string_length(argv[i]);
    unsigned char *lp = o->ptr;
    int fill = (int)cfg_list_max_listpack_size;
    if (!ql_exceeds_limit(fill, lp_bytes(lp) + add_bytes,
                          lp_length(lp) + (unsigned long)(last - first + 1)))
        return;
    if (lp_length(lp) == 0) {
        lp_free(lp);
        o->ptr = ql_create(fill, (int)cfg_list_compress_depth);
    } else {
        o->ptr = ql_create_from_listpack(fill, (int)cfg_list_compress_depth, lp);
    }
    o->encoding = OBJ_ENCODING_QUICKLIST;
}

void list_shrink_check(Obj *o) {
    if (o->encoding != OBJ_ENCODING_QUICKLIST) return;
    Quicklist *ql = o->ptr;
    if (ql->len != 1 || ql->head->plain) return;
    size_t byte_limit;
    unsigned long count_limit;
    ql_node_limits((int)cfg_list_max_listpack_size, &byte_limit, &count_limit);
    if (ql->head->sz > byte_limit / 2 || ql->count > count_limit / 2) return;
    o->ptr = ql_take_listpack(ql);
    o->encoding = OBJ_ENCODING_LISTPACK;
}

/* ---- ends ---- */

void list_push(Obj *o, int where, const unsigned char *s, size_t len) {
    if (o->encoding == OBJ_ENCODING_LISTPACK)
        o->ptr = where == LIST_HEAD ? lp_prepend(o->ptr, s, len) : lp_append(o->ptr, s, len);
    else
        ql_push(o->ptr, where == LIST_HEAD ? QL_HEAD : QL_TAIL, s, len);
}

static void entry_from_lp(ListEntry *e, unsigned char *p) {
    LpEntry le;
    lp_get(p, &le);
    e->str = le.str;
    e->len = le.len;
    e->ival = le.ival;
    e->lp_pos = p;
}

static void entry_from_ql(ListEntry *e) {
    e->str = e->ql.str;
    e->len = e->ql.len;
    e->ival = e->ql.ival;
    e->lp_pos = NULL;
}

void list_peek(Obj *o, int where, ListEntry *e) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        entry_from_lp(e, where == LIST_HEAD ? lp_first(o->ptr) : lp_last(o->ptr));
        return;
    }
    ql_peek(o->ptr, where == LIST_HEAD ? QL_HEAD : QL_TAIL, &e->ql);
    entry_from_ql(e);
}

void list_pop_discard(Obj *o, int where) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *p = where == LIST_HEAD ? lp_first(o->ptr) : lp_last(o->ptr);
        o->ptr = lp_delete(o->ptr, &p);
    } else {
        ql_pop_discard(o->ptr, where == LIST_HEAD ? QL_HEAD : QL_TAIL);
    }
}

/* ---- by index ---- */

void list_replace(Obj *o, long index, const unsigned char *s, size_t len) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *p = lp_seek(o->ptr, index);
        o->ptr = lp_replace(o->ptr, &p, s, len);
    } else {
        ql_replace_at(o->ptr, index, s, len);
    }
}

void list_delete_range(Obj *o, long start, unsigned long count) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) o->ptr = lp_delete_range(o->ptr, start, count);
    else ql_delete_range(o->ptr, start, count);
}

/* ---- iteration ---- */

bool list_iter_init(ListIter *it, Obj *o, long index, bool forward) {
    it->o = o;
    it->forward = forward;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        it->lp_next = lp_seek(o->ptr, index);
        return it->lp_next != NULL;
    }
    return ql_iter_init_at(&it->ql, o->ptr, forward, index);
}

bool list_iter_next(ListIter *it, ListEntry *e) {
    if (it->o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *p = it->lp_next;
        if (p == NULL) return false;
        entry_from_lp(e, p);
        it->lp_next = it->forward ? lp_next(it->o->ptr, p) : lp_prev(it->o->ptr, p);
        return true;
    }
    if (!ql_iter_next(&it->ql, &e->ql)) return false;
    entry_from_ql(e);
    return true;
}

void list_iter_delete(ListIter *it, ListEntry *e) {
    if (it->o->encoding != OBJ_ENCODING_LISTPACK) {
        ql_iter_delete(&it->ql, &e->ql);
        return;
    }
    unsigned char *lp = it->o->ptr;
    unsigned char *p = e->lp_pos;
    if (it->forward) {
        it->o->ptr = lp_delete(lp, &p);
        it->lp_next = p;
    } else {
        /* The next one lies before p, so its offset survives the delete. */
        size_t offset = it->lp_next ? (size_t)(it->lp_next - lp) : 0;
        it->o->ptr = lp_delete(lp, &p);
        it->lp_next = offset ? (unsigned char *)it->o->ptr + offset : NULL;
    }
}

void list_iter_insert(ListIter *it, ListEntry *e, bool after, const unsigned char *s, size_t len) {
    if (it->o->encoding == OBJ_ENCODING_LISTPACK) {
        it->o->ptr = lp_insert(it->o->ptr, e->lp_pos, after ? LP_AFTER : LP_BEFORE, s, len, NULL);
        it->lp_next = NULL;
        return;
    }
    ql_iter_insert(&it->ql, &e->ql, after, s, len);
}

void list_iter_release(ListIter *it) {
    if (it->o->encoding == OBJ_ENCODING_QUICKLIST) ql_iter_release(&it->ql);
}

/* ---- entries ---- */

bool list_entry_equals(const ListEntry *e, const unsigned char *s, size_t len) {
    if (e->str) return e->len == len && (len == 0 || memcmp(e->str, s, len) == 0);
    char buf[LP_INTBUF_SIZE];
    size_t n = strnum_from_ll(buf, e->ival);
    return n == len && memcmp(buf, s, len) == 0;
}

void list_reply_entry(Client *c, const ListEntry *e) {
    if (e->str) reply_bulk(c, (const char *)e->str, e->len);
    else reply_bulk_ll(c, e->ival);
}

sds list_entry_to_sds(const ListEntry *e) {
    if (e->str) return sds_new_len((const char *)e->str, e->len);
    char buf[LP_INTBUF_SIZE];
    size_t n = strnum_from_ll(buf, e->ival);
    return sds_new_len(buf, n);
}

/* ---- shared by the pop commands ---- */

bool list_arg_where(Client *c, Obj *arg, int *where) {
    if (type_arg_is(arg, "left")) *where = LIST_HEAD;
    else if (type_arg_is(arg, "right")) *where = LIST_TAIL;
    else {
        reply_error_syntax(c);
        return false;
    }
    return true;
}

void list_pop_reply_range(Client *c, Db *db, Obj *key, Obj *o, int where, long count) {
    unsigned long len = list_length(o);
    if ((unsigned long)count > len) count = (long)len;
    reply_array_len(c, count);
    ListIter it;
    ListEntry e;
    list_iter_init(&it, o, where == LIST_HEAD ? 0 : -1, where == LIST_HEAD);
    for (long i = 0; i < count && list_iter_next(&it, &e); i++) list_reply_entry(c, &e);
    list_iter_release(&it);
    list_delete_range(o, where == LIST_HEAD ? 0 : -count, (unsigned long)count);
    notify_keyspace_event(NOTIFY_LIST, where == LIST_HEAD ? "lpop" : "rpop", key, db->id);
    if (list_length(o) == 0) {
        notify_keyspace_event(NOTIFY_GENERIC, "del", key, db->id);
        db_delete(db, key, false);
    } else {
        list_shrink_check(o);
    }
    db_signal_modified(c, db, key);
}
