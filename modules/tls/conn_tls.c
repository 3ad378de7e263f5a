/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls/conn_tls.c: the TLS connection: create and close, the non-blocking
 * handshake, SSL_read/SSL_write with their WANT inversions, the event glue
 * between one fd and the connection's handlers, and the pending list of
 * connections whose decrypted bytes the poller cannot see.
 *
 * Event interest is derived in one place (tls_events_wanted) from the
 * handshake's want, the handlers, and the two WANT inversions: SSL_read may
 * need the socket writable (READ_WANTS_WRITE: run the read handler when it
 * is) and SSL_write readable (WRITE_WANTS_READ: run the write handler).
 *
 * Threads: read, write, writev and last_error may run on the IO thread that
 * owns the connection (KEEL_CT_IOTHREAD_READ/WRITE). They touch only the SSL
 * object, the connection's state and TlsConn.io_flags/error; what they learnt
 * (WANT inversions, bytes left inside OpenSSL) reaches the event loop and the
 * pending list either at once (main thread) or in update_state when the job
 * completes. Everything else is main thread only. The engine gives a
 * connection to one thread at a time, so one SSL object is never used by two
 * threads at once; OpenSSL's error queue is per thread.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/netsock.h"

/* writev copies up to this many bytes into one SSL_write (Valkey's
 * NET_MAX_WRITES_PER_EVENT): one record per 16 KiB instead of one per iovec. */
#define TLS_WRITEV_COPY_MAX (64 * 1024)

/* ---- the pending list (main thread only) ---------------------------------- */

static TlsConn *pending_head, *pending_tail;
static int pending_count;

static void pending_add(TlsConn *t) {
    if (t->loop_flags & TLS_LOOP_ON_PENDING) return;
    t->loop_flags |= TLS_LOOP_ON_PENDING;
    t->pending_next = NULL;
    t->pending_prev = pending_tail;
    if (pending_tail)
        pending_tail->pending_next = t;
    else
        pending_head = t;
    pending_tail = t;
    pending_count++;
}

static void pending_remove(TlsConn *t) {
    if (!(t->loop_flags & TLS_LOOP_ON_PENDING)) return;
    t->loop_flags &= ~(uint32_t)TLS_LOOP_ON_PENDING;
    if (t->pending_prev)
        t->pending_prev->pending_next = t->pending_next;
    else
        pending_head = t->pending_next;
    if (t->pending_next)
        t->pending_next->pending_prev = t->pending_prev;
    else
        pending_tail = t->pending_prev;
    t->pending_prev = t->pending_next = NULL;
    pending_count--;
}

/* Puts the connection on the pending list exactly when OpenSSL holds bytes
 * for a read handler that would take them. Main, not postponed. */
static void pending_sync(TlsConn *t) {
    if ((t->io_flags & TLS_IO_HAS_PENDING) && t->conn.read_cb != NULL &&
        t->conn.state == KEEL_CONN_CONNECTED)
        pending_add(t);
    else
        pending_remove(t);
}

static int tls_has_pending_data(void) {
    return pending_head != NULL;
}

/* Runs the read handler of every connection listed when the call began,
 * once each. A connection leaves the list before its handler runs; the read
 * puts it back if OpenSSL still holds bytes (a handler reads at most one
 * chunk), so the next loop turn continues without waiting on the poller. */
static int tls_process_pending_data(void) {
    int budget = pending_count, ran = 0;
    while (budget-- > 0 && pending_head != NULL) {
        TlsConn *t = pending_head;
        pending_remove(t);
        KeelConn *conn = &t->conn;
        if (conn->read_cb == NULL || (conn->flags & KEEL_CONN_F_POSTPONED)) continue;
        ran++;
        (void)keel_conn_call(conn, conn->read_cb); /* conn may be gone after */
    }
    return ran;
}

/* ---- event interest (main thread only) ------------------------------------ */

