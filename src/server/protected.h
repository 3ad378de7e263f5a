/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/protected.h: Valkey's gates for dangerous features:
 * enable-debug-command (DEBUG), enable-module-command (MODULE LOAD/UNLOAD)
 * and enable-protected-configs (CONFIG SET of options such as dir). Each is
 * no (default), yes, or local (only clients on this host).
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_PROTECTED_H
#define KEEL_SERVER_PROTECTED_H

#include "cmd/command.h"
#include "net/client.h"

void protected_register_config(void);
/* For a CMD_PROTECTED command: 1 if c may run it; else replies Valkey's
 * refusal for that command and returns 0. */
int protected_command_check(Client *c, const Command *cmd);
/* 1 if c may CONFIG SET options flagged KEEL_CFG_PROTECTED. */
int protected_config_allowed(const Client *c);

#endif
