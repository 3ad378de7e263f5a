/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_scan.c: ZSCAN key cursor [MATCH pattern] [COUNT count]
 * [NOSCORES].
 *
 * A listpack zset is returned whole in one call with cursor 0, as Valkey
 * does; a skiplist zset is scanned through its member hashtable (ht_scan's
 * guarantee: a member present for the whole scan is returned at least
 * once). Scores are bulk strings in their shortest round-trip form.
 *
 * Threads: main only.
 */
#include "types/zset.h"

#include <limits.h>
#include <stdio.h>

#include "db/db.h"
#include "ds/strmatch.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/zset_internal.h"

typedef struct ZscanState {
    const char *pattern; /* NULL: everything matches */
    size_t pattern_len;
    bool noscores;
    ZslNode **found;
    size_t count, capacity;
} ZscanState;

static bool matches(const ZscanState *s, const char *m, size_t len) {
    return s->pattern == NULL || strmatch_len(s->pattern, s->pattern_len, m, len, 0);
}

static void collect(void *privdata, void *entry) {
    ZscanState *s = privdata;
    ZslNode *node = entry;
    size_t len;
    const char *m = zsl_node_member(node, &len);
    if (!matches(s, m, len)) return;
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? s->capacity * 2 : 16;
        s->found = mem_realloc(s->found, s->capacity * sizeof(*s->found));
    }
    s->found[s->count++] = node;
}

static bool parse_options(Client *c, ZscanState *s, long long *count) {
    for (int i = 3; i < c->argc; i++) {
        bool has_value = i + 1 < c->argc;
        if (type_arg_is(c->argv[i], "count") && has_value) {
            if (!type_arg_ll(c, c->argv[i + 1], count)) return false;
            if (*count < 1) {
                reply_error_syntax(c);
                return false;
            }
            i++;
        } else if (type_arg_is(c->argv[i], "match") && has_value) {
            s->pattern = c->argv[i + 1]->ptr;
            s->pattern_len = sds_len(c->argv[i + 1]->ptr);
            if (s->pattern_len == 1 && s->pattern[0] == '*') s->pattern = NULL;
            i++;
        } else if (type_arg_is(c->argv[i], "noscores")) {
            s->noscores = true;
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

static void reply_pair(Client *c, const char *m, size_t len, double score, bool noscores) {
    reply_bulk(c, m, len);
    if (noscores) return;
    char buf[DOUBLE_TEXT_MAX];
    reply_bulk(c, buf, type_format_double(buf, score));
}

void cmd_zscan(Client *c) {
    uint64_t cursor;
    if (!type_arg_cursor(c, c->argv[2], &cursor)) return;
    bool wrongtype;
    Obj *o = zset_lookup_read(c, c->argv[1], &wrongtype);
    if (wrongtype) return;
    ZscanState s = {0};
    long long count = 10;
    if (!parse_options(c, &s, &count)) return;
    if (o == NULL) {
        reply_array_len(c, 2);
        reply_bulk(c, "0", 1);
        reply_array_len(c, 0);
        return;
    }
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        reply_array_len(c, 2);
        reply_bulk(c, "0", 1);
        void *len_handle = reply_defer_len(c);
        long items = 0;
        ZsetIter it;
        for (zset_iter_at_rank(&it, o, 0, false); zset_iter_valid(&it); zset_iter_next(&it)) {
            ZsetElem e;
            zset_iter_get(&it, &e);
            if (!matches(&s, e.str, e.len)) continue;
            reply_pair(c, e.str, e.len, e.score, s.noscores);
            items += s.noscores ? 1 : 2;
        }
        reply_set_defer_array_len(c, len_handle, items);
        return;
    }
    Zset *zs = o->ptr;
    long long max_visits = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
    ht_rehash_pause(zs->members);
    do {
        cursor = ht_scan(zs->members, cursor, collect, &s);
    } while (cursor != 0 && --max_visits > 0 && s.count < (size_t)count);
    char cursor_text[24];
    int cursor_len = snprintf(cursor_text, sizeof(cursor_text), "%llu", (unsigned long long)cursor);
    reply_array_len(c, 2);
    reply_bulk(c, cursor_text, (size_t)cursor_len);
    reply_array_len(c, (long)(s.noscores ? s.count : s.count * 2));
    for (size_t i = 0; i < s.count; i++) {
        size_t len;
        const char *m = zsl_node_member(s.found[i], &len);
        reply_pair(c, m, len, s.found[i]->score, s.noscores);
    }
    ht_rehash_resume(zs->members);
    mem_free(s.found);
}
