/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_script.h: COMMAND DOCS data for the scripting commands (EVAL*,
 * FCALL*, SCRIPT and FUNCTION subcommands), defined in cmd/docs_script.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_SCRIPT_H
#define KEEL_CMD_DOCS_SCRIPT_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_eval_args[];
extern const CommandArg cmd_docs_evalsha_args[];
extern const CommandArg cmd_docs_fcall_args[];
extern const CommandArg cmd_docs_script_flush_args[];
extern const CommandArg cmd_docs_script_exists_args[];
extern const CommandArg cmd_docs_script_load_args[];
extern const CommandHistory cmd_docs_script_flush_history[];
extern const CommandArg cmd_docs_function_load_args[];
extern const CommandArg cmd_docs_function_flush_args[];
extern const CommandArg cmd_docs_function_list_args[];
extern const CommandArg cmd_docs_function_delete_args[];
extern const CommandArg cmd_docs_function_restore_args[];

#endif
