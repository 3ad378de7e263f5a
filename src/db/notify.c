/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/notify.c: where changed-key signals and keyspace notifications arrive
 * (db/notify.h).
 *
 * Keyspace notifications follow notify-keyspace-events: an event of a
 * class that is enabled is published as a message on
 * "__keyspace@<db>__:<key>" (the event name; with K) and on
 * "__keyevent@<db>__:<event>" (the key name; with E). db_signal_modified
 * and db_signal_flushed pass changed keys on to client-side caching
 * (server/tracking.h) and WATCH.
 */
#include "db/notify.h"

#include <stdio.h>
#include <string.h>

#include "persist/persist.h"
#include "pubsub/pubsub.h"
#include "server/config.h"
#include "server/mem.h"
#include "server/multi.h"
#include "server/tracking.h"
#include "types/hash.h"

/* Every class that "A" stands for (g $ l s h z x e t d). */
#define NOTIFY_ALL                                                                           \
    (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET | \
     NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE)

int notify_keyspace_flags;

/* The flag bit of one class character, or 0 for an unknown one. */
static int class_flag(char ch) {
    switch (ch) {
    case 'A': return NOTIFY_ALL;
    case 'g': return NOTIFY_GENERIC;
    case '$': return NOTIFY_STRING;
    case 'l': return NOTIFY_LIST;
    case 's': return NOTIFY_SET;
    case 'h': return NOTIFY_HASH;
    case 'z': return NOTIFY_ZSET;
    case 'x': return NOTIFY_EXPIRED;
    case 'e': return NOTIFY_EVICTED;
    case 'K': return NOTIFY_KEYSPACE;
    case 'E': return NOTIFY_KEYEVENT;
    case 't': return NOTIFY_STREAM;
    case 'm': return NOTIFY_KEY_MISS;
    case 'd': return NOTIFY_MODULE;
    case 'n': return NOTIFY_NEW;
    default: return 0;
    }
}

static int events_set(const char *value, char *err, size_t errlen) {
    int flags = 0;
    for (const char *p = value; *p; p++) {
        int bit = class_flag(*p);
        if (bit == 0) {
            snprintf(err, errlen, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            return -1;
        }
        flags |= bit;
    }
    notify_keyspace_flags = flags;
    return 0;
}

static sds events_get(sds out) {
    static const struct {
        int flag;
        char ch;
    } classes[] = {{NOTIFY_GENERIC, 'g'}, {NOTIFY_STRING, '$'}, {NOTIFY_LIST, 'l'},
                   {NOTIFY_SET, 's'},     {NOTIFY_HASH, 'h'},   {NOTIFY_ZSET, 'z'},
                   {NOTIFY_EXPIRED, 'x'}, {NOTIFY_EVICTED, 'e'}, {NOTIFY_STREAM, 't'},
                   {NOTIFY_MODULE, 'd'}};
    if ((notify_keyspace_flags & NOTIFY_ALL) == NOTIFY_ALL) {
        out = sds_cat_len(out, "A", 1);
    } else {
        for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
            if (notify_keyspace_flags & classes[i].flag) out = sds_cat_len(out, &classes[i].ch, 1);
    }
    if (notify_keyspace_flags & NOTIFY_KEYSPACE) out = sds_cat_len(out, "K", 1);
    if (notify_keyspace_flags & NOTIFY_KEYEVENT) out = sds_cat_len(out, "E", 1);
    if (notify_keyspace_flags & NOTIFY_KEY_MISS) out = sds_cat_len(out, "m", 1);
    if (notify_keyspace_flags & NOTIFY_NEW) out = sds_cat_len(out, "n", 1);
    return out;
}

void notify_register_config(void) {
    static const ConfigSpecialOps ops = {.set = events_set, .get = events_get};
    config_register_special("notify-keyspace-events", 0, "", &ops, NULL);
}

void db_signal_modified(Client *c, Db *db, Obj *key) {
    persist_count_change(); /* rdb_changes_since_last_save (persist/persist.h) */
    multi_touch_key(db, key);
    tracking_invalidate_key(c, key);
}

void db_signal_flushed(int dbid) {
    multi_touch_flushed(dbid);
    tracking_invalidate_all();
    for (int id = 0; id < cfg_databases; id++)
        if (dbid < 0 || dbid == id) hash_registry_clear(db_get(id));
}

void db_signal_swapped(Db *a, Db *b) {
    multi_touch_swapped(a, b);
    hash_registry_swap(a, b);
}

/* Publishes message on "<prefix><db>__:<suffix>". */
static void publish_on(const char *prefix, int dbid, const char *suffix, size_t suffix_len,
                       const char *message, size_t message_len) {
    char head[64];
    int head_len = snprintf(head, sizeof(head), "%s%d__:", prefix, dbid);
    size_t len = (size_t)head_len + suffix_len;
    char small[256];
    char *channel = len <= sizeof(small) ? small : mem_alloc(len);
    memcpy(channel, head, (size_t)head_len);
    memcpy(channel + head_len, suffix, suffix_len);
    pubsub_publish(PUBSUB_CHANNEL, channel, len, message, message_len);
    if (channel != small) mem_free(channel);
}

void notify_keyspace_publish(int type, const char *event, Obj *key, int dbid) {
    (void)type;
    char buf[24];
    size_t key_len, event_len = strlen(event);
    const char *key_bytes = obj_key(key, &key_len);
    if (key->encoding == OBJ_ENCODING_INT && !key->has_key)
        key_bytes = obj_string_bytes(key, buf, &key_len);
    if (notify_keyspace_flags & NOTIFY_KEYSPACE)
        publish_on("__keyspace@", dbid, key_bytes, key_len, event, event_len);
    if (notify_keyspace_flags & NOTIFY_KEYEVENT)
        publish_on("__keyevent@", dbid, event, event_len, key_bytes, key_len);
}
