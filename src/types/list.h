/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list.h: the list commands (procs the table in cmd/table_list.c
 * refers to), implemented in types/list_cmd.c, types/list_edit.c and
 * types/list_pop.c.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_LIST_H
#define KEEL_TYPES_LIST_H

#include "net/client.h"

/* types/list_cmd.c */
void cmd_lpush(Client *c);
void cmd_rpush(Client *c);
void cmd_lpushx(Client *c);
void cmd_rpushx(Client *c);
void cmd_llen(Client *c);
void cmd_lrange(Client *c);
void cmd_lindex(Client *c);
void cmd_lpos(Client *c);

/* types/list_edit.c */
void cmd_lset(Client *c);
void cmd_linsert(Client *c);
void cmd_lrem(Client *c);
void cmd_ltrim(Client *c);

/* types/list_pop.c */
void cmd_lpop(Client *c);
void cmd_rpop(Client *c);
void cmd_lmove(Client *c);
void cmd_rpoplpush(Client *c);
void cmd_lmpop(Client *c);
void cmd_blpop(Client *c);
void cmd_brpop(Client *c);
void cmd_blmove(Client *c);
void cmd_brpoplpush(Client *c);
void cmd_blmpop(Client *c);

#endif
