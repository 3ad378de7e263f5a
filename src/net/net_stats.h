/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/net_stats.h: connection and traffic counters shown in INFO stats.
 *
 * Written by the net room on the main thread only; INFO reads them there.
 */
#ifndef KEEL_NET_NET_STATS_H
#define KEEL_NET_NET_STATS_H

typedef struct NetStats {
    unsigned long long connections_received; /* total_connections_received */
    unsigned long long rejected_connections; /* rejected_conn (maxclients) */
    unsigned long long input_bytes;          /* total_net_input_bytes */
    unsigned long long output_bytes;         /* total_net_output_bytes */
    unsigned long long qbuf_limit_disconnections;   /* client_query_buffer_limit_disconnections */
    unsigned long long outbuf_limit_disconnections; /* client_output_buffer_limit_disconnections */
    unsigned long long evicted_clients;      /* evicted_clients (maxmemory-clients) */
    unsigned long long reads_processed;      /* total_reads_processed */
    unsigned long long writes_processed;     /* total_writes_processed */
} NetStats;

extern NetStats net_stats;

/* Zeroes the counters (CONFIG RESETSTAT). */
void net_stats_reset(void);

#endif
