/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/client.c: creating, tracking and freeing clients; accept-time checks
 * (maxclients, protected mode); output-buffer limits; idle timeouts.
 *
 * A client is freed either at once (nothing is running on its behalf) or
 * asynchronously: client_close_async marks it CLOSE_ASAP and the before-sleep
 * hook frees it. Code running inside a command or the read path therefore
 * never frees the client under its own feet.
 *
 * Threads: main only.
 */
#include "net/client.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "cmd/command.h"
#include "db/blocking.h"
#include "net/conn.h"
#include "net/net_stats.h"
#include "net/reply.h"
#include "pubsub/pubsub.h"
#include "server/config.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/mem.h"
#include "server/monitor.h"
#include "server/multi.h"
#include "server/server.h"
#include "server/tracking.h"

NetStats net_stats;

long long cfg_maxclients;
long long cfg_client_timeout;
long long cfg_proto_max_bulk_len;
long long cfg_client_query_buffer_limit;
static int cfg_protected_mode;
ClientOutputLimit client_output_limits[CLIENT_TYPE_COUNT];

static Client *clients_head, *clients_tail;
static unsigned long clients_connected;
static Client *close_list;
static uint64_t next_client_id = 1;

void net_stats_reset(void) {
    memset(&net_stats, 0, sizeof(net_stats));
}

/* ---- client-output-buffer-limit ---- */

static const char *const limit_class_names[CLIENT_TYPE_COUNT] = {"normal", "slave", "pubsub"};

static int obl_set(const char *value, char *err, size_t errlen) {
    int argc;
    sds *argv = sds_split_args(value, strlen(value), &argc);
    ClientOutputLimit parsed[CLIENT_TYPE_COUNT];
    memcpy(parsed, client_output_limits, sizeof(parsed));
    int ok = argv != NULL && argc % 4 == 0 && argc > 0;
    for (int i = 0; ok && i < argc; i += 4) {
        int type = client_type_by_name(argv[i]);
        long long hard, soft, seconds;
        if (type < 0 || type == CLIENT_TYPE_PRIMARY || config_parse_memory(argv[i + 1], &hard) ||
            config_parse_memory(argv[i + 2], &soft) || config_parse_ll(argv[i + 3], &seconds) ||
            seconds < 0) {
            ok = 0;
            break;
        }
        parsed[type].hard_bytes = (unsigned long long)hard;
        parsed[type].soft_bytes = (unsigned long long)soft;
        parsed[type].soft_seconds = seconds;
    }
    sds_free_split(argv, argc);
    if (!ok) {
        snprintf(err, errlen, "Wrong number of arguments in buffer limit configuration.");
        return -1;
    }
    memcpy(client_output_limits, parsed, sizeof(parsed));
    return 0;
}

static sds obl_get(sds out) {
    for (int i = 0; i < CLIENT_TYPE_COUNT; i++) {
        const ClientOutputLimit *l = &client_output_limits[i];
        out = sds_cat_printf(out, "%s%s %llu %llu %lld", i ? " " : "", limit_class_names[i],
                             l->hard_bytes, l->soft_bytes, l->soft_seconds);
    }
    return out;
}

/* One line per class, and only for classes that differ from the default,
 * as Valkey writes them. */
static void obl_rewrite(ConfigRewrite *rw, const char *name) {
    static const ClientOutputLimit defaults[CLIENT_TYPE_COUNT] = {
        {0, 0, 0}, {256ULL << 20, 64ULL << 20, 60}, {32ULL << 20, 8ULL << 20, 60}};
    static const char *const rewrite_names[CLIENT_TYPE_COUNT] = {"normal", "replica", "pubsub"};
    for (int i = 0; i < CLIENT_TYPE_COUNT; i++) {
        const ClientOutputLimit *l = &client_output_limits[i];
        int is_default = l->hard_bytes == defaults[i].hard_bytes &&
                         l->soft_bytes == defaults[i].soft_bytes &&
                         l->soft_seconds == defaults[i].soft_seconds;
        sds line = sds_cat_printf(sds_empty(), "%s %s ", name, rewrite_names[i]);
        line = config_format_memory(line, (long long)l->hard_bytes);
        line = sds_cat(line, " ");
        line = config_format_memory(line, (long long)l->soft_bytes);
        line = sds_cat_printf(line, " %lld", l->soft_seconds);
        config_rewrite_line(rw, name, line, !is_default);
    }
    config_rewrite_mark_done(rw, name);
}

