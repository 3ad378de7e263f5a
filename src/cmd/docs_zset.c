/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_zset.c: COMMAND DOCS data for the sorted set commands:
 * arguments and history notes as Valkey documents them (7.0's records, plus
 * WITHSCORE for ZRANK/ZREVRANK from 7.2 and NOSCORES for ZSCAN from 8.0).
 * Argument names are identifiers clients key on, so they are kept exact.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_zset.h"

static const CommandArg zset_zadd_condition_args[] = {
    {.name = "nx", .type = "pure-token", .token = "NX"},
    {.name = "xx", .type = "pure-token", .token = "XX"},
    {0},
};

static const CommandArg zset_zadd_comparison_args[] = {
    {.name = "gt", .type = "pure-token", .token = "GT"},
    {.name = "lt", .type = "pure-token", .token = "LT"},
    {0},
};

static const CommandArg zset_zadd_score_member_args[] = {
    {.name = "score", .type = "double"},
    {.name = "member", .type = "string"},
    {0},
};

const CommandArg cmd_docs_zadd_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "condition",
     .type = "oneof",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zadd_condition_args,
     .since = "3.0.2"},
    {.name = "comparison",
     .type = "oneof",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zadd_comparison_args,
     .since = "6.2.0"},
    {.name = "change",
     .type = "pure-token",
     .token = "CH",
     .flags = CMD_ARG_OPTIONAL,
     .since = "3.0.2"},
    {.name = "increment",
     .type = "pure-token",
     .token = "INCR",
     .flags = CMD_ARG_OPTIONAL,
     .since = "3.0.2"},
    {.name = "score_member",
     .type = "block",
     .flags = CMD_ARG_MULTIPLE,
     .subargs = zset_zadd_score_member_args},
    {0},
};

const CommandHistory cmd_docs_zadd_history[] = {
    {"2.4.0", "Accepts multiple elements."},
    {"3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."},
    {"6.2.0", "Added the `GT` and `LT` options."},
    {0},
};

const CommandArg cmd_docs_zincrby_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "increment", .type = "integer"},
    {.name = "member", .type = "string"},
    {0},
};

const CommandArg cmd_docs_zrem_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "member", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandHistory cmd_docs_zrem_history[] = {
    {"2.4.0", "Accepts multiple elements."},
    {0},
};

const CommandArg cmd_docs_zcard_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {0},
};

const CommandArg cmd_docs_zscore_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "member", .type = "string"},
    {0},
};

const CommandArg cmd_docs_zmscore_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "member", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_zrank_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "member", .type = "string"},
    {.name = "withscore",
     .type = "pure-token",
     .token = "WITHSCORE",
     .flags = CMD_ARG_OPTIONAL,
     .since = "7.2.0"},
    {0},
};

const CommandHistory cmd_docs_zrank_history[] = {
    {"7.2.0", "Added the optional `WITHSCORE` argument."},
    {0},
};

const CommandArg cmd_docs_zrevrank_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "member", .type = "string"},
    {.name = "withscore",
     .type = "pure-token",
     .token = "WITHSCORE",
     .flags = CMD_ARG_OPTIONAL,
     .since = "7.2.0"},
    {0},
};

const CommandHistory cmd_docs_zrevrank_history[] = {
    {"7.2.0", "Added the optional `WITHSCORE` argument."},
    {0},
};

static const CommandArg zset_zrange_sortby_args[] = {
    {.name = "byscore", .type = "pure-token", .token = "BYSCORE"},
    {.name = "bylex", .type = "pure-token", .token = "BYLEX"},
    {0},
};

