/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls/conn_sync.c: the blocking side of TLS connections: blocking connect
 * (TCP connect, then the whole handshake) and sync_write / sync_read /
 * sync_readline, each bounded by a deadline on the monotonic clock.
 *
 * Used by the replication handshake and MIGRATE, which block the main thread
 * on purpose and for a bounded time. The socket stays non-blocking; every
 * SSL_ERROR_WANT_READ/WRITE becomes a poll() on the one fd for what OpenSSL
 * asked (a read may need writable, a write readable), so the event loop's
 * registrations are left alone. A passed deadline returns -1 with
 * last_errno ETIMEDOUT and leaves the state as it was; an SSL or socket
 * error sets state ERROR.
 *
 * Threads: main only.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <unistd.h>

#include <openssl/err.h>

#include "../common/conn_sync_read.h"
#include "../common/netsock.h"

/* Waits for what the SSL call that failed with code asked for. Returns 0
 * when ready to retry, or -1 (timeout: ETIMEDOUT, state kept; any other
 * failure: state ERROR). Codes other than WANT_* are final: -1. */
static int sync_wait_for(TlsConn *t, int code, long long deadline_ms) {
    short events;
    if (code == SSL_ERROR_WANT_READ)
        events = POLLIN;
    else if (code == SSL_ERROR_WANT_WRITE)
        events = POLLOUT;
    else
        return -1; /* tls_record_failure set the state */
    int r = netsock_wait(t->conn.fd, events, deadline_ms);
    if (r == 1) return 0;
    if (r == 0) {
        t->conn.last_errno = ETIMEDOUT;
    } else {
        t->conn.last_errno = errno;
        t->conn.state = KEEL_CONN_ERROR;
    }
    return -1;
}

int tls_blocking_connect(KeelConn *conn, const char *addr, int port, long long timeout_ms) {
    assert(tls_core->is_main_thread());
    TlsConn *t = tls_of(conn);
    long long deadline_ms = netsock_deadline_ms(timeout_ms);
    int fd = netsock_tcp_connect(addr, port, NULL);
    if (fd == -1) {
        conn->last_errno = errno;
        conn->state = KEEL_CONN_ERROR;
        return -1;
    }
    conn->fd = fd; /* owned by conn from here: close() releases it */
    conn->state = KEEL_CONN_CONNECTING;
    int r = netsock_wait(fd, POLLOUT, deadline_ms);
    int err = r == 1 ? netsock_connect_result(fd) : (r == 0 ? ETIMEDOUT : errno);
    if (err == 0 && SSL_set_fd(t->ssl, fd) != 1) err = ENOMEM;
    if (err != 0) {
        conn->last_errno = err;
        conn->state = KEEL_CONN_ERROR;
        return -1;
    }
    (void)netsock_set_nodelay(fd, 1);
    for (;;) {
        ERR_clear_error();
        int done = SSL_connect(t->ssl);
        if (done == 1) break;
        int code = tls_record_failure(t, done);
        if (sync_wait_for(t, code, deadline_ms) == -1) {
            conn->state = KEEL_CONN_ERROR; /* a half-done handshake is useless */
            return -1;
        }
    }
    conn->state = KEEL_CONN_CONNECTED;
    return 0;
}

ssize_t tls_sync_write(KeelConn *conn, const char *buf, ssize_t len, long long timeout_ms) {
    assert(tls_core->is_main_thread());
    TlsConn *t = tls_of(conn);
    long long deadline_ms = netsock_deadline_ms(timeout_ms);
    ssize_t done = 0;
    while (done < len) {
        ssize_t chunk = len - done > INT_MAX ? INT_MAX : len - done;
        ERR_clear_error();
        int n = SSL_write(t->ssl, buf + done, (int)chunk);
        if (n > 0) {
            done += n;
            continue;
        }
        if (sync_wait_for(t, tls_record_failure(t, n), deadline_ms) == -1) return -1;
    }
    return done;
}

/* Reads once, waiting up to the deadline. Returns bytes read (> 0), or -1
 * with last_errno, or with state CLOSED at the end of the stream. */
static ssize_t sync_read_some(TlsConn *t, char *buf, size_t len, long long deadline_ms) {
    if (len > INT_MAX) len = INT_MAX;
    for (;;) {
        ERR_clear_error();
        int n = SSL_read(t->ssl, buf, (int)len);
        if (n > 0) return n;
        if (sync_wait_for(t, tls_record_failure(t, n), deadline_ms) == -1) return -1;
    }
}

static ssize_t sync_read_some_conn(KeelConn *conn, char *buf, size_t len, long long deadline_ms) {
    return sync_read_some(tls_of(conn), buf, len, deadline_ms);
}

ssize_t tls_sync_read(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms) {
    assert(tls_core->is_main_thread());
    return conn_sync_read_all(conn, buf, len, netsock_deadline_ms(timeout_ms), sync_read_some_conn);
}

ssize_t tls_sync_readline(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms) {
    assert(tls_core->is_main_thread());
    return conn_sync_read_line(conn, buf, len, netsock_deadline_ms(timeout_ms), sync_read_some_conn);
}
