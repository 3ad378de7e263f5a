/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_bitmap.c: the bitmap command records (see cmd/groups.h), as
 * Valkey 8.0 declares them; the procs live in types/bitops.c and
 * types/bitfield.c, the argument docs in cmd/docs_bitmap.c.
 */
#include <strings.h>

#include "cmd/command.h"
#include "cmd/keys.h"
#include "cmd/docs_bitmap.h"
#include "cmd/groups.h"
#include "cmd/key_specs.h"
#include "types/bitmap.h"

static const KeySpec bitop_specs[] = {
    {.flags = CMD_KEY_OW | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {2},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {3},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 1, 0}},
    {0},
};

/* BITFIELD's key flags depend on its subcommands: only GETs (and OVERFLOW)
 * read ("RO access"); a SET or INCRBY reads and updates. COMMAND
 * GETKEYSANDFLAGS asks this for the exact flags. */
static int bitfield_getkeys(const Command *cmd, Obj **argv, int argc, KeyRefs *refs) {
    (void)cmd;
    uint64_t flags = CMD_KEY_RO | CMD_KEY_ACCESS;
    for (int i = 2; i < argc;) {
        const char *arg = argv[i]->ptr;
        if (!strcasecmp(arg, "get")) {
            i += 3; /* GET type offset */
        } else if (!strcasecmp(arg, "overflow")) {
            i += 2; /* OVERFLOW mode */
        } else if (!strcasecmp(arg, "set") || !strcasecmp(arg, "incrby")) {
            flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE;
            break;
        } else {
            i++; /* malformed: the command itself reports it */
        }
    }
    cmd_keys_add(refs, 1, flags);
    return 1;
}

static const KeySpec bitfield_specs[] = {
    {.notes = "This command allows both access and modification of the key",
     .flags = CMD_KEY_RW | CMD_KEY_UPDATE | CMD_KEY_ACCESS | CMD_KEY_VARIABLE_FLAGS,
     .begin_search = KSPEC_BS_INDEX, .bs.index = {1}, .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

Command bitmap_commands[] = {
    {.name = "setbit", .proc = cmd_setbit, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_BITMAP | ACL_SLOW, .since = "2.2.0", .group = "bitmap",
     .summary = "Sets or clears the bit at offset of the string value. Creates the key if it "
                "doesn't exist.",
     .complexity = "O(1)", .args = cmd_docs_setbit_args, .key_specs = cmd_spec_key1_rw_access_update},
    {.name = "getbit", .proc = cmd_getbit, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_BITMAP | ACL_FAST, .since = "2.2.0", .group = "bitmap",
     .summary = "Returns a bit value by offset.", .complexity = "O(1)",
     .args = cmd_docs_getbit_args, .key_specs = cmd_spec_key1_ro_access},
    {.name = "bitcount", .proc = cmd_bitcount, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_BITMAP | ACL_SLOW, .since = "2.6.0", .group = "bitmap",
     .summary = "Counts the number of set bits (population counting) in a string.",
     .complexity = "O(N)", .args = cmd_docs_bitcount_args,
     .history = cmd_docs_bitcount_history, .key_specs = cmd_spec_key1_ro_access},
    {.name = "bitpos", .proc = cmd_bitpos, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_BITMAP | ACL_SLOW, .since = "2.8.7", .group = "bitmap",
     .summary = "Finds the first set (1) or clear (0) bit in a string.", .complexity = "O(N)",
     .args = cmd_docs_bitpos_args, .history = cmd_docs_bitpos_history,
     .key_specs = cmd_spec_key1_ro_access},
    {.name = "bitop", .proc = cmd_bitop, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_BITMAP | ACL_SLOW, .since = "2.6.0", .group = "bitmap",
     .summary = "Performs bitwise operations on multiple strings, and stores the result.",
     .complexity = "O(N)", .args = cmd_docs_bitop_args, .key_specs = bitop_specs},
    /* Valkey also gives BITFIELD a getkeys function (a GET-only call reads
     * the key), but cmd/keys.c marks every command that has one movablekeys,
     * which COMMAND INFO BITFIELD does not show; so the spec's RW flags
     * stand for GET-only calls too, for now. */
    {.name = "bitfield", .proc = cmd_bitfield, .arity = -2, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_BITMAP | ACL_SLOW, .since = "3.2.0", .group = "bitmap",
     .summary = "Performs arbitrary bitfield integer operations on strings.",
     .complexity = "O(1) for each subcommand specified", .args = cmd_docs_bitfield_args,
     .key_specs = bitfield_specs, .getkeys_proc = bitfield_getkeys},
    {.name = "bitfield_ro", .proc = cmd_bitfield_ro, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_BITMAP | ACL_FAST, .since = "6.0.0", .group = "bitmap",
     .summary = "Performs arbitrary read-only bitfield integer operations on strings.",
     .complexity = "O(1) for each subcommand specified", .args = cmd_docs_bitfield_ro_args,
     .key_specs = cmd_spec_key1_ro_access},
    {0},
};
