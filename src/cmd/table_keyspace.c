/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_keyspace.c: the keyspace command records (see cmd/groups.h):
 * SELECT, SWAPDB, MOVE, DBSIZE, FLUSHDB, FLUSHALL, KEYS, SCAN, RANDOMKEY,
 * EXISTS, DEL, UNLINK, TYPE, RENAME, RENAMENX, COPY, TOUCH, OBJECT, MEMORY.
 *
 * Flags, ACL categories and key specs are those COMMAND INFO shows for
 * Valkey 8.0 (Redis 7.0's, plus Valkey's few changes).
 *
 * Threads: main only (the records carry statistics).
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_keyspace.h"
#include "cmd/groups.h"
#include "db/keyspace.h"

static Command object_subcommands[] = {
    {.name = "encoding", .proc = cmd_object_encoding, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .since = "2.2.3", .group = "generic",
     .summary = "Returns the internal encoding of an object.", .complexity = "O(1)",
     .args = cmd_docs_key_args, .tips = cmd_tips_nondeterministic_output,
     .key_specs = cmd_spec_read_second},
    {.name = "freq", .proc = cmd_object_freq, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .since = "4.0.0", .group = "generic",
     .summary = "Returns the logarithmic access frequency counter of an object.",
     .complexity = "O(1)", .args = cmd_docs_key_args, .tips = cmd_tips_nondeterministic_output,
     .key_specs = cmd_spec_read_second},
    {.name = "idletime", .proc = cmd_object_idletime, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .since = "2.2.3", .group = "generic",
     .summary = "Returns the time since the last access to an object.", .complexity = "O(1)",
     .args = cmd_docs_key_args, .tips = cmd_tips_nondeterministic_output,
     .key_specs = cmd_spec_read_second},
    {.name = "refcount", .proc = cmd_object_refcount, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .since = "2.2.3", .group = "generic",
     .summary = "Returns the reference count of a value of a key.", .complexity = "O(1)",
     .args = cmd_docs_key_args, .tips = cmd_tips_nondeterministic_output,
     .key_specs = cmd_spec_read_second},
    {.name = "help", .proc = cmd_object_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_KEYSPACE | ACL_SLOW, .since = "6.2.0", .group = "generic",
     .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)"},
    {0},
};

static Command memory_subcommands[] = {
    {.name = "doctor", .proc = cmd_memory_doctor, .arity = 2, .acl = ACL_SLOW, .since = "4.0.0",
     .group = "server", .summary = "Outputs a memory problems report.", .complexity = "O(1)",
     .tips = cmd_tips_memory_report},
    {.name = "malloc-stats", .proc = cmd_memory_malloc_stats, .arity = 2, .flags = CMD_LOADING,
     .acl = ACL_SLOW, .since = "4.0.0", .group = "server",
     .summary = "Returns the allocator statistics.",
     .complexity = "Depends on how much memory is allocated, could be slow",
     .tips = cmd_tips_memory_report},
    {.name = "purge", .proc = cmd_memory_purge, .arity = 2, .flags = CMD_LOADING, .acl = ACL_SLOW,
     .since = "4.0.0", .group = "server", .summary = "Asks the allocator to release memory.",
     .complexity = "Depends on how much memory is allocated, could be slow",
     .tips = cmd_tips_all_shards_all_succeeded},
    {.name = "stats", .proc = cmd_memory_stats, .arity = 2, .acl = ACL_SLOW, .since = "4.0.0",
     .group = "server", .summary = "Returns details about memory usage.", .complexity = "O(1)",
     .tips = cmd_tips_memory_report},
    {.name = "usage", .proc = cmd_memory_usage, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SLOW, .since = "4.0.0", .group = "server",
     .summary = "Estimates the memory usage of a key.",
     .complexity = "O(N) where N is the number of samples.", .args = cmd_docs_memory_usage_args,
     .key_specs = cmd_spec_read_second},
    {.name = "help", .proc = cmd_memory_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .since = "4.0.0", .group = "server",
     .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)"},
    {0},
};

