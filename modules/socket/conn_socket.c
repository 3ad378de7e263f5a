/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socket/conn_socket.c: the connection logic shared by the tcp and unix
 * types: create and close (with deferred close), non-blocking read/write,
 * and the glue between one fd's events and its read/write/connect handlers.
 *
 * A socket connection has no handshake and no buffered data, so every member
 * here is a thin layer over one syscall plus the state rules of
 * CONNECTIONS.md §3. Getting an fd (listen, accept, connect) is tcp.c's and
 * unix.c's job; blocking IO is conn_sync.c's.
 *
 * Threads: read, write, writev and last_error touch only the fd and the
 * connection's state and last_errno, so an IO thread that owns the
 * connection may call them; all else is main thread only, since it talks to
 * the event loop. While the core has postponed updates (an IO job holds the
 * connection) a handler change is recorded in read_cb/write_cb and applied
 * to the event loop by sock_update_state, never in between; an event that
 * fires meanwhile removes its own interest (see sock_event_proc), which
 * sock_update_state restores the same way.
 */
#include "internal.h"

#include <assert.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/netsock.h"

#ifndef IOV_MAX
#define IOV_MAX 1024 /* POSIX minimum is 16; every Linux libc defines 1024 */
#endif

KeelConn *sock_conn_create(const KeelConnType *type, int fd, int state) {
    KeelConn *conn = sock_core->mem_calloc(sizeof *conn);
    if (conn == NULL) return NULL;
    conn->type = type;
    conn->state = state;
    conn->fd = fd;
    return conn;
}

void sock_close(KeelConn *conn) {
    assert(sock_core->is_main_thread());
    assert(!(conn->flags & KEEL_CONN_F_POSTPONED)); /* the core never closes under a job */
    if (conn->refs > 0) {
        /* A handler up the stack still uses conn: keel_conn_call closes it
         * when the last reference drops. */
        conn->flags |= KEEL_CONN_F_CLOSE_SCHEDULED;
        return;
    }
    if (conn->fd != -1) {
        sock_core->ev_remove(conn->fd, KEEL_EV_READABLE | KEEL_EV_WRITABLE);
        close(conn->fd); /* Linux releases the fd even when close reports an error */
    }
    sock_core->mem_free(conn);
}

void sock_shutdown(KeelConn *conn) {
    if (conn->fd == -1) return;
    /* Best effort: ENOTCONN means the peer is already gone, which the next
     * read reports; there is nothing else a caller could do about it. */
    (void)shutdown(conn->fd, SHUT_WR);
}

int sock_accept(KeelConn *conn, KeelConnHandler cb) {
    if (conn->state != KEEL_CONN_ACCEPTING) return -1;
    conn->state = KEEL_CONN_CONNECTED;
    /* Our own reference keeps conn allocated even if cb closes it: the
     * contract says the caller closes after a -1, so the real close must
     * happen in that call, not inside keel_conn_call here. */
    conn->refs++;
    (void)keel_conn_call(conn, cb); /* cannot free conn: refs > 0 */
    conn->refs--;
    if (conn->flags & KEEL_CONN_F_CLOSE_SCHEDULED) return -1;
    return conn->state == KEEL_CONN_CONNECTED ? 0 : -1;
}

/* ---- IO ------------------------------------------------------------------- */

/* Applies CONNECTIONS.md §3 to a failed read/write: EAGAIN is "try later"
 * and changes nothing; EINTR is also "try later" but is recorded so the
 * caller can tell; anything else is fatal. */
static void sock_io_failed(KeelConn *conn, int err) {
    if (err == EAGAIN || err == EWOULDBLOCK) return;
    if (err == EINTR) {
        conn->last_errno = EINTR;
        return;
    }
    sock_conn_fail(conn, err);
}

ssize_t sock_read(KeelConn *conn, void *buf, size_t len) {
    ssize_t n = read(conn->fd, buf, len);
    if (n > 0) return n;
    if (n == 0) {
        if (len > 0) conn->state = KEEL_CONN_CLOSED; /* a 0-byte request proves nothing */
        return 0;
    }
    sock_io_failed(conn, errno);
    return -1;
}

ssize_t sock_write(KeelConn *conn, const void *buf, size_t len) {
    /* MSG_NOSIGNAL: a peer that went away yields EPIPE here instead of a
     * SIGPIPE that would kill a server that forgot to ignore it. */
    ssize_t n = send(conn->fd, buf, len, MSG_NOSIGNAL);
    if (n < 0) sock_io_failed(conn, errno);
    return n;
}

