/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_set.h: COMMAND DOCS data for the set commands (SADD, SINTER,
 * SSCAN ...), defined in cmd/docs_set.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_SET_H
#define KEEL_CMD_DOCS_SET_H

#include "cmd/command.h"

/* A lone key (SCARD, SMEMBERS). */
extern const CommandArg cmd_docs_set_key_args[];
/* key member (SISMEMBER). */
extern const CommandArg cmd_docs_set_key_member_args[];
/* key member [member ...] (SADD, SREM, SMISMEMBER). */
extern const CommandArg cmd_docs_set_key_members_args[];
/* key [key ...] (SINTER, SUNION, SDIFF). */
extern const CommandArg cmd_docs_set_keys_args[];
/* destination key [key ...] (SINTERSTORE, SUNIONSTORE, SDIFFSTORE). */
extern const CommandArg cmd_docs_set_store_args[];

extern const CommandArg cmd_docs_spop_args[];
extern const CommandArg cmd_docs_srandmember_args[];
extern const CommandArg cmd_docs_smove_args[];
extern const CommandArg cmd_docs_sintercard_args[];
extern const CommandArg cmd_docs_sscan_args[];

/* "Accepts multiple `member` arguments." (SADD, SREM) */
extern const CommandHistory cmd_docs_set_multiple_members_history[];
extern const CommandHistory cmd_docs_spop_history[];
extern const CommandHistory cmd_docs_srandmember_history[];

#endif
