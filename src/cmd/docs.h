/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs.h: argument lists, history notes and tips that the command
 * records in cmd/table.c point at, for COMMAND DOCS and COMMAND INFO.
 *
 * The data follows Valkey 8.0's command docs (names, tokens, flags, since
 * versions, display texts), one file per command group: cmd/docs_<group>.c.
 * A new command adds its arrays there and declares them here.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_H
#define KEEL_CMD_DOCS_H

#include "cmd/command.h"

/* Tips shared by several commands (cmd/docs_server.c). */
extern const char *const cmd_tips_nondeterministic_output[];
extern const char *const cmd_tips_nondeterministic_output_order[];
extern const char *const cmd_tips_all_nodes_all_succeeded[];

/* cmd/docs_connection.c */
extern const CommandArg cmd_docs_ping_args[];
extern const char *const cmd_docs_ping_tips[];
extern const CommandArg cmd_docs_echo_args[];
extern const CommandArg cmd_docs_auth_args[];
extern const CommandHistory cmd_docs_auth_history[];
extern const CommandArg cmd_docs_hello_args[];
extern const CommandHistory cmd_docs_hello_history[];
extern const CommandArg cmd_docs_client_kill_args[];
extern const CommandArg cmd_docs_client_unblock_args[];
extern const CommandHistory cmd_docs_client_kill_history[];
extern const CommandArg cmd_docs_client_list_args[];
extern const CommandHistory cmd_docs_client_list_history[];
extern const CommandArg cmd_docs_client_setname_args[];
extern const CommandArg cmd_docs_client_setinfo_args[];
extern const CommandArg cmd_docs_client_reply_args[];
extern const CommandArg cmd_docs_client_pause_args[];
extern const CommandHistory cmd_docs_client_pause_history[];
extern const CommandArg cmd_docs_client_on_off_args[]; /* NO-EVICT, NO-TOUCH */
extern const CommandArg cmd_docs_client_tracking_args[];
extern const CommandArg cmd_docs_client_caching_args[];

/* cmd/docs_server.c */
extern const CommandArg cmd_docs_info_args[];
extern const CommandHistory cmd_docs_info_history[];
extern const char *const cmd_docs_info_tips[];
extern const CommandArg cmd_docs_shutdown_args[];
extern const CommandHistory cmd_docs_shutdown_history[];
extern const CommandArg cmd_docs_config_get_args[];
extern const CommandHistory cmd_docs_config_get_history[];
extern const CommandArg cmd_docs_config_set_args[];
extern const CommandHistory cmd_docs_config_set_history[];
extern const CommandArg cmd_docs_module_load_args[];
extern const CommandArg cmd_docs_module_loadex_args[];
extern const CommandArg cmd_docs_module_unload_args[];
extern const CommandArg cmd_docs_command_names_args[]; /* INFO, DOCS */
extern const CommandHistory cmd_docs_command_info_history[];
extern const CommandArg cmd_docs_command_list_args[];
extern const CommandArg cmd_docs_command_getkeys_args[]; /* GETKEYS, GETKEYSANDFLAGS */

#endif
