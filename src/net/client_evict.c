/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/client_evict.c: client eviction (maxmemory-clients). When the memory
 * held by normal and pub/sub clients passes the limit, the biggest evictable
 * clients are closed until it is back under, as Valkey does.
 *
 * The total is a running sum: each client remembers what it last added
 * (evict_counted), and client_evict_track replaces that with its current
 * client_memory() at the points where a client's memory moves: after a read,
 * before and after each command, after a write, and in the cron. Nothing
 * here runs while maxmemory-clients is 0: the inline wrappers in
 * net/client.h cost one load and one branch then. Victims are closed with
 * client_close_async, never freed in place, so every caller (the read path,
 * a command, the cron, CONFIG SET) may evict safely; their bytes leave the
 * total at once and are freed in before-sleep.
 *
 * Threads: main only.
 */
#include <limits.h>
#include <stdlib.h>

#include "db/evict.h"
#include "net/client.h"
#include "net/net_stats.h"
#include "server/config.h"
#include "server/log.h"
#include "server/mem.h"

long long cfg_maxmemory_clients;

/* Sum of evict_counted over all clients. Main thread only. */
static size_t tracked_total;

/* Below this the server could not even talk to the client that would fix
 * the setting, so a smaller limit is raised to it (Valkey does the same). */
#define CLIENT_EVICT_MIN_LIMIT (128 * 1024)

/* Only normal and pub/sub clients count and can be evicted; replicas,
 * primaries and internal clients (no connection) never. */
static int client_evict_counted_class(const Client *c) {
    if (c->conn == NULL || (c->flags & CLIENT_CLOSE_ASAP)) return 0;
    int type = client_type(c);
    return type == CLIENT_TYPE_NORMAL || type == CLIENT_TYPE_PUBSUB;
}

/* The limit in bytes, or 0 when client eviction is off (maxmemory-clients 0,
 * or a percentage while maxmemory is 0). */
static size_t client_evict_limit(void) {
    unsigned long long limit;
    if (cfg_maxmemory_clients > 0) {
        limit = (unsigned long long)cfg_maxmemory_clients;
    } else if (cfg_maxmemory_clients < 0 && cfg_maxmemory > 0) {
        double share = (double)cfg_maxmemory * (double)-cfg_maxmemory_clients / 100;
        limit = share >= (double)SIZE_MAX ? SIZE_MAX : (unsigned long long)share;
    } else {
        return 0;
    }
    if (limit < CLIENT_EVICT_MIN_LIMIT) limit = CLIENT_EVICT_MIN_LIMIT;
    return (size_t)limit;
}

void client_evict_track_slow(Client *c) {
    /* While a READ job is out client_memory cannot see the query buffer:
     * keep the last count until the completion. */
    if (atomic_load_explicit(&c->io_read_state, memory_order_relaxed) != CLIENT_IO_IDLE) return;
    size_t now = client_evict_counted_class(c) ? client_memory(c) : 0;
    tracked_total = tracked_total - c->evict_counted + now;
    c->evict_counted = now;
}

void client_evict_untrack(Client *c) {
    tracked_total -= c->evict_counted;
    c->evict_counted = 0;
}

size_t client_evict_tracked_memory(void) {
    return tracked_total;
}

static int client_evict_allowed(const Client *c) {
    return client_evict_counted_class(c) && !(c->flags & CLIENT_NO_EVICT) && c->evict_counted;
}

/* Biggest first. */
static int client_evict_compare(const void *a, const void *b) {
    size_t x = (*(Client *const *)a)->evict_counted, y = (*(Client *const *)b)->evict_counted;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void client_evict_one(Client *c) {
    if (log_enabled(LL_VERBOSE)) {
        sds info = client_info_string(sds_empty(), c);
        log_msg(LL_VERBOSE, "Evicting client: %s", info);
        sds_free(info);
    }
    net_stats.evicted_clients++;
    client_close_async(c); /* untracks it */
}

void client_evict_run_slow(void) {
    size_t limit = client_evict_limit();
    if (limit == 0 || tracked_total + client_memory_pending_release() < limit) return;
    /* Over the limit (rare): sort the candidates once rather than scanning
     * the whole list for each victim. */
    size_t count = 0;
    for (const Client *c = client_list_head(); c; c = c->next)
        if (client_evict_allowed(c)) count++;
    if (count == 0) return;
    Client **victims = mem_alloc(sizeof(Client *) * count);
    size_t n = 0;
    for (Client *c = client_list_head(); c && n < count; c = c->next)
        if (client_evict_allowed(c)) victims[n++] = c;
    qsort(victims, n, sizeof(Client *), client_evict_compare);
    for (size_t i = 0; i < n && tracked_total + client_memory_pending_release() >= limit; i++)
        client_evict_one(victims[i]);
    mem_free(victims);
}

int client_evict_check_slow(Client *c) {
    client_evict_track_slow(c);
    client_evict_run_slow();
    return (c->flags & CLIENT_CLOSE_ASAP) ? -1 : 0;
}

/* Counts every client from scratch when the option is turned on, and drops
 * the counts when it is turned off, so the running total is exact either
 * way; then evicts at once if a lowered limit is already exceeded. */
static int maxmemory_clients_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    (void)err;
    (void)errlen;
    for (Client *c = client_list_head(); c; c = c->next) {
        if (cfg_maxmemory_clients != 0)
            client_evict_track_slow(c);
        else
            client_evict_untrack(c);
    }
    if (cfg_maxmemory_clients != 0) client_evict_run_slow();
    return 0;
}

void client_evict_register_config(void) {
    static const KeelConfigOption option = {
        .size = sizeof(KeelConfigOption), .name = "maxmemory-clients", .type = KEEL_CFG_MEMORY,
        .flags = KEEL_CFG_PERCENT, .default_value = "0", .min = -100, .max = LLONG_MAX,
        .storage = &cfg_maxmemory_clients, .apply = maxmemory_clients_apply};
    config_register_core(&option);
}
