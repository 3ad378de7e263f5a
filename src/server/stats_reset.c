/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/stats_reset.c: CONFIG RESETSTAT: asks each room that keeps INFO
 * counters to zero them.
 *
 * Each room owns its counters and its reset function; this file only lists
 * them, so a room adding counters adds one call here. Gauges (connected
 * clients, used memory, keys) are state, not statistics, and are left alone.
 *
 * Threads: main only.
 */
#include "server/stats_reset.h"

#include "cmd/command.h"
#include "db/db.h"
#include "db/lazyfree.h"
#include "net/net_stats.h"
#include "net/reply.h"
#include "server/info.h"

void server_stats_reset(void) {
    cmd_stats_reset();        /* INFO commandstats */
    reply_errorstats_reset(); /* INFO errorstats, total_error_replies */
    net_stats_reset();        /* connections, traffic, buffer-limit disconnections */
    info_stats_reset();       /* instantaneous_* samples */
    db_stats_reset();         /* keyspace hits/misses, expired and evicted keys */
    lazyfree_reset_stats();   /* lazyfreed_objects */
    /* used_memory_peak is kept, as Valkey keeps it: it is a high-water mark
     * of memory, not a counter of events. */
}
