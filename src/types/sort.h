/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/sort.h: SORT and SORT_RO (types/sort.c), listed by
 * cmd/table_sort.c.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_SORT_H
#define KEEL_TYPES_SORT_H

#include "net/client.h"

void cmd_sort(Client *c);
void cmd_sort_ro(Client *c);

#endif
