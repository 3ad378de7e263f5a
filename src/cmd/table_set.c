/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_set.c: the set command records (see cmd/groups.h), with the
 * flags, ACL categories and key specs COMMAND INFO shows on redis-server
 * 7.0; the procs live in types/set_*.c, the argument docs in
 * cmd/docs_set.c.
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_set.h"
#include "cmd/groups.h"
#include "cmd/key_specs.h"
#include "types/set.h"

/* One key spec at argv[pos], covering keys up to lastkey (relative). */
#define RANGE_SPEC(key_flags, pos, last)                                                          \
    {.flags = (key_flags), .begin_search = KSPEC_BS_INDEX, .bs.index = {pos},                     \
     .find_keys = KSPEC_FK_RANGE, .fk.range = {last, 1, 0}}

static const KeySpec ro_specs[] = {RANGE_SPEC(CMD_KEY_RO, 1, 0), {0}};
static const KeySpec ro_access_specs[] = {RANGE_SPEC(CMD_KEY_RO | CMD_KEY_ACCESS, 1, 0), {0}};
static const KeySpec rw_insert_specs[] = {RANGE_SPEC(CMD_KEY_RW | CMD_KEY_INSERT, 1, 0), {0}};
static const KeySpec rw_delete_specs[] = {RANGE_SPEC(CMD_KEY_RW | CMD_KEY_DELETE, 1, 0), {0}};
static const KeySpec rw_access_delete_specs[] = {
    RANGE_SPEC(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE, 1, 0), {0}};
static const KeySpec smove_specs[] = {
    RANGE_SPEC(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE, 1, 0),
    RANGE_SPEC(CMD_KEY_RW | CMD_KEY_INSERT, 2, 0),
    {0},
};
static const KeySpec keys_read_specs[] = {RANGE_SPEC(CMD_KEY_RO | CMD_KEY_ACCESS, 1, -1), {0}};
static const KeySpec sinterstore_specs[] = {
    RANGE_SPEC(CMD_KEY_RW | CMD_KEY_UPDATE, 1, 0),
    RANGE_SPEC(CMD_KEY_RO | CMD_KEY_ACCESS, 2, -1),
    {0},
};
static const KeySpec store_specs[] = {
    RANGE_SPEC(CMD_KEY_OW | CMD_KEY_UPDATE, 1, 0),
    RANGE_SPEC(CMD_KEY_RO | CMD_KEY_ACCESS, 2, -1),
    {0},
};
#define SET_READ_FAST CMD_READONLY | CMD_FAST, .acl = ACL_READ | ACL_SET | ACL_FAST
#define SET_READ_SLOW CMD_READONLY, .acl = ACL_READ | ACL_SET | ACL_SLOW
#define INTER_COMPLEXITY                                                                          \
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "    \
    "sets."
#define ALL_ELEMENTS_COMPLEXITY "O(N) where N is the total number of elements in all given sets."

