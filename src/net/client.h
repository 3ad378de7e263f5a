/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/client.h: a connected client: its connection, query buffer, parsed
 * command, reply buffers and the flags that drive its life cycle.
 *
 * The net room owns every Client: creation on accept, reading and parsing,
 * the write path, output-buffer limits, idle timeouts and asynchronous
 * freeing. Commands read and change clients only through these functions
 * and fields.
 *
 * Threads: main only, except that while an IO job is in flight one IO thread
 * owns the fields listed under "IO threads" below (net/io_threads.c).
 */
#ifndef KEEL_NET_CLIENT_H
#define KEEL_NET_CLIENT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "db/object.h"
#include "ds/sds.h"
#include "keel/conn.h"
#include "net/rsp_parse.h"
#include "server/auth.h"

struct Command;

/* Client flags. */
#define CLIENT_CLOSE_AFTER_REPLY (1u << 0) /* QUIT or protocol error: close once written */
#define CLIENT_CLOSE_ASAP (1u << 1)        /* freed in before-sleep; never touched again */
#define CLIENT_PENDING_WRITE (1u << 2)     /* on the pending-write list */
#define CLIENT_REPLY_OFF (1u << 3)         /* CLIENT REPLY OFF */
#define CLIENT_REPLY_SKIP_NEXT (1u << 4)   /* CLIENT REPLY SKIP: skip the next command's reply */
#define CLIENT_REPLY_SKIP (1u << 5)        /* skipping the current command's reply */
#define CLIENT_NO_EVICT (1u << 6)          /* CLIENT NO-EVICT on */
#define CLIENT_NO_TOUCH (1u << 7)          /* CLIENT NO-TOUCH on */
#define CLIENT_PAUSED (1u << 8)            /* waiting on CLIENT PAUSE; input not processed */
#define CLIENT_UNIX_SOCKET (1u << 9)       /* connected through a Unix socket */
#define CLIENT_PROTECTED (1u << 10)        /* being freed: don't free again */
#define CLIENT_EXECUTING (1u << 11)        /* inside a command (free is deferred) */
#define CLIENT_PUBSUB (1u << 12)           /* subscribed (pubsub issue) */
#define CLIENT_IN_READ_HANDLER (1u << 13)  /* the read path is running for this client */
#define CLIENT_MULTI (1u << 14)            /* inside MULTI: commands are queued (server/multi.c) */
#define CLIENT_DIRTY_CAS (1u << 15)        /* a WATCHed key changed: EXEC fails */
#define CLIENT_DIRTY_EXEC (1u << 16)       /* a queued command was refused: EXEC aborts */
#define CLIENT_MONITOR (1u << 17)          /* MONITOR: receives every command */
#define CLIENT_TRACKING (1u << 18)         /* CLIENT TRACKING on (server/tracking.c) */
#define CLIENT_PUSHING (1u << 19)          /* a push is being written: CLIENT REPLY OFF/SKIP let it through */
#define CLIENT_BLOCKED (1u << 20)          /* waiting on keys (db/blocking.c); input not run */
#define CLIENT_DENY_BLOCKING (1u << 21)    /* may not block (MULTI, scripts): timeout reply at once */
#define CLIENT_UNBLOCKED (1u << 22)        /* unblocked; its input runs at the next resume pass */

/* Client classes for output-buffer limits and CLIENT KILL/LIST TYPE. */
#define CLIENT_TYPE_NORMAL 0
#define CLIENT_TYPE_REPLICA 1
#define CLIENT_TYPE_PUBSUB 2
#define CLIENT_TYPE_PRIMARY 3
#define CLIENT_TYPE_COUNT 3 /* classes that have output-buffer limits */

#define CLIENT_REPLY_CHUNK (16 * 1024) /* reply buffer's full size, and block size */
#define CLIENT_REPLY_MIN (1024)        /* the cron never shrinks the buffer below this */

