/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/listen.c: the RDMA listener: the device check, binding rdma-port on
 * the rdma-bind addresses through the RDMA connection manager, the CM
 * events of incoming connections (request, established, disconnect), peer
 * and local addresses, and CONFIG SET rdma-port / rdma-bind.
 *
 * The core opens the listener from rdma-port and rdma-bind (net/listener.c,
 * as for tcp and tls) through rdma_conn_listen, watches its CM event-channel
 * fds and calls rdma_conn_accept_ready; a failure at startup stops the
 * server. Each accepted id moves to an event channel of its own, so
 * connections outlive a listener that CONFIG SET closes.
 * The connection is handed to the core only when the CM says ESTABLISHED,
 * with the queue pair, buffers and the first RegisterXferMemory in place;
 * connections still handshaking are kept on a list of their own so
 * shutdown can free them.
 *
 * Every CM event is acked before it is acted on: rdma_destroy_id waits for
 * the acks of its id's events, and acting may destroy the id.
 *
 * Threads: addr on any thread; everything else on the main thread.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>


typedef struct RdmaListenPriv {
    struct rdma_event_channel *channels[KEEL_LISTENER_MAX_ADDRS]; /* owned; one per fd */
    struct rdma_cm_id *ids[KEEL_LISTENER_MAX_ADDRS];              /* owned */
} RdmaListenPriv;

static RdmaConn *handshaking; /* accepted, not ESTABLISHED yet; main only */

/* ---- the device ---- */

int rdma_device_probe(char *err, size_t errlen) {
    static int fork_ready; /* ibv_fork_init done (once per process) */
    if (!fork_ready) {
        /* BGSAVE forks: registered pages must not be shared copy-on-write
         * with the child. Newer kernels need nothing; the call is harmless. */
        if (ibv_fork_init() != 0)
            rdma_core->log(KEEL_LOG_VERBOSE, "RDMA: ibv_fork_init failed: %s", strerror(errno));
        fork_ready = 1;
    }
    int count = 0;
    struct ibv_device **list = ibv_get_device_list(&count);
    int saved = errno;
    if (list) ibv_free_device_list(list);
    if (list != NULL && count > 0) return 0;
    if (list == NULL && saved != 0 && saved != ENOSYS && saved != ENOENT)
        snprintf(err, errlen, "no RDMA device found (ibv_get_device_list: %s)", strerror(saved));
    else
        snprintf(err, errlen,
                 "no RDMA device found (ibv_get_device_list returned 0 devices); load kernel "
                 "module rdma_rxe and add a soft device, e.g. 'rdma link add rxe0 type rxe "
                 "netdev eth0'");
    return -1;
}

/* ---- binding ---- */

static void close_one(RdmaListenPriv *p, int i) {
    if (p->ids[i]) rdma_destroy_id(p->ids[i]);
    if (p->channels[i]) rdma_destroy_event_channel(p->channels[i]);
    p->ids[i] = NULL;
    p->channels[i] = NULL;
}

/* Binds one address into slot i. Returns 1 when bound, 0 when an optional
 * ("-" prefixed) address is unavailable here, -1 with err otherwise. */
