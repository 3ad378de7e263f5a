/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_persist.c: COMMAND DOCS data for the persistence commands, as
 * Valkey documents them. Argument names are identifiers clients key on, so
 * they are copied exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_persist.h"

const CommandArg cmd_docs_bgsave_args[] = {
    {.name = "schedule", .type = "pure-token", .token = "SCHEDULE", .since = "3.2.2",
     .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandHistory cmd_docs_bgsave_history[] = {
    {"3.2.2", "Added the `SCHEDULE` option."},
    {0},
};

const CommandArg cmd_docs_dump_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {0},
};

const CommandArg cmd_docs_restore_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "ttl", .type = "integer"},
    {.name = "serialized-value", .type = "string"},
    {.name = "replace", .type = "pure-token", .token = "REPLACE", .since = "3.0.0",
     .flags = CMD_ARG_OPTIONAL},
    {.name = "absttl", .type = "pure-token", .token = "ABSTTL", .since = "5.0.0",
     .flags = CMD_ARG_OPTIONAL},
    {.name = "seconds", .type = "integer", .token = "IDLETIME", .since = "5.0.0",
     .flags = CMD_ARG_OPTIONAL},
    {.name = "frequency", .type = "integer", .token = "FREQ", .since = "5.0.0",
     .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandHistory cmd_docs_restore_history[] = {
    {"3.0.0", "Added the `REPLACE` modifier."},
    {"5.0.0", "Added the `ABSTTL` modifier."},
    {"5.0.0", "Added the `IDLETIME` and `FREQ` options."},
    {0},
};

