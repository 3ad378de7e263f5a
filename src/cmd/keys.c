/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/keys.c: key extraction from a command's arguments, and the startup
 * pass that makes every command's key metadata consistent.
 *
 * Key specs are the source of truth, as in Valkey: the legacy first/last/step
 * triple COMMAND INFO shows is derived from them, and a record that only
 * gives the triple gets one spec derived from it. Extraction follows
 * Valkey's rules exactly (keyword search direction, range limits, keynum
 * parsing, what counts as "invalid"), because clients and COMMAND GETKEYS
 * tests observe them.
 *
 * This file never replies to a client; cmd/command_cmd.c does.
 *
 * Threads: main only.
 */
#include "cmd/keys.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "ds/strnum.h"
#include "server/mem.h"

/* ---- KeyRefs ---- */

void cmd_keys_init(KeyRefs *refs) {
    refs->keys = refs->inline_keys;
    refs->count = 0;
    refs->capacity = KEYREFS_INLINE;
}

void cmd_keys_deinit(KeyRefs *refs) {
    if (refs->keys != refs->inline_keys) mem_free(refs->keys);
    cmd_keys_init(refs);
}

void cmd_keys_add(KeyRefs *refs, int pos, uint64_t flags) {
    if (refs->count == refs->capacity) {
        int capacity = refs->capacity * 2;
        KeyRef *grown;
        if (refs->keys == refs->inline_keys) {
            grown = mem_alloc(sizeof(KeyRef) * (size_t)capacity);
            memcpy(grown, refs->inline_keys, sizeof(KeyRef) * (size_t)refs->count);
        } else {
            grown = mem_realloc(refs->keys, sizeof(KeyRef) * (size_t)capacity);
        }
        refs->keys = grown;
        refs->capacity = capacity;
    }
    refs->keys[refs->count].pos = pos;
    refs->keys[refs->count].flags = flags;
    refs->count++;
}

/* ---- startup ---- */

static int spec_is_plain_range(const KeySpec *spec) {
    return spec->begin_search == KSPEC_BS_INDEX && spec->find_keys == KSPEC_FK_RANGE;
}

static int spec_count(const Command *cmd) {
    int count = 0;
    while (cmd->key_specs && cmd->key_specs[count].begin_search != KSPEC_BS_INVALID) count++;
    return count;
}

/* A record with a legacy range and no specs gets the equivalent spec. */
static void derive_spec_from_range(Command *cmd) {
    if (cmd->key_specs != NULL || cmd->first_key <= 0) return;
    KeySpec *spec = &cmd->derived_specs[0];
    memset(cmd->derived_specs, 0, sizeof(cmd->derived_specs));
    spec->begin_search = KSPEC_BS_INDEX;
    spec->bs.index.pos = cmd->first_key;
    spec->find_keys = KSPEC_FK_RANGE;
    spec->fk.range.lastkey =
        cmd->last_key >= 0 ? cmd->last_key - cmd->first_key : cmd->last_key;
    spec->fk.range.keystep = cmd->key_step > 0 ? cmd->key_step : 1;
    spec->fk.range.limit = 0;
    cmd->key_specs = cmd->derived_specs;
}

/* Absolute last key index of a plain range spec: >= 0 an index, < 0
 * counted from the end. Negative sorts above any index (it reaches the end),
 * which is why the callers compare as unsigned. */
static int range_last_abs(const KeySpec *spec) {
    int last = spec->fk.range.lastkey;
    return last >= 0 ? spec->bs.index.pos + last : last;
}

/* Merges consecutive step-1 range specs into the one range COMMAND INFO can
 * show; anything the merge cannot describe makes the keys movable. */
static void derive_range_from_specs(Command *cmd, int *movable) {
    int count = spec_count(cmd);
    cmd->first_key = cmd->last_key = cmd->key_step = 0;
    if (count == 0) return;
    if (count == 1 && spec_is_plain_range(&cmd->key_specs[0])) {
        const KeySpec *spec = &cmd->key_specs[0];
        cmd->first_key = spec->bs.index.pos;
        cmd->last_key = range_last_abs(spec);
        cmd->key_step = spec->fk.range.keystep;
        if (spec->flags & CMD_KEY_INCOMPLETE) *movable = 1;
        return;
    }
    int first = INT_MAX, last = 0, prev_last = 0;
    for (int i = 0; i < count; i++) {
        const KeySpec *spec = &cmd->key_specs[i];
        if (!spec_is_plain_range(spec) || spec->fk.range.keystep != 1 ||
            (prev_last != 0 && prev_last != spec->bs.index.pos - 1)) {
            *movable = 1; /* not a plain range, or not right after the previous one */
            continue;
        }
        if (spec->flags & CMD_KEY_INCOMPLETE) *movable = 1;
        if (spec->bs.index.pos < first) first = spec->bs.index.pos;
        int spec_last = range_last_abs(spec);
        if ((unsigned)spec_last > (unsigned)last) last = spec_last;
        prev_last = last;
    }
    if (first == INT_MAX) {
        *movable = 1;
        return;
    }
    cmd->first_key = first;
    cmd->last_key = last;
    cmd->key_step = 1;
}