Command keyspace_commands[] = {
    {.name = "select", .proc = cmd_select, .arity = 2, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_FAST | ACL_CONNECTION, .since = "1.0.0", .group = "connection",
     .summary = "Changes the selected database.", .complexity = "O(1)",
     .args = cmd_docs_select_args},
    {.name = "swapdb", .proc = cmd_swapdb, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST | ACL_DANGEROUS, .since = "4.0.0",
     .group = "server", .summary = "Swaps two databases.",
     .complexity =
         "O(N) where N is the count of clients watching or blocking on keys from both databases.",
     .args = cmd_docs_swapdb_args},
    {.name = "move", .proc = cmd_move, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .since = "1.0.0", .group = "generic",
     .summary = "Moves a key to another database.", .complexity = "O(1)",
     .args = cmd_docs_move_args, .key_specs = cmd_spec_move},
    {.name = "dbsize", .proc = cmd_dbsize, .arity = 1, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .since = "1.0.0", .group = "server",
     .summary = "Returns the number of keys in the database.", .complexity = "O(1)",
     .tips = cmd_tips_all_shards_agg_sum},
    {.name = "flushdb", .proc = cmd_flushdb, .arity = -1, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0",
     .group = "server", .summary = "Removes all keys from the current database.",
     .complexity = "O(N) where N is the number of keys in the selected database",
     .args = cmd_docs_flush_args, .history = cmd_docs_flush_history,
     .tips = cmd_tips_all_shards_all_succeeded},
    {.name = "flushall", .proc = cmd_flushall, .arity = -1, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0",
     .group = "server", .summary = "Removes all keys from all databases.",
     .complexity = "O(N) where N is the total number of keys in all databases",
     .args = cmd_docs_flush_args, .history = cmd_docs_flush_history,
     .tips = cmd_tips_all_shards_all_succeeded},
    {.name = "keys", .proc = cmd_keys, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0",
     .group = "generic", .summary = "Returns all key names that match a pattern.",
     .complexity = "O(N) with N being the number of keys in the database, under the assumption "
                   "that the key names in the database and the given pattern have limited length.",
     .args = cmd_docs_keys_args, .tips = cmd_tips_keys},
    {.name = "scan", .proc = cmd_scan, .arity = -2,
     .flags = CMD_READONLY | CMD_TOUCHES_ARBITRARY_KEYS, .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW,
     .since = "2.8.0", .group = "generic",
     .summary = "Iterates over the key names in the database.",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough command "
                   "calls for the cursor to return back to 0. N is the number of elements inside "
                   "the collection.",
     .args = cmd_docs_scan_args, .history = cmd_docs_scan_history, .tips = cmd_tips_scan},
    {.name = "randomkey", .proc = cmd_randomkey, .arity = 1,
     .flags = CMD_READONLY | CMD_TOUCHES_ARBITRARY_KEYS, .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW,
     .since = "1.0.0", .group = "generic",
     .summary = "Returns a random key name from the database.", .complexity = "O(1)",
     .tips = cmd_tips_randomkey},
    {.name = "exists", .proc = cmd_exists, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .since = "1.0.0", .group = "generic",
     .summary = "Determines whether one or more keys exist.",
     .complexity = "O(N) where N is the number of keys to check.",
     .args = cmd_docs_key_multiple_args, .history = cmd_docs_exists_history,
     .tips = cmd_tips_multi_shard_agg_sum, .key_specs = cmd_spec_read_all},
    {.name = "del", .proc = cmd_del, .arity = -2, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW, .since = "1.0.0", .group = "generic",
     .summary = "Deletes one or more keys.",
     .complexity = "O(N) where N is the number of keys that will be removed. When a key to remove "
                   "holds a value other than a string, the individual complexity for this key is "
                   "O(M) where M is the number of elements in the list, set, sorted set or hash. "
                   "Removing a single key that holds a string value is O(1).",
     .args = cmd_docs_key_multiple_args, .tips = cmd_tips_multi_shard_agg_sum,
     .key_specs = cmd_spec_delete_all},
    {.name = "unlink", .proc = cmd_unlink, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .since = "4.0.0", .group = "generic",
     .summary = "Asynchronously deletes one or more keys.",
     .complexity = "O(1) for each key removed regardless of its size. Then the command does O(N) "
                   "work in a different thread in order to reclaim memory, where N is the number "
                   "of allocations the deleted objects where composed of.",
     .args = cmd_docs_key_multiple_args, .tips = cmd_tips_multi_shard_agg_sum,
     .key_specs = cmd_spec_delete_all},
    {.name = "type", .proc = cmd_type, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .since = "1.0.0", .group = "generic",
     .summary = "Determines the type of value stored at a key.", .complexity = "O(1)",
     .args = cmd_docs_key_args, .key_specs = cmd_spec_read_one},
    {.name = "rename", .proc = cmd_rename, .arity = 3, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW, .since = "1.0.0", .group = "generic",
     .summary = "Renames a key and overwrites the destination.", .complexity = "O(1)",
     .args = cmd_docs_rename_args, .key_specs = cmd_spec_rename},
    {.name = "renamenx", .proc = cmd_renamenx, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .since = "1.0.0", .group = "generic",
     .summary = "Renames a key only when the target key name doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_rename_args, .history = cmd_docs_renamenx_history,
     .key_specs = cmd_spec_renamenx},
    {.name = "copy", .proc = cmd_copy, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW, .since = "6.2.0", .group = "generic",
     .summary = "Copies the value of a key to a new key.",
     .complexity = "O(N) worst case for collections, where N is the number of nested items. O(1) "
                   "for string values.",
     .args = cmd_docs_copy_args, .key_specs = cmd_spec_copy},
    {.name = "touch", .proc = cmd_touch, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .since = "3.2.1", .group = "generic",
     .summary = "Returns the number of existing keys out of those specified after updating the "
                "time they were last accessed.",
     .complexity = "O(N) where N is the number of keys that will be touched.",
     .args = cmd_docs_key_multiple_args, .tips = cmd_tips_multi_shard_agg_sum,
     .key_specs = cmd_spec_read_all},
    {.name = "object", .arity = -2, .acl = ACL_SLOW, .since = "2.2.3", .group = "generic",
     .summary = "A container for object introspection commands.",
     .complexity = "Depends on subcommand.", .subcommands = object_subcommands},
    {.name = "memory", .arity = -2, .acl = ACL_SLOW, .since = "4.0.0", .group = "server",
     .summary = "A container for memory diagnostics commands.",
     .complexity = "Depends on subcommand.", .subcommands = memory_subcommands},
    {0},
};
