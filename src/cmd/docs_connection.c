/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_connection.c: COMMAND DOCS data for the "connection" group (PING,
 * ECHO, AUTH, HELLO, CLIENT *): arguments, history notes and tips.
 *
 * Data only, as Valkey 8.0 documents these commands; argument names are
 * identifiers clients key on, so they are copied exactly, quirks included.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs.h"

const CommandArg cmd_docs_ping_args[] = {
    {.name = "message", .type = "string", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const char *const cmd_docs_ping_tips[] = {
    "request_policy:all_shards",
    "response_policy:all_succeeded",
    NULL,
};

const CommandArg cmd_docs_echo_args[] = {
    {.name = "message", .type = "string"},
    {0},
};

const CommandArg cmd_docs_auth_args[] = {
    {.name = "username", .type = "string", .flags = CMD_ARG_OPTIONAL, .since = "6.0.0"},
    {.name = "password", .type = "string"},
    {0},
};

const CommandHistory cmd_docs_auth_history[] = {
    {"6.0.0", "Added ACL style (username and password)."},
    {0},
};

static const CommandArg hello_auth_args[] = {
    {.name = "username", .type = "string"},
    {.name = "password", .type = "string"},
    {0},
};

static const CommandArg hello_block_args[] = {
    {.name = "protover", .type = "integer"},
    {.name = "auth", .type = "block", .token = "AUTH", .flags = CMD_ARG_OPTIONAL,
     .subargs = hello_auth_args},
    {.name = "clientname", .type = "string", .token = "SETNAME", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_hello_args[] = {
    {.name = "arguments", .type = "block", .flags = CMD_ARG_OPTIONAL, .subargs = hello_block_args},
    {0},
};

const CommandHistory cmd_docs_hello_history[] = {
    {"6.2.0", "`protover` made optional; when called without arguments the command reports the "
              "current connection's context."},
    {0},
};

/* ---- CLIENT ---- */

static const CommandArg client_kill_type_args[] = {
    {.name = "normal", .type = "pure-token", .token = "normal"},
    {.name = "master", .type = "pure-token", .token = "master", .since = "3.2.0"},
    {.name = "primary", .type = "pure-token", .token = "primary", .since = "8.0.0"},
    {.name = "slave", .type = "pure-token", .token = "slave"},
    {.name = "replica", .type = "pure-token", .token = "replica", .since = "5.0.0"},
    {.name = "pubsub", .type = "pure-token", .token = "pubsub"},
    {0},
};

static const CommandArg yes_no_args[] = {
    {.name = "yes", .type = "pure-token", .token = "YES"},
    {.name = "no", .type = "pure-token", .token = "NO"},
    {0},
};

static const CommandArg client_kill_filter_args[] = {
    {.name = "client-id", .type = "integer", .token = "ID", .flags = CMD_ARG_OPTIONAL,
     .since = "2.8.12"},
    {.name = "client-type", .type = "oneof", .token = "TYPE", .flags = CMD_ARG_OPTIONAL,
     .since = "2.8.12", .subargs = client_kill_type_args},
    {.name = "username", .type = "string", .token = "USER", .flags = CMD_ARG_OPTIONAL},
    {.name = "addr", .type = "string", .token = "ADDR", .flags = CMD_ARG_OPTIONAL,
     .display_text = "ip:port"},
    {.name = "laddr", .type = "string", .token = "LADDR", .flags = CMD_ARG_OPTIONAL,
     .display_text = "ip:port", .since = "6.2.0"},
    {.name = "skipme", .type = "oneof", .token = "SKIPME", .flags = CMD_ARG_OPTIONAL,
     .subargs = yes_no_args},
    {.name = "maxage", .type = "integer", .token = "MAXAGE", .flags = CMD_ARG_OPTIONAL,
     .since = "8.0.0"},
    {0},
};

static const CommandArg client_kill_forms[] = {
    {.name = "old-format", .type = "string", .display_text = "ip:port",
     .deprecated_since = "2.8.12"},
    {.name = "new-format", .type = "oneof", .flags = CMD_ARG_MULTIPLE,
     .subargs = client_kill_filter_args},
    {0},
};

const CommandArg cmd_docs_client_kill_args[] = {
    {.name = "filter", .type = "oneof", .subargs = client_kill_forms},
    {0},
};

const CommandHistory cmd_docs_client_kill_history[] = {
    {"2.8.12", "Added new filter format."},
    {"2.8.12", "`ID` option."},
    {"3.2.0", "Added `master` type in for `TYPE` option."},
    {"5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward "
              "compatibility."},
    {"6.2.0", "`LADDR` option."},
    {"8.0.0", "`MAXAGE` option."},
    {"8.0.0", "Replaced `master` `TYPE` with `primary`. `master` still supported for backward "
              "compatibility."},
    {0},
};

static const CommandArg client_list_type_args[] = {
    {.name = "normal", .type = "pure-token", .token = "normal"},
    {.name = "master", .type = "pure-token", .token = "master"},
    {.name = "replica", .type = "pure-token", .token = "replica"},
    {.name = "pubsub", .type = "pure-token", .token = "pubsub"},
    {0},
};

const CommandArg cmd_docs_client_list_args[] = {
    {.name = "client-type", .type = "oneof", .token = "TYPE", .flags = CMD_ARG_OPTIONAL,
     .since = "5.0.0", .subargs = client_list_type_args},
    {.name = "client-id", .type = "integer", .token = "ID",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE, .since = "6.2.0"},
    {0},
};

const CommandHistory cmd_docs_client_list_history[] = {
    {"2.8.12", "Added unique client `id` field."},
    {"5.0.0", "Added optional `TYPE` filter."},
    {"6.0.0", "Added `user` field."},
    {"6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` "
              "filter."},
    {"7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."},
    {"7.0.3", "Added `ssub` field."},
    {"8.0.0", "Replaced `master` `TYPE` with `primary`. `master` still supported for backward "
              "compatibility."},
    {0},
};

const CommandArg cmd_docs_client_setname_args[] = {
    {.name = "connection-name", .type = "string"},
    {0},
};

static const CommandArg client_setinfo_attr_args[] = {
    {.name = "libname", .type = "string", .token = "lib-name"},
    {.name = "libver", .type = "string", .token = "lib-ver"},
    {0},
};

const CommandArg cmd_docs_client_setinfo_args[] = {
    {.name = "attr", .type = "oneof", .subargs = client_setinfo_attr_args},
    {0},
};

static const CommandArg client_reply_action_args[] = {
    {.name = "on", .type = "pure-token", .token = "ON"},
    {.name = "off", .type = "pure-token", .token = "OFF"},
    {.name = "skip", .type = "pure-token", .token = "SKIP"},
    {0},
};

const CommandArg cmd_docs_client_reply_args[] = {
    {.name = "action", .type = "oneof", .subargs = client_reply_action_args},
    {0},
};

static const CommandArg client_pause_mode_args[] = {
    {.name = "write", .type = "pure-token", .token = "WRITE"},
    {.name = "all", .type = "pure-token", .token = "ALL"},
    {0},
};

const CommandArg cmd_docs_client_pause_args[] = {
    {.name = "timeout", .type = "integer"},
    {.name = "mode", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .since = "6.2.0",
     .subargs = client_pause_mode_args},
    {0},
};

static const CommandArg client_unblock_type_args[] = {
    {.name = "timeout", .type = "pure-token", .token = "TIMEOUT"},
    {.name = "error", .type = "pure-token", .token = "ERROR"},
    {0},
};

const CommandArg cmd_docs_client_unblock_args[] = {
    {.name = "client-id", .type = "integer"},
    {.name = "unblock-type", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = client_unblock_type_args},
    {0},
};

const CommandHistory cmd_docs_client_pause_history[] = {
    {"6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option."},
    {0},
};

static const CommandArg on_off_args[] = {
    {.name = "on", .type = "pure-token", .token = "ON"},
    {.name = "off", .type = "pure-token", .token = "OFF"},
    {0},
};

const CommandArg cmd_docs_client_on_off_args[] = {
    {.name = "enabled", .type = "oneof", .subargs = on_off_args},
    {0},
};

/* CLIENT TRACKING and CLIENT CACHING (server/tracking_cmd.c). */
const CommandArg cmd_docs_client_tracking_args[] = {
    {.name = "status", .type = "oneof", .subargs = on_off_args},
    {.name = "client-id", .type = "integer", .token = "REDIRECT", .flags = CMD_ARG_OPTIONAL},
    {.name = "prefix", .type = "string", .token = "PREFIX",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE | CMD_ARG_MULTIPLE_TOKEN},
    {.name = "bcast", .type = "pure-token", .token = "BCAST", .flags = CMD_ARG_OPTIONAL},
    {.name = "optin", .type = "pure-token", .token = "OPTIN", .flags = CMD_ARG_OPTIONAL},
    {.name = "optout", .type = "pure-token", .token = "OPTOUT", .flags = CMD_ARG_OPTIONAL},
    {.name = "noloop", .type = "pure-token", .token = "NOLOOP", .flags = CMD_ARG_OPTIONAL},
    {0},
};

static const CommandArg client_caching_mode_args[] = {
    {.name = "yes", .type = "pure-token", .token = "YES"},
    {.name = "no", .type = "pure-token", .token = "NO"},
    {0},
};

const CommandArg cmd_docs_client_caching_args[] = {
    {.name = "mode", .type = "oneof", .subargs = client_caching_mode_args},
    {0},
};
