/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_bitmap.h: COMMAND DOCS data for the "bitmap" group, defined in
 * cmd/docs_bitmap.c and used by the records in cmd/table_bitmap.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_BITMAP_H
#define KEEL_CMD_DOCS_BITMAP_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_setbit_args[];
extern const CommandArg cmd_docs_getbit_args[];
extern const CommandArg cmd_docs_bitcount_args[];
extern const CommandHistory cmd_docs_bitcount_history[];
extern const CommandArg cmd_docs_bitpos_args[];
extern const CommandHistory cmd_docs_bitpos_history[];
extern const CommandArg cmd_docs_bitop_args[];
extern const CommandArg cmd_docs_bitfield_args[];
extern const CommandArg cmd_docs_bitfield_ro_args[];

#endif
