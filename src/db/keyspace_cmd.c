/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/keyspace_cmd.c: commands on named keys whatever their type: EXISTS,
 * DEL, UNLINK, TYPE, RENAME, RENAMENX, TOUCH, and RANDOMKEY.
 *
 * Which lookups count keyspace hits/misses and which touch the LRU/LFU data
 * follows Valkey: EXISTS and TYPE count but don't touch, TOUCH does both,
 * DEL/UNLINK/RENAME do neither (they are writes).
 *
 * Threads: main only.
 */
#include "db/keyspace.h"

#include <string.h>

#include "db/db.h"
#include "db/lazyfree.h"
#include "db/notify.h"
#include "net/reply.h"

/* EXISTS key [key ...]: a key named twice counts twice. */
void cmd_exists(Client *c) {
    Db *db = client_db(c);
    long long count = 0;
    for (int j = 1; j < c->argc; j++)
        if (db_lookup_read(db, c->argv[j], LOOKUP_NOTOUCH)) count++;
    reply_ll(c, count);
}

/* DEL and UNLINK: an expired key is deleted as expired (counted in
 * expired_keys) and not reported as deleted. */
static void delete_keys(Client *c, bool async) {
    Db *db = client_db(c);
    long long deleted = 0;
    for (int j = 1; j < c->argc; j++) {
        if (!db_delete_live(db, c->argv[j], async)) continue;
        notify_key_changed(c, db, NOTIFY_GENERIC, "del", c->argv[j]);
        deleted++;
    }
    reply_ll(c, deleted);
}

/* DEL key [key ...] */
void cmd_del(Client *c) {
    delete_keys(c, cfg_lazyfree_lazy_user_del);
}

/* UNLINK key [key ...]: big values are freed on the lazy free thread. */
void cmd_unlink(Client *c) {
    delete_keys(c, true);
}

/* TYPE key: a status reply, "none" for a missing key. */
void cmd_type(Client *c) {
    Obj *o = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NOTOUCH);
    reply_status(c, o ? obj_type_name(o) : "none");
}

static bool same_key(const Obj *a, const Obj *b) {
    size_t alen, blen;
    const char *ap = obj_key(a, &alen);
    const char *bp = obj_key(b, &blen);
    return alen == blen && memcmp(ap, bp, alen) == 0;
}

/* RENAME and RENAMENX. The value moves to the new key with its encoding,
 * expire and access data; an existing destination (RENAME) is replaced. */
static void rename_key(Client *c, bool nx) {
    Db *db = client_db(c);
    if (db_lookup_write(db, c->argv[1], LOOKUP_NONE) == NULL) {
        reply_error(c, KS_ERR_NO_SUCH_KEY);
        return;
    }
    if (same_key(c->argv[1], c->argv[2])) { /* checked after the lookup, as Valkey */
        if (nx) reply_ll(c, 0);
        else reply_ok(c);
        return;
    }
    /* The lookup also deletes an expired destination, counting it. */
    if (db_lookup_write(db, c->argv[2], LOOKUP_NONE) != NULL && nx) {
        reply_ll(c, 0);
        return;
    }
    size_t keylen;
    const char *key = obj_key(c->argv[2], &keylen);
    Obj *o = obj_rename_keyed(db_unlink(db, c->argv[1]), key, keylen);
    db_insert_keyed(db, o); /* replaces (and frees) a live destination */
    notify_key_changed(c, db, NOTIFY_GENERIC, "rename_from", c->argv[1]);
    notify_key_changed(c, db, NOTIFY_GENERIC, "rename_to", c->argv[2]);
    if (nx) reply_ll(c, 1);
    else reply_ok(c);
}

/* RENAME key newkey */
void cmd_rename(Client *c) {
    rename_key(c, false);
}

/* RENAMENX key newkey */
void cmd_renamenx(Client *c) {
    rename_key(c, true);
}

/* TOUCH key [key ...]: counts the keys that exist, updating their access
 * data. */
void cmd_touch(Client *c) {
    Db *db = client_db(c);
    long long count = 0;
    for (int j = 1; j < c->argc; j++)
        if (db_lookup_read(db, c->argv[j], LOOKUP_NONE)) count++;
    reply_ll(c, count);
}

/* RANDOMKEY: a key picked at random; a pick whose time has passed is
 * deleted (as lazy expiry would) and another is drawn, so the reply is
 * never an expired key. Each retry removes a key, so the loop ends. */
void cmd_randomkey(Client *c) {
    Db *db = client_db(c);
    for (;;) {
        Obj *o = ht_random_entry(db->keys);
        if (o == NULL) {
            reply_null(c);
            return;
        }
        if (db_key_is_expired(o)) {
            db_delete_expired(db, o);
            continue;
        }
        size_t keylen;
        const char *key = obj_key(o, &keylen);
        reply_bulk(c, key, keylen);
        return;
    }
}