ssize_t sock_writev(KeelConn *conn, const struct iovec *iov, int iovcnt) {
    if (iovcnt > IOV_MAX) iovcnt = IOV_MAX; /* the rest goes on the next call */
    if (iovcnt < 0) iovcnt = 0;
    /* The common case (a reply that fits the client's buffer) is one
     * chunk: send() skips copying a msghdr and iovec array in the kernel. */
    if (iovcnt == 1) return sock_write(conn, iov[0].iov_base, iov[0].iov_len);
    /* sendmsg rather than writev, for MSG_NOSIGNAL (see sock_write). msghdr's
     * iov pointer is not const-qualified, but sendmsg only reads through it. */
    struct msghdr msg = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt};
    ssize_t n = sendmsg(conn->fd, &msg, MSG_NOSIGNAL);
    if (n < 0) sock_io_failed(conn, errno);
    return n;
}

const char *sock_last_error(KeelConn *conn) {
    return conn->last_errno ? strerror(conn->last_errno) : NULL;
}

/* ---- event glue ----------------------------------------------------------- */

/* tp of a socket connection is a flag word, not a pointer: the event-loop
 * interest is stale and update_state must recompute it. */
#define SOCK_TP_DIRTY ((uintptr_t)1)
/* ... and the fd already fired once while postponed (see sock_event_proc). */
#define SOCK_TP_REFIRED ((uintptr_t)2)

/* The fd of a CONNECTING connection turned writable: record the outcome,
 * drop the connect watch unless a write handler wants it, run conn_cb.
 * Returns keel_conn_call's verdict: 0 when conn is gone. */
static int sock_connect_done(KeelConn *conn) {
    int err = netsock_connect_result(conn->fd);
    if (err != 0)
        sock_conn_fail(conn, err);
    else
        conn->state = KEEL_CONN_CONNECTED;
    if (conn->write_cb == NULL) sock_core->ev_remove(conn->fd, KEEL_EV_WRITABLE);
    KeelConnHandler cb = conn->conn_cb;
    conn->conn_cb = NULL;
    return keel_conn_call(conn, cb);
}

/* The one event-loop proc of every socket connection. Read runs before
 * write. With the write barrier set the order is inverted, as in Valkey:
 * write first, then read, so a reply is never sent in the turn whose read
 * produced it (the before-sleep fsync of appendfsync always runs between
 * them), and a connection readable every turn cannot starve its writes.
 * Each handler may close conn: a 0 from keel_conn_call means it is freed,
 * so stop touching it. */
static void sock_event_proc(int fd, void *data, int mask) {
    KeelConn *conn = data;
    if (conn->flags & KEEL_CONN_F_POSTPONED) {
        /* An IO job owns the connection (its state included). The fd is
         * level-triggered: left in the poller it fires every turn until the
         * job is done. The refire is ignored and reported: when a turn held
         * nothing else, the core waits for an IO completion instead of
         * polling straight again, so the main thread neither spins nor pays
         * epoll_ctl calls (dropping the interest costs two per request: 8 IO
         * threads, 400 clients, 1.58x redis-server when ignoring, 0.95x
         * when dropping every time). A core without ev_event_ignored gets
         * the older rule: ignore the first refire, drop the interest at the
         * second; sock_update_state re-adds it at the completion, and a
         * level-triggered re-add reports whatever arrived meanwhile. */
        if (KEEL_CORE_HAS(sock_core, ev_event_ignored)) {
            sock_core->ev_event_ignored();
            return;
        }
        uintptr_t tp = (uintptr_t)conn->tp;
        if (!(tp & SOCK_TP_REFIRED)) {
            conn->tp = (void *)(tp | SOCK_TP_REFIRED);
            return;
        }
        sock_core->ev_remove(fd, mask);
        conn->tp = (void *)(tp | SOCK_TP_DIRTY);
        return;
    }
    if (conn->state == KEEL_CONN_CONNECTING) {
        if (!(mask & KEEL_EV_WRITABLE)) return; /* only the connect watch matters yet */
        if (!sock_connect_done(conn)) return;
        if (conn->state != KEEL_CONN_CONNECTED) return;
    }
    int barrier = (conn->flags & KEEL_CONN_F_WRITE_BARRIER) != 0;
    if (barrier && (mask & KEEL_EV_WRITABLE) && conn->write_cb != NULL) {
        if (!keel_conn_call(conn, conn->write_cb)) return;
    }
    if ((mask & KEEL_EV_READABLE) && conn->read_cb != NULL) {
        if (!keel_conn_call(conn, conn->read_cb)) return;
    }
    /* Re-read write_cb: the read handler may have set or removed it. */
    if (!barrier && (mask & KEEL_EV_WRITABLE) && conn->write_cb != NULL)
        (void)keel_conn_call(conn, conn->write_cb); /* last use of conn either way */
}