/* One reply block of the list that follows the fixed buffer. */
typedef struct ReplyBlock {
    struct ReplyBlock *next;
    size_t size;     /* capacity of buf */
    size_t used;     /* bytes written into buf */
    int placeholder; /* reply_defer_len slot not filled yet: appends go past it */
    char buf[];
} ReplyBlock;

typedef struct Client {
    uint64_t id;
    KeelConn *conn; /* NULL for internal clients; owned: closed in client_free */
    uint32_t flags; /* CLIENT_* */
    int resp;       /* 2 or 3 */
    int db;         /* selected database */
    int authenticated;
    char *user;     /* ACL user name ("default"); owned */

    sds querybuf;     /* bytes read and not yet parsed past qb_pos */
    size_t qb_pos;    /* parse position in querybuf */
    size_t querybuf_peak;
    RspParser parser; /* the request being parsed */
    int command_ready; /* parser holds a complete command not yet executed */
    int argc;         /* the command being executed: borrowed from parser */
    Obj **argv;
    const struct Command *cmd;      /* command being executed, or NULL */
    const struct Command *last_cmd; /* last command executed (CLIENT LIST cmd=) */

    /* Replies: a fixed buffer, then a list of blocks. sent_len counts bytes of
     * the first pending chunk (buf, or the head block) already written. */
    char *buf;         /* the first reply bytes; resized by the cron to fit use */
    size_t buf_size;   /* usable bytes of buf */
    size_t buf_used;
    size_t buf_peak;   /* most of buf used since the last resize check */
    long long buf_peak_since_ms; /* when buf_peak was last reset */
    ReplyBlock *reply_head, *reply_tail;
    size_t reply_blocks;   /* blocks in the list */
    size_t reply_bytes;    /* bytes allocated for the list */
    size_t sent_len;
    long long obuf_soft_limit_since_ms; /* when the soft limit was first exceeded, 0 = not */

    sds name;     /* CLIENT SETNAME, NULL if unset */
    sds lib_name; /* CLIENT SETINFO lib-name */
    sds lib_ver;  /* CLIENT SETINFO lib-ver */
    char peer_id[144];  /* "ip:port", "[ip6]:port" or "path:0", filled at accept */
    char local_id[144]; /* local address, same forms */

    long long created_ms;          /* wall clock */
    long long last_interaction_ms; /* wall clock of the last read/write */
    unsigned long long net_in, net_out; /* bytes read / written */
    unsigned long long commands_processed;

    struct Client *prev, *next;             /* all-clients list */
    struct Client *pending_prev, *pending_next; /* pending-write list */
    struct Client *close_next;              /* close-asap list */
    struct Client *paused_next;             /* paused-clients list */

    /* ---- IO threads (net/io_threads.c) ----
     * While a job is in flight (state != CLIENT_IO_IDLE) the IO thread that
     * took it owns querybuf, qb_pos, parser, command_ready, conn->state and
     * the io_* results below; the main thread reads none of them until the
     * completion is drained. States are atomics read relaxed: the queues
     * order everything else, the atomics keep cross-thread asserts honest. */
    _Atomic uint8_t io_read_state;  /* CLIENT_IO_*; main sets PENDING, IO sets COMPLETED */
    _Atomic uint8_t io_write_state; /* same, for WRITE jobs */
    uint8_t io_parsed_tid;  /* IO thread that parsed parser.argv (0: main); set by the job */
    RspLimits io_limits;    /* parse limits main snapshots before a READ job */
    size_t io_limits_qbuf;  /* client-query-buffer-limit, snapshotted with io_limits */
    ssize_t io_result;      /* READ: bytes read (0 EOF, -1 see conn); WRITE: bytes written */
    const char *io_parse_err; /* READ: protocol error text, or NULL */
    char io_errbuf[128];    /* storage io_parse_err may point into */
    struct iovec *io_iov;   /* WRITE snapshot: what the job may send; owned, lazily allocated */
    int io_iovcnt;
    size_t io_iov_total;    /* bytes in io_iov */
    size_t io_release_bytes; /* memory counted as pending release while a free waits on a job */

    /* Bytes of this client in the client-eviction total (net/client_evict.c);
     * 0 while maxmemory-clients is 0 or the client is not counted. Main. */
    size_t evict_counted;

    /* The wait of a client blocked on keys (db/blocking.c owns and frees
     * it); NULL while not blocked. Main. */
    struct BlockState *bstate;

    /* Channels, patterns and shard channels subscribed to (pubsub/pubsub.c);
     * NULL until the first subscription. Main. */
    struct PubsubClient *pubsub;

    /* MULTI's queue and WATCHed keys (server/multi.c); NULL when unused. */
    struct MultiState *mstate;
    /* CLIENT TRACKING's options and redirection (server/tracking.c); NULL
     * while tracking was never turned on. */
    struct TrackingClient *tracking;
} Client;

