/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_list.c: COMMAND DOCS data for the list commands: arguments and
 * history notes as Valkey documents them. Argument names are identifiers
 * clients key on, so they are spelled exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_list.h"

const CommandArg cmd_docs_lpush_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "element", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_rpush_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "element", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_lpushx_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "element", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_rpushx_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "element", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_lpop_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "count", .type = "integer", .flags = CMD_ARG_OPTIONAL, .since = "6.2.0"},
    {0},
};

const CommandArg cmd_docs_rpop_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "count", .type = "integer", .flags = CMD_ARG_OPTIONAL, .since = "6.2.0"},
    {0},
};

const CommandArg cmd_docs_llen_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {0},
};

const CommandArg cmd_docs_lrange_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "start", .type = "integer"},
    {.name = "stop", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_lindex_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "index", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_lset_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "index", .type = "integer"},
    {.name = "element", .type = "string"},
    {0},
};

static const CommandArg cmd_docs_linsert_where_args[] = {
    {.name = "before", .type = "pure-token", .token = "BEFORE"},
    {.name = "after", .type = "pure-token", .token = "AFTER"},
    {0},
};

const CommandArg cmd_docs_linsert_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "where", .type = "oneof", .subargs = cmd_docs_linsert_where_args},
    {.name = "pivot", .type = "string"},
    {.name = "element", .type = "string"},
    {0},
};

const CommandArg cmd_docs_lrem_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "count", .type = "integer"},
    {.name = "element", .type = "string"},
    {0},
};

const CommandArg cmd_docs_ltrim_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "start", .type = "integer"},
    {.name = "stop", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_lpos_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "element", .type = "string"},
    {.name = "rank", .type = "integer", .token = "RANK", .flags = CMD_ARG_OPTIONAL},
    {.name = "num-matches", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {.name = "len", .type = "integer", .token = "MAXLEN", .flags = CMD_ARG_OPTIONAL},
    {0},
};

static const CommandArg cmd_docs_lmove_wherefrom_args[] = {
    {.name = "left", .type = "pure-token", .token = "LEFT"},
    {.name = "right", .type = "pure-token", .token = "RIGHT"},
    {0},
};

static const CommandArg cmd_docs_lmove_whereto_args[] = {
    {.name = "left", .type = "pure-token", .token = "LEFT"},
    {.name = "right", .type = "pure-token", .token = "RIGHT"},
    {0},
};

const CommandArg cmd_docs_lmove_args[] = {
    {.name = "source", .type = "key", .key_spec_index = 0},
    {.name = "destination", .type = "key", .key_spec_index = 1},
    {.name = "wherefrom", .type = "oneof", .subargs = cmd_docs_lmove_wherefrom_args},
    {.name = "whereto", .type = "oneof", .subargs = cmd_docs_lmove_whereto_args},
    {0},
};

const CommandArg cmd_docs_rpoplpush_args[] = {
    {.name = "source", .type = "key", .key_spec_index = 0},
    {.name = "destination", .type = "key", .key_spec_index = 1},
    {0},
};

static const CommandArg cmd_docs_lmpop_where_args[] = {
    {.name = "left", .type = "pure-token", .token = "LEFT"},
    {.name = "right", .type = "pure-token", .token = "RIGHT"},
    {0},
};

const CommandArg cmd_docs_lmpop_args[] = {
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "where", .type = "oneof", .subargs = cmd_docs_lmpop_where_args},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_blpop_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "timeout", .type = "double"},
    {0},
};

const CommandArg cmd_docs_brpop_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "timeout", .type = "double"},
    {0},
};

static const CommandArg cmd_docs_blmove_wherefrom_args[] = {
    {.name = "left", .type = "pure-token", .token = "LEFT"},
    {.name = "right", .type = "pure-token", .token = "RIGHT"},
    {0},
};

static const CommandArg cmd_docs_blmove_whereto_args[] = {
    {.name = "left", .type = "pure-token", .token = "LEFT"},
    {.name = "right", .type = "pure-token", .token = "RIGHT"},
    {0},
};

const CommandArg cmd_docs_blmove_args[] = {
    {.name = "source", .type = "key", .key_spec_index = 0},
    {.name = "destination", .type = "key", .key_spec_index = 1},
    {.name = "wherefrom", .type = "oneof", .subargs = cmd_docs_blmove_wherefrom_args},
    {.name = "whereto", .type = "oneof", .subargs = cmd_docs_blmove_whereto_args},
    {.name = "timeout", .type = "double"},
    {0},
};

const CommandArg cmd_docs_brpoplpush_args[] = {
    {.name = "source", .type = "key", .key_spec_index = 0},
    {.name = "destination", .type = "key", .key_spec_index = 1},
    {.name = "timeout", .type = "double"},
    {0},
};

static const CommandArg cmd_docs_blmpop_where_args[] = {
    {.name = "left", .type = "pure-token", .token = "LEFT"},
    {.name = "right", .type = "pure-token", .token = "RIGHT"},
    {0},
};

const CommandArg cmd_docs_blmpop_args[] = {
    {.name = "timeout", .type = "double"},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "where", .type = "oneof", .subargs = cmd_docs_blmpop_where_args},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandHistory cmd_docs_lpush_history[] = {
    {"2.4.0", "Accepts multiple `element` arguments."},
    {0},
};

const CommandHistory cmd_docs_rpush_history[] = {
    {"2.4.0", "Accepts multiple `element` arguments."},
    {0},
};

const CommandHistory cmd_docs_lpushx_history[] = {
    {"4.0.0", "Accepts multiple `element` arguments."},
    {0},
};

const CommandHistory cmd_docs_rpushx_history[] = {
    {"4.0.0", "Accepts multiple `element` arguments."},
    {0},
};

const CommandHistory cmd_docs_lpop_history[] = {
    {"6.2.0", "Added the `count` argument."},
    {0},
};

const CommandHistory cmd_docs_rpop_history[] = {
    {"6.2.0", "Added the `count` argument."},
    {0},
};

const CommandHistory cmd_docs_blpop_history[] = {
    {"6.0.0", "`timeout` is interpreted as a double instead of an integer."},
    {0},
};

const CommandHistory cmd_docs_brpop_history[] = {
    {"6.0.0", "`timeout` is interpreted as a double instead of an integer."},
    {0},
};

const CommandHistory cmd_docs_brpoplpush_history[] = {
    {"6.0.0", "`timeout` is interpreted as a double instead of an integer."},
    {0},
};
