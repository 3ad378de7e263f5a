/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socket/internal.h: what the files of keel-socket.so share with each other:
 * the core table, the two type tables, and the fd-based connection logic
 * that tcp.c and unix.c both plug into their vtables.
 *
 * Nothing here is ABI: the core sees only keel_module_abi and
 * keel_module_onload (module.c) and the KeelConnType tables it is handed.
 *
 * Connections of both types are a bare KeelConn: a socket keeps no state of
 * its own beyond the fd, and the event-loop interest is derived from
 * read_cb / write_cb / state whenever they change (tp is only a flag word
 * saying that a change made while updates were postponed is not applied).
 */
#ifndef KEEL_SOCKET_INTERNAL_H
#define KEEL_SOCKET_INTERNAL_H

#include <errno.h>

#include "keel/conn.h"
#include "keel/module.h"

/* Hidden: see the same pragma in common/netsock.h. */
#pragma GCC visibility push(hidden)

/* The core's table, set once by keel_module_onload before any type is
 * registered, never changed after. Read from any thread. */
extern const KeelCore *sock_core;

extern const KeelConnType sock_tcp_type;
extern const KeelConnType sock_unix_type;

/* Records a failed call: errno in last_errno, state ERROR. */
static inline void sock_conn_fail(KeelConn *conn, int err) {
    conn->last_errno = err;
    conn->state = KEEL_CONN_ERROR;
}

/* ---- conn_socket.c: lifecycle, IO and event glue -------------------------- */

/* Allocates a connection of type around fd (-1 for none yet) in state.
 * Returns NULL when the core's allocator fails. Thread: main. */
KeelConn *sock_conn_create(const KeelConnType *type, int fd, int state);
/* Finishes an accepted connection (no handshake): CONNECTED, then cb.
 * Returns -1 if the state was not ACCEPTING or cb closed the connection; the
 * connection is still allocated then and the caller must close it. */
int sock_accept(KeelConn *conn, KeelConnHandler cb);
/* Adopts fd, whose non-blocking connect is done or in progress: state
 * CONNECTING, cb runs once fd turns writable. Returns 0, or -1 with state
 * ERROR if fd cannot be watched (fd stays owned by conn). Thread: main. */
int sock_connect_start(KeelConn *conn, int fd, KeelConnHandler cb);
/* Adopts fd as above but waits for the outcome with poll() up to timeout_ms.
 * Returns 0 (CONNECTED), or -1 with state ERROR and last_errno (ETIMEDOUT on
 * timeout). Thread: main. */
int sock_connect_wait(KeelConn *conn, int fd, long long timeout_ms);
void sock_shutdown(KeelConn *conn);
void sock_close(KeelConn *conn);
ssize_t sock_read(KeelConn *conn, void *buf, size_t len);
ssize_t sock_write(KeelConn *conn, const void *buf, size_t len);
ssize_t sock_writev(KeelConn *conn, const struct iovec *iov, int iovcnt);
int sock_set_read_handler(KeelConn *conn, KeelConnHandler handler);
int sock_set_write_handler(KeelConn *conn, KeelConnHandler handler, int barrier);
const char *sock_last_error(KeelConn *conn);
/* Record (on=1) or stop recording handler changes while an IO job holds the
 * connection; sock_update_state applies what was recorded. Thread: main. */
void sock_postpone_update_state(KeelConn *conn, int on);
void sock_update_state(KeelConn *conn);

/* ---- conn_sync.c: blocking IO with a deadline ----------------------------- */

ssize_t sock_sync_write(KeelConn *conn, const char *buf, ssize_t len, long long timeout_ms);
ssize_t sock_sync_read(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);
ssize_t sock_sync_readline(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);

/* ---- accept.c: the accept loop of both listener kinds --------------------- */

/* Accepts up to core->accept_budget() connections from listening fd and hands
 * each to core->accept_client, wrapped as a connection of type. Thread: main. */
void sock_accept_ready(const KeelConnType *type, KeelListener *l, int fd);

#pragma GCC visibility pop

#endif
