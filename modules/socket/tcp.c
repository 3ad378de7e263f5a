/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socket/tcp.c: the "tcp" connection type: plain TCP over IPv4 and IPv6.
 *
 * Only what differs from a Unix socket lives here: binding the listener's
 * addresses, connecting to host:port, TCP_NODELAY on outgoing sockets, and
 * reading addresses back. The shared fd logic is conn_socket.c and
 * conn_sync.c; the accept loop is accept.c; socket plumbing is
 * common/netsock.c, which the TLS module links too.
 *
 * Threads: addr on any thread; everything else on the main thread.
 */
#include "internal.h"

#include <assert.h>
#include <sys/socket.h>

#include "../common/netsock.h"

static int tcp_listen(KeelListener *l, char *err, size_t errlen) {
    assert(sock_core->is_main_thread());
    return netsock_tcp_listen(sock_core, l, err, errlen);
}

static void tcp_close_listener(KeelListener *l) {
    assert(sock_core->is_main_thread());
    netsock_close_fds(sock_core, l);
}

static void tcp_accept_ready(KeelListener *l, int fd) {
    sock_accept_ready(&sock_tcp_type, l, fd);
}

static int tcp_addr(KeelConn *conn, char *ip, size_t iplen, int *port, int remote) {
    if (conn->fd == -1) return -1;
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    int r = remote ? getpeername(conn->fd, (struct sockaddr *)&ss, &sslen)
                   : getsockname(conn->fd, (struct sockaddr *)&ss, &sslen);
    if (r == -1) return -1;
    return netsock_addr_to_text(&ss, sslen, ip, iplen, port);
}

static int tcp_is_local(KeelConn *conn) {
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    if (conn->fd == -1 || getpeername(conn->fd, (struct sockaddr *)&ss, &sslen) == -1)
        return 0; /* unknown peer: protected mode must treat it as remote */
    return netsock_addr_is_loopback(&ss);
}

static KeelConn *tcp_conn_create(void) {
    return sock_conn_create(&sock_tcp_type, -1, KEEL_CONN_NONE);
}

static KeelConn *tcp_conn_create_accepted(int fd, void *listener_priv) {
    (void)listener_priv; /* tcp listeners keep no private state */
    return sock_conn_create(&sock_tcp_type, fd, KEEL_CONN_ACCEPTING);
}

/* Opens the socket for connect/blocking_connect. Returns the fd, or -1 with
 * state ERROR and last_errno set. */
static int tcp_connect_fd(KeelConn *conn, const char *addr, int port, const char *src_addr) {
    assert(sock_core->is_main_thread());
    assert(conn->fd == -1); /* a connection connects once */
    int fd = netsock_tcp_connect(addr, port, src_addr);
    if (fd == -1) {
        sock_conn_fail(conn, errno);
        return -1;
    }
    /* Replication and cluster links want small replies out at once. This can
     * only fail on a broken socket, which the connect outcome reports. */
    (void)netsock_set_nodelay(fd, 1);
    return fd;
}

static int tcp_connect(KeelConn *conn, const char *addr, int port, const char *src_addr,
                       KeelConnHandler cb) {
    int fd = tcp_connect_fd(conn, addr, port, src_addr);
    if (fd == -1) return -1;
    return sock_connect_start(conn, fd, cb);
}

static int tcp_blocking_connect(KeelConn *conn, const char *addr, int port,
                                long long timeout_ms) {
    int fd = tcp_connect_fd(conn, addr, port, NULL);
    if (fd == -1) return -1;
    return sock_connect_wait(conn, fd, timeout_ms);
}

const KeelConnType sock_tcp_type = {
    .size = sizeof(KeelConnType),
    .name = "tcp",
    .caps = KEEL_CT_IOTHREAD_READ | KEEL_CT_IOTHREAD_WRITE,

    .init = NULL,
    .cleanup = NULL,
    .configure = NULL,

    .listen = tcp_listen,
    .close_listener = tcp_close_listener,
    .accept_ready = tcp_accept_ready,
    .addr = tcp_addr,
    .is_local = tcp_is_local,

    .conn_create = tcp_conn_create,
    .conn_create_accepted = tcp_conn_create_accepted,
    .accept = sock_accept,
    .connect = tcp_connect,
    .blocking_connect = tcp_blocking_connect,
    .shutdown = sock_shutdown,
    .close = sock_close,

    .read = sock_read,
    .write = sock_write,
    .writev = sock_writev,
    .set_read_handler = sock_set_read_handler,
    .set_write_handler = sock_set_write_handler,
    .last_error = sock_last_error,

    .sync_write = sock_sync_write,
    .sync_read = sock_sync_read,
    .sync_readline = sock_sync_readline,

    .has_pending_data = NULL,
    .process_pending_data = NULL,
    .postpone_update_state = sock_postpone_update_state,
    .update_state = sock_update_state,
    .peer_cert = NULL,
};
