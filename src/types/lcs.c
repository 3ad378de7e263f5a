/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/lcs.c: LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]:
 * the longest common subsequence of two string values.
 *
 * The classic dynamic-programming table of (len1+1) x (len2+1) uint32
 * lengths, then one walk back from the far corner that collects the
 * subsequence and, for IDX, the matching ranges (last range first, as
 * Valkey replies them). The table is transient and capped by
 * proto-max-bulk-len, so a huge pair of strings is refused, not allocated.
 * A missing key reads as the empty string.
 *
 * Threads: main only.
 */
#include "types/string.h"

#include <stdint.h>
#include <stdlib.h>

#include "db/db.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/string_internal.h"

typedef struct LcsOptions {
    bool want_len;
    bool want_idx;
    bool with_match_len;
    long long min_match_len;
} LcsOptions;

/* Parses the options after the two keys. Returns 0, or -1 after replying. */
static int lcs_parse_options(Client *c, LcsOptions *opts) {
    *opts = (LcsOptions){0};
    for (int j = 3; j < c->argc; j++) {
        const Obj *arg = c->argv[j];
        if (string_arg_is(arg, "IDX", 3)) {
            opts->want_idx = true;
        } else if (string_arg_is(arg, "LEN", 3)) {
            opts->want_len = true;
        } else if (string_arg_is(arg, "WITHMATCHLEN", 12)) {
            opts->with_match_len = true;
        } else if (string_arg_is(arg, "MINMATCHLEN", 11) && j + 1 < c->argc) {
            if (string_arg_ll(c, c->argv[++j], &opts->min_match_len) != 0) return -1;
            if (opts->min_match_len < 0) opts->min_match_len = 0;
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    if (opts->want_len && opts->want_idx) {
        reply_error(c, "If you want both the length and indexes, please just use IDX.");
        return -1;
    }
    return 0;
}

/* One contiguous run of matching bytes: a[a_start..a_end], b[b_start..]. */
typedef struct LcsRange {
    uint32_t a_start, a_end, b_start, b_end;
} LcsRange;

static void reply_range(Client *c, const LcsRange *r, bool with_len) {
    reply_array_len(c, with_len ? 3 : 2);
    reply_array_len(c, 2);
    reply_ll(c, r->a_start);
    reply_ll(c, r->a_end);
    reply_array_len(c, 2);
    reply_ll(c, r->b_start);
    reply_ll(c, r->b_end);
    if (with_len) reply_ll(c, r->a_end - r->a_start + 1);
}

/* Fills the table: cell (i, j) holds the LCS length of a[0..i) and b[0..j). */
static void lcs_fill(uint32_t *table, const char *a, uint32_t alen, const char *b, uint32_t blen) {
    size_t row = (size_t)blen + 1;
    for (uint32_t j = 0; j <= blen; j++) table[j] = 0;
    for (uint32_t i = 1; i <= alen; i++) {
        uint32_t *cur = table + (size_t)i * row, *prev = cur - row;
        cur[0] = 0;
        for (uint32_t j = 1; j <= blen; j++) {
            if (a[i - 1] == b[j - 1]) cur[j] = prev[j - 1] + 1;
            else cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
        }
    }
}

/* Walks back from (alen, blen): writes the subsequence into out (when not
 * NULL) and, when ranges_wanted, replies each range that passes the
 * minimum length. Returns the number of ranges replied. */
static long lcs_walk(Client *c, const uint32_t *table, const char *a, uint32_t alen,
                     const char *b, uint32_t blen, char *out, bool ranges_wanted,
                     const LcsOptions *opts) {
    size_t row = (size_t)blen + 1;
    uint32_t i = alen, j = blen, left = table[(size_t)alen * row + blen];
    bool in_range = false;
    LcsRange r = {0};
    long ranges = 0;
    while (i > 0 && j > 0) {
        bool range_ends;
        if (a[i - 1] == b[j - 1]) {
            if (out) out[left - 1] = a[i - 1];
            if (!in_range) { /* a new range, walked from its end */
                r = (LcsRange){i - 1, i - 1, j - 1, j - 1};
                in_range = true;
            } else { /* a match after a match is always contiguous */
                r.a_start = i - 1;
                r.b_start = j - 1;
            }
            left--;
            i--;
            j--;
            range_ends = i == 0 || j == 0; /* the walk stops here */
        } else {
            if (table[(size_t)(i - 1) * row + j] > table[(size_t)i * row + j - 1]) i--;
            else j--;
            range_ends = in_range;
        }
        if (range_ends && in_range) {
            uint32_t match_len = r.a_end - r.a_start + 1;
            if (ranges_wanted && (opts->min_match_len == 0 || match_len >= opts->min_match_len)) {
                reply_range(c, &r, opts->with_match_len);
                ranges++;
            }
            in_range = false;
        }
    }
    return ranges;
}

void cmd_lcs(Client *c) {
    Db *db = client_db(c);
    Obj *oa = db_lookup_read(db, c->argv[1], LOOKUP_NONE);
    Obj *ob = db_lookup_read(db, c->argv[2], LOOKUP_NONE);
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        reply_error(c, "The specified keys must contain string values");
        return;
    }
    LcsOptions opts;
    if (lcs_parse_options(c, &opts) != 0) return;

    char abuf[24], bbuf[24];
    size_t alen = 0, blen = 0;
    const char *a = oa ? obj_string_bytes(oa, abuf, &alen) : "";
    const char *b = ob ? obj_string_bytes(ob, bbuf, &blen) : "";
    if (alen >= UINT32_MAX - 1 || blen >= UINT32_MAX - 1) {
        reply_error(c, "String too long for LCS");
        return;
    }
    unsigned long long cells = (unsigned long long)(alen + 1) * (blen + 1);
    unsigned long long bytes = cells * sizeof(uint32_t);
    if (bytes / sizeof(uint32_t) != cells || bytes > (unsigned long long)cfg_proto_max_bulk_len) {
        reply_error(c, "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        return;
    }
    uint32_t *table = mem_alloc((size_t)bytes);
    lcs_fill(table, a, (uint32_t)alen, b, (uint32_t)blen);
    uint32_t total = table[cells - 1];

    if (opts.want_len) {
        reply_ll(c, total);
    } else if (opts.want_idx) {
        reply_map_len(c, 2);
        reply_bulk(c, "matches", 7);
        void *count = reply_defer_len(c);
        long ranges = lcs_walk(c, table, a, (uint32_t)alen, b, (uint32_t)blen, NULL, true, &opts);
        reply_set_defer_array_len(c, count, ranges);
        reply_bulk(c, "len", 3);
        reply_ll(c, total);
    } else {
        sds out = sds_new_len(NULL, total);
        lcs_walk(c, table, a, (uint32_t)alen, b, (uint32_t)blen, out, false, &opts);
        reply_bulk(c, out, total);
        sds_free(out);
    }
    mem_free(table);
}
