/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_multi.c: the transaction command records (see cmd/groups.h):
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH, implemented in server/multi.c.
 */
#include "cmd/command.h"
#include "cmd/docs_keyspace.h"
#include "cmd/groups.h"
#include "server/multi.h"

#define TX_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_RUNS_IN_MULTI)

static const KeySpec watch_spec[] = {
    {.flags = CMD_KEY_RO, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 1, 0}},
    {0},
};

Command multi_commands[] = {
    {.name = "multi", .proc = cmd_multi, .arity = 1, .flags = TX_FLAGS | CMD_FAST | CMD_ALLOW_BUSY,
     .acl = ACL_FAST | ACL_TRANSACTION, .since = "1.2.0", .group = "transactions",
     .summary = "Starts a transaction.", .complexity = "O(1)"},
    {.name = "exec", .proc = cmd_exec, .arity = 1, .flags = TX_FLAGS | CMD_SKIP_SLOWLOG,
     .acl = ACL_SLOW | ACL_TRANSACTION, .since = "1.2.0", .group = "transactions",
     .summary = "Executes all commands in a transaction.",
     .complexity = "Depends on commands in the transaction"},
    {.name = "discard", .proc = cmd_discard, .arity = 1,
     .flags = TX_FLAGS | CMD_FAST | CMD_ALLOW_BUSY, .acl = ACL_FAST | ACL_TRANSACTION,
     .since = "2.0.0", .group = "transactions", .summary = "Discards a transaction.",
     .complexity = "O(N), when N is the number of queued commands"},
    {.name = "watch", .proc = cmd_watch, .arity = -2,
     .flags = TX_FLAGS | CMD_FAST | CMD_ALLOW_BUSY, .acl = ACL_FAST | ACL_TRANSACTION,
     .since = "2.2.0", .group = "transactions",
     .summary = "Monitors changes to keys to determine the execution of a transaction.",
     .complexity = "O(1) for every key.", .args = cmd_docs_key_multiple_args,
     .key_specs = watch_spec},
    /* Queued inside MULTI, as in Valkey: only the others run at once. */
    {.name = "unwatch", .proc = cmd_unwatch, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_ALLOW_BUSY,
     .acl = ACL_FAST | ACL_TRANSACTION, .since = "2.2.0", .group = "transactions",
     .summary = "Forgets about watched keys of a transaction.", .complexity = "O(1)"},
    {0},
};
