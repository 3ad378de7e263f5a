/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_keyspace.h: COMMAND DOCS data of the keyspace commands (SELECT,
 * SWAPDB, MOVE, DBSIZE, FLUSHDB, FLUSHALL, KEYS, SCAN, RANDOMKEY, EXISTS,
 * DEL, UNLINK, TYPE, RENAME, RENAMENX, COPY, TOUCH, OBJECT, MEMORY), defined
 * in cmd/docs_keyspace.c, used by cmd/table_keyspace.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_KEYSPACE_H
#define KEEL_CMD_DOCS_KEYSPACE_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_select_args[];
extern const CommandArg cmd_docs_swapdb_args[];
extern const CommandArg cmd_docs_move_args[];
extern const CommandArg cmd_docs_flush_args[]; /* FLUSHDB, FLUSHALL */
extern const CommandHistory cmd_docs_flush_history[];
extern const CommandArg cmd_docs_keys_args[];
extern const CommandArg cmd_docs_scan_args[];
extern const CommandHistory cmd_docs_scan_history[];
extern const CommandArg cmd_docs_key_multiple_args[]; /* EXISTS, DEL, UNLINK, TOUCH */
extern const CommandHistory cmd_docs_exists_history[];
extern const CommandArg cmd_docs_key_args[]; /* TYPE, OBJECT subcommands */
extern const CommandArg cmd_docs_rename_args[]; /* RENAME, RENAMENX */
extern const CommandHistory cmd_docs_renamenx_history[];
extern const CommandArg cmd_docs_copy_args[];
extern const CommandArg cmd_docs_memory_usage_args[];

extern const char *const cmd_tips_all_shards_agg_sum[];
extern const char *const cmd_tips_all_shards_all_succeeded[];
extern const char *const cmd_tips_multi_shard_agg_sum[];
extern const char *const cmd_tips_keys[];
extern const char *const cmd_tips_scan[];
extern const char *const cmd_tips_randomkey[];
extern const char *const cmd_tips_memory_report[]; /* DOCTOR, MALLOC-STATS, STATS */

/* Key specs. */
extern const KeySpec cmd_spec_move[];
extern const KeySpec cmd_spec_read_one[];       /* TYPE: RO, argv[1] */
extern const KeySpec cmd_spec_read_all[];       /* EXISTS, TOUCH: RO, argv[1..] */
extern const KeySpec cmd_spec_delete_all[];     /* DEL, UNLINK: RM DELETE, argv[1..] */
extern const KeySpec cmd_spec_rename[];
extern const KeySpec cmd_spec_renamenx[];
extern const KeySpec cmd_spec_copy[];
extern const KeySpec cmd_spec_read_second[];    /* OBJECT *, MEMORY USAGE: RO, argv[2] */

#endif
