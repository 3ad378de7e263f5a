/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_rdma_module.c: keel-rdma.so's own code (the files of modules/rdma/:
 * options, listener, accept, the connection type's read/write/handlers,
 * pending list, keepalive, IO-thread postponing, outgoing connect, close)
 * run in one process against a small fake core (event loop, timers,
 * config registry, an echo "client" handler) and the fakes of the verbs
 * and connection-manager calls (rdma_fake_verbs.c, rdma_fake_cm.c).
 *
 * The tests share the module's process-wide state, so they run in order,
 * each leaving the listener as the next expects; the last one shuts the
 * type down and checks that nothing is left allocated.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "keel/module.h"
#include "rdma_fake_verbs.h"
#include "test.h"

/* ---- a fake core ---- */

typedef struct Watch {
    KeelFileProc proc;
    void *data;
} Watch;

#define MAX_FD 1024
static Watch watches[MAX_FD];
static struct {
    KeelTimerProc proc;
    void *data;
} timers[64];
static const KeelConnType *rdma_type;
static KeelConfigOption options[16];
static int option_count;
static char module_error[512];

static void core_set_info(const char *name, int version) {
    (void)name, (void)version;
}
static void core_set_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(module_error, sizeof module_error, fmt, ap);
    va_end(ap);
}
static void core_log(int level, const char *fmt, ...) {
    (void)level, (void)fmt;
}
static int core_is_main_thread(void) {
    return 1;
}
static uint64_t core_monotonic_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
static int core_ev_add(int fd, int mask, KeelFileProc proc, void *data) {
    (void)mask; /* RDMA only ever asks for readable */
    if (fd < 0 || fd >= MAX_FD) return -1;
    watches[fd] = (Watch){proc, data};
    return 0;
}
static void core_ev_remove(int fd, int mask) {
    (void)mask;
    if (fd >= 0 && fd < MAX_FD) watches[fd] = (Watch){NULL, NULL};
}
static long long core_timer_add(long long ms, KeelTimerProc proc, void *data) {
    (void)ms;
    for (int i = 1; i < 64; i++) {
        if (timers[i].proc) continue;
        timers[i].proc = proc;
        timers[i].data = data;
        return i;
    }
    return -1;
}
static int core_timer_remove(long long id) {
    if (id <= 0 || id >= 64 || timers[id].proc == NULL) return -1;
    timers[id].proc = NULL;
    return 0;
}
static int core_conn_type_register(const KeelConnType *type, char *err, size_t errlen) {
    (void)err, (void)errlen;
    rdma_type = type;
    return KEEL_OK;
}
static int core_config_register(const KeelConfigOption *opt, char *err, size_t errlen) {
    (void)err, (void)errlen;
    options[option_count++] = *opt;
    if (opt->type == KEEL_CFG_STRING)
        *(char **)opt->storage = NULL;
    else
        *(long long *)opt->storage = atoll(opt->default_value);
    return KEEL_OK;
}
static int core_accept_budget(void) {
    return 10;
}
static void *core_calloc(size_t size) {
    return calloc(1, size);
}

/* The "client" the core makes of each accepted connection: echoes bytes. */
typedef struct Echo {
    char *out;
    size_t len;
} Echo;

static int accepted, server_closed;
static KeelConn *last_accepted;

static void echo_flush(KeelConn *conn) {
    Echo *e = conn->owner;
    while (e->len > 0) {
        ssize_t n = conn->type->write(conn, e->out, e->len);
        if (n <= 0) break;
        memmove(e->out, e->out + n, e->len - (size_t)n);
        e->len -= (size_t)n;
    }
    conn->type->set_write_handler(conn, e->len > 0 ? echo_flush : NULL, 0);
}

static void echo_read(KeelConn *conn) {
    Echo *e = conn->owner;
    char buf[16384];
    ssize_t n = conn->type->read(conn, buf, sizeof buf);
    if (n > 0) {
        e->out = realloc(e->out, e->len + (size_t)n);
        memcpy(e->out + e->len, buf, (size_t)n);
        e->len += (size_t)n;
        echo_flush(conn);
        return;
    }
    if (n == 0 || conn->state != KEEL_CONN_CONNECTED) {
        server_closed++;
        if (last_accepted == conn) last_accepted = NULL;
        free(e->out);
        free(e);
        conn->type->close(conn); /* deferred: we are inside its handler */
    }
}

static void echo_accepted(KeelConn *conn) {
    conn->type->set_read_handler(conn, echo_read);
}

