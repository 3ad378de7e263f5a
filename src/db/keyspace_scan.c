/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/keyspace_scan.c: listing keys: KEYS (everything at once) and SCAN
 * (a cursor over the keys table, ds/ht.h's ht_scan).
 *
 * SCAN's guarantee is the table's: a key present from the first call to the
 * last is returned at least once, whatever grows and shrinks happen between
 * calls. Within one call rehashing is paused, so the entries gathered stay
 * where they are and none is seen twice; keys whose time has passed are
 * deleted afterwards (as lazy expiry would) and left out of the reply. As
 * in Valkey, MATCH filters while gathering (so COUNT counts matches), TYPE
 * after the expiry check. KEYS
 * leaves expired keys out without deleting them, as Valkey does.
 *
 * Threads: main only.
 */
#include "db/keyspace.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "ds/strmatch.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/mem.h"

/* KEYS pattern */
void cmd_keys(Client *c) {
    Db *db = client_db(c);
    const char *pattern = c->argv[1]->ptr;
    size_t pattern_len = obj_string_len(c->argv[1]);
    bool all = pattern_len == 1 && pattern[0] == '*';
    void *len_handle = reply_defer_len(c);
    long count = 0;
    HtIter it;
    void *entry;
    ht_iter_init(&it, db->keys, HT_ITER_SAFE);
    while (ht_iter_next(&it, &entry)) {
        Obj *o = entry;
        size_t keylen;
        const char *key = obj_key(o, &keylen);
        if (!all && !strmatch_len(pattern, pattern_len, key, keylen, 0)) continue;
        if (db_key_is_expired(o)) continue;
        reply_bulk(c, key, keylen);
        count++;
    }
    ht_iter_deinit(&it);
    reply_set_defer_array_len(c, len_handle, count);
}

/* ---- SCAN ---- */

/* Parses a SCAN cursor as Valkey does: a non-negative integer in strict
 * form, or anything strtoull takes whole (leading spaces, a plus sign,
 * leading zeros) up to 2^64-1. */
static int parse_cursor(const Obj *arg, uint64_t *cursor) {
    const char *text = arg->ptr;
    size_t len = obj_string_len(arg);
    long long strict;
    if (strnum_to_ll(text, len, &strict) == 0) {
        if (strict < 0) return -1;
        *cursor = (uint64_t)strict;
        return 0;
    }
    if (len == 0 || strlen(text) != len) return -1; /* an embedded NUL ends strtoull early */
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0') return -1;
    *cursor = value;
    return 0;
}

/* The type number for a TYPE filter name, or -1 for a name no type has. */
static int type_by_name(const Obj *name) {
    static const struct {
        const char *name;
        int type;
    } types[] = {{"string", OBJ_STRING}, {"list", OBJ_LIST}, {"set", OBJ_SET},
                 {"zset", OBJ_ZSET},     {"hash", OBJ_HASH}, {"stream", OBJ_STREAM}};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (ks_arg_is(name, types[i].name)) return types[i].type;
    return -1;
}

typedef struct ScanState {
    const char *pattern; /* NULL: every key matches */
    size_t pattern_len;
    bool filter_type;
    int type; /* with filter_type: the wanted type, -1 for none (an unknown name) */
    Obj **found; /* entries gathered so far; owned */
    size_t count, capacity;
} ScanState;

static void scan_collect(void *privdata, void *entry) {
    ScanState *state = privdata;
    Obj *o = entry;
    if (state->pattern) {
        size_t keylen;
        const char *key = obj_key(o, &keylen);
        if (!strmatch_len(state->pattern, state->pattern_len, key, keylen, 0)) return;
    }
    if (state->count == state->capacity) {
        state->capacity = state->capacity ? state->capacity * 2 : 16;
        state->found = mem_realloc(state->found, state->capacity * sizeof(Obj *));
    }
    state->found[state->count++] = o;
}

/* Parses SCAN's options after the cursor into state and *count. Returns 0,
 * or -1 after replying the error. */
static int parse_scan_options(Client *c, ScanState *state, long long *count) {
    for (int i = 2; i < c->argc; i += 2) {
        bool has_value = i + 1 < c->argc;
        if (ks_arg_is(c->argv[i], "count") && has_value) {
            if (strnum_to_ll(c->argv[i + 1]->ptr, obj_string_len(c->argv[i + 1]), count) != 0) {
                reply_error(c, KS_ERR_NOT_INTEGER);
                return -1;
            }
            if (*count < 1) {
                reply_error_syntax(c);
                return -1;
            }
        } else if (ks_arg_is(c->argv[i], "match") && has_value) {
            state->pattern = c->argv[i + 1]->ptr;
            state->pattern_len = obj_string_len(c->argv[i + 1]);
            if (state->pattern_len == 1 && state->pattern[0] == '*') state->pattern = NULL;
        } else if (ks_arg_is(c->argv[i], "type") && has_value) {
            /* An unknown name is no error (Valkey keeps that for a later
             * major version): it simply matches no key. */
            state->filter_type = true;
            state->type = type_by_name(c->argv[i + 1]);
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    return 0;
}

/* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
void cmd_scan(Client *c) {
    uint64_t cursor;
    if (parse_cursor(c->argv[1], &cursor) != 0) {
        reply_error(c, "invalid cursor");
        return;
    }
    ScanState state = {0};
    long long count = 10;
    if (parse_scan_options(c, &state, &count) != 0) return;

    /* Visit buckets until enough keys matched, the scan ended, or ten times
     * COUNT buckets were visited (a sparse match must not stall the server). */
    Db *db = client_db(c);
    long long max_visits = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
    ht_rehash_pause(db->keys);
    do {
        cursor = ht_scan(db->keys, cursor, scan_collect, &state);
    } while (cursor != 0 && --max_visits > 0 && state.count < (unsigned long long)count);
    ht_rehash_resume(db->keys);

    reply_array_len(c, 2);
    char digits[24];
    reply_bulk(c, digits, strnum_from_ull(digits, cursor));
    void *len_handle = reply_defer_len(c);
    long replied = 0;
    for (size_t i = 0; i < state.count; i++) {
        Obj *o = state.found[i];
        if (db_key_is_expired(o)) {
            db_delete_expired(db, o);
            continue;
        }
        /* After the expiry check: an expired key of another type still goes. */
        if (state.filter_type && (int)o->type != state.type) continue;
        size_t keylen;
        const char *key = obj_key(o, &keylen);
        reply_bulk(c, key, keylen);
        replied++;
    }
    reply_set_defer_array_len(c, len_handle, replied);
    mem_free(state.found);
}
