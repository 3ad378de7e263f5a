/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls/internal.h: what the files of keel-tls.so share: the core table, the
 * option values, the SSL contexts, the "tls" type table and the private
 * state each TLS connection carries.
 *
 * Nothing here is ABI: the core sees keel_module_abi, keel_module_onload
 * (module.c) and the KeelConnType table it is handed, nothing else.
 *
 * Threads: every field says who writes it. "owner" means the thread that
 * owns the connection now: the main thread, or the IO thread running the
 * connection's job (never two at once; the engine's queues order the
 * hand-over, see IO-THREADS.md).
 */
#ifndef KEEL_TLS_INTERNAL_H
#define KEEL_TLS_INTERNAL_H

#include <openssl/ssl.h>
#include <stdint.h>

#include "keel/conn.h"
#include "keel/module.h"

/* Hidden: see the same pragma in common/netsock.h. */
#pragma GCC visibility push(hidden)

/* The core's table, set once by keel_module_onload. Read from any thread. */
extern const KeelCore *tls_core;
extern const KeelConnType tls_conn_type;

/* ---- options (module.c); main thread writes, through the config registry -- */

enum { TLS_AUTH_NO = 0, TLS_AUTH_YES = 1, TLS_AUTH_OPTIONAL = 2 };

typedef struct TlsOptions {
    long long port;             /* tls-port, 0 = no TLS listener */
    char *cert_file;            /* tls-cert-file; NULL when unset (core-owned strings) */
    char *key_file;             /* tls-key-file */
    char *key_file_pass;        /* tls-key-file-pass */
    char *client_cert_file;     /* tls-client-cert-file */
    char *client_key_file;      /* tls-client-key-file */
    char *client_key_file_pass; /* tls-client-key-file-pass */
    char *dh_params_file;       /* tls-dh-params-file */
    char *ca_cert_file;         /* tls-ca-cert-file */
    char *ca_cert_dir;          /* tls-ca-cert-dir */
    int auth_clients;           /* tls-auth-clients: TLS_AUTH_* */
    char *protocols;            /* tls-protocols; NULL = "TLSv1.2 TLSv1.3" */
    char *ciphers;              /* tls-ciphers (TLS 1.2 and lower) */
    char *ciphersuites;         /* tls-ciphersuites (TLS 1.3) */
    int prefer_server_ciphers;  /* tls-prefer-server-ciphers */
    int session_caching;        /* tls-session-caching */
    long long session_cache_size;    /* tls-session-cache-size */
    long long session_cache_timeout; /* tls-session-cache-timeout, seconds */
    int replication;            /* tls-replication */
    int cluster;                /* tls-cluster */
} TlsOptions;

extern TlsOptions tls_opts;

/* Registers every tls-* option. Returns 0, or -1 with err. Thread: main. */
int tls_options_register(char *err, size_t errlen);
/* 1 when some use of TLS is configured (a port, replication or cluster):
 * only then are contexts built. Thread: main. */
int tls_enabled(void);

/* ---- context.c: SSL_CTX building and the live contexts -------------------- */

/* Builds new server (and client) contexts from tls_opts and, only when all of
 * them built, swaps them in; the old ones are released (connections keep
 * their own reference). Returns 0, or -1 with one line in err and nothing
 * changed. Thread: main. */
int tls_configure(int reconfigure, char *err, size_t errlen);
/* The context new accepted connections use; NULL before configure. Main. */
SSL_CTX *tls_server_ctx(void);
/* The context outgoing connections use; NULL before configure. Main. */
SSL_CTX *tls_client_ctx(void);
/* Frees both contexts (shutdown). Thread: main. */
void tls_contexts_release(void);
/* Text of the first error in this thread's OpenSSL queue into buf, or
 * fallback when it is empty; clears the queue. Thread: any. */
void tls_error_text(char *buf, size_t len, const char *fallback);

/* ---- stats.c: counters for INFO and rate-limited handshake-failure logs --- */

/* Counts a failed handshake and logs it, at most once per second (the
 * lines in between are counted and reported with the next one). Main. */
