/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_hash.h: COMMAND DOCS data for the hash commands (HSET, HGET, ...,
 * the field expiry commands), defined in cmd/docs_hash.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_HASH_H
#define KEEL_CMD_DOCS_HASH_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_hash_key_args[];        /* key (HLEN, HKEYS...) */
extern const CommandArg cmd_docs_hash_key_field_args[];  /* key field (HGET...) */
extern const CommandArg cmd_docs_hash_key_fields_args[]; /* key field... (HMGET, HDEL) */
extern const CommandArg cmd_docs_hash_pairs_args[];      /* key field value... (HSET) */
extern const CommandArg cmd_docs_hsetnx_args[];
extern const CommandArg cmd_docs_hincrby_args[];
extern const CommandArg cmd_docs_hincrbyfloat_args[];
extern const CommandArg cmd_docs_hrandfield_args[];
extern const CommandArg cmd_docs_hscan_args[];
extern const CommandArg cmd_docs_hexpire_args[];   /* seconds */
extern const CommandArg cmd_docs_hpexpire_args[];  /* milliseconds */
extern const CommandArg cmd_docs_hexpireat_args[]; /* unix-time-seconds */
extern const CommandArg cmd_docs_hpexpireat_args[];
extern const CommandArg cmd_docs_hash_fields_block_args[]; /* key FIELDS numfields field... */
extern const CommandArg cmd_docs_hgetex_args[];
extern const CommandArg cmd_docs_hsetex_args[];

extern const CommandHistory cmd_docs_hset_history[];
extern const CommandHistory cmd_docs_hdel_history[];
extern const CommandHistory cmd_docs_hscan_history[];


#endif