static int listen_one(RdmaListenPriv *p, int i, const char *spec, int port, int backlog,
                      char *err, size_t errlen) {
    int optional = spec[0] == '-';
    const char *addr = optional ? spec + 1 : spec;
    int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    const char *host = strcmp(addr, "*") == 0 || strcmp(addr, "::*") == 0 ? NULL : addr;
    char port_text[8];
    snprintf(port_text, sizeof port_text, "%d", port);
    struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE}, *info = NULL;
    int gai = getaddrinfo(host, port_text, &hints, &info);
    if (gai != 0) {
        if (optional) return 0;
        snprintf(err, errlen, "rdma_bind_addr %s: %s", addr, gai_strerror(gai));
        return -1;
    }
    int result = -1;
    p->channels[i] = rdma_cm_channel_create(err, errlen);
    if (p->channels[i] == NULL) goto out;
    if (rdma_create_id(p->channels[i], &p->ids[i], NULL, RDMA_PS_TCP) != 0) {
        p->ids[i] = NULL;
        snprintf(err, errlen, "rdma_create_id: %s", strerror(errno));
        goto out;
    }
    if (family == AF_INET6) {
        int only = 1; /* like IPV6_V6ONLY: "*" and "::*" may share the port */
        (void)rdma_set_option(p->ids[i], RDMA_OPTION_ID, RDMA_OPTION_ID_AFONLY, &only, sizeof only);
    }
    if (rdma_bind_addr(p->ids[i], info->ai_addr) != 0) {
        int e = errno;
        if (optional && (e == EADDRNOTAVAIL || e == EAFNOSUPPORT || e == ENODEV)) {
            result = 0;
            goto out;
        }
        snprintf(err, errlen, "rdma_bind_addr %s: %s", addr, strerror(e));
        goto out;
    }
    if (rdma_listen(p->ids[i], backlog > 0 ? backlog : 511) != 0) {
        snprintf(err, errlen, "rdma_listen %s: %s", addr, strerror(errno));
        goto out;
    }
    freeaddrinfo(info);
    return 1;
out:
    close_one(p, i);
    freeaddrinfo(info);
    return result;
}

int rdma_conn_listen(KeelListener *l, char *err, size_t errlen) {
    assert(rdma_core->is_main_thread());
    if (rdma_device_probe(err, errlen) != 0) return -1;
    static char *const defaults[] = {"*", "-::*"};
    char *const *addrs = l->addr_count > 0 ? l->addrs : defaults;
    int count = l->addr_count > 0 ? l->addr_count : 2;
    RdmaListenPriv *p = rdma_core->mem_calloc(sizeof *p);
    if (p == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    l->fd_count = 0;
    for (int i = 0; i < count; i++) {
        int r = listen_one(p, l->fd_count, addrs[i], l->port, l->backlog, err, errlen);
        if (r < 0) {
            for (int j = 0; j < l->fd_count; j++) close_one(p, j);
            l->fd_count = 0;
            rdma_core->mem_free(p);
            return -1;
        }
        if (r == 1) {
            l->fds[l->fd_count] = p->channels[l->fd_count]->fd;
            l->fd_count++;
        }
    }
    if (l->fd_count == 0) {
        snprintf(err, errlen, "no bind address is available for RDMA");
        rdma_core->mem_free(p);
        return -1;
    }
    l->priv = p;
    return 0;
}

void rdma_conn_close_listener(KeelListener *l) {
    RdmaListenPriv *p = l->priv;
    if (p == NULL) return;
    for (int i = 0; i < l->fd_count; i++) close_one(p, i);
    l->fd_count = 0;
    rdma_core->mem_free(p);
    l->priv = NULL;
}

/* ---- incoming connections ---- */

static void handshaking_add(RdmaConn *rc) {
    rc->hs_prev = NULL;
    rc->hs_next = handshaking;
    if (handshaking) handshaking->hs_prev = rc;
    handshaking = rc;
}

static void handshaking_remove(RdmaConn *rc) {
    if (rc->hs_prev)
        rc->hs_prev->hs_next = rc->hs_next;
    else if (handshaking == rc)
        handshaking = rc->hs_next;
    if (rc->hs_next) rc->hs_next->hs_prev = rc->hs_prev;
    rc->hs_prev = rc->hs_next = NULL;
}

struct rdma_event_channel *rdma_cm_channel_create(char *err, size_t errlen) {
    struct rdma_event_channel *ch = rdma_create_event_channel();
    if (ch == NULL) {
        snprintf(err, errlen, "rdma_create_event_channel: %s", strerror(errno));
        return NULL;
    }
    int fd = ch->fd;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
        snprintf(err, errlen, "CM event channel fd: %s", strerror(errno));
        rdma_destroy_event_channel(ch);
        return NULL;
    }
    return ch;
}

