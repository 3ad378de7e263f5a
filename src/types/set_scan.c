/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_scan.c: SSCAN, a cursor over a set's members.
 *
 * A hashtable-encoded set is walked with ht_scan (Valkey's guarantee: every
 * member present for the whole scan is returned at least once); an intset
 * or listpack is small by construction and is returned whole with cursor 0,
 * as Valkey does. MATCH filters what was visited, so a page may be empty
 * while the cursor is not yet 0.
 *
 * Threads: main only.
 */
#include "types/set.h"

#include <limits.h>

#include "db/db.h"
#include "ds/strmatch.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/set_internal.h"

typedef struct ScanPage {
    const char *pattern; /* NULL: everything matches */
    size_t pattern_len;
    SetElem *found; /* owned array; members borrowed from the set */
    size_t count, capacity;
} ScanPage;

static void page_add(ScanPage *page, const SetElem *e) {
    if (page->pattern) {
        char buf[24];
        size_t len;
        const char *s = set_elem_bytes(e, buf, &len);
        if (!strmatch_len(page->pattern, page->pattern_len, s, len, 0)) return;
    }
    if (page->count == page->capacity) {
        page->capacity = page->capacity ? page->capacity * 2 : 16;
        page->found = mem_realloc(page->found, page->capacity * sizeof(SetElem));
    }
    page->found[page->count++] = *e;
}

static void scan_collect(void *privdata, void *entry) {
    SetElem e = {0};
    e.str = set_member_bytes(entry, &e.len);
    page_add(privdata, &e);
}

/* Parses MATCH and COUNT after the cursor. Returns false after replying. */
static bool parse_options(Client *c, ScanPage *page, long long *count) {
    for (int i = 3; i < c->argc; i += 2) {
        bool has_value = i + 1 < c->argc;
        if (type_arg_is(c->argv[i], "count") && has_value) {
            if (!type_arg_ll(c, c->argv[i + 1], count)) return false;
            if (*count < 1) {
                reply_error_syntax(c);
                return false;
            }
        } else if (type_arg_is(c->argv[i], "match") && has_value) {
            page->pattern = c->argv[i + 1]->ptr;
            page->pattern_len = obj_string_len(c->argv[i + 1]);
            if (page->pattern_len == 1 && page->pattern[0] == '*') page->pattern = NULL;
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

/* SSCAN key cursor [MATCH pattern] [COUNT count] */
void cmd_sscan(Client *c) {
    uint64_t cursor;
    if (!type_arg_cursor(c, c->argv[2], &cursor)) return;
    Obj *set = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    if (set == NULL) {
        reply_array_len(c, 2);
        reply_bulk(c, "0", 1);
        reply_array_len(c, 0);
        return;
    }
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return;
    ScanPage page = {0};
    long long count = 10;
    if (!parse_options(c, &page, &count)) return;

    if (set->encoding == OBJ_ENCODING_HT) {
        Ht *ht = set->ptr;
        long long max_visits = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
        ht_rehash_pause(ht);
        do {
            cursor = ht_scan(ht, cursor, scan_collect, &page);
        } while (cursor != 0 && --max_visits > 0 && page.count < (unsigned long long)count);
        ht_rehash_resume(ht);
    } else {
        SetIter it;
        SetElem e;
        set_iter_init(&it, set);
        while (set_iter_next(&it, &e)) page_add(&page, &e);
        set_iter_deinit(&it);
        cursor = 0;
    }

    reply_array_len(c, 2);
    char digits[24];
    reply_bulk(c, digits, strnum_from_ull(digits, cursor));
    reply_array_len(c, (long)page.count);
    for (size_t i = 0; i < page.count; i++) set_reply_elem(c, &page.found[i]);
    mem_free(page.found);
}
