/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keel/conn.h: the connection object and the connection-type vtable.
 *
 * Every byte between the core and a peer goes through a KeelConnType provided
 * by a transport module (keel-socket.so: tcp, unix; keel-tls.so; keel-rdma.so).
 * The core never calls socket(), accept(), recv() or send() itself. See
 * docs/CONNECTIONS.md for the full contract.
 *
 * Threads: "main" = the event-loop thread. "any" = the main thread, or the IO
 * thread that owns the connection's in-flight job; never two at once.
 */
#ifndef KEEL_CONN_H
#define KEEL_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

typedef struct KeelCore KeelCore;
typedef struct KeelConn KeelConn;
typedef struct KeelConnType KeelConnType;
typedef struct KeelListener KeelListener;

/* Callback run by a transport when a connection becomes readable, writable,
 * or finishes connect/accept. Always run through keel_conn_call(). */
typedef void (*KeelConnHandler)(KeelConn *conn);

typedef enum {
    KEEL_CONN_NONE = 0,   /* created, nothing started */
    KEEL_CONN_CONNECTING, /* outgoing setup in progress */
    KEEL_CONN_ACCEPTING,  /* incoming, handshake not finished */
    KEEL_CONN_CONNECTED,  /* bytes may flow */
    KEEL_CONN_CLOSED,     /* peer closed cleanly (read returned 0) */
    KEEL_CONN_ERROR       /* fatal error; last_errno / last_error say why */
} KeelConnState;

/* Core-visible connection flags; transports keep their own in tp. */
#define KEEL_CONN_F_CLOSE_SCHEDULED 0x0001 /* close() ran while refs > 0 */
#define KEEL_CONN_F_WRITE_BARRIER 0x0002   /* write before read in a turn, never after */
#define KEEL_CONN_F_OFFLOAD_OK 0x0004      /* handshake may run on an IO thread */
#define KEEL_CONN_F_POSTPONED 0x0008       /* an IO thread owns it: no event-loop calls */

/* Capabilities of a connection type (KeelConnType.caps). */
#define KEEL_CT_SECURE 0x0001          /* encrypted and authenticated (TLS) */
#define KEEL_CT_FDLESS 0x0002          /* fd is not a kernel socket */
#define KEEL_CT_INTEGRITY 0x0004       /* transport checks integrity itself */
#define KEEL_CT_IOTHREAD_READ 0x0010   /* read may run on an IO thread */
#define KEEL_CT_IOTHREAD_WRITE 0x0020  /* write/writev may run on an IO thread */
#define KEEL_CT_IOTHREAD_ACCEPT 0x0040 /* accept (handshake) may run on an IO thread */

/* Flags passed by a transport to KeelCore.accept_client. */
#define KEEL_ACCEPT_F_UNIX 0x0001 /* the peer came through a Unix socket */

/* The part of a connection that every transport shares with the core.
 * The transport allocates it (conn_create / conn_create_accepted) and frees it
 * in close(). */
struct KeelConn {
    const KeelConnType *type; /* fixed at creation */
    int state;                /* KeelConnState; written by the transport */
    uint16_t flags;           /* KEEL_CONN_F_*; see each flag */
    int refs;                 /* handlers and in-flight jobs holding the conn */
    int fd;                   /* what the event loop watches; -1 before setup */
    int last_errno;           /* errno of the last failed call, 0 if none */
    KeelConnHandler conn_cb;  /* connect/accept done; transport-owned slot */
    KeelConnHandler read_cb;  /* set by set_read_handler */
    KeelConnHandler write_cb; /* set by set_write_handler */
    void *owner;              /* the core's object (a client); never touched by the transport */
    void *tp;                 /* transport private state; never touched by the core */
};

#define KEEL_LISTENER_MAX_ADDRS 16

/* A listening endpoint. The core fills type, addrs, port and the options; the
 * transport's listen() fills fds. Main thread only. */
struct KeelListener {
    const KeelConnType *type;
    char *addrs[KEEL_LISTENER_MAX_ADDRS]; /* bind addresses (unix: addrs[0] = path) */
    int addr_count;
    int port;                         /* 0 = off (unix: unused) */
    int backlog;                      /* tcp-backlog */
    int keepalive;                    /* tcp-keepalive seconds, 0 = off */
    unsigned int unix_perm;           /* unixsocketperm, 0 = leave as umask made it */
    const char *unix_group;           /* unixsocketgroup or NULL */
    int fds[KEEL_LISTENER_MAX_ADDRS]; /* filled by listen() */
    int fd_count;
    void *priv; /* transport private data for this listener */
};

/* Connection type (transport vtable). Members not marked optional are
 * required; conn_type_register refuses a NULL in them. Return conventions:
 * int functions return 0 (KEEL_OK) or -1 (KEEL_ERR) unless stated. */
struct KeelConnType {
    size_t size;       /* sizeof(KeelConnType) as built; checked at register */
    const char *name;  /* "tcp", "unix", "tls", "rdma"; unique, case-insensitive */
    uint32_t caps;     /* KEEL_CT_* */

    /* Optional. Runs once at registration. Thread: main. */
    int (*init)(const KeelCore *core, char *err, size_t errlen);
    /* Optional. Runs once at shutdown. Thread: main. */
    void (*cleanup)(void);
    /* Optional. Builds the type's global state atomically (all or nothing);
     * reconfigure=1 comes from CONFIG SET. Thread: main. */
    int (*configure)(int reconfigure, char *err, size_t errlen);

