/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_random_cmd.c: the hash commands that pick or walk fields
 * without naming them: HRANDFIELD and HSCAN.
 *
 * HRANDFIELD with a positive count returns distinct fields: a partial
 * Fisher-Yates shuffle over all of them when the hash is a listpack or the
 * count is a large share of it, else repeated random picks deduplicated in
 * a small table. A negative count allows repeats and needs no memory.
 * HSCAN returns a listpack hash whole with cursor 0, and walks a hashtable
 * with ht_scan's cursor.
 *
 * Threads: main only.
 */
#include "types/hash.h"

#include <limits.h>
#include <stdint.h>

#include "ds/strmatch.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/hash_entry.h"
#include "types/hash_internal.h"

/* Share of the hash above which distinct picks shuffle everything. */
#define SHUFFLE_SHARE 3

static void reply_pair(Client *c, const char *f, size_t flen, const char *v, size_t vlen,
                       bool withvalues) {
    if (withvalues && c->resp > 2) reply_array_len(c, 2);
    reply_bulk(c, f, flen);
    if (withvalues) reply_bulk(c, v, vlen);
}

/* Field i of a listpack hash, given its field elements. */
static void reply_lp_pair(Client *c, unsigned char *lp, unsigned char *p, bool withvalues) {
    char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
    size_t flen, vlen = 0;
    const char *f = hash_lp_bytes(p, fbuf, &flen);
    const char *v = withvalues ? hash_lp_bytes(lp_next(lp, p), vbuf, &vlen) : NULL;
    reply_pair(c, f, flen, v, vlen, withvalues);
}

static void reply_entry(Client *c, const void *e, bool withvalues) {
    size_t flen, vlen = 0;
    const char *f = hash_entry_field(e, &flen);
    const char *v = withvalues ? hash_entry_value(e, &vlen) : NULL;
    reply_pair(c, f, flen, v, vlen, withvalues);
}

/* Every field element of a listpack hash, in order (caller frees). */
static unsigned char **lp_fields(unsigned char *lp, size_t size) {
    unsigned char **fields = mem_alloc(sizeof(*fields) * (size ? size : 1));
    size_t i = 0;
    for (unsigned char *p = lp_first(lp); p != NULL; p = lp_next(lp, lp_next(lp, p)))
        fields[i++] = p;
    return fields;
}

/* Moves count random distinct items to the front of items (of n). */
static void partial_shuffle(void **items, size_t n, size_t count) {
    for (size_t i = 0; i < count && i + 1 < n; i++) {
        size_t j = i + (size_t)(hash_random() % (n - i));
        void *tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
    }
}

static uint64_t pointer_hash(const void *key) {
    return ht_hash(&key, sizeof(key));
}

static const HtType picked_type = {.hash = pointer_hash};

/* count distinct random entries of a big hashtable hash (count well below
 * its size): random picks, deduplicated. Returns how many were replied. */
static size_t reply_sampled(Client *c, HashDict *d, size_t count, bool withvalues) {
    Ht *picked = ht_create(&picked_type);
    size_t added = 0;
    size_t tries = count > SIZE_MAX / 10 ? SIZE_MAX : count * 10;
    while (added < count && tries--) {
        void *e = ht_random_entry(d->fields);
        if (!ht_add(picked, e)) continue;
        reply_entry(c, e, withvalues);
        added++;
    }
    ht_destroy(picked);
    return added;
}

static size_t reply_all_fields(Client *c, Obj *o, bool withvalues) {
    size_t n = 0;
    HashIter it;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it)) {
        reply_pair(c, it.field, it.flen, it.value, it.vlen, withvalues);
        n++;
    }
    hash_iter_deinit(&it);
    return n;
}

/* Distinct picks, count below the hash's size. */
static size_t reply_distinct(Client *c, Obj *o, size_t size, size_t count, bool withvalues) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char **fields = lp_fields(o->ptr, size);
        partial_shuffle((void **)fields, size, count);
        for (size_t i = 0; i < count; i++) reply_lp_pair(c, o->ptr, fields[i], withvalues);
        mem_free(fields);
        return count;
    }
    HashDict *d = o->ptr;
    if (count * SHUFFLE_SHARE <= size) return reply_sampled(c, d, count, withvalues);
    void **entries = mem_alloc(sizeof(*entries) * size);
    size_t n = 0;
    HtIter it;
    void *e;
    ht_iter_init(&it, d->fields, 0);
    while (ht_iter_next(&it, &e)) entries[n++] = e;
    ht_iter_deinit(&it);
    partial_shuffle(entries, n, count);
    for (size_t i = 0; i < count; i++) reply_entry(c, entries[i], withvalues);
    mem_free(entries);
    return count;
}

/* Picks with repeats allowed. */
static size_t reply_repeats(Client *c, Obj *o, size_t size, size_t count, bool withvalues) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char **fields = lp_fields(o->ptr, size);
        for (size_t i = 0; i < count; i++)
            reply_lp_pair(c, o->ptr, fields[hash_random() % size], withvalues);
        mem_free(fields);
        return count;
    }
    HashDict *d = o->ptr;
    for (size_t i = 0; i < count; i++) reply_entry(c, ht_random_entry(d->fields), withvalues);
    return count;
}

