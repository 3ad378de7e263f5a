/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/write.c: sends clients' replies.
 *
 * Replies are not written when a command adds them: the client joins the
 * pending-write list and the before-sleep hook writes every pending client
 * once per loop turn, so a pipeline of N commands costs one writev, not N.
 * Whatever the socket does not take waits for a writable event.
 *
 * With IO threads active a pending client's write goes to an IO thread as a
 * WRITE job instead: the main thread snapshots the unsent bytes into
 * c->io_iov, the job sends them (client_write_job), and client_write_done
 * releases what went out. While the job runs the main thread may append
 * replies past the snapshot but never touches bytes before it.
 *
 * Threads: main only, except client_write_job (the IO thread owning the
 * client's WRITE job).
 */
#include <limits.h>
#include <string.h>
#include <sys/uio.h>

#include "net/client.h"
#include "net/io_threads.h"
#include "net/net_stats.h"
#include "persist/aof.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/mem.h"

#define WRITE_IOV_MAX 64
/* Bytes one client may write per turn when others wait, so one slow
 * consumer of a huge reply cannot starve the rest. */
#define WRITE_MAX_PER_TURN (1024 * 1024)

static Client *pending_head;

int client_has_pending_replies(const Client *c) {
    return c->buf_used > 0 || c->reply_head != NULL;
}

void client_schedule_write(Client *c) {
    if (c->flags & (CLIENT_PENDING_WRITE | CLIENT_CLOSE_ASAP)) return;
    if (c->conn == NULL) return;
    c->flags |= CLIENT_PENDING_WRITE;
    c->pending_prev = NULL;
    c->pending_next = pending_head;
    if (pending_head) pending_head->pending_prev = c;
    pending_head = c;
}

static void client_pending_unlink(Client *c) {
    if (!(c->flags & CLIENT_PENDING_WRITE)) return;
    if (c->pending_prev)
        c->pending_prev->pending_next = c->pending_next;
    else
        pending_head = c->pending_next;
    if (c->pending_next) c->pending_next->pending_prev = c->pending_prev;
    c->pending_prev = c->pending_next = NULL;
    c->flags &= ~CLIENT_PENDING_WRITE;
}

void client_write_cancel(Client *c) {
    client_pending_unlink(c);
}

/* Drops fully written data: the fixed buffer, then whole blocks. */
static void client_release_written(Client *c, size_t written) {
    c->sent_len += written;
    if (c->buf_used) {
        if (c->sent_len < c->buf_used) return;
        c->sent_len -= c->buf_used;
        c->buf_used = 0;
    }
    while (c->reply_head && !c->reply_head->placeholder && c->sent_len >= c->reply_head->used) {
        ReplyBlock *b = c->reply_head;
        c->sent_len -= b->used;
        c->reply_head = b->next;
        if (c->reply_head == NULL) c->reply_tail = NULL;
        c->reply_bytes -= b->size;
        c->reply_blocks--;
        mem_free(b);
    }
    client_evict_track(c); /* written replies leave the client-eviction total */
}

/* Fills iov with unsent data. Returns the iov count. */
static int client_fill_iov(Client *c, struct iovec *iov, size_t *total) {
    int count = 0;
    size_t skip = c->sent_len;
    *total = 0;
    if (c->buf_used) {
        iov[count].iov_base = c->buf + skip;
        iov[count].iov_len = c->buf_used - skip;
        *total += iov[count].iov_len;
        count++;
        skip = 0;
    }
    for (ReplyBlock *b = c->reply_head; b && count < WRITE_IOV_MAX; b = b->next) {
        if (b->placeholder) break; /* a deferred length not filled yet */
        if (b->used == skip) {
            skip = 0;
            continue;
        }
        iov[count].iov_base = b->buf + skip;
        iov[count].iov_len = b->used - skip;
        *total += iov[count].iov_len;
        count++;
        skip = 0;
        if (*total >= WRITE_MAX_PER_TURN) break;
    }
    return count;
}

/* Writes as much as the connection takes. Returns 0, or -1 if the client
 * was closed because of a write error. */
static int client_write(Client *c) {
    KeelConn *conn = c->conn;
    size_t written_turn = 0;
    while (client_has_pending_replies(c) && written_turn < WRITE_MAX_PER_TURN) {
        struct iovec iov[WRITE_IOV_MAX];
        size_t total;
        int count = client_fill_iov(c, iov, &total);
        if (count == 0) break;
        ssize_t n = conn->type->writev(conn, iov, count);
        if (n <= 0) {
            if (conn->state == KEEL_CONN_CONNECTED) break; /* try later */
            const char *why = conn->type->last_error(conn);
            log_msg(LL_VERBOSE, "Error writing to client: %s", why ? why : "unknown error");
            client_close_async(c);
            return -1;
        }
        written_turn += (size_t)n;
        c->net_out += (unsigned long long)n;
        net_stats.output_bytes += (unsigned long long)n;
        client_release_written(c, (size_t)n);
        if ((size_t)n < total) break; /* the socket buffer is full */
    }
    if (written_turn) {
        net_stats.writes_processed++;
        c->last_interaction_ms = ev_wall_ms();
    }
    if (!client_has_pending_replies(c)) {
        c->sent_len = 0;
        if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
            client_close_async(c);
            return -1;
        }
    }
    return 0;
}

