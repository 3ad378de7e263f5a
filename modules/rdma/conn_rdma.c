/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/conn_rdma.c: the RDMA connection: create and destroy, stream
 * read/write over the channel (verbs.c), the event glue between the
 * completion-channel fd and the connection's handlers, the keepalive timer,
 * and the pending list.
 *
 * A completion channel only ever turns readable: there is no "writable".
 * So the handlers run from three places: the fd (completions arrived: data,
 * RegisterXferMemory giving TX room, freed send slots), the pending list
 * (bytes already reaped that a handler has not taken yet, TX room a write
 * handler has not used, or a close/failure the handlers have not seen),
 * and nothing else. Reaping completions (rdma_conn_poll) is the only thing
 * that moves the RX "written" mark and the TX window back.
 *
 * Threads: read, write, writev and last_error may run on the IO thread that
 * owns the connection (KEEL_CT_IOTHREAD_READ/WRITE): they touch only the
 * channel's RX offsets, TX window and send queue, which completions (main
 * thread) never touch while the connection is postponed: the completion fd
 * is dropped from the loop when it fires then, and update_state re-watches
 * it and reaps what came. The keepalive timer skips postponed connections.
 * Everything else is main thread only.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- the pending list (main thread only) ------------------------------------ */

static RdmaConn *pending_head, *pending_tail;
static int pending_count;

static void pending_add(RdmaConn *rc) {
    if (rc->loop_flags & RDMA_LOOP_ON_PENDING) return;
    rc->loop_flags |= RDMA_LOOP_ON_PENDING;
    rc->pending_next = NULL;
    rc->pending_prev = pending_tail;
    if (pending_tail)
        pending_tail->pending_next = rc;
    else
        pending_head = rc;
    pending_tail = rc;
    pending_count++;
}

static void pending_remove(RdmaConn *rc) {
    if (!(rc->loop_flags & RDMA_LOOP_ON_PENDING)) return;
    rc->loop_flags &= ~(uint32_t)RDMA_LOOP_ON_PENDING;
    if (rc->pending_prev)
        rc->pending_prev->pending_next = rc->pending_next;
    else
        pending_head = rc->pending_next;
    if (rc->pending_next)
        rc->pending_next->pending_prev = rc->pending_prev;
    else
        pending_tail = rc->pending_prev;
    rc->pending_prev = rc->pending_next = NULL;
    pending_count--;
}

static int conn_finished(const KeelConn *conn) {
    return conn->state == KEEL_CONN_CLOSED || conn->state == KEEL_CONN_ERROR;
}

/* What the handlers would do now, without waiting for the fd. */
static int want_read_now(RdmaConn *rc) {
    KeelConn *conn = &rc->conn;
    if (conn->read_cb == NULL) return 0;
    if (rc->channel_ready && rdma_channel_readable(&rc->ch)) return 1;
    return conn_finished(conn) && !(rc->loop_flags & RDMA_LOOP_KICKED);
}

static int want_write_now(RdmaConn *rc) {
    KeelConn *conn = &rc->conn;
    if (conn->write_cb == NULL) return 0;
    if (conn->state == KEEL_CONN_CONNECTED) return rc->channel_ready && rdma_channel_writable(&rc->ch);
    return conn_finished(conn) && !(rc->loop_flags & RDMA_LOOP_KICKED);
}

void rdma_conn_pending_sync(RdmaConn *rc) {
    if ((rc->conn.flags & KEEL_CONN_F_POSTPONED) == 0 && (want_read_now(rc) || want_write_now(rc)))
        pending_add(rc);
    else
        pending_remove(rc);
}

/* ---- failures ---------------------------------------------------------------- */

void rdma_conn_fail(RdmaConn *rc, int err_no, const char *why) {
    rc->conn.state = KEEL_CONN_ERROR;
    rc->conn.last_errno = err_no;
    snprintf(rc->error, sizeof rc->error, "%s", why);
}

