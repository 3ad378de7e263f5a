/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_string.c: the string command records (see cmd/groups.h).
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/groups.h"
#include "cmd/procs.h"

Command string_commands[] = {
    {0},
};
