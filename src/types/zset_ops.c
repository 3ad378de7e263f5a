/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_ops.c: placeholder zset hooks (types/types.h) until the zset
 * type lands; nothing creates a zset value yet, so none of these runs.
 */
#include <stdlib.h>

#include "types/types.h"

static void zset_free_value(int encoding, void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static void *zset_dup_value(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static size_t zset_value_memory(int encoding, const void *ptr, long long samples) {
    (void)encoding;
    (void)ptr;
    (void)samples;
    abort();
}

static size_t zset_free_effort(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

const TypeOps zset_type_ops = {
    .free_value = zset_free_value,
    .dup_value = zset_dup_value,
    .value_memory = zset_value_memory,
    .free_effort = zset_free_effort,
};

void zset_register_config(void) {
}
