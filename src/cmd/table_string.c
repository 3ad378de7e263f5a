/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_string.c: the string command records (see cmd/groups.h), as
 * Valkey 8 declares them; the procs live in types/string_*.c and
 * types/lcs.c, the argument docs in cmd/docs_string.c.
 */
#include <strings.h>

#include "cmd/command.h"
#include "cmd/keys.h"
#include "cmd/docs_string.h"
#include "cmd/groups.h"
#include "types/string.h"

#define STRING_WRITE (CMD_WRITE | CMD_DENYOOM)

/* One key spec at argv[1] with the given flags. */
#define KEY1_SPEC(key_flags)                                                                      \
    {.flags = (key_flags), .begin_search = KSPEC_BS_INDEX, .bs.index = {1},                       \
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}}

static const KeySpec ro_access_specs[] = {KEY1_SPEC(CMD_KEY_RO | CMD_KEY_ACCESS), {0}};
static const KeySpec ro_specs[] = {KEY1_SPEC(CMD_KEY_RO), {0}};
static const KeySpec rw_access_update_specs[] = {
    KEY1_SPEC(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE), {0}};
static const KeySpec rw_access_delete_specs[] = {
    KEY1_SPEC(CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE), {0}};
static const KeySpec rw_insert_specs[] = {KEY1_SPEC(CMD_KEY_RW | CMD_KEY_INSERT), {0}};
static const KeySpec rw_update_specs[] = {KEY1_SPEC(CMD_KEY_RW | CMD_KEY_UPDATE), {0}};
static const KeySpec ow_update_specs[] = {KEY1_SPEC(CMD_KEY_OW | CMD_KEY_UPDATE), {0}};
static const KeySpec ow_insert_specs[] = {KEY1_SPEC(CMD_KEY_OW | CMD_KEY_INSERT), {0}};

/* SET's key flags depend on its options: with GET (or IFEQ, which reads the
 * old value) it reads and updates, otherwise it only overwrites. The spec
 * says "RW access update variable_flags"; COMMAND GETKEYSANDFLAGS asks
 * this for the exact flags. */
static int set_getkeys(const Command *cmd, Obj **argv, int argc, KeyRefs *refs) {
    (void)cmd;
    uint64_t flags = CMD_KEY_OW | CMD_KEY_UPDATE;
    for (int i = 3; i < argc; i++) {
        const char *arg = argv[i]->ptr;
        if (!strcasecmp(arg, "get") || !strcasecmp(arg, "ifeq")) {
            flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE;
            break;
        }
    }
    cmd_keys_add(refs, 1, flags);
    return 1;
}

static const KeySpec set_specs[] = {
    {.notes = "RW and ACCESS due to the optional `GET` argument",
     .flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE | CMD_KEY_VARIABLE_FLAGS,
     .begin_search = KSPEC_BS_INDEX, .bs.index = {1}, .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

static const KeySpec getex_specs[] = {
    {.notes = "RW and UPDATE because it changes the TTL",
     .flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1}, .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0},
};

static const KeySpec mget_specs[] = {
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 1, 0}},
    {0},
};

static const KeySpec mset_specs[] = {
    {.flags = CMD_KEY_OW | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 2, 0}},
    {0},
};

static const KeySpec msetnx_specs[] = {
    {.flags = CMD_KEY_OW | CMD_KEY_INSERT, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 2, 0}},
    {0},
};

static const KeySpec lcs_specs[] = {
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {1, 1, 0}},
    {0},
};

