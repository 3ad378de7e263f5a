/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/internal.h: helpers shared by the files of the cmd room (not for
 * other rooms).
 *
 * Threads: main only.
 */
#ifndef KEEL_CMD_INTERNAL_H
#define KEEL_CMD_INTERNAL_H

#include <stdint.h>

#include "net/client.h"

/* One bit of a flag word and the name a reply shows for it. Tables end
 * with a record whose name is NULL; their order is the reply's order. */
typedef struct CmdFlagName {
    uint64_t flag;
    const char *name;
} CmdFlagName;

/* Replies a set of status strings: the names of the bits of flags, in
 * table order (cmd/command_cmd.c). */
void cmd_reply_flag_set(Client *c, uint64_t flags, const CmdFlagName *names);

#endif
