/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/info_memory.c: INFO memory, and the human-readable byte format
 * INFO uses ("1.02M").
 *
 * Every figure comes from server/mem.c (counted allocations, RSS, allocator
 * stats) or from summing client memory, computed when INFO runs. Fields
 * for subsystems keel does not have yet (Lua, replication buffers, AOF,
 * defrag) are left out rather than shown as zeros of a feature that does
 * not exist.
 *
 * Threads: main only.
 */
#include <stdio.h>
#include <unistd.h>

#include "db/evict.h"
#include "db/lazyfree.h"
#include "net/client.h"
#include "server/info.h"
#include "server/info_internal.h"
#include "server/mem.h"

void info_bytes_to_human(char *buf, size_t len, unsigned long long n) {
    static const char units[] = "KMGTP";
    if (n < 1024) {
        snprintf(buf, len, "%lluB", n);
        return;
    }
    double value = (double)n / 1024;
    int unit = 0;
    while (value >= 1024 && unit < (int)sizeof(units) - 2) {
        value /= 1024;
        unit++;
    }
    if (value >= 1024) {
        snprintf(buf, len, "%lluB", n); /* past petabytes: plain bytes, as Valkey */
        return;
    }
    snprintf(buf, len, "%.2f%c", value, units[unit]);
}

static double info_ratio(size_t numerator, size_t denominator) {
    return denominator ? (double)numerator / (double)denominator : 0;
}

static size_t system_memory_bytes(void) {
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_size = sysconf(_SC_PAGESIZE);
    return pages > 0 && page_size > 0 ? (size_t)pages * (size_t)page_size : 0;
}

/* Memory charged to normal and pub/sub clients (Valkey's mem_clients_normal
 * counts both). */
size_t info_clients_normal_bytes(void) {
    size_t total = 0;
    for (const Client *c = client_list_head(); c; c = c->next)
        if (client_type(c) != CLIENT_TYPE_REPLICA) total += client_memory(c);
    return total;
}

typedef struct MemFigures {
    size_t used, peak, rss, startup, overhead, dataset, clients_normal;
    MemAllocatorStats alloc;
} MemFigures;

static void mem_figures_collect(MemFigures *m) {
    mem_update_peak(); /* so used_memory_peak is never below used_memory */
    m->used = mem_used();
    m->peak = mem_peak();
    m->rss = mem_rss();
    m->startup = info_startup_memory();
    m->clients_normal = info_clients_normal_bytes();
    m->overhead = m->startup + m->clients_normal;
    m->dataset = m->used > m->overhead ? m->used - m->overhead : 0;
    mem_allocator_stats(&m->alloc);
    /* An allocator without stats (libc): Valkey fills the gaps from RSS and
     * used memory so the ratios still mean something; so does keel. */
    if (m->alloc.resident == 0) m->alloc.resident = m->rss;
    if (m->alloc.active == 0) m->alloc.active = m->alloc.resident;
    if (m->alloc.allocated == 0) m->alloc.allocated = m->used;
}

void info_memory_figures(InfoMemoryFigures *out) {
    MemFigures m;
    mem_figures_collect(&m);
    *out = (InfoMemoryFigures){.used = m.used, .peak = m.peak, .rss = m.rss,
                               .startup = m.startup, .clients_normal = m.clients_normal,
                               .allocator_allocated = m.alloc.allocated,
                               .allocator_active = m.alloc.active,
                               .allocator_resident = m.alloc.resident};
}

static sds append_human(sds out, const char *name, size_t bytes) {
    char human[64];
    info_bytes_to_human(human, sizeof(human), bytes);
    return sds_cat_printf(out, "%s:%s\r\n", name, human);
}

static sds append_ratio(sds out, const char *prefix, size_t numerator, size_t denominator) {
    return sds_cat_printf(out, "%s_ratio:%.2f\r\n%s_bytes:%lld\r\n", prefix,
                          info_ratio(numerator, denominator), prefix,
                          (long long)numerator - (long long)denominator);
}

sds info_section_memory(sds out) {
    MemFigures m;
    mem_figures_collect(&m);
    size_t net_usage = m.used > m.startup ? m.used - m.startup : 1;
    size_t system = system_memory_bytes();

    out = sds_cat_printf(out, "used_memory:%zu\r\n", m.used);
    out = append_human(out, "used_memory_human", m.used);
    out = sds_cat_printf(out, "used_memory_rss:%zu\r\n", m.rss);
    out = append_human(out, "used_memory_rss_human", m.rss);
    out = sds_cat_printf(out, "used_memory_peak:%zu\r\n", m.peak);
    out = append_human(out, "used_memory_peak_human", m.peak);
    out = sds_cat_printf(out,
                         "used_memory_peak_perc:%.2f%%\r\n"
                         "used_memory_overhead:%zu\r\n"
                         "used_memory_startup:%zu\r\n"
                         "used_memory_dataset:%zu\r\n"
                         "used_memory_dataset_perc:%.2f%%\r\n"
                         "allocator_allocated:%zu\r\n"
                         "allocator_active:%zu\r\n"
                         "allocator_resident:%zu\r\n"
                         "total_system_memory:%zu\r\n",
                         info_ratio(m.used, m.peak) * 100, m.overhead, m.startup, m.dataset,
                         info_ratio(m.dataset, net_usage) * 100, m.alloc.allocated, m.alloc.active,
                         m.alloc.resident, system);
    out = append_human(out, "total_system_memory_human", system);
    out = sds_cat_printf(out, "maxmemory:%lld\r\n", cfg_maxmemory);
    out = append_human(out, "maxmemory_human", (size_t)cfg_maxmemory);
    out = sds_cat_printf(out, "maxmemory_policy:%s\r\n", evict_policy_name());
    out = append_ratio(out, "allocator_frag", m.alloc.active, m.alloc.allocated);
    out = append_ratio(out, "allocator_rss", m.alloc.resident, m.alloc.active);
    out = append_ratio(out, "rss_overhead", m.rss, m.alloc.resident);
    out = append_ratio(out, "mem_fragmentation", m.rss, m.used);
    out = sds_cat_printf(out,
                         "mem_not_counted_for_evict:%zu\r\n"
                         "mem_clients_normal:%zu\r\n"
                         "mem_allocator:%s\r\n",
                         evict_mem_not_counted(), m.clients_normal, mem_allocator_name());
    /* The lazy free thread's backlog and work (db/lazyfree.h). */
    out = sds_cat_printf(out,
                         "lazyfree_pending_objects:%zu\r\n"
                         "lazyfreed_objects:%llu\r\n",
                         lazyfree_pending_objects(), lazyfree_freed_objects());
    return out;
}