/* CONFIG SET maxclients: the fd limit and the event loop must fit the new
 * value before it counts, else it is refused with Valkey's message. */
static int maxclients_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    rlim_t wanted = (rlim_t)cfg_maxclients + SERVER_RESERVED_FDS;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < wanted) {
        struct rlimit raised = {.rlim_cur = wanted,
                                .rlim_max = limit.rlim_max > wanted ? limit.rlim_max : wanted};
        if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
            snprintf(err, errlen,
                     "The operating system is not able to handle the specified number of "
                     "clients, try with %lld",
                     (long long)limit.rlim_cur - SERVER_RESERVED_FDS);
            return -1;
        }
    }
    if ((rlim_t)ev_setsize() < wanted && ev_resize((int)wanted) != 0) {
        snprintf(err, errlen, "The event loop API used by keel is not able to handle the "
                              "specified number of clients");
        return -1;
    }
    return 0;
}

void client_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "maxclients", .type = KEEL_CFG_NUMBER,
         .default_value = "10000", .min = 1, .max = UINT_MAX, .storage = &cfg_maxclients,
         .apply = maxclients_apply},
        {.size = sizeof(KeelConfigOption), .name = "timeout", .type = KEEL_CFG_NUMBER,
         .default_value = "0", .min = 0, .max = INT_MAX, .storage = &cfg_client_timeout},
        {.size = sizeof(KeelConfigOption), .name = "proto-max-bulk-len", .type = KEEL_CFG_MEMORY,
         .default_value = "536870912", .min = 1024 * 1024, .max = LLONG_MAX,
         .storage = &cfg_proto_max_bulk_len},
        {.size = sizeof(KeelConfigOption), .name = "client-query-buffer-limit",
         .type = KEEL_CFG_MEMORY, .default_value = "1073741824", .min = 1024 * 1024,
         .max = LLONG_MAX, .storage = &cfg_client_query_buffer_limit},
        {.size = sizeof(KeelConfigOption), .name = "protected-mode", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_protected_mode},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
    static const ConfigSpecialOps obl_ops = {.set = obl_set, .get = obl_get,
                                             .rewrite = obl_rewrite};
    client_evict_register_config();
    config_register_special("client-output-buffer-limit", 0,
                            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                            &obl_ops, NULL);
}

/* ---- types ---- */

int client_type(const Client *c) {
    if (c->flags & CLIENT_PUBSUB) return CLIENT_TYPE_PUBSUB;
    return CLIENT_TYPE_NORMAL;
}

int client_type_by_name(const char *name) {
    if (strcasecmp(name, "normal") == 0) return CLIENT_TYPE_NORMAL;
    if (strcasecmp(name, "slave") == 0 || strcasecmp(name, "replica") == 0)
        return CLIENT_TYPE_REPLICA;
    if (strcasecmp(name, "pubsub") == 0) return CLIENT_TYPE_PUBSUB;
    if (strcasecmp(name, "master") == 0 || strcasecmp(name, "primary") == 0)
        return CLIENT_TYPE_PRIMARY;
    return -1;
}

const char *client_type_name(int type) {
    switch (type) {
    case CLIENT_TYPE_NORMAL: return "normal";
    case CLIENT_TYPE_REPLICA: return "slave";
    case CLIENT_TYPE_PUBSUB: return "pubsub";
    case CLIENT_TYPE_PRIMARY: return "master";
    }
    return "unknown";
}

/* ---- create / free ---- */

Client *client_create(KeelConn *conn) {
    Client *c = mem_calloc(sizeof(Client));
    c->id = next_client_id++;
    c->conn = conn;
    c->resp = 2;
    c->user = mem_strdup("default");
    c->querybuf = sds_empty();
    rsp_parser_init(&c->parser);
    c->buf = mem_alloc(CLIENT_REPLY_CHUNK);
    c->buf_size = mem_size(c->buf);
    c->created_ms = c->last_interaction_ms = ev_wall_ms();
    c->buf_peak_since_ms = c->created_ms;
    c->authenticated = !auth_password_required();
    if (conn) {
        conn->owner = c;
        c->prev = clients_tail;
        if (clients_tail)
            clients_tail->next = c;
        else
            clients_head = c;
        clients_tail = c;
        clients_connected++;
    }
    return c;
}

