/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_hash.c: the hash command records (see cmd/groups.h): HSET,
 * HGET, ... and the Valkey 9 field expiry commands. Flags, ACL categories
 * and key specs match redis-server 7.0 for the commands it has, and
 * Valkey 9's for the rest; the procs live in types/hash_*.c, the argument
 * docs in cmd/docs_hash.c.
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_hash.h"
#include "cmd/groups.h"
#include "types/hash.h"

/* One key spec at argv[1] with the given flags. */
#define KEY1_SPEC(key_flags)                                                                      \
    {.flags = (key_flags), .begin_search = KSPEC_BS_INDEX, .bs.index = {1},                       \
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}}

static const KeySpec ro_specs[] = {KEY1_SPEC(CMD_KEY_RO), {0}};
static const KeySpec ro_access_specs[] = {KEY1_SPEC(CMD_KEY_RO | CMD_KEY_ACCESS), {0}};
static const KeySpec rw_update_specs[] = {KEY1_SPEC(CMD_KEY_RW | CMD_KEY_UPDATE), {0}};
static const KeySpec rw_insert_specs[] = {KEY1_SPEC(CMD_KEY_RW | CMD_KEY_INSERT), {0}};
static const KeySpec rw_delete_specs[] = {KEY1_SPEC(CMD_KEY_RW | CMD_KEY_DELETE), {0}};
static const KeySpec rw_access_specs[] = {KEY1_SPEC(CMD_KEY_RW | CMD_KEY_ACCESS), {0}};
static const KeySpec rw_access_update_specs[] = {
    KEY1_SPEC(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE), {0}};

#define HASH_WRITE_FAST (CMD_WRITE | CMD_DENYOOM | CMD_FAST)
#define ACL_W (ACL_WRITE | ACL_HASH | ACL_FAST)
#define ACL_R (ACL_READ | ACL_HASH | ACL_FAST)
#define ACL_R_SLOW (ACL_READ | ACL_HASH | ACL_SLOW)

#define EXPIRE_CMD(cmd_name, fn, cmd_args, text)                                                      \
    {.name = cmd_name, .proc = fn, .arity = -6, .flags = CMD_WRITE | CMD_FAST, .acl = ACL_W,      \
     .since = "9.0.0", .group = "hash", .summary = text,                                          \
     .complexity = "O(N) where N is the number of specified fields.", .args = cmd_args,             \
     .key_specs = rw_update_specs}
#define TTL_CMD(cmd_name, fn, text)                                                               \
    {.name = cmd_name, .proc = fn, .arity = -5, .flags = CMD_READONLY | CMD_FAST, .acl = ACL_R,   \
     .since = "9.0.0", .group = "hash", .summary = text,                                          \
     .complexity = "O(N) where N is the number of specified fields.",                             \
     .args = cmd_docs_hash_fields_block_args, .key_specs = ro_access_specs}

