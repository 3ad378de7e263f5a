/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_sort.c: COMMAND DOCS data for SORT and SORT_RO: their arguments
 * as Valkey 8 documents them. Argument names are identifiers clients key
 * on, so they are copied exactly.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_sort.h"

static const CommandArg limit_args[] = {
    {.name = "offset", .type = "integer"},
    {.name = "count", .type = "integer"},
    {0},
};

static const CommandArg order_args[] = {
    {.name = "asc", .type = "pure-token", .token = "ASC"},
    {.name = "desc", .type = "pure-token", .token = "DESC"},
    {0},
};

#define SORT_COMMON_ARGS                                                                          \
    {.name = "key", .type = "key", .key_spec_index = 0},                                          \
    {.name = "by-pattern", .type = "pattern", .token = "BY", .flags = CMD_ARG_OPTIONAL,           \
     .display_text = "pattern", .key_spec_index = 1},                                             \
    {.name = "limit", .type = "block", .token = "LIMIT", .flags = CMD_ARG_OPTIONAL,               \
     .subargs = limit_args},                                                                      \
    {.name = "get-pattern", .type = "pattern", .token = "GET",                                    \
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE | CMD_ARG_MULTIPLE_TOKEN,                       \
     .display_text = "pattern", .key_spec_index = 1},                                             \
    {.name = "order", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .subargs = order_args},        \
    {.name = "sorting", .type = "pure-token", .token = "ALPHA", .flags = CMD_ARG_OPTIONAL}

const CommandArg cmd_docs_sort_args[] = {
    SORT_COMMON_ARGS,
    {.name = "destination", .type = "key", .token = "STORE", .flags = CMD_ARG_OPTIONAL,
     .key_spec_index = 2},
    {0},
};

const CommandArg cmd_docs_sort_ro_args[] = {
    SORT_COMMON_ARGS,
    {0},
};