static int tls_events_wanted(TlsConn *t) {
    KeelConn *conn = &t->conn;
    if (conn->state == KEEL_CONN_ACCEPTING) return t->handshake_want;
    if (conn->state == KEEL_CONN_CONNECTING)
        return (t->loop_flags & TLS_LOOP_TCP_CONNECT) ? KEEL_EV_WRITABLE : t->handshake_want;
    int mask = 0;
    if (conn->read_cb || (t->io_flags & TLS_IO_WRITE_WANTS_READ)) mask |= KEEL_EV_READABLE;
    if (conn->write_cb || (t->io_flags & TLS_IO_READ_WANTS_WRITE)) mask |= KEEL_EV_WRITABLE;
    return mask;
}

/* Returns 0, or -1 with errno when the fd cannot be watched. */
static int tls_events_apply(TlsConn *t) {
    assert(!(t->conn.flags & KEEL_CONN_F_POSTPONED));
    if (t->conn.fd == -1) return 0;
    int want = tls_events_wanted(t);
    int add = want & ~t->ev_mask, drop = t->ev_mask & ~want;
    if (add && tls_core->ev_add(t->conn.fd, add, tls_event_proc, t) == -1) return -1;
    if (drop) tls_core->ev_remove(t->conn.fd, drop);
    t->ev_mask = want;
    return 0;
}

void tls_events_update(TlsConn *t) {
    /* A failure means the fd is broken; the next read or write reports it. */
    (void)tls_events_apply(t);
}

/* After an IO call: on the main thread apply what it learnt now; an IO
 * thread leaves it to update_state. */
static void tls_after_io(TlsConn *t) {
    if (!tls_core->is_main_thread()) return;
    if (t->conn.flags & KEEL_CONN_F_POSTPONED) return; /* not ours to apply */
    pending_sync(t);
    if (tls_events_wanted(t) != t->ev_mask) tls_events_update(t);
}

/* ---- create / close ------------------------------------------------------- */

TlsConn *tls_conn_create(SSL_CTX *ctx, int fd, int state) {
    TlsConn *t = tls_core->mem_calloc(sizeof *t);
    if (t == NULL) return NULL;
    t->conn.type = &tls_conn_type;
    t->conn.state = state;
    t->conn.fd = fd;
    t->conn.tp = t;
    if (ctx == NULL) return t;
    ERR_clear_error();
    t->ssl = SSL_new(ctx);
    if (t->ssl == NULL || (fd != -1 && SSL_set_fd(t->ssl, fd) != 1)) {
        char why[160];
        tls_error_text(why, sizeof why, "out of memory");
        tls_core->log(KEEL_LOG_WARNING, "TLS connection setup failed: %s", why);
        SSL_free(t->ssl);
        tls_core->mem_free(t);
        return NULL;
    }
    return t;
}

void tls_conn_close(KeelConn *conn) {
    assert(tls_core->is_main_thread());
    assert(!(conn->flags & KEEL_CONN_F_POSTPONED)); /* the core never closes under a job */
    if (conn->refs > 0) {
        conn->flags |= KEEL_CONN_F_CLOSE_SCHEDULED; /* keel_conn_call closes it */
        return;
    }
    TlsConn *t = tls_of(conn);
    pending_remove(t);
    if (conn->fd != -1) tls_core->ev_remove(conn->fd, KEEL_EV_READABLE | KEEL_EV_WRITABLE);
    if (t->ssl) {
        /* close_notify, best effort: the socket is non-blocking and about to
         * close, so whatever does not fit now is dropped. */
        if (conn->state == KEEL_CONN_CONNECTED && !(t->loop_flags & TLS_LOOP_SHUTDOWN)) {
            ERR_clear_error();
            (void)SSL_shutdown(t->ssl);
        }
        SSL_free(t->ssl);
        ERR_clear_error();
    }
    if (conn->fd != -1) close(conn->fd);
    tls_core->mem_free(t);
}