static void hrandfield_count(Client *c, long long l, bool withvalues) {
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    if (o == NULL || l == 0) {
        reply_array_len(c, 0);
        return;
    }
    size_t size = hash_length(o);
    size_t count = l < 0 ? (size_t)(-l) : (size_t)l;
    void *len_handle = reply_defer_len(c);
    size_t replied;
    if (l < 0 || count == 1) replied = reply_repeats(c, o, size, count, withvalues);
    else if (count >= size) replied = reply_all_fields(c, o, withvalues);
    else replied = reply_distinct(c, o, size, count, withvalues);
    long items = (long)replied * (withvalues && c->resp == 2 ? 2 : 1);
    reply_set_defer_array_len(c, len_handle, items);
}

/* HRANDFIELD key [count [WITHVALUES]] */
void cmd_hrandfield(Client *c) {
    if (c->argc >= 3) {
        long long l;
        if (!type_arg_ll_range(c, c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL)) return;
        bool withvalues = c->argc == 4;
        if (c->argc > 4 || (withvalues && !type_arg_is(c->argv[3], "withvalues"))) {
            reply_error_syntax(c);
            return;
        }
        if (withvalues && (l < -LONG_MAX / 2 || l > LONG_MAX / 2)) {
            reply_error(c, "value is out of range");
            return;
        }
        hrandfield_count(c, l, withvalues);
        return;
    }
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    if (o == NULL) {
        reply_null(c);
        return;
    }
    reply_repeats(c, o, hash_length(o), 1, false);
}

/* ---- HSCAN ---- */

typedef struct HscanState {
    const char *pattern; /* NULL: all */
    size_t pattern_len;
    bool novalues;
    void **found;
    size_t count, capacity;
} HscanState;

static bool hscan_matches(const HscanState *s, const char *f, size_t flen) {
    return s->pattern == NULL || strmatch_len(s->pattern, s->pattern_len, f, flen, 0);
}

static void hscan_collect(void *privdata, void *entry) {
    HscanState *s = privdata;
    size_t flen;
    const char *f = hash_entry_field(entry, &flen);
    if (!hscan_matches(s, f, flen)) return;
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? s->capacity * 2 : 16;
        s->found = mem_realloc(s->found, s->capacity * sizeof(void *));
    }
    s->found[s->count++] = entry;
}

/* Options after the cursor. Returns false after replying the error. */
static bool hscan_options(Client *c, HscanState *s, long long *count) {
    for (int i = 3; i < c->argc; i++) {
        bool has_value = i + 1 < c->argc;
        if (type_arg_is(c->argv[i], "count") && has_value) {
            if (!type_arg_ll(c, c->argv[++i], count)) return false;
            if (*count < 1) {
                reply_error_syntax(c);
                return false;
            }
        } else if (type_arg_is(c->argv[i], "match") && has_value) {
            const Obj *p = c->argv[++i];
            s->pattern = p->ptr;
            s->pattern_len = sds_len(p->ptr);
            if (s->pattern_len == 1 && s->pattern[0] == '*') s->pattern = NULL;
        } else if (type_arg_is(c->argv[i], "novalues")) {
            s->novalues = true;
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

static void reply_cursor(Client *c, uint64_t cursor) {
    char digits[24];
    reply_array_len(c, 2);
    reply_bulk(c, digits, strnum_from_ull(digits, cursor));
}

static void hscan_listpack(Client *c, Obj *o, HscanState *s) {
    reply_cursor(c, 0);
    void *len_handle = reply_defer_len(c);
    long items = 0;
    HashIter it;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it)) {
        if (!hscan_matches(s, it.field, it.flen)) continue;
        reply_bulk(c, it.field, it.flen);
        items++;
        if (s->novalues) continue;
        reply_bulk(c, it.value, it.vlen);
        items++;
    }
    hash_iter_deinit(&it);
    reply_set_defer_array_len(c, len_handle, items);
}

/* HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES] */
void cmd_hscan(Client *c) {
    uint64_t cursor;
    if (!type_arg_cursor(c, c->argv[2], &cursor)) return;
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    if (o == NULL) {
        reply_cursor(c, 0);
        reply_array_len(c, 0);
        return;
    }
    HscanState s = {0};
    long long count = 10;
    if (!hscan_options(c, &s, &count)) return;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        hscan_listpack(c, o, &s);
        return;
    }
    Ht *fields = ((HashDict *)o->ptr)->fields;
    long long max_visits = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
    do {
        cursor = ht_scan(fields, cursor, hscan_collect, &s);
    } while (cursor != 0 && --max_visits > 0 && s.count < (unsigned long long)count);
    reply_cursor(c, cursor);
    reply_array_len(c, (long)s.count * (s.novalues ? 1 : 2));
    for (size_t i = 0; i < s.count; i++) {
        size_t flen, vlen;
        const char *f = hash_entry_field(s.found[i], &flen);
        reply_bulk(c, f, flen);
        if (s.novalues) continue;
        const char *v = hash_entry_value(s.found[i], &vlen);
        reply_bulk(c, v, vlen);
    }
    mem_free(s.found);
}
