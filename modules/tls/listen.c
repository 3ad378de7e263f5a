/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls/listen.c: the TLS listener: binding tls-port on the bind addresses
 * (the core fills the KeelListener like a TCP one), the accept loop, peer
 * and local addresses, and CONFIG SET tls-port.
 *
 * Accepting only creates the connection and its SSL object (from the server
 * context current at that moment) and hands it to the core; the handshake
 * starts when the core calls accept (conn_tls.c).
 *
 * CONFIG SET tls-port is this module's apply hook, and the core's listener
 * table is not reachable through the ABI, so the move is done on the
 * KeelListener the core opened through tls_listen: bind the new port first,
 * then close the old sockets and put the new ones in the same record (the
 * core closes whatever that record holds). That is the fallback for an
 * older core; a core with KeelCore.listener_reopen reopens its own TLS
 * listener, which also turns TLS on from tls-port 0.
 *
 * Threads: addr on any thread; everything else on the main thread.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/netsock.h"

static KeelListener *open_listener; /* the core's TLS listener record; main only */

int tls_listen(KeelListener *l, char *err, size_t errlen) {
    assert(tls_core->is_main_thread());
    if (tls_server_ctx() == NULL) {
        snprintf(err, errlen, "TLS is not configured: tls-cert-file and tls-key-file are needed");
        return -1;
    }
    if (netsock_tcp_listen(tls_core, l, err, errlen) != 0) return -1;
    open_listener = l;
    return 0;
}

void tls_close_listener(KeelListener *l) {
    assert(tls_core->is_main_thread());
    netsock_close_fds(tls_core, l);
    if (open_listener == l) open_listener = NULL;
}

void tls_accept_ready(KeelListener *l, int fd) {
    assert(tls_core->is_main_thread());
    int budget = tls_core->accept_budget();
    if (budget < 1) budget = 1; /* a wakeup that accepts nothing would spin */
    while (budget > 0) {
        char ip[NETSOCK_IP_MAX] = "";
        int cfd = netsock_accept(fd, ip, sizeof ip, NULL);
        if (cfd == -1) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                tls_core->log(KEEL_LOG_WARNING, "Accepting client connection: accept: %s",
                              strerror(errno));
            return;
        }
        budget--;
        /* Latency and dead-peer detection only: a failure keeps the socket. */
        (void)netsock_set_nodelay(cfd, 1);
        if (l->keepalive > 0) (void)netsock_set_keepalive(cfd, l->keepalive);
        KeelConn *conn = tls_conn_type.conn_create_accepted(cfd, l->priv);
        if (conn == NULL) {
            tls_core->log(KEEL_LOG_WARNING,
                          "Accepting client connection: cannot create the TLS connection");
            close(cfd);
            continue;
        }
        tls_core->accept_client(conn, 0, ip); /* the core owns conn from here */
    }
}

int tls_addr(KeelConn *conn, char *ip, size_t iplen, int *port, int remote) {
    if (conn->fd == -1) return -1;
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    int r = remote ? getpeername(conn->fd, (struct sockaddr *)&ss, &sslen)
                   : getsockname(conn->fd, (struct sockaddr *)&ss, &sslen);
    if (r == -1) return -1;
    return netsock_addr_to_text(&ss, sslen, ip, iplen, port);
}

int tls_is_local(KeelConn *conn) {
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    if (conn->fd == -1 || getpeername(conn->fd, (struct sockaddr *)&ss, &sslen) == -1)
        return 0; /* unknown peer: protected mode must treat it as remote */
    return netsock_addr_is_loopback(&ss);
}

static void tls_listener_proc(int fd, void *data, int mask) {
    (void)mask;
    tls_accept_ready(data, fd);
}

int tls_port_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    /* A core that can reopen its listeners does it all, including turning
     * TLS on from tls-port 0 and off to 0. */
    if (tls_core->size >= offsetof(KeelCore, listener_reopen) + sizeof(tls_core->listener_reopen)) {
        if (tls_opts.port != 0 && tls_server_ctx() == NULL) {
            /* Started without TLS in use: build the contexts first. */
            char why[512];
            if (tls_configure(0, why, sizeof why) != 0) {
                tls_core->log(KEEL_LOG_WARNING, "%s", why);
                snprintf(err, errlen, "Unable to update TLS configuration. Check server logs.");
                return -1;
            }
        }
        return tls_core->listener_reopen("tls", err, errlen);
    }
    KeelListener *l = open_listener;
    int port = (int)tls_opts.port;
    if (l == NULL) {
        if (port == 0) return 0;
        snprintf(err, errlen, "tls-port can be enabled only at startup (it was 0 when the "
                              "server started); restart with tls-port set");
        return -1;
    }
    if (port == l->port) return 0;
    KeelListener fresh = *l; /* borrows l's addresses for the bind */
    fresh.fd_count = 0;
    fresh.port = port;
    if (port != 0) {
        char why[512];
        if (netsock_tcp_listen(tls_core, &fresh, why, sizeof why) != 0) {
            tls_core->log(KEEL_LOG_WARNING, "Warning: %s", why);
            tls_core->log(KEEL_LOG_WARNING, "Failed listening on port %d (tls)", port);
            snprintf(err, errlen, "Unable to listen on this port. Check server logs.");
            return -1;
        }
        for (int i = 0; i < fresh.fd_count; i++) {
            if (tls_core->ev_add(fresh.fds[i], KEEL_EV_READABLE, tls_listener_proc, l) == 0)
                continue;
            snprintf(err, errlen, "Unrecoverable error creating tls file event.");
            netsock_close_fds(tls_core, &fresh);
            return -1;
        }
    }
    netsock_close_fds(tls_core, l);
    memcpy(l->fds, fresh.fds, sizeof l->fds);
    l->fd_count = fresh.fd_count;
    l->port = port;
    return 0;
}