static void tls_conn_shutdown(KeelConn *conn) {
    TlsConn *t = tls_of(conn);
    if (conn->fd == -1) return;
    if (t->ssl && conn->state == KEEL_CONN_CONNECTED && !(t->loop_flags & TLS_LOOP_SHUTDOWN)) {
        ERR_clear_error();
        (void)SSL_shutdown(t->ssl);
        ERR_clear_error();
        t->loop_flags |= TLS_LOOP_SHUTDOWN;
    }
    (void)shutdown(conn->fd, SHUT_WR); /* best effort, as the socket type */
}

/* ---- errors --------------------------------------------------------------- */

int tls_record_failure(TlsConn *t, int ret) {
    KeelConn *conn = &t->conn;
    int saved_errno = errno;
    int code = SSL_get_error(t->ssl, ret);
    switch (code) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        break;
    case SSL_ERROR_ZERO_RETURN:
        conn->state = KEEL_CONN_CLOSED;
        break;
    case SSL_ERROR_SYSCALL:
        conn->last_errno = saved_errno ? saved_errno : ECONNRESET;
        if (saved_errno)
            snprintf(t->error, sizeof t->error, "%s", strerror(saved_errno));
        else
            tls_error_text(t->error, sizeof t->error, "unexpected EOF");
        conn->state = KEEL_CONN_ERROR;
        break;
    default:
        tls_error_text(t->error, sizeof t->error, "TLS error");
        conn->last_errno = EPROTO;
        conn->state = KEEL_CONN_ERROR;
        break;
    }
    ERR_clear_error();
    return code;
}

static const char *tls_last_error(KeelConn *conn) {
    TlsConn *t = tls_of(conn);
    if (t->error[0]) return t->error;
    return conn->last_errno ? strerror(conn->last_errno) : NULL;
}

/* ---- IO ------------------------------------------------------------------- */