static void client_unlink(Client *c) {
    if (c->conn == NULL) return;
    if (c->prev)
        c->prev->next = c->next;
    else
        clients_head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        clients_tail = c->prev;
    c->prev = c->next = NULL;
    clients_connected--;
}

static void client_release_replies(Client *c) {
    ReplyBlock *b = c->reply_head;
    while (b) {
        ReplyBlock *next = b->next;
        mem_free(b);
        b = next;
    }
    c->reply_head = c->reply_tail = NULL;
    c->reply_blocks = c->reply_bytes = 0;
}

int client_free(Client *c) {
    if (c->flags & CLIENT_PROTECTED) return 0;
    if (c->flags & (CLIENT_EXECUTING | CLIENT_IN_READ_HANDLER)) {
        client_close_async(c);
        return 0;
    }
    if (c->flags & CLIENT_CLOSE_ASAP) {
        /* Still on the close list: client_free_pending frees it. */
        return 0;
    }
    if (client_io_busy(c)) {
        /* An IO thread owns c until its completion is drained: never wait
         * for it here; client_free_pending frees it after the completion. */
        client_close_async(c);
        return 0;
    }
    c->flags |= CLIENT_PROTECTED;
    client_evict_untrack(c);
    client_write_cancel(c);
    client_pause_forget(c);
    blocking_client_gone(c);
    pubsub_client_free(c);
    tracking_client_free(c);
    multi_client_free(c);
    monitor_client_free(c);
    client_unlink(c);
    if (c->conn) {
        c->conn->owner = NULL;
        c->conn->type->close(c->conn);
        c->conn = NULL;
    }
    rsp_parser_deinit(&c->parser);
    sds_free(c->querybuf);
    client_release_replies(c);
    mem_free(c->buf);
    sds_free(c->name);
    sds_free(c->lib_name);
    sds_free(c->lib_ver);
    mem_free(c->user);
    mem_free(c->io_iov);
    mem_free(c);
    return 1;
}

/* Bytes of closed clients that wait for an IO job before they are freed. */
static size_t pending_release_bytes;

void client_close_async(Client *c) {
    if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_PROTECTED)) return;
    c->flags |= CLIENT_CLOSE_ASAP;
    client_evict_untrack(c); /* its bytes are on their way out */
    blocking_client_gone(c); /* a closing client is served nothing more */
    c->close_next = close_list;
    close_list = c;
}

int client_free_pending(void) {
    int freed = 0;
    Client *list = close_list, *waiting = NULL;
    close_list = NULL;
    while (list) {
        Client *c = list;
        list = c->close_next;
        if (client_io_busy(c)) {
            /* Its job is still out: keep it for a later turn, and count its
             * memory as being released so eviction does not over-evict. */
            if (c->io_release_bytes == 0) {
                c->io_release_bytes = sizeof(Client) + mem_size(c->buf) + c->reply_bytes;
                pending_release_bytes += c->io_release_bytes;
            }
            c->close_next = waiting;
            waiting = c;
            continue;
        }
        pending_release_bytes -= c->io_release_bytes;
        c->io_release_bytes = 0;
        c->flags &= ~(CLIENT_CLOSE_ASAP | CLIENT_EXECUTING | CLIENT_IN_READ_HANDLER);
        client_free(c);
        freed++;
    }
    /* client_free may have queued others meanwhile: keep both. */
    while (waiting) {
        Client *c = waiting;
        waiting = c->close_next;
        c->close_next = close_list;
        close_list = c;
    }
    return freed;
}

size_t client_memory_pending_release(void) {
    return pending_release_bytes;
}

unsigned long client_count(void) {
    return clients_connected;
}

Client *client_list_head(void) {
    return clients_head;
}

Client *client_find_by_id(uint64_t id) {
    for (Client *c = clients_head; c; c = c->next)
        if (c->id == id) return c;
    return NULL;
}

size_t client_memory(const Client *c) {
    size_t total = sizeof(Client) + mem_size(c->buf) + c->reply_bytes;
    /* The query buffer and parser belong to an IO thread during a READ. */
    if (atomic_load_explicit(&((Client *)c)->io_read_state, memory_order_relaxed) != CLIENT_IO_IDLE)
        return total;
    total += sds_alloc_size(c->querybuf);
    for (int i = 0; i < c->parser.argc; i++)
        total += sizeof(Obj) + obj_string_len(c->parser.argv[i]);
    total += sizeof(Obj *) * (size_t)c->parser.argv_cap;
    return total;
}

