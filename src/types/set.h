/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set.h: the set commands (SADD, SREM, SINTER, SPOP, SSCAN ...), which
 * cmd/table_set.c lists.
 *
 * Each takes the client whose argv holds the command (arity already checked
 * by cmd/call.c) and replies exactly as Valkey 8 does.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_SET_H
#define KEEL_TYPES_SET_H

#include "net/client.h"

/* types/set_cmd.c */
void cmd_sadd(Client *c);
void cmd_srem(Client *c);
void cmd_scard(Client *c);
void cmd_sismember(Client *c);
void cmd_smismember(Client *c);
void cmd_smembers(Client *c);
void cmd_smove(Client *c);

/* types/set_random.c */
void cmd_spop(Client *c);
void cmd_srandmember(Client *c);

/* types/set_algebra.c */
void cmd_sinter(Client *c);
void cmd_sintercard(Client *c);
void cmd_sinterstore(Client *c);
void cmd_sunion(Client *c);
void cmd_sunionstore(Client *c);
void cmd_sdiff(Client *c);
void cmd_sdiffstore(Client *c);

/* types/set_scan.c */
void cmd_sscan(Client *c);

#endif
