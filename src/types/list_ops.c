/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list_ops.c: the list type's hooks for the keyspace (types/types.h):
 * free, copy, measure and weigh a list value in either encoding, and the
 * list-max-listpack-size / list-compress-depth options.
 *
 * Threads: free_value may run on the lazy-free thread (the value is out of
 * every table by then); the rest run on the main thread.
 */
#include <limits.h>

#include "db/object.h"
#include "ds/listpack.h"
#include "ds/quicklist.h"
#include "server/config.h"
#include "server/mem.h"
#include "types/list_internal.h"
#include "types/types.h"

long long cfg_list_max_listpack_size;
long long cfg_list_compress_depth;

static void list_free_value(int encoding, void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) lp_free(ptr);
    else ql_destroy(ptr);
}

static void *list_dup_value(int encoding, const void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) return lp_dup(ptr);
    return ql_dup(ptr);
}

static size_t list_value_memory(int encoding, const void *ptr, long long samples) {
    if (encoding == OBJ_ENCODING_LISTPACK) return mem_size((void *)ptr);
    return ql_memory(ptr, samples);
}

static size_t list_free_effort(int encoding, const void *ptr) {
    if (encoding == OBJ_ENCODING_LISTPACK) return 1;
    return ((const Quicklist *)ptr)->len;
}

const TypeOps list_type_ops = {
    .free_value = list_free_value,
    .dup_value = list_dup_value,
    .value_memory = list_value_memory,
    .free_effort = list_free_effort,
};

void list_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "list-max-listpack-size",
         .alias = "list-max-ziplist-size", .type = KEEL_CFG_NUMBER, .default_value = "-2",
         .min = INT_MIN, .max = INT_MAX, .storage = &cfg_list_max_listpack_size},
        {.size = sizeof(KeelConfigOption), .name = "list-compress-depth",
         .type = KEEL_CFG_NUMBER, .default_value = "0", .min = 0, .max = INT_MAX,
         .storage = &cfg_list_compress_depth},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}
