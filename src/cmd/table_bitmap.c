/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_bitmap.c: the bitmap command records (see cmd/groups.h).
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/groups.h"
#include "cmd/procs.h"

Command bitmap_commands[] = {
    {0},
};