void tls_handshake_failed(KeelConn *conn, const char *why);
/* Counts a completed handshake. Thread: main. */
void tls_handshake_done(void);
/* INFO lines of the type (KeelConnType.info). Thread: main. */
size_t tls_info(char *buf, size_t len);

/* ---- conn_tls.c: the connection ------------------------------------------ */

/* Owner-thread flags (TlsConn.io_flags): written by whoever owns the
 * connection; the main thread reads them only when it owns it. */
#define TLS_IO_READ_WANTS_WRITE 0x01 /* SSL_read needs the socket writable */
#define TLS_IO_WRITE_WANTS_READ 0x02 /* SSL_write needs the socket readable */
#define TLS_IO_HAS_PENDING 0x04      /* SSL_pending() > 0 after the last read */

/* Main-thread flags (TlsConn.loop_flags). */
#define TLS_LOOP_REFIRED 0x02    /* the fd fired once while postponed */
#define TLS_LOOP_ON_PENDING 0x04 /* linked in the pending list */
#define TLS_LOOP_TCP_CONNECT 0x08 /* CONNECTING: the TCP connect is not done yet */
#define TLS_LOOP_SHUTDOWN 0x10   /* close_notify was sent */
#define TLS_LOOP_HANDSHAKE_OFFLOADED 0x20 /* an ACCEPT job runs a handshake step */

/* A TLS connection: the shared KeelConn first, then our state (tp points
 * at it), one allocation. */
typedef struct TlsConn {
    KeelConn conn;
    SSL *ssl;           /* owned; created on the main thread */
    uint32_t io_flags;  /* TLS_IO_*; owner thread */
    uint32_t loop_flags; /* TLS_LOOP_*; main thread only */
    int ev_mask;        /* KEEL_EV_* registered now; main thread only */
    int handshake_want; /* KEEL_EV_* the handshake waits for; main thread only */
    struct TlsConn *pending_prev, *pending_next; /* pending list; main only */
    char error[160];    /* text of the last SSL error; owner thread */
} TlsConn;

static inline TlsConn *tls_of(KeelConn *conn) {
    return (TlsConn *)conn;
}

/* Allocates a connection (fd may be -1) in state, with an SSL object from
 * ctx when ctx is not NULL. NULL on failure (logged). Thread: main. */
TlsConn *tls_conn_create(SSL_CTX *ctx, int fd, int state);
/* Records a failed SSL call that returned ret: state, last_errno, error.
 * Returns the SSL_get_error code. Thread: owner. */
int tls_record_failure(TlsConn *t, int ret);
/* Runs one step of SSL_accept/SSL_connect and, when it ends, conn_cb.
 * Returns keel_conn_call's verdict (0: conn is gone). Thread: main. */
int tls_handshake_step(TlsConn *t);
/* Re-registers the fd for what the connection needs now (handshake want,
 * handlers, WANT inversions). Thread: main, not postponed. */
void tls_events_update(TlsConn *t);
/* The fd turned ready: the one event-loop proc of TLS connections. */
void tls_event_proc(int fd, void *data, int mask);
void tls_conn_close(KeelConn *conn);

/* ---- conn_sync.c ---------------------------------------------------------- */

int tls_blocking_connect(KeelConn *conn, const char *addr, int port, long long timeout_ms);
ssize_t tls_sync_write(KeelConn *conn, const char *buf, ssize_t len, long long timeout_ms);
ssize_t tls_sync_read(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);
ssize_t tls_sync_readline(KeelConn *conn, char *buf, ssize_t len, long long timeout_ms);

/* ---- listen.c ------------------------------------------------------------- */

int tls_listen(KeelListener *l, char *err, size_t errlen);
void tls_close_listener(KeelListener *l);
void tls_accept_ready(KeelListener *l, int fd);
int tls_addr(KeelConn *conn, char *ip, size_t iplen, int *port, int remote);
int tls_is_local(KeelConn *conn);
/* CONFIG SET tls-port: moves the open TLS listener to tls_opts.port (0
 * closes its sockets). Returns 0, or -1 with err and the old port kept. */
int tls_port_apply(const char *name, char *err, size_t errlen);

#pragma GCC visibility pop

#endif