#define CLIENT_IO_IDLE 0
#define CLIENT_IO_PENDING 1   /* main queued a job; an IO thread may own the client */
#define CLIENT_IO_COMPLETED 2 /* the IO thread finished; completion not drained yet */

/* 1 while an IO thread may own c (a READ or WRITE job in flight). Main. */
static inline int client_io_busy(const Client *c) {
    return atomic_load_explicit(&((Client *)c)->io_read_state, memory_order_relaxed) !=
               CLIENT_IO_IDLE ||
           atomic_load_explicit(&((Client *)c)->io_write_state, memory_order_relaxed) !=
               CLIENT_IO_IDLE;
}

/* ---- life cycle (net/client.c) ---- */

/* Registers the net room's options (maxclients, timeout, buffer limits...). */
void client_register_config(void);
/* Creates a client around conn (may be NULL for internal clients). */
Client *client_create(KeelConn *conn);
/* Frees now and returns 1, unless it is executing, in its read handler or
 * has an IO job in flight: then it is closed asynchronously and 0 returned. */
int client_free(Client *c);
/* Marks the client to be freed in before-sleep; it is never read again. */
void client_close_async(Client *c);
/* Frees every client marked by client_close_async. Returns how many. */
int client_free_pending(void);
/* Number of connected clients (not counting internal ones). */
unsigned long client_count(void);
/* The all-clients list, oldest first. */
Client *client_list_head(void);
Client *client_find_by_id(uint64_t id);
/* Class of a client for limits and filters (CLIENT_TYPE_*). */
int client_type(const Client *c);
int client_type_by_name(const char *name);
const char *client_type_name(int type);
/* Memory charged to a client: buffers, argv, reply list. */
size_t client_memory(const Client *c);
/* Bytes of clients closed but not freed yet because an IO job holds them;
 * client eviction counts them as being released. */
size_t client_memory_pending_release(void);
/* Connected-client cron work: idle timeout, buffer resizing. */
void client_cron(void);
/* Accept hook for transports (KeelCore.accept_client). */
void client_accept(KeelConn *conn, int flags, const char *peer_ip);
/* ACCEPT job body: one step of the transport's handshake (its accept()),
 * recorded for update_state to finish on the main thread. Thread: the IO
 * thread owning c's job. */
void client_accept_job(Client *c);

/* ---- reading and executing (net/read.c) ---- */

/* Readable handler installed on every client connection. */
void client_read_handler(KeelConn *conn);
/* Parses and runs whatever complete commands are in the query buffer. */
void client_process_input(Client *c);
/* READ job body: reads into c's own query buffer and parses its first
 * command. Thread: the IO thread owning c's job. */
void client_read_job(Client *c);
/* READ completion: accounts, handles EOF/errors, runs what was parsed. */
void client_read_done(Client *c);
/* A blocked command ended (served, timed out or unblocked, its reply
 * given): releases its parsed arguments so the next command can be parsed.
 * The caller then runs client_process_input for the rest of the input. */
void client_blocked_command_done(Client *c);
/* Resumes clients held by CLIENT PAUSE once the pause is over. */
void client_resume_paused(void);
/* Holds c until the pause ends (its input stays queued). */
void client_pause_hold(Client *c);

