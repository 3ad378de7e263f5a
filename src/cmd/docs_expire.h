/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_expire.h: COMMAND DOCS data for the expire commands (EXPIRE and
 * friends, TTL and friends, PERSIST), defined in cmd/docs_expire.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_EXPIRE_H
#define KEEL_CMD_DOCS_EXPIRE_H

#include "cmd/command.h"

/* A lone key (TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST). */
extern const CommandArg cmd_docs_expire_key_args[];
extern const CommandArg cmd_docs_expire_args[];
extern const CommandArg cmd_docs_pexpire_args[];
extern const CommandArg cmd_docs_expireat_args[];
extern const CommandArg cmd_docs_pexpireat_args[];
/* The 7.0.0 note shared by the four EXPIRE commands. */
extern const CommandHistory cmd_docs_expire_history[];
/* The 2.8.0 note shared by TTL and PTTL. */
extern const CommandHistory cmd_docs_ttl_history[];

#endif
