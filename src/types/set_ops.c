/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_ops.c: placeholder set hooks (types/types.h) until the set
 * type lands; nothing creates a set value yet, so none of these runs.
 */
#include <stdlib.h>

#include "types/types.h"

static void set_free_value(int encoding, void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static void *set_dup_value(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static size_t set_value_memory(int encoding, const void *ptr, long long samples) {
    (void)encoding;
    (void)ptr;
    (void)samples;
    abort();
}

static size_t set_free_effort(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

const TypeOps set_type_ops = {
    .free_value = set_free_value,
    .dup_value = set_dup_value,
    .value_memory = set_value_memory,
    .free_effort = set_free_effort,
};

void set_register_config(void) {
}
