/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/connect.c: outgoing RDMA connections (the client side): address and
 * route resolution through the connection manager, queue pair setup,
 * rdma_connect, and at ESTABLISHED the protocol's opening (GetServerFeature,
 * SetClientFeature, RegisterXferMemory). Non-blocking (connect: the CM
 * channel fd is watched and conn_cb runs at the end) or blocking with a
 * deadline (blocking_connect).
 *
 * keel never picks RDMA for replication or the cluster bus (as Valkey);
 * this side exists for tools and tests that reuse the type.
 *
 * Threads: main only.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#define RDMA_RESOLVE_TIMEOUT_MS 1000

static int resolve(const char *addr, int port, struct sockaddr_storage *out, char *err,
                   size_t errlen) {
    char port_text[8];
    snprintf(port_text, sizeof port_text, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *info;
    int gai = getaddrinfo(addr, port_text, &hints, &info);
    if (gai != 0) {
        snprintf(err, errlen, "%s: %s", addr, gai_strerror(gai));
        return -1;
    }
    memset(out, 0, sizeof *out);
    memcpy(out, info->ai_addr, info->ai_addrlen);
    freeaddrinfo(info);
    return 0;
}

/* Creates the CM channel and id and starts address resolution. Returns 0
 * (state CONNECTING), or -1 with the state ERROR. */
static int connect_start(RdmaConn *rc, const char *addr, int port, const char *src_addr) {
    char why[192];
    struct sockaddr_storage dst, src;
    if (rdma_device_probe(why, sizeof why) != 0) goto fail;
    if (resolve(addr, port, &dst, why, sizeof why) != 0) goto fail;
    if (src_addr && resolve(src_addr, 0, &src, why, sizeof why) != 0) goto fail;
    rc->cm_channel = rdma_cm_channel_create(why, sizeof why);
    if (rc->cm_channel == NULL) goto fail;
    if (rdma_create_id(rc->cm_channel, &rc->cm_id, rc, RDMA_PS_TCP) != 0) {
        rc->cm_id = NULL;
        snprintf(why, sizeof why, "rdma_create_id: %s", strerror(errno));
        goto fail;
    }
    if (rdma_resolve_addr(rc->cm_id, src_addr ? (struct sockaddr *)&src : NULL,
                          (struct sockaddr *)&dst, RDMA_RESOLVE_TIMEOUT_MS) != 0) {
        snprintf(why, sizeof why, "rdma_resolve_addr %s: %s", addr, strerror(errno));
        goto fail;
    }
    rc->conn.state = KEEL_CONN_CONNECTING;
    return 0;
fail:
    rdma_conn_fail(rc, errno ? errno : ENETUNREACH, why);
    return -1;
}

/* The CM reached ROUTE_RESOLVED: build the queue pair and connect. */
static int connect_route_resolved(RdmaConn *rc, char *why, size_t whylen) {
    if (rdma_channel_setup(&rc->ch, rc->cm_id, 0, (uint32_t)rdma_opts.rx_size,
                           (int)rdma_opts.comp_vector, why, whylen) != 0)
        return -1;
    rc->channel_ready = 1;
    struct rdma_conn_param param = {.responder_resources = 1, .initiator_depth = 1,
                                    .retry_count = 7, .rnr_retry_count = 7};
    if (rdma_connect(rc->cm_id, &param) != 0) {
        snprintf(why, whylen, "rdma_connect: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Handles one CM event of an outgoing connection. Returns 1 when the
 * connect attempt ended (state CONNECTED or ERROR), else 0. */
static int connect_step(RdmaConn *rc, enum rdma_cm_event_type type, int status) {
    char why[192] = "";
    KeelConn *conn = &rc->conn;
    if (conn->state != KEEL_CONN_CONNECTING) {
        if (type == RDMA_CM_EVENT_DISCONNECTED || type == RDMA_CM_EVENT_TIMEWAIT_EXIT) {
            rc->loop_flags |= RDMA_LOOP_DISCONNECTED;
            rdma_conn_peer_closed(rc);
        }
        return 0;
    }
    switch (type) {
    case RDMA_CM_EVENT_ADDR_RESOLVED:
        if (rdma_resolve_route(rc->cm_id, RDMA_RESOLVE_TIMEOUT_MS) == 0) return 0;
        snprintf(why, sizeof why, "rdma_resolve_route: %s", strerror(errno));
        break;
    case RDMA_CM_EVENT_ROUTE_RESOLVED:
        if (connect_route_resolved(rc, why, sizeof why) == 0) return 0;
        break;
    case RDMA_CM_EVENT_ESTABLISHED:
        if (rdma_channel_negotiate(&rc->ch, why, sizeof why) == 0 &&
            rdma_conn_established(rc, why, sizeof why) == 0) {
            conn->state = KEEL_CONN_CONNECTED;
            return 1;
        }
        break;
    default:
        snprintf(why, sizeof why, "%s (status %d)", rdma_event_str(type), status);
        break;
    }
    rdma_conn_fail(rc, ECONNREFUSED, why);
    return 1;
}

/* Reads and handles one pending CM event. Returns 1 when the connect
 * attempt ended, 0 when it goes on, -1 when no event was waiting. */
static int connect_read_event(RdmaConn *rc) {
    struct rdma_cm_event *ev;
    if (rdma_get_cm_event(rc->cm_channel, &ev) != 0) return -1;
    enum rdma_cm_event_type type = ev->event;
    int status = ev->status;
    (void)rdma_ack_cm_event(ev);
    return connect_step(rc, type, status);
}

static void connect_cm_proc(int fd, void *data, int mask) {
    (void)fd, (void)mask;
    RdmaConn *rc = data;
    int r;
    while ((r = connect_read_event(rc)) >= 0) {
        if (r == 0) continue;
        KeelConnHandler cb = rc->conn.conn_cb;
        rc->conn.conn_cb = NULL;
        if (!keel_conn_call(&rc->conn, cb)) return; /* closed by cb */
    }
}

int rdma_conn_connect(KeelConn *conn, const char *addr, int port, const char *src_addr,
                      KeelConnHandler cb) {
    assert(rdma_core->is_main_thread());
    RdmaConn *rc = rdma_of(conn);
    if (connect_start(rc, addr, port, src_addr) != 0) return -1;
    conn->conn_cb = cb;
    if (rdma_core->ev_add(rc->cm_channel->fd, KEEL_EV_READABLE, connect_cm_proc, rc) != 0) {
        rdma_conn_fail(rc, EBADF, "cannot watch the CM event channel");
        conn->conn_cb = NULL;
        return -1;
    }
    return 0;
}

int rdma_conn_blocking_connect(KeelConn *conn, const char *addr, int port, long long timeout_ms) {
    assert(rdma_core->is_main_thread());
    RdmaConn *rc = rdma_of(conn);
    long long deadline = rdma_deadline_ms(timeout_ms);
    if (connect_start(rc, addr, port, NULL) != 0) return -1;
    for (;;) {
        int r = connect_read_event(rc);
        if (r == 1) break;
        if (r == 0) continue;
        long long left = deadline - (long long)(rdma_core->monotonic_us() / 1000);
        if (left <= 0) {
            rdma_conn_fail(rc, ETIMEDOUT, "RDMA connect timed out");
            return -1;
        }
        struct pollfd pfd = {.fd = rc->cm_channel->fd, .events = POLLIN};
        (void)poll(&pfd, 1, left > 100 ? 100 : (int)left);
    }
    if (conn->state != KEEL_CONN_CONNECTED) return -1;
    /* Later CM events (the peer's disconnect) come through the loop. */
    if (rdma_core->ev_add(rc->cm_channel->fd, KEEL_EV_READABLE, connect_cm_proc, rc) != 0) {
        rdma_conn_fail(rc, EBADF, "cannot watch the CM event channel");
        return -1;
    }
    return 0;
}
