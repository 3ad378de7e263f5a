/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/listener.c: the core's listener options (bind, port, unixsocket, ...)
 * and the listeners opened from them through the connection types.
 *
 * The core only fills KeelListener records and watches the fds the transport
 * opened; it never calls socket functions itself. CONFIG SET of port or bind
 * opens the new listener before closing the old one, so a failure leaves the
 * old one serving.
 *
 * The TLS listener uses bind like TCP, with the port from tls-port, an option
 * keel-tls.so declares (read here through the config registry, so the core
 * needs no TLS code). CONFIG SET tls-port is the module's apply hook, which
 * moves the sockets of the listener opened here. The RDMA listener works the
 * same way from keel-rdma.so's rdma-port and its own rdma-bind list.
 *
 * Threads: main only.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net/conn.h"
#include "server/config.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/mem.h"

static long long cfg_port;
static long long cfg_tcp_backlog;
static long long cfg_tcp_keepalive;
static char *cfg_unixsocket;
static long long cfg_unixsocketperm;
static char *cfg_unixsocketgroup;
static long long cfg_accept_budget;
static char *bind_addrs[KEEL_LISTENER_MAX_ADDRS];
static int bind_count;

enum { LISTENER_TCP, LISTENER_UNIX, LISTENER_TLS, LISTENER_RDMA, LISTENER_COUNT };
static const char *const listener_type_names[LISTENER_COUNT] = {"tcp", "unix", "tls", "rdma"};
static KeelListener *listeners[LISTENER_COUNT]; /* NULL when not open */
static int listener_at_startup = 1;             /* failures abort the server */

/* ---- bind option ---- */

static int bind_set(const char *value, char *err, size_t errlen) {
    int argc;
    sds *argv = sds_split_args(value, strlen(value), &argc);
    if (argv == NULL || argc > KEEL_LISTENER_MAX_ADDRS) {
        sds_free_split(argv, argc);
        snprintf(err, errlen, "Too many bind addresses specified.");
        return -1;
    }
    for (int i = 0; i < bind_count; i++) mem_free(bind_addrs[i]);
    bind_count = 0;
    for (int i = 0; i < argc; i++) bind_addrs[bind_count++] = mem_strdup(argv[i]);
    sds_free_split(argv, argc);
    return 0;
}

static sds bind_get(sds out) {
    for (int i = 0; i < bind_count; i++) out = sds_cat_printf(out, "%s%s", i ? " " : "", bind_addrs[i]);
    return out;
}

/* ---- opening and closing ---- */

static void listener_accept_proc(int fd, void *data, int mask) {
    (void)mask;
    KeelListener *l = data;
    l->type->accept_ready(l, fd);
}

/* A port option a transport module declares (tls-port, rdma-port); 0 when
 * the module is not loaded. */
static int listener_module_port(const char *option) {
    ConfigEntry *e = config_find(option);
    if (e == NULL) return 0;
    sds text = config_get_value(e, sds_empty());
    long long port = 0;
    if (config_parse_ll(text, &port) != 0 || port < 0 || port > 65535) port = 0;
    sds_free(text);
    return (int)port;
}

static int listener_port(int which) {
    if (which == LISTENER_TCP) return (int)cfg_port;
    return listener_module_port(which == LISTENER_TLS ? "tls-port" : "rdma-port");
}

/* rdma-bind's addresses (space separated) into l; none means the
 * transport's default. */
static void listener_fill_rdma_addrs(KeelListener *l) {
    ConfigEntry *e = config_find("rdma-bind");
    if (e == NULL) return;
    sds text = config_get_value(e, sds_empty());
    int argc;
    sds *argv = sds_split_args(text, sds_len(text), &argc);
    for (int i = 0; argv && i < argc && l->addr_count < KEEL_LISTENER_MAX_ADDRS; i++)
        l->addrs[l->addr_count++] = mem_strdup(argv[i]);
    sds_free_split(argv, argc);
    sds_free(text);
}

