/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_cmd.c: the set commands that add, remove and test single
 * members: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS and SMOVE.
 *
 * Every change signals the key (db_signal_modified) and sends Valkey's
 * keyspace event; a set emptied by a removal is deleted ("del").
 *
 * Threads: main only.
 */
#include "types/set.h"

#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "types/args.h"
#include "types/set_internal.h"

static const char *arg_bytes(const Obj *arg, size_t *len) {
    *len = obj_string_len(arg);
    return arg->ptr;
}

/* Converts an existing small set to a hashtable up front when this many
 * members are about to be added (Valkey's setTypeMaybeConvert). */
static void maybe_convert_for(Obj *set, size_t size_hint) {
    if ((set->encoding == OBJ_ENCODING_LISTPACK &&
         size_hint > (size_t)cfg_set_max_listpack_entries) ||
        (set->encoding == OBJ_ENCODING_INTSET && size_hint > (size_t)cfg_set_max_intset_entries))
        set_convert(set, OBJ_ENCODING_HT, size_hint);
}

/* SADD key member [member ...] */
void cmd_sadd(Client *c) {
    Db *db = client_db(c);
    Obj *set = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return;
    size_t count = (size_t)c->argc - 2;
    if (set == NULL) {
        size_t len;
        const char *first = arg_bytes(c->argv[2], &len);
        set = db_add(db, c->argv[1], set_create_for(first, len, count), -1);
    } else {
        maybe_convert_for(set, count);
    }
    long long added = 0;
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const char *s = arg_bytes(c->argv[j], &len);
        if (set_add(set, s, len)) added++;
    }
    if (added) {
        db_signal_modified(c, db, c->argv[1]);
        notify_keyspace_event(NOTIFY_SET, "sadd", c->argv[1], db->id);
    }
    reply_ll(c, added);
}

/* SREM key member [member ...] */
void cmd_srem(Client *c) {
    Db *db = client_db(c);
    Obj *set = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (set == NULL) {
        reply_ll(c, 0);
        return;
    }
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return;
    long long removed = 0;
    bool key_removed = false;
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const char *s = arg_bytes(c->argv[j], &len);
        if (!set_remove(set, s, len)) continue;
        removed++;
        if (set_size(set) == 0) {
            db_delete(db, c->argv[1], false);
            key_removed = true;
            break;
        }
    }
    if (removed) {
        db_signal_modified(c, db, c->argv[1]);
        notify_keyspace_event(NOTIFY_SET, "srem", c->argv[1], db->id);
        if (key_removed) notify_keyspace_event(NOTIFY_GENERIC, "del", c->argv[1], db->id);
    }
    reply_ll(c, removed);
}

/* The set under argv[1] for a read, or NULL after replying: the reply for a
 * missing key is left to the caller (*missing set), WRONGTYPE is replied. */
static Obj *lookup_read(Client *c, bool *missing) {
    Obj *set = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
    *missing = set == NULL;
    if (type_reply_if_wrongtype(c, set, OBJ_SET)) return NULL;
    return set;
}

void cmd_scard(Client *c) {
    bool missing;
    Obj *set = lookup_read(c, &missing);
    if (set) reply_ll(c, (long long)set_size(set));
    else if (missing) reply_ll(c, 0);
}

void cmd_sismember(Client *c) {
    bool missing;
    Obj *set = lookup_read(c, &missing);
    size_t len;
    const char *s = arg_bytes(c->argv[2], &len);
    if (set) reply_ll(c, set_contains(set, s, len));
    else if (missing) reply_ll(c, 0);
}

void cmd_smismember(Client *c) {
    bool missing;
    Obj *set = lookup_read(c, &missing);
    if (set == NULL && !missing) return;
    reply_array_len(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        size_t len;
        const char *s = arg_bytes(c->argv[j], &len);
        reply_ll(c, set && set_contains(set, s, len));
    }
}

void cmd_smembers(Client *c) {
    bool missing;
    Obj *set = lookup_read(c, &missing);
    if (set == NULL) {
        if (missing) reply_set_len(c, 0);
        return;
    }
    reply_set_len(c, (long)set_size(set));
    SetIter it;
    SetElem e;
    set_iter_init(&it, set);
    while (set_iter_next(&it, &e)) set_reply_elem(c, &e);
    set_iter_deinit(&it);
}

/* SMOVE source destination member */
void cmd_smove(Client *c) {
    Db *db = client_db(c);
    Obj *src = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    Obj *dst = db_lookup_write(db, c->argv[2], LOOKUP_NONE);
    size_t len;
    const char *member = arg_bytes(c->argv[3], &len);
    if (src == NULL) {
        reply_ll(c, 0);
        return;
    }
    if (type_reply_if_wrongtype(c, src, OBJ_SET) || type_reply_if_wrongtype(c, dst, OBJ_SET))
        return;
    if (src == dst) {
        reply_ll(c, set_contains(src, member, len));
        return;
    }
    if (!set_remove(src, member, len)) {
        reply_ll(c, 0);
        return;
    }
    notify_keyspace_event(NOTIFY_SET, "srem", c->argv[1], db->id);
    if (set_size(src) == 0) {
        db_delete(db, c->argv[1], false);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->argv[1], db->id);
    }
    if (dst == NULL) dst = db_add(db, c->argv[2], set_create_for(member, len, 1), -1);
    db_signal_modified(c, db, c->argv[1]);
    if (set_add(dst, member, len)) {
        db_signal_modified(c, db, c->argv[2]);
        notify_keyspace_event(NOTIFY_SET, "sadd", c->argv[2], db->id);
    }
    reply_ll(c, 1);
}