static void core_accept_client(KeelConn *conn, int flags, const char *peer_ip) {
    (void)flags, (void)peer_ip;
    accepted++;
    last_accepted = conn;
    conn->owner = calloc(1, sizeof(Echo));
    if (conn->type->accept(conn, echo_accepted) != 0) conn->type->close(conn);
}

/* The core's RDMA listener (net/listener.c does this for real): filled
 * from rdma-port, opened through the type's listen(), its fds watched. */
static KeelListener *listener;

static void listener_accept_proc(int fd, void *data, int mask) {
    (void)mask;
    KeelListener *l = data;
    l->type->accept_ready(l, fd);
}

static void listener_close(KeelListener *l) {
    for (int i = 0; i < l->fd_count; i++) core_ev_remove(l->fds[i], KEEL_EV_READABLE);
    rdma_type->close_listener(l);
    free(l);
}

static long long rdma_port_option(void);

static int core_listener_reopen(const char *type, char *err, size_t errlen) {
    CHECK_EQ_STR("rdma", type);
    KeelListener *fresh = NULL;
    if (rdma_port_option() != 0) {
        fresh = calloc(1, sizeof *fresh);
        fresh->type = rdma_type;
        fresh->port = (int)rdma_port_option();
        fresh->backlog = 511;
        char why[384];
        if (rdma_type->listen(fresh, why, sizeof why) != 0) {
            snprintf(err, errlen, "Failed listening on port %d (rdma): %s", fresh->port, why);
            free(fresh);
            return -1;
        }
        for (int i = 0; i < fresh->fd_count; i++)
            CHECK_EQ_INT(0, core_ev_add(fresh->fds[i], KEEL_EV_READABLE, listener_accept_proc, fresh));
    }
    if (listener) listener_close(listener);
    listener = fresh;
    return 0;
}

static const KeelCore core = {
    .size = sizeof(KeelCore),
    .abi_version = KEEL_ABI_VERSION,
    .server_version = "8.0.0",
    .module_set_info = core_set_info,
    .module_set_error = core_set_error,
    .log = core_log,
    .is_main_thread = core_is_main_thread,
    .monotonic_us = core_monotonic_us,
    .ev_add = core_ev_add,
    .ev_remove = core_ev_remove,
    .timer_add = core_timer_add,
    .timer_remove = core_timer_remove,
    .conn_type_register = core_conn_type_register,
    .accept_client = core_accept_client,
    .accept_budget = core_accept_budget,
    .config_register = core_config_register,
    .mem_alloc = malloc,
    .mem_calloc = core_calloc,
    .mem_realloc = realloc,
    .mem_free = free,
    .listener_reopen = core_listener_reopen,
};

int keel_module_onload(const KeelCore *core, int argc, char **argv);

