/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/notify.c: where changed-key signals and keyspace notifications arrive
 * (db/notify.h). Nothing listens yet: WATCH, tracking and
 * notify-keyspace-events attach here when they land.
 */
#include "db/notify.h"

void db_signal_modified(Client *c, Db *db, Obj *key) {
    (void)c;
    (void)db;
    (void)key;
}

void notify_keyspace_event(int type, const char *event, Obj *key, int dbid) {
    (void)type;
    (void)event;
    (void)key;
    (void)dbid;
}
