/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_zset.c: the zset command records (see cmd/groups.h): ZADD, ZRANGE, ... and the blocking sorted set pops.
 */
#include "cmd/command.h"
#include "cmd/groups.h"

Command zset_commands[] = {
    {0},
};
