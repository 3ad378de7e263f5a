/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_set.c: COMMAND DOCS data for the set commands: arguments and
 * history notes as Valkey documents them. Argument names are identifiers
 * clients key on, so they are copied exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_set.h"

#define KEY_ARG {.name = "key", .type = "key", .key_spec_index = 0}

const CommandArg cmd_docs_set_key_args[] = {
    KEY_ARG,
    {0},
};

const CommandArg cmd_docs_set_key_member_args[] = {
    KEY_ARG,
    {.name = "member", .type = "string"},
    {0},
};

const CommandArg cmd_docs_set_key_members_args[] = {
    KEY_ARG,
    {.name = "member", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_set_keys_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_set_store_args[] = {
    {.name = "destination", .type = "key", .key_spec_index = 0},
    {.name = "key", .type = "key", .key_spec_index = 1, .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_spop_args[] = {
    KEY_ARG,
    {.name = "count", .type = "integer", .flags = CMD_ARG_OPTIONAL, .since = "3.2.0"},
    {0},
};

const CommandArg cmd_docs_srandmember_args[] = {
    KEY_ARG,
    {.name = "count", .type = "integer", .flags = CMD_ARG_OPTIONAL, .since = "2.6.0"},
    {0},
};

const CommandArg cmd_docs_smove_args[] = {
    {.name = "source", .type = "key", .key_spec_index = 0},
    {.name = "destination", .type = "key", .key_spec_index = 1},
    {.name = "member", .type = "string"},
    {0},
};

const CommandArg cmd_docs_sintercard_args[] = {
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "limit", .type = "integer", .token = "LIMIT", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_sscan_args[] = {
    KEY_ARG,
    {.name = "cursor", .type = "integer"},
    {.name = "pattern", .type = "pattern", .token = "MATCH", .flags = CMD_ARG_OPTIONAL},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandHistory cmd_docs_set_multiple_members_history[] = {
    {"2.4.0", "Accepts multiple `member` arguments."},
    {0},
};

const CommandHistory cmd_docs_spop_history[] = {
    {"3.2.0", "Added the `count` argument."},
    {0},
};

const CommandHistory cmd_docs_srandmember_history[] = {
    {"2.6.0", "Added the optional `count` argument."},
    {0},
};