void cmd_keys_prepare(Command *cmd) {
    int movable = 0;
    derive_spec_from_range(cmd);
    derive_range_from_specs(cmd, &movable);
    /* A getkeys_proc alone does not make keys movable: SET and BITFIELD
     * have one only to refine flags their complete specs cannot state
     * (CMD_KEY_VARIABLE_FLAGS), and Valkey shows no movablekeys for them. */
    if (cmd->getkeys_proc && spec_count(cmd) == 0) movable = 1;
    for (int i = 0; i < spec_count(cmd); i++)
        if (!spec_is_plain_range(&cmd->key_specs[i])) movable = 1;
    if (movable) cmd->flags |= CMD_MOVABLE_KEYS;
}

/* ---- extraction ---- */

/* Union of the flags of every spec, or (inverted) of the flags missing from
 * at least one spec. */
static uint64_t all_spec_flags(const Command *cmd, int inverted) {
    uint64_t flags = 0;
    for (int i = 0; i < spec_count(cmd); i++)
        flags |= inverted ? ~cmd->key_specs[i].flags : cmd->key_specs[i].flags;
    return flags;
}

int cmd_keys_has_keys(const Command *cmd) {
    return cmd->getkeys_proc != NULL || (all_spec_flags(cmd, 1) & CMD_KEY_NOT_KEY) != 0;
}

/* Strict decimal, as Valkey's string2ll (ds/strnum.h). Returns 0 on success. */
static int parse_count(const Obj *arg, long long *value) {
    return strnum_to_ll(arg->ptr, obj_string_len(arg), value);
}

/* Index of the first key for a KEYWORD spec: one past the keyword, searched
 * forward from startfrom (> 0) or backward from argc+startfrom (< 0), never
 * at argv[0]. 0 if the keyword is absent. */
static int keyword_first_key(const KeySpec *spec, Obj **argv, int argc) {
    int start = spec->bs.keyword.startfrom;
    int forward = start > 0;
    int i = forward ? start : argc + start;
    int end = forward ? argc - 1 : 1;
    for (; i != end; i += (i <= end ? 1 : -1)) {
        if (i >= argc || i < 1) break;
        if (strcasecmp(argv[i]->ptr, spec->bs.keyword.keyword) == 0) return i + 1;
    }
    return 0;
}

/* Bounds of the keys one spec finds from first. Returns 0, or -1 if the
 * arguments cannot hold them (the spec is then invalid for this argv). */
static int spec_key_bounds(const KeySpec *spec, Obj **argv, int argc, int *first, int *last,
                           int *step) {
    if (spec->find_keys == KSPEC_FK_RANGE) {
        *step = spec->fk.range.keystep;
        if (spec->fk.range.lastkey >= 0)
            *last = *first + spec->fk.range.lastkey;
        else if (spec->fk.range.limit == 0)
            *last = argc + spec->fk.range.lastkey;
        else
            *last = *first + ((argc - *first) / spec->fk.range.limit + spec->fk.range.lastkey);
    } else if (spec->find_keys == KSPEC_FK_KEYNUM) {
        long long numkeys;
        int count_at = *first + spec->fk.keynum.keynumidx;
        if (count_at >= argc || parse_count(argv[count_at], &numkeys) != 0 || numkeys < 0 ||
            numkeys > INT_MAX)
            return -1;
        *step = spec->fk.keynum.keystep;
        *first += spec->fk.keynum.firstkey;
        *last = *first + (int)numkeys - 1;
    } else {
        return -1; /* unknown: only a getkeys_proc can tell */
    }
    if (*last >= argc || *last < *first || *first >= argc || *step <= 0) return -1;
    return 0;
}

/* Appends the keys every spec finds. Returns the count added, or -1 (with
 * refs unchanged) when a spec is unknown, incomplete or does not fit argv. */
static int keys_from_specs(const Command *cmd, Obj **argv, int argc, KeyRefs *refs) {
    int start_count = refs->count;
    for (int j = 0; j < spec_count(cmd); j++) {
        const KeySpec *spec = &cmd->key_specs[j];
        if (spec->flags & CMD_KEY_NOT_KEY) continue;
        int first, last, step;
        if (spec->begin_search == KSPEC_BS_INDEX) {
            first = spec->bs.index.pos;
        } else if (spec->begin_search == KSPEC_BS_KEYWORD) {
            first = keyword_first_key(spec, argv, argc);
            if (first == 0) continue; /* optional keyword absent: no keys here */
        } else {
            goto invalid;
        }
        if (spec_key_bounds(spec, argv, argc, &first, &last, &step) != 0) goto invalid;
        for (int i = first; i <= last; i += step) cmd_keys_add(refs, i, spec->flags);
        if (spec->flags & CMD_KEY_INCOMPLETE) goto invalid;
    }
    return refs->count - start_count;

invalid:
    refs->count = start_count;
    return -1;
}

int cmd_keys_get(const Command *cmd, Obj **argv, int argc, KeyRefs *refs) {
    int has_spec = (all_spec_flags(cmd, 1) & CMD_KEY_NOT_KEY) != 0;
    int variable_flags = (all_spec_flags(cmd, 0) & CMD_KEY_VARIABLE_FLAGS) != 0;
    /* Specs first when their flags are reliable; a command whose flags vary
     * has a getkeys_proc that knows them (without one, specs still give the
     * positions). */
    if (has_spec && (!variable_flags || cmd->getkeys_proc == NULL)) {
        int found = keys_from_specs(cmd, argv, argc, refs);
        if (found >= 0) return found;
    }
    if (cmd->getkeys_proc) return cmd->getkeys_proc(cmd, argv, argc, refs);
    return 0;
}
