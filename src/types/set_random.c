/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_random.c: the commands that pick random members: SPOP and
 * SRANDMEMBER, with and without a count.
 *
 * With a count both follow Valkey's strategies, chosen by how the count
 * compares with the set's size, so that neither ever loops on an unlucky
 * random source: SPOP pops one at a time while few are taken, and when most
 * of the set goes it instead moves the few that stay into a new set and
 * replies the old one whole; SRANDMEMBER with distinct members either
 * copies the set and removes random members until count remain (count close
 * to the size) or collects random members until count distinct ones are
 * found (count small).
 *
 * Threads: main only.
 */
#include "types/set.h"

#include <limits.h>

#include "db/db.h"
#include "db/lazyfree.h"
#include "db/notify.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/set_internal.h"

/* SPOP: below this ratio of remaining to popped members, rebuild instead. */
#define SPOP_MOVE_STRATEGY_MUL 5
/* SRANDMEMBER: when count * this exceeds the size, copy and subtract. */
#define SRANDMEMBER_SUB_STRATEGY_MUL 3

/* Deletes the emptied set under argv[1], with its "del" event. */
static void delete_emptied(Client *c, Db *db) {
    db_delete(db, c->argv[1], false);
    notify_keyspace_event(NOTIFY_GENERIC, "del", c->argv[1], db->id);
}

/* Adds a popped member to the SREM being built (when propagating). */
static void batch_member(PropagateBatch *srem, const SetElem *e) {
    if (srem == NULL) return;
    char buf[24];
    size_t len;
    const char *p = set_elem_bytes(e, buf, &len);
    propagate_batch_add(srem, p, len);
}

/* Replies a random member and removes it (adding it to srem, if any). */
static void pop_one(Client *c, Obj *set, PropagateBatch *srem) {
    SetElem e;
    set_random_elem(set, &e);
    set_reply_elem(c, &e);
    batch_member(srem, &e);
    if (e.str == NULL) {
        set_remove_elem(set, &e);
        return;
    }
    /* e borrows from the set: removing it may free its bytes. */
    sds member = set_elem_to_sds(&e);
    set_remove(set, member, sds_len(member));
    sds_free(member);
}

/* SPOP with count >= size: the whole set, then the key goes. */
static void pop_all(Client *c, Db *db, Obj *set) {
    reply_set_len(c, (long)set_size(set));
    SetIter it;
    SetElem e;
    set_iter_init(&it, set);
    while (set_iter_next(&it, &e)) set_reply_elem(c, &e);
    set_iter_deinit(&it);
    delete_emptied(c, db);
}

/* SPOP when most of the set goes: the remaining members move to a new set
 * that becomes the value, and what is left of the old one is replied. */
static void pop_most(Client *c, Obj *set, size_t remaining, PropagateBatch *srem) {
    Obj *kept = NULL;
    while (remaining--) {
        SetElem e;
        set_random_elem(set, &e);
        if (kept == NULL) {
            char buf[24];
            size_t len;
            const char *s = set_elem_bytes(&e, buf, &len);
            kept = set_create_for(s, len, 1);
        }
        set_add_elem(kept, &e);
        if (e.str == NULL) {
            set_remove_elem(set, &e);
        } else {
            sds member = set_elem_to_sds(&e);
            set_remove(set, member, sds_len(member));
            sds_free(member);
        }
    }
    SetIter it;
    SetElem e;
    set_iter_init(&it, set);
    while (set_iter_next(&it, &e)) {
        set_reply_elem(c, &e);
        batch_member(srem, &e);
    }
    set_iter_deinit(&it);
    /* The stored object stays where it is; only its structure changes: swap
     * the structures and let the bare object free the old one. */
    void *old_ptr = set->ptr;
    unsigned old_encoding = set->encoding;
    set->ptr = kept->ptr;
    set->encoding = kept->encoding;
    kept->ptr = old_ptr;
    kept->encoding = old_encoding;
    obj_decr_ref(kept);
}

/* SPOP key count */
static void spop_with_count(Client *c) {
    long long count;
    if (!type_arg_ll_range(c, c->argv[2], 0, LONG_MAX, &count,
                           "value is out of range, must be positive"))
        return;
    Db *db = client_db(c);
    Obj *set = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (set == NULL) {
        reply_set_len(c, 0);
        return;
    }
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return;
    if (count == 0) {
        reply_set_len(c, 0);
        return;
    }
    size_t size = set_size(set);
    notify_keyspace_event(NOTIFY_SET, "spop", c->argv[1], db->id);
    db_signal_modified(c, db, c->argv[1]);
    if ((unsigned long long)count >= size) {
        pop_all(c, db, set);
        /* The whole set went: replays as DEL (UNLINK with lazy server del). */
        if (propagate_recording())
            propagate_rewrite_fmt(c, "wo", cfg_lazyfree_lazy_server_del ? "UNLINK" : "DEL",
                                  c->argv[1]);
        return;
    }
    /* Random picks replay as SREMs of what was popped, instead of SPOP. */
    PropagateBatch batch, *srem = NULL;
    if (propagate_recording()) {
        propagate_batch_init(&batch, db->id, "SREM", c->argv[1]);
        srem = &batch;
        propagate_prevent(c);
    }
    reply_set_len(c, (long)count);
    size_t remaining = size - (size_t)count;
    if (remaining * SPOP_MOVE_STRATEGY_MUL > (size_t)count) {
        for (long long i = 0; i < count; i++) pop_one(c, set, srem);
    } else {
        pop_most(c, set, remaining, srem);
    }
    if (srem) propagate_batch_finish(srem);
}