void rdma_conn_peer_closed(RdmaConn *rc) {
    if (rc->keepalive_timer) {
        rdma_core->timer_remove(rc->keepalive_timer);
        rc->keepalive_timer = 0;
    }
    if (rc->conn.flags & KEEL_CONN_F_POSTPONED) {
        /* The IO thread reads the state now: change it when the job is back. */
        rc->loop_flags |= RDMA_LOOP_PEER_GONE;
        return;
    }
    if (rc->conn.state == KEEL_CONN_CONNECTED) rc->conn.state = KEEL_CONN_CLOSED;
    rdma_conn_pending_sync(rc);
}

int rdma_conn_poll(RdmaConn *rc, RdmaPollResult *res) {
    char why[160];
    if (!rc->channel_ready) {
        memset(res, 0, sizeof *res);
        return 0;
    }
    if (rdma_channel_poll(&rc->ch, res, why, sizeof why) == 0) return 0;
    /* A peer that is already gone flushes our queue: that is a close. */
    if (rc->conn.state == KEEL_CONN_CLOSED) return -1;
    rdma_conn_fail(rc, EIO, why);
    return -1;
}

/* ---- create / destroy ---------------------------------------------------------- */

RdmaConn *rdma_conn_create(int state) {
    RdmaConn *rc = rdma_core->mem_calloc(sizeof *rc);
    if (rc == NULL) return NULL;
    rc->conn.type = &rdma_conn_type;
    rc->conn.state = state;
    rc->conn.fd = -1;
    rc->conn.tp = rc;
    return rc;
}

void rdma_conn_destroy(RdmaConn *rc) {
    pending_remove(rc);
    if (rc->keepalive_timer) rdma_core->timer_remove(rc->keepalive_timer);
    rc->keepalive_timer = 0;
    if (rc->loop_flags & RDMA_LOOP_WATCHED) rdma_core->ev_remove(rc->conn.fd, KEEL_EV_READABLE);
    if (rc->cm_id && rc->conn.state == KEEL_CONN_CONNECTED &&
        !(rc->loop_flags & RDMA_LOOP_DISCONNECTED))
        (void)rdma_disconnect(rc->cm_id); /* tells the peer; best effort */
    /* The QP goes with the channel, then the MRs: nothing in flight can
     * touch freed memory, and no registered page outlives the connection. */
    if (rc->channel_ready) rdma_channel_release(&rc->ch);
    rc->channel_ready = 0;
    if (rc->cm_id) {
        /* Every event of this id was acked where it was read, so this does
         * not wait; events not read yet are dropped with the id. */
        rdma_destroy_id(rc->cm_id);
        rc->cm_id = NULL;
    }
    if (rc->cm_channel) {
        rdma_core->ev_remove(rc->cm_channel->fd, KEEL_EV_READABLE);
        rdma_destroy_event_channel(rc->cm_channel);
        rc->cm_channel = NULL;
    }
    rdma_core->mem_free(rc);
}

void rdma_conn_close(KeelConn *conn) {
    assert(rdma_core->is_main_thread());
    assert(!(conn->flags & KEEL_CONN_F_POSTPONED)); /* the core never closes under a job */
    if (conn->refs > 0) {
        conn->flags |= KEEL_CONN_F_CLOSE_SCHEDULED; /* keel_conn_call closes it */
        return;
    }
    rdma_conn_destroy(rdma_of(conn));
}

static void rdma_conn_shutdown(KeelConn *conn) {
    RdmaConn *rc = rdma_of(conn);
    if (rc->cm_id == NULL || (rc->loop_flags & RDMA_LOOP_DISCONNECTED)) return;
    if (conn->state != KEEL_CONN_CONNECTED) return;
    rc->loop_flags |= RDMA_LOOP_DISCONNECTED;
    (void)rdma_disconnect(rc->cm_id); /* RDMA has no half-close */
}

/* ---- the keepalive timer ----------------------------------------------------------- */

