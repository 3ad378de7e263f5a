/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/memory_cmd.c: MEMORY USAGE|STATS|DOCTOR|MALLOC-STATS|PURGE|HELP.
 *
 * The server-wide figures come from server/info.h (the same numbers INFO
 * memory prints); the keyspace's own overhead is the hashtables' size
 * (ds/ht.h's ht_memory_usage). Fields for subsystems keel lacks (replication
 * backlog, AOF, Lua, cluster links) are zeros, as a Valkey standalone server
 * without them reports.
 *
 * Threads: main only.
 */
#include "db/keyspace.h"

#include <limits.h>
#include <stdio.h>

#include "db/db.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/info.h"

#ifdef KEEL_USE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

/* MEMORY USAGE key [SAMPLES count]: the bytes of the key's one allocation
 * (key, expire and value together) plus a value stored on its own. SAMPLES
 * bounds how many elements of a collection are measured (0: all); strings
 * need none, but the argument is checked as Valkey checks it. */
void cmd_memory_usage(Client *c) {
    long long samples = 5;
    for (int j = 3; j < c->argc; j++) {
        if (!ks_arg_is(c->argv[j], "samples") || j + 1 >= c->argc) {
            reply_error_syntax(c);
            return;
        }
        j++;
        if (strnum_to_ll(c->argv[j]->ptr, obj_string_len(c->argv[j]), &samples) != 0) {
            reply_error(c, KS_ERR_NOT_INTEGER);
            return;
        }
        if (samples < 0) {
            reply_error_syntax(c);
            return;
        }
    }
    Obj *o = db_lookup_read(client_db(c), c->argv[2], LOOKUP_NOTOUCH);
    if (o == NULL) {
        reply_null(c);
        return;
    }
    reply_ll(c, (long long)obj_memory_usage_sampled(o, samples));
}

static double ratio(size_t numerator, size_t denominator) {
    return denominator ? (double)numerator / (double)denominator : 0;
}

static void reply_field_ll(Client *c, const char *name, long long value) {
    reply_bulk_cstr(c, name);
    reply_ll(c, value);
}

static void reply_field_double(Client *c, const char *name, double value) {
    reply_bulk_cstr(c, name);
    reply_double(c, value);
}

/* The keyspace's share of MEMORY STATS: one "db.N" map per non-empty
 * database; returns the fields written and adds the tables' bytes to
 * *overhead and the keys to *keys. */
static long reply_db_overheads(Client *c, size_t *overhead, size_t *keys, long *rehashing) {
    long fields = 0;
    for (int i = 0; i < cfg_databases; i++) {
        Db *db = db_get(i);
        if (db_size(db) == 0) continue;
        size_t main_bytes = ht_memory_usage(db->keys);
        size_t expires_bytes = ht_memory_usage(db->expires);
        char name[32];
        snprintf(name, sizeof(name), "db.%d", i);
        reply_bulk_cstr(c, name);
        reply_map_len(c, 2);
        reply_field_ll(c, "overhead.hashtable.main", (long long)main_bytes);
        reply_field_ll(c, "overhead.hashtable.expires", (long long)expires_bytes);
        *overhead += main_bytes + expires_bytes;
        *keys += db_size(db);
        *rehashing += ht_is_rehashing(db->keys) + ht_is_rehashing(db->expires);
        fields++;
    }
    return fields;
}

/* MEMORY STATS: a map of figures, in Valkey 8's order. */
void cmd_memory_stats(Client *c) {
    InfoMemoryFigures m;
    info_memory_figures(&m);
    void *len_handle = reply_defer_len(c);
    long fields = 0;
    reply_field_ll(c, "peak.allocated", (long long)m.peak);
    reply_field_ll(c, "total.allocated", (long long)m.used);
    reply_field_ll(c, "startup.allocated", (long long)m.startup);
    reply_field_ll(c, "replication.backlog", 0);
    reply_field_ll(c, "clients.slaves", 0);
    reply_field_ll(c, "clients.normal", (long long)m.clients_normal);
    reply_field_ll(c, "cluster.links", 0);
    reply_field_ll(c, "aof.buffer", 0);
    reply_field_ll(c, "lua.caches", 0);
    reply_field_ll(c, "functions.caches", 0);
    fields += 10;
    size_t tables = 0, keys = 0;
    long rehashing = 0;
    fields += reply_db_overheads(c, &tables, &keys, &rehashing);
    size_t overhead = m.startup + m.clients_normal + tables;
    size_t net_usage = m.used > m.startup ? m.used - m.startup : 1;
    size_t dataset = m.used > overhead ? m.used - overhead : 0;
    reply_field_ll(c, "overhead.db.hashtable.lut", (long long)tables);
    reply_field_ll(c, "overhead.db.hashtable.rehashing", 0);
    reply_field_ll(c, "overhead.total", (long long)overhead);
    reply_field_ll(c, "db.dict.rehashing.count", rehashing);
    reply_field_ll(c, "keys.count", (long long)keys);
    reply_field_ll(c, "keys.bytes-per-key", keys ? (long long)(net_usage / keys) : 0);
    reply_field_ll(c, "dataset.bytes", (long long)dataset);
    reply_field_double(c, "dataset.percentage", ratio(dataset, net_usage) * 100);
    reply_field_double(c, "peak.percentage", ratio(m.used, m.peak) * 100);
    reply_field_ll(c, "allocator.allocated", (long long)m.allocator_allocated);
    reply_field_ll(c, "allocator.active", (long long)m.allocator_active);
    reply_field_ll(c, "allocator.resident", (long long)m.allocator_resident);
    reply_field_ll(c, "allocator.muzzy", 0);
    reply_field_double(c, "allocator-fragmentation.ratio",
                       ratio(m.allocator_active, m.allocator_allocated));
    reply_field_ll(c, "allocator-fragmentation.bytes",
                   (long long)m.allocator_active - (long long)m.allocator_allocated);
    reply_field_double(c, "allocator-rss.ratio", ratio(m.allocator_resident, m.allocator_active));
    reply_field_ll(c, "allocator-rss.bytes",
                   (long long)m.allocator_resident - (long long)m.allocator_active);
    reply_field_double(c, "rss-overhead.ratio", ratio(m.rss, m.allocator_resident));
    reply_field_ll(c, "rss-overhead.bytes", (long long)m.rss - (long long)m.allocator_resident);
    reply_field_double(c, "fragmentation", ratio(m.rss, m.used));
    reply_field_ll(c, "fragmentation.bytes", (long long)m.rss - (long long)m.used);
    fields += 21;
    reply_set_defer_map_len(c, len_handle, fields);
}