static ssize_t tls_read(KeelConn *conn, void *buf, size_t len) {
    TlsConn *t = tls_of(conn);
    if (conn->state != KEEL_CONN_CONNECTED || t->ssl == NULL) return -1;
    if (len == 0) return 0;
    if (len > INT_MAX) len = INT_MAX;
    ERR_clear_error();
    int n = SSL_read(t->ssl, buf, (int)len);
    uint32_t io = t->io_flags & ~(uint32_t)(TLS_IO_READ_WANTS_WRITE | TLS_IO_HAS_PENDING);
    int code = 0;
    if (n > 0) {
        if (SSL_pending(t->ssl) > 0) io |= TLS_IO_HAS_PENDING;
    } else {
        code = tls_record_failure(t, n);
        if (code == SSL_ERROR_WANT_WRITE) io |= TLS_IO_READ_WANTS_WRITE;
    }
    t->io_flags = io;
    tls_after_io(t);
    if (n > 0) return n;
    return code == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

static ssize_t tls_write(KeelConn *conn, const void *buf, size_t len) {
    TlsConn *t = tls_of(conn);
    /* Not before the handshake is done: SSL_write would run it implicitly,
     * outside the accept/connect state machine. */
    if (conn->state != KEEL_CONN_CONNECTED || t->ssl == NULL) return -1;
    if (len == 0) return 0;
    if (len > INT_MAX) len = INT_MAX;
    ERR_clear_error();
    int n = SSL_write(t->ssl, buf, (int)len);
    uint32_t io = t->io_flags & ~(uint32_t)TLS_IO_WRITE_WANTS_READ;
    if (n <= 0 && tls_record_failure(t, n) == SSL_ERROR_WANT_READ) io |= TLS_IO_WRITE_WANTS_READ;
    t->io_flags = io;
    tls_after_io(t);
    return n > 0 ? n : -1;
}

/* One buffer per thread for writev's copy: IO threads write concurrently. */
static _Thread_local char writev_copy[TLS_WRITEV_COPY_MAX];

/* OpenSSL requires a write that returned WANT_* to be retried with at least
 * as many bytes (the address may move: ACCEPT_MOVING_WRITE_BUFFER). The core
 * retries with the same unsent bytes plus whatever was appended since, so the
 * amount chosen here, min(total, 64 KiB), never shrinks between retries. */
static ssize_t tls_writev(KeelConn *conn, const struct iovec *iov, int iovcnt) {
    if (iovcnt <= 0) return 0;
    if (iovcnt == 1) return tls_write(conn, iov[0].iov_base, iov[0].iov_len);
    size_t used = 0;
    for (int i = 0; i < iovcnt && used < sizeof writev_copy; i++) {
        size_t take = iov[i].iov_len;
        if (take > sizeof writev_copy - used) take = sizeof writev_copy - used;
        memcpy(writev_copy + used, iov[i].iov_base, take);
        used += take;
    }
    return tls_write(conn, writev_copy, used);
}

/* ---- handlers --------------------------------------------------------------- */

static int tls_set_read_handler(KeelConn *conn, KeelConnHandler handler) {
    assert(tls_core->is_main_thread());
    TlsConn *t = tls_of(conn);
    KeelConnHandler old = conn->read_cb;
    conn->read_cb = handler;
    if (conn->flags & KEEL_CONN_F_POSTPONED) return 0; /* update_state applies it */
    if (tls_events_apply(t) == -1) {
        conn->read_cb = old;
        conn->last_errno = errno;
        return -1;
    }
    /* Bytes OpenSSL already decrypted would not wake the poller. */
    if (handler && t->ssl && conn->state == KEEL_CONN_CONNECTED && SSL_pending(t->ssl) > 0)
        t->io_flags |= TLS_IO_HAS_PENDING;
    pending_sync(t);
    return 0;
}

static int tls_set_write_handler(KeelConn *conn, KeelConnHandler handler, int barrier) {
    assert(tls_core->is_main_thread());
    KeelConnHandler old = conn->write_cb;
    conn->write_cb = handler;
    if (!(conn->flags & KEEL_CONN_F_POSTPONED) && tls_events_apply(tls_of(conn)) == -1) {
        conn->write_cb = old; /* nothing changed, barrier included */
        conn->last_errno = errno;
        return -1;
    }
    if (handler != NULL && barrier)
        conn->flags |= KEEL_CONN_F_WRITE_BARRIER;
    else
        conn->flags &= (uint16_t)~KEEL_CONN_F_WRITE_BARRIER;
    return 0;
}

static void tls_postpone_update_state(KeelConn *conn, int on) {
    assert(tls_core->is_main_thread());
    if (on) {
        conn->flags |= KEEL_CONN_F_POSTPONED;
        pending_remove(tls_of(conn)); /* the job reads; update_state re-lists */
    } else {
        conn->flags &= (uint16_t)~KEEL_CONN_F_POSTPONED;
    }
}

static int tls_handshake_after(TlsConn *t, int accepting);

static void tls_update_state(KeelConn *conn) {
    assert(tls_core->is_main_thread());
    TlsConn *t = tls_of(conn);
    t->loop_flags &= ~(uint32_t)TLS_LOOP_REFIRED; /* the job is over */
    if (t->loop_flags & TLS_LOOP_HANDSHAKE_OFFLOADED) {
        /* An ACCEPT job ran a handshake step: wait again, or finish. */
        t->loop_flags &= ~(uint32_t)TLS_LOOP_HANDSHAKE_OFFLOADED;
        (void)tls_handshake_after(t, 1);
        return;
    }
    pending_sync(t);
    tls_events_update(t);
}

/* ---- handshake -------------------------------------------------------------- */

/* One SSL_accept / SSL_connect. Records the outcome in the connection (state,
 * handshake_want, error) and touches nothing else, so it may run on the IO
 * thread that owns an accepting connection. Returns 1 while the handshake
 * waits for the socket. */
static int tls_handshake_io(TlsConn *t) {
    KeelConn *conn = &t->conn;
    int accepting = conn->state == KEEL_CONN_ACCEPTING;
    ERR_clear_error();
    int r = accepting ? SSL_accept(t->ssl) : SSL_connect(t->ssl);
    if (r == 1) {
        conn->state = KEEL_CONN_CONNECTED;
        t->handshake_want = 0;
        return 0;
    }
    int code = tls_record_failure(t, r);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
        t->handshake_want = code == SSL_ERROR_WANT_READ ? KEEL_EV_READABLE : KEEL_EV_WRITABLE;
        return 1;
    }
    if (conn->state != KEEL_CONN_ERROR) {
        /* A clean close in the middle of the handshake is still a failure. */
        conn->state = KEEL_CONN_ERROR;
        if (t->error[0] == '\0')
            snprintf(t->error, sizeof t->error, "connection closed during the TLS handshake");
    }
    t->handshake_want = 0;
    return 0;
}