Command hash_commands[] = {
    {.name = "hset", .proc = cmd_hset, .arity = -4, .flags = HASH_WRITE_FAST, .acl = ACL_W,
     .since = "2.0.0", .group = "hash",
     .summary = "Creates or modifies the value of a field in a hash.",
     .complexity = "O(1) for each field/value pair added, so O(N) to add N field/value pairs "
                   "when the command is called with multiple field/value pairs.",
     .args = cmd_docs_hash_pairs_args, .history = cmd_docs_hset_history,
     .key_specs = rw_update_specs},
    {.name = "hsetnx", .proc = cmd_hsetnx, .arity = 4, .flags = HASH_WRITE_FAST, .acl = ACL_W,
     .since = "2.0.0", .group = "hash",
     .summary = "Sets the value of a field in a hash only when the field doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_hsetnx_args, .key_specs = rw_insert_specs},
    {.name = "hget", .proc = cmd_hget, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_R, .since = "2.0.0", .group = "hash",
     .summary = "Returns the value of a field in a hash.", .complexity = "O(1)",
     .args = cmd_docs_hash_key_field_args, .key_specs = ro_access_specs},
    {.name = "hmget", .proc = cmd_hmget, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_R, .since = "2.0.0", .group = "hash",
     .summary = "Returns the values of all fields in a hash.",
     .complexity = "O(N) where N is the number of fields being requested.",
     .args = cmd_docs_hash_key_fields_args, .key_specs = ro_access_specs},
    {.name = "hmset", .proc = cmd_hset, .arity = -4, .flags = HASH_WRITE_FAST, .acl = ACL_W,
     .since = "2.0.0", .group = "hash", .summary = "Sets the values of multiple fields.",
     .complexity = "O(N) where N is the number of fields being set.",
     .args = cmd_docs_hash_pairs_args, .doc_flags = CMD_DOC_DEPRECATED,
     .deprecated_since = "4.0.0", .replaced_by = "`HSET` with multiple field-value pairs",
     .key_specs = rw_update_specs},
    {.name = "hdel", .proc = cmd_hdel, .arity = -3, .flags = CMD_WRITE | CMD_FAST, .acl = ACL_W,
     .since = "2.0.0", .group = "hash",
     .summary = "Deletes one or more fields and their values from a hash. Deletes the hash if "
                "no fields remain.",
     .complexity = "O(N) where N is the number of fields to be removed.",
     .args = cmd_docs_hash_key_fields_args, .history = cmd_docs_hdel_history,
     .key_specs = rw_delete_specs},
    {.name = "hlen", .proc = cmd_hlen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_R, .since = "2.0.0", .group = "hash",
     .summary = "Returns the number of fields in a hash.", .complexity = "O(1)",
     .args = cmd_docs_hash_key_args, .key_specs = ro_specs},
    {.name = "hstrlen", .proc = cmd_hstrlen, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_R, .since = "3.2.0", .group = "hash",
     .summary = "Returns the length of the value of a field.", .complexity = "O(1)",
     .args = cmd_docs_hash_key_field_args, .key_specs = ro_specs},
    {.name = "hexists", .proc = cmd_hexists, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_R, .since = "2.0.0", .group = "hash",
     .summary = "Determines whether a field exists in a hash.", .complexity = "O(1)",
     .args = cmd_docs_hash_key_field_args, .key_specs = ro_specs},
    {.name = "hkeys", .proc = cmd_hkeys, .arity = 2, .flags = CMD_READONLY, .acl = ACL_R_SLOW,
     .since = "2.0.0", .group = "hash", .summary = "Returns all fields in a hash.",
     .complexity = "O(N) where N is the size of the hash.", .args = cmd_docs_hash_key_args,
     .tips = cmd_tips_nondeterministic_output_order, .key_specs = ro_access_specs},
    {.name = "hvals", .proc = cmd_hvals, .arity = 2, .flags = CMD_READONLY, .acl = ACL_R_SLOW,
     .since = "2.0.0", .group = "hash", .summary = "Returns all values in a hash.",
     .complexity = "O(N) where N is the size of the hash.", .args = cmd_docs_hash_key_args,
     .tips = cmd_tips_nondeterministic_output_order, .key_specs = ro_access_specs},
    {.name = "hgetall", .proc = cmd_hgetall, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_R_SLOW, .since = "2.0.0", .group = "hash",
     .summary = "Returns all fields and values in a hash.",
     .complexity = "O(N) where N is the size of the hash.", .args = cmd_docs_hash_key_args,
     .tips = cmd_tips_nondeterministic_output_order, .key_specs = ro_access_specs},
    {.name = "hincrby", .proc = cmd_hincrby, .arity = 4, .flags = HASH_WRITE_FAST, .acl = ACL_W,
     .since = "2.0.0", .group = "hash",
     .summary = "Increments the integer value of a field in a hash by a number. Uses 0 as "
                "initial value if the field doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_hincrby_args, .key_specs = rw_access_update_specs},
    {.name = "hincrbyfloat", .proc = cmd_hincrbyfloat, .arity = 4, .flags = HASH_WRITE_FAST,
     .acl = ACL_W, .since = "2.6.0", .group = "hash",
     .summary = "Increments the floating point value of a field by a number. Uses 0 as "
                "initial value if the field doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_hincrbyfloat_args,
     .key_specs = rw_access_update_specs},
    {.name = "hrandfield", .proc = cmd_hrandfield, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_R_SLOW, .since = "6.2.0", .group = "hash",
     .summary = "Returns one or more random fields from a hash.",
     .complexity = "O(N) where N is the number of fields returned",
     .args = cmd_docs_hrandfield_args, .tips = cmd_tips_nondeterministic_output,
     .key_specs = ro_access_specs},
    {.name = "hscan", .proc = cmd_hscan, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_R_SLOW, .since = "2.8.0", .group = "hash",
     .summary = "Iterates over fields and values of a hash.",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.",
     .args = cmd_docs_hscan_args, .tips = cmd_tips_nondeterministic_output,
     .history = cmd_docs_hscan_history, .key_specs = ro_access_specs},
    EXPIRE_CMD("hexpire", cmd_hexpire, cmd_docs_hexpire_args,
               "Set expiry time on hash fields."),
    EXPIRE_CMD("hpexpire", cmd_hpexpire, cmd_docs_hpexpire_args,
               "Set expiry time on hash fields in milliseconds."),
    EXPIRE_CMD("hexpireat", cmd_hexpireat, cmd_docs_hexpireat_args,
               "Set expiry time on hash fields as a unix timestamp in seconds."),
    EXPIRE_CMD("hpexpireat", cmd_hpexpireat, cmd_docs_hpexpireat_args,
               "Set expiry time on hash fields as a unix timestamp in milliseconds."),
    TTL_CMD("httl", cmd_httl,
            "Returns the remaining time to live (in seconds) of a hash key's field(s) that have "
            "an associated expiration."),
    TTL_CMD("hpttl", cmd_hpttl,
            "Returns the remaining time to live in milliseconds of a hash key's field(s) that "
            "have an associated expiration."),
    TTL_CMD("hexpiretime", cmd_hexpiretime,
            "Returns the expiration time of a hash field as a Unix timestamp, in seconds."),
    TTL_CMD("hpexpiretime", cmd_hpexpiretime,
            "Returns the expiration time of a hash field as a Unix timestamp, in msec."),
    {.name = "hpersist", .proc = cmd_hpersist, .arity = -5, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_W, .since = "9.0.0", .group = "hash",
     .summary = "Remove the existing expiration on a hash key's field(s).",
     .complexity = "O(N) where N is the number of specified fields.",
     .args = cmd_docs_hash_fields_block_args, .key_specs = rw_update_specs},
    {.name = "hgetex", .proc = cmd_hgetex, .arity = -5, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_W, .since = "9.0.0", .group = "hash",
     .summary = "Get the value of one or more fields of a given hash key, and optionally set "
                "their expiration time or time-to-live (TTL).",
     .complexity = "O(N) where N is the number of specified fields.",
     .args = cmd_docs_hgetex_args, .key_specs = rw_access_specs},
    {.name = "hsetex", .proc = cmd_hsetex, .arity = -6, .flags = HASH_WRITE_FAST, .acl = ACL_W,
     .since = "9.0.0", .group = "hash",
     .summary = "Set the value of one or more fields of a given hash key, and optionally set "
                "their expiration time.",
     .complexity = "O(N) where N is the number of specified fields.",
     .args = cmd_docs_hsetex_args, .key_specs = rw_insert_specs},
    {0},
};
