/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_algebra.c: intersections, unions and differences of sets:
 * SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE.
 *
 * The algorithms are Valkey's, because they decide the speed: SINTER sorts
 * the sets by size and walks only the smallest, probing the others; SDIFF
 * estimates the work of "walk the first set, probe the others" against
 * "copy the first set, remove every other set's members" and picks the
 * cheaper. Results are built in a set that starts as an empty intset and
 * grows through the usual conversions, so a stored result gets the
 * smallest encoding that fits it. A missing key counts as an empty set.
 *
 * Threads: main only.
 */
#include "types/set.h"

#include <limits.h>
#include <stdlib.h>

#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/set_internal.h"

typedef enum { SET_OP_UNION, SET_OP_DIFF } SetOp;

/* Looks up count keys into sets (NULL for a missing key). Returns false
 * after replying WRONGTYPE if any key holds another type (every key is
 * checked, even after a missing one, as Valkey does). */
static bool lookup_sets(Client *c, Obj **keys, int count, bool write, Obj **sets) {
    Db *db = client_db(c);
    for (int j = 0; j < count; j++) {
        Obj *o = write ? db_lookup_write(db, keys[j], LOOKUP_NONE)
                       : db_lookup_read(db, keys[j], LOOKUP_NONE);
        if (type_reply_if_wrongtype(c, o, OBJ_SET)) return false;
        sets[j] = o;
    }
    return true;
}

/* Stores result under dstkey (or deletes dstkey for an empty result),
 * replies the result's size and sends the events. Consumes result. */
static void store_result(Client *c, Obj *dstkey, Obj *result, const char *event) {
    Db *db = client_db(c);
    size_t size = set_size(result);
    if (size > 0) {
        db_set(db, dstkey, result, -1, 0);
        db_signal_modified(c, db, dstkey);
        notify_keyspace_event(NOTIFY_SET, event, dstkey, db->id);
    } else {
        obj_decr_ref(result);
        if (db_delete(db, dstkey, false)) {
            db_signal_modified(c, db, dstkey);
            notify_keyspace_event(NOTIFY_GENERIC, "del", dstkey, db->id);
        }
    }
    reply_ll(c, (long long)size);
}

/* Replies a result set whole (~ in RESP3) and frees it. */
static void reply_result(Client *c, Obj *result) {
    reply_set_len(c, (long)set_size(result));
    SetIter it;
    SetElem e;
    set_iter_init(&it, result);
    while (set_iter_next(&it, &e)) set_reply_elem(c, &e);
    set_iter_deinit(&it);
    obj_decr_ref(result);
}

/* ---- intersection ---- */

/* Sizes for sorting; a missing key (NULL) counts as empty. */
static size_t size_or_zero(const Obj *set) {
    return set ? set_size(set) : 0;
}

static int compare_by_size(const void *a, const void *b) {
    size_t sa = size_or_zero(*(Obj *const *)a), sb = size_or_zero(*(Obj *const *)b);
    return sa < sb ? -1 : sa > sb;
}

/* Where an intersection goes: a reply, a count (up to limit, 0 = none) or
 * a stored key. */
typedef struct InterTarget {
    Obj *dstkey;     /* SINTERSTORE */
    bool count_only; /* SINTERCARD */
    long long limit;
} InterTarget;

static void inter_empty_reply(Client *c, const InterTarget *t) {
    if (t->dstkey) store_result(c, t->dstkey, set_create_intset(), "sinterstore");
    else if (t->count_only) reply_ll(c, 0);
    else reply_set_len(c, 0);
}

static void intersect(Client *c, Obj **keys, int count, const InterTarget *t) {
    Obj **sets = mem_alloc(sizeof(Obj *) * (size_t)count);
    if (!lookup_sets(c, keys, count, t->dstkey != NULL, sets)) goto done;
    for (int j = 0; j < count; j++) {
        if (sets[j] == NULL) {
            inter_empty_reply(c, t);
            goto done;
        }
    }
    qsort(sets, (size_t)count, sizeof(Obj *), compare_by_size);

    Obj *result = t->dstkey ? set_create_intset() : NULL;
    void *len_handle = (!t->dstkey && !t->count_only) ? reply_defer_len(c) : NULL;
    long long found = 0;
    SetIter it;
    SetElem e;
    set_iter_init(&it, sets[0]);
    while (set_iter_next(&it, &e)) {
        int j;
        for (j = 1; j < count; j++) {
            if (sets[j] == sets[0]) continue;
            if (!set_contains_elem(sets[j], &e)) break;
        }
        if (j < count) continue;
        found++;
        if (result) set_add_elem(result, &e);
        else if (!t->count_only) set_reply_elem(c, &e);
        else if (t->limit && found >= t->limit) break;
    }
    set_iter_deinit(&it);

    if (result) store_result(c, t->dstkey, result, "sinterstore");
    else if (t->count_only) reply_ll(c, found);
    else reply_set_defer_set_len(c, len_handle, (long)found);
done:
    mem_free(sets);
}

