/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_ops.c: the sorted set hooks the core calls without knowing the
 * structure (types/types.h): free, copy, measure, weigh for lazy free; and
 * the zset options.
 *
 * Threads: zset_free_value may run on the lazy-free thread (the value is in
 * no table by then and only the allocator is touched); the rest run on the
 * main thread.
 */
#include <limits.h>

#include "server/config.h"
#include "server/mem.h"
#include "types/types.h"
#include "types/zset_internal.h"

long long cfg_zset_max_listpack_entries = 128;
long long cfg_zset_max_listpack_value = 64;

static void zset_free_value(int encoding, void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK)
        lp_free(ptr);
    else
        zset_skiplist_destroy(ptr);
}

static void *zset_dup_value(int encoding, const void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) return lp_dup(ptr);
    const Zset *src = ptr;
    Zset *copy = zset_skiplist_create();
    ht_resize(copy->members, src->zsl.length);
    for (const ZslNode *x = src->zsl.header->level[0].forward; x; x = x->level[0].forward) {
        size_t len;
        const char *m = zsl_node_member(x, &len);
        zsk_insert(copy, x->score, m, len);
    }
    return copy;
}

static size_t zset_value_memory(int encoding, const void *ptr, long long samples) {
    if (encoding == OBJ_ENCODING_LISTPACK) return mem_size((void *)(uintptr_t)ptr);
    const Zset *zs = ptr;
    size_t total = mem_size((void *)(uintptr_t)zs) + ht_memory_usage(zs->members) +
                   zsl_node_size(zs->zsl.header);
    size_t seen = 0, bytes = 0;
    for (const ZslNode *x = zs->zsl.header->level[0].forward;
         x && (samples <= 0 || seen < (size_t)samples); x = x->level[0].forward) {
        bytes += zsl_node_size(x);
        seen++;
    }
    if (seen) total += (size_t)((double)bytes / (double)seen * (double)zs->zsl.length);
    return total;
}

static size_t zset_free_effort(int encoding, const void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) return 1;
    return ((const Zset *)ptr)->zsl.length;
}

const TypeOps zset_type_ops = {
    .free_value = zset_free_value,
    .dup_value = zset_dup_value,
    .value_memory = zset_value_memory,
    .free_effort = zset_free_effort,
};

void zset_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption),
         .name = "zset-max-listpack-entries",
         .alias = "zset-max-ziplist-entries",
         .type = KEEL_CFG_NUMBER,
         .default_value = "128",
         .min = 0,
         .max = LLONG_MAX,
         .storage = &cfg_zset_max_listpack_entries},
        {.size = sizeof(KeelConfigOption),
         .name = "zset-max-listpack-value",
         .alias = "zset-max-ziplist-value",
         .type = KEEL_CFG_NUMBER,
         .default_value = "64",
         .min = 0,
         .max = LLONG_MAX,
         .storage = &cfg_zset_max_listpack_value},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}
