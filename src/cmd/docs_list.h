/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_list.h: COMMAND DOCS data for the list commands (LPUSH, LPOP,
 * BLMOVE ...), defined in cmd/docs_list.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_LIST_H
#define KEEL_CMD_DOCS_LIST_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_lpush_args[];
extern const CommandArg cmd_docs_rpush_args[];
extern const CommandArg cmd_docs_lpushx_args[];
extern const CommandArg cmd_docs_rpushx_args[];
extern const CommandArg cmd_docs_lpop_args[];
extern const CommandArg cmd_docs_rpop_args[];
extern const CommandArg cmd_docs_llen_args[];
extern const CommandArg cmd_docs_lrange_args[];
extern const CommandArg cmd_docs_lindex_args[];
extern const CommandArg cmd_docs_lset_args[];
extern const CommandArg cmd_docs_linsert_args[];
extern const CommandArg cmd_docs_lrem_args[];
extern const CommandArg cmd_docs_ltrim_args[];
extern const CommandArg cmd_docs_lpos_args[];
extern const CommandArg cmd_docs_lmove_args[];
extern const CommandArg cmd_docs_rpoplpush_args[];
extern const CommandArg cmd_docs_lmpop_args[];
extern const CommandArg cmd_docs_blpop_args[];
extern const CommandArg cmd_docs_brpop_args[];
extern const CommandArg cmd_docs_blmove_args[];
extern const CommandArg cmd_docs_brpoplpush_args[];
extern const CommandArg cmd_docs_blmpop_args[];
extern const CommandHistory cmd_docs_lpush_history[];
extern const CommandHistory cmd_docs_rpush_history[];
extern const CommandHistory cmd_docs_lpushx_history[];
extern const CommandHistory cmd_docs_rpushx_history[];
extern const CommandHistory cmd_docs_lpop_history[];
extern const CommandHistory cmd_docs_rpop_history[];
extern const CommandHistory cmd_docs_blpop_history[];
extern const CommandHistory cmd_docs_brpop_history[];
extern const CommandHistory cmd_docs_brpoplpush_history[];

#endif
