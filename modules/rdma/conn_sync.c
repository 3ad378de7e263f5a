/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/conn_sync.c: blocking IO on RDMA connections with a deadline:
 * sync_write, sync_read and sync_readline, for callers that block the main
 * thread on purpose and for a bounded time (replication handshake and
 * MIGRATE use them on other types; RDMA is never picked for those, but the
 * contract is the same for every type).
 *
 * Waiting is a poll() on the completion-channel fd followed by reaping the
 * CQ, so TX room (RegisterXferMemory) and new bytes arrive exactly as in
 * the event loop. A passed deadline returns -1 with last_errno ETIMEDOUT
 * and leaves the state as it was.
 *
 * Threads: main only.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>

#include "../common/conn_sync_read.h"

#define RDMA_SYNC_SLICE_MS 10 /* longest single poll(): completions may be reaped elsewhere */

long long rdma_deadline_ms(long long timeout_ms) {
    return (long long)(rdma_core->monotonic_us() / 1000) + timeout_ms;
}

int rdma_sync_wait(RdmaConn *rc, long long deadline_ms) {
    long long left = deadline_ms - (long long)(rdma_core->monotonic_us() / 1000);
    if (left <= 0) {
        rc->conn.last_errno = ETIMEDOUT;
        return -1;
    }
    struct pollfd pfd = {.fd = rc->conn.fd, .events = POLLIN};
    (void)poll(&pfd, 1, left > RDMA_SYNC_SLICE_MS ? RDMA_SYNC_SLICE_MS : (int)left);
    RdmaPollResult res;
    return rdma_conn_poll(rc, &res);
}

ssize_t rdma_conn_sync_write(KeelConn *conn, const char *buf, ssize_t len, long long timeout_ms) {
    assert(rdma_core->is_main_thread());
    RdmaConn *rc = rdma_of(conn);
    long long deadline = rdma_deadline_ms(timeout_ms);
    ssize_t done = 0;
    while (done < len) {
        ssize_t n = conn->type->write(conn, buf + done, (size_t)(len - done));
        if (n > 0) {
            done += n;
            continue;
        }
        if (conn->state != KEEL_CONN_CONNECTED) return -1;
        if (rdma_sync_wait(rc, deadline) != 0) return -1;
    }
    return done;
}

/* Reads once, waiting up to the deadline. Returns bytes (> 0), or -1 with
 * last_errno, or with the state CLOSED at the end of the stream. */
static ssize_t sync_read_some(RdmaConn *rc, char *buf, size_t len, long long deadline) {
    KeelConn *conn = &rc->conn;
    for (;;) {
        ssize_t n = conn->type->read(conn, buf, len);
        if (n > 0) return n;
        if (n == 0 || conn->state != KEEL_CONN_CONNECTED) return -1;
        if (rdma_sync_wait(rc, deadline) != 0) return -1;
    }
}

static ssize_t sync_read_some_conn(KeelConn *conn, char *buf, size_t len, long long deadline) {
    return sync_read_some(rdma_of(conn), buf, len, deadline);
}

ssize_t rdma_conn_sync_read(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms) {
    assert(rdma_core->is_main_thread());
    return conn_sync_read_all(conn, buf, len, rdma_deadline_ms(timeout_ms), sync_read_some_conn);
}

ssize_t rdma_conn_sync_readline(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms) {
    assert(rdma_core->is_main_thread());
    return conn_sync_read_line(conn, buf, len, rdma_deadline_ms(timeout_ms), sync_read_some_conn);
}
