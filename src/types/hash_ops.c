/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_ops.c: the hash type's hooks for the keyspace (types/types.h):
 * free, copy, measure and weigh a hash value in either encoding, and the
 * hash-max-listpack-* options.
 *
 * Threads: free_value may run on the lazy-free thread (the value is out of
 * every table by then); the rest run on the main thread.
 */
#include <limits.h>

#include "db/object.h"
#include "server/config.h"
#include "server/mem.h"
#include "types/hash_entry.h"
#include "types/hash_internal.h"
#include "types/types.h"

long long cfg_hash_max_listpack_entries;
long long cfg_hash_max_listpack_value;

static void hash_free_value(int encoding, void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) lp_free(ptr);
    else hash_dict_destroy(ptr);
}

static void *hash_dup_value(int encoding, const void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) return lp_dup(ptr);
    const HashDict *src = ptr;
    HashDict *d = hash_dict_create();
    ht_resize(d->fields, ht_size(src->fields));
    HtIter it;
    void *e;
    ht_iter_init(&it, src->fields, 0);
    while (ht_iter_next(&it, &e)) {
        void *copy = hash_entry_dup(e);
        ht_add(d->fields, copy);
        if (hash_entry_expire(copy) != HASH_NO_EXPIRE) {
            if (d->volatile_fields == NULL) d->volatile_fields = ht_create(&hash_volatile_type);
            ht_add(d->volatile_fields, copy);
        }
    }
    ht_iter_deinit(&it);
    d->next_expire = src->next_expire;
    return d;
}

static size_t hash_value_memory(int encoding, const void *ptr, long long samples) {
    if (encoding == OBJ_ENCODING_LISTPACK) return mem_size((void *)ptr);
    const HashDict *d = ptr;
    size_t total = mem_size((void *)d) + ht_memory_usage(d->fields);
    if (d->volatile_fields) total += ht_memory_usage(d->volatile_fields);
    size_t size = ht_size(d->fields), seen = 0, bytes = 0;
    if (size == 0) return total;
    HtIter it;
    void *e;
    ht_iter_init(&it, d->fields, 0);
    while ((samples == 0 || (long long)seen < samples) && ht_iter_next(&it, &e)) {
        bytes += hash_entry_memory(e);
        seen++;
    }
    ht_iter_deinit(&it);
    return total + (seen ? bytes * size / seen : 0);
}

static size_t hash_free_effort(int encoding, const void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) return 1;
    return ht_size(((const HashDict *)ptr)->fields);
}

const TypeOps hash_type_ops = {
    .free_value = hash_free_value,
    .dup_value = hash_dup_value,
    .value_memory = hash_value_memory,
    .free_effort = hash_free_effort,
};

void hash_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "hash-max-listpack-entries",
         .alias = "hash-max-ziplist-entries", .type = KEEL_CFG_NUMBER, .default_value = "128",
         .min = 0, .max = LONG_MAX, .storage = &cfg_hash_max_listpack_entries},
        {.size = sizeof(KeelConfigOption), .name = "hash-max-listpack-value",
         .alias = "hash-max-ziplist-value", .type = KEEL_CFG_MEMORY, .default_value = "64",
         .min = 0, .max = LONG_MAX, .storage = &cfg_hash_max_listpack_value},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}
