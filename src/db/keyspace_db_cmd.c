/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/keyspace_db_cmd.c: the commands that work on whole databases (SELECT,
 * SWAPDB, DBSIZE, FLUSHDB, FLUSHALL) and those that take a key from one
 * database to another (MOVE, COPY).
 *
 * Argument checks run in Valkey's order, so a command with two mistakes
 * reports the same one Valkey reports.
 *
 * Threads: main only.
 */
#include "db/keyspace.h"

#include <string.h>

#include "db/blocking.h"
#include "db/db.h"
#include "db/evict.h"
#include "db/lazyfree.h"
#include "db/notify.h"
#include "net/reply.h"
#include "persist/persist.h"
#include "persist/propagate.h"

/* SELECT index */
void cmd_select(Client *c) {
    int id;
    if (ks_arg_db_index(c, c->argv[1], &id) != 0) return;
    c->db = id;
    reply_ok(c);
}

/* SWAPDB index1 index2 */
void cmd_swapdb(Client *c) {
    int first, second;
    if (ks_arg_int(c, c->argv[1], &first, "invalid first DB index") != 0) return;
    if (ks_arg_int(c, c->argv[2], &second, "invalid second DB index") != 0) return;
    if (first < 0 || first >= cfg_databases || second < 0 || second >= cfg_databases) {
        reply_error(c, KS_ERR_DB_RANGE);
        return;
    }
    if (first != second) {
        db_swap(db_get(first), db_get(second));
        db_signal_swapped(db_get(first), db_get(second));
        /* Clients stay on their database number: a waited key may now hold
         * data there. */
        blocking_signal_db_keys(db_get(first));
        blocking_signal_db_keys(db_get(second));
    }
    propagate_force(c); /* changes no key one by one: the counter stays */
    reply_ok(c);
}

/* DBSIZE: counts keys whose time has passed but that nobody deleted yet, as
 * Valkey does. */
void cmd_dbsize(Client *c) {
    reply_ll(c, (long long)db_size(client_db(c)));
}

/* Parses FLUSHDB/FLUSHALL's optional SYNC|ASYNC into *async (the default
 * follows lazyfree-lazy-user-flush). Returns 0, or -1 after a syntax error. */
static int flush_mode(Client *c, bool *async) {
    if (c->argc == 1) {
        *async = cfg_lazyfree_lazy_user_flush;
    } else if (c->argc == 2 && ks_arg_is(c->argv[1], "sync")) {
        *async = false;
    } else if (c->argc == 2 && ks_arg_is(c->argv[1], "async")) {
        *async = true;
    } else {
        reply_error_syntax(c);
        return -1;
    }
    return 0;
}

/* FLUSHDB [ASYNC|SYNC] */
void cmd_flushdb(Client *c) {
    bool async;
    if (flush_mode(c, &async) != 0) return;
    db_signal_flushed(c->db);
    persist_count_changes(db_size(client_db(c))); /* the removed keys, as Valkey */
    db_empty(client_db(c), async);
    propagate_force(c); /* even on an empty database, as Valkey */
    reply_ok(c);
}

/* FLUSHALL [ASYNC|SYNC] */
void cmd_flushall(Client *c) {
    bool async;
    if (flush_mode(c, &async) != 0) return;
    db_signal_flushed(-1);
    for (int i = 0; i < cfg_databases; i++) {
        persist_count_changes(db_size(db_get(i))); /* the removed keys, as Valkey */
        db_empty(db_get(i), async);
    }
    persist_after_flushall(); /* with save points: the empty dataset is saved */
    propagate_force(c); /* even on an empty server, as Valkey */
    reply_ok(c);
}

/* MOVE key db: 1 if moved; 0 if the key is missing here or present there.
 * The keyed object itself moves, expire and access data included. */
void cmd_move(Client *c) {
    int target;
    if (ks_arg_db_index(c, c->argv[2], &target) != 0) return;
    Db *src = client_db(c), *dst = db_get(target);
    if (src == dst) {
        reply_error(c, KS_ERR_SAME_OBJECT);
        return;
    }
    if (db_lookup_write(src, c->argv[1], LOOKUP_NONE) == NULL ||
        db_lookup_write(dst, c->argv[1], LOOKUP_NONE) != NULL) {
        reply_ll(c, 0);
        return;
    }
    db_insert_keyed(dst, db_unlink(src, c->argv[1]));
    notify_key_changed(c, src, NOTIFY_GENERIC, "move_from", c->argv[1]);
    notify_key_changed(c, dst, NOTIFY_GENERIC, "move_to", c->argv[1]);
    reply_ll(c, 1);
}

/* COPY source destination [DB destination-db] [REPLACE] */
void cmd_copy(Client *c) {
    Db *src = client_db(c), *dst = src;
    bool replace = false;
    for (int j = 3; j < c->argc; j++) {
        if (ks_arg_is(c->argv[j], "replace")) {
            replace = true;
        } else if (ks_arg_is(c->argv[j], "db") && j + 1 < c->argc) {
            int id;
            if (ks_arg_db_index(c, c->argv[++j], &id) != 0) return;
            dst = db_get(id);
        } else {
            reply_error_syntax(c);
            return;
        }
    }
    size_t srclen, dstlen;
    const char *srckey = obj_key(c->argv[1], &srclen);
    const char *dstkey = obj_key(c->argv[2], &dstlen);
    if (src == dst && srclen == dstlen && memcmp(srckey, dstkey, srclen) == 0) {
        reply_error(c, KS_ERR_SAME_OBJECT);
        return;
    }
    Obj *o = db_lookup_read(src, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_ll(c, 0);
        return;
    }
    if (db_lookup_write(dst, c->argv[2], LOOKUP_NONE) != NULL && !replace) {
        reply_ll(c, 0);
        return;
    }
    Obj *copy = obj_duplicate_keyed(o, dstkey, dstlen, obj_get_expire(o));
    evict_init_object(copy);
    db_insert_keyed(dst, copy); /* replaces (and frees) any old value */
    notify_key_changed(c, dst, NOTIFY_GENERIC, "copy_to", c->argv[2]);
    reply_ll(c, 1);
}
