/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/read.c: reads from client connections, parses requests and runs them.
 *
 * One read per readable event (16 KiB, or exactly the rest of a big bulk so
 * it lands in one piece), then every complete command in the buffer runs
 * before returning to the loop: that is what makes pipelining fast. A
 * protocol error replies and closes after the reply, as Valkey does.
 *
 * Threads: main only, except client_read_job, which runs on the IO thread
 * that took the client's READ job (net/io_threads.c) and touches only what
 * that job owns: the query buffer, the parser and the io_* results.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/command.h"
#include "net/client.h"
#include "net/io_threads.h"
#include "net/net_stats.h"
#include "net/reply.h"
#include "server/ev.h"
#include "server/log.h"

#define READ_CHUNK (16 * 1024)

static void client_protocol_error(Client *c, const char *err) {
    if (log_enabled(LL_VERBOSE)) {
        sds sample = sds_cat_repr(sds_empty(), c->querybuf + c->qb_pos,
                                  sds_len(c->querybuf) - c->qb_pos > 128
                                      ? 128
                                      : sds_len(c->querybuf) - c->qb_pos);
        log_msg(LL_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s. Query buffer: %s",
                err, (unsigned long long)c->id, c->peer_id, sample);
        sds_free(sample);
    }
    reply_error(c, err);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    /* Drop the unparsed rest: nothing after a protocol error is trusted. */
    sds_clear(c->querybuf);
    c->qb_pos = 0;
    rsp_parser_reset(&c->parser);
}

/* Frees the executed command's arguments and resets the parser. */
static void client_release_parsed(Client *c) {
    /* Arguments an IO thread parsed go back to it to be freed there. */
    if (c->io_parsed_tid == 0 || !io_handoff_argv(c)) rsp_parser_reset(&c->parser);
    c->io_parsed_tid = 0;
    client_evict_track(c); /* its replies grew */
}

/* Runs the parsed command and resets the parser. Returns 0 if the client is
 * still usable. */
static int client_run_parsed(Client *c) {
    /* Valkey checks client memory before each command: the last command's
     * replies and this one's arguments may have pushed the total over. */
    if (client_evict_check(c) != 0) return -1;
    c->argc = c->parser.argc;
    c->argv = c->parser.argv;
    if (pause_blocks_command(c)) {
        c->command_ready = 1;
        client_pause_hold(c);
        return -1;
    }
    c->command_ready = 0;
    cmd_process(c);
    c->argc = 0;
    c->argv = NULL;
    if (c->flags & CLIENT_BLOCKED) {
        /* Blocked on keys: the command stays parsed until its wait ends
         * (db/blocking.c re-runs it from the parser), and nothing after it
         * runs meanwhile. */
        c->command_ready = 1;
        return -1;
    }
    client_release_parsed(c);
    return (c->flags & CLIENT_CLOSE_ASAP) ? -1 : 0;
}

void client_blocked_command_done(Client *c) {
    c->command_ready = 0;
    client_release_parsed(c);
}

void client_process_input(Client *c) {
    if (c->flags & CLIENT_BLOCKED) return; /* its input waits until the wait ends */
    if (c->command_ready && client_run_parsed(c) != 0) return;
    while (c->qb_pos < sds_len(c->querybuf)) {
        if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY | CLIENT_PAUSED)) break;
        RspLimits limits = {.max_bulk_len = cfg_proto_max_bulk_len,
                            .authenticated = c->authenticated};
        const char *err = NULL;
        char errbuf[128];
        RspResult r = rsp_parse(&c->parser, c->querybuf, sds_len(c->querybuf), &c->qb_pos, &limits,
                                &err, errbuf, sizeof(errbuf));
        if (r == RSP_INCOMPLETE) break;
        if (r == RSP_ERROR) {
            client_protocol_error(c, err);
            return;
        }
        if (c->parser.argc == 0) {
            rsp_parser_reset(&c->parser);
            continue;
        }
        if (client_run_parsed(c) != 0) break;
    }
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    if (c->qb_pos) {
        sds_consume(c->querybuf, c->qb_pos);
        c->qb_pos = 0;
    }
}

/* Closes a client whose read failed or hit EOF, logging why. */
static void client_read_failed(Client *c, ssize_t n) {
    KeelConn *conn = c->conn;
    if (n == 0 || conn->state == KEEL_CONN_CLOSED) {
        log_msg(LL_VERBOSE, "Client closed connection id=%llu addr=%s",
                (unsigned long long)c->id, c->peer_id);
    } else {
        const char *why = conn->type->last_error(conn);
        log_msg(LL_VERBOSE, "Reading from client: %s", why ? why : "unknown error");
    }
    client_close_async(c);
}

static int client_query_buffer_over_limit(Client *c) {
    size_t pending = sds_len(c->querybuf) - c->qb_pos;
    if (pending <= (size_t)cfg_client_query_buffer_limit) return 0;
    sds info = client_info_string(sds_empty(), c);
    size_t sample_len = sds_len(c->querybuf) < 64 ? sds_len(c->querybuf) : 64;
    sds sample = sds_cat_repr(sds_empty(), c->querybuf, sample_len);
    log_msg(LL_WARNING,
            "Closing client that reached max query buffer length: %s (qbuf initial bytes: %s)",
            info, sample);
    sds_free(sample);
    sds_free(info);
    net_stats.qbuf_limit_disconnections++;
    client_close_async(c);
    return 1;
}

/* One query buffer shared by every client, read into whenever a client has
 * no partial request pending (the common case): idle clients then hold no
 * 16 KiB buffer each. Whatever is left unparsed after a read is copied into
 * the client's own buffer before the handler returns, so the shared buffer
 * never outlives one handler call. Main thread only. */
static sds shared_querybuf;

