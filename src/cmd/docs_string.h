/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_string.h: COMMAND DOCS data for the string commands (SET, GET,
 * INCR, LCS ...), defined in cmd/docs_string.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_STRING_H
#define KEEL_CMD_DOCS_STRING_H

#include "cmd/command.h"

/* A lone key (GET, GETDEL, STRLEN, INCR, DECR). */
extern const CommandArg cmd_docs_string_key_args[];
/* key value (SETNX, GETSET, APPEND). */
extern const CommandArg cmd_docs_string_key_value_args[];
/* key start end (GETRANGE, SUBSTR). */
extern const CommandArg cmd_docs_string_range_args[];
/* Pairs of key and value (MSET, MSETNX). */
extern const CommandArg cmd_docs_string_pairs_args[];

extern const CommandArg cmd_docs_set_args[];
extern const CommandHistory cmd_docs_set_history[];
extern const CommandArg cmd_docs_getex_args[];
/* EX | PX | EXAT | PXAT | PERSIST: GETEX's, shared by HGETEX. */
extern const CommandArg cmd_docs_getex_expiration_args[];
extern const CommandArg cmd_docs_mget_args[];
extern const CommandArg cmd_docs_setex_args[];
extern const CommandArg cmd_docs_psetex_args[];
extern const CommandArg cmd_docs_setrange_args[];
extern const CommandArg cmd_docs_incrby_args[];
extern const CommandArg cmd_docs_decrby_args[];
extern const CommandArg cmd_docs_incrbyfloat_args[];
extern const CommandArg cmd_docs_lcs_args[];

extern const char *const cmd_docs_mget_tips[];
extern const char *const cmd_docs_mset_tips[];

#endif
