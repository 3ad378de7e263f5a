/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/stats_reset.h: CONFIG RESETSTAT's one entry point.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_STATS_RESET_H
#define KEEL_SERVER_STATS_RESET_H

/* Zeroes every statistic INFO reports as a running total (commandstats,
 * errorstats, net counters) and restarts the memory peak from the current
 * usage. Cannot fail. */
void server_stats_reset(void);

#endif
