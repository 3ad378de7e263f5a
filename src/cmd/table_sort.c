/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_sort.c: the sort command records (see cmd/groups.h): SORT and SORT_RO.
 */
#include "cmd/command.h"
#include "cmd/groups.h"

Command sort_commands[] = {
    {0},
};
