/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_hash.c: the hash command records (see cmd/groups.h): HSET, HGET, ... and the hash field expiry commands.
 */
#include "cmd/command.h"
#include "cmd/groups.h"

Command hash_commands[] = {
    {0},
};
