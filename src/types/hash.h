/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash.h: the hash commands (HSET, HGET, ..., the field expiry
 * commands), which cmd/table_hash.c lists, and the active expiry of hash
 * fields that the expire cron drives.
 *
 * Each command takes the client whose argv holds it (arity already checked
 * by cmd/call.c) and replies as Valkey 9 does.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_HASH_H
#define KEEL_TYPES_HASH_H

#include "db/db.h"
#include "net/client.h"

/* types/hash_cmd.c */
void cmd_hset(Client *c); /* also HMSET */
void cmd_hsetnx(Client *c);
void cmd_hget(Client *c);
void cmd_hmget(Client *c);
void cmd_hdel(Client *c);
void cmd_hlen(Client *c);
void cmd_hstrlen(Client *c);
void cmd_hexists(Client *c);
void cmd_hkeys(Client *c);
void cmd_hvals(Client *c);
void cmd_hgetall(Client *c);

/* types/hash_incr.c */
void cmd_hincrby(Client *c);
void cmd_hincrbyfloat(Client *c);

/* types/hash_random_cmd.c */
void cmd_hrandfield(Client *c);
void cmd_hscan(Client *c);

/* types/hash_ttl_cmd.c */
void cmd_hexpire(Client *c);
void cmd_hpexpire(Client *c);
void cmd_hexpireat(Client *c);
void cmd_hpexpireat(Client *c);
void cmd_httl(Client *c);
void cmd_hpttl(Client *c);
void cmd_hexpiretime(Client *c);
void cmd_hpexpiretime(Client *c);
void cmd_hpersist(Client *c);

/* types/hash_getex.c */
void cmd_hgetex(Client *c);
void cmd_hsetex(Client *c);

/* types/hash_expire.c */

/* Deletes expired hash fields for about budget_us microseconds: walks the
 * hashes that have volatile fields (each database keeps a registry of their
 * keys), deletes the expired fields with "hexpired" notifications, and
 * deletes a key whose last field went ("del"). Resumes where it stopped on
 * the next call. Uses db_now_ms as the current time. Main thread (cron). */
void hash_active_expire_fields(long long budget_us);
/* Tells the registry that key in db may hold a hash with volatile fields
 * (after RENAME, MOVE, COPY, SWAPDB or a load put one there). Cheap and
 * idempotent; keys that turn out not to qualify are dropped later. */
void hash_track_key(Db *db, Obj *key);
/* Forgets every registered key of db (FLUSHDB; optional: stale names are
 * dropped by the next walk anyway). */
void hash_registry_clear(Db *db);
/* The registries follow their keys when SWAPDB swaps two databases. */
void hash_registry_swap(Db *a, Db *b);

#endif
