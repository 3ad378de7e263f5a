/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/internal.h: what the files of keel-rdma.so share: the core table,
 * the option values, the "rdma" type table and the state each RDMA
 * connection carries.
 *
 * Nothing here is ABI: the core sees keel_module_abi, keel_module_onload
 * (module.c) and the KeelConnType table it is handed, nothing else.
 *
 * Threads: every field says who writes it. "owner" is the thread that owns
 * the connection now: the main thread, or the IO thread running its job.
 */
#ifndef KEEL_RDMA_INTERNAL_H
#define KEEL_RDMA_INTERNAL_H

#include <stdint.h>

#include "keel/conn.h"
#include "keel/module.h"
#include "verbs.h"

/* Only the module's entry points are exported. */
#pragma GCC visibility push(hidden)

/* The core's table, set once by keel_module_onload. Read from any thread. */
extern const KeelCore *rdma_core;
extern const KeelConnType rdma_conn_type;

/* ---- options (module.c); the core writes them through the registry ----- */

typedef struct RdmaOptions {
    long long port;        /* rdma-port, 0 = no RDMA listener */
    char *bind;            /* rdma-bind, space separated; NULL = "* -::*" (core-owned) */
    long long rx_size;     /* rdma-rx-size, bytes */
    long long comp_vector; /* rdma-completion-vector, -1 = random */
} RdmaOptions;

extern RdmaOptions rdma_opts;

/* ---- conn_rdma.c: the connection ------------------------------------------ */

/* Main-thread flags (RdmaConn.loop_flags). */
#define RDMA_LOOP_ON_PENDING 0x01  /* linked in the pending list */
#define RDMA_LOOP_WATCHED 0x02     /* the completion fd is in the event loop */
#define RDMA_LOOP_HANDED 0x04      /* accepted: the core owns it (else still handshaking) */
#define RDMA_LOOP_KICKED 0x08      /* CLOSED/ERROR already reported to the handlers */
#define RDMA_LOOP_DIRTY 0x10       /* the fd fired while postponed: update_state re-watches */
#define RDMA_LOOP_DISCONNECTED 0x20 /* rdma_disconnect was called */
#define RDMA_LOOP_PEER_GONE 0x40    /* the peer disconnected while postponed: update_state applies it */

/* An RDMA connection: the shared KeelConn first, then our state. */
typedef struct RdmaConn {
    KeelConn conn;
    RdmaChannel ch;                        /* verbs resources; owner thread */
    int channel_ready;                     /* ch was set up (release it on close) */
    struct rdma_cm_id *cm_id;              /* owned; NULL before connect */
    struct rdma_event_channel *cm_channel; /* owned: this connection's CM events */
    uint32_t loop_flags;                   /* RDMA_LOOP_*; main thread only */
    long long keepalive_timer;             /* core timer id, 0 = none; main only */
    struct RdmaConn *pending_prev, *pending_next; /* pending list; main only */
    struct RdmaConn *hs_prev, *hs_next;    /* handshaking list (listen.c); main only */
    char error[192];                       /* text of the last failure; owner thread */
} RdmaConn;

static inline RdmaConn *rdma_of(KeelConn *conn) {
    return (RdmaConn *)conn;
}

/* Allocates a connection in state (fd -1). NULL when out of memory. Main. */
RdmaConn *rdma_conn_create(int state);
/* Frees rc and every resource it holds, without any callback: the close
 * path, and the end of a handshake the core never saw. Main, refs == 0. */
void rdma_conn_destroy(RdmaConn *rc);
/* The connection is established: offer our RX buffer, start the keepalive
 * timer and watch the completion fd. Returns 0, or -1 with err. Main. */
int rdma_conn_established(RdmaConn *rc, char *err, size_t errlen);
/* Marks a failure: state ERROR, last_errno, the text kept for last_error.
 * Thread: owner. */
void rdma_conn_fail(RdmaConn *rc, int err_no, const char *why);
/* The peer disconnected (CM event): state CLOSED once its bytes are read;
 * the handlers hear of it through the pending list. Main. */
void rdma_conn_peer_closed(RdmaConn *rc);
/* Puts the connection on the pending list exactly when a handler has work
 * the poller will not announce. Main, not postponed. */
void rdma_conn_pending_sync(RdmaConn *rc);
/* Reaps completions. Returns 0, or -1 after rdma_conn_fail. Owner. */
int rdma_conn_poll(RdmaConn *rc, RdmaPollResult *res);
void rdma_conn_close(KeelConn *conn);

/* ---- listen.c ---------------------------------------------------------------- */

/* A non-blocking, close-on-exec CM event channel, or NULL with err. */
struct rdma_event_channel *rdma_cm_channel_create(char *err, size_t errlen);
/* Checks that some RDMA device exists. Returns 0, or -1 with the reason. */
int rdma_device_probe(char *err, size_t errlen);
int rdma_conn_listen(KeelListener *l, char *err, size_t errlen);
void rdma_conn_close_listener(KeelListener *l);
void rdma_conn_accept_ready(KeelListener *l, int fd);
int rdma_conn_addr(KeelConn *conn, char *ip, size_t iplen, int *port, int remote);
int rdma_conn_is_local(KeelConn *conn);
/* Frees every connection still handshaking (shutdown; the core closed
 * the listener before). */
void rdma_handshakes_drop(void);
/* CONFIG SET rdma-port / rdma-bind: the core's listener_reopen("rdma"),
 * which opens the new listener first and keeps the old one on failure. */
int rdma_listener_apply(const char *name, char *err, size_t errlen);

/* ---- connect.c: outgoing connections ------------------------------------------ */

int rdma_conn_connect(KeelConn *conn, const char *addr, int port, const char *src_addr,
                 KeelConnHandler cb);
int rdma_conn_blocking_connect(KeelConn *conn, const char *addr, int port, long long timeout_ms);

/* ---- conn_sync.c ------------------------------------------------------------ */

ssize_t rdma_conn_sync_write(KeelConn *conn, const char *buf, ssize_t len, long long timeout_ms);
ssize_t rdma_conn_sync_read(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);
ssize_t rdma_conn_sync_readline(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);
/* Waits up to the deadline (monotonic ms) for the completion fd and polls
 * once. Returns 0, or -1 (ETIMEDOUT with state kept, or a failure). */
int rdma_sync_wait(RdmaConn *rc, long long deadline_ms);
/* Monotonic milliseconds + timeout_ms. */
long long rdma_deadline_ms(long long timeout_ms);

#pragma GCC visibility pop

#endif
