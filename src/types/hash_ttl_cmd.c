/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_ttl_cmd.c: the per-field expiry commands that take a list of
 * fields: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT (with NX XX GT LT),
 * HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST, replying one code per
 * field as Valkey 9 does (-2 no such field, -1 no expire, 0 condition not
 * met, 1 done, 2 deleted because the time had passed).
 *
 * Threads: main only.
 */
#include "types/hash.h"

#include <limits.h>
#include <strings.h>

#include "cmd/command.h"
#include "db/notify.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/hash_entry.h"
#include "types/hash_internal.h"

#define COND_NX (1 << 0)
#define COND_XX (1 << 1)
#define COND_GT (1 << 2)
#define COND_LT (1 << 3)

/* Parses argv[first..end) as NX XX GT LT. Returns false after replying. */
static bool parse_conditions(Client *c, int first, int end, int *flags) {
    *flags = 0;
    for (int i = first; i < end; i++) {
        const char *word = c->argv[i]->ptr;
        if (!strcasecmp(word, "nx")) *flags |= COND_NX;
        else if (!strcasecmp(word, "xx")) *flags |= COND_XX;
        else if (!strcasecmp(word, "gt")) *flags |= COND_GT;
        else if (!strcasecmp(word, "lt")) *flags |= COND_LT;
        else {
            reply_error_format(c, "Unsupported option %s", word);
            return false;
        }
    }
    if ((*flags & COND_NX) && (*flags & (COND_XX | COND_GT | COND_LT))) {
        reply_error(c, "NX and XX, GT or LT options at the same time are not compatible");
        return false;
    }
    if ((*flags & COND_GT) && (*flags & COND_LT)) {
        reply_error(c, "GT and LT options at the same time are not compatible");
        return false;
    }
    return true;
}

/* Converts an expire argument to a unix time in ms (base_ms: now for
 * relative forms, 0 for absolute ones). Negative values and overflows are
 * "invalid expire time"; zero is allowed (it expires at once). */
bool hash_expire_arg_to_ms(Client *c, const Obj *arg, long long base_ms, bool seconds,
                           long long *when) {
    long long value;
    if (!type_arg_ll(c, arg, &value)) return false;
    if (value < 0 || (seconds && value > LLONG_MAX / 1000)) goto invalid;
    if (seconds) value *= 1000;
    if (value > LLONG_MAX - base_ms) goto invalid;
    *when = value + base_ms;
    return true;

invalid:
    reply_error_format(c, "invalid expire time in '%s' command", cmd_full_name(c->cmd));
    return false;
}

static bool conditions_allow(int flags, long long current, long long when) {
    if ((flags & COND_NX) && current != HASH_NO_EXPIRE) return false;
    if ((flags & COND_XX) && current == HASH_NO_EXPIRE) return false;
    if ((flags & COND_GT) && (current == HASH_NO_EXPIRE || when <= current)) return false;
    if ((flags & COND_LT) && current != HASH_NO_EXPIRE && when >= current) return false;
    return true;
}

