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

#endif
