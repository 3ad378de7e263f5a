/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/multi.h: transactions: MULTI queues a client's commands, EXEC runs
 * them one after the other with nothing in between, DISCARD drops them, and
 * WATCH makes EXEC fail (a null reply) when a watched key changed since.
 *
 * cmd/call.c asks multi_should_queue() before running a command of a
 * client in MULTI and queues it with multi_queue(); a command refused while
 * queueing (unknown, wrong arity, OOM...) calls multi_flag_error(), which
 * makes EXEC answer -EXECABORT. Every write path reports changed keys
 * through db_signal_modified (db/notify.h), which calls multi_touch_key;
 * FLUSHDB, FLUSHALL and SWAPDB touch every watched key of their databases.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_MULTI_H
#define KEEL_SERVER_MULTI_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/command.h"
#include "db/db.h"
#include "net/client.h"

/* Creates the watched-keys table. Once, at startup. */
void multi_init(void);

/* True when c is in MULTI and cmd must be queued rather than run (EXEC,
 * DISCARD, MULTI, WATCH, QUIT and RESET run at once). */
static inline bool multi_should_queue(const Client *c, const Command *cmd) {
    return (c->flags & CLIENT_MULTI) && !(cmd->flags & CMD_RUNS_IN_MULTI);
}
/* Queues c's current command (c->argv, resolved cmd) and replies +QUEUED. */
void multi_queue(Client *c, const Command *cmd);
/* A command of c was refused while c is in MULTI: EXEC will abort. */
void multi_flag_error(Client *c);

/* key of db changed: every client watching it will fail its EXEC. */
void multi_touch_key(Db *db, const Obj *key);
/* Every watched key of database dbid (-1: all) that exists now is touched
 * (before FLUSHDB / FLUSHALL empty them). */
void multi_touch_flushed(int dbid);
/* SWAPDB of a and b: watched keys of either that exist in either. */
void multi_touch_swapped(Db *a, Db *b);
/* c is being freed: drops its queue and watched keys. */
void multi_client_free(Client *c);
/* Commands queued by c (CLIENT LIST multi=, -1 when not in MULTI). */
long multi_queued_count(const Client *c);
/* Keys c watches (CLIENT LIST watch=, INFO). */
long multi_watched_count(const Client *c);
/* Bytes of c's queued commands (CLIENT LIST multi-mem=). */
size_t multi_queued_bytes(const Client *c);
/* Keys watched by any client, and clients watching any key (INFO). */
size_t multi_watched_keys_total(void);
size_t multi_watching_clients(void);

/* The commands. */
void cmd_multi(Client *c);
void cmd_exec(Client *c);
void cmd_discard(Client *c);
void cmd_watch(Client *c);
void cmd_unwatch(Client *c);

#endif