/* With appendfsync always a reply may only leave after the AOF write and
 * fsync of before-sleep: the barrier makes a transport run a writable
 * event before the readable one of the same turn, never after it. */
static int write_barrier(void) {
    return aof_needs_write_barrier() ? 1 : 0;
}

static void client_write_handler(KeelConn *conn) {
    Client *c = conn->owner;
    if (c == NULL || (c->flags & CLIENT_CLOSE_ASAP)) return;
    if (client_io_busy(c)) return; /* fires again after the completion */
    if (io_offload_possible()) {
        /* The job's completion re-arms the handler if the socket fills. */
        conn->type->set_write_handler(conn, NULL, 0);
        if (io_try_offload_write(c)) return;
        if (client_write(c) != 0) return;
        if (client_has_pending_replies(c) &&
            conn->type->set_write_handler(conn, client_write_handler, write_barrier()) != 0)
            client_close_async(c);
        return;
    }
    if (client_write(c) != 0) return;
    if (!client_has_pending_replies(c)) conn->type->set_write_handler(conn, NULL, 0);
}

int client_write_pending(void) {
    int processed = 0;
    Client *deferred = NULL; /* a job in flight owns them: retry next turn */
    while (pending_head) {
        Client *c = pending_head;
        client_pending_unlink(c);
        processed++;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (c->conn->write_cb) continue; /* a writable event will handle it */
        if (client_io_busy(c)) {
            /* No write while a read (or another write) is in flight, and
             * never inline meanwhile: two threads would own the client. */
            c->pending_next = deferred;
            deferred = c;
            continue;
        }
        if (io_try_offload_write(c)) continue;
        if (client_write(c) != 0) continue;
        if (client_has_pending_replies(c) &&
            c->conn->type->set_write_handler(c->conn, client_write_handler, write_barrier()) != 0) {
            client_close_async(c);
        }
    }
    while (deferred) {
        Client *c = deferred;
        deferred = c->pending_next;
        c->pending_next = NULL;
        client_schedule_write(c);
    }
    return processed;
}

/* ---- IO threads ---- */

int client_write_snapshot(Client *c) {
    if (c->io_iov == NULL) c->io_iov = mem_alloc(sizeof(struct iovec) * WRITE_IOV_MAX);
    c->io_iovcnt = client_fill_iov(c, c->io_iov, &c->io_iov_total);
    return c->io_iovcnt > 0 ? 0 : -1;
}

void client_write_job(Client *c) {
    KeelConn *conn = c->conn;
    struct iovec iov[WRITE_IOV_MAX];
    int count = c->io_iovcnt, first = 0;
    memcpy(iov, c->io_iov, sizeof(struct iovec) * (size_t)count);
    size_t total = 0;
    while (first < count) {
        ssize_t n = conn->type->writev(conn, iov + first, count - first);
        if (n <= 0) break; /* EAGAIN (state CONNECTED) or an error: main decides */
        total += (size_t)n;
        size_t left = (size_t)n;
        while (first < count && left >= iov[first].iov_len) left -= iov[first++].iov_len;
        if (first < count) {
            iov[first].iov_base = (char *)iov[first].iov_base + left;
            iov[first].iov_len -= left;
        }
    }
    c->io_result = (ssize_t)total;
}

void client_write_done(Client *c) {
    KeelConn *conn = c->conn;
    size_t written = (size_t)c->io_result;
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    if (written) {
        c->net_out += written;
        net_stats.output_bytes += written;
        net_stats.writes_processed++;
        c->last_interaction_ms = ev_wall_ms();
        client_release_written(c, written);
    }
    if (conn->state != KEEL_CONN_CONNECTED) {
        const char *why = conn->type->last_error(conn);
        log_msg(LL_VERBOSE, "Error writing to client: %s", why ? why : "unknown error");
        client_close_async(c);
        return;
    }
    if (!client_has_pending_replies(c)) {
        c->sent_len = 0;
        if (c->flags & CLIENT_CLOSE_AFTER_REPLY) client_close_async(c);
        return;
    }
    if (written < c->io_iov_total) {
        /* The socket is full: wait until it is writable. */
        if (conn->type->set_write_handler(conn, client_write_handler, write_barrier()) != 0)
            client_close_async(c);
        return;
    }
    client_schedule_write(c); /* more was appended, or the snapshot was capped */
}
