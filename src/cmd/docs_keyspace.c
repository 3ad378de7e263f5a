/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_keyspace.c: COMMAND DOCS and key-spec data of the keyspace
 * commands (see cmd/docs_keyspace.h).
 *
 * Data only, as Valkey 8.0 documents these commands (where Redis 7.0
 * differs, Valkey's version: summaries, and the response-policy tips
 * Valkey added). Argument names are identifiers clients key on, so they are
 * copied exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_keyspace.h"

const CommandArg cmd_docs_select_args[] = {
    {.name = "index", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_swapdb_args[] = {
    {.name = "index1", .type = "integer"},
    {.name = "index2", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_move_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "db", .type = "integer"},
    {0},
};

static const CommandArg flush_type_args[] = {
    {.name = "async", .type = "pure-token", .token = "ASYNC", .since = "4.0.0"},
    {.name = "sync", .type = "pure-token", .token = "SYNC", .since = "6.2.0"},
    {0},
};

const CommandArg cmd_docs_flush_args[] = {
    {.name = "flush-type", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .subargs = flush_type_args},
    {0},
};

const CommandHistory cmd_docs_flush_history[] = {
    {"4.0.0", "Added the `ASYNC` flushing mode modifier."},
    {"6.2.0", "Added the `SYNC` flushing mode modifier."},
    {0},
};

const CommandArg cmd_docs_keys_args[] = {
    {.name = "pattern", .type = "pattern"},
    {0},
};

const CommandArg cmd_docs_scan_args[] = {
    {.name = "cursor", .type = "integer"},
    {.name = "pattern", .type = "pattern", .token = "MATCH", .flags = CMD_ARG_OPTIONAL},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {.name = "type", .type = "string", .token = "TYPE", .flags = CMD_ARG_OPTIONAL,
     .since = "6.0.0"},
    {0},
};

const CommandHistory cmd_docs_scan_history[] = {
    {"6.0.0", "Added the `TYPE` subcommand."},
    {0},
};

const CommandArg cmd_docs_key_multiple_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandHistory cmd_docs_exists_history[] = {
    {"3.0.3", "Accepts multiple `key` arguments."},
    {0},
};

const CommandArg cmd_docs_key_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {0},
};

const CommandArg cmd_docs_rename_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "newkey", .type = "key", .key_spec_index = 1},
    {0},
};

const CommandHistory cmd_docs_renamenx_history[] = {
    {"3.2.0",
     "The command no longer returns an error when source and destination names are the same."},
    {0},
};

const CommandArg cmd_docs_copy_args[] = {
    {.name = "source", .type = "key", .key_spec_index = 0},
    {.name = "destination", .type = "key", .key_spec_index = 1},
    {.name = "destination-db", .type = "integer", .token = "DB", .flags = CMD_ARG_OPTIONAL},
    {.name = "replace", .type = "pure-token", .token = "REPLACE", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_memory_usage_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "count", .type = "integer", .token = "SAMPLES", .flags = CMD_ARG_OPTIONAL},
    {0},
};

/* ---- tips ---- */

const char *const cmd_tips_all_shards_agg_sum[] = {
    "request_policy:all_shards",
    "response_policy:agg_sum",
    NULL,
};

const char *const cmd_tips_all_shards_all_succeeded[] = {
    "request_policy:all_shards",
    "response_policy:all_succeeded",
    NULL,
};

const char *const cmd_tips_multi_shard_agg_sum[] = {
    "request_policy:multi_shard",
    "response_policy:agg_sum",
    NULL,
};

const char *const cmd_tips_keys[] = {
    "request_policy:all_shards",
    "nondeterministic_output_order",
    NULL,
};

const char *const cmd_tips_scan[] = {
    "nondeterministic_output",
    "request_policy:special",
    "response_policy:special",
    NULL,
};

const char *const cmd_tips_randomkey[] = {
    "request_policy:all_shards",
    "response_policy:special",
    "nondeterministic_output",
    NULL,
};

const char *const cmd_tips_memory_report[] = {
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special",
    NULL,
};

/* ---- key specs ---- */

#define SPEC_ONE(spec_flags, position)                                                            \
    {.flags = (spec_flags), .begin_search = KSPEC_BS_INDEX, .bs.index = {(position)},             \
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}}
#define SPEC_REST(spec_flags)                                                                     \
    {.flags = (spec_flags), .begin_search = KSPEC_BS_INDEX, .bs.index = {1},                      \
     .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 1, 0}}

const KeySpec cmd_spec_move[] = {
    SPEC_ONE(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE, 1),
    {0},
};

const KeySpec cmd_spec_read_one[] = {
    SPEC_ONE(CMD_KEY_RO, 1),
    {0},
};

const KeySpec cmd_spec_read_all[] = {
    SPEC_REST(CMD_KEY_RO),
    {0},
};

const KeySpec cmd_spec_delete_all[] = {
    SPEC_REST(CMD_KEY_RM | CMD_KEY_DELETE),
    {0},
};

const KeySpec cmd_spec_rename[] = {
    SPEC_ONE(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE, 1),
    SPEC_ONE(CMD_KEY_OW | CMD_KEY_UPDATE, 2),
    {0},
};

const KeySpec cmd_spec_renamenx[] = {
    SPEC_ONE(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE, 1),
    SPEC_ONE(CMD_KEY_OW | CMD_KEY_INSERT, 2),
    {0},
};

const KeySpec cmd_spec_copy[] = {
    SPEC_ONE(CMD_KEY_RO | CMD_KEY_ACCESS, 1),
    SPEC_ONE(CMD_KEY_OW | CMD_KEY_UPDATE, 2),
    {0},
};

const KeySpec cmd_spec_read_second[] = {
    SPEC_ONE(CMD_KEY_RO, 2),
    {0},
};