static void listener_fill(int which, KeelListener *l) {
    memset(l, 0, sizeof(*l));
    l->backlog = (int)cfg_tcp_backlog;
    l->keepalive = (int)cfg_tcp_keepalive;
    if (which == LISTENER_RDMA) {
        l->type = conn_type_find("rdma");
        listener_fill_rdma_addrs(l);
        l->port = listener_port(which);
    } else if (which != LISTENER_UNIX) {
        l->type = conn_type_find(listener_type_names[which]);
        for (int i = 0; i < bind_count; i++) l->addrs[i] = mem_strdup(bind_addrs[i]);
        l->addr_count = bind_count;
        l->port = listener_port(which);
    } else {
        l->type = conn_type_find("unix");
        l->addrs[0] = mem_strdup(cfg_unixsocket);
        l->addr_count = 1;
        l->unix_perm = (unsigned)cfg_unixsocketperm;
        l->unix_group = cfg_unixsocketgroup;
    }
}

static void listener_free_addrs(KeelListener *l) {
    for (int i = 0; i < l->addr_count; i++) mem_free(l->addrs[i]);
    l->addr_count = 0;
}

static int listener_configured(int which) {
    if (which == LISTENER_UNIX) return cfg_unixsocket != NULL;
    return listener_port(which) != 0;
}

/* Opens one listener and watches its fds. Returns it, or NULL (logged). */
static KeelListener *listener_open_one(int which) {
    const char *type_name = listener_type_names[which];
    KeelListener *l = mem_calloc(sizeof(KeelListener));
    listener_fill(which, l);
    if (l->type == NULL) {
        log_msg(LL_WARNING, "Failed listening on %s: no connection type \"%s\" is loaded",
                type_name, type_name);
        listener_free_addrs(l);
        mem_free(l);
        return NULL;
    }
    char err[512];
    err[0] = '\0';
    if (l->type->listen(l, err, sizeof(err)) != 0) {
        /* Valkey's pair of lines: the cause, then which listener failed (a
         * Unix listener has port 0 there, as in Valkey). */
        if (err[0]) log_msg(LL_WARNING, which != LISTENER_UNIX ? "Warning: %s" : "%s", err);
        const char *tail = listener_at_startup ? ", aborting." : "";
        log_msg(LL_WARNING, "Failed listening on port %d (%s)%s", l->port, type_name, tail);
        listener_free_addrs(l);
        mem_free(l);
        return NULL;
    }
    for (int i = 0; i < l->fd_count; i++) {
        if (ev_add(l->fds[i], EV_READABLE, listener_accept_proc, l) != 0) {
            log_msg(LL_WARNING, "Unrecoverable error creating %s file event.", type_name);
            for (int j = 0; j < i; j++) ev_remove(l->fds[j], EV_READABLE);
            l->type->close_listener(l);
            listener_free_addrs(l);
            mem_free(l);
            return NULL;
        }
    }
    return l;
}

static void listener_close_one(KeelListener *l) {
    for (int i = 0; i < l->fd_count; i++) ev_remove(l->fds[i], EV_READABLE);
    l->type->close_listener(l);
    l->fd_count = 0;
    listener_free_addrs(l);
    mem_free(l);
}

int listener_socket_needed(void) {
    return listener_configured(LISTENER_TCP) || listener_configured(LISTENER_UNIX);
}

int listener_open_all(void) {
    for (int which = 0; which < LISTENER_COUNT; which++) {
        if (!listener_configured(which)) continue;
        listeners[which] = listener_open_one(which);
        if (listeners[which] == NULL) {
            listener_close_all();
            return -1;
        }
    }
    listener_at_startup = 0;
    return 0;
}

int listener_count(void) {
    int open = 0;
    for (int which = 0; which < LISTENER_COUNT; which++)
        if (listeners[which]) open++;
    return open;
}

void listener_close_all(void) {
    for (int which = 0; which < LISTENER_COUNT; which++) {
        if (listeners[which] == NULL) continue;
        listener_close_one(listeners[which]);
        listeners[which] = NULL;
    }
}