static long long rdma_keepalive_proc(long long id, void *data) {
    (void)id;
    RdmaConn *rc = data;
    if (rc->conn.state != KEEL_CONN_CONNECTED) {
        rc->keepalive_timer = 0;
        return -1;
    }
    if (rc->conn.flags & KEEL_CONN_F_POSTPONED) return RDMA_KEEPALIVE_MS; /* the job owns the QP */
    char why[160];
    RdmaMsg msg = rdma_msg_keepalive();
    if (rdma_channel_send_msg(&rc->ch, &msg, why, sizeof why) != 0) {
        rdma_conn_fail(rc, EIO, why);
        rdma_conn_pending_sync(rc); /* the handlers see ERROR */
        rc->keepalive_timer = 0;
        return -1;
    }
    return RDMA_KEEPALIVE_MS;
}

/* ---- the event proc ------------------------------------------------------------------ */

/* Runs the handlers that have work. Returns 0 when conn is gone. Main. */
static int rdma_dispatch(RdmaConn *rc) {
    KeelConn *conn = &rc->conn;
    int call_read = want_read_now(rc), call_write = want_write_now(rc);
    if (conn_finished(conn) && (call_read || call_write)) rc->loop_flags |= RDMA_LOOP_KICKED;
    /* With the write barrier, write first (see socket/conn_socket.c). Each
     * handler may close conn: 0 from keel_conn_call means it is freed. */
    int barrier = (conn->flags & KEEL_CONN_F_WRITE_BARRIER) != 0;
    if (barrier && call_write && !keel_conn_call(conn, conn->write_cb)) return 0;
    if (call_read && !keel_conn_call(conn, conn->read_cb)) return 0;
    if (!barrier && call_write && conn->write_cb && !keel_conn_call(conn, conn->write_cb))
        return 0;
    if (!(conn->flags & KEEL_CONN_F_POSTPONED)) rdma_conn_pending_sync(rc);
    return 1;
}

static void rdma_event_proc(int fd, void *data, int mask) {
    (void)mask;
    RdmaConn *rc = data;
    if (rc->conn.flags & KEEL_CONN_F_POSTPONED) {
        /* An IO job owns the channel: stop watching (the fd stays readable
         * until the event is taken) and let update_state reap it. */
        rdma_core->ev_remove(fd, KEEL_EV_READABLE);
        rc->loop_flags &= ~(uint32_t)RDMA_LOOP_WATCHED;
        rc->loop_flags |= RDMA_LOOP_DIRTY;
        return;
    }
    RdmaPollResult res;
    (void)rdma_conn_poll(rc, &res); /* a failure shows as state ERROR */
    (void)rdma_dispatch(rc);
}

int rdma_conn_established(RdmaConn *rc, char *err, size_t errlen) {
    if (rdma_channel_register_rx(&rc->ch, err, errlen) != 0) return -1;
    rc->conn.fd = rdma_channel_fd(&rc->ch);
    if (rdma_core->ev_add(rc->conn.fd, KEEL_EV_READABLE, rdma_event_proc, rc) != 0) {
        snprintf(err, errlen, "cannot watch the completion channel fd %d", rc->conn.fd);
        return -1;
    }
    rc->loop_flags |= RDMA_LOOP_WATCHED;
    rc->keepalive_timer = rdma_core->timer_add(RDMA_KEEPALIVE_MS, rdma_keepalive_proc, rc);
    if (rc->keepalive_timer < 0) {
        rc->keepalive_timer = 0;
        snprintf(err, errlen, "cannot add the keepalive timer");
        return -1;
    }
    return 0;
}

/* ---- IO ------------------------------------------------------------------------------- */

/* After an IO call: on the main thread list or unlist at once; an IO
 * thread leaves it to update_state. */
static void rdma_after_io(RdmaConn *rc) {
    if (!rdma_core->is_main_thread() || (rc->conn.flags & KEEL_CONN_F_POSTPONED)) return;
    rdma_conn_pending_sync(rc);
}