/* ---- accept ---- */

#define PROTECTED_MODE_REPLY                                                                      \
    "-DENIED keel is running in protected mode because protected mode is enabled and no "       \
    "password is set for the default user. In this mode connections are only accepted from the " \
    "loopback interface. If you want to connect from external computers to keel you may adopt " \
    "one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG " \
    "SET protected-mode no' from the loopback interface by connecting to keel from the same "   \
    "host the server is running, however MAKE SURE keel is not publicly accessible from "        \
    "internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively " \
    "you can just disable the protected mode by editing the keel configuration file, and "      \
    "setting the protected mode option to 'no', and then restarting the server. 3) If you "     \
    "started the server manually just for testing, restart it with the '--protected-mode no' "  \
    "option. 4) Set up an authentication password for the default user. NOTE: You only need "   \
    "to do one of the above things in order for the server to start accepting connections "     \
    "from the outside.\r\n"

/* Writes a last message to a connection we are about to close (best effort:
 * the socket is fresh, so a short reply fits in its buffer). */
static void conn_write_and_forget(KeelConn *conn, const char *msg) {
    ssize_t n = conn->type->write(conn, msg, strlen(msg));
    (void)n;
}

static void client_accept_done(KeelConn *conn) {
    Client *c = conn->owner;
    if (conn->state != KEEL_CONN_CONNECTED) {
        const char *why = conn->type->last_error(conn);
        log_msg(LL_VERBOSE, "Error accepting a client connection: %s", why ? why : "unknown");
        client_close_async(c);
        return;
    }
    if (cfg_protected_mode && !auth_password_required() && !(c->flags & CLIENT_UNIX_SOCKET)) {
        int local = conn->type->is_local ? conn->type->is_local(conn) : 0;
        if (local != 1) {
            conn_write_and_forget(conn, PROTECTED_MODE_REPLY);
            net_stats.rejected_connections++;
            client_close_async(c);
            return;
        }
    }
    net_stats.connections_received++;
    if (conn->type->set_read_handler(conn, client_read_handler) != 0) {
        log_msg(LL_WARNING, "Error registering fd event for the new client: %s",
                conn->type->last_error(conn) ? conn->type->last_error(conn) : "unknown");
        client_close_async(c);
    }
}

void client_accept_job(Client *c) {
    /* A failure is recorded in the connection; the transport reports it to
     * client_accept_done from update_state. */
    (void)c->conn->type->accept(c->conn, client_accept_done);
}

