/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/notify.h: the two signals every write command sends about a key it
 * changed, so that features watching keys hear of it in one place:
 *
 *   db_signal_modified(c, db, key)  - the value changed (WATCH, client-side
 *                                     caching invalidation);
 *   notify_keyspace_event(class, event, key, dbid)
 *                                   - a keyspace notification of the given
 *                                     class and event name ("lpush", ...).
 *
 * Commands call both after a successful change, with Valkey's event names
 * and classes. Notifications are published per notify-keyspace-events;
 * the modified-key signal is where WATCH and client-side caching attach.
 *
 * Threads: main only.
 */
#ifndef KEEL_DB_NOTIFY_H
#define KEEL_DB_NOTIFY_H

#include "db/db.h"

/* Keyspace notification classes (the flags of notify-keyspace-events). */
#define NOTIFY_KEYSPACE (1 << 0) /* K */
#define NOTIFY_KEYEVENT (1 << 1) /* E */
#define NOTIFY_GENERIC (1 << 2)  /* g */
#define NOTIFY_STRING (1 << 3)   /* $ */
#define NOTIFY_LIST (1 << 4)     /* l */
#define NOTIFY_SET (1 << 5)      /* s */
#define NOTIFY_HASH (1 << 6)     /* h */
#define NOTIFY_ZSET (1 << 7)     /* z */
#define NOTIFY_EXPIRED (1 << 8)  /* x */
#define NOTIFY_EVICTED (1 << 9)  /* e */
#define NOTIFY_STREAM (1 << 10)  /* t */
#define NOTIFY_KEY_MISS (1 << 11) /* m */
#define NOTIFY_LOADED (1 << 12)  /* module only */
#define NOTIFY_MODULE (1 << 13)  /* d */
#define NOTIFY_NEW (1 << 14)     /* n */

/* Registers notify-keyspace-events. */
void notify_register_config(void);

/* c is the client that made the change (NULL for the server itself:
 * expiry, eviction). */
void db_signal_modified(Client *c, Db *db, Obj *key);
/* Every key of database dbid (-1: of every database) was removed
 * (FLUSHDB, FLUSHALL). */
void db_signal_flushed(int dbid);
/* Databases a and b were swapped (SWAPDB). */
void db_signal_swapped(Db *a, Db *b);
/* notify-keyspace-events as NOTIFY_* bits (db/notify.c). */
extern int notify_keyspace_flags;
/* Publishes the event (notify_keyspace_event does, when its class is on). */
void notify_keyspace_publish(int type, const char *event, Obj *key, int dbid);

static inline void notify_keyspace_event(int type, const char *event, Obj *key, int dbid) {
    if (notify_keyspace_flags & type) notify_keyspace_publish(type, event, key, dbid);
}

/* Both signals for a command that changed key in db: what most write
 * commands call once per changed key. */
static inline void notify_key_changed(Client *c, Db *db, int type, const char *event, Obj *key) {
    db_signal_modified(c, db, key);
    notify_keyspace_event(type, event, key, db->id);
}

#endif