/* Puts back the client's own buffer, keeping any unparsed bytes. */
static void client_unshare_querybuf(Client *c, sds own) {
    size_t left = sds_len(c->querybuf) - c->qb_pos;
    if (left) own = sds_cat_len(own, c->querybuf + c->qb_pos, left);
    sds_clear(c->querybuf);
    /* It may have moved while growing. A handler that ran meanwhile (other
     * clients served by a busy script from inside this one) may have made
     * and returned a buffer of its own: one is kept. */
    if (shared_querybuf == NULL)
        shared_querybuf = c->querybuf;
    else
        sds_free(c->querybuf);
    c->querybuf = own;
    c->qb_pos = 0;
}

void client_read_handler(KeelConn *conn) {
    Client *c = conn->owner;
    /* CLIENT_EXECUTING: a busy script's caller; its input waits until the
     * script ends (the level-triggered event fires again then). */
    if (c == NULL || (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_EXECUTING))) return;
    /* A job in flight owns the client; the level-triggered event fires
     * again once its completion is handled. */
    if (client_io_busy(c)) return;
    if (io_try_offload_read(c)) return;
    size_t want = READ_CHUNK;
    size_t big = rsp_wanted_bytes(&c->parser);
    size_t buffered = sds_len(c->querybuf) - c->qb_pos;
    if (big > buffered && big - buffered > want) want = big - buffered;
    sds own = NULL;
    if (buffered == 0 && big == 0 && !c->command_ready) {
        if (shared_querybuf == NULL) shared_querybuf = sds_with_capacity(READ_CHUNK);
        own = c->querybuf;
        sds_clear(own);
        c->qb_pos = 0;
        c->querybuf = shared_querybuf;
        shared_querybuf = NULL; /* lent to c until client_unshare_querybuf */
    }
    /* Exact growth: a doubling buffer would hold twice what a 16 KiB read
     * needs. Big bulks ask for their exact remaining size. */
    c->querybuf = sds_make_room_exact(c->querybuf, want);
    size_t len = sds_len(c->querybuf);
    ssize_t n = conn->type->read(conn, c->querybuf + len, want);
    if (n <= 0) {
        if (own) client_unshare_querybuf(c, own);
        if (n < 0 && conn->state == KEEL_CONN_CONNECTED) return; /* try later */
        client_read_failed(c, n);
        return;
    }
    sds_incr_len(c->querybuf, n);
    if (sds_len(c->querybuf) > c->querybuf_peak) c->querybuf_peak = sds_len(c->querybuf);
    c->net_in += (unsigned long long)n;
    net_stats.input_bytes += (unsigned long long)n;
    net_stats.reads_processed++;
    c->last_interaction_ms = ev_wall_ms();
    if (!client_query_buffer_over_limit(c)) {
        c->flags |= CLIENT_IN_READ_HANDLER;
        client_process_input(c);
        c->flags &= ~CLIENT_IN_READ_HANDLER;
    }
    if (own) client_unshare_querybuf(c, own);
    /* What is left in the query buffer (a partial big argument) counts
     * now, not at its next command: evict if it pushed the total over. */
    if (!(c->flags & CLIENT_CLOSE_ASAP)) client_evict_check(c);
}

/* ---- IO threads ---- */

void client_read_job(Client *c) {
    KeelConn *conn = c->conn;
    size_t want = READ_CHUNK;
    size_t big = rsp_wanted_bytes(&c->parser);
    size_t buffered = sds_len(c->querybuf) - c->qb_pos;
    if (big > buffered && big - buffered > want) want = big - buffered;
    c->querybuf = sds_make_room_exact(c->querybuf, want);
    size_t len = sds_len(c->querybuf);
    ssize_t n = conn->type->read(conn, c->querybuf + len, want);
    c->io_result = n;
    if (n <= 0) return;
    sds_incr_len(c->querybuf, n);
    if (sds_len(c->querybuf) > c->querybuf_peak) c->querybuf_peak = sds_len(c->querybuf);
    /* Parse the first command only: the main thread runs it and parses the
     * rest of a pipeline inline, with limits that may change meanwhile. A
     * buffer over the limit is left for the main thread to refuse. */
    if (c->command_ready || sds_len(c->querybuf) - c->qb_pos > c->io_limits_qbuf) return;
    const char *err = NULL;
    RspResult r = rsp_parse(&c->parser, c->querybuf, sds_len(c->querybuf), &c->qb_pos,
                            &c->io_limits, &err, c->io_errbuf, sizeof(c->io_errbuf));
    if (r == RSP_ERROR) {
        c->io_parse_err = err;
    } else if (r == RSP_COMMAND) {
        if (c->parser.argc == 0) {
            rsp_parser_reset(&c->parser); /* an empty inline line */
        } else {
            c->command_ready = 1;
            c->io_parsed_tid = (uint8_t)io_current_tid();
        }
    }
}

void client_read_done(Client *c) {
    KeelConn *conn = c->conn;
    ssize_t n = c->io_result;
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    if (n <= 0) {
        if (n < 0 && conn->state == KEEL_CONN_CONNECTED) return; /* try later */
        client_read_failed(c, n);
        return;
    }
    c->net_in += (unsigned long long)n;
    net_stats.input_bytes += (unsigned long long)n;
    net_stats.reads_processed++;
    c->last_interaction_ms = ev_wall_ms();
    if (client_query_buffer_over_limit(c)) return;
    c->flags |= CLIENT_IN_READ_HANDLER;
    if (c->io_parse_err)
        client_protocol_error(c, c->io_parse_err);
    else
        client_process_input(c);
    c->flags &= ~CLIENT_IN_READ_HANDLER;
    c->io_parse_err = NULL;
    if (!(c->flags & CLIENT_CLOSE_ASAP)) client_evict_check(c); /* as after an inline read */
}
