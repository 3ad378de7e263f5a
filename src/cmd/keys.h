/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/keys.h: finds which arguments of a command are keys, from the
 * command's key specs (or its legacy first/last/step range), falling back
 * to its getkeys_proc. COMMAND GETKEYS uses it today; ACL key checks and
 * cluster routing will.
 *
 * Threads: main only (reads the command table).
 */
#ifndef KEEL_CMD_KEYS_H
#define KEEL_CMD_KEYS_H

#include <stdint.h>

#include "cmd/command.h"

/* One key found in argv: its index and the CMD_KEY_* flags of the spec
 * that found it. */
typedef struct KeyRef {
    int pos;
    uint64_t flags;
} KeyRef;

#define KEYREFS_INLINE 16

/* A growable list of KeyRef. Starts in an inline buffer, so most commands
 * never allocate. Init with cmd_keys_init, release with cmd_keys_deinit. */
typedef struct KeyRefs {
    KeyRef *keys; /* inline_keys or a heap array; owned */
    int count;
    int capacity;
    KeyRef inline_keys[KEYREFS_INLINE];
} KeyRefs;

void cmd_keys_init(KeyRefs *refs);
/* Frees any heap array; refs can be init'ed again. */
void cmd_keys_deinit(KeyRefs *refs);
/* Appends one key. Never fails (allocation failure aborts, as elsewhere). */
void cmd_keys_add(KeyRefs *refs, int pos, uint64_t flags);

/* Startup, once per command and subcommand (cmd_table_init): derives a key
 * spec from first/last/step when the record has no key_specs, derives the
 * legacy first/last/step shown by COMMAND INFO from the specs, and sets
 * CMD_MOVABLE_KEYS when the range cannot describe every key. */
void cmd_keys_prepare(Command *cmd);

/* 1 if the command may take key arguments: a getkeys_proc, or a spec that
 * is not marked CMD_KEY_NOT_KEY. */
int cmd_keys_has_keys(const Command *cmd);

/* Appends the keys of argv (argv[0] is the command name) to refs and returns
 * how many were found. Uses the specs when they find every key with
 * reliable flags, else getkeys_proc. 0 means none, including arguments too
 * malformed to hold the declared keys (the command itself reports that). */
int cmd_keys_get(const Command *cmd, Obj **argv, int argc, KeyRefs *refs);

#endif