/* MEMORY DOCTOR: Valkey's verdicts for an instance too small to judge and
 * for one with no problem; the checks themselves are Valkey's thresholds
 * (peak over 150% of now, RSS over 1.4 times the allocations and 10 MB,
 * clients holding over 200 KB each), worded in keel's own sentences. */
void cmd_memory_doctor(Client *c) {
    InfoMemoryFigures m;
    info_memory_figures(&m);
    sds report;
    if (m.used < 5 * 1024 * 1024) {
        report = sds_new(
            "Hi Sam, this instance is empty or is using very little memory, my issues detector "
            "can't be used in these conditions. Please, leave for your mission on Earth and fill "
            "it with some data. The new Sam and I will be back to our programming as soon as I "
            "finished rebooting.\n");
        reply_verbatim(c, report, sds_len(report), "txt");
        sds_free(report);
        return;
    }
    unsigned long clients = 0;
    for (const Client *each = client_list_head(); each; each = each->next) clients++;
    bool big_peak = ratio(m.peak, m.used) > 1.5;
    bool fragmented = ratio(m.rss, m.used) > 1.4 && m.rss - m.used > (10u << 20);
    bool big_clients = clients && m.clients_normal / clients > 200 * 1024;
    if (!big_peak && !fragmented && !big_clients) {
        report = sds_new("Hi Sam, I can't find any memory issue in your instance. I can only "
                         "account for what occurs on this base.\n");
    } else {
        report = sds_new("Sam, I detected a few issues in this instance memory implants:\n\n");
        if (big_peak)
            report = sds_cat(report, " * Peak memory: the instance once used more than 150% of "
                                     "the memory it uses now. The allocator keeps some of it, "
                                     "which shows as fragmentation; MEMORY PURGE may return "
                                     "part of it to the system.\n\n");
        if (fragmented)
            report = sds_cat(report, " * High fragmentation: the resident set is more than 1.4 "
                                     "times the memory allocated. MEMORY PURGE or a restart "
                                     "returns it.\n\n");
        if (big_clients)
            report = sds_cat(report, " * Big client buffers: clients hold more than 200 KB each "
                                     "on average in query and reply buffers. Check CLIENT LIST "
                                     "for clients that read their replies slowly.\n\n");
        report = sds_cat(report, "I'm here to keep you safe, Sam. I want to help you.\n");
    }
    reply_verbatim(c, report, sds_len(report), "txt");
    sds_free(report);
}

#ifdef KEEL_USE_JEMALLOC
static void append_stats(void *ctx, const char *text) {
    sds *out = ctx;
    *out = sds_cat(*out, text);
}
#endif

/* MEMORY MALLOC-STATS: the allocator's own report. */
void cmd_memory_malloc_stats(Client *c) {
#ifdef KEEL_USE_JEMALLOC
    sds report = sds_empty();
    malloc_stats_print(append_stats, &report, NULL);
    reply_verbatim(c, report, sds_len(report), "txt");
    sds_free(report);
#else
    static const char text[] = "Stats not supported for the current allocator";
    reply_verbatim(c, text, sizeof(text) - 1, "txt");
#endif
}

/* MEMORY PURGE: asks jemalloc to return dirty pages of every arena (4096 is
 * jemalloc's MALLCTL_ARENAS_ALL); a no-op with libc. */
void cmd_memory_purge(Client *c) {
#ifdef KEEL_USE_JEMALLOC
    mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
#endif
    reply_ok(c);
}

/* MEMORY HELP */
void cmd_memory_help(Client *c) {
    static const char *const lines[] = {
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        NULL,
    };
    reply_help(c, lines);
}
