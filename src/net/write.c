/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/write.c: sends clients' replies.
 *
 * Replies are not written when a command adds them: the client joins the
 * pending-write list and the before-sleep hook writes every pending client
 * once per loop turn, so a pipeline of N commands costs one writev, not N.
 * Whatever the socket does not take waits for a writable event.
 *
 * Threads: main only.
 */
#include <limits.h>
#include <string.h>
#include <sys/uio.h>

#include "net/client.h"
#include "net/net_stats.h"
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

static void client_write_handler(KeelConn *conn) {
    Client *c = conn->owner;
    if (c == NULL || (c->flags & CLIENT_CLOSE_ASAP)) return;
    if (client_write(c) != 0) return;
    if (!client_has_pending_replies(c)) conn->type->set_write_handler(conn, NULL, 0);
}

int client_write_pending(void) {
    int processed = 0;
    while (pending_head) {
        Client *c = pending_head;
        client_pending_unlink(c);
        processed++;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (c->conn->write_cb) continue; /* a writable event will handle it */
        if (client_write(c) != 0) continue;
        if (client_has_pending_replies(c) &&
            c->conn->type->set_write_handler(c->conn, client_write_handler, 0) != 0) {
            client_close_async(c);
        }
    }
    return processed;
}