Command set_commands[] = {
    {.name = "sadd", .proc = cmd_sadd, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .since = "1.0.0", .group = "set",
     .summary = "Adds one or more members to a set. Creates the key if it doesn't exist.",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command is "
                   "called with multiple arguments.",
     .args = cmd_docs_set_key_members_args, .history = cmd_docs_set_multiple_members_history,
     .key_specs = rw_insert_specs},
    {.name = "srem", .proc = cmd_srem, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .since = "1.0.0", .group = "set",
     .summary = "Removes one or more members from a set. Deletes the set if the last member was "
                "removed.",
     .complexity = "O(N) where N is the number of members to be removed.",
     .args = cmd_docs_set_key_members_args, .history = cmd_docs_set_multiple_members_history,
     .key_specs = rw_delete_specs},
    {.name = "scard", .proc = cmd_scard, .arity = 2, .flags = SET_READ_FAST, .since = "1.0.0",
     .group = "set", .summary = "Returns the number of members in a set.", .complexity = "O(1)",
     .args = cmd_docs_set_key_args, .key_specs = ro_specs},
    {.name = "sismember", .proc = cmd_sismember, .arity = 3, .flags = SET_READ_FAST,
     .since = "1.0.0", .group = "set",
     .summary = "Determines whether a member belongs to a set.", .complexity = "O(1)",
     .args = cmd_docs_set_key_member_args, .key_specs = ro_specs},
    {.name = "smismember", .proc = cmd_smismember, .arity = -3, .flags = SET_READ_FAST,
     .since = "6.2.0", .group = "set",
     .summary = "Determines whether multiple members belong to a set.",
     .complexity = "O(N) where N is the number of elements being checked for membership",
     .args = cmd_docs_set_key_members_args, .key_specs = ro_access_specs},
    {.name = "smembers", .proc = cmd_smembers, .arity = 2, .flags = SET_READ_SLOW,
     .since = "1.0.0", .group = "set", .summary = "Returns all members of a set.",
     .complexity = "O(N) where N is the set cardinality.", .args = cmd_docs_set_key_args,
     .tips = cmd_tips_nondeterministic_output_order, .key_specs = ro_access_specs},
    {.name = "spop", .proc = cmd_spop, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .since = "1.0.0", .group = "set",
     .summary = "Returns one or more random members from a set after removing them. Deletes the "
                "set if the last member was popped.",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the value of the "
                   "passed count.",
     .args = cmd_docs_spop_args, .tips = cmd_tips_nondeterministic_output,
     .history = cmd_docs_spop_history, .key_specs = rw_access_delete_specs},
    {.name = "srandmember", .proc = cmd_srandmember, .arity = -2, .flags = SET_READ_SLOW,
     .since = "1.0.0", .group = "set", .summary = "Get one or multiple random members from a set",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the absolute "
                   "value of the passed count.",
     .args = cmd_docs_srandmember_args, .tips = cmd_tips_nondeterministic_output,
     .history = cmd_docs_srandmember_history, .key_specs = ro_access_specs},
    {.name = "smove", .proc = cmd_smove, .arity = 4, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .since = "1.0.0", .group = "set",
     .summary = "Moves a member from one set to another.", .complexity = "O(1)",
     .args = cmd_docs_smove_args, .key_specs = smove_specs},
    {.name = "sinter", .proc = cmd_sinter, .arity = -2, .flags = SET_READ_SLOW,
     .since = "1.0.0", .group = "set", .summary = "Returns the intersect of multiple sets.",
     .complexity = INTER_COMPLEXITY, .args = cmd_docs_set_keys_args,
     .tips = cmd_tips_nondeterministic_output_order, .key_specs = keys_read_specs},
    {.name = "sintercard", .proc = cmd_sintercard, .arity = -3, .flags = SET_READ_SLOW,
     .since = "7.0.0", .group = "set",
     .summary = "Returns the number of members of the intersect of multiple sets.",
     .complexity = INTER_COMPLEXITY, .args = cmd_docs_sintercard_args,
     .key_specs = cmd_spec_numkeys1_ro_access},
    {.name = "sinterstore", .proc = cmd_sinterstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ACL_WRITE | ACL_SET | ACL_SLOW, .since = "1.0.0",
     .group = "set", .summary = "Stores the intersect of multiple sets in a key.",
     .complexity = INTER_COMPLEXITY, .args = cmd_docs_set_store_args,
     .key_specs = sinterstore_specs},
    {.name = "sunion", .proc = cmd_sunion, .arity = -2, .flags = SET_READ_SLOW,
     .since = "1.0.0", .group = "set", .summary = "Returns the union of multiple sets.",
     .complexity = ALL_ELEMENTS_COMPLEXITY, .args = cmd_docs_set_keys_args,
     .tips = cmd_tips_nondeterministic_output_order, .key_specs = keys_read_specs},
    {.name = "sunionstore", .proc = cmd_sunionstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ACL_WRITE | ACL_SET | ACL_SLOW, .since = "1.0.0",
     .group = "set", .summary = "Stores the union of multiple sets in a key.",
     .complexity = ALL_ELEMENTS_COMPLEXITY, .args = cmd_docs_set_store_args,
     .key_specs = store_specs},
    {.name = "sdiff", .proc = cmd_sdiff, .arity = -2, .flags = SET_READ_SLOW, .since = "1.0.0",
     .group = "set", .summary = "Returns the difference of multiple sets.",
     .complexity = ALL_ELEMENTS_COMPLEXITY, .args = cmd_docs_set_keys_args,
     .tips = cmd_tips_nondeterministic_output_order, .key_specs = keys_read_specs},
    {.name = "sdiffstore", .proc = cmd_sdiffstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ACL_WRITE | ACL_SET | ACL_SLOW, .since = "1.0.0",
     .group = "set", .summary = "Stores the difference of multiple sets in a key.",
     .complexity = ALL_ELEMENTS_COMPLEXITY, .args = cmd_docs_set_store_args,
     .key_specs = store_specs},
    {.name = "sscan", .proc = cmd_sscan, .arity = -3, .flags = SET_READ_SLOW, .since = "2.8.0",
     .group = "set", .summary = "Iterates over members of a set.",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.",
     .args = cmd_docs_sscan_args, .tips = cmd_tips_nondeterministic_output,
     .key_specs = ro_access_specs},
    {0},
};