/* What follows a handshake step, on the main thread: wait for the socket,
 * or count the outcome and run conn_cb. Returns keel_conn_call's value
 * (0: the connection is gone). */
static int tls_handshake_after(TlsConn *t, int accepting) {
    KeelConn *conn = &t->conn;
    if (t->handshake_want != 0) {
        if (tls_events_apply(t) == 0) return 1; /* wait for the socket */
        conn->last_errno = errno;
        snprintf(t->error, sizeof t->error, "cannot watch the socket: %s", strerror(errno));
        conn->state = KEEL_CONN_ERROR;
        t->handshake_want = 0;
    }
    if (accepting) {
        if (conn->state == KEEL_CONN_CONNECTED)
            tls_handshake_done();
        else
            tls_handshake_failed(conn, t->error);
    }
    tls_events_update(t); /* drops the handshake's interest */
    KeelConnHandler cb = conn->conn_cb;
    conn->conn_cb = NULL;
    return keel_conn_call(conn, cb);
}

int tls_handshake_step(TlsConn *t) {
    int accepting = t->conn.state == KEEL_CONN_ACCEPTING;
    (void)tls_handshake_io(t);
    return tls_handshake_after(t, accepting);
}

/* Offers the next step of an accepting connection's handshake to an IO
 * thread (the core decides; KEEL_CONN_F_OFFLOAD_OK says it may). 1 if a job
 * took it: the connection is postponed until update_state. Main. */
static int tls_offload_handshake(TlsConn *t) {
    /* An older core has no io_offload_handshake: the main thread does it. */
    if (!(t->conn.flags & KEEL_CONN_F_OFFLOAD_OK) ||
        !KEEL_CORE_HAS(tls_core, io_offload_handshake) || tls_core->io_offload_handshake == NULL)
        return 0;
    if (!tls_core->io_offload_handshake(&t->conn)) return 0;
    t->loop_flags |= TLS_LOOP_HANDSHAKE_OFFLOADED; /* update_state finishes it */
    return 1;
}

static KeelConn *tls_conn_create_accepted(int fd, void *listener_priv) {
    (void)listener_priv;
    SSL_CTX *ctx = tls_server_ctx();
    if (ctx == NULL) return NULL; /* the listener never opens without one */
    TlsConn *t = tls_conn_create(ctx, fd, KEEL_CONN_ACCEPTING);
    if (t == NULL) return NULL;
    /* tls-auth-clients is read here, per connection, so CONFIG SET of it
     * applies to new connections and never needs a context rebuild. */
    int mode = SSL_VERIFY_NONE;
    if (tls_opts.auth_clients == TLS_AUTH_YES)
        mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    else if (tls_opts.auth_clients == TLS_AUTH_OPTIONAL)
        mode = SSL_VERIFY_PEER;
    SSL_set_verify(t->ssl, mode, NULL);
    SSL_set_accept_state(t->ssl);
    return &t->conn;
}

/* Starts the handshake; the contract of KeelConnType.accept: -1 when it
 * already failed or cb closed the connection (the caller then closes).
 * On the IO thread that owns a postponed connection (an ACCEPT job) it runs
 * one step and only records it; update_state finishes on the main thread. */
