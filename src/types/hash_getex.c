/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_getex.c: HGETEX and HSETEX, which read or write fields and
 * change their expires in one command (Valkey 9).
 *
 * Both look for the FIELDS word first and parse only the words before it
 * as options, so a field may be called "EX". An expire time already past
 * (EX 0, EXAT in the past) deletes the fields at once, as active expiry
 * would, with a "hexpired" notification.
 *
 * Threads: main only.
 */
#include "types/hash.h"

#include <strings.h>

#include "db/notify.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/hash_entry.h"
#include "types/hash_internal.h"

#define OPT_NX (1 << 0)
#define OPT_XX (1 << 1)
#define OPT_FNX (1 << 2)
#define OPT_FXX (1 << 3)
#define OPT_EX (1 << 4)
#define OPT_PX (1 << 5)
#define OPT_EXAT (1 << 6)
#define OPT_PXAT (1 << 7)
#define OPT_KEEPTTL (1 << 8)
#define OPT_PERSIST (1 << 9)
#define OPT_ANY_TIME (OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT)

typedef struct FieldsArgs {
    int flags;
    const Obj *time_arg; /* after EX/PX/EXAT/PXAT, or NULL */
    int fields_at;       /* index of the first field */
    long long numfields;
} FieldsArgs;

/* Parses argv[2..FIELDS) against the options allowed (a mask of OPT_*),
 * then the count. per_field: arguments per field (1, or 2 with values).
 * Returns false after replying. */
static bool parse_fields_args(Client *c, int allowed, int per_field, FieldsArgs *a) {
    a->flags = 0;
    a->time_arg = NULL;
    a->numfields = 0;
    int fields_word = -1;
    for (int i = 2; i < c->argc - 1; i++) {
        if (type_arg_is(c->argv[i], "fields")) {
            fields_word = i;
            break;
        }
    }
    static const struct {
        const char *word;
        int flag;
        int excludes;
    } words[] = {
        {"nx", OPT_NX, OPT_XX},
        {"xx", OPT_XX, OPT_NX},
        {"fnx", OPT_FNX, OPT_FXX},
        {"fxx", OPT_FXX, OPT_FNX},
        {"ex", OPT_EX, OPT_ANY_TIME | OPT_KEEPTTL | OPT_PERSIST},
        {"px", OPT_PX, OPT_ANY_TIME | OPT_KEEPTTL | OPT_PERSIST},
        {"exat", OPT_EXAT, OPT_ANY_TIME | OPT_KEEPTTL | OPT_PERSIST},
        {"pxat", OPT_PXAT, OPT_ANY_TIME | OPT_KEEPTTL | OPT_PERSIST},
        {"keepttl", OPT_KEEPTTL, OPT_ANY_TIME | OPT_KEEPTTL},
        {"persist", OPT_PERSIST, OPT_ANY_TIME | OPT_PERSIST},
    };
    for (int i = 2; fields_word > 0 && i < fields_word; i++) {
        size_t w = 0, n = sizeof(words) / sizeof(words[0]);
        while (w < n && !type_arg_is(c->argv[i], words[w].word)) w++;
        if (w == n || !(allowed & words[w].flag) || (a->flags & words[w].excludes) ||
            (a->flags & words[w].flag)) {
            reply_error_syntax(c);
            return false;
        }
        a->flags |= words[w].flag;
        if (words[w].flag & OPT_ANY_TIME) {
            if (i + 1 >= fields_word) {
                reply_error_syntax(c);
                return false;
            }
            a->time_arg = c->argv[++i];
        }
    }
    if (fields_word > 0) {
        a->fields_at = fields_word + 2;
        if (!type_arg_ll(c, c->argv[fields_word + 1], &a->numfields)) return false;
    }
    if (fields_word < 0 || a->numfields <= 0 || a->numfields > (c->argc / per_field) ||
        a->numfields * per_field != c->argc - a->fields_at) {
        reply_error(c, HASH_ERR_NUMFIELDS);
        return false;
    }
    return true;
}