/* HEXPIRE key time [NX|XX|GT|LT] FIELDS numfields field ... */
static void hexpire_generic(Client *c, long long base_ms, bool seconds) {
    int fields_at = 3;
    long long numfields = 0;
    int flags = 0;
    for (; fields_at < c->argc - 1; fields_at++) {
        if (!type_arg_is(c->argv[fields_at], "fields")) continue;
        if (!parse_conditions(c, 3, fields_at, &flags)) return;
        fields_at++;
        if (!type_arg_ll(c, c->argv[fields_at++], &numfields)) return;
        break;
    }
    if (numfields <= 0 || numfields != c->argc - fields_at) {
        reply_error(c, HASH_ERR_NUMFIELDS);
        return;
    }
    long long when;
    if (!hash_expire_arg_to_ms(c, c->argv[2], base_ms, seconds, &when)) return;
    Db *db = client_db(c);
    bool wrongtype;
    Obj *o = hash_lookup(c, db, c->argv[1], true, &wrongtype);
    if (wrongtype) return;

    long long set = 0, deleted = 0;
    /* The fields changed, for the AOF: HPEXPIREAT key ms FIELDS ..., or
     * HDEL when the time had passed. */
    Obj **changed = propagate_recording() ? mem_alloc(sizeof(Obj *) * (size_t)numfields) : NULL;
    reply_array_len(c, numfields);
    for (int i = fields_at; i < c->argc; i++) {
        const Obj *arg = c->argv[i];
        long long current = o ? hash_get_expire(o, arg->ptr, sds_len(arg->ptr)) : -2;
        if (current == -2) {
            reply_ll(c, -2);
        } else if (!conditions_allow(flags, current, when)) {
            reply_ll(c, 0);
        } else if (when <= db_now_ms) {
            hash_delete(o, arg->ptr, sds_len(arg->ptr));
            if (changed) changed[deleted + set] = c->argv[i];
            deleted++;
            reply_ll(c, 2);
        } else {
            hash_set_expire(db, c->argv[1], o, arg->ptr, sds_len(arg->ptr), when);
            if (changed) changed[deleted + set] = c->argv[i];
            set++;
            reply_ll(c, 1);
        }
    }
    if (changed) {
        if (deleted)
            propagate_rewrite_fields(c, "HDEL", c->argv[1], -1, false, changed, (int)deleted);
        else
            propagate_rewrite_fields(c, "HPEXPIREAT", c->argv[1], when, true, changed, (int)set);
        mem_free(changed);
    }
    if (set == 0 && deleted == 0) return;
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_HASH, deleted ? "hexpired" : "hexpire", c->argv[1], db->id);
    if (deleted && set) notify_keyspace_event(NOTIFY_HASH, "hexpire", c->argv[1], db->id);
    if (hash_length(o) == 0) {
        db_delete(db, c->argv[1], false);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->argv[1], db->id);
    }
}

void cmd_hexpire(Client *c) {
    hexpire_generic(c, db_now_ms, true);
}

void cmd_hpexpire(Client *c) {
    hexpire_generic(c, db_now_ms, false);
}

void cmd_hexpireat(Client *c) {
    hexpire_generic(c, 0, true);
}

void cmd_hpexpireat(Client *c) {
    hexpire_generic(c, 0, false);
}

/* HTTL key FIELDS numfields field ...: the FIELDS word itself is not
 * checked, and a count that does not match is a syntax error (Valkey). */
static void httl_generic(Client *c, long long base_ms, bool seconds) {
    long long numfields;
    if (!type_arg_ll(c, c->argv[3], &numfields)) return;
    if (numfields <= 0 || numfields != c->argc - 4) {
        reply_error_syntax(c);
        return;
    }
    bool wrongtype;
    Obj *o = hash_lookup(c, client_db(c), c->argv[1], false, &wrongtype);
    if (wrongtype) return;
    reply_array_len(c, numfields);
    for (int i = 4; i < c->argc; i++) {
        const Obj *arg = c->argv[i];
        long long when = o ? hash_get_expire(o, arg->ptr, sds_len(arg->ptr)) : -2;
        if (when < 0) {
            reply_ll(c, when);
            continue;
        }
        long long left = when - base_ms;
        if (left < 0) left = 0;
        reply_ll(c, seconds ? (left + 500) / 1000 : left);
    }
}

void cmd_httl(Client *c) {
    httl_generic(c, db_now_ms, true);
}

void cmd_hpttl(Client *c) {
    httl_generic(c, db_now_ms, false);
}

void cmd_hexpiretime(Client *c) {
    httl_generic(c, 0, true);
}

void cmd_hpexpiretime(Client *c) {
    httl_generic(c, 0, false);
}

/* HPERSIST key FIELDS numfields field ... */
void cmd_hpersist(Client *c) {
    long long numfields;
    if (!type_arg_ll(c, c->argv[3], &numfields)) return;
    if (numfields <= 0 || numfields != c->argc - 4) {
        reply_error(c, HASH_ERR_NUMFIELDS);
        return;
    }
    Db *db = client_db(c);
    bool wrongtype;
    Obj *o = hash_lookup(c, db, c->argv[1], true, &wrongtype);
    if (wrongtype) return;
    long long changed = 0;
    reply_array_len(c, numfields);
    for (int i = 4; i < c->argc; i++) {
        const Obj *arg = c->argv[i];
        int result = o ? hash_persist(o, arg->ptr, sds_len(arg->ptr)) : -2;
        if (result == 1) changed++;
        reply_ll(c, result);
    }
    if (changed == 0) return;
    db_signal_modified(c, db, c->argv[1]);
    notify_keyspace_event(NOTIFY_HASH, "hpersist", c->argv[1], db->id);
}
