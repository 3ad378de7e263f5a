/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_zset.h: COMMAND DOCS data for the sorted set commands (ZADD,
 * ZRANGE, ZUNIONSTORE, BZPOPMIN ...), defined in cmd/docs_zset.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_ZSET_H
#define KEEL_CMD_DOCS_ZSET_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_zadd_args[];
extern const CommandHistory cmd_docs_zadd_history[];
extern const CommandArg cmd_docs_zincrby_args[];
extern const CommandArg cmd_docs_zrem_args[];
extern const CommandHistory cmd_docs_zrem_history[];
extern const CommandArg cmd_docs_zcard_args[];
extern const CommandArg cmd_docs_zscore_args[];
extern const CommandArg cmd_docs_zmscore_args[];
extern const CommandArg cmd_docs_zrank_args[];
extern const CommandHistory cmd_docs_zrank_history[];
extern const CommandArg cmd_docs_zrevrank_args[];
extern const CommandHistory cmd_docs_zrevrank_history[];
extern const CommandArg cmd_docs_zrange_args[];
extern const CommandHistory cmd_docs_zrange_history[];
extern const CommandArg cmd_docs_zrangestore_args[];
extern const CommandArg cmd_docs_zrevrange_args[];
extern const CommandArg cmd_docs_zrangebyscore_args[];
extern const CommandHistory cmd_docs_zrangebyscore_history[];
extern const CommandArg cmd_docs_zrevrangebyscore_args[];
extern const CommandHistory cmd_docs_zrevrangebyscore_history[];
extern const CommandArg cmd_docs_zrangebylex_args[];
extern const CommandArg cmd_docs_zrevrangebylex_args[];
extern const CommandArg cmd_docs_zcount_args[];
extern const CommandArg cmd_docs_zlexcount_args[];
extern const CommandArg cmd_docs_zremrangebyrank_args[];
extern const CommandArg cmd_docs_zremrangebyscore_args[];
extern const CommandArg cmd_docs_zremrangebylex_args[];
extern const CommandArg cmd_docs_zpopmin_args[];
extern const CommandArg cmd_docs_zpopmax_args[];
extern const CommandArg cmd_docs_zmpop_args[];
extern const CommandArg cmd_docs_bzpopmin_args[];
extern const CommandHistory cmd_docs_bzpopmin_history[];
extern const CommandArg cmd_docs_bzpopmax_args[];
extern const CommandHistory cmd_docs_bzpopmax_history[];
extern const CommandArg cmd_docs_bzmpop_args[];
extern const CommandArg cmd_docs_zrandmember_args[];
extern const CommandArg cmd_docs_zunion_args[];
extern const CommandArg cmd_docs_zinter_args[];
extern const CommandArg cmd_docs_zdiff_args[];
extern const CommandArg cmd_docs_zunionstore_args[];
extern const CommandArg cmd_docs_zinterstore_args[];
extern const CommandArg cmd_docs_zdiffstore_args[];
extern const CommandArg cmd_docs_zintercard_args[];
extern const CommandArg cmd_docs_zscan_args[];
extern const CommandHistory cmd_docs_zscan_history[];

#endif
