/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/object_cmd.c: OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ|HELP, what the
 * keyspace knows about one key's value.
 *
 * The lookup counts a keyspace hit or miss but does not touch the key's
 * access data (asking about a key is not using it), as in Valkey. A missing
 * key replies a null before any policy check.
 *
 * Threads: main only.
 */
#include "db/keyspace.h"

#include "db/db.h"
#include "db/evict.h"
#include "net/reply.h"

#define POLICY_SWITCH_NOTE                                                                        \
    "Please note that when switching between policies at runtime LRU and LFU data will take "     \
    "some time to adjust."

/* The value under argv[2], or NULL after replying a null. */
static Obj *lookup_or_null(Client *c) {
    Obj *o = db_lookup_read(client_db(c), c->argv[2], LOOKUP_NOTOUCH);
    if (o == NULL) reply_null(c);
    return o;
}

/* OBJECT ENCODING key */
void cmd_object_encoding(Client *c) {
    Obj *o = lookup_or_null(c);
    if (o) reply_bulk_cstr(c, obj_encoding_name(o));
}

/* OBJECT REFCOUNT key: keel never shares keyspace values, so this is 1
 * where Valkey may report a shared integer's 2147483647. */
void cmd_object_refcount(Client *c) {
    Obj *o = lookup_or_null(c);
    if (o) reply_ll(c, o->refcount);
}

/* OBJECT IDLETIME key: seconds since the last access (LRU policies only). */
void cmd_object_idletime(Client *c) {
    Obj *o = lookup_or_null(c);
    if (o == NULL) return;
    if (evict_policy_is_lfu()) {
        reply_error(c, "An LFU maxmemory policy is selected, idle time not tracked. "
                       POLICY_SWITCH_NOTE);
        return;
    }
    reply_ll(c, (long long)(evict_idle_ms(o) / 1000));
}

/* OBJECT FREQ key: the logarithmic access counter (LFU policies only). */
void cmd_object_freq(Client *c) {
    Obj *o = lookup_or_null(c);
    if (o == NULL) return;
    if (!evict_policy_is_lfu()) {
        reply_error(c, "An LFU maxmemory policy is not selected, access frequency not tracked. "
                       POLICY_SWITCH_NOTE);
        return;
    }
    reply_ll(c, evict_lfu_decayed_counter(o));
}

/* OBJECT HELP */
void cmd_object_help(Client *c) {
    static const char *const lines[] = {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        NULL,
    };
    reply_help(c, lines);
}
