/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_server.c: COMMAND DOCS data for the "server" group (INFO,
 * SHUTDOWN, CONFIG *, MODULE *, COMMAND *), and the tips several commands
 * share.
 *
 * Data only, as Valkey 8.0 documents these commands; argument names are
 * identifiers clients key on, so they are copied exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs.h"

const char *const cmd_tips_nondeterministic_output[] = {"nondeterministic_output", NULL};
const char *const cmd_tips_nondeterministic_output_order[] = {"nondeterministic_output_order",
                                                              NULL};
const char *const cmd_tips_all_nodes_all_succeeded[] = {
    "request_policy:all_nodes",
    "response_policy:all_succeeded",
    NULL,
};

const CommandArg cmd_docs_info_args[] = {
    {.name = "section", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandHistory cmd_docs_info_history[] = {
    {"7.0.0", "Added support for taking multiple section arguments."},
    {0},
};

const char *const cmd_docs_info_tips[] = {
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special",
    NULL,
};

static const CommandArg shutdown_save_args[] = {
    {.name = "nosave", .type = "pure-token", .token = "NOSAVE"},
    {.name = "save", .type = "pure-token", .token = "SAVE"},
    {0},
};

static const CommandArg shutdown_save_block_args[] = {
    {.name = "save-selector", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = shutdown_save_args},
    {.name = "now", .type = "pure-token", .token = "NOW", .flags = CMD_ARG_OPTIONAL,
     .since = "7.0.0"},
    {.name = "force", .type = "pure-token", .token = "FORCE", .flags = CMD_ARG_OPTIONAL,
     .since = "7.0.0"},
    {0},
};

static const CommandArg shutdown_abort_args[] = {
    {.name = "save-selector-block", .type = "block", .subargs = shutdown_save_block_args},
    {.name = "abort", .type = "pure-token", .token = "ABORT", .since = "7.0.0"},
    {0},
};

const CommandArg cmd_docs_shutdown_args[] = {
    {.name = "abort-selector", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = shutdown_abort_args},
    {0},
};

const CommandHistory cmd_docs_shutdown_history[] = {
    {"7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers."},
    {0},
};

/* ---- CONFIG ---- */

const CommandArg cmd_docs_config_get_args[] = {
    {.name = "parameter", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandHistory cmd_docs_config_get_history[] = {
    {"7.0.0", "Added the ability to pass multiple pattern parameters in one call"},
    {0},
};

static const CommandArg config_set_pair_args[] = {
    {.name = "parameter", .type = "string"},
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_config_set_args[] = {
    {.name = "data", .type = "block", .flags = CMD_ARG_MULTIPLE, .subargs = config_set_pair_args},
    {0},
};

const CommandHistory cmd_docs_config_set_history[] = {
    {"7.0.0", "Added the ability to set multiple parameters in one call."},
    {0},
};

/* ---- MODULE ---- */

const CommandArg cmd_docs_module_load_args[] = {
    {.name = "path", .type = "string"},
    {.name = "arg", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

static const CommandArg module_loadex_config_args[] = {
    {.name = "name", .type = "string"},
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_module_loadex_args[] = {
    {.name = "path", .type = "string"},
    {.name = "configs", .type = "block", .token = "CONFIG",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE | CMD_ARG_MULTIPLE_TOKEN,
     .subargs = module_loadex_config_args},
    {.name = "args", .type = "string", .token = "ARGS",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_module_unload_args[] = {
    {.name = "name", .type = "string"},
    {0},
};

/* ---- COMMAND ---- */

const CommandArg cmd_docs_command_names_args[] = {
    {.name = "command-name", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandHistory cmd_docs_command_info_history[] = {
    {"7.0.0", "Allowed to be called with no argument to get info on all commands."},
    {0},
};

static const CommandArg command_list_filter_args[] = {
    {.name = "module-name", .type = "string", .token = "MODULE"},
    {.name = "category", .type = "string", .token = "ACLCAT"},
    {.name = "pattern", .type = "pattern", .token = "PATTERN"},
    {0},
};

const CommandArg cmd_docs_command_list_args[] = {
    {.name = "filterby", .type = "oneof", .token = "FILTERBY", .flags = CMD_ARG_OPTIONAL,
     .subargs = command_list_filter_args},
    {0},
};

const CommandArg cmd_docs_command_getkeys_args[] = {
    {.name = "command", .type = "string"},
    {.name = "arg", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};
