/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/string.h: the string commands (SET, GET, INCR, APPEND, LCS ...),
 * which cmd/table_string.c lists.
 *
 * Each takes the client whose argv holds the command (arity already checked
 * by cmd/call.c) and replies exactly as Valkey 8 does.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_STRING_H
#define KEEL_TYPES_STRING_H

#include "net/client.h"

/* types/string_set.c */
void cmd_set(Client *c);
void cmd_setnx(Client *c);
void cmd_setex(Client *c);
void cmd_psetex(Client *c);
void cmd_getset(Client *c);
void cmd_mset(Client *c);
void cmd_msetnx(Client *c);

/* types/string_get.c */
void cmd_get(Client *c);
void cmd_getex(Client *c);
void cmd_getdel(Client *c);
void cmd_mget(Client *c);
void cmd_strlen(Client *c);
void cmd_getrange(Client *c); /* also SUBSTR */

/* types/string_edit.c */
void cmd_append(Client *c);
void cmd_setrange(Client *c);

/* types/string_incr.c */
void cmd_incr(Client *c);
void cmd_decr(Client *c);
void cmd_incrby(Client *c);
void cmd_decrby(Client *c);
void cmd_incrbyfloat(Client *c);

/* types/lcs.c */
void cmd_lcs(Client *c);

#endif
