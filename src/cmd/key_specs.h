/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/key_specs.h: key specs that several commands share, defined once in
 * cmd/key_specs.c. A name says the key's position (key1: argv[1]; keys1:
 * argv[1] to the end; numkeys1: a key count at argv[1]), then its flags
 * (ro, rw, ow, access, insert, update, delete); "<cmd>_like" arrays have
 * several specs, shaped as <cmd>'s. A command whose keys are its own keeps
 * its spec in its table file.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_KEY_SPECS_H
#define KEEL_CMD_KEY_SPECS_H

#include "cmd/command.h"

/* LLEN, ZCARD */
extern const KeySpec cmd_spec_key1_ro[];
/* TTL and friends, GETBIT/BITCOUNT/BITPOS, LRANGE, LINDEX, LPOS, the
 * read-only sorted set commands */
extern const KeySpec cmd_spec_key1_ro_access[];
/* LPOP, RPOP, ZPOPMIN, ZPOPMAX */
extern const KeySpec cmd_spec_key1_rw_access_delete[];
/* SETBIT, ZINCRBY */
extern const KeySpec cmd_spec_key1_rw_access_update[];
/* LREM, LTRIM, ZREM, ZREMRANGEBY* */
extern const KeySpec cmd_spec_key1_rw_delete[];
/* LPUSH, RPUSH, LPUSHX, RPUSHX, LINSERT */
extern const KeySpec cmd_spec_key1_rw_insert[];
/* EXPIRE and friends, LSET, ZADD */
extern const KeySpec cmd_spec_key1_rw_update[];
/* BLPOP, BRPOP, BZPOPMIN, BZPOPMAX: keys, then a timeout */
extern const KeySpec cmd_spec_keys1_then_timeout_rw_access_delete[];
/* LMOVE, RPOPLPUSH, BLMOVE, BRPOPLPUSH: source, destination */
extern const KeySpec cmd_spec_lmove_like[];
/* SINTERCARD, ZUNION, ZINTER, ZDIFF, ZINTERCARD */
extern const KeySpec cmd_spec_numkeys1_ro_access[];
/* LMPOP, ZMPOP */
extern const KeySpec cmd_spec_numkeys1_rw_access_delete[];
/* BLMPOP, BZMPOP (after the timeout) */
extern const KeySpec cmd_spec_numkeys2_rw_access_delete[];
/* ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: destination, then numkeys keys */
extern const KeySpec cmd_spec_zunionstore_like[];

#endif
