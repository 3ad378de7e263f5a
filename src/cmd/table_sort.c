/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_sort.c: the sort command records (see cmd/groups.h): SORT and
 * SORT_RO, as Valkey 8 declares them; the procs live in types/sort.c, the
 * argument docs in cmd/docs_sort.c.
 */
#include <strings.h>

#include "cmd/command.h"
#include "cmd/docs_sort.h"
#include "cmd/groups.h"
#include "cmd/keys.h"
#include "types/sort.h"

#define SORT_ACL (ACL_SET | ACL_SORTEDSET | ACL_LIST | ACL_SLOW | ACL_DANGEROUS)
#define SORT_COMPLEXITY                                                                           \
    "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the "      \
    "number of returned elements. When the elements are not sorted, complexity is O(N)."

/* The sorted key, then the keys BY and GET patterns name (unknowable before
 * the sort runs). */
#define SORT_SOURCE_SPECS                                                                         \
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},       \
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},                                         \
    {.notes = "For the optional BY/GET keyword. It is marked 'unknown' because the key names "    \
              "derive from the content of the key we sort",                                      \
     .flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_UNKNOWN,                      \
     .find_keys = KSPEC_FK_UNKNOWN}

static const KeySpec sort_specs[] = {
    SORT_SOURCE_SPECS,
    {.notes = "For the optional STORE keyword. It is marked 'unknown' because the keyword can "
              "appear anywhere in the argument array",
     .flags = CMD_KEY_OW | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_UNKNOWN,
     .find_keys = KSPEC_FK_UNKNOWN},
    {0},
};

static const KeySpec sort_ro_specs[] = {SORT_SOURCE_SPECS, {0}};

/* The sorted key and the destination of the last STORE, skipping the
 * arguments of LIMIT, GET and BY so a key named "store" is not taken for
 * the keyword (Valkey's sortGetKeys). */
static int sort_getkeys(const Command *cmd, Obj **argv, int argc, KeyRefs *refs) {
    (void)cmd;
    cmd_keys_add(refs, 1, CMD_KEY_RO | CMD_KEY_ACCESS);
    int store = 0;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i]->ptr;
        if (!strcasecmp(arg, "limit"))
            i += 2;
        else if (!strcasecmp(arg, "get") || !strcasecmp(arg, "by"))
            i += 1;
        else if (!strcasecmp(arg, "store") && i + 1 < argc)
            store = i + 1;
    }
    if (store) cmd_keys_add(refs, store, CMD_KEY_OW | CMD_KEY_UPDATE);
    return refs->count;
}

Command sort_commands[] = {
    {.name = "sort", .proc = cmd_sort, .arity = -2, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | SORT_ACL, .since = "1.0.0", .group = "generic",
     .summary = "Sorts the elements in a list, a set, or a sorted set, optionally storing the "
                "result.",
     .complexity = SORT_COMPLEXITY, .args = cmd_docs_sort_args, .key_specs = sort_specs,
     .getkeys_proc = sort_getkeys},
    {.name = "sort_ro", .proc = cmd_sort_ro, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | SORT_ACL, .since = "7.0.0", .group = "generic",
     .summary = "Returns the sorted elements of a list, a set, or a sorted set.",
     .complexity = SORT_COMPLEXITY, .args = cmd_docs_sort_ro_args, .key_specs = sort_ro_specs},
    {0},
};
