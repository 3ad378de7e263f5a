/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/info_sections.c: the INFO section builders other than memory:
 * server, clients, stats, replication, cpu, modules, commandstats,
 * errorstats, cluster and keyspace.
 *
 * Field names and order are Valkey 8's, limited to what keel has. A field
 * is printed only when its value is a fact about this server: zeros for
 * features keel lacks appear where Valkey's own standalone server reports
 * the same zero (tracking_clients, cluster_connections...) and the subsystem
 * that would change them does not exist yet; counters owned by missing
 * subsystems (replication traffic) are left out.
 *
 * Threads: main only (RUSAGE_THREAD reads the calling thread, which must
 * be the main thread for used_cpu_*_main_thread to mean that).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd/command.h"
#include "db/blocking.h"
#include "db/db.h"
#include "db/evict.h"
#include "keel/module.h"
#include "net/client.h"
#include "net/conn.h"
#include "net/io_threads.h"
#include "net/net_stats.h"
#include "net/reply.h"
#include "persist/persist.h"
#include "server/config.h"
#include "server/ev.h"
#include "server/info_internal.h"
#include "server/module.h"
#include "server/multi.h"
#include "server/server.h"
#include "server/tracking.h"
#include "server/version.h"

#define INFO_STRINGIFY2(x) #x
#define INFO_STRINGIFY(x) INFO_STRINGIFY2(x)
#ifdef __GNUC__
#define INFO_GCC_VERSION                                                                          \
    INFO_STRINGIFY(__GNUC__) "." INFO_STRINGIFY(__GNUC_MINOR__) "." INFO_STRINGIFY(__GNUC_PATCHLEVEL__)
#else
#define INFO_GCC_VERSION "0.0.0"
#endif

#define INFO_LRU_CLOCK_MAX ((1u << 24) - 1) /* the 24-bit LRU clock, one tick per second */

/* ---- server ---- */

/* A build id: a 64-bit FNV-1a hash of what identifies this build (version,
 * compiler, allocator), stable across rebuilds of the same sources so
 * builds stay reproducible. */
