/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/conn.h: the registry of connection types provided by transport modules,
 * and the listeners built from the core's listener options.
 *
 * Threads: main only.
 */
#ifndef KEEL_NET_CONN_H
#define KEEL_NET_CONN_H

#include <stddef.h>

#include "ds/sds.h"
#include "keel/conn.h"

#define CONN_TYPES_MAX 8

/* Registers a type for the module named owner. Refuses a wrong table size,
 * a missing required member and a duplicate name, with the reason in err.
 * Runs the type's init hook. */
int conn_type_register(const KeelConnType *type, const char *owner, char *err, size_t errlen);
/* Removes every type registered by owner (a module whose onload failed). */
void conn_type_unregister_owner(const char *owner);
/* Finds a type by name, case-insensitively. */
const KeelConnType *conn_type_find(const char *name);
/* Module that registered the type, or NULL. */
const char *conn_type_owner(const char *name);
int conn_type_count(void);
const KeelConnType *conn_type_at(int i);
/* 1 if some type buffers data the poller cannot see. */
int conn_types_have_pending_data(void);
/* Runs every type's process_pending_data. */
int conn_types_process_pending_data(void);
/* Appends every type's extra INFO server lines (KeelConnType.info). */
sds conn_types_info(sds out);
/* Runs every type's cleanup hook (shutdown). */
void conn_types_cleanup(void);

/* ---- listeners (net/listener.c) ---- */

/* Registers bind, port, unixsocket, unixsocketperm, unixsocketgroup,
 * tcp-backlog, tcp-keepalive and max-new-connections-per-cycle. */
void listener_register_config(void);
/* 1 if a TCP or Unix listener is configured (the socket module is needed). */
int listener_socket_needed(void);
/* Opens every configured listener. On failure logs Valkey's lines and
 * returns -1; nothing stays open. */
int listener_open_all(void);
/* Reopens the listener of connection type name ("tcp", "unix", "tls") from
 * the current options (KeelCore.listener_reopen). 0, or -1 with err. */
int listener_reopen_type(const char *name, char *err, size_t errlen);
/* Number of listeners open now. */
int listener_count(void);
/* Closes every listener (and removes the Unix socket file). */
void listener_close_all(void);
/* Appends INFO server's "listenerN:name=...,bind=...,port=..." lines. */
sds listener_info(sds out);
/* The TCP port actually configured (INFO tcp_port). */
int listener_tcp_port(void);
/* accept budget per wakeup (max-new-connections-per-cycle). */
int listener_accept_budget(void);
/* 1 if the server binds only loopback or protected mode should apply... */
const char *listener_unix_path(void);

#endif
