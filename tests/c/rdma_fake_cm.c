/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/rdma_fake_cm.c: an in-process stand-in for the librdmacm
 * connection manager and the device list, beside rdma_fake_verbs.c, so
 * keel-rdma.so's own code (listener, accept, connect, disconnect) runs in a
 * unit test on one host without an RDMA device.
 *
 * Event channels are pipes (one byte per queued event) with a queue of
 * events. Ids bind to a port (IPv4, any address); rdma_connect to a
 * listening port queues CONNECT_REQUEST on the listener with a new id;
 * rdma_accept joins the two queue pairs and queues ESTABLISHED to both;
 * rdma_disconnect queues DISCONNECTED to both; destroying an id drops its
 * queued events, as the kernel does. Every id and channel is counted.
 *
 * Threads: one (test code).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdma_fake_verbs.h"

#define FAKE_EVENTS 256
#define FAKE_IDS 64

typedef struct FakeEventChannel {
    struct rdma_event_channel ch; /* ch.fd: the read end */
    int write_fd;
    struct rdma_cm_event *queue[FAKE_EVENTS];
    unsigned head, tail;
} FakeEventChannel;

typedef struct FakeId {
    struct rdma_cm_id id;
    int port;                /* bound or resolved-to port */
    int listening;
    int connected;           /* ESTABLISHED was queued */
    struct FakeId *peer;     /* the other end, NULL once it is gone */
    struct FakeId *listener; /* incoming ids: the listener that got the request */
} FakeId;

static int device_count = 1;
static int live_cm_objects;
static FakeId *ids[FAKE_IDS];

void fake_cm_set_devices(int count) {
    device_count = count;
}

int fake_cm_live_objects(void) {
    return live_cm_objects;
}

/* ---- devices ---- */

struct ibv_device **ibv_get_device_list(int *num_devices) {
    if (num_devices) *num_devices = device_count;
    return calloc((size_t)device_count + 1, sizeof(struct ibv_device *));
}

void ibv_free_device_list(struct ibv_device **list) {
    free(list);
}

int ibv_fork_init(void) {
    return 0;
}

/* ---- event channels ---- */

struct rdma_event_channel *rdma_create_event_channel(void) {
    FakeEventChannel *fc = calloc(1, sizeof *fc);
    int fds[2];
    if (pipe(fds) != 0) {
        free(fc);
        return NULL;
    }
    fc->ch.fd = fds[0];
    fc->write_fd = fds[1];
    live_cm_objects++;
    return &fc->ch;
}

void rdma_destroy_event_channel(struct rdma_event_channel *ch) {
    FakeEventChannel *fc = (FakeEventChannel *)ch;
    if (fc->head != fc->tail) abort(); /* events of live ids: a use-after-free in real life */
    close(fc->ch.fd);
    close(fc->write_fd);
    free(fc);
    live_cm_objects--;
}

static void queue_event(FakeId *id, enum rdma_cm_event_type type, int status) {
    if (id == NULL) return;
    FakeEventChannel *fc = (FakeEventChannel *)id->id.channel;
    struct rdma_cm_event *ev = calloc(1, sizeof *ev);
    ev->id = &id->id;
    ev->listen_id = id->listener ? &id->listener->id : NULL;
    ev->event = type;
    ev->status = status;
    fc->queue[fc->tail++ % FAKE_EVENTS] = ev;
    char byte = 1;
    if (write(fc->write_fd, &byte, 1) != 1) abort();
}

int rdma_get_cm_event(struct rdma_event_channel *ch, struct rdma_cm_event **event) {
    FakeEventChannel *fc = (FakeEventChannel *)ch;
    char byte;
    if (read(fc->ch.fd, &byte, 1) != 1) return -1; /* EAGAIN from the non-blocking pipe */
    *event = fc->queue[fc->head++ % FAKE_EVENTS];
    return 0;
}

int rdma_ack_cm_event(struct rdma_cm_event *event) {
    free(event);
    return 0;
}

const char *rdma_event_str(enum rdma_cm_event_type event) {
    switch (event) {
    case RDMA_CM_EVENT_REJECTED: return "RDMA_CM_EVENT_REJECTED";
    case RDMA_CM_EVENT_DISCONNECTED: return "RDMA_CM_EVENT_DISCONNECTED";
    default: return "RDMA_CM_EVENT_OTHER";
    }
}

/* ---- ids ---- */

int rdma_create_id(struct rdma_event_channel *channel, struct rdma_cm_id **id, void *context,
                   enum rdma_port_space ps) {
    FakeId *f = calloc(1, sizeof *f);
    f->id.channel = channel;
    f->id.context = context;
    f->id.ps = ps;
    for (int i = 0; i < FAKE_IDS; i++) {
        if (ids[i]) continue;
        ids[i] = f;
        *id = &f->id;
        live_cm_objects++;
        return 0;
    }
    free(f);
    errno = ENOMEM;
    return -1;
}

/* Drops the events an id still has queued, keeping the others in order. */
static void drop_events(FakeId *f) {
    FakeEventChannel *fc = (FakeEventChannel *)f->id.channel;
    unsigned kept = fc->head;
    for (unsigned i = fc->head; i != fc->tail; i++) {
        struct rdma_cm_event *ev = fc->queue[i % FAKE_EVENTS];
        if (ev->id == &f->id) {
            char byte;
            if (read(fc->ch.fd, &byte, 1) != 1) abort();
            free(ev);
            continue;
        }
        fc->queue[kept++ % FAKE_EVENTS] = ev;
    }
    fc->tail = kept;
}

