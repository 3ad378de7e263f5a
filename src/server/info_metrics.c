/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/info_metrics.c: the sampled figures of INFO: instantaneous ops/sec
 * and network rates, the recent client buffer peaks, and the memory in use
 * when the server became ready.
 *
 * Rates work as in Valkey: every 100 ms the cron records a counter; the
 * rate between two records goes into a ring of 16, and INFO shows the
 * ring's mean, so a figure covers the last ~1.6 s. Client buffer peaks are
 * kept per second in a ring of 8 one-second slots: INFO shows the largest
 * buffer seen in the last 8 seconds, not only what is allocated right now.
 *
 * Threads: main only.
 */
#include "server/info.h"

#include <string.h>

#include "cmd/command.h"
#include "net/client.h"
#include "net/net_stats.h"
#include "server/ev.h"
#include "server/info_internal.h"
#include "server/mem.h"

/* 100 ms as in Valkey, less a margin so a cron tick that fires a little
 * early (timer rounding) still samples instead of waiting a whole tick. */
#define INFO_SAMPLE_PERIOD_US 95000
#define INFO_PEAK_SLOTS 8

static InfoRate rate_commands;
static InfoRate rate_net_input;
static InfoRate rate_net_output;
static uint64_t last_sample_us;

/* Largest buffers seen during second peak_second[i], slot i = second % 8. */
static size_t peak_input[INFO_PEAK_SLOTS];
static size_t peak_output[INFO_PEAK_SLOTS];
static long long peak_second[INFO_PEAK_SLOTS];

static size_t startup_bytes;
static int startup_recorded;

/* ---- rates ---- */

void info_rate_add_sample(InfoRate *rate, unsigned long long value, uint64_t now_us) {
    if (rate->primed && now_us > rate->last_us) {
        long long per_second = 0;
        if (value >= rate->last_value) {
            unsigned long long delta = value - rate->last_value;
            per_second = (long long)(delta * 1000000ull / (now_us - rate->last_us));
        }
        rate->samples[rate->next] = per_second;
        rate->next = (rate->next + 1) % INFO_RATE_SAMPLES;
    }
    rate->last_value = value;
    rate->last_us = now_us;
    rate->primed = 1;
}

long long info_rate_get(const InfoRate *rate) {
    long long sum = 0;
    for (int i = 0; i < INFO_RATE_SAMPLES; i++) sum += rate->samples[i];
    return sum / INFO_RATE_SAMPLES;
}

void info_rate_reset(InfoRate *rate) {
    memset(rate, 0, sizeof(*rate));
}

long long info_ops_per_sec(void) {
    return info_rate_get(&rate_commands);
}

long long info_input_bytes_per_sec(void) {
    return info_rate_get(&rate_net_input);
}

long long info_output_bytes_per_sec(void) {
    return info_rate_get(&rate_net_output);
}

/* ---- client buffer peaks ---- */

/* Input: the query buffer's allocation plus the parsed arguments; output:
 * the reply list (the fixed buffer is always there, so Valkey leaves it
 * out). */
static size_t client_input_bytes(const Client *c) {
    /* An IO thread owns the query buffer during a READ job. */
    if (atomic_load_explicit(&((Client *)c)->io_read_state, memory_order_relaxed) != CLIENT_IO_IDLE)
        return 0;
    size_t total = sds_alloc_size(c->querybuf);
    for (int i = 0; i < c->parser.argc; i++) total += obj_string_len(c->parser.argv[i]);
    return total + sizeof(Obj *) * (size_t)c->parser.argv_cap;
}

static void peaks_sample(uint64_t now_us) {
    long long second = (long long)(now_us / 1000000);
    int slot = (int)(second % INFO_PEAK_SLOTS);
    if (peak_second[slot] != second) {
        peak_second[slot] = second;
        peak_input[slot] = peak_output[slot] = 0;
    }
    for (const Client *c = client_list_head(); c; c = c->next) {
        size_t input = client_input_bytes(c);
        if (input > peak_input[slot]) peak_input[slot] = input;
        if (c->reply_bytes > peak_output[slot]) peak_output[slot] = c->reply_bytes;
    }
}

void info_recent_max_buffers(size_t *input, size_t *output) {
    long long now_second = (long long)(ev_monotonic_us() / 1000000);
    *input = *output = 0;
    for (int i = 0; i < INFO_PEAK_SLOTS; i++) {
        if (now_second - peak_second[i] >= INFO_PEAK_SLOTS) continue; /* stale slot */
        if (peak_input[i] > *input) *input = peak_input[i];
        if (peak_output[i] > *output) *output = peak_output[i];
    }
}

/* ---- startup memory and the cron hook ---- */

size_t info_startup_memory(void) {
    if (!startup_recorded) {
        size_t used = mem_used(), clients = info_clients_normal_bytes();
        startup_bytes = used > clients ? used - clients : 0;
        startup_recorded = 1;
    }
    return startup_bytes;
}

void info_cron(void) {
    info_startup_memory(); /* the first tick runs right after startup */
    uint64_t now = ev_monotonic_us();
    if (last_sample_us != 0 && now - last_sample_us < INFO_SAMPLE_PERIOD_US) return;
    last_sample_us = now;
    info_rate_add_sample(&rate_commands, cmd_total_processed(), now);
    info_rate_add_sample(&rate_net_input, net_stats.input_bytes, now);
    info_rate_add_sample(&rate_net_output, net_stats.output_bytes, now);
    peaks_sample(now);
}

void info_stats_reset(void) {
    info_rate_reset(&rate_commands);
    info_rate_reset(&rate_net_input);
    info_rate_reset(&rate_net_output);
}
