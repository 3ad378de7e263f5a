/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_keyspace.c: the keyspace command records (see cmd/groups.h).
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/groups.h"
#include "cmd/procs.h"

Command keyspace_commands[] = {
    {0},
};