/* Opens the new listener `which`, then closes the old one. */
static int listener_reopen(int which, char *err, size_t errlen) {
    KeelListener *fresh = NULL;
    if (listener_configured(which)) {
        fresh = listener_open_one(which);
        if (fresh == NULL && listeners[which]) {
            /* The old listener may hold the very address we want (same port,
             * new bind list): free it and try again. If that fails too, the
             * CONFIG SET rollback re-applies the old values, reopening it. */
            listener_close_one(listeners[which]);
            listeners[which] = NULL;
            fresh = listener_open_one(which);
        }
        if (fresh == NULL) {
            snprintf(err, errlen, "Unable to listen on this port. Check server logs.");
            return -1;
        }
    }
    if (listeners[which]) listener_close_one(listeners[which]);
    listeners[which] = fresh;
    return 0;
}

int listener_reopen_type(const char *name, char *err, size_t errlen) {
    for (int which = 0; which < LISTENER_COUNT; which++)
        if (strcasecmp(name, listener_type_names[which]) == 0)
            return listener_reopen(which, err, errlen);
    snprintf(err, errlen, "no listener of connection type '%s'", name);
    return -1;
}

/* CONFIG SET port/bind: reopen the TCP listener; bind moves TLS too. */
static int listener_apply_tcp(const char *name, char *err, size_t errlen) {
    if (conn_type_find("tcp") == NULL) {
        snprintf(err, errlen, "the tcp connection type is not loaded");
        return -1;
    }
    if (listener_reopen(LISTENER_TCP, err, errlen) != 0) return -1;
    if (strcasecmp(name, "bind") == 0 && listeners[LISTENER_TLS] != NULL)
        return listener_reopen(LISTENER_TLS, err, errlen);
    return 0;
}

void listener_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "port", .type = KEEL_CFG_NUMBER,
         .default_value = "6379", .min = 0, .max = 65535, .storage = &cfg_port,
         .apply = listener_apply_tcp},
        {.size = sizeof(KeelConfigOption), .name = "tcp-backlog", .type = KEEL_CFG_NUMBER,
         .flags = KEEL_CFG_IMMUTABLE, .default_value = "511", .min = 0, .max = INT_MAX,
         .storage = &cfg_tcp_backlog},
        {.size = sizeof(KeelConfigOption), .name = "tcp-keepalive", .type = KEEL_CFG_NUMBER,
         .default_value = "300", .min = 0, .max = INT_MAX, .storage = &cfg_tcp_keepalive},
        {.size = sizeof(KeelConfigOption), .name = "unixsocket", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_IMMUTABLE | KEEL_CFG_EMPTY_OK, .default_value = "",
         .storage = &cfg_unixsocket},
        {.size = sizeof(KeelConfigOption), .name = "unixsocketperm", .type = KEEL_CFG_NUMBER,
         .flags = KEEL_CFG_IMMUTABLE | KEEL_CFG_OCTAL, .default_value = "0", .min = 0,
         .max = 0777, .storage = &cfg_unixsocketperm},
        {.size = sizeof(KeelConfigOption), .name = "unixsocketgroup", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_IMMUTABLE | KEEL_CFG_EMPTY_OK, .default_value = "",
         .storage = &cfg_unixsocketgroup},
        {.size = sizeof(KeelConfigOption), .name = "max-new-connections-per-cycle",
         .type = KEEL_CFG_NUMBER, .default_value = "10", .min = 1, .max = 1000,
         .storage = &cfg_accept_budget},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
    static const ConfigSpecialOps bind_ops = {.set = bind_set, .get = bind_get};
    config_register_special("bind", 0, "* -::*", &bind_ops, listener_apply_tcp);
}

sds listener_info(sds out) {
    int index = 0;
    for (int which = 0; which < LISTENER_COUNT; which++) {
        KeelListener *l = listeners[which];
        if (l == NULL) continue;
        out = sds_cat_printf(out, "listener%d:name=%s", index++, l->type->name);
        for (int i = 0; i < l->addr_count; i++) out = sds_cat_printf(out, ",bind=%s", l->addrs[i]);
        if (which != LISTENER_UNIX) out = sds_cat_printf(out, ",port=%d", l->port);
        out = sds_cat(out, "\r\n");
    }
    return conn_types_info(out);
}

int listener_tcp_port(void) {
    return (int)cfg_port;
}

int listener_accept_budget(void) {
    return (int)cfg_accept_budget;
}

const char *listener_unix_path(void) {
    return cfg_unixsocket;
}