int rdma_destroy_id(struct rdma_cm_id *id) {
    FakeId *f = (FakeId *)id;
    if (id->qp) abort(); /* the QP must go first */
    drop_events(f);
    if (f->peer) f->peer->peer = NULL;
    for (int i = 0; i < FAKE_IDS; i++) {
        if (ids[i] == f) ids[i] = NULL;
        if (ids[i] && ids[i]->listener == f) ids[i]->listener = NULL;
    }
    free(f);
    live_cm_objects--;
    return 0;
}

int rdma_migrate_id(struct rdma_cm_id *id, struct rdma_event_channel *channel) {
    FakeId *f = (FakeId *)id;
    drop_events(f); /* none are pending when keel migrates; keep it simple */
    id->channel = channel;
    return 0;
}

int rdma_set_option(struct rdma_cm_id *id, int level, int optname, void *optval, size_t optlen) {
    (void)id, (void)level, (void)optname, (void)optval, (void)optlen;
    return 0;
}

static int port_of(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET) return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

static void set_loopback(struct sockaddr_in *sin, int port) {
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)port);
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

int rdma_bind_addr(struct rdma_cm_id *id, struct sockaddr *addr) {
    FakeId *f = (FakeId *)id;
    int port = port_of(addr);
    if (addr->sa_family != AF_INET) {
        errno = EADDRNOTAVAIL; /* the fake device has IPv4 only */
        return -1;
    }
    for (int i = 0; i < FAKE_IDS; i++) {
        if (ids[i] && ids[i] != f && ids[i]->listening && ids[i]->port == port) {
            errno = EADDRINUSE;
            return -1;
        }
    }
    f->port = port;
    id->verbs = fake_verbs_context();
    set_loopback(&id->route.addr.src_sin, port);
    return 0;
}

int rdma_listen(struct rdma_cm_id *id, int backlog) {
    (void)backlog;
    ((FakeId *)id)->listening = 1;
    return 0;
}

int rdma_resolve_addr(struct rdma_cm_id *id, struct sockaddr *src, struct sockaddr *dst,
                      int timeout_ms) {
    (void)src, (void)timeout_ms;
    FakeId *f = (FakeId *)id;
    f->port = port_of(dst);
    id->verbs = fake_verbs_context();
    set_loopback(&id->route.addr.src_sin, 40000);
    set_loopback(&id->route.addr.dst_sin, f->port);
    queue_event(f, RDMA_CM_EVENT_ADDR_RESOLVED, 0);
    return 0;
}

int rdma_resolve_route(struct rdma_cm_id *id, int timeout_ms) {
    (void)timeout_ms;
    queue_event((FakeId *)id, RDMA_CM_EVENT_ROUTE_RESOLVED, 0);
    return 0;
}

int rdma_connect(struct rdma_cm_id *id, struct rdma_conn_param *param) {
    (void)param;
    FakeId *client = (FakeId *)id, *listener = NULL;
    for (int i = 0; i < FAKE_IDS; i++)
        if (ids[i] && ids[i]->listening && ids[i]->port == client->port) listener = ids[i];
    if (listener == NULL) {
        queue_event(client, RDMA_CM_EVENT_REJECTED, 28); /* nobody listens there */
        return 0;
    }
    struct rdma_cm_id *incoming;
    if (rdma_create_id(listener->id.channel, &incoming, listener->id.context, RDMA_PS_TCP) != 0)
        return -1;
    FakeId *server = (FakeId *)incoming;
    server->port = listener->port;
    server->listener = listener;
    server->peer = client;
    client->peer = server;
    incoming->verbs = fake_verbs_context();
    set_loopback(&incoming->route.addr.src_sin, listener->port);
    set_loopback(&incoming->route.addr.dst_sin, 40000);
    queue_event(server, RDMA_CM_EVENT_CONNECT_REQUEST, 0);
    return 0;
}

int rdma_accept(struct rdma_cm_id *id, struct rdma_conn_param *param) {
    (void)param;
    FakeId *server = (FakeId *)id, *client = server->peer;
    if (client == NULL || id->qp == NULL || client->id.qp == NULL) {
        errno = EINVAL;
        return -1;
    }
    fake_verbs_join(&client->id, id);
    server->connected = client->connected = 1;
    queue_event(server, RDMA_CM_EVENT_ESTABLISHED, 0);
    queue_event(client, RDMA_CM_EVENT_ESTABLISHED, 0);
    return 0;
}

int rdma_reject(struct rdma_cm_id *id, const void *private_data, uint8_t private_data_len) {
    (void)private_data, (void)private_data_len;
    FakeId *server = (FakeId *)id;
    queue_event(server->peer, RDMA_CM_EVENT_REJECTED, 28);
    return 0;
}

int rdma_disconnect(struct rdma_cm_id *id) {
    FakeId *f = (FakeId *)id;
    if (!f->connected) {
        errno = EINVAL;
        return -1;
    }
    f->connected = 0;
    queue_event(f, RDMA_CM_EVENT_DISCONNECTED, 0);
    if (f->peer && f->peer->connected) {
        f->peer->connected = 0;
        queue_event(f->peer, RDMA_CM_EVENT_DISCONNECTED, 0);
    }
    return 0;
}
