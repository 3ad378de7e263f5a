/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_persist.h: COMMAND DOCS data for the persistence commands (SAVE,
 * BGSAVE, LASTSAVE, DUMP, RESTORE), defined in cmd/docs_persist.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_PERSIST_H
#define KEEL_CMD_DOCS_PERSIST_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_bgsave_args[];
extern const CommandHistory cmd_docs_bgsave_history[];
extern const CommandArg cmd_docs_dump_args[];
extern const CommandArg cmd_docs_restore_args[];
extern const CommandHistory cmd_docs_restore_history[];

#endif
