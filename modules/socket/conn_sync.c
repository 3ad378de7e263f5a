/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socket/conn_sync.c: the blocking side of socket connections: blocking
 * connect and sync_write / sync_read / sync_readline, each bounded by a
 * deadline on the monotonic clock.
 *
 * Used by the replication handshake and MIGRATE, which block the main thread
 * on purpose and for a bounded time. The fd stays non-blocking throughout;
 * waiting is poll() on that one fd, so the event loop's registrations are
 * left alone. A wait that passes its deadline returns -1 with last_errno
 * ETIMEDOUT and leaves the state as it was (the caller decides whether the
 * link is worth keeping); a socket error sets state ERROR.
 *
 * Threads: main only.
 */
#include "internal.h"

#include <assert.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/conn_sync_read.h"
#include "../common/netsock.h"

/* Waits for events on conn's fd. Returns 0 when ready, or -1 with
 * last_errno set (ETIMEDOUT: state unchanged; anything else: state ERROR). */
static int sync_wait(KeelConn *conn, short events, long long deadline_ms) {
    int r = netsock_wait(conn->fd, events, deadline_ms);
    if (r == 1) return 0;
    if (r == 0)
        conn->last_errno = ETIMEDOUT;
    else
        sock_conn_fail(conn, errno);
    return -1;
}

int sock_connect_wait(KeelConn *conn, int fd, long long timeout_ms) {
    assert(sock_core->is_main_thread());
    conn->fd = fd; /* owned by conn from here: close() releases it */
    conn->state = KEEL_CONN_CONNECTING;
    int r = netsock_wait(fd, POLLOUT, netsock_deadline_ms(timeout_ms));
    if (r != 1) {
        sock_conn_fail(conn, r == 0 ? ETIMEDOUT : errno);
        return -1;
    }
    int err = netsock_connect_result(fd);
    if (err != 0) {
        sock_conn_fail(conn, err);
        return -1;
    }
    conn->state = KEEL_CONN_CONNECTED;
    return 0;
}

/* Reads once into buf, waiting for data up to the deadline. Returns bytes
 * read (> 0), or -1 with last_errno, or with state CLOSED on end of stream. */
static ssize_t sync_read_some(KeelConn *conn, char *buf, size_t len, long long deadline_ms) {
    for (;;) {
        ssize_t n = read(conn->fd, buf, len);
        if (n > 0) return n;
        if (n == 0) {
            conn->state = KEEL_CONN_CLOSED;
            return -1;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            sock_conn_fail(conn, errno);
            return -1;
        }
        if (sync_wait(conn, POLLIN, deadline_ms) == -1) return -1;
    }
}

ssize_t sock_sync_write(KeelConn *conn, const char *buf, ssize_t len, long long timeout_ms) {
    assert(sock_core->is_main_thread());
    long long deadline_ms = netsock_deadline_ms(timeout_ms);
    ssize_t done = 0;
    while (done < len) {
        ssize_t n = send(conn->fd, buf + done, (size_t)(len - done), MSG_NOSIGNAL);
        if (n > 0) {
            done += n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            sock_conn_fail(conn, errno);
            return -1;
        }
        if (sync_wait(conn, POLLOUT, deadline_ms) == -1) return -1;
    }
    return done;
}

ssize_t sock_sync_read(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms) {
    assert(sock_core->is_main_thread());
    return conn_sync_read_all(conn, buf, len, netsock_deadline_ms(timeout_ms), sync_read_some);
}

ssize_t sock_sync_readline(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms) {
    assert(sock_core->is_main_thread());
    return conn_sync_read_line(conn, buf, len, netsock_deadline_ms(timeout_ms), sync_read_some);
}
