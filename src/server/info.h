/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/info.h: the INFO report, and the samplers that feed its
 * instantaneous figures.
 *
 * The report only reads other rooms' counters through their functions; the
 * one state it owns is the sampling behind instantaneous_* and
 * client_recent_max_*, fed by info_cron.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_INFO_H
#define KEEL_SERVER_INFO_H

#include <stddef.h>

#include "ds/sds.h"

/* Section bits, in the order INFO prints sections. */
#define INFO_SERVER (1u << 0)
#define INFO_CLIENTS (1u << 1)
#define INFO_MEMORY (1u << 2)
#define INFO_STATS (1u << 3)
#define INFO_REPLICATION (1u << 4)
#define INFO_CPU (1u << 5)
#define INFO_MODULES (1u << 6)
#define INFO_COMMANDSTATS (1u << 7)
#define INFO_ERRORSTATS (1u << 8)
#define INFO_CLUSTER (1u << 9)
#define INFO_KEYSPACE (1u << 10)
#define INFO_PERSISTENCE (1u << 11)
/* INFO / INFO default: everything but commandstats (as Valkey). */
#define INFO_DEFAULT                                                                              \
    (INFO_SERVER | INFO_CLIENTS | INFO_MEMORY | INFO_PERSISTENCE | INFO_STATS |               \
     INFO_REPLICATION | INFO_CPU | INFO_MODULES | INFO_ERRORSTATS | INFO_CLUSTER | INFO_KEYSPACE)
/* INFO all / everything (keel modules add no sections of their own). */
#define INFO_ALL (INFO_DEFAULT | INFO_COMMANDSTATS)

/* Turns INFO's arguments into section bits: no names means the default set;
 * "default", "all" and "everything" expand; names are case-insensitive;
 * unknown names select nothing. Borrows names. */
unsigned info_sections_from_names(const char *const *names, int count);
/* Appends the selected sections to out, blank-line separated, CRLF lines,
 * each under its "# Name" header. Returns out (possibly moved). */
sds info_generate(sds out, unsigned sections);

/* The memory figures INFO memory reports, for MEMORY STATS and MEMORY
 * DOCTOR (db/memory_cmd.c), so both say the same. Bytes. */
typedef struct InfoMemoryFigures {
    size_t used, peak, rss;
    size_t startup;        /* used_memory_startup */
    size_t clients_normal; /* mem_clients_normal */
    size_t allocator_allocated, allocator_active, allocator_resident;
} InfoMemoryFigures;
/* Fills out from the allocator and clients now (info_memory.c). */
void info_memory_figures(InfoMemoryFigures *out);

/* Samples ops/sec, network rates and client buffer peaks. Called by
 * server_cron on every tick; samples at most every 100 ms. */
void info_cron(void);
/* Forgets the instantaneous samples (CONFIG RESETSTAT), so the next rates
 * are not computed against counters that were just zeroed. */
void info_stats_reset(void);

#endif