static const CommandArg zset_zrange_offset_count_args[] = {
    {.name = "offset", .type = "integer"},
    {.name = "count", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_zrange_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "start", .type = "string"},
    {.name = "stop", .type = "string"},
    {.name = "sortby",
     .type = "oneof",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrange_sortby_args,
     .since = "6.2.0"},
    {.name = "rev",
     .type = "pure-token",
     .token = "REV",
     .flags = CMD_ARG_OPTIONAL,
     .since = "6.2.0"},
    {.name = "offset_count",
     .type = "block",
     .token = "LIMIT",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrange_offset_count_args,
     .since = "6.2.0"},
    {.name = "withscores", .type = "pure-token", .token = "WITHSCORES", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandHistory cmd_docs_zrange_history[] = {
    {"6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."},
    {0},
};

static const CommandArg zset_zrangestore_sortby_args[] = {
    {.name = "byscore", .type = "pure-token", .token = "BYSCORE"},
    {.name = "bylex", .type = "pure-token", .token = "BYLEX"},
    {0},
};

static const CommandArg zset_zrangestore_offset_count_args[] = {
    {.name = "offset", .type = "integer"},
    {.name = "count", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_zrangestore_args[] = {
    {.name = "dst", .type = "key", .key_spec_index = 0},
    {.name = "src", .type = "key", .key_spec_index = 1},
    {.name = "min", .type = "string"},
    {.name = "max", .type = "string"},
    {.name = "sortby",
     .type = "oneof",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrangestore_sortby_args},
    {.name = "rev", .type = "pure-token", .token = "REV", .flags = CMD_ARG_OPTIONAL},
    {.name = "offset_count",
     .type = "block",
     .token = "LIMIT",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrangestore_offset_count_args},
    {0},
};

const CommandArg cmd_docs_zrevrange_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "start", .type = "integer"},
    {.name = "stop", .type = "integer"},
    {.name = "withscores", .type = "pure-token", .token = "WITHSCORES", .flags = CMD_ARG_OPTIONAL},
    {0},
};

static const CommandArg zset_zrangebyscore_offset_count_args[] = {
    {.name = "offset", .type = "integer"},
    {.name = "count", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_zrangebyscore_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "min", .type = "double"},
    {.name = "max", .type = "double"},
    {.name = "withscores",
     .type = "pure-token",
     .token = "WITHSCORES",
     .flags = CMD_ARG_OPTIONAL,
     .since = "2.0.0"},
    {.name = "offset_count",
     .type = "block",
     .token = "LIMIT",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrangebyscore_offset_count_args},
    {0},
};

const CommandHistory cmd_docs_zrangebyscore_history[] = {
    {"2.0.0", "Added the `WITHSCORES` modifier."},
    {0},
};

static const CommandArg zset_zrevrangebyscore_offset_count_args[] = {
    {.name = "offset", .type = "integer"},
    {.name = "count", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_zrevrangebyscore_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "max", .type = "double"},
    {.name = "min", .type = "double"},
    {.name = "withscores", .type = "pure-token", .token = "WITHSCORES", .flags = CMD_ARG_OPTIONAL},
    {.name = "offset_count",
     .type = "block",
     .token = "LIMIT",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrevrangebyscore_offset_count_args},
    {0},
};

const CommandHistory cmd_docs_zrevrangebyscore_history[] = {
    {"2.1.6", "`min` and `max` can be exclusive."},
    {0},
};

static const CommandArg zset_zrangebylex_offset_count_args[] = {
    {.name = "offset", .type = "integer"},
    {.name = "count", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_zrangebylex_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "min", .type = "string"},
    {.name = "max", .type = "string"},
    {.name = "offset_count",
     .type = "block",
     .token = "LIMIT",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrangebylex_offset_count_args},
    {0},
};

static const CommandArg zset_zrevrangebylex_offset_count_args[] = {
    {.name = "offset", .type = "integer"},
    {.name = "count", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_zrevrangebylex_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "max", .type = "string"},
    {.name = "min", .type = "string"},
    {.name = "offset_count",
     .type = "block",
     .token = "LIMIT",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrevrangebylex_offset_count_args},
    {0},
};

const CommandArg cmd_docs_zcount_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "min", .type = "double"},
    {.name = "max", .type = "double"},
    {0},
};

const CommandArg cmd_docs_zlexcount_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "min", .type = "string"},
    {.name = "max", .type = "string"},
    {0},
};

const CommandArg cmd_docs_zremrangebyrank_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "start", .type = "integer"},
    {.name = "stop", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_zremrangebyscore_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "min", .type = "double"},
    {.name = "max", .type = "double"},
    {0},
};

const CommandArg cmd_docs_zremrangebylex_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "min", .type = "string"},
    {.name = "max", .type = "string"},
    {0},
};

const CommandArg cmd_docs_zpopmin_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "count", .type = "integer", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_zpopmax_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "count", .type = "integer", .flags = CMD_ARG_OPTIONAL},
    {0},
};

static const CommandArg zset_zmpop_where_args[] = {
    {.name = "min", .type = "pure-token", .token = "MIN"},
    {.name = "max", .type = "pure-token", .token = "MAX"},
    {0},
};

const CommandArg cmd_docs_zmpop_args[] = {
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "where", .type = "oneof", .subargs = zset_zmpop_where_args},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_bzpopmin_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "timeout", .type = "double"},
    {0},
};

const CommandHistory cmd_docs_bzpopmin_history[] = {
    {"6.0.0", "`timeout` is interpreted as a double instead of an integer."},
    {0},
};

const CommandArg cmd_docs_bzpopmax_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "timeout", .type = "double"},
    {0},
};

const CommandHistory cmd_docs_bzpopmax_history[] = {
    {"6.0.0", "`timeout` is interpreted as a double instead of an integer."},
    {0},
};