static void conn_cm_proc(int fd, void *data, int mask);

/* CONNECT_REQUEST: move the new id to an event channel of its own (so the
 * connection outlives its listener: a channel may only be destroyed once
 * its ids are), build the queue pair and buffers, then accept. On any
 * failure the request is rejected and the id destroyed. */
static void on_connect_request(struct rdma_cm_id *id) {
    char why[192];
    RdmaConn *rc = rdma_conn_create(KEEL_CONN_ACCEPTING);
    if (rc == NULL) {
        rdma_core->log(KEEL_LOG_WARNING, "RDMA Accepting client connection: out of memory");
        (void)rdma_reject(id, NULL, 0);
        rdma_destroy_id(id);
        return;
    }
    rc->cm_id = id;
    id->context = rc;
    rc->cm_channel = rdma_cm_channel_create(why, sizeof why);
    if (rc->cm_channel != NULL && rdma_migrate_id(id, rc->cm_channel) != 0)
        snprintf(why, sizeof why, "rdma_migrate_id: %s", strerror(errno));
    else if (rc->cm_channel != NULL &&
             rdma_core->ev_add(rc->cm_channel->fd, KEEL_EV_READABLE, conn_cm_proc, rc) != 0)
        snprintf(why, sizeof why, "cannot watch the CM event channel");
    else if (rc->cm_channel != NULL &&
             rdma_channel_setup(&rc->ch, id, 1, (uint32_t)rdma_opts.rx_size,
                                (int)rdma_opts.comp_vector, why, sizeof why) == 0)
        rc->channel_ready = 1;
    if (!rc->channel_ready) {
        rdma_core->log(KEEL_LOG_WARNING, "RDMA Accepting client connection: %s", why);
        (void)rdma_reject(id, NULL, 0);
        rdma_conn_destroy(rc); /* destroys id and channel */
        return;
    }
    struct rdma_conn_param param = {.responder_resources = 1, .initiator_depth = 1,
                                    .rnr_retry_count = 7};
    if (rdma_accept(id, &param) != 0) {
        rdma_core->log(KEEL_LOG_WARNING, "RDMA Accepting client connection: rdma_accept: %s",
                       strerror(errno));
        rdma_conn_destroy(rc);
        return;
    }
    handshaking_add(rc);
}

/* ESTABLISHED: offer our RX buffer and hand the connection to the core. */
static void on_established(RdmaConn *rc) {
    char why[192];
    if (rc->loop_flags & RDMA_LOOP_HANDED) return; /* not twice */
    handshaking_remove(rc);
    if (rdma_conn_established(rc, why, sizeof why) != 0) {
        rdma_core->log(KEEL_LOG_WARNING, "RDMA Accepting client connection: %s", why);
        rdma_conn_destroy(rc);
        return;
    }
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    (void)rdma_sockaddr_text(rdma_get_peer_addr(rc->cm_id), ip, sizeof ip, &port);
    rdma_core->log(KEEL_LOG_VERBOSE, "RDMA Accepted %s:%d", ip, port);
    rc->loop_flags |= RDMA_LOOP_HANDED;
    rdma_core->accept_client(&rc->conn, 0, ip); /* the core owns rc from here; may close it */
}

/* The connection ended or never came up. */
static void on_disconnect(RdmaConn *rc) {
    if (rc->loop_flags & RDMA_LOOP_HANDED) {
        rc->loop_flags |= RDMA_LOOP_DISCONNECTED; /* the peer's disconnect covers ours */
        rdma_conn_peer_closed(rc);
        return;
    }
    handshaking_remove(rc);
    rdma_conn_destroy(rc);
}

/* A CM event of one accepted connection. One event per call: handling it
 * may free rc, and the level-triggered fd brings the proc back for the
 * next one. */
