/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socket/accept.c: the accept loop of tcp and unix listeners, run when the
 * core sees a listening fd turn readable.
 *
 * One wakeup accepts at most core->accept_budget() connections
 * (max-new-connections-per-cycle), so a connection storm cannot starve the
 * clients already connected. Each accepted socket is non-blocking and
 * close-on-exec; TCP ones get TCP_NODELAY and, when tcp-keepalive > 0,
 * keepalive probes. Whether to keep a connection (maxclients, protected mode)
 * is the core's call in accept_client, not ours.
 *
 * Threads: main only.
 */
#include "internal.h"

#include <assert.h>
#include <string.h>
#include <unistd.h>

#include "../common/netsock.h"

/* Socket options for an accepted TCP connection. A failure costs latency or
 * dead-peer detection, not correctness, so it is logged and the connection
 * kept. */
static void tcp_options_set(int fd, int keepalive_s) {
    if (netsock_set_nodelay(fd, 1) == -1)
        sock_core->log(KEEL_LOG_VERBOSE, "Accepted connection: TCP_NODELAY: %s", strerror(errno));
    if (keepalive_s > 0 && netsock_set_keepalive(fd, keepalive_s) == -1)
        sock_core->log(KEEL_LOG_VERBOSE, "Accepted connection: SO_KEEPALIVE: %s", strerror(errno));
}

void sock_accept_ready(const KeelConnType *type, KeelListener *l, int fd) {
    assert(sock_core->is_main_thread());
    int is_unix = type == &sock_unix_type;
    int budget = sock_core->accept_budget();
    if (budget < 1) budget = 1; /* a wakeup that accepts nothing would spin */
    while (budget > 0) {
        char ip[NETSOCK_IP_MAX] = "";
        int cfd = netsock_accept(fd, is_unix ? NULL : ip, sizeof ip, NULL);
        if (cfd == -1) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                sock_core->log(KEEL_LOG_WARNING, "Accepting client connection: accept: %s",
                               strerror(errno));
            return; /* the fd stays readable if more wait: next turn */
        }
        budget--;
        if (!is_unix) tcp_options_set(cfd, l->keepalive);
        KeelConn *conn = type->conn_create_accepted(cfd, l->priv);
        if (conn == NULL) {
            sock_core->log(KEEL_LOG_WARNING,
                           "Accepting client connection: out of memory for the connection");
            close(cfd);
            continue;
        }
        /* The core owns conn from here, including closing it, and logs the
         * "Accepted ..." line (it reads the port back through addr). */
        sock_core->accept_client(conn, is_unix ? KEEL_ACCEPT_F_UNIX : 0,
                                 is_unix ? l->addrs[0] : ip);
    }
}