static unsigned long long build_id(void) {
    static const char text[] = KEEL_VERSION "|" INFO_GCC_VERSION "|"
#ifdef KEEL_USE_JEMALLOC
                               "jemalloc"
#else
                               "libc"
#endif
        ;
    unsigned long long hash = 14695981039346656037ull;
    for (size_t i = 0; i < sizeof(text) - 1; i++) {
        hash ^= (unsigned char)text[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

static const char *os_description(void) {
    static char text[256];
    if (text[0] == '\0') { /* uname never changes while we run: cache it */
        struct utsname name;
        if (uname(&name) == 0)
            snprintf(text, sizeof(text), "%s %s %s", name.sysname, name.release, name.machine);
        else
            snprintf(text, sizeof(text), "unknown");
    }
    return text;
}

sds info_section_server(sds out) {
    long long now_us = ev_wall_us();
    long long uptime = now_us / 1000000 - server_info.start_wall_ms / 1000;
    const char *config_file = config_file_path();
    out = sds_cat_printf(out,
                         "redis_version:%s\r\n"
                         "server_name:keel\r\n"
                         "keel_version:%s\r\n"
                         "redis_git_sha1:00000000\r\n"
                         "redis_git_dirty:0\r\n"
                         "redis_build_id:%llx\r\n"
                         "redis_mode:standalone\r\n"
                         "os:%s\r\n"
                         "arch_bits:%d\r\n"
                         "monotonic_clock:POSIX clock_gettime\r\n"
                         "multiplexing_api:epoll\r\n"
                         "atomicvar_api:c11-builtin\r\n"
                         "gcc_version:%s\r\n"
                         "process_id:%lld\r\n"
                         "process_supervised:no\r\n"
                         "run_id:%s\r\n"
                         "tcp_port:%d\r\n",
                         KEEL_REDIS_COMPAT_VERSION, KEEL_VERSION, build_id(), os_description(),
                         (int)(sizeof(long) * 8), INFO_GCC_VERSION, (long long)getpid(),
                         server_info.run_id, listener_tcp_port());
    out = sds_cat_printf(out,
                         "server_time_usec:%lld\r\n"
                         "uptime_in_seconds:%lld\r\n"
                         "uptime_in_days:%lld\r\n"
                         "hz:%d\r\n"
                         "configured_hz:%lld\r\n"
                         "lru_clock:%u\r\n"
                         "executable:%s\r\n"
                         "config_file:%s\r\n"
                         "io_threads_active:%d\r\n",
                         now_us, uptime, uptime / (3600 * 24), server_info.effective_hz, cfg_hz,
                         (unsigned)(now_us / 1000000) & INFO_LRU_CLOCK_MAX, server_info.executable,
                         config_file ? config_file : "", io_threads_active_flag());
    return listener_info(out);
}

/* ---- clients ---- */

sds info_section_clients(sds out) {
    size_t max_input, max_output;
    info_recent_max_buffers(&max_input, &max_output);
    unsigned long pubsub_clients = 0;
    for (const Client *c = client_list_head(); c; c = c->next)
        if (c->flags & CLIENT_PUBSUB) pubsub_clients++;
    /* One line each, in Valkey 8's order. */
    return sds_cat_printf(out,
                          "connected_clients:%lu\r\n"
                          "cluster_connections:0\r\n"
                          "maxclients:%lld\r\n"
                          "client_recent_max_input_buffer:%zu\r\n"
                          "client_recent_max_output_buffer:%zu\r\n"
                          "blocked_clients:%lu\r\n"
                          "tracking_clients:%lu\r\n"
                          "pubsub_clients:%lu\r\n"
                          "watching_clients:%zu\r\n"
                          "clients_in_timeout_table:%lu\r\n"
                          "total_watched_keys:%zu\r\n"
                          "total_blocking_keys:%lu\r\n"
                          "total_blocking_keys_on_nokey:0\r\n",
                          client_count(), cfg_maxclients, max_input, max_output,
                          blocking_blocked_clients(), tracking_client_count(), pubsub_clients,
                          multi_watching_clients(), blocking_clients_with_timeout(),
                          multi_watched_keys_total(), blocking_total_keys());
}

/* ---- stats ---- */

/* The keyspace counters of INFO stats, in Valkey 8's order (where Valkey
 * puts them after the replica sync counters keel lacks). evicted_clients
 * counts maxmemory-clients evictions (net/client_evict.c). */
static sds info_keyspace_stats(sds out) {
    return sds_cat_printf(out,
                          "expired_keys:%llu\r\n"
                          "expired_stale_perc:%.2f\r\n"
                          "expired_time_cap_reached_count:%llu\r\n"
                          "expire_cycle_cpu_milliseconds:%llu\r\n"
                          "evicted_keys:%llu\r\n"
                          "evicted_clients:%llu\r\n"
                          "evicted_scripts:%llu\r\n"
                          "total_eviction_exceeded_time:%llu\r\n"
                          "current_eviction_exceeded_time:%llu\r\n"
                          "keyspace_hits:%llu\r\n"
                          "keyspace_misses:%llu\r\n",
                          db_stats.expired_keys, (double)db_stats.expired_stale_perc_x100 / 100,
                          db_stats.expired_time_cap_reached_count,
                          db_stats.expire_cycle_time_used_us / 1000, db_stats.evicted_keys,
                          net_stats.evicted_clients, db_stats.evicted_scripts,
                          evict_exceeded_time_ms(), evict_current_exceeded_time_ms(),
                          db_stats.keyspace_hits, db_stats.keyspace_misses);
}

sds info_section_persistence(sds out) {
    return persist_info_section(out);
}

sds info_section_stats(sds out) {
    out = sds_cat_printf(out,
                          "total_connections_received:%llu\r\n"
                          "total_commands_processed:%llu\r\n"
                          "instantaneous_ops_per_sec:%lld\r\n"
                          "total_net_input_bytes:%llu\r\n"
                          "total_net_output_bytes:%llu\r\n"
                          "instantaneous_input_kbps:%.2f\r\n"
                          "instantaneous_output_kbps:%.2f\r\n"
                          "rejected_connections:%llu\r\n",
                          net_stats.connections_received, cmd_total_processed(), info_ops_per_sec(),
                          net_stats.input_bytes, net_stats.output_bytes,
                          (double)info_input_bytes_per_sec() / 1024,
                          (double)info_output_bytes_per_sec() / 1024,
                          net_stats.rejected_connections);
    out = info_keyspace_stats(out);
    out = tracking_info(out);
    out = sds_cat_printf(out,
                          "total_error_replies:%llu\r\n"
                          "total_reads_processed:%llu\r\n"
                          "total_writes_processed:%llu\r\n"
                          "client_query_buffer_limit_disconnections:%llu\r\n"
                          "client_output_buffer_limit_disconnections:%llu\r\n",
                          reply_total_errors(),
                          net_stats.reads_processed, net_stats.writes_processed,
                          net_stats.qbuf_limit_disconnections, net_stats.outbuf_limit_disconnections);
    return io_info_stats(out); /* IO threads: counters, active threads, pending jobs */
}

/* ---- replication ---- */

/* The replication ID a standalone primary starts with: 40 random hex
 * characters, made once per process. The replication room takes it over
 * when it lands. */
static const char *replication_id(void) {
    static char id[41];
    if (id[0] != '\0') return id;
    unsigned char bytes[20];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd == -1 ? -1 : read(fd, bytes, sizeof(bytes));
    if (fd != -1) close(fd);
    if (got != (ssize_t)sizeof(bytes)) {
        /* No urandom: mix the clocks and pid, which is unique enough for
         * an id no replica will ever ask for. */
        uint64_t seed = (uint64_t)ev_wall_us() ^ ev_monotonic_us() ^ ((uint64_t)getpid() << 32);
        for (size_t i = 0; i < sizeof(bytes); i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            bytes[i] = (unsigned char)(seed >> 56);
        }
    }
    for (size_t i = 0; i < sizeof(bytes); i++) snprintf(id + i * 2, 3, "%02x", bytes[i]);
    return id;
}

/* A standalone primary with no replicas and no backlog. repl_backlog_size
 * is left out: it echoes the repl-backlog-size option, which keel lacks. */
sds info_section_replication(sds out) {
    return sds_cat_printf(out,
                          "role:master\r\n"
                          "connected_slaves:0\r\n"
                          "master_failover_state:no-failover\r\n"
                          "master_replid:%s\r\n"
                          "master_replid2:0000000000000000000000000000000000000000\r\n"
                          "master_repl_offset:0\r\n"
                          "second_repl_offset:-1\r\n"
                          "repl_backlog_active:0\r\n"
                          "repl_backlog_first_byte_offset:0\r\n"
                          "repl_backlog_histlen:0\r\n",
                          replication_id());
}

/* ---- cpu ---- */

static sds append_cpu(sds out, const char *name, struct timeval tv) {
    return sds_cat_printf(out, "%s:%ld.%06ld\r\n", name, (long)tv.tv_sec, (long)tv.tv_usec);
}

sds info_section_cpu(sds out) {
    struct rusage self, children, thread;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    getrusage(RUSAGE_THREAD, &thread);
    out = append_cpu(out, "used_cpu_sys", self.ru_stime);
    out = append_cpu(out, "used_cpu_user", self.ru_utime);
    out = append_cpu(out, "used_cpu_sys_children", children.ru_stime);
    out = append_cpu(out, "used_cpu_user_children", children.ru_utime);
    out = append_cpu(out, "used_cpu_sys_main_thread", thread.ru_stime);
    return append_cpu(out, "used_cpu_user_main_thread", thread.ru_utime);
}

/* ---- modules, command and error statistics ---- */

/* keel modules are transports and IO engines: they filter no commands,
 * depend on no other module and set none of Valkey's module options. */
sds info_section_modules(sds out) {
    for (const Module *m = module_list_head(); m; m = m->next)
        out = sds_cat_printf(out,
                             "module:name=%s,ver=%d,api=%d,filters=0,usedby=[],using=[],"
                             "options=[]\r\n",
                             m->name, m->version, KEEL_ABI_VERSION);
    return out;
}

sds info_section_commandstats(sds out) {
    return cmd_stats_info(out);
}

sds info_section_errorstats(sds out) {
    return reply_errorstats_info(out);
}

/* ---- cluster and keyspace ---- */

sds info_section_cluster(sds out) {
    return sds_cat(out, "cluster_enabled:0\r\n");
}

/* One "dbN:keys=...,expires=...,avg_ttl=..." line per non-empty database
 * (Valkey 8's form); an empty server prints the header alone. avg_ttl is
 * the active expire cycle's estimate, in ms. */
sds info_section_keyspace(sds out) {
    for (int i = 0; i < cfg_databases; i++) {
        const Db *db = db_get(i);
        if (db_size(db) == 0) continue;
        out = sds_cat_printf(out, "db%d:keys=%zu,expires=%zu,avg_ttl=%lld\r\n", i, db_size(db),
                             db_expires_size(db), db->avg_ttl);
    }
    return out;
}
