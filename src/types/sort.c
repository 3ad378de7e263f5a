/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/sort.c: SORT and SORT_RO: sort (or just page through) the elements
 * of a list, set or sorted set, by their own value or by keys and hash
 * fields a BY pattern names, reply them or the values GET patterns name,
 * or STORE the result as a list.
 *
 * The elements are copied once into one arena buffer (offsets, not
 * pointers, so the arena may grow), which keeps a sort of N elements at two
 * allocations however many there are, and keeps the result valid when BY or
 * GET lookups delete expired keys or STORE overwrites the source.
 *
 * Behaviour follows Valkey's sortCommandGeneric, quirks included: BY with
 * no '*' means "don't sort"; numeric sorting parses with strtod (so "" is
 * 0), ties break on the element's bytes; a list or sorted set that is not
 * sorted is read directly in its own order (reversed by DESC) and only the
 * LIMIT range is read; a set that is not sorted is sorted by value anyway
 * when the result is stored, so the stored list is deterministic.
 *
 * Threads: main only.
 */
#include "types/sort.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/notify.h"
#include "ds/listpack.h"
#include "ds/quicklist.h"
#include "net/reply.h"
#include "server/config.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/hash_internal.h"
#include "types/set_internal.h"
#include "types/zset_internal.h"

/* Parsed options; patterns and keys are borrowed from argv. */
typedef struct SortOptions {
    bool desc, alpha, dontsort;
    Obj *by;            /* BY pattern, or NULL */
    long long offset;   /* LIMIT offset (0 when absent) */
    long long count;    /* LIMIT count (-1: all) */
    Obj *store;         /* STORE destination, or NULL */
    Obj **gets;         /* GET patterns in order */
    int getcount;
} SortOptions;

/* One element: its bytes in the arena, and what it sorts by. */
typedef struct SortItem {
    size_t off, len;       /* the element */
    double score;          /* numeric sort: its weight (0 when BY names nothing) */
    size_t by_off, by_len; /* ALPHA with BY: the weight's bytes */
    bool has_by;           /* ALPHA with BY: the pattern named a value */
} SortItem;

/* The growing result of loading. */
typedef struct SortVector {
    SortItem *items;
    size_t len, cap;
    sds arena;
} SortVector;

typedef struct SortOrder {
    const char *arena;
    bool desc, alpha, by_pattern;
} SortOrder;

/* ---- options ---- */