static int tls_accept(KeelConn *conn, KeelConnHandler cb) {
    if (conn->state != KEEL_CONN_ACCEPTING) return -1;
    conn->conn_cb = cb;
    if (!tls_core->is_main_thread()) {
        assert(conn->flags & KEEL_CONN_F_POSTPONED);
        (void)tls_handshake_io(tls_of(conn));
        return conn->state == KEEL_CONN_ERROR ? -1 : 0;
    }
    if (tls_offload_handshake(tls_of(conn))) return 0; /* update_state goes on */
    conn->refs++; /* keeps conn allocated through a cb that closes it */
    (void)tls_handshake_step(tls_of(conn));
    conn->refs--;
    if (conn->flags & KEEL_CONN_F_CLOSE_SCHEDULED) return -1;
    return conn->state == KEEL_CONN_ERROR || conn->state == KEEL_CONN_CLOSED ? -1 : 0;
}

static KeelConn *tls_conn_create_outgoing(void) {
    SSL_CTX *ctx = tls_client_ctx();
    if (ctx == NULL) {
        tls_core->log(KEEL_LOG_WARNING, "TLS connection requested, but TLS is not configured");
        return NULL;
    }
    TlsConn *t = tls_conn_create(ctx, -1, KEEL_CONN_NONE);
    if (t == NULL) return NULL;
    SSL_set_connect_state(t->ssl);
    return &t->conn;
}

static int tls_connect(KeelConn *conn, const char *addr, int port, const char *src_addr,
                       KeelConnHandler cb) {
    assert(tls_core->is_main_thread());
    TlsConn *t = tls_of(conn);
    int fd = netsock_tcp_connect(addr, port, src_addr);
    if (fd == -1 || SSL_set_fd(t->ssl, fd) != 1) {
        conn->last_errno = fd == -1 ? errno : ENOMEM;
        conn->state = KEEL_CONN_ERROR;
        if (fd != -1) close(fd);
        return -1;
    }
    (void)netsock_set_nodelay(fd, 1); /* fails only on a broken socket */
    conn->fd = fd;
    conn->state = KEEL_CONN_CONNECTING;
    conn->conn_cb = cb;
    t->loop_flags |= TLS_LOOP_TCP_CONNECT;
    if (tls_events_apply(t) == -1) {
        conn->last_errno = errno;
        conn->state = KEEL_CONN_ERROR;
        conn->conn_cb = NULL;
        return -1;
    }
    return 0;
}

/* ---- the event proc ----------------------------------------------------------- */

/* The TCP connect of an outgoing connection finished: start the handshake,
 * or report the failure to conn_cb. */
static void tls_tcp_connected(TlsConn *t) {
    KeelConn *conn = &t->conn;
    t->loop_flags &= ~(uint32_t)TLS_LOOP_TCP_CONNECT;
    int err = netsock_connect_result(conn->fd);
    if (err == 0) {
        (void)tls_handshake_step(t);
        return;
    }
    conn->last_errno = err;
    conn->state = KEEL_CONN_ERROR;
    tls_events_update(t);
    KeelConnHandler cb = conn->conn_cb;
    conn->conn_cb = NULL;
    (void)keel_conn_call(conn, cb);
}

