/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/groups.h: the command groups that cmd/table.c joins into one table.
 *
 * Each group is an array of top-level Command records ending with a record
 * whose name is NULL, defined in cmd/table_<group>.c next to nothing else,
 * so the commands of a data type are declared in one place. Connection and
 * server commands stay in cmd/table.c.
 *
 * Threads: main only (the records carry statistics).
 */
#ifndef KEEL_CMD_GROUPS_H
#define KEEL_CMD_GROUPS_H

#include "cmd/command.h"

extern Command keyspace_commands[]; /* cmd/table_keyspace.c */
extern Command string_commands[];   /* cmd/table_string.c */
extern Command bitmap_commands[];   /* cmd/table_bitmap.c */
extern Command expire_commands[];   /* cmd/table_expire.c */
extern Command list_commands[];     /* cmd/table_list.c */
extern Command hash_commands[];     /* cmd/table_hash.c */
extern Command set_commands[];      /* cmd/table_set.c */
extern Command zset_commands[];     /* cmd/table_zset.c */
extern Command sort_commands[];     /* cmd/table_sort.c */
extern Command pubsub_commands[];   /* cmd/table_pubsub.c */
extern Command multi_commands[];    /* cmd/table_multi.c */
extern Command script_commands[];   /* cmd/table_script.c */
extern Command persist_commands[];  /* cmd/table_persist.c */

#endif