/* Parses argv[2..]. Returns false after replying an error. */
static bool sort_parse(Client *c, bool readonly, SortOptions *opt) {
    for (int j = 2; j < c->argc; j++) {
        Obj *arg = c->argv[j];
        int left = c->argc - j - 1;
        if (type_arg_is(arg, "asc")) {
            opt->desc = false;
        } else if (type_arg_is(arg, "desc")) {
            opt->desc = true;
        } else if (type_arg_is(arg, "alpha")) {
            opt->alpha = true;
        } else if (type_arg_is(arg, "limit") && left >= 2) {
            if (!type_arg_ll(c, c->argv[j + 1], &opt->offset) ||
                !type_arg_ll(c, c->argv[j + 2], &opt->count))
                return false;
            j += 2;
        } else if (type_arg_is(arg, "store") && left >= 1 && !readonly) {
            opt->store = c->argv[++j];
        } else if (type_arg_is(arg, "by") && left >= 1) {
            opt->by = c->argv[++j];
            /* A pattern naming no key per element: nothing to sort by. */
            if (memchr(opt->by->ptr, '*', obj_string_len(opt->by)) == NULL) opt->dontsort = true;
        } else if (type_arg_is(arg, "get") && left >= 1) {
            opt->gets[opt->getcount++] = c->argv[++j];
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

/* ---- patterns ---- */

/* The value pattern names for elem: "#" is elem itself; "pre*post" the
 * string key with '*' replaced by elem; "pre*post->field" that field of
 * the hash at that key. Returns false when it names nothing (no '*', no
 * such key, wrong type, no such field). The bytes may live in *scratch,
 * numbuf (LP_INTBUF_SIZE at least) or the value itself: use them before
 * the next lookup. */
static bool pattern_lookup(Db *db, Obj *pattern, const char *elem, size_t elen, sds *scratch,
                           char *numbuf, const char **out, size_t *outlen) {
    const char *pat = pattern->ptr;
    size_t patlen = obj_string_len(pattern);
    if (patlen == 1 && pat[0] == '#') {
        *out = elem;
        *outlen = elen;
        return true;
    }
    const char *star = memchr(pat, '*', patlen);
    if (star == NULL) return false;
    const char *field = NULL;
    size_t fieldlen = 0;
    for (const char *p = star + 1; p + 1 < pat + patlen; p++) {
        if (p[0] == '-' && p[1] == '>') {
            if (p + 2 < pat + patlen) {
                field = p + 2;
                fieldlen = (size_t)(pat + patlen - field);
            }
            break;
        }
    }
    size_t prefixlen = (size_t)(star - pat);
    size_t postfixlen = patlen - prefixlen - 1 - (field ? fieldlen + 2 : 0);
    sds_clear(*scratch);
    *scratch = sds_cat_len(*scratch, pat, prefixlen);
    *scratch = sds_cat_len(*scratch, elem, elen);
    *scratch = sds_cat_len(*scratch, star + 1, postfixlen);
    /* A bare string object on the stack as the lookup key: lookups only
     * read its bytes. */
    Obj key = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = 1, .ptr = *scratch};
    Obj *o = db_lookup_read(db, &key, LOOKUP_NONE);
    if (o == NULL) return false;
    if (field) {
        if (o->type != OBJ_HASH) return false;
        return hash_get(o, field, fieldlen, out, outlen, numbuf);
    }
    if (o->type != OBJ_STRING) return false;
    *out = obj_string_bytes(o, numbuf, outlen);
    return true;
}

/* ---- loading ---- */

static void vector_push(SortVector *v, const char *p, size_t len) {
    if (v->len == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = mem_realloc(v->items, sizeof(SortItem) * v->cap);
    }
    v->items[v->len++] = (SortItem){.off = sds_len(v->arena), .len = len};
    v->arena = sds_cat_len(v->arena, p, len);
}

static size_t source_length(const Obj *o) {
    switch (o->type) {
    case OBJ_LIST:
        return o->encoding == OBJ_ENCODING_LISTPACK ? lp_length(o->ptr)
                                                    : ((const Quicklist *)o->ptr)->count;
    case OBJ_SET: return set_size(o);
    default: return zset_length(o);
    }
}

/* count list elements from index start (counted from the tail when
 * reverse), in that direction. */
static void load_list(SortVector *v, Obj *o, long start, long count, bool reverse) {
    if (count <= 0) return;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        unsigned char *p = lp_seek(lp, reverse ? -start - 1 : start);
        unsigned char buf[LP_INTBUF_SIZE];
        for (; p && count-- > 0; p = reverse ? lp_prev(lp, p) : lp_next(lp, p)) {
            size_t len;
            const unsigned char *s = lp_get_bytes(p, buf, &len);
            vector_push(v, (const char *)s, len);
        }
        return;
    }
    Quicklist *ql = o->ptr;
    QlIter it;
    long index = reverse ? (long)ql->count - start - 1 : start;
    if (ql_iter_init_at(&it, ql, !reverse, index)) {
        QlEntry e;
        while (count-- > 0 && ql_iter_next(&it, &e)) {
            if (e.str) {
                vector_push(v, (const char *)e.str, e.len);
            } else {
                char num[32];
                int n = snprintf(num, sizeof(num), "%lld", e.ival);
                vector_push(v, num, (size_t)n);
            }
        }
    }
    ql_iter_release(&it);
}

static void load_set(SortVector *v, Obj *o) {
    SetIter it;
    SetElem e;
    set_iter_init(&it, o);
    while (set_iter_next(&it, &e)) {
        char buf[32];
        size_t len;
        const char *p = set_elem_bytes(&e, buf, &len);
        vector_push(v, p, len);
    }
    set_iter_deinit(&it);
}

static void load_zset(SortVector *v, Obj *o, long start, long count, bool reverse) {
    ZsetIter it;
    ZsetElem e;
    zset_iter_at_rank(&it, o, start, reverse);
    for (; count > 0 && zset_iter_valid(&it); count--, zset_iter_next(&it)) {
        zset_iter_get(&it, &e);
        vector_push(v, e.str, e.len);
    }
}

/* ---- weights and order ---- */

/* Valkey's weight parse: strtod over the whole string (an empty one is 0),
 * refusing trailing bytes, overflow, underflow and NaN. */
static bool parse_weight(const char *p, size_t len, double *score) {
    char small[128];
    char *tmp = len < sizeof(small) ? small : mem_alloc(len + 1);
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    char *end;
    errno = 0;
    double d = strtod(tmp, &end);
    bool ok = *end == '\0' && errno != ERANGE && !isnan(d);
    if (tmp != small) mem_free(tmp);
    *score = d;
    return ok;
}

/* Fills each item's weight. Returns false when a numeric weight does not
 * parse. */
static bool compute_weights(Db *db, const SortOptions *opt, SortVector *v) {
    sds scratch = sds_empty();
    bool ok = true;
    for (size_t i = 0; i < v->len; i++) {
        SortItem *it = &v->items[i];
        const char *w = v->arena + it->off;
        size_t wlen = it->len;
        char numbuf[32];
        if (opt->by) {
            /* Copy the element out: the arena may move below. */
            sds elem = sds_new_len(v->arena + it->off, it->len);
            bool found = pattern_lookup(db, opt->by, elem, sds_len(elem), &scratch, numbuf, &w,
                                        &wlen);
            if (found && opt->alpha) {
                it->has_by = true;
                it->by_off = sds_len(v->arena);
                it->by_len = wlen;
                v->arena = sds_cat_len(v->arena, w, wlen);
            }
            sds_free(elem);
            if (!found || opt->alpha) continue;
        } else if (opt->alpha) {
            continue;
        }
        if (!parse_weight(w, wlen, &it->score)) ok = false;
    }
    sds_free(scratch);
    return ok;
}

static int bytes_compare(const char *a, size_t alen, const char *b, size_t blen) {
    int cmp = memcmp(a, b, alen < blen ? alen : blen);
    if (cmp != 0) return cmp;
    return alen < blen ? -1 : alen > blen;
}

static int item_compare(const void *pa, const void *pb, void *arg) {
    const SortItem *a = pa, *b = pb;
    const SortOrder *order = arg;
    const char *arena = order->arena;
    int cmp;
    if (!order->alpha) {
        if (a->score != b->score)
            cmp = a->score > b->score ? 1 : -1;
        else /* equal weights: the elements decide, so the result is deterministic */
            cmp = bytes_compare(arena + a->off, a->len, arena + b->off, b->len);
    } else if (order->by_pattern) {
        if (!a->has_by || !b->has_by)
            cmp = a->has_by == b->has_by ? 0 : (a->has_by ? 1 : -1);
        else
            cmp = bytes_compare(arena + a->by_off, a->by_len, arena + b->by_off, b->by_len);
    } else {
        cmp = bytes_compare(arena + a->off, a->len, arena + b->off, b->len);
    }
    return order->desc ? -cmp : cmp;
}

/* ---- output ---- */

/* list-max-listpack-size and list-compress-depth as configured (Valkey's
 * defaults until the list type registers them). */
static long long config_number(const char *name, long long fallback) {
    ConfigEntry *e = config_find(name);
    if (e == NULL) return fallback;
    sds text = config_get_value(e, sds_empty());
    long long value;
    if (config_parse_ll(text, &value) != 0) value = fallback;
    sds_free(text);
    return value;
}

/* Stores the result as a list: a listpack when it fits one quicklist
 * node, as Valkey converts a small SORT STORE result. */
static Obj *result_list_create(const sds *values, long count) {
    int fill = (int)config_number("list-max-listpack-size", -2);
    size_t bytes = 0;
    for (long i = 0; i < count; i++) bytes += sds_len(values[i]) + 11; /* header + backlen bound */
    if (!ql_exceeds_limit(fill, bytes, (unsigned long)count)) {
        unsigned char *lp = lp_new(0);
        for (long i = 0; i < count; i++)
            lp = lp_append(lp, (const unsigned char *)values[i], sds_len(values[i]));
        return obj_create(OBJ_LIST, OBJ_ENCODING_LISTPACK, lp);
    }
    int compress = (int)config_number("list-compress-depth", 0);
    Quicklist *ql = ql_create(fill, compress);
    for (long i = 0; i < count; i++)
        ql_push(ql, QL_TAIL, (const unsigned char *)values[i], sds_len(values[i]));
    return obj_create(OBJ_LIST, OBJ_ENCODING_QUICKLIST, ql);
}

static void reply_items(Client *c, Db *db, const SortOptions *opt, const SortVector *v, long start,
                        long end) {
    long n = end - start + 1;
    reply_array_len(c, opt->getcount ? (long)opt->getcount * n : n);
    sds scratch = sds_empty();
    for (long j = start; j <= end; j++) {
        const SortItem *it = &v->items[j];
        const char *elem = v->arena + it->off;
        if (opt->getcount == 0) reply_bulk(c, elem, it->len);
        for (int g = 0; g < opt->getcount; g++) {
            const char *val;
            size_t len;
            char numbuf[32];
            if (pattern_lookup(db, opt->gets[g], elem, it->len, &scratch, numbuf, &val, &len))
                reply_bulk(c, val, len);
            else
                reply_null(c);
        }
    }
    sds_free(scratch);
}

static void store_items(Client *c, Db *db, const SortOptions *opt, const SortVector *v, long start,
                        long end) {
    long n = end - start + 1;
    long total = opt->getcount ? (long)opt->getcount * n : n;
    sds *values = mem_alloc(sizeof(sds) * (size_t)(total > 0 ? total : 1));
    long k = 0;
    sds scratch = sds_empty();
    for (long j = start; j <= end; j++) {
        const SortItem *it = &v->items[j];
        const char *elem = v->arena + it->off;
        if (opt->getcount == 0) values[k++] = sds_new_len(elem, it->len);
        for (int g = 0; g < opt->getcount; g++) {
            const char *val;
            size_t len;
            char numbuf[32];
            /* A GET that names nothing stores an empty string. */
            if (pattern_lookup(db, opt->gets[g], elem, it->len, &scratch, numbuf, &val, &len))
                values[k++] = sds_new_len(val, len);
            else
                values[k++] = sds_empty();
        }
    }
    sds_free(scratch);
    if (total > 0) {
        db_set(db, opt->store, result_list_create(values, total), -1, 0);
        notify_key_changed(c, db, NOTIFY_LIST, "sortstore", opt->store);
    } else if (db_delete(db, opt->store, false)) {
        notify_key_changed(c, db, NOTIFY_GENERIC, "del", opt->store);
    }
    for (long i = 0; i < k; i++) sds_free(values[i]);
    mem_free(values);
    reply_ll(c, total);
}

/* ---- the command ---- */

static void sort_generic(Client *c, bool readonly) {
    SortOptions opt = {.count = -1};
    opt.gets = mem_alloc(sizeof(Obj *) * (size_t)c->argc);
    SortVector v = {0};
    if (!sort_parse(c, readonly, &opt)) goto done;
    Db *db = client_db(c);
    Obj *o = opt.store ? db_lookup_write(db, c->argv[1], LOOKUP_NONE)
                       : db_lookup_read(db, c->argv[1], LOOKUP_NONE);
    if (o && o->type != OBJ_LIST && o->type != OBJ_SET && o->type != OBJ_ZSET) {
        reply_error(c, TYPE_ERR_WRONGTYPE);
        goto done;
    }
    /* A stored set must come out the same on a replica: sort it. */
    if (o && opt.dontsort && o->type == OBJ_SET && opt.store) {
        opt.dontsort = false;
        opt.alpha = true;
        opt.by = NULL;
    }
    long len = o ? (long)source_length(o) : 0;
    long start = opt.offset < 0 ? 0 : (long)opt.offset;
    long end = opt.count < 0 ? len - 1 : (long)(start + opt.count - 1);
    if (start >= len) {
        start = len - 1;
        end = len - 2;
    }
    if (end >= len) end = len - 1;

    v.arena = sds_empty();
    if (o && opt.dontsort && o->type != OBJ_SET) {
        /* Read just the range, in the value's own order. */
        if (o->type == OBJ_LIST)
            load_list(&v, o, start, end - start + 1, opt.desc);
        else
            load_zset(&v, o, start, end - start + 1, opt.desc);
        end -= start;
        start = 0;
    } else if (o) {
        if (o->type == OBJ_LIST)
            load_list(&v, o, 0, len, false);
        else if (o->type == OBJ_SET)
            load_set(&v, o);
        else
            load_zset(&v, o, 0, len, false);
    }
    if (!opt.dontsort) {
        if (!compute_weights(db, &opt, &v)) {
            reply_error(c, "One or more scores can't be converted into double");
            goto done;
        }
        SortOrder order = {.arena = v.arena, .desc = opt.desc, .alpha = opt.alpha,
                           .by_pattern = opt.by != NULL};
        if (v.len > 1) qsort_r(v.items, v.len, sizeof(SortItem), item_compare, &order);
    }
    if (opt.store)
        store_items(c, db, &opt, &v, start, end);
    else
        reply_items(c, db, &opt, &v, start, end);
done:
    mem_free(v.items);
    sds_free(v.arena);
    mem_free(opt.gets);
}

void cmd_sort(Client *c) {
    sort_generic(c, false);
}

void cmd_sort_ro(Client *c) {
    sort_generic(c, true);
}
