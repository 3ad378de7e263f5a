/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/info_internal.h: what the INFO files share (info.c,
 * info_sections.c, info_memory.c, info_metrics.c) and the C tests use.
 * Nothing else includes it.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_INFO_INTERNAL_H
#define KEEL_SERVER_INFO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ds/sds.h"

/* ---- section builders: each appends its lines, header excluded ---- */

sds info_section_server(sds out);
sds info_section_clients(sds out);
sds info_section_memory(sds out);   /* info_memory.c */
sds info_section_persistence(sds out); /* persist/persist_info.c via info_sections.c */
sds info_section_stats(sds out);
sds info_section_replication(sds out);
sds info_section_cpu(sds out);
sds info_section_modules(sds out);
sds info_section_commandstats(sds out);
sds info_section_errorstats(sds out);
sds info_section_cluster(sds out);
sds info_section_keyspace(sds out);

/* Memory charged to normal and pub/sub clients (info_memory.c). */
size_t info_clients_normal_bytes(void);

/* Writes n as Valkey's human form: "0B", "1023B", "1.00K", "863.45M"... */
void info_bytes_to_human(char *buf, size_t len, unsigned long long n);

/* ---- samplers (info_metrics.c) ---- */

/* An instantaneous rate: the mean of the last INFO_RATE_SAMPLES per-second
 * rates, each measured between two samples of a monotonically growing
 * counter. */
#define INFO_RATE_SAMPLES 16
typedef struct InfoRate {
    long long samples[INFO_RATE_SAMPLES]; /* per-second rates, ring */
    int next;                             /* slot the next rate goes to */
    int primed;                           /* last_* hold a real sample */
    unsigned long long last_value;
    uint64_t last_us; /* monotonic time of last_value */
} InfoRate;

/* Records value seen at now_us; from the second call on, adds the rate since
 * the previous one. A counter that went down (reset) adds a rate of 0. */
void info_rate_add_sample(InfoRate *rate, unsigned long long value, uint64_t now_us);
/* Mean of the ring (0 until samples arrive). */
long long info_rate_get(const InfoRate *rate);
/* Empties the ring and forgets the last sample. */
void info_rate_reset(InfoRate *rate);

long long info_ops_per_sec(void);
long long info_input_bytes_per_sec(void);
long long info_output_bytes_per_sec(void);
/* Largest client input / output buffer seen in the last few seconds. */
void info_recent_max_buffers(size_t *input, size_t *output);
/* used_memory when the server became ready, less what clients held then:
 * taken at the first cron tick, or by the first INFO if that comes first. */
size_t info_startup_memory(void);

#endif
