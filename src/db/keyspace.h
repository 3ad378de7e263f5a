/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/keyspace.h: the keyspace commands (SELECT, SWAPDB, MOVE, COPY, DBSIZE,
 * FLUSHDB, FLUSHALL, KEYS, SCAN, RANDOMKEY, EXISTS, DEL, UNLINK, TYPE,
 * RENAME, RENAMENX, TOUCH) and OBJECT / MEMORY, plus what their files share.
 *
 * The commands change keys only through db/db.h, so the keys and expires
 * tables never disagree; they read keys through db_lookup_read (which counts
 * hits and misses) unless Valkey's command does not count them.
 *
 * Threads: main only.
 */
#ifndef KEEL_DB_KEYSPACE_H
#define KEEL_DB_KEYSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/object.h"
#include "net/client.h"

/* Valkey's error texts for these commands. */
#define KS_ERR_NOT_INTEGER "value is not an integer or out of range"
#define KS_ERR_DB_RANGE "DB index is out of range"
#define KS_ERR_SAME_OBJECT "source and destination objects are the same"
#define KS_ERR_NO_SUCH_KEY "no such key"

/* ---- shared by the keyspace command files (db/keyspace_args.c) ---- */

/* True if arg equals word, ignoring ASCII case. */
bool ks_arg_is(const Obj *arg, const char *word);
/* Parses arg as an int with Valkey's strict integer rules. Returns 0, or -1
 * after replying err; when err is NULL, KS_ERR_NOT_INTEGER for a non-number
 * and "value is out of range, value must between <INT_MIN> and <INT_MAX>"
 * for a number outside int, as Valkey words them. */
int ks_arg_int(Client *c, const Obj *arg, int *value, const char *err);
/* Parses arg as a database number: 0, or -1 after replying the integer error
 * or "-ERR DB index is out of range". */
int ks_arg_db_index(Client *c, const Obj *arg, int *id);

/* ---- commands ---- */

/* db/keyspace_db_cmd.c: whole databases, and moving keys between them */
void cmd_select(Client *c);
void cmd_swapdb(Client *c);
void cmd_dbsize(Client *c);
void cmd_flushdb(Client *c);
void cmd_flushall(Client *c);
void cmd_move(Client *c);
void cmd_copy(Client *c);

/* db/keyspace_cmd.c: single keys */
void cmd_exists(Client *c);
void cmd_del(Client *c);
void cmd_unlink(Client *c);
void cmd_type(Client *c);
void cmd_rename(Client *c);
void cmd_renamenx(Client *c);
void cmd_touch(Client *c);
void cmd_randomkey(Client *c);

/* db/keyspace_scan.c: listing keys */
void cmd_keys(Client *c);
void cmd_scan(Client *c);

/* db/object_cmd.c */
void cmd_object_encoding(Client *c);
void cmd_object_refcount(Client *c);
void cmd_object_idletime(Client *c);
void cmd_object_freq(Client *c);
void cmd_object_help(Client *c);

/* db/memory_cmd.c */
void cmd_memory_usage(Client *c);
void cmd_memory_stats(Client *c);
void cmd_memory_doctor(Client *c);
void cmd_memory_malloc_stats(Client *c);
void cmd_memory_purge(Client *c);
void cmd_memory_help(Client *c);

#endif
