/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_hash.c: COMMAND DOCS data for the hash commands: arguments,
 * history notes and tips, as Valkey documents them (9.0 for the field
 * expiry commands). Argument names are identifiers clients key on, so they
 * are copied exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_hash.h"

#include "cmd/docs_string.h"

#define KEY_ARG {.name = "key", .type = "key", .key_spec_index = 0}

const CommandArg cmd_docs_hash_key_args[] = {
    KEY_ARG,
    {0},
};

const CommandArg cmd_docs_hash_key_field_args[] = {
    KEY_ARG,
    {.name = "field", .type = "string"},
    {0},
};

const CommandArg cmd_docs_hash_key_fields_args[] = {
    KEY_ARG,
    {.name = "field", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

static const CommandArg pair_args[] = {
    {.name = "field", .type = "string"},
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_hash_pairs_args[] = {
    KEY_ARG,
    {.name = "data", .type = "block", .flags = CMD_ARG_MULTIPLE, .subargs = pair_args},
    {0},
};

const CommandArg cmd_docs_hsetnx_args[] = {
    KEY_ARG,
    {.name = "field", .type = "string"},
    {.name = "value", .type = "string"},
    {0},
};

const CommandArg cmd_docs_hincrby_args[] = {
    KEY_ARG,
    {.name = "field", .type = "string"},
    {.name = "increment", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_hincrbyfloat_args[] = {
    KEY_ARG,
    {.name = "field", .type = "string"},
    {.name = "increment", .type = "double"},
    {0},
};

static const CommandArg hrandfield_options_args[] = {
    {.name = "count", .type = "integer"},
    {.name = "withvalues", .type = "pure-token", .token = "WITHVALUES",
     .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_hrandfield_args[] = {
    KEY_ARG,
    {.name = "options", .type = "block", .flags = CMD_ARG_OPTIONAL,
     .subargs = hrandfield_options_args},
    {0},
};

const CommandArg cmd_docs_hscan_args[] = {
    KEY_ARG,
    {.name = "cursor", .type = "integer"},
    {.name = "pattern", .type = "pattern", .token = "MATCH", .flags = CMD_ARG_OPTIONAL},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {.name = "novalues", .type = "pure-token", .token = "NOVALUES", .flags = CMD_ARG_OPTIONAL,
     .since = "8.0.0"},
    {0},
};

/* ---- field expiry ---- */

static const CommandArg fields_block_args[] = {
    {.name = "numfields", .type = "integer"},
    {.name = "field", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

#define FIELDS_BLOCK {.name = "fields", .type = "block", .token = "FIELDS", .subargs = fields_block_args}

static const CommandArg condition_args[] = {
    {.name = "nx", .type = "pure-token", .token = "NX"},
    {.name = "xx", .type = "pure-token", .token = "XX"},
    {.name = "gt", .type = "pure-token", .token = "GT"},
    {.name = "lt", .type = "pure-token", .token = "LT"},
    {0},
};

#define CONDITION_ARG {.name = "condition", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .subargs = condition_args}

const CommandArg cmd_docs_hexpire_args[] = {
    KEY_ARG, {.name = "seconds", .type = "integer"}, CONDITION_ARG, FIELDS_BLOCK, {0},
};

const CommandArg cmd_docs_hpexpire_args[] = {
    KEY_ARG, {.name = "milliseconds", .type = "integer"}, CONDITION_ARG, FIELDS_BLOCK, {0},
};

const CommandArg cmd_docs_hexpireat_args[] = {
    KEY_ARG, {.name = "unix-time-seconds", .type = "unix-time"}, CONDITION_ARG, FIELDS_BLOCK, {0},
};

const CommandArg cmd_docs_hpexpireat_args[] = {
    KEY_ARG, {.name = "unix-time-milliseconds", .type = "unix-time"}, CONDITION_ARG, FIELDS_BLOCK,
    {0},
};

const CommandArg cmd_docs_hash_fields_block_args[] = {
    KEY_ARG,
    FIELDS_BLOCK,
    {0},
};

const CommandArg cmd_docs_hgetex_args[] = {
    KEY_ARG,
    {.name = "expiration", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = cmd_docs_getex_expiration_args},
    FIELDS_BLOCK,
    {0},
};

static const CommandArg key_condition_args[] = {
    {.name = "nx", .type = "pure-token", .token = "NX"},
    {.name = "xx", .type = "pure-token", .token = "XX"},
    {0},
};

static const CommandArg fields_condition_args[] = {
    {.name = "fnx", .type = "pure-token", .token = "FNX"},
    {.name = "fxx", .type = "pure-token", .token = "FXX"},
    {0},
};

static const CommandArg hsetex_expiration_args[] = {
    {.name = "seconds", .type = "integer", .token = "EX"},
    {.name = "milliseconds", .type = "integer", .token = "PX"},
    {.name = "unix-time-seconds", .type = "unix-time", .token = "EXAT"},
    {.name = "unix-time-milliseconds", .type = "unix-time", .token = "PXAT"},
    {.name = "keepttl", .type = "pure-token", .token = "KEEPTTL"},
    {0},
};

static const CommandArg hsetex_data_args[] = {
    {.name = "numfields", .type = "integer"},
    {.name = "data", .type = "block", .flags = CMD_ARG_MULTIPLE, .subargs = pair_args},
    {0},
};

const CommandArg cmd_docs_hsetex_args[] = {
    KEY_ARG,
    {.name = "key-condition", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = key_condition_args},
    {.name = "fields-condition", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = fields_condition_args},
    {.name = "expiration", .type = "oneof", .flags = CMD_ARG_OPTIONAL,
     .subargs = hsetex_expiration_args},
    {.name = "fields", .type = "block", .token = "FIELDS", .subargs = hsetex_data_args},
    {0},
};

/* ---- history and tips ---- */

const CommandHistory cmd_docs_hset_history[] = {
    {"4.0.0", "Accepts multiple `field` and `value` arguments."},
    {0},
};

const CommandHistory cmd_docs_hdel_history[] = {
    {"2.4.0", "Accepts multiple `field` arguments."},
    {0},
};

const CommandHistory cmd_docs_hscan_history[] = {
    {"8.0.0", "Added the `NOVALUES` option."},
    {0},
};

