/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_sort.h: COMMAND DOCS data for SORT and SORT_RO, defined in
 * cmd/docs_sort.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_SORT_H
#define KEEL_CMD_DOCS_SORT_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_sort_args[];
extern const CommandArg cmd_docs_sort_ro_args[];

#endif