static void client_fill_addresses(Client *c, const char *peer_ip) {
    KeelConn *conn = c->conn;
    char ip[128];
    int port = 0;
    if (c->flags & CLIENT_UNIX_SOCKET) {
        snprintf(c->peer_id, sizeof(c->peer_id), "%s:0", peer_ip ? peer_ip : "");
    } else if (conn->type->addr && conn->type->addr(conn, ip, sizeof(ip), &port, 1) == 0) {
        snprintf(c->peer_id, sizeof(c->peer_id), strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
    } else {
        snprintf(c->peer_id, sizeof(c->peer_id), "?:0");
    }
    if (conn->type->addr && conn->type->addr(conn, ip, sizeof(ip), &port, 0) == 0) {
        if (c->flags & CLIENT_UNIX_SOCKET)
            snprintf(c->local_id, sizeof(c->local_id), "%s:0", ip);
        else
            snprintf(c->local_id, sizeof(c->local_id), strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip,
                     port);
    } else {
        snprintf(c->local_id, sizeof(c->local_id), "?:0");
    }
}

void client_accept(KeelConn *conn, int flags, const char *peer_ip) {
    if (client_count() >= (unsigned long long)cfg_maxclients) {
        conn_write_and_forget(conn, "-ERR max number of clients reached\r\n");
        net_stats.rejected_connections++;
        conn->type->close(conn);
        return;
    }
    Client *c = client_create(conn);
    if (flags & KEEL_ACCEPT_F_UNIX) c->flags |= CLIENT_UNIX_SOCKET;
    client_fill_addresses(c, peer_ip);
    log_msg(LL_VERBOSE, "Accepted %s", c->peer_id);
    /* Each handshake step, this first one included, may go to an IO thread
     * (the transport asks io_try_offload_handshake each time). */
    if (conn->type->caps & KEEL_CT_IOTHREAD_ACCEPT) conn->flags |= KEEL_CONN_F_OFFLOAD_OK;
    if (conn->type->accept(conn, client_accept_done) != 0) {
        /* The handshake failed or the callback already gave up on it. */
        client_close_async(c);
    }
}

/* ---- output limits and cron ---- */

int client_check_output_limit(Client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return 1;
    int type = client_type(c);
    if (type >= CLIENT_TYPE_COUNT) return 0;
    const ClientOutputLimit *l = &client_output_limits[type];
    unsigned long long used = c->reply_bytes;
    int over_hard = l->hard_bytes && used >= l->hard_bytes;
    int over_soft = 0;
    if (l->soft_bytes && used >= l->soft_bytes) {
        long long now = ev_wall_ms();
        if (c->obuf_soft_limit_since_ms == 0) c->obuf_soft_limit_since_ms = now;
        if (now - c->obuf_soft_limit_since_ms >= l->soft_seconds * 1000) over_soft = 1;
    } else {
        c->obuf_soft_limit_since_ms = 0;
    }
    if (!over_hard && !over_soft) return 0;
    sds info = client_info_string(sds_empty(), c);
    log_msg(LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
            info);
    sds_free(info);
    net_stats.outbuf_limit_disconnections++;
    client_close_async(c);
    return 1;
}

/* Fits the reply buffer to recent use, as Valkey does: shrink it (down to
 * 1 KiB) when the last few seconds used under half of it, grow it back (up
 * to 16 KiB) when they filled it. An idle client then holds about 1 KiB of
 * reply buffer instead of 16. Only an empty buffer is resized. */
#define REPLY_BUF_PEAK_WINDOW_MS 5000

static void client_resize_reply_buffer(Client *c, long long now) {
    if (c->buf_used || c->reply_head || (c->flags & CLIENT_IN_READ_HANDLER)) return;
    if (client_io_busy(c)) return; /* a WRITE job may point into buf */
    size_t target = c->buf_size;
    if (c->buf_peak < c->buf_size / 2 && c->buf_size / 2 >= CLIENT_REPLY_MIN)
        target = c->buf_peak + 1 > CLIENT_REPLY_MIN ? c->buf_peak + 1 : CLIENT_REPLY_MIN;
    else if (c->buf_peak == c->buf_size && c->buf_size < CLIENT_REPLY_CHUNK)
        target = c->buf_size * 2 < CLIENT_REPLY_CHUNK ? c->buf_size * 2 : CLIENT_REPLY_CHUNK;
    if (target != c->buf_size) {
        mem_free(c->buf);
        c->buf = mem_alloc(target);
        c->buf_size = mem_size(c->buf);
    }
    if (now - c->buf_peak_since_ms >= REPLY_BUF_PEAK_WINDOW_MS) {
        c->buf_peak = 0;
        c->buf_peak_since_ms = now;
    }
}

void client_cron(void) {
    long long now = ev_wall_ms();
    for (Client *c = clients_head; c; c = c->next) {
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (cfg_client_timeout > 0 && !(c->flags & CLIENT_PUBSUB && c->resp == 2) &&
            !(c->flags & (CLIENT_PAUSED | CLIENT_BLOCKED)) &&
            now - c->last_interaction_ms > cfg_client_timeout * 1000) {
            log_msg(LL_VERBOSE, "Closing idle client");
            client_close_async(c);
            continue;
        }
        if (c->reply_head) client_check_output_limit(c);
        client_resize_reply_buffer(c, now);
        if (client_io_busy(c)) continue; /* an IO thread owns the query buffer */
        /* Give back a private query buffer that held a partial request;
         * complete requests are read through the shared buffer. */
        if (sds_len(c->querybuf) == 0 && sds_alloc_size(c->querybuf) > 64 &&
            !(c->flags & CLIENT_IN_READ_HANDLER)) {
            sds_free(c->querybuf);
            c->querybuf = sds_empty();
            c->querybuf_peak = 0;
        }
        client_evict_track(c); /* before-sleep evicts if the total grew */
    }
}
