/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/client_info.c: formats one client as the CLIENT LIST / CLIENT INFO
 * line, also used in log lines about a client.
 *
 * Fields, order and formats are Valkey 8's, because tools split the line on
 * spaces and look fields up by name. Reads only; never changes the
 * client.
 *
 * Threads: main only.
 */
#include <stddef.h>

#include "cmd/command.h"
#include "net/client.h"
#include "pubsub/pubsub.h"
#include "server/ev.h"
#include "server/multi.h"
#include "server/tracking.h"

/* Flag letters in Valkey's order; N when none applies. */
static void client_info_flags(const Client *c, char *out) {
    char *p = out;
    if (c->flags & CLIENT_MONITOR) *p++ = 'O';
    if (c->flags & CLIENT_PUBSUB) *p++ = 'P';
    if (c->flags & CLIENT_MULTI) *p++ = 'x';
    if (c->flags & (CLIENT_PAUSED | CLIENT_BLOCKED)) *p++ = 'b'; /* pause or keys */
    p = tracking_client_flag_letters(c, p); /* t R B */
    if (c->flags & CLIENT_DIRTY_CAS) *p++ = 'd';
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (c->flags & CLIENT_CLOSE_ASAP) *p++ = 'A';
    if (c->flags & CLIENT_UNIX_SOCKET) *p++ = 'U';
    if (c->flags & CLIENT_NO_EVICT) *p++ = 'e';
    if (c->flags & CLIENT_NO_TOUCH) *p++ = 'T';
    if (p == out) *p++ = 'N';
    *p = '\0';
}

/* r and/or w for the handlers installed on the connection. */
static void client_info_events(const Client *c, char *out) {
    char *p = out;
    if (c->conn && c->conn->read_cb) *p++ = 'r';
    if (c->conn && c->conn->write_cb) *p++ = 'w';
    *p = '\0';
}

/* Bytes of the arguments parsed so far (the command running, or a partial
 * one), as Valkey's argv-mem: string lengths only. */
static unsigned long long client_info_argv_mem(const Client *c) {
    unsigned long long total = 0;
    for (int i = 0; i < c->parser.argc; i++) total += obj_string_len(c->parser.argv[i]);
    return total;
}

/* The command Valkey would name: it records a command as the client's last
 * before running it, so a client listing itself shows the listing command. */
static const char *client_info_cmd(const Client *c) {
    const struct Command *cmd = c->cmd ? c->cmd : c->last_cmd;
    return cmd ? cmd_full_name(cmd) : "NULL";
}

sds client_info_string(sds out, const Client *c) {
    char flags[32], events[3];
    client_info_flags(c, flags);
    client_info_events(c, events);
    /* Valkey counts age and idle in whole seconds of the wall clock. */
    long long now_s = ev_wall_ms() / 1000;
    out = sds_cat_printf(out, "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld",
                         (unsigned long long)c->id, c->peer_id, c->local_id,
                         c->conn ? c->conn->fd : -1, c->name ? c->name : "",
                         now_s - c->created_ms / 1000, now_s - c->last_interaction_ms / 1000);
    out = sds_cat_printf(out, " flags=%s db=%d sub=%ld psub=%ld ssub=%ld multi=%ld watch=%ld",
                         flags, c->db, pubsub_client_kind_count(c, PUBSUB_CHANNEL),
                         pubsub_client_kind_count(c, PUBSUB_PATTERN),
                         pubsub_client_kind_count(c, PUBSUB_SHARD), multi_queued_count(c),
                         multi_watched_count(c));
    /* During a READ job an IO thread owns the query buffer and the parser:
     * report them as empty rather than read what that thread is writing. */
    int io_reading = atomic_load_explicit(&((Client *)c)->io_read_state, memory_order_relaxed) !=
                     CLIENT_IO_IDLE;
    out = sds_cat_printf(out, " qbuf=%zu qbuf-free=%zu argv-mem=%llu multi-mem=%zu",
                         io_reading ? 0 : sds_len(c->querybuf),
                         io_reading ? 0 : sds_avail(c->querybuf),
                         io_reading ? 0 : client_info_argv_mem(c), multi_queued_bytes(c));
    /* omem counts the reply list as the output-buffer limits do. */
    out = sds_cat_printf(out, " rbs=%zu rbp=%zu obl=%zu oll=%zu omem=%zu tot-mem=%zu",
                         c->buf_size, c->buf_peak, c->buf_used, c->reply_blocks,
                         c->reply_bytes, client_memory(c));
    out = sds_cat_printf(out, " events=%s cmd=%s user=%s redir=%lld resp=%d", events,
                         client_info_cmd(c), c->user ? c->user : "(superuser)",
                         tracking_client_redirect(c), c->resp);
    out = sds_cat_printf(out, " lib-name=%s lib-ver=%s", c->lib_name ? c->lib_name : "",
                         c->lib_ver ? c->lib_ver : "");
    out = sds_cat_printf(out, " tot-net-in=%llu tot-net-out=%llu tot-cmds=%llu", c->net_in,
                         c->net_out, c->commands_processed);
    return out;
}
