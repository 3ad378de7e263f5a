/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/debug.h: who may run DEBUG (the enable-debug-command gate).
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_DEBUG_H
#define KEEL_SERVER_DEBUG_H

#include "net/client.h"

/* Valkey's refusal, without the "ERR " that reply_error adds. */
#define DEBUG_NOT_ALLOWED_ERR                                                                    \
    "DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you "    \
    "can run it from a local connection, otherwise you need to set this option in the "         \
    "configuration file, and then restart the server."

/* 1 if c's peer is on this host: a Unix socket, or what the transport calls
 * local (loopback). */
int debug_client_is_local(const Client *c);
/* 1 if enable-debug-command lets c run DEBUG: "yes", or "local" and c is
 * local. Internal clients (no connection) always may, as in Valkey, where
 * clients the server must obey skip the gate. */
int debug_command_allowed(const Client *c);

#endif
