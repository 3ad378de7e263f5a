/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_expire.c: the expire command records (see cmd/groups.h).
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/groups.h"
#include "cmd/procs.h"

Command expire_commands[] = {
    {0},
};
