/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_bitmap.c: COMMAND DOCS data for the "bitmap" group (SETBIT,
 * GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO): arguments and
 * history notes.
 *
 * Data only, as Valkey 8.0 documents these commands; argument names are
 * identifiers clients key on, so they are copied exactly, quirks included.
 *
 * Threads: read-only data; any thread.
 */
#include "cmd/docs_bitmap.h"

const CommandArg cmd_docs_setbit_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "offset", .type = "integer"},
    {.name = "value", .type = "integer"},
    {0},
};

const CommandArg cmd_docs_getbit_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "offset", .type = "integer"},
    {0},
};

/* BITCOUNT and BITPOS share their range arguments. */
static const CommandArg unit_args[] = {
    {.name = "byte", .type = "pure-token", .token = "BYTE"},
    {.name = "bit", .type = "pure-token", .token = "BIT"},
    {0},
};

static const CommandArg end_unit_args[] = {
    {.name = "end", .type = "integer"},
    {.name = "unit", .type = "oneof", .flags = CMD_ARG_OPTIONAL, .subargs = unit_args,
     .since = "7.0.0"},
    {0},
};

static const CommandArg range_args[] = {
    {.name = "start", .type = "integer"},
    {.name = "end-unit-block", .type = "block", .flags = CMD_ARG_OPTIONAL,
     .subargs = end_unit_args},
    {0},
};

const CommandArg cmd_docs_bitcount_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "range", .type = "block", .flags = CMD_ARG_OPTIONAL, .subargs = range_args},
    {0},
};

const CommandHistory cmd_docs_bitcount_history[] = {
    {"7.0.0", "Added the `BYTE|BIT` option."},
    {"8.0.0", "`end` made optional; when called without argument the command reports the last "
              "BYTE."},
    {0},
};

const CommandArg cmd_docs_bitpos_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "bit", .type = "integer"},
    {.name = "range", .type = "block", .flags = CMD_ARG_OPTIONAL, .subargs = range_args},
    {0},
};

const CommandHistory cmd_docs_bitpos_history[] = {
    {"7.0.0", "Added the `BYTE|BIT` option."},
    {0},
};

static const CommandArg bitop_operation_args[] = {
    {.name = "and", .type = "pure-token", .token = "AND"},
    {.name = "or", .type = "pure-token", .token = "OR"},
    {.name = "xor", .type = "pure-token", .token = "XOR"},
    {.name = "not", .type = "pure-token", .token = "NOT"},
    {0},
};

const CommandArg cmd_docs_bitop_args[] = {
    {.name = "operation", .type = "oneof", .subargs = bitop_operation_args},
    {.name = "destkey", .type = "key", .key_spec_index = 0},
    {.name = "key", .type = "key", .key_spec_index = 1, .flags = CMD_ARG_MULTIPLE},
    {0},
};

/* ---- BITFIELD ---- */

static const CommandArg bitfield_get_args[] = {
    {.name = "encoding", .type = "string"},
    {.name = "offset", .type = "integer"},
    {0},
};

static const CommandArg bitfield_overflow_args[] = {
    {.name = "wrap", .type = "pure-token", .token = "WRAP"},
    {.name = "sat", .type = "pure-token", .token = "SAT"},
    {.name = "fail", .type = "pure-token", .token = "FAIL"},
    {0},
};

static const CommandArg bitfield_set_args[] = {
    {.name = "encoding", .type = "string"},
    {.name = "offset", .type = "integer"},
    {.name = "value", .type = "integer"},
    {0},
};

static const CommandArg bitfield_incrby_args[] = {
    {.name = "encoding", .type = "string"},
    {.name = "offset", .type = "integer"},
    {.name = "increment", .type = "integer"},
    {0},
};

static const CommandArg bitfield_write_operation_args[] = {
    {.name = "set-block", .type = "block", .token = "SET", .subargs = bitfield_set_args},
    {.name = "incrby-block", .type = "block", .token = "INCRBY", .subargs = bitfield_incrby_args},
    {0},
};

static const CommandArg bitfield_write_args[] = {
    {.name = "overflow-block", .type = "oneof", .token = "OVERFLOW", .flags = CMD_ARG_OPTIONAL,
     .subargs = bitfield_overflow_args},
    {.name = "write-operation", .type = "oneof", .subargs = bitfield_write_operation_args},
    {0},
};

static const CommandArg bitfield_operation_args[] = {
    {.name = "get-block", .type = "block", .token = "GET", .subargs = bitfield_get_args},
    {.name = "write", .type = "block", .subargs = bitfield_write_args},
    {0},
};

const CommandArg cmd_docs_bitfield_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "operation", .type = "oneof", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE,
     .subargs = bitfield_operation_args},
    {0},
};

const CommandArg cmd_docs_bitfield_ro_args[] = {
    {.name = "key", .type = "key", .key_spec_index = 0},
    {.name = "get-block", .type = "block", .token = "GET",
     .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE | CMD_ARG_MULTIPLE_TOKEN,
     .subargs = bitfield_get_args},
    {0},
};
