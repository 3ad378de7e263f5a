/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_string.c: COMMAND DOCS data for the string commands: arguments,
 * history notes and tips, as Valkey documents them (8.0, plus SET's IFEQ
 * from 8.1). Argument names are identifiers clients key on, so they are
 * copied exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_string.h"

#define KEY_ARG {.name = "key", .type = "key", .key_spec_index = 0}

const CommandArg cmd_docs_string_key_args[] = {
    KEY_ARG,
    {0},
};

const CommandArg cmd_docs_string_key_value_args[] = {
    KEY_ARG,
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_string_range_args[] = {
    KEY_ARG,
    {.name = "start", .type = "integer"},
    {.name = "end", .type = "integer"},
    {0},
};

static const CommandArg pair_args[] = {
    KEY_ARG,
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_string_pairs_args[] = {
    {.name = "data", .type = "block", .flags = CMD_ARG_MULTIPLE, .subargs = pair_args},
    {0},
};

/* ---- SET ---- */

static const CommandArg set_condition_args[] = {
    {.name = "nx", .type = "pure-token", .token = "NX", .since = "2.6.12"},
    {.name = "xx", .type = "pure-token", .token = "XX", .since = "2.6.12"},
    {.name = "comparison-value", .type = "string", .token = "IFEQ", .since = "8.1.0",
     .summary = "Sets the key's value only if the current value matches the specified "
                "comparison value."},
    {0},
};

static const CommandArg set_expiration_args[] = {
    {.name = "seconds", .type = "integer", .token = "EX", .since = "2.6.12"},
    {.name = "milliseconds", .type = "integer", .token = "PX", .since = "2.6.12"},
    {.name = "unix-time-seconds", .type = "unix-time", .token = "EXAT", .since = "6.2.0"},
    {.name = "unix-time-milliseconds", .type = "unix-time", .token = "PXAT", .since = "6.2.0"},
    {.name = "keepttl", .type = "pure-token", .token = "KEEPTTL", .since = "6.0.0"},
    {0},
};

const CommandArg cmd_docs_set_args[] = {
    KEY_ARG,
    {.name = "value", .type = "string"},
    {.name = "condition", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = set_condition_args},
    {.name = "get", .type = "pure-token", .token = "GET", .flags = CMD_ARG_OPTIONAL,
     .since = "6.2.0"},
    {.name = "expiration", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = set_expiration_args},
    {0},
};

const CommandHistory cmd_docs_set_history[] = {
    {"2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."},
    {"6.0.0", "Added the `KEEPTTL` option."},
    {"6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."},
    {"7.0.0", "Allowed the `NX` and `GET` options to be used together."},
    {"8.1.0", "Added the `IFEQ` option."},
    {0},
};

/* ---- GETEX ---- */

const CommandArg cmd_docs_getex_expiration_args[] = {
    {.name = "seconds", .type = "integer", .token = "EX"},
    {.name = "milliseconds", .type = "integer", .token = "PX"},
    {.name = "unix-time-seconds", .type = "unix-time", .token = "EXAT"},
    {.name = "unix-time-milliseconds", .type = "unix-time", .token = "PXAT"},
    {.name = "persist", .type = "pure-token", .token = "PERSIST"},
    {0},
};

const CommandArg cmd_docs_getex_args[] = {
    KEY_ARG,
    {.name = "expiration", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = cmd_docs_getex_expiration_args},
    {0},
};

/* ---- the rest ---- */

const CommandArg cmd_docs_mget_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_setex_args[] = {
    KEY_ARG,
    {.name = "seconds", .type = "integer"},
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_psetex_args[] = {
    KEY_ARG,
    {.name = "milliseconds", .type = "integer"},
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_setrange_args[] = {
    KEY_ARG,
    {.name = "offset", .type = "integer"},
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_incrby_args[] = {
    KEY_ARG,
    {.name = "increment", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_decrby_args[] = {
    KEY_ARG,
    {.name = "decrement", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_incrbyfloat_args[] = {
    KEY_ARG,
    {.name = "increment", .type = "double"},
    {0},
};

const CommandArg cmd_docs_lcs_args[] = {
    {.name = "key1", .type = "key", .key_spec_index = 0},
    {.name = "key2", .type = "key", .key_spec_index = 0},
    {.name = "len", .type = "pure-token", .token = "LEN", .flags = CMD_ARG_OPTIONAL},
    {.name = "idx", .type = "pure-token", .token = "IDX", .flags = CMD_ARG_OPTIONAL},
    {.name = "min-match-len", .type = "integer", .token = "MINMATCHLEN",
     .flags = CMD_ARG_OPTIONAL},
    {.name = "withmatchlen", .type = "pure-token", .token = "WITHMATCHLEN",
     .flags = CMD_ARG_OPTIONAL},
    {0},
};

const char *const cmd_docs_mget_tips[] = {
    "request_policy:multi_shard",
    NULL,
};

const char *const cmd_docs_mset_tips[] = {
    "request_policy:multi_shard",
    "response_policy:all_succeeded",
    NULL,
};
