/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_ops.c: how the core frees, copies and measures a set value
 * (types/types.h), and the set options.
 *
 * Threads: free_value may run on the lazy-free thread (it only calls the
 * allocator); the rest run on the main thread.
 */
#include <limits.h>
#include <string.h>

#include "ds/intset.h"
#include "ds/listpack.h"
#include "server/config.h"
#include "server/mem.h"
#include "types/set_internal.h"
#include "types/types.h"

long long cfg_set_max_intset_entries = 512;
long long cfg_set_max_listpack_entries = 128;
long long cfg_set_max_listpack_value = 64;

static void set_free_value(int encoding, void *ptr) {
    switch (encoding) {
    case OBJ_ENCODING_INTSET: intset_free(ptr); break;
    case OBJ_ENCODING_LISTPACK: lp_free(ptr); break;
    default: ht_destroy(ptr); break;
    }
}

static void *set_dup_value(int encoding, const void *ptr) {
    switch (encoding) {
    case OBJ_ENCODING_INTSET: return intset_dup(ptr);
    case OBJ_ENCODING_LISTPACK: return lp_dup(ptr);
    default: break;
    }
    Ht *src = (Ht *)ptr; /* iteration does not change the entries */
    Ht *copy = ht_create(&set_ht_type);
    ht_resize(copy, ht_size(src));
    HtIter it;
    void *entry;
    ht_iter_init(&it, src, HT_ITER_SAFE);
    while (ht_iter_next(&it, &entry)) {
        size_t size = set_member_size(entry);
        void *member = mem_alloc(size);
        memcpy(member, entry, size);
        ht_add(copy, member);
    }
    ht_iter_deinit(&it);
    return copy;
}

static size_t set_value_memory(int encoding, const void *ptr, long long samples) {
    switch (encoding) {
    case OBJ_ENCODING_INTSET: return mem_size((void *)ptr);
    case OBJ_ENCODING_LISTPACK: return mem_size((void *)ptr);
    default: break;
    }
    Ht *ht = (Ht *)ptr;
    size_t total = ht_memory_usage(ht), size = ht_size(ht);
    if (size == 0) return total;
    size_t seen = 0, member_total = 0;
    HtIter it;
    void *entry;
    ht_iter_init(&it, ht, HT_ITER_SAFE);
    while ((samples == 0 || seen < (size_t)samples) && ht_iter_next(&it, &entry)) {
        member_total += mem_size(entry);
        seen++;
    }
    ht_iter_deinit(&it);
    if (seen == 0) return total;
    return total + (size_t)((double)member_total / (double)seen * (double)size);
}

static size_t set_free_effort(int encoding, const void *ptr) {
    if (encoding == OBJ_ENCODING_HT) return ht_size(ptr);
    return 1; /* one allocation */
}

const TypeOps set_type_ops = {
    .free_value = set_free_value,
    .dup_value = set_dup_value,
    .value_memory = set_value_memory,
    .free_effort = set_free_effort,
};

void set_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "set-max-intset-entries",
         .type = KEEL_CFG_NUMBER, .default_value = "512", .min = 0, .max = LLONG_MAX,
         .storage = &cfg_set_max_intset_entries},
        {.size = sizeof(KeelConfigOption), .name = "set-max-listpack-entries",
         .alias = "set-max-ziplist-entries", .type = KEEL_CFG_NUMBER, .default_value = "128",
         .min = 0, .max = LLONG_MAX, .storage = &cfg_set_max_listpack_entries},
        {.size = sizeof(KeelConfigOption), .name = "set-max-listpack-value",
         .alias = "set-max-ziplist-value", .type = KEEL_CFG_NUMBER, .default_value = "64",
         .min = 0, .max = LLONG_MAX, .storage = &cfg_set_max_listpack_value},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}