static void conn_cm_proc(int fd, void *data, int mask) {
    (void)fd, (void)mask;
    RdmaConn *rc = data;
    struct rdma_cm_event *ev;
    if (rdma_get_cm_event(rc->cm_channel, &ev) != 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            rdma_core->log(KEEL_LOG_WARNING, "RDMA: rdma_get_cm_event: %s", strerror(errno));
        return;
    }
    enum rdma_cm_event_type type = ev->event;
    (void)rdma_ack_cm_event(ev); /* before anything may destroy the id */
    switch (type) {
    case RDMA_CM_EVENT_ESTABLISHED:
        on_established(rc);
        break;
    case RDMA_CM_EVENT_DISCONNECTED:
    case RDMA_CM_EVENT_TIMEWAIT_EXIT:
    case RDMA_CM_EVENT_CONNECT_ERROR:
    case RDMA_CM_EVENT_UNREACHABLE:
    case RDMA_CM_EVENT_REJECTED:
    case RDMA_CM_EVENT_ADDR_CHANGE:
    case RDMA_CM_EVENT_DEVICE_REMOVAL:
        on_disconnect(rc);
        break;
    default:
        rdma_core->log(KEEL_LOG_VERBOSE, "RDMA: connection ignores CM event %s",
                       rdma_event_str(type));
        break;
    }
}

/* The listening fd is readable: connect requests, up to the accept budget. */
void rdma_conn_accept_ready(KeelListener *l, int fd) {
    assert(rdma_core->is_main_thread());
    RdmaListenPriv *p = l->priv;
    int idx = 0;
    while (idx < l->fd_count && l->fds[idx] != fd) idx++;
    if (p == NULL || idx == l->fd_count) return; /* a stale wakeup of a closed listener */
    int budget = rdma_core->accept_budget();
    if (budget < 1) budget = 1;
    while (budget-- > 0) {
        struct rdma_cm_event *ev;
        if (rdma_get_cm_event(p->channels[idx], &ev) != 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                rdma_core->log(KEEL_LOG_WARNING, "RDMA: rdma_get_cm_event: %s", strerror(errno));
            return;
        }
        enum rdma_cm_event_type type = ev->event;
        struct rdma_cm_id *id = ev->id;
        (void)rdma_ack_cm_event(ev); /* before anything may destroy id */
        if (type == RDMA_CM_EVENT_CONNECT_REQUEST)
            on_connect_request(id);
        else if (type == RDMA_CM_EVENT_DEVICE_REMOVAL)
            rdma_core->log(KEEL_LOG_WARNING, "RDMA: the device of the listener was removed");
        else
            rdma_core->log(KEEL_LOG_VERBOSE, "RDMA: listener ignores CM event %s",
                           rdma_event_str(type));
    }
}

/* ---- addresses ---- */

int rdma_conn_addr(KeelConn *conn, char *ip, size_t iplen, int *port, int remote) {
    RdmaConn *rc = rdma_of(conn);
    if (rc->cm_id == NULL) return -1;
    struct sockaddr *sa = remote ? rdma_get_peer_addr(rc->cm_id) : rdma_get_local_addr(rc->cm_id);
    return rdma_sockaddr_text(sa, ip, iplen, port);
}

int rdma_conn_is_local(KeelConn *conn) {
    char peer[INET6_ADDRSTRLEN], local[INET6_ADDRSTRLEN];
    int port;
    if (rdma_conn_addr(conn, peer, sizeof peer, &port, 1) != 0) return 0;
    if (strncmp(peer, "127.", 4) == 0 || strcmp(peer, "::1") == 0) return 1;
    /* rxe over loopback reports the interface address on both ends. */
    if (rdma_conn_addr(conn, local, sizeof local, &port, 0) != 0) return 0;
    return strcmp(peer, local) == 0;
}

/* ---- the core's listener, shutdown ---- */

void rdma_handshakes_drop(void) {
    while (handshaking) {
        RdmaConn *rc = handshaking;
        handshaking_remove(rc);
        rdma_conn_destroy(rc);
    }
}

int rdma_listener_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    /* The core opens the new listener before closing the old one and logs
     * why when it cannot. */
    return rdma_core->listener_reopen("rdma", err, errlen);
}