    /* Opens every address of l and fills l->fds. On failure no fd stays open
     * and err names the address and cause. Thread: main. */
    int (*listen)(KeelListener *l, char *err, size_t errlen);
    /* Closes l's fds (and unlinks a Unix path). Thread: main. */
    void (*close_listener)(KeelListener *l);
    /* The listening fd is readable: accept up to a per-wakeup budget and hand
     * each connection to core->accept_client. Thread: main. */
    void (*accept_ready)(KeelListener *l, int fd);
    /* Optional. Writes the local (remote=0) or peer (remote=1) address.
     * Returns 0 or -1. Thread: any. */
    int (*addr)(KeelConn *conn, char *ip, size_t iplen, int *port, int remote);
    /* Optional. 1 if the peer is on this host (loopback or Unix). Thread: main. */
    int (*is_local)(KeelConn *conn);

    /* New outgoing connection, state NONE. NULL on allocation failure. */
    KeelConn *(*conn_create)(void);
    /* Wraps an accepted fd, state ACCEPTING. Thread: main. */
    KeelConn *(*conn_create_accepted)(int fd, void *listener_priv);
    /* Starts or finishes the handshake; runs cb (through keel_conn_call) when
     * done, possibly synchronously. Returns -1 if the connection failed or
     * cb closed it; the caller then calls close. Thread: main (or IO thread
     * with KEEL_CT_IOTHREAD_ACCEPT and KEEL_CONN_F_OFFLOAD_OK). */
    int (*accept)(KeelConn *conn, KeelConnHandler cb);
    /* Non-blocking connect; cb runs when done (check state). Thread: main. */
    int (*connect)(KeelConn *conn, const char *addr, int port, const char *src_addr,
                   KeelConnHandler cb);
    /* Blocking connect with a timeout. Thread: main. */
    int (*blocking_connect)(KeelConn *conn, const char *addr, int port, long long timeout_ms);
    /* Half-close for writing. Thread: main. */
    void (*shutdown)(KeelConn *conn);
    /* Closes and frees; deferred (CLOSE_SCHEDULED) while refs > 0, so it is
     * safe inside a handler. Thread: main. */
    void (*close)(KeelConn *conn);

    /* read(2)-like: bytes read, 0 = peer closed (state CLOSED), -1 = try later
     * (state still CONNECTED) or fatal (state ERROR). Never blocks. Thread: any. */
    ssize_t (*read)(KeelConn *conn, void *buf, size_t len);
    /* write(2)-like, same conventions. Thread: any. */
    ssize_t (*write)(KeelConn *conn, const void *buf, size_t len);
    /* writev(2)-like, same conventions. Thread: any. */
    ssize_t (*writev)(KeelConn *conn, const struct iovec *iov, int iovcnt);
    /* Installs or (NULL) removes the readable callback. Thread: main. */
    int (*set_read_handler)(KeelConn *conn, KeelConnHandler handler);
    /* Installs or (NULL) removes the writable callback; barrier=1 sets
     * KEEL_CONN_F_WRITE_BARRIER, any change clears it otherwise. Thread: main. */
    int (*set_write_handler)(KeelConn *conn, KeelConnHandler handler, int barrier);
    /* Text of the last error, or NULL. Thread: any. */
    const char *(*last_error)(KeelConn *conn);

    /* Blocking IO with a timeout (replication, MIGRATE): bytes moved or -1
     * (ETIMEDOUT in last_errno on timeout). sync_readline strips \r\n.
     * Thread: main. */
    ssize_t (*sync_write)(KeelConn *conn, const char *buf, ssize_t len, long long timeout_ms);
    ssize_t (*sync_read)(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);
    ssize_t (*sync_readline)(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);

    /* Optional (NULL: never buffers). Nonzero if some connection of this type
     * holds bytes the poller cannot see. Thread: main. */
    int (*has_pending_data)(void);
    /* Optional. Runs the read handlers of those connections; returns how many
     * ran. Thread: main. */
    int (*process_pending_data)(void);

    /* Optional. Start (on=1) or stop recording event-loop changes while an IO
     * thread owns the connection. Thread: main. */
    void (*postpone_update_state)(KeelConn *conn, int on);
    /* Optional. Applies recorded event-loop changes. Thread: main. */
    void (*update_state)(KeelConn *conn);
    /* Optional. PEM of the peer certificate, caller frees with free(). */
    char *(*peer_cert)(KeelConn *conn);

    /* ---- appended after ABI 1 shipped: present when size covers them ---- */

    /* Optional. Writes the type's extra INFO server lines ("name:value\r\n"
     * each) into buf, NUL-terminated, and returns their length (0: none; cut
     * at len - 1). Thread: main. */
    size_t (*info)(char *buf, size_t len);
};

/* Size of a KeelConnType built before the members above were appended; the
 * registry accepts it and treats the missing members as NULL. */
#define KEEL_CONN_TYPE_SIZE_V1 offsetof(KeelConnType, info)

/* Runs a connection callback with a reference held, so the callback may close
 * its own connection. Returns 0 when the connection was closed and freed
 * ("gone, don't touch it"), 1 otherwise. Thread: whoever owns the conn. */
static inline int keel_conn_call(KeelConn *conn, KeelConnHandler cb) {
    conn->refs++;
    if (cb) cb(conn);
    conn->refs--;
    if ((conn->flags & KEEL_CONN_F_CLOSE_SCHEDULED) && conn->refs == 0) {
        conn->type->close(conn);
        return 0;
    }
    return 1;
}

#endif
