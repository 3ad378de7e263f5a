/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/monitor.h: MONITOR: clients that receive a line for every command
 * the server runs, in Valkey's format:
 *
 *   +1700000000.123456 [0 127.0.0.1:5000] "set" "key" "value"
 *
 * (time, database, the client's address or "unix:<path>", then each
 * argument quoted with escapes). Commands flagged admin or skip_monitor are
 * not shown, commands refused before running are not shown, and AUTH and
 * HELLO's credentials are shown as "(redacted)".
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_MONITOR_H
#define KEEL_SERVER_MONITOR_H

#include "cmd/command.h"
#include "net/client.h"

/* Monitors connected (cmd/call.c feeds only when there is one). */
extern unsigned long monitor_count;

/* Sends c's command (c->argv, run as cmd) to every monitor. */
void monitor_feed(Client *c, const Command *cmd);
/* c is being freed: stops monitoring. */
void monitor_client_free(Client *c);
/* MONITOR */
void cmd_monitor(Client *c);

#endif
