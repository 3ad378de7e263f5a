/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/expire_cmd.c: the expire commands: EXPIRE, PEXPIRE, EXPIREAT,
 * PEXPIREAT (with NX|XX|GT|LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME and
 * PERSIST.
 *
 * Replies and error texts are Valkey's. A time already past deletes the key
 * at once (replying 1, and counting it in expired_keys as Valkey 8.1 does)
 * rather than storing a dead expire. Keys change only through db/db.h;
 * db_set_expire may move the object, so nothing here keeps a pointer across
 * it.
 *
 * Threads: main only.
 */
#include "db/expire.h"

#include <limits.h>
#include <stdbool.h>
#include <strings.h>

#include "cmd/command.h"
#include "db/db.h"
#include "db/notify.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "persist/propagate.h"

/* The optional condition of the EXPIRE family. */
#define EXPIRE_NX (1 << 0) /* only when the key has no expire */
#define EXPIRE_XX (1 << 1) /* only when the key has one */
#define EXPIRE_GT (1 << 2) /* only when the new time is later (no expire = never later) */
#define EXPIRE_LT (1 << 3) /* only when the new time is earlier (no expire = infinitely late) */

/* Parses argv[3..] into *flags. Returns 0, or -1 after replying the error
 * (an unknown word, or an incompatible pair). */
static int parse_conditions(Client *c, int *flags) {
    *flags = 0;
    for (int i = 3; i < c->argc; i++) {
        const char *word = c->argv[i]->ptr;
        if (!strcasecmp(word, "nx")) {
            *flags |= EXPIRE_NX;
        } else if (!strcasecmp(word, "xx")) {
            *flags |= EXPIRE_XX;
        } else if (!strcasecmp(word, "gt")) {
            *flags |= EXPIRE_GT;
        } else if (!strcasecmp(word, "lt")) {
            *flags |= EXPIRE_LT;
        } else {
            reply_error_format(c, "Unsupported option %s", word);
            return -1;
        }
    }
    if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
        reply_error(c, "NX and XX, GT or LT options at the same time are not compatible");
        return -1;
    }
    if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
        reply_error(c, "GT and LT options at the same time are not compatible");
        return -1;
    }
    return 0;
}

/* The argument as a long long, or -1 after replying Valkey's error. */
static int arg_to_ll(Client *c, const Obj *arg, long long *value) {
    if (strnum_to_ll(arg->ptr, sds_len((sds)arg->ptr), value) != 0) {
        reply_error(c, "value is not an integer or out of range");
        return -1;
    }
    return 0;
}

/* Turns the time argument into an absolute unix time in ms: base_ms plus
 * the value (times 1000 for seconds). Returns -1 after replying when that
 * overflows; negative results are allowed (they delete the key). */
static int absolute_expire_ms(Client *c, long long base_ms, bool seconds, long long *when) {
    long long value;
    if (arg_to_ll(c, c->argv[2], &value) != 0) return -1;
    if (seconds) {
        if (value > LLONG_MAX / 1000 || value < LLONG_MIN / 1000) goto err_overflow;
        value *= 1000;
    }
    if (value > LLONG_MAX - base_ms) goto err_overflow;
    *when = value + base_ms;
    return 0;

err_overflow:
    reply_error_format(c, "invalid expire time in '%s' command", cmd_full_name(c->cmd));
    return -1;
}

/* True when the condition flags allow replacing current (-1: none) with
 * when. */
static bool conditions_allow(int flags, long long current, long long when) {
    if ((flags & EXPIRE_NX) && current != -1) return false;
    if ((flags & EXPIRE_XX) && current == -1) return false;
    if ((flags & EXPIRE_GT) && (current == -1 || when <= current)) return false;
    if ((flags & EXPIRE_LT) && current != -1 && when >= current) return false;
    return true;
}

/* The EXPIRE family: base_ms is now for relative forms, 0 for *AT. */
static void expire_generic(Client *c, long long base_ms, bool seconds) {
    int flags;
    long long when;
    if (parse_conditions(c, &flags) != 0) return;
    if (absolute_expire_ms(c, base_ms, seconds, &when) != 0) return;
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL || !conditions_allow(flags, obj_get_expire(o), when)) {
        reply_ll(c, 0);
        return;
    }
    if (when <= db_now_ms)
        db_delete_expired(db, o); /* a time already past: the key expires now */
    else {
        db_set_expire(db, o, when); /* may move o: not used after */
        notify_key_changed(c, db, NOTIFY_GENERIC, "expire", c->argv[1]);
        /* Replayed later, a relative time would mean another moment: the
         * AOF gets PEXPIREAT with the absolute ms (conditions kept). */
        if (propagate_recording() && (base_ms != 0 || seconds)) {
            propagate_rewrite_word(c, 0, "PEXPIREAT");
            propagate_rewrite_ll(c, 2, when);
        }
    }
    reply_ll(c, 1);
}

void cmd_expire(Client *c) {
    expire_generic(c, db_now_ms, true);
}

void cmd_pexpire(Client *c) {
    expire_generic(c, db_now_ms, false);
}

void cmd_expireat(Client *c) {
    expire_generic(c, 0, true);
}

void cmd_pexpireat(Client *c) {
    expire_generic(c, 0, false);
}

/* TTL and friends: -2 for a missing key, -1 for one without an expire, else
 * the time left (relative) or the expire time (absolute), in ms or rounded
 * to the nearest second. */
static void ttl_generic(Client *c, bool absolute, bool seconds) {
    Obj *o = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NOTOUCH);
    if (o == NULL) {
        reply_ll(c, -2);
        return;
    }
    long long when = obj_get_expire(o);
    if (when == -1) {
        reply_ll(c, -1);
        return;
    }
    long long ms = absolute ? when : when - db_now_ms;
    if (ms < 0) ms = 0;
    /* Rounded without adding 500 first, which could overflow near LLONG_MAX. */
    reply_ll(c, seconds ? ms / 1000 + (ms % 1000 >= 500) : ms);
}

void cmd_ttl(Client *c) {
    ttl_generic(c, false, true);
}

void cmd_pttl(Client *c) {
    ttl_generic(c, false, false);
}

void cmd_expiretime(Client *c) {
    ttl_generic(c, true, true);
}

void cmd_pexpiretime(Client *c) {
    ttl_generic(c, true, false);
}

void cmd_persist(Client *c) {
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL || obj_get_expire(o) == -1) {
        reply_ll(c, 0);
        return;
    }
    db_set_expire(db, o, -1);
    notify_key_changed(c, db, NOTIFY_GENERIC, "persist", c->argv[1]);
    reply_ll(c, 1);
}
