/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_list.c: the list command records (see cmd/groups.h): LPUSH, RPUSH, LPOP, ... and the blocking list pops.
 */
#include "cmd/command.h"
#include "cmd/groups.h"

Command list_commands[] = {
    {0},
};
