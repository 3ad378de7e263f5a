/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_expire.c: the expire command records (see cmd/groups.h):
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME
 * and PERSIST, implemented in db/expire_cmd.c.
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_expire.h"
#include "cmd/groups.h"
#include "cmd/key_specs.h"
#include "db/expire.h"

#define EXPIRE_SET_RECORD(cmd_name, cmd_proc, cmd_since, cmd_summary, cmd_args)                   \
    {.name = cmd_name, .proc = cmd_proc, .arity = -3, .flags = CMD_WRITE | CMD_FAST,              \
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .since = cmd_since, .group = "generic",          \
     .summary = cmd_summary, .complexity = "O(1)", .args = cmd_args,                              \
     .history = cmd_docs_expire_history, .key_specs = cmd_spec_key1_rw_update}

#define EXPIRE_READ_RECORD(cmd_name, cmd_proc, cmd_since, cmd_summary, cmd_history, cmd_tips)     \
    {.name = cmd_name, .proc = cmd_proc, .arity = 2, .flags = CMD_READONLY | CMD_FAST,            \
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .since = cmd_since, .group = "generic",           \
     .summary = cmd_summary, .complexity = "O(1)", .args = cmd_docs_expire_key_args,              \
     .history = cmd_history, .tips = cmd_tips, .key_specs = cmd_spec_key1_ro_access}

Command expire_commands[] = {
    EXPIRE_SET_RECORD("expire", cmd_expire, "1.0.0",
                      "Sets the expiration time of a key in seconds.", cmd_docs_expire_args),
    EXPIRE_SET_RECORD("pexpire", cmd_pexpire, "2.6.0",
                      "Sets the expiration time of a key in milliseconds.", cmd_docs_pexpire_args),
    EXPIRE_SET_RECORD("expireat", cmd_expireat, "1.2.0",
                      "Sets the expiration time of a key to a Unix timestamp.",
                      cmd_docs_expireat_args),
    EXPIRE_SET_RECORD("pexpireat", cmd_pexpireat, "2.6.0",
                      "Sets the expiration time of a key to a Unix milliseconds timestamp.",
                      cmd_docs_pexpireat_args),
    EXPIRE_READ_RECORD("ttl", cmd_ttl, "1.0.0", "Returns the expiration time in seconds of a key.",
                       cmd_docs_ttl_history, cmd_tips_nondeterministic_output),
    EXPIRE_READ_RECORD("pttl", cmd_pttl, "2.6.0",
                       "Returns the expiration time in milliseconds of a key.",
                       cmd_docs_ttl_history, cmd_tips_nondeterministic_output),
    EXPIRE_READ_RECORD("expiretime", cmd_expiretime, "7.0.0",
                       "Returns the expiration time of a key as a Unix timestamp.", NULL, NULL),
    EXPIRE_READ_RECORD("pexpiretime", cmd_pexpiretime, "7.0.0",
                       "Returns the expiration time of a key as a Unix milliseconds timestamp.",
                       NULL, NULL),
    {.name = "persist", .proc = cmd_persist, .arity = 2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .since = "2.2.0", .group = "generic",
     .summary = "Removes the expiration time of a key.", .complexity = "O(1)",
     .args = cmd_docs_expire_key_args, .key_specs = cmd_spec_key1_rw_update},
    {0},
};
