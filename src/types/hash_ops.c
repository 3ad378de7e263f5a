/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_ops.c: placeholder hash hooks (types/types.h) until the hash
 * type lands; nothing creates a hash value yet, so none of these runs.
 */
#include <stdlib.h>

#include "types/types.h"

static void hash_free_value(int encoding, void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static void *hash_dup_value(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static size_t hash_value_memory(int encoding, const void *ptr, long long samples) {
    (void)encoding;
    (void)ptr;
    (void)samples;
    abort();
}

static size_t hash_free_effort(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

const TypeOps hash_type_ops = {
    .free_value = hash_free_value,
    .dup_value = hash_dup_value,
    .value_memory = hash_value_memory,
    .free_effort = hash_free_effort,
};

void hash_register_config(void) {
}