Command string_commands[] = {
    /* Valkey gives SET a getkeys function so that COMMAND GETKEYSANDFLAGS
     * says OW without GET and RW/ACCESS with it; but cmd/keys.c marks every
     * command with one "movablekeys", which COMMAND INFO SET must not show
     * (clients route such commands the slow way). So the spec's flags stand
     * for both forms until keys.c tells complete specs apart (as for
     * BITFIELD). */
    {.name = "set", .proc = cmd_set, .arity = -3, .flags = STRING_WRITE,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .since = "1.0.0", .group = "string",
     .summary = "Sets the string value of a key, ignoring its type. The key is created if it "
                "doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_set_args, .history = cmd_docs_set_history,
     .key_specs = set_specs, .getkeys_proc = set_getkeys},
    {.name = "get", .proc = cmd_get, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Returns the string value of a key.", .complexity = "O(1)",
     .args = cmd_docs_string_key_args, .key_specs = ro_access_specs},
    {.name = "getex", .proc = cmd_getex, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "6.2.0", .group = "string",
     .summary = "Returns the string value of a key after setting its expiration time.",
     .complexity = "O(1)", .args = cmd_docs_getex_args, .key_specs = getex_specs},
    {.name = "getdel", .proc = cmd_getdel, .arity = 2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "6.2.0", .group = "string",
     .summary = "Returns the string value of a key after deleting the key.",
     .complexity = "O(1)", .args = cmd_docs_string_key_args,
     .key_specs = rw_access_delete_specs},
    {.name = "getset", .proc = cmd_getset, .arity = 3, .flags = STRING_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Returns the previous string value of a key after setting it to a new value.",
     .complexity = "O(1)", .args = cmd_docs_string_key_value_args,
     .doc_flags = CMD_DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`SET` with the `!GET` argument", .key_specs = rw_access_update_specs},
    {.name = "mget", .proc = cmd_mget, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Atomically returns the string values of one or more keys.",
     .complexity = "O(N) where N is the number of keys to retrieve.",
     .args = cmd_docs_mget_args, .tips = cmd_docs_mget_tips, .key_specs = mget_specs},
    {.name = "mset", .proc = cmd_mset, .arity = -3, .flags = STRING_WRITE,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .since = "1.0.1", .group = "string",
     .summary = "Atomically creates or modifies the string values of one or more keys.",
     .complexity = "O(N) where N is the number of keys to set.",
     .args = cmd_docs_string_pairs_args, .tips = cmd_docs_mset_tips, .key_specs = mset_specs},
    {.name = "msetnx", .proc = cmd_msetnx, .arity = -3, .flags = STRING_WRITE,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .since = "1.0.1", .group = "string",
     .summary = "Atomically modifies the string values of one or more keys only when all keys "
                "don't exist.",
     .complexity = "O(N) where N is the number of keys to set.",
     .args = cmd_docs_string_pairs_args, .key_specs = msetnx_specs},
    {.name = "setnx", .proc = cmd_setnx, .arity = 3, .flags = STRING_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Sets the string value of a key only when the key doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_string_key_value_args,
     .key_specs = ow_insert_specs},
    {.name = "setex", .proc = cmd_setex, .arity = 4, .flags = STRING_WRITE,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .since = "2.0.0", .group = "string",
     .summary = "Sets the string value and expiration time of a key. Creates the key if it "
                "doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_setex_args, .key_specs = ow_update_specs},
    {.name = "psetex", .proc = cmd_psetex, .arity = 4, .flags = STRING_WRITE,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .since = "2.6.0", .group = "string",
     .summary = "Sets both string value and expiration time in milliseconds of a key. The key "
                "is created if it doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_psetex_args, .key_specs = ow_update_specs},
    {.name = "append", .proc = cmd_append, .arity = 3, .flags = STRING_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "2.0.0", .group = "string",
     .summary = "Appends a string to the value of a key. Creates the key if it doesn't exist.",
     .complexity = "O(1). The amortized time complexity is O(1) assuming the appended value is "
                   "small and the already present value is of any size, since the dynamic "
                   "string library used by the server will double the free space available on "
                   "every reallocation.",
     .args = cmd_docs_string_key_value_args, .key_specs = rw_insert_specs},
    {.name = "strlen", .proc = cmd_strlen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_STRING | ACL_FAST, .since = "2.2.0", .group = "string",
     .summary = "Returns the length of a string value.", .complexity = "O(1)",
     .args = cmd_docs_string_key_args, .key_specs = ro_specs},
    {.name = "getrange", .proc = cmd_getrange, .arity = 4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_STRING | ACL_SLOW, .since = "2.4.0", .group = "string",
     .summary = "Returns a substring of the string stored at a key.",
     .complexity = "O(N) where N is the length of the returned string. The complexity is "
                   "ultimately determined by the returned length, but because creating a "
                   "substring from an existing string is very cheap, it can be considered O(1) "
                   "for small strings.",
     .args = cmd_docs_string_range_args, .key_specs = ro_access_specs},
    {.name = "substr", .proc = cmd_getrange, .arity = 4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_STRING | ACL_SLOW, .since = "1.0.0", .group = "string",
     .summary = "Returns a substring from a string value.",
     .complexity = "O(N) where N is the length of the returned string. The complexity is "
                   "ultimately determined by the returned length, but because creating a "
                   "substring from an existing string is very cheap, it can be considered O(1) "
                   "for small strings.",
     .args = cmd_docs_string_range_args, .doc_flags = CMD_DOC_DEPRECATED,
     .deprecated_since = "2.0.0", .replaced_by = "`GETRANGE`", .key_specs = ro_access_specs},
    {.name = "setrange", .proc = cmd_setrange, .arity = 4, .flags = STRING_WRITE,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .since = "2.2.0", .group = "string",
     .summary = "Overwrites a part of a string value with another by an offset. Creates the "
                "key if it doesn't exist.",
     .complexity = "O(1), not counting the time taken to copy the new string in place. "
                   "Usually, this string is very small so the amortized complexity is O(1). "
                   "Otherwise, complexity is O(M) with M being the length of the value "
                   "argument.",
     .args = cmd_docs_setrange_args, .key_specs = rw_update_specs},
    {.name = "incr", .proc = cmd_incr, .arity = 2, .flags = STRING_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Increments the integer value of a key by one. Uses 0 as initial value if the "
                "key doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_string_key_args,
     .key_specs = rw_access_update_specs},
    {.name = "decr", .proc = cmd_decr, .arity = 2, .flags = STRING_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Decrements the integer value of a key by one. Uses 0 as initial value if the "
                "key doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_string_key_args,
     .key_specs = rw_access_update_specs},
    {.name = "incrby", .proc = cmd_incrby, .arity = 3, .flags = STRING_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Increments the integer value of a key by a number. Uses 0 as initial value if "
                "the key doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_incrby_args, .key_specs = rw_access_update_specs},
    {.name = "decrby", .proc = cmd_decrby, .arity = 3, .flags = STRING_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .since = "1.0.0", .group = "string",
     .summary = "Decrements a number from the integer value of a key. Uses 0 as initial value "
                "if the key doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_decrby_args, .key_specs = rw_access_update_specs},
    {.name = "incrbyfloat", .proc = cmd_incrbyfloat, .arity = 3,
     .flags = STRING_WRITE | CMD_FAST, .acl = ACL_WRITE | ACL_STRING | ACL_FAST,
     .since = "2.6.0", .group = "string",
     .summary = "Increment the floating point value of a key by a number. Uses 0 as initial "
                "value if the key doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_incrbyfloat_args,
     .key_specs = rw_access_update_specs},
    {.name = "lcs", .proc = cmd_lcs, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_STRING | ACL_SLOW, .since = "7.0.0", .group = "string",
     .summary = "Finds the longest common substring.",
     .complexity = "O(N*M) where N and M are the lengths of s1 and s2, respectively",
     .args = cmd_docs_lcs_args, .key_specs = lcs_specs},
    {0},
};