void tls_event_proc(int fd, void *data, int mask) {
    TlsConn *t = data;
    KeelConn *conn = &t->conn;
    if (conn->flags & KEEL_CONN_F_POSTPONED) {
        /* An IO job owns the connection. As in the socket type: ignore the
         * refire and report it (the core then waits for the job instead of
         * spinning); a core without ev_event_ignored gets the older rule,
         * ignore the first refire and drop the interest on the second,
         * which update_state restores (the level-triggered poller reports
         * what arrived meanwhile). */
        if (KEEL_CORE_HAS(tls_core, ev_event_ignored)) {
            tls_core->ev_event_ignored();
            return;
        }
        if (!(t->loop_flags & TLS_LOOP_REFIRED)) {
            t->loop_flags |= TLS_LOOP_REFIRED;
            return;
        }
        tls_core->ev_remove(fd, mask);
        t->ev_mask &= ~mask;
        return;
    }
    if (conn->state == KEEL_CONN_CONNECTING && (t->loop_flags & TLS_LOOP_TCP_CONNECT)) {
        if (mask & KEEL_EV_WRITABLE) tls_tcp_connected(t);
        return;
    }
    if (conn->state == KEEL_CONN_ACCEPTING && tls_offload_handshake(t)) return;
    if (conn->state == KEEL_CONN_ACCEPTING || conn->state == KEEL_CONN_CONNECTING) {
        (void)tls_handshake_step(t);
        return;
    }
    int call_read = ((mask & KEEL_EV_READABLE) && conn->read_cb) ||
                    ((mask & KEEL_EV_WRITABLE) && (t->io_flags & TLS_IO_READ_WANTS_WRITE));
    int call_write = ((mask & KEEL_EV_WRITABLE) && conn->write_cb) ||
                     ((mask & KEEL_EV_READABLE) && (t->io_flags & TLS_IO_WRITE_WANTS_READ));
    /* With the write barrier, write first (see socket/conn_socket.c). Each
     * handler may close conn: 0 from keel_conn_call means it is freed. */
    int barrier = (conn->flags & KEEL_CONN_F_WRITE_BARRIER) != 0;
    if (barrier && call_write && !keel_conn_call(conn, conn->write_cb)) return;
    if (call_read && !keel_conn_call(conn, conn->read_cb)) return;
    if (!barrier && call_write && !keel_conn_call(conn, conn->write_cb)) return;
    if (!(conn->flags & KEEL_CONN_F_POSTPONED)) tls_events_update(t);
}

/* ---- peer certificate ------------------------------------------------------- */

static char *tls_peer_cert(KeelConn *conn) {
    TlsConn *t = tls_of(conn);
    if (t->ssl == NULL) return NULL;
    X509 *cert = SSL_get0_peer_certificate(t->ssl);
    if (cert == NULL) return NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    char *pem = NULL;
    if (bio && PEM_write_bio_X509(bio, cert) == 1) {
        char *data;
        long len = BIO_get_mem_data(bio, &data);
        pem = malloc((size_t)len + 1); /* the contract: caller frees with free() */
        if (pem) {
            memcpy(pem, data, (size_t)len);
            pem[len] = '\0';
        }
    }
    BIO_free(bio);
    ERR_clear_error();
    return pem;
}

/* ---- the type ------------------------------------------------------------------- */

static int tls_type_configure(int reconfigure, char *err, size_t errlen) {
    /* Only when TLS is used: a config may load the module with tls-port 0. */
    if (!tls_enabled()) return 0;
    return tls_configure(reconfigure, err, errlen);
}

static void tls_type_cleanup(void) {
    tls_contexts_release();
}

const KeelConnType tls_conn_type = {
    .size = sizeof(KeelConnType),
    .name = "tls",
    .caps = KEEL_CT_SECURE | KEEL_CT_IOTHREAD_READ | KEEL_CT_IOTHREAD_WRITE |
            KEEL_CT_IOTHREAD_ACCEPT,

    .init = NULL,
    .cleanup = tls_type_cleanup,
    .configure = tls_type_configure,

    .listen = tls_listen,
    .close_listener = tls_close_listener,
    .accept_ready = tls_accept_ready,
    .addr = tls_addr,
    .is_local = tls_is_local,

    .conn_create = tls_conn_create_outgoing,
    .conn_create_accepted = tls_conn_create_accepted,
    .accept = tls_accept,
    .connect = tls_connect,
    .blocking_connect = tls_blocking_connect,
    .shutdown = tls_conn_shutdown,
    .close = tls_conn_close,

    .read = tls_read,
    .write = tls_write,
    .writev = tls_writev,
    .set_read_handler = tls_set_read_handler,
    .set_write_handler = tls_set_write_handler,
    .last_error = tls_last_error,

    .sync_write = tls_sync_write,
    .sync_read = tls_sync_read,
    .sync_readline = tls_sync_readline,

    .has_pending_data = tls_has_pending_data,
    .process_pending_data = tls_process_pending_data,
    .postpone_update_state = tls_postpone_update_state,
    .update_state = tls_update_state,
    .peer_cert = tls_peer_cert,
    .info = tls_info,
};