/* SPOP key [count] */
void cmd_spop(Client *c) {
    if (c->argc == 3) {
        spop_with_count(c);
        return;
    }
    if (c->argc > 3) {
        reply_error_syntax(c);
        return;
    }
    Db *db = client_db(c);
    Obj *set = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (set == NULL) {
        reply_null(c);
        return;
    }
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return;
    PropagateBatch batch;
    if (propagate_recording()) propagate_batch_init(&batch, db->id, "SREM", c->argv[1]);
    pop_one(c, set, propagate_recording() ? &batch : NULL);
    if (propagate_recording()) { /* SPOP key replays as SREM key member */
        propagate_prevent(c);
        propagate_batch_finish(&batch);
    }
    notify_keyspace_event(NOTIFY_SET, "spop", c->argv[1], db->id);
    if (set_size(set) == 0) delete_emptied(c, db);
    db_signal_modified(c, db, c->argv[1]);
}

/* ---- SRANDMEMBER ---- */

/* Replies every member of a temporary hashtable of members, and frees it. */
static void reply_and_destroy(Client *c, Ht *picked) {
    reply_array_len(c, (long)ht_size(picked));
    HtIter it;
    void *entry;
    ht_iter_init(&it, picked, 0);
    while (ht_iter_next(&it, &entry)) {
        size_t len;
        const char *bytes = set_member_bytes(entry, &len);
        reply_bulk(c, bytes, len);
    }
    ht_iter_deinit(&it);
    ht_destroy(picked);
}

/* count distinct members, count < size: copy-and-subtract or collect. */
static void random_distinct(Client *c, Obj *set, size_t count, size_t size) {
    Ht *picked = ht_create(&set_ht_type);
    SetElem e;
    if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
        ht_resize(picked, size);
        SetIter it;
        set_iter_init(&it, set);
        while (set_iter_next(&it, &e)) ht_add(picked, set_elem_to_member(&e));
        set_iter_deinit(&it);
        while (ht_size(picked) > count) {
            void *victim = ht_random_entry(picked);
            ht_delete(picked, victim); /* frees victim */
        }
    } else {
        ht_resize(picked, count);
        while (ht_size(picked) < count) {
            set_random_elem(set, &e);
            void *member = set_elem_to_member(&e);
            if (!ht_add(picked, member)) mem_free(member);
        }
    }
    reply_and_destroy(c, picked);
}

/* SRANDMEMBER key count */
static void srandmember_with_count(Client *c) {
    long long value;
    if (!type_arg_ll(c, c->argv[2], &value)) return;
    if (value < -LONG_MAX) {
        reply_error_format(c, "value is out of range, value must between %ld and %ld", -LONG_MAX,
                           LONG_MAX);
        return;
    }
    bool distinct = value >= 0;
    size_t count = (size_t)(distinct ? value : -value);
    Obj *set = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    if (set == NULL) {
        reply_array_len(c, 0);
        return;
    }
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return;
    if (count == 0) {
        reply_array_len(c, 0);
        return;
    }
    SetElem e;
    if (!distinct || count == 1) {
        reply_array_len(c, (long)count);
        for (size_t i = 0; i < count; i++) {
            set_random_elem(set, &e);
            set_reply_elem(c, &e);
        }
        return;
    }
    size_t size = set_size(set);
    if (count >= size) {
        reply_array_len(c, (long)size);
        SetIter it;
        set_iter_init(&it, set);
        while (set_iter_next(&it, &e)) set_reply_elem(c, &e);
        set_iter_deinit(&it);
        return;
    }
    random_distinct(c, set, count, size);
}

/* SRANDMEMBER key [count] */
void cmd_srandmember(Client *c) {
    if (c->argc == 3) {
        srandmember_with_count(c);
        return;
    }
    if (c->argc > 3) {
        reply_error_syntax(c);
        return;
    }
    Obj *set = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    if (set == NULL) {
        reply_null(c);
        return;
    }
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return;
    SetElem e;
    set_random_elem(set, &e);
    set_reply_elem(c, &e);
}