/* The expire time the options ask for (ms), or HASH_NO_EXPIRE. */
static bool options_time(Client *c, const FieldsArgs *a, long long *when) {
    *when = HASH_NO_EXPIRE;
    if (a->time_arg == NULL) return true;
    bool absolute = a->flags & (OPT_EXAT | OPT_PXAT);
    bool seconds = a->flags & (OPT_EX | OPT_EXAT);
    return hash_expire_arg_to_ms(c, a->time_arg, absolute ? 0 : db_now_ms, seconds, when);
}

/* Sends the notifications of a change and deletes an emptied key. */
static void finish_change(Client *c, Db *db, Obj *o, const char *const *events) {
    db_signal_modified(c, db, c->argv[1]);
    for (int i = 0; events[i]; i++)
        notify_keyspace_event(NOTIFY_HASH, events[i], c->argv[1], db->id);
    if (hash_length(o) == 0) {
        db_delete(db, c->argv[1], false);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->argv[1], db->id);
    }
}

/* HGETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST] FIELDS n field ... */
void cmd_hgetex(Client *c) {
    FieldsArgs a;
    if (!parse_fields_args(c, OPT_ANY_TIME | OPT_PERSIST, 1, &a)) return;
    Db *db = client_db(c);
    bool wrongtype;
    Obj *o = hash_lookup(c, db, c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    long long when;
    if (!options_time(c, &a, &when)) return;
    bool expire_now = when != HASH_NO_EXPIRE && when <= db_now_ms;
    long long changed = 0;
    /* The fields changed, for the AOF: HPEXPIREAT / HDEL / HPERSIST of them. */
    Obj **fields = propagate_recording() ? mem_alloc(sizeof(Obj *) * (size_t)a.numfields) : NULL;
    reply_array_len(c, a.numfields);
    for (int i = a.fields_at; i < c->argc; i++) {
        const Obj *arg = c->argv[i];
        size_t flen = sds_len(arg->ptr), vlen;
        const char *v;
        char numbuf[LP_INTBUF_SIZE];
        if (o == NULL || !hash_get(o, arg->ptr, flen, &v, &vlen, numbuf)) {
            reply_null(c);
            continue;
        }
        reply_bulk(c, v, vlen);
        long long before = changed;
        if (expire_now) changed += hash_delete(o, arg->ptr, flen);
        else if (when != HASH_NO_EXPIRE)
            changed += hash_set_expire(db, c->argv[1], o, arg->ptr, flen, when);
        else if (a.flags & OPT_PERSIST) changed += hash_persist(o, arg->ptr, flen) == 1;
        if (fields && changed > before) fields[before] = c->argv[i];
    }
    if (fields) {
        if (expire_now)
            propagate_rewrite_fields(c, "HDEL", c->argv[1], -1, false, fields, (int)changed);
        else if (when != HASH_NO_EXPIRE)
            propagate_rewrite_fields(c, "HPEXPIREAT", c->argv[1], when, true, fields, (int)changed);
        else
            propagate_rewrite_fields(c, "HPERSIST", c->argv[1], -1, true, fields, (int)changed);
        mem_free(fields);
    }
    if (changed == 0) return;
    static const char *const expired[] = {"hexpired", NULL};
    static const char *const expire[] = {"hexpire", NULL};
    static const char *const persist[] = {"hpersist", NULL};
    finish_change(c, db, o, expire_now ? expired : when != HASH_NO_EXPIRE ? expire : persist);
}

/* FNX / FXX: whether every field passes. */
static bool field_conditions_hold(Obj *o, const FieldsArgs *a, Client *c) {
    if (!(a->flags & (OPT_FNX | OPT_FXX))) return true;
    for (int i = a->fields_at; i < c->argc; i += 2) {
        const Obj *arg = c->argv[i];
        bool exists = o != NULL && hash_exists(o, arg->ptr, sds_len(arg->ptr));
        if ((a->flags & OPT_FNX) ? exists : !exists) return false;
    }
    return true;
}

/* What HSETEX with a time replays as: HDEL of the fields when the time had
 * passed, else HSETEX key PXAT <ms> FIELDS n field value ... (the
 * conditions held, so they are dropped). */
static void hsetex_propagate(Client *c, const FieldsArgs *a, long long when, bool expire_now) {
    int count = (int)a->numfields;
    if (expire_now) {
        Obj **fields = mem_alloc(sizeof(Obj *) * (size_t)count);
        for (int i = 0; i < count; i++) fields[i] = c->argv[a->fields_at + 2 * i];
        propagate_rewrite_fields(c, "HDEL", c->argv[1], -1, false, fields, count);
        mem_free(fields);
        return;
    }
    int argc = 6 + 2 * count;
    Obj **argv = mem_alloc(sizeof(Obj *) * (size_t)argc);
    argv[0] = obj_create_string("HSETEX", 6);
    argv[1] = c->argv[1];
    argv[2] = obj_create_string("PXAT", 4);
    argv[3] = obj_create_string_from_ll(when);
    argv[4] = obj_create_string("FIELDS", 6);
    argv[5] = obj_create_string_from_ll(count);
    for (int i = 0; i < 2 * count; i++) argv[6 + i] = c->argv[a->fields_at + i];
    propagate_rewrite_argv(c, argc, argv); /* retains them all */
    for (int i = 0; i < 6; i++)
        if (i != 1) obj_decr_ref(argv[i]);
    mem_free(argv);
}

/* HSETEX key [NX|XX] [FNX|FXX] [EX|PX|EXAT|PXAT time | KEEPTTL]
 *        FIELDS n field value ... */
void cmd_hsetex(Client *c) {
    FieldsArgs a;
    int allowed = OPT_NX | OPT_XX | OPT_FNX | OPT_FXX | OPT_ANY_TIME | OPT_KEEPTTL;
    if (!parse_fields_args(c, allowed, 2, &a)) return;
    Db *db = client_db(c);
    bool wrongtype;
    Obj *o = hash_lookup(c, db, c->argv[1], true, &wrongtype);
    if (wrongtype) return;
    long long when;
    if (!options_time(c, &a, &when)) return;
    if (((a.flags & OPT_NX) && o != NULL) || ((a.flags & OPT_XX) && o == NULL) ||
        !field_conditions_hold(o, &a, c)) {
        reply_ll(c, 0);
        return;
    }
    bool expire_now = when != HASH_NO_EXPIRE && when <= db_now_ms;
    if (o == NULL) o = hash_add_empty(db, c->argv[1]);
    if (expire_now) {
        for (int i = a.fields_at; i < c->argc; i += 2)
            hash_delete(o, c->argv[i]->ptr, sds_len(c->argv[i]->ptr));
    } else {
        if (when != HASH_NO_EXPIRE) hash_convert_to_ht(o);
        else hash_convert_for_args(o, c->argv, a.fields_at, c->argc - 1);
        int set_flags = (a.flags & OPT_KEEPTTL) ? HASH_SET_KEEPTTL : 0;
        for (int i = a.fields_at; i < c->argc; i += 2) {
            const Obj *f = c->argv[i], *v = c->argv[i + 1];
            hash_set(o, f->ptr, sds_len(f->ptr), v->ptr, sds_len(v->ptr), set_flags);
            if (when != HASH_NO_EXPIRE)
                hash_set_expire(db, c->argv[1], o, f->ptr, sds_len(f->ptr), when);
        }
    }
    static const char *const set_only[] = {"hset", NULL};
    static const char *const set_expire[] = {"hset", "hexpire", NULL};
    static const char *const set_expired[] = {"hset", "hexpire", "hexpired", NULL};
    finish_change(c, db, o,
                  expire_now ? set_expired : when != HASH_NO_EXPIRE ? set_expire : set_only);
    reply_ll(c, 1);
    if (propagate_recording() && when != HASH_NO_EXPIRE) hsetex_propagate(c, &a, when, expire_now);
}
