/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_script.c: COMMAND DOCS arguments of the scripting commands
 * (cmd/docs_script.h), as Valkey documents them.
 */
#include "cmd/docs_script.h"

const CommandArg cmd_docs_eval_args[] = {
    {.name = "script", .type = "string"},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0,
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {.name = "arg", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_evalsha_args[] = {
    {.name = "sha1", .type = "string"},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0,
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {.name = "arg", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_fcall_args[] = {
    {.name = "function", .type = "string"},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0,
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {.name = "arg", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

static const CommandArg flush_mode_args[] = {
    {.name = "async", .type = "pure-token", .token = "ASYNC"},
    {.name = "sync", .type = "pure-token", .token = "SYNC"},
    {0},
};

const CommandArg cmd_docs_script_flush_args[] = {
    {.name = "async", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .subargs = flush_mode_args,
     .since = "6.2.0"},
    {0},
};

const CommandHistory cmd_docs_script_flush_history[] = {
    {"6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers."},
    {0},
};

const CommandArg cmd_docs_script_exists_args[] = {
    {.name = "sha1", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_script_load_args[] = {
    {.name = "script", .type = "string"},
    {0},
};

const CommandArg cmd_docs_function_load_args[] = {
    {.name = "replace", .type = "pure-token", .token = "REPLACE", .flags = CMD_ARG_OPTIONAL},
    {.name = "function-code", .type = "string"},
    {0},
};

const CommandArg cmd_docs_function_flush_args[] = {
    {.name = "async", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .subargs = flush_mode_args},
    {0},
};

const CommandArg cmd_docs_function_list_args[] = {
    {.name = "library-name-pattern", .type = "string", .token = "LIBRARYNAME",
     .flags = CMD_ARG_OPTIONAL},
    {.name = "withcode", .type = "pure-token", .token = "WITHCODE", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_function_delete_args[] = {
    {.name = "library-name", .type = "string"},
    {0},
};

static const CommandArg restore_policy_args[] = {
    {.name = "flush", .type = "pure-token", .token = "FLUSH"},
    {.name = "append", .type = "pure-token", .token = "APPEND"},
    {.name = "replace", .type = "pure-token", .token = "REPLACE"},
    {0},
};

const CommandArg cmd_docs_function_restore_args[] = {
    {.name = "serialized-value", .type = "string"},
    {.name = "policy", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .subargs = restore_policy_args},
    {0},
};
