/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_persist.c: the persistence command records (see cmd/groups.h),
 * as Valkey 8 declares them; the procs live in persist/, the argument docs
 * in cmd/docs_persist.c.
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_persist.h"
#include "cmd/groups.h"
#include "persist/aof.h"
#include "persist/persist.h"

static const KeySpec dump_specs[] = {
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0},
};

static const KeySpec restore_specs[] = {
    {.flags = CMD_KEY_OW | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0},
};

Command persist_commands[] = {
    {.name = "save", .proc = cmd_save, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING | CMD_NO_MULTI,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "Synchronously saves the database(s) to disk.", .complexity =
     "O(N) where N is the total number of keys in all databases"},
    {.name = "bgsave", .proc = cmd_bgsave, .arity = -1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "Asynchronously saves the database(s) to disk.", .complexity = "O(1)",
     .args = cmd_docs_bgsave_args, .history = cmd_docs_bgsave_history},
    {.name = "bgrewriteaof", .proc = cmd_bgrewriteaof, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "Asynchronously rewrites the append-only file to disk.", .complexity = "O(1)"},
    {.name = "lastsave", .proc = cmd_lastsave, .arity = 1,
     .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_ADMIN | ACL_FAST | ACL_DANGEROUS, .since = "1.0.0", .group = "server",
     .summary = "Returns the Unix timestamp of the last successful save to disk.",
     .complexity = "O(1)", .tips = cmd_tips_nondeterministic_output},
    {.name = "dump", .proc = cmd_dump, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .since = "2.6.0", .group = "generic",
     .summary = "Returns a serialized representation of the value stored at a key.",
     .complexity = "O(1) to access the key and additional O(N*M) to serialize it, where N is "
                   "the number of objects composing the value and M their average size. For "
                   "small string values the time complexity is thus O(1)+O(1*M) where M is "
                   "small, so simply O(1).",
     .args = cmd_docs_dump_args, .tips = cmd_tips_nondeterministic_output,
     .key_specs = dump_specs},
    {.name = "restore", .proc = cmd_restore, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW | ACL_DANGEROUS, .since = "2.6.0",
     .group = "generic",
     .summary = "Creates a key from the serialized representation of a value.",
     .complexity = "O(1) to create the new key and additional O(N*M) to reconstruct the "
                   "serialized value, where N is the number of objects composing the value "
                   "and M their average size. For small string values the time complexity is "
                   "thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set "
                   "values the complexity is O(N*M*log(N)) because inserting values into "
                   "sorted sets is O(log(N)).",
     .args = cmd_docs_restore_args, .history = cmd_docs_restore_history,
     .key_specs = restore_specs},
    {0},
};
