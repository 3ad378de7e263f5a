/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table.c: the command table and its lookup index.
 *
 * The records are declarative: name, proc, arity, flags, ACL categories and
 * key positions, with the docs that COMMAND DOCS serves (argument lists,
 * history and tips live in cmd/docs_<group>.c). Lookup is an open-addressing
 * hash over lower-cased names, built once at startup, so the hot path does
 * one hash and one compare. Startup also derives each command's key specs
 * and legacy key range (cmd/keys.c).
 *
 * Threads: main only (the stats fields are written by cmd/call.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/groups.h"
#include "cmd/keys.h"
#include "cmd/procs.h"
#include "server/mem.h"
#include "server/monitor.h"
#include "server/tracking_cmd.h"

#define CONN_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)

static Command client_subcommands[] = {
    {.name = "id", .proc = cmd_client_id, .arity = 2, .flags = CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "5.0.0", .group = "connection",
     .summary = "Returns the unique client ID of the connection.", .complexity = "O(1)"},
    {.name = "info", .proc = cmd_client_info, .arity = 2, .flags = CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "6.2.0", .group = "connection",
     .summary = "Returns information about the connection.", .complexity = "O(1)",
     .tips = cmd_tips_nondeterministic_output},
    {.name = "list", .proc = cmd_client_list, .arity = -2,
     .flags = CMD_ADMIN | CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .since = "2.4.0",
     .group = "connection", .summary = "Lists open connections.",
     .complexity = "O(N) where N is the number of client connections",
     .args = cmd_docs_client_list_args, .history = cmd_docs_client_list_history,
     .tips = cmd_tips_nondeterministic_output},
    {.name = "kill", .proc = cmd_client_kill, .arity = -3,
     .flags = CMD_ADMIN | CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .since = "2.4.0",
     .group = "connection", .summary = "Terminates open connections.",
     .complexity = "O(N) where N is the number of client connections",
     .args = cmd_docs_client_kill_args, .history = cmd_docs_client_kill_history},
    {.name = "setname", .proc = cmd_client_setname, .arity = 3, .flags = CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "2.6.9", .group = "connection",
     .summary = "Sets the connection name.", .complexity = "O(1)",
     .args = cmd_docs_client_setname_args, .tips = cmd_tips_all_nodes_all_succeeded},
    {.name = "getname", .proc = cmd_client_getname, .arity = 2, .flags = CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "2.6.9", .group = "connection",
     .summary = "Returns the name of the connection.", .complexity = "O(1)"},
    {.name = "setinfo", .proc = cmd_client_setinfo, .arity = 4, .flags = CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "7.2.0", .group = "connection",
     .summary = "Sets information specific to the client or connection.", .complexity = "O(1)",
     .args = cmd_docs_client_setinfo_args, .tips = cmd_tips_all_nodes_all_succeeded},
    {.name = "reply", .proc = cmd_client_reply, .arity = 3, .flags = CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "3.2.0", .group = "connection",
     .summary = "Instructs the server whether to reply to commands.", .complexity = "O(1)",
     .args = cmd_docs_client_reply_args},
    {.name = "pause", .proc = cmd_client_pause, .arity = -3,
     .flags = CMD_ADMIN | CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .since = "3.0.0",
     .group = "connection", .summary = "Suspends commands processing.", .complexity = "O(1)",
     .args = cmd_docs_client_pause_args, .history = cmd_docs_client_pause_history},
    {.name = "unblock", .proc = cmd_client_unblock, .arity = -3,
     .flags = CMD_ADMIN | CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .since = "5.0.0",
     .group = "connection",
     .summary = "Unblocks a client blocked by a blocking command from a different connection.",
     .complexity = "O(log N) where N is the number of client connections",
     .args = cmd_docs_client_unblock_args},
    {.name = "unpause", .proc = cmd_client_unpause, .arity = 2,
     .flags = CMD_ADMIN | CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .since = "6.2.0",
     .group = "connection", .summary = "Resumes processing commands from paused clients.",
     .complexity = "O(N) Where N is the number of paused clients"},
    {.name = "no-evict", .proc = cmd_client_no_evict, .arity = 3,
     .flags = CMD_ADMIN | CONN_FLAGS | CMD_SENTINEL,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .since = "7.0.0",
     .group = "connection", .summary = "Sets the client eviction mode of the connection.",
     .complexity = "O(1)",
     .args = cmd_docs_client_on_off_args},
    {.name = "no-touch", .proc = cmd_client_no_touch, .arity = 3,
     .flags = CONN_FLAGS, .acl = ACL_SLOW | ACL_CONNECTION, .since = "7.2.0",
     .group = "connection",
     .summary = "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
     .complexity = "O(1)",
     .args = cmd_docs_client_on_off_args},
    {.name = "tracking", .proc = cmd_client_tracking, .arity = -3, .flags = CONN_FLAGS,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "6.0.0", .group = "connection",
     .summary = "Controls server-assisted client-side caching for the connection.",
     .complexity = "O(1). Some options may introduce additional complexity.",
     .args = cmd_docs_client_tracking_args},
    {.name = "caching", .proc = cmd_client_caching, .arity = 3, .flags = CONN_FLAGS,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "6.0.0", .group = "connection",
     .summary = "Instructs the server whether to track the keys in the next request.",
     .complexity = "O(1)", .args = cmd_docs_client_caching_args},
    {.name = "getredir", .proc = cmd_client_getredir, .arity = 2, .flags = CONN_FLAGS,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "6.0.0", .group = "connection",
     .summary = "Returns the client ID to which the connection's tracking notifications are "
                "redirected.",
     .complexity = "O(1)"},
    {.name = "trackinginfo", .proc = cmd_client_trackinginfo, .arity = 2, .flags = CONN_FLAGS,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "6.2.0", .group = "connection",
     .summary = "Returns information about server-assisted client-side caching for the "
                "connection.",
     .complexity = "O(1)"},
    {.name = "help", .proc = cmd_client_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .since = "5.0.0", .group = "connection",
     .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)"},
    {0},
};

static Command config_subcommands[] = {
    {.name = "get", .proc = cmd_config_get, .arity = -3,
     .flags = CMD_ADMIN | CONN_FLAGS, .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .since = "2.0.0", .group = "server",
     .summary = "Returns the effective values of configuration parameters.",
     .complexity = "O(N) when N is the number of configuration parameters provided",
     .args = cmd_docs_config_get_args, .history = cmd_docs_config_get_history},
    {.name = "set", .proc = cmd_config_set, .arity = -4,
     .flags = CMD_ADMIN | CONN_FLAGS, .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .since = "2.0.0", .group = "server",
     .summary = "Sets configuration parameters in-flight.",
     .complexity = "O(N) when N is the number of configuration parameters provided",
     .args = cmd_docs_config_set_args, .history = cmd_docs_config_set_history,
     .tips = cmd_tips_all_nodes_all_succeeded},
    {.name = "resetstat", .proc = cmd_config_resetstat, .arity = 2,
     .flags = CMD_ADMIN | CONN_FLAGS, .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .since = "2.0.0", .group = "server", .summary = "Resets the server's statistics.",
     .complexity = "O(1)",
     .tips = cmd_tips_all_nodes_all_succeeded},
    {.name = "rewrite", .proc = cmd_config_rewrite, .arity = 2,
     .flags = CMD_ADMIN | CONN_FLAGS, .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .since = "2.8.0", .group = "server",
     .summary = "Persists the effective configuration to file.", .complexity = "O(1)",
     .tips = cmd_tips_all_nodes_all_succeeded},
    {.name = "help", .proc = cmd_config_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .since = "5.0.0", .group = "server",
     .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)"},
    {0},
};

static Command module_subcommands[] = {
    {.name = "list", .proc = cmd_module_list, .arity = 2, .flags = CMD_ADMIN | CMD_NOSCRIPT,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .since = "4.0.0", .group = "server",
     .summary = "Returns all loaded modules.",
     .complexity = "O(N) where N is the number of loaded modules.",
     .tips = cmd_tips_nondeterministic_output_order},
    {.name = "load", .proc = cmd_module_load, .arity = -3,
     .flags = CMD_NO_ASYNC_LOADING | CMD_ADMIN | CMD_NOSCRIPT | CMD_PROTECTED,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .since = "4.0.0", .group = "server", .summary = "Loads a module.", .complexity = "O(1)",
     .args = cmd_docs_module_load_args},
    {.name = "loadex", .proc = cmd_module_loadex, .arity = -3,
     .flags = CMD_NO_ASYNC_LOADING | CMD_ADMIN | CMD_NOSCRIPT | CMD_PROTECTED,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .since = "7.0.0", .group = "server",
     .summary = "Loads a module using extended parameters.", .complexity = "O(1)",
     .args = cmd_docs_module_loadex_args},
    {.name = "unload", .proc = cmd_module_unload, .arity = 3,
     .flags = CMD_NO_ASYNC_LOADING | CMD_ADMIN | CMD_NOSCRIPT | CMD_PROTECTED,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .since = "4.0.0", .group = "server", .summary = "Unloads a module.", .complexity = "O(1)",
     .args = cmd_docs_module_unload_args},
    {.name = "help", .proc = cmd_module_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .since = "5.0.0", .group = "server",
     .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)"},
    {0},
};

static Command command_subcommands[] = {
    {.name = "count", .proc = cmd_command_count, .arity = 2,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "2.8.13", .group = "server", .summary = "Returns a count of commands.",
     .complexity = "O(1)"},
    {.name = "info", .proc = cmd_command_info, .arity = -2,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "2.8.13", .group = "server",
     .summary = "Returns information about one, multiple or all commands.",
     .complexity = "O(N) where N is the number of commands to look up",
     .args = cmd_docs_command_names_args, .history = cmd_docs_command_info_history,
     .tips = cmd_tips_nondeterministic_output_order},
    {.name = "docs", .proc = cmd_command_docs, .arity = -2,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "7.0.0", .group = "server",
     .summary = "Returns documentary information about one, multiple or all commands.",
     .complexity = "O(N) where N is the number of commands to look up",
     .args = cmd_docs_command_names_args, .tips = cmd_tips_nondeterministic_output_order},
    {.name = "list", .proc = cmd_command_list, .arity = -2,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "7.0.0", .group = "server", .summary = "Returns a list of command names.",
     .complexity = "O(N) where N is the total number of commands",
     .args = cmd_docs_command_list_args, .tips = cmd_tips_nondeterministic_output_order},
    {.name = "getkeys", .proc = cmd_command_getkeys, .arity = -3,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "2.8.13", .group = "server",
     .summary = "Extracts the key names from an arbitrary command.",
     .complexity = "O(N) where N is the number of arguments to the command",
     .args = cmd_docs_command_getkeys_args},
    {.name = "getkeysandflags", .proc = cmd_command_getkeysandflags, .arity = -3,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "7.0.0", .group = "server",
     .summary = "Extracts the key names and access flags for an arbitrary command.",
     .complexity = "O(N) where N is the number of arguments to the command",
     .args = cmd_docs_command_getkeys_args},
    {.name = "help", .proc = cmd_command_help, .arity = 2,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "5.0.0", .group = "server",
     .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)"},
    {0},
};

static Command core_commands[] = {
    {.name = "ping", .proc = cmd_ping, .arity = -1, .flags = CMD_FAST | CMD_SENTINEL,
     .acl = ACL_FAST | ACL_CONNECTION, .since = "1.0.0", .group = "connection",
     .summary = "Returns the server's liveliness response.", .complexity = "O(1)",
     .args = cmd_docs_ping_args, .tips = cmd_docs_ping_tips},
    {.name = "echo", .proc = cmd_echo, .arity = 2, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_FAST | ACL_CONNECTION, .since = "1.0.0", .group = "connection",
     .summary = "Returns the given string.", .complexity = "O(1)",
     .args = cmd_docs_echo_args},
    {.name = "monitor", .proc = cmd_monitor, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "Listens for all requests received by the server in real-time.",
     .complexity = NULL},
    {.name = "quit", .proc = cmd_quit, .arity = -1,
     .flags = CMD_ALLOW_BUSY | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH |
              CMD_RUNS_IN_MULTI,
     .acl = ACL_FAST | ACL_CONNECTION, .since = "1.0.0", .group = "connection",
     .summary = "Closes the connection.", .complexity = "O(1)"},
    {.name = "time", .proc = cmd_time, .arity = 1, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_FAST, .since = "2.6.0", .group = "server",
     .summary = "Returns the server time.", .complexity = "O(1)",
     .tips = cmd_tips_nondeterministic_output},
    {.name = "auth", .proc = cmd_auth, .arity = -2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH | CMD_SENTINEL |
              CMD_ALLOW_BUSY,
     .acl = ACL_FAST | ACL_CONNECTION, .since = "1.0.0", .group = "connection",
     .summary = "Authenticates the connection.",
     .complexity = "O(N) where N is the number of passwords defined for the user",
     .args = cmd_docs_auth_args, .history = cmd_docs_auth_history},
    {.name = "hello", .proc = cmd_hello, .arity = -1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH | CMD_SENTINEL |
              CMD_ALLOW_BUSY,
     .acl = ACL_FAST | ACL_CONNECTION, .since = "6.0.0", .group = "connection",
     .summary = "Handshakes with the server.", .complexity = "O(1)",
     .args = cmd_docs_hello_args, .history = cmd_docs_hello_history},
    {.name = "info", .proc = cmd_info, .arity = -1, .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "Returns information and statistics about the server.", .complexity = "O(1)",
     .args = cmd_docs_info_args, .history = cmd_docs_info_history,
     .tips = cmd_docs_info_tips},
    {.name = "shutdown", .proc = cmd_shutdown, .arity = -1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_NO_MULTI | CMD_SENTINEL |
              CMD_ALLOW_BUSY,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "Synchronously saves the database(s) to disk and shuts down the server.",
     .complexity = "O(N) when saving, where N is the total number of keys in all databases when "
                   "saving data, otherwise O(1)",
     .args = cmd_docs_shutdown_args, .history = cmd_docs_shutdown_history},
    {.name = "debug", .proc = cmd_debug, .arity = -2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_PROTECTED,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "A container for debugging commands.", .complexity = "Depends on subcommand.",
     .doc_flags = CMD_DOC_SYSCMD},
    {.name = "client", .arity = -2, .flags = CMD_SENTINEL, .acl = ACL_SLOW, .since = "2.4.0",
     .group = "connection", .summary = "A container for client connection commands.",
     .complexity = "Depends on subcommand.", .subcommands = client_subcommands},
    {.name = "config", .arity = -2, .acl = ACL_SLOW, .since = "2.0.0", .group = "server",
     .summary = "A container for server configuration commands.",
     .complexity = "Depends on subcommand.", .subcommands = config_subcommands},
    {.name = "module", .arity = -2, .acl = ACL_SLOW, .since = "4.0.0", .group = "server",
     .summary = "A container for module commands.", .complexity = "Depends on subcommand.",
     .subcommands = module_subcommands},
    {.name = "command", .proc = cmd_command, .arity = -1,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .since = "2.8.13", .group = "server", .summary = "Returns detailed information about all commands.",
     .complexity = "O(N) where N is the total number of commands",
     .subcommands = command_subcommands,
     .tips = cmd_tips_nondeterministic_output_order},
    {0},
};

/* Every group of top-level commands, each array ending with a record whose
 * name is NULL. A group of commands lives next to its docs in
 * cmd/table_<group>.c and is declared in cmd/groups.h. */
static Command *const command_groups[] = {
    core_commands,
    keyspace_commands,
    string_commands,
    bitmap_commands,
    expire_commands,
    list_commands,
    hash_commands,
    set_commands,
    zset_commands,
    sort_commands,
    pubsub_commands,
    multi_commands,
    script_commands,
    persist_commands,
    NULL,
};

#define FOR_EACH_COMMAND(cmd)                                                   \
    for (Command *const *group_ = command_groups; *group_; group_++)           \
        for (Command *cmd = *group_; cmd->name; cmd++)

/* ---- lookup index ---- */

#define INDEX_SIZE 1024 /* power of two, well above twice the command count */

static Command *index_slots[INDEX_SIZE];
static int top_level_count;

static uint32_t name_hash(const char *name, size_t len) {
    uint32_t h = 2166136261u; /* FNV-1a over lower-cased bytes */
    for (size_t i = 0; i < len; i++) {
        h ^= (uint32_t)(unsigned char)tolower((unsigned char)name[i]);
        h *= 16777619u;
    }
    return h;
}

static void index_add(Command *cmd) {
    uint32_t slot = name_hash(cmd->name, strlen(cmd->name)) & (INDEX_SIZE - 1);
    while (index_slots[slot]) slot = (slot + 1) & (INDEX_SIZE - 1);
    index_slots[slot] = cmd;
}

static void init_full_name(Command *cmd, Command *parent) {
    cmd->parent = parent;
    if (parent) {
        size_t len = strlen(parent->name) + strlen(cmd->name) + 2;
        cmd->full_name = mem_alloc(len);
        snprintf(cmd->full_name, len, "%s|%s", parent->name, cmd->name);
    } else {
        cmd->full_name = mem_strdup(cmd->name);
    }
}

void cmd_table_init(void) {
    FOR_EACH_COMMAND(cmd) {
        init_full_name(cmd, NULL);
        cmd_keys_prepare(cmd);
        index_add(cmd);
        top_level_count++;
        for (Command *sub = cmd->subcommands; sub && sub->name; sub++) {
            init_full_name(sub, cmd);
            cmd_keys_prepare(sub);
        }
    }
}

const Command *cmd_lookup_name(const char *name, size_t len) {
    uint32_t slot = name_hash(name, len) & (INDEX_SIZE - 1);
    while (index_slots[slot]) {
        Command *cmd = index_slots[slot];
        if (strlen(cmd->name) == len && strncasecmp(cmd->name, name, len) == 0) return cmd;
        slot = (slot + 1) & (INDEX_SIZE - 1);
    }
    return NULL;
}

static const Command *find_subcommand(const Command *parent, const char *name, size_t len) {
    for (const Command *sub = parent->subcommands; sub && sub->name; sub++)
        if (strlen(sub->name) == len && strncasecmp(sub->name, name, len) == 0) return sub;
    return NULL;
}

const Command *cmd_lookup(Obj **argv, int argc) {
    const Command *cmd = cmd_lookup_name(argv[0]->ptr, obj_string_len(argv[0]));
    if (cmd == NULL || cmd->subcommands == NULL) return cmd;
    if (argc < 2) return cmd->proc ? cmd : NULL;
    /* An unknown subcommand is NULL even for COMMAND, which also runs bare. */
    return find_subcommand(cmd, argv[1]->ptr, obj_string_len(argv[1]));
}

const Command *cmd_lookup_full_name(const char *full_name) {
    const char *bar = strchr(full_name, '|');
    if (bar == NULL) return cmd_lookup_name(full_name, strlen(full_name));
    const Command *parent = cmd_lookup_name(full_name, (size_t)(bar - full_name));
    if (parent == NULL) return NULL;
    return find_subcommand(parent, bar + 1, strlen(bar + 1));
}

const char *cmd_full_name(const Command *cmd) {
    return cmd->full_name ? cmd->full_name : cmd->name;
}

void cmd_for_each(void (*fn)(const Command *cmd, void *ctx), void *ctx) {
    FOR_EACH_COMMAND(cmd) {
        fn(cmd, ctx);
        for (Command *sub = cmd->subcommands; sub && sub->name; sub++) fn(sub, ctx);
    }
}

int cmd_count(void) {
    return top_level_count;
}

static void reset_one(const Command *cmd, void *ctx) {
    (void)ctx;
    memset(&((Command *)cmd)->stats, 0, sizeof(CommandStats));
}

void cmd_stats_reset(void) {
    cmd_for_each(reset_one, NULL);
    cmd_total_processed_reset();
}

static void stats_one(const Command *cmd, void *ctx) {
    sds *out = ctx;
    const CommandStats *s = &cmd->stats;
    if (s->calls == 0 && s->failed_calls == 0 && s->rejected_calls == 0) return;
    *out = sds_cat_printf(*out,
                          "cmdstat_%s:calls=%llu,usec=%llu,usec_per_call=%.2f,rejected_calls=%llu,"
                          "failed_calls=%llu\r\n",
                          cmd_full_name(cmd), s->calls, s->usec,
                          s->calls ? (double)s->usec / (double)s->calls : 0.0, s->rejected_calls,
                          s->failed_calls);
}

sds cmd_stats_info(sds out) {
    cmd_for_each(stats_one, &out);
    return out;
}