/* One turn of the event loop: ready fds, then the pending list. */
static void loop_once(void) {
    struct pollfd pfds[MAX_FD];
    int n = 0;
    for (int fd = 0; fd < MAX_FD; fd++)
        if (watches[fd].proc) pfds[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
    int ready = poll(pfds, (nfds_t)n, rdma_type->has_pending_data() ? 0 : 1);
    for (int i = 0; ready > 0 && i < n; i++) {
        Watch w = watches[pfds[i].fd];
        if ((pfds[i].revents & POLLIN) && w.proc) w.proc(pfds[i].fd, w.data, KEEL_EV_READABLE);
    }
    if (rdma_type->has_pending_data()) rdma_type->process_pending_data();
}

static long long *option_number(const char *name) {
    for (int i = 0; i < option_count; i++)
        if (strcmp(options[i].name, name) == 0) return options[i].storage;
    test_fail(__FILE__, __LINE__, "no option %s", name);
}

static long long rdma_port_option(void) {
    return *option_number("rdma-port");
}

/* The core opening the listener at startup. */
static int listener_open(char *err, size_t errlen) {
    return core_listener_reopen("rdma", err, errlen);
}

static int port_apply(void) {
    char err[256];
    for (int i = 0; i < option_count; i++)
        if (strcmp(options[i].name, "rdma-port") == 0) return options[i].apply("rdma-port", err, sizeof err);
    return -1;
}

/* ---- the client side: the type's own outgoing connections ---- */

typedef struct Client {
    KeelConn *conn;
    int connect_done;
    char *in;
    size_t len;
    int closed;
} Client;

static Client clients[8];

static Client *client_of(KeelConn *conn) {
    for (int i = 0; i < 8; i++)
        if (clients[i].conn == conn) return &clients[i];
    abort();
}

static void client_connected(KeelConn *conn) {
    client_of(conn)->connect_done = 1;
}

static void client_read(KeelConn *conn) {
    Client *c = client_of(conn);
    char buf[65536];
    ssize_t n = conn->type->read(conn, buf, sizeof buf);
    if (n > 0) {
        c->in = realloc(c->in, c->len + (size_t)n);
        memcpy(c->in + c->len, buf, (size_t)n);
        c->len += (size_t)n;
    } else if (n == 0 || conn->state != KEEL_CONN_CONNECTED) {
        c->closed = 1;
        conn->type->set_read_handler(conn, NULL);
    }
}

/* Connects client slot i to port; returns the final state. */
static int client_open(int i, int port) {
    Client *c = &clients[i];
    memset(c, 0, sizeof *c);
    c->conn = rdma_type->conn_create();
    CHECK(c->conn != NULL);
    if (rdma_type->connect(c->conn, "127.0.0.1", port, NULL, client_connected) != 0)
        return c->conn->state;
    for (int turn = 0; turn < 1000 && !c->connect_done; turn++) loop_once();
    CHECK(c->connect_done);
    if (c->conn->state == KEEL_CONN_CONNECTED) rdma_type->set_read_handler(c->conn, client_read);
    return c->conn->state;
}

static void client_close(int i) {
    free(clients[i].in);
    rdma_type->close(clients[i].conn);
    memset(&clients[i], 0, sizeof clients[i]);
}

/* Sends len bytes from client i and waits for them to come back. */
static void client_echo(int i, const char *data, size_t len) {
    Client *c = &clients[i];
    size_t sent = 0;
    c->len = 0;
    uint64_t deadline = core_monotonic_us() + 10 * 1000000; /* a stall fails, never hangs */
    while (c->len < len && core_monotonic_us() < deadline) {
        if (sent < len) {
            ssize_t n = rdma_type->write(c->conn, data + sent, len - sent);
            if (n > 0) sent += (size_t)n;
            else CHECK_EQ_INT(KEEL_CONN_CONNECTED, c->conn->state);
        }
        loop_once();
    }
    CHECK_EQ_INT(len, c->len);
    CHECK(memcmp(c->in, data, len) == 0);
}

/* ---- the tests, in order ---- */

#define PORT_A 7001
#define PORT_B 7002

TEST(rdma_module_loads_and_rejects_bad_arguments) {
    char *bad[] = {"foo=1"};
    CHECK_EQ_INT(KEEL_ERR, keel_module_onload(&core, 1, bad));
    CHECK_EQ_STR("RDMA: Unsupported argument \"foo=1\"", module_error);
    char *args[] = {"port=" "7001", "rx-size=65536"};
    CHECK_EQ_INT(KEEL_OK, keel_module_onload(&core, 2, args));
    CHECK(rdma_type != NULL);
    CHECK_EQ_STR("rdma", rdma_type->name);
    CHECK_EQ_INT(PORT_A, *option_number("rdma-port"));
    CHECK_EQ_INT(65536, *option_number("rdma-rx-size"));
    CHECK_EQ_INT(-1, *option_number("rdma-completion-vector"));
}

TEST(rdma_module_without_a_device_refuses_to_listen) {
    char err[512];
    fake_cm_set_devices(0);
    CHECK_EQ_INT(-1, listener_open(err, sizeof err));
    CHECK(strstr(err, "Failed listening on port 7001 (rdma): no RDMA device found "
                      "(ibv_get_device_list returned 0 devices)") != NULL);
    CHECK_EQ_INT(0, fake_cm_live_objects());
    fake_cm_set_devices(1);
}

TEST(rdma_module_listens_and_echoes_a_stream_through_small_buffers) {
    char err[512];
    CHECK_EQ_INT(0, listener_open(err, sizeof err));
    CHECK(listener != NULL && listener->fd_count >= 1); /* "*" (and "-::*" where it binds) */
    CHECK_EQ_INT(KEEL_CONN_CONNECTED, client_open(0, PORT_A));
    CHECK_EQ_INT(1, accepted);
    enum { TOTAL = 1 << 20 };
    char *data = malloc(TOTAL);
    for (int i = 0; i < TOTAL; i++) data[i] = (char)(i * 31 + (i >> 10));
    client_echo(0, data, TOTAL); /* 16 times each 64 KiB buffer, both ways */
    client_echo(0, "PING\r\n", 6);
    free(data);
}

TEST(rdma_module_reports_local_and_peer_addresses) {
    char ip[64];
    int port = 0;
    CHECK(last_accepted != NULL);
    CHECK_EQ_INT(0, rdma_type->addr(last_accepted, ip, sizeof ip, &port, 1));
    CHECK_EQ_STR("127.0.0.1", ip);
    CHECK_EQ_INT(0, rdma_type->addr(last_accepted, ip, sizeof ip, &port, 0));
    CHECK_EQ_INT(PORT_A, port);
    CHECK_EQ_INT(1, rdma_type->is_local(last_accepted));
}

TEST(rdma_module_keepalive_reaches_the_peer) {
    int fired = 0;
    for (int i = 1; i < 64; i++) {
        if (timers[i].proc == NULL) continue;
        CHECK_EQ_INT(3000, timers[i].proc(i, timers[i].data));
        fired++;
    }
    CHECK_EQ_INT(2, fired); /* one per end */
    unsigned long long before = rdma_of(last_accepted)->ch.keepalives_received;
    for (int turn = 0; turn < 10; turn++) loop_once();
    CHECK_EQ_INT(before + 1, rdma_of(last_accepted)->ch.keepalives_received);
    client_echo(0, "still here", 10);
}

TEST(rdma_module_postponed_connection_is_not_reaped_until_update_state) {
    KeelConn *conn = last_accepted;
    rdma_type->postpone_update_state(conn, 1); /* an IO job owns it now */
    clients[0].len = 0;
    CHECK_EQ_INT(6, rdma_type->write(clients[0].conn, "hello!", 6));
    for (int turn = 0; turn < 5; turn++) loop_once();
    CHECK_EQ_INT(0, clients[0].len); /* the server side did not run */
    rdma_type->postpone_update_state(conn, 0);
    rdma_type->update_state(conn);
    for (int turn = 0; turn < 100 && clients[0].len < 6; turn++) loop_once();
    CHECK_EQ_INT(6, clients[0].len);
    CHECK(memcmp(clients[0].in, "hello!", 6) == 0);
}

TEST(rdma_module_client_disconnect_frees_the_server_side) {
    int before = server_closed;
    client_close(0);
    for (int turn = 0; turn < 100 && server_closed == before; turn++) loop_once();
    CHECK_EQ_INT(before + 1, server_closed);
    CHECK_EQ_INT(0, fake_verbs_live_objects()); /* every QP, CQ, MR and PD is gone */
    CHECK_EQ_INT(2, fake_cm_live_objects());    /* the listener's id and channel */
}

TEST(rdma_module_server_close_is_seen_by_the_client) {
    CHECK_EQ_INT(KEEL_CONN_CONNECTED, client_open(1, PORT_A));
    KeelConn *server_conn = last_accepted;
    Echo *e = server_conn->owner;
    free(e->out);
    free(e);
    last_accepted = NULL;
    rdma_type->close(server_conn);
    for (int turn = 0; turn < 100 && !clients[1].closed; turn++) loop_once();
    CHECK(clients[1].closed);
    CHECK_EQ_INT(KEEL_CONN_CLOSED, clients[1].conn->state);
    client_close(1);
    CHECK_EQ_INT(0, fake_verbs_live_objects());
}

TEST(rdma_module_config_set_port_moves_the_listener_and_keeps_connections) {
    CHECK_EQ_INT(KEEL_CONN_CONNECTED, client_open(2, PORT_A));
    *option_number("rdma-port") = PORT_B;
    CHECK_EQ_INT(0, port_apply());
    CHECK_EQ_INT(KEEL_CONN_CONNECTED, client_open(3, PORT_B));
    CHECK_EQ_INT(KEEL_CONN_ERROR, client_open(4, PORT_A)); /* nobody listens there now */
    client_close(4);
    client_echo(2, "old connection", 14);
    client_echo(3, "new connection", 14);
    *option_number("rdma-port") = 0;
    CHECK_EQ_INT(0, port_apply()); /* closes the listener */
    CHECK(listener == NULL);
    client_echo(2, "still", 5);
}

TEST(rdma_module_shutdown_leaves_nothing_allocated) {
    client_close(2);
    client_close(3);
    for (int turn = 0; turn < 100 && server_closed < 3; turn++) loop_once();
    CHECK_EQ_INT(3, server_closed);
    rdma_type->cleanup();
    CHECK_EQ_INT(0, fake_verbs_live_objects());
    CHECK_EQ_INT(0, fake_cm_live_objects());
}