static ssize_t rdma_conn_read(KeelConn *conn, void *buf, size_t len) {
    RdmaConn *rc = rdma_of(conn);
    if (conn->state == KEEL_CONN_ERROR || !rc->channel_ready) return -1;
    if (len == 0) return 0;
    char why[160];
    ssize_t n = rdma_channel_read(&rc->ch, buf, len, why, sizeof why);
    if (n < 0) {
        rdma_conn_fail(rc, EIO, why);
        return -1;
    }
    rdma_after_io(rc);
    if (n > 0) return n;
    if (conn->state == KEEL_CONN_CLOSED) return 0; /* everything before the close was read */
    conn->last_errno = EAGAIN;
    return -1;
}

static ssize_t rdma_conn_writev(KeelConn *conn, const struct iovec *iov, int iovcnt) {
    RdmaConn *rc = rdma_of(conn);
    if (conn->state != KEEL_CONN_CONNECTED || !rc->channel_ready) return -1;
    if (iovcnt <= 0) return 0;
    char why[160];
    ssize_t n = rdma_channel_writev(&rc->ch, iov, iovcnt, why, sizeof why);
    if (n < 0) {
        rdma_conn_fail(rc, EIO, why);
        return -1;
    }
    if (n == 0) {
        /* The peer's buffer is full or the send queue busy: the
         * RegisterXferMemory or completion that ends it wakes the fd. */
        conn->last_errno = EAGAIN;
        return -1;
    }
    rdma_after_io(rc);
    return n;
}

static ssize_t rdma_conn_write(KeelConn *conn, const void *buf, size_t len) {
    if (len == 0) return 0;
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    return rdma_conn_writev(conn, &iov, 1);
}

static const char *rdma_conn_last_error(KeelConn *conn) {
    RdmaConn *rc = rdma_of(conn);
    if (rc->error[0]) return rc->error;
    return conn->last_errno ? strerror(conn->last_errno) : NULL;
}

/* ---- handlers ------------------------------------------------------------------------ */

static int rdma_conn_set_read_handler(KeelConn *conn, KeelConnHandler handler) {
    assert(rdma_core->is_main_thread());
    conn->read_cb = handler;
    if (!(conn->flags & KEEL_CONN_F_POSTPONED)) rdma_conn_pending_sync(rdma_of(conn));
    return 0;
}

static int rdma_conn_set_write_handler(KeelConn *conn, KeelConnHandler handler, int barrier) {
    assert(rdma_core->is_main_thread());
    conn->write_cb = handler;
    if (handler != NULL && barrier)
        conn->flags |= KEEL_CONN_F_WRITE_BARRIER;
    else
        conn->flags &= (uint16_t)~KEEL_CONN_F_WRITE_BARRIER;
    /* No "writable" event exists: a write handler with TX room goes on the
     * pending list and runs in the next loop turn. */
    if (!(conn->flags & KEEL_CONN_F_POSTPONED)) rdma_conn_pending_sync(rdma_of(conn));
    return 0;
}

static void rdma_conn_postpone_update_state(KeelConn *conn, int on) {
    assert(rdma_core->is_main_thread());
    if (on) {
        conn->flags |= KEEL_CONN_F_POSTPONED;
        pending_remove(rdma_of(conn)); /* update_state re-lists */
    } else {
        conn->flags &= (uint16_t)~KEEL_CONN_F_POSTPONED;
    }
}

static void rdma_conn_update_state(KeelConn *conn) {
    assert(rdma_core->is_main_thread());
    RdmaConn *rc = rdma_of(conn);
    if (rc->loop_flags & RDMA_LOOP_PEER_GONE) {
        rc->loop_flags &= ~(uint32_t)RDMA_LOOP_PEER_GONE;
        if (conn->state == KEEL_CONN_CONNECTED) conn->state = KEEL_CONN_CLOSED;
    }
    if (rc->loop_flags & RDMA_LOOP_DIRTY) {
        rc->loop_flags &= ~(uint32_t)RDMA_LOOP_DIRTY;
        if (conn->fd != -1 &&
            rdma_core->ev_add(conn->fd, KEEL_EV_READABLE, rdma_event_proc, rc) == 0)
            rc->loop_flags |= RDMA_LOOP_WATCHED;
        /* Completions that came meanwhile: reap them now. */
        RdmaPollResult res;
        (void)rdma_conn_poll(rc, &res);
    }
    rdma_conn_pending_sync(rc);
}

