/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/procs.h: every command implementation the table (cmd/table.c) refers
 * to, grouped by the file that implements it.
 */
#ifndef KEEL_CMD_PROCS_H
#define KEEL_CMD_PROCS_H

#include "net/client.h"

/* cmd/cmd_connection.c */
void cmd_ping(Client *c);
void cmd_echo(Client *c);
void cmd_quit(Client *c);
void cmd_time(Client *c);

/* server/auth.c */
void cmd_auth(Client *c);
void cmd_hello(Client *c);

/* server/info.c */
void cmd_info(Client *c);

/* server/shutdown.c */
void cmd_shutdown(Client *c);

/* server/debug.c */
void cmd_debug(Client *c);

/* server/config_cmd.c */
void cmd_config_get(Client *c);
void cmd_config_set(Client *c);
void cmd_config_resetstat(Client *c);
void cmd_config_rewrite(Client *c);
void cmd_config_help(Client *c);

/* server/module_cmd.c */
void cmd_module_list(Client *c);
void cmd_module_load(Client *c);
void cmd_module_loadex(Client *c);
void cmd_module_unload(Client *c);
void cmd_module_help(Client *c);

/* cmd/command_cmd.c */
void cmd_command(Client *c);
void cmd_command_count(Client *c);
void cmd_command_info(Client *c);
void cmd_command_docs(Client *c);
void cmd_command_list(Client *c);
void cmd_command_getkeys(Client *c);
void cmd_command_getkeysandflags(Client *c);
void cmd_command_help(Client *c);

/* net/client_cmd.c */
void cmd_client_id(Client *c);
void cmd_client_info(Client *c);
void cmd_client_list(Client *c);
void cmd_client_unblock(Client *c);
void cmd_client_kill(Client *c);
void cmd_client_setname(Client *c);
void cmd_client_getname(Client *c);
void cmd_client_setinfo(Client *c);
void cmd_client_reply(Client *c);
void cmd_client_pause(Client *c);
void cmd_client_unpause(Client *c);
void cmd_client_no_evict(Client *c);
void cmd_client_no_touch(Client *c);
void cmd_client_help(Client *c);

#endif