static const CommandArg zset_bzmpop_where_args[] = {
    {.name = "min", .type = "pure-token", .token = "MIN"},
    {.name = "max", .type = "pure-token", .token = "MAX"},
    {0},
};

const CommandArg cmd_docs_bzmpop_args[] = {
    {.name = "timeout", .type = "double"},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "where", .type = "oneof", .subargs = zset_bzmpop_where_args},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {0},
};

static const CommandArg zset_zrandmember_options_args[] = {
    {.name = "count", .type = "integer"},
    {.name = "withscores", .type = "pure-token", .token = "WITHSCORES", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_zrandmember_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "options",
     .type = "block",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zrandmember_options_args},
    {0},
};

static const CommandArg zset_zunion_aggregate_args[] = {
    {.name = "sum", .type = "pure-token", .token = "SUM"},
    {.name = "min", .type = "pure-token", .token = "MIN"},
    {.name = "max", .type = "pure-token", .token = "MAX"},
    {0},
};

const CommandArg cmd_docs_zunion_args[] = {
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "weight",
     .type = "integer",
     .token = "WEIGHTS",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {.name = "aggregate",
     .type = "oneof",
     .token = "AGGREGATE",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zunion_aggregate_args},
    {.name = "withscores", .type = "pure-token", .token = "WITHSCORES", .flags = CMD_ARG_OPTIONAL},
    {0},
};

static const CommandArg zset_zinter_aggregate_args[] = {
    {.name = "sum", .type = "pure-token", .token = "SUM"},
    {.name = "min", .type = "pure-token", .token = "MIN"},
    {.name = "max", .type = "pure-token", .token = "MAX"},
    {0},
};

const CommandArg cmd_docs_zinter_args[] = {
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "weight",
     .type = "integer",
     .token = "WEIGHTS",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {.name = "aggregate",
     .type = "oneof",
     .token = "AGGREGATE",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zinter_aggregate_args},
    {.name = "withscores", .type = "pure-token", .token = "WITHSCORES", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_zdiff_args[] = {
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "withscores", .type = "pure-token", .token = "WITHSCORES", .flags = CMD_ARG_OPTIONAL},
    {0},
};

static const CommandArg zset_zunionstore_aggregate_args[] = {
    {.name = "sum", .type = "pure-token", .token = "SUM"},
    {.name = "min", .type = "pure-token", .token = "MIN"},
    {.name = "max", .type = "pure-token", .token = "MAX"},
    {0},
};

const CommandArg cmd_docs_zunionstore_args[] = {
    {.name = "destination", .type = "key", .key_spec_index = 0},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 1, .flags = CMD_ARG_MULTIPLE},
    {.name = "weight",
     .type = "integer",
     .token = "WEIGHTS",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {.name = "aggregate",
     .type = "oneof",
     .token = "AGGREGATE",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zunionstore_aggregate_args},
    {0},
};

static const CommandArg zset_zinterstore_aggregate_args[] = {
    {.name = "sum", .type = "pure-token", .token = "SUM"},
    {.name = "min", .type = "pure-token", .token = "MIN"},
    {.name = "max", .type = "pure-token", .token = "MAX"},
    {0},
};

const CommandArg cmd_docs_zinterstore_args[] = {
    {.name = "destination", .type = "key", .key_spec_index = 0},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 1, .flags = CMD_ARG_MULTIPLE},
    {.name = "weight",
     .type = "integer",
     .token = "WEIGHTS",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {.name = "aggregate",
     .type = "oneof",
     .token = "AGGREGATE",
     .flags = CMD_ARG_OPTIONAL,
     .subargs = zset_zinterstore_aggregate_args},
    {0},
};

const CommandArg cmd_docs_zdiffstore_args[] = {
    {.name = "destination", .type = "key", .key_spec_index = 0},
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 1, .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_zintercard_args[] = {
    {.name = "numkeys", .type = "integer"},
    {.name = "key", .type = "key", .key_spec_index = 0, .flags = CMD_ARG_MULTIPLE},
    {.name = "limit", .type = "integer", .token = "LIMIT", .flags = CMD_ARG_OPTIONAL},
    {0},
};

const CommandArg cmd_docs_zscan_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "cursor", .type = "integer"},
    {.name = "pattern", .type = "pattern", .token = "MATCH", .flags = CMD_ARG_OPTIONAL},
    {.name = "count", .type = "integer", .token = "COUNT", .flags = CMD_ARG_OPTIONAL},
    {.name = "noscores",
     .type = "pure-token",
     .token = "NOSCORES",
     .flags = CMD_ARG_OPTIONAL,
     .since = "8.0.0"},
    {0},
};

const CommandHistory cmd_docs_zscan_history[] = {
    {"8.0.0", "Added noscores option."},
    {0},
};