/* SINTER key [key ...] */
void cmd_sinter(Client *c) {
    InterTarget t = {0};
    intersect(c, c->argv + 1, c->argc - 1, &t);
}

/* SINTERSTORE destination key [key ...] */
void cmd_sinterstore(Client *c) {
    InterTarget t = {.dstkey = c->argv[1]};
    intersect(c, c->argv + 2, c->argc - 2, &t);
}

/* SINTERCARD numkeys key [key ...] [LIMIT limit] */
void cmd_sintercard(Client *c) {
    long long numkeys;
    if (!type_arg_ll_range(c, c->argv[1], 1, LONG_MAX, &numkeys,
                           "numkeys should be greater than 0"))
        return;
    if (numkeys > c->argc - 2) {
        reply_error(c, "Number of keys can't be greater than number of args");
        return;
    }
    InterTarget t = {.count_only = true};
    for (int i = 2 + (int)numkeys; i < c->argc; i++) {
        if (type_arg_is(c->argv[i], "limit") && i + 1 < c->argc) {
            i++;
            if (!type_arg_ll_range(c, c->argv[i], 0, LONG_MAX, &t.limit,
                                   "LIMIT can't be negative"))
                return;
        } else {
            reply_error_syntax(c);
            return;
        }
    }
    intersect(c, c->argv + 2, (int)numkeys, &t);
}

/* ---- union and difference ---- */

static int compare_by_size_desc(const void *a, const void *b) {
    return compare_by_size(b, a);
}

/* Valkey's choice: 1 walks the first set probing the others (cost halved:
 * better constants and early exits), 2 copies the first set and removes
 * the others' members. */
static int choose_diff_algorithm(Obj **sets, int count) {
    long long one = 0, two = 0;
    for (int j = 0; j < count; j++) {
        if (sets[j] == NULL) continue;
        one += (long long)set_size(sets[0]);
        two += (long long)set_size(sets[j]);
    }
    return one / 2 <= two ? 1 : 2;
}

static void union_into(Obj *result, Obj **sets, int count) {
    for (int j = 0; j < count; j++) {
        if (sets[j] == NULL) continue;
        SetIter it;
        SetElem e;
        set_iter_init(&it, sets[j]);
        while (set_iter_next(&it, &e)) set_add_elem(result, &e);
        set_iter_deinit(&it);
    }
}

static void diff_probe_into(Obj *result, Obj **sets, int count) {
    SetIter it;
    SetElem e;
    set_iter_init(&it, sets[0]);
    while (set_iter_next(&it, &e)) {
        int j;
        for (j = 1; j < count; j++)
            if (sets[j] && set_contains_elem(sets[j], &e)) break;
        if (j == count) set_add_elem(result, &e);
    }
    set_iter_deinit(&it);
}

static void diff_subtract_into(Obj *result, Obj **sets, int count) {
    for (int j = 0; j < count; j++) {
        if (sets[j] == NULL) continue;
        SetIter it;
        SetElem e;
        set_iter_init(&it, sets[j]);
        while (set_iter_next(&it, &e)) {
            if (j == 0) set_add_elem(result, &e);
            else set_remove_elem(result, &e);
        }
        set_iter_deinit(&it);
        if (set_size(result) == 0) break; /* nothing left to remove */
    }
}

static void union_or_diff(Client *c, Obj **keys, int count, Obj *dstkey, SetOp op) {
    Obj **sets = mem_alloc(sizeof(Obj *) * (size_t)count);
    if (!lookup_sets(c, keys, count, dstkey != NULL, sets)) goto done;
    bool same_set = false;
    for (int j = 1; j < count; j++)
        if (sets[j] && sets[j] == sets[0]) same_set = true;

    Obj *result = set_create_intset();
    if (op == SET_OP_UNION) {
        union_into(result, sets, count);
    } else if (sets[0] && !same_set) {
        if (choose_diff_algorithm(sets, count) == 1) {
            /* Subtract the biggest sets first: members are likelier to be
             * found early. */
            if (count > 1)
                qsort(sets + 1, (size_t)count - 1, sizeof(Obj *), compare_by_size_desc);
            diff_probe_into(result, sets, count);
        } else {
            diff_subtract_into(result, sets, count);
        }
    }
    if (dstkey)
        store_result(c, dstkey, result, op == SET_OP_UNION ? "sunionstore" : "sdiffstore");
    else reply_result(c, result);
done:
    mem_free(sets);
}

void cmd_sunion(Client *c) {
    union_or_diff(c, c->argv + 1, c->argc - 1, NULL, SET_OP_UNION);
}

void cmd_sunionstore(Client *c) {
    union_or_diff(c, c->argv + 2, c->argc - 2, c->argv[1], SET_OP_UNION);
}

void cmd_sdiff(Client *c) {
    union_or_diff(c, c->argv + 1, c->argc - 1, NULL, SET_OP_DIFF);
}

void cmd_sdiffstore(Client *c) {
    union_or_diff(c, c->argv + 2, c->argc - 2, c->argv[1], SET_OP_DIFF);
}
