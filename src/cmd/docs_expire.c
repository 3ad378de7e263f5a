/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_expire.c: COMMAND DOCS data for the expire commands: arguments
 * and history notes, as Valkey 8.0 documents them (argument names are
 * identifiers clients key on, so they are copied exactly).
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_expire.h"

const CommandArg cmd_docs_expire_key_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {0},
};

static const CommandArg condition_args[] = {
    {.name = "nx", .type = "pure-token", .token = "NX"},
    {.name = "xx", .type = "pure-token", .token = "XX"},
    {.name = "gt", .type = "pure-token", .token = "GT"},
    {.name = "lt", .type = "pure-token", .token = "LT"},
    {0},
};

#define CONDITION_ARG                                                                             \
    {.name = "condition", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .since = "7.0.0",           \
     .subargs = condition_args}

const CommandArg cmd_docs_expire_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "seconds", .type = "integer"},
    CONDITION_ARG,
    {0},
};

const CommandArg cmd_docs_pexpire_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "milliseconds", .type = "integer"},
    CONDITION_ARG,
    {0},
};

const CommandArg cmd_docs_expireat_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "unix-time-seconds", .type = "unix-time"},
    CONDITION_ARG,
    {0},
};

const CommandArg cmd_docs_pexpireat_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "unix-time-milliseconds", .type = "unix-time"},
    CONDITION_ARG,
    {0},
};

const CommandHistory cmd_docs_expire_history[] = {
    {"7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."},
    {0},
};

const CommandHistory cmd_docs_ttl_history[] = {
    {"2.8.0", "Added the -2 reply."},
    {0},
};