/* ---- pending data ---------------------------------------------------------------------- */

static int rdma_conn_has_pending_data(void) {
    return pending_head != NULL;
}

/* Runs each connection listed when the call began once. A connection
 * leaves the list before its handlers run and rejoins if work remains (a
 * read handler takes one chunk at a time). */
static int rdma_conn_process_pending_data(void) {
    int budget = pending_count, ran = 0;
    while (budget-- > 0 && pending_head != NULL) {
        RdmaConn *rc = pending_head;
        pending_remove(rc);
        if (rc->conn.flags & KEEL_CONN_F_POSTPONED) continue;
        ran++;
        (void)rdma_dispatch(rc); /* rc may be gone after */
    }
    return ran;
}

/* ---- accept ------------------------------------------------------------------------------ */

static KeelConn *rdma_conn_create_accepted(int fd, void *listener_priv) {
    (void)fd, (void)listener_priv;
    return NULL; /* the listener builds accepted connections itself (listen.c) */
}

/* The RDMA handshake is over before the core sees the connection (listen.c
 * hands it over at ESTABLISHED), so accepting only changes the state. */
static int rdma_conn_accept(KeelConn *conn, KeelConnHandler cb) {
    assert(rdma_core->is_main_thread());
    if (conn->state != KEEL_CONN_ACCEPTING) return -1;
    conn->state = KEEL_CONN_CONNECTED;
    /* The extra reference keeps conn allocated through a cb that closes
     * it: the contract says the caller closes it then. */
    conn->refs++;
    (void)keel_conn_call(conn, cb);
    conn->refs--;
    if (conn->flags & KEEL_CONN_F_CLOSE_SCHEDULED) return -1;
    return conn->state == KEEL_CONN_CONNECTED ? 0 : -1;
}

static KeelConn *rdma_conn_create_outgoing(void) {
    RdmaConn *rc = rdma_conn_create(KEEL_CONN_NONE);
    return rc ? &rc->conn : NULL;
}

static void rdma_type_cleanup(void) {
    rdma_handshakes_drop();
}

const KeelConnType rdma_conn_type = {
    .size = sizeof(KeelConnType),
    .name = "rdma",
    .caps = KEEL_CT_FDLESS | KEEL_CT_IOTHREAD_READ | KEEL_CT_IOTHREAD_WRITE,

    .init = NULL,
    .cleanup = rdma_type_cleanup,
    .configure = NULL, /* options apply through their own hooks */

    .listen = rdma_conn_listen,
    .close_listener = rdma_conn_close_listener,
    .accept_ready = rdma_conn_accept_ready,
    .addr = rdma_conn_addr,
    .is_local = rdma_conn_is_local,

    .conn_create = rdma_conn_create_outgoing,
    .conn_create_accepted = rdma_conn_create_accepted,
    .accept = rdma_conn_accept,
    .connect = rdma_conn_connect,
    .blocking_connect = rdma_conn_blocking_connect,
    .shutdown = rdma_conn_shutdown,
    .close = rdma_conn_close,

    .read = rdma_conn_read,
    .write = rdma_conn_write,
    .writev = rdma_conn_writev,
    .set_read_handler = rdma_conn_set_read_handler,
    .set_write_handler = rdma_conn_set_write_handler,
    .last_error = rdma_conn_last_error,

    .sync_write = rdma_conn_sync_write,
    .sync_read = rdma_conn_sync_read,
    .sync_readline = rdma_conn_sync_readline,

    .has_pending_data = rdma_conn_has_pending_data,
    .process_pending_data = rdma_conn_process_pending_data,
    .postpone_update_state = rdma_conn_postpone_update_state,
    .update_state = rdma_conn_update_state,
    .peer_cert = NULL,
    .info = NULL, /* the core lists the listener (listenerN:name=rdma) */
};
