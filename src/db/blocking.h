/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/blocking.h: clients blocked on keys (BLPOP, BZPOPMIN, BLMOVE, ...).
 *
 * A blocking command's proc first tries to serve itself. When every key is
 * empty it calls block_for_keys and replies nothing; the client then waits.
 * When a write makes one of its keys hold data (blocking_signal_key_ready),
 * the waiting clients' commands are run again from the start after the
 * current command, first blocked first served; a client whose re-run finds
 * nothing again goes back to waiting, keeping its place. When the timeout
 * passes the client gets a null array (RESP2 *-1, RESP3 _).
 *
 * A client that must not block (inside MULTI, a script) gets the timeout
 * reply at once from block_for_keys.
 *
 * Threads: main only.
 */
#ifndef KEEL_DB_BLOCKING_H
#define KEEL_DB_BLOCKING_H

#include <stdbool.h>

#include "db/db.h"

/* What a client waits for (INFO, CLIENT LIST, the timeout reply). */
#define BLOCKED_NONE 0
#define BLOCKED_LIST 1
#define BLOCKED_ZSET 2

/* Parses a blocking command's timeout argument (seconds, may be
 * fractional; 0 = forever) into an absolute unix time in ms (0 = forever).
 * On a bad value replies Valkey's error ("timeout is not a float or out of
 * range", "timeout is negative") and returns false. */
bool blocking_parse_timeout(Client *c, Obj *arg, long long *timeout_ms);

/* Blocks c on keys[0..numkeys) (string objects, copied) until one is
 * signalled ready or timeout_ms (absolute unix ms, 0 = forever) passes. */
void block_for_keys(Client *c, int btype, Obj **keys, int numkeys, long long timeout_ms);

/* A write made key (in db) hold data of a type clients may wait for: call
 * after LPUSH, ZADD, LMOVE's push, a key renamed or copied onto it...
 * Cheap when nobody waits on the key. */
void blocking_signal_key_ready(Db *db, Obj *key);

/* ---- for the core (cmd/call.c, net/, db/, server/) ---- */

/* Ready keys waiting to be served (written by db/blocking.c only). */
extern size_t blocking_ready_pending;

/* Serves the clients waiting on keys signalled ready since the last call:
 * re-runs their commands in FIFO order per key, until no ready key is left.
 * Called by cmd/call.c after every command; does nothing when nested (a
 * re-run command's own signals are served by the outer call). */
void blocking_handle_ready_keys(void);

/* Signals every waited key of db that now holds a value (after SWAPDB). */
void blocking_signal_db_keys(Db *db);

/* c is closing or being freed: forgets its waits and any queued resumption,
 * without a reply. Idempotent; cheap for a client that never blocked. */
void blocking_client_gone(Client *c);

/* CLIENT UNBLOCK: ends c's wait with the timeout reply, or (error) with
 * "-UNBLOCKED client unblocked via CLIENT UNBLOCK". Returns false when c is
 * not blocked on keys. */
bool blocking_unblock_client(Client *c, bool error);

/* INFO clients: blocked clients, keys with waiters, waiters with a timeout. */
unsigned long blocking_blocked_clients(void);
unsigned long blocking_total_keys(void);
unsigned long blocking_clients_with_timeout(void);


#endif