int sock_connect_start(KeelConn *conn, int fd, KeelConnHandler cb) {
    assert(sock_core->is_main_thread());
    conn->fd = fd;
    conn->state = KEEL_CONN_CONNECTING;
    conn->conn_cb = cb;
    /* Writable means the connect finished, well or badly; a connect that
     * completed at once (loopback, Unix) fires on the next turn. */
    if (sock_core->ev_add(fd, KEEL_EV_WRITABLE, sock_event_proc, conn) == -1) {
        sock_conn_fail(conn, errno);
        conn->conn_cb = NULL;
        return -1;
    }
    return 0;
}

static int sock_postponed(KeelConn *conn) {
    return (conn->flags & KEEL_CONN_F_POSTPONED) != 0;
}

void sock_postpone_update_state(KeelConn *conn, int on) {
    assert(sock_core->is_main_thread());
    if (on)
        conn->flags |= KEEL_CONN_F_POSTPONED;
    else
        conn->flags &= (uint16_t)~KEEL_CONN_F_POSTPONED;
}

void sock_update_state(KeelConn *conn) {
    assert(sock_core->is_main_thread());
    assert(!sock_postponed(conn));
    uintptr_t tp = (uintptr_t)conn->tp;
    conn->tp = NULL; /* the job is over: the refire count starts again */
    if (!(tp & SOCK_TP_DIRTY)) return;
    if (conn->fd == -1) return;
    /* Failures here are the same as a failed ev_add in the setters would
     * have been: the fd is gone, and the next read or write reports it. */
    if (conn->read_cb)
        (void)sock_core->ev_add(conn->fd, KEEL_EV_READABLE, sock_event_proc, conn);
    else
        sock_core->ev_remove(conn->fd, KEEL_EV_READABLE);
    if (conn->write_cb)
        (void)sock_core->ev_add(conn->fd, KEEL_EV_WRITABLE, sock_event_proc, conn);
    else if (conn->state != KEEL_CONN_CONNECTING)
        sock_core->ev_remove(conn->fd, KEEL_EV_WRITABLE);
}

int sock_set_read_handler(KeelConn *conn, KeelConnHandler handler) {
    assert(sock_core->is_main_thread());
    if (handler == conn->read_cb) return 0;
    if (sock_postponed(conn)) {
        conn->read_cb = handler;
        conn->tp = (void *)((uintptr_t)conn->tp | SOCK_TP_DIRTY);
        return 0;
    }
    if (handler == NULL) {
        conn->read_cb = NULL;
        if (conn->fd != -1) sock_core->ev_remove(conn->fd, KEEL_EV_READABLE);
        return 0;
    }
    if (conn->fd == -1) return -1;
    if (sock_core->ev_add(conn->fd, KEEL_EV_READABLE, sock_event_proc, conn) == -1) return -1;
    conn->read_cb = handler;
    return 0;
}

int sock_set_write_handler(KeelConn *conn, KeelConnHandler handler, int barrier) {
    assert(sock_core->is_main_thread());
    if (sock_postponed(conn) && handler != conn->write_cb) {
        conn->write_cb = handler;
        conn->tp = (void *)((uintptr_t)conn->tp | SOCK_TP_DIRTY);
    } else if (handler != conn->write_cb) {
        if (handler == NULL) {
            /* While connecting, writable is also the connect watch: keep it;
             * sock_connect_done drops it when no write handler is left. */
            if (conn->fd != -1 && conn->state != KEEL_CONN_CONNECTING)
                sock_core->ev_remove(conn->fd, KEEL_EV_WRITABLE);
        } else {
            if (conn->fd == -1) return -1;
            if (sock_core->ev_add(conn->fd, KEEL_EV_WRITABLE, sock_event_proc, conn) == -1)
                return -1; /* nothing changed, barrier included */
        }
        conn->write_cb = handler;
    }
    if (handler != NULL && barrier)
        conn->flags |= KEEL_CONN_F_WRITE_BARRIER;
    else
        conn->flags &= (uint16_t)~KEEL_CONN_F_WRITE_BARRIER;
    return 0;
}
