/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_set.c: the set command records (see cmd/groups.h): SADD, SREM, SINTER, ....
 */
#include "cmd/command.h"
#include "cmd/groups.h"

Command set_commands[] = {
    {0},
};
