/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/list_ops.c: placeholder list hooks (types/types.h) until the list
 * type lands; nothing creates a list value yet, so none of these runs.
 */
#include <stdlib.h>

#include "types/types.h"

static void list_free_value(int encoding, void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static void *list_dup_value(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

static size_t list_value_memory(int encoding, const void *ptr, long long samples) {
    (void)encoding;
    (void)ptr;
    (void)samples;
    abort();
}

static size_t list_free_effort(int encoding, const void *ptr) {
    (void)encoding;
    (void)ptr;
    abort();
}

const TypeOps list_type_ops = {
    .free_value = list_free_value,
    .dup_value = list_dup_value,
    .value_memory = list_value_memory,
    .free_effort = list_free_effort,
};

void list_register_config(void) {
}
