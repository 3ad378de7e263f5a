/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset.h: the sorted set command procs, for the command table
 * (cmd/table_zset.c). The value itself is described in
 * types/zset_internal.h.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_ZSET_H
#define KEEL_TYPES_ZSET_H

#include "net/client.h"

/* types/zset_cmd.c: single members */
void cmd_zadd(Client *c);
void cmd_zincrby(Client *c);
void cmd_zrem(Client *c);
void cmd_zcard(Client *c);
void cmd_zscore(Client *c);
void cmd_zmscore(Client *c);
void cmd_zrank(Client *c);
void cmd_zrevrank(Client *c);

/* types/zset_range.c: ranges */
void cmd_zrange(Client *c);
void cmd_zrangestore(Client *c);
void cmd_zrevrange(Client *c);
void cmd_zrangebyscore(Client *c);
void cmd_zrevrangebyscore(Client *c);
void cmd_zrangebylex(Client *c);
void cmd_zrevrangebylex(Client *c);
void cmd_zcount(Client *c);
void cmd_zlexcount(Client *c);
void cmd_zremrangebyrank(Client *c);
void cmd_zremrangebyscore(Client *c);
void cmd_zremrangebylex(Client *c);

/* types/zset_pop.c: pops, blocking pops, random members */
void cmd_zpopmin(Client *c);
void cmd_zpopmax(Client *c);
void cmd_zmpop(Client *c);
void cmd_bzpopmin(Client *c);
void cmd_bzpopmax(Client *c);
void cmd_bzmpop(Client *c);
void cmd_zrandmember(Client *c);

/* types/zset_setops.c: union, intersection, difference */
void cmd_zunion(Client *c);
void cmd_zinter(Client *c);
void cmd_zdiff(Client *c);
void cmd_zunionstore(Client *c);
void cmd_zinterstore(Client *c);
void cmd_zdiffstore(Client *c);
void cmd_zintercard(Client *c);

/* types/zset_scan.c */
void cmd_zscan(Client *c);

#endif