/* ---- writing (net/write.c) ---- */

/* Queues c for a write in before-sleep (called by the reply functions). */
void client_schedule_write(Client *c);
/* Writes every pending client; returns how many were processed. */
int client_write_pending(void);
/* 1 if c has reply bytes not yet written. */
int client_has_pending_replies(const Client *c);

/* Removes c from the pending-write list and drops its write handler. */
void client_write_cancel(Client *c);
/* Fills c->io_iov with the unsent reply bytes (the WRITE snapshot). Returns
 * 0, or -1 if nothing is sendable. Main. */
int client_write_snapshot(Client *c);
/* WRITE job body: sends the snapshot. Thread: the IO thread owning c's job. */
void client_write_job(Client *c);
/* WRITE completion: releases what was written, handles errors, decides
 * whether more is to be written. Main. */
void client_write_done(Client *c);

/* ---- CLIENT PAUSE (net/pause.c) ---- */

/* 1 if the command in c->argv must wait for the current pause to end. */
int pause_blocks_command(const Client *c);
/* Forgets c if it is held by a pause (it is being freed). */
void client_pause_forget(Client *c);
/* Cron: ends an expired pause and resumes held clients. */
void pause_cron(void);

/* Sets c's name (CLIENT SETNAME, HELLO SETNAME). An empty name clears it.
 * Returns 0, or -1 after replying the error for a name with spaces or
 * special characters. (net/client_cmd.c) */
int client_set_name(Client *c, const Obj *name);

/* ---- CLIENT LIST formatting (net/client_info.c) ---- */

/* Appends c's CLIENT LIST / CLIENT INFO line (no trailing newline). */
sds client_info_string(sds out, const Client *c);

/* ---- client eviction: maxmemory-clients (net/client_evict.c) ---- */

extern long long cfg_maxmemory_clients; /* bytes, -percent of maxmemory, or 0 = off */
/* Registers maxmemory-clients (called by client_register_config). */
void client_evict_register_config(void);
void client_evict_track_slow(Client *c);
void client_evict_run_slow(void);
int client_evict_check_slow(Client *c);
/* Takes c's bytes out of the total (it is closing). Idempotent. Main. */
void client_evict_untrack(Client *c);
/* Bytes of normal and pub/sub clients as last tracked (0 while off). Main. */
size_t client_evict_tracked_memory(void);

/* Re-counts c's memory after it changed. One load and branch while
 * maxmemory-clients is 0. Main. */
static inline void client_evict_track(Client *c) {
    if (cfg_maxmemory_clients != 0) client_evict_track_slow(c);
}
/* Closes (asynchronously) the biggest evictable clients while the total is
 * at or over the limit. Main. */
static inline void client_evict_run(void) {
    if (cfg_maxmemory_clients != 0) client_evict_run_slow();
}
/* Re-counts c, then evicts. Returns -1 if c itself was evicted (it is
 * closing: process nothing more for it), else 0. Main. */
static inline int client_evict_check(Client *c) {
    return cfg_maxmemory_clients != 0 ? client_evict_check_slow(c) : 0;
}

/* ---- settings read by other rooms ---- */
extern long long cfg_maxclients;              /* maxclients */
extern long long cfg_client_timeout;          /* timeout, seconds */
extern long long cfg_proto_max_bulk_len;      /* proto-max-bulk-len */
extern long long cfg_client_query_buffer_limit; /* client-query-buffer-limit */

/* Output buffer limits per class (client-output-buffer-limit). */
typedef struct ClientOutputLimit {
    unsigned long long hard_bytes;
    unsigned long long soft_bytes;
    long long soft_seconds;
} ClientOutputLimit;
extern ClientOutputLimit client_output_limits[CLIENT_TYPE_COUNT];
/* Checks c against its class limit; closes it asynchronously (and logs)
 * when over. Returns 1 if it was closed. */
int client_check_output_limit(Client *c);

#endif
