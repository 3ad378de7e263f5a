/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/spsc.c: the private inbox ring (see spsc.h and IO-THREADS.md
 * section 3.3 for the protocol).
 *
 * Set-up and teardown live here; the push, commit and pop fast paths are
 * static inline in spsc.h (with their ordering labels), so a caller's loop
 * compiles down to plain loads and stores around the two atomics.
 *
 * Threads: see spsc.h.
 */
#include "spsc.h"

#include <stdlib.h>

int spsc_init_at(SpscQueue *q, size_t capacity, uint64_t first_pos) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0) return -1;
    if (capacity > SIZE_MAX / sizeof(uintptr_t)) return -1;
    uintptr_t *slots = calloc(capacity, sizeof(uintptr_t));
    if (slots == NULL) return -1;
    atomic_init(&q->head, first_pos);
    q->tail_cache = first_pos;
    atomic_init(&q->tail, first_pos);
    q->tail_local = first_pos;
    q->head_cache = first_pos;
    q->slots = slots;
    q->mask = (uint64_t)capacity - 1;
    return 0;
}

int spsc_init(SpscQueue *q, size_t capacity) {
    return spsc_init_at(q, capacity, 0);
}

void spsc_deinit(SpscQueue *q) {
    free(q->slots);
    q->slots = NULL;
}

size_t spsc_size(const SpscQueue *q) {
    /* relaxed: an estimate; nothing is read through it. */
    uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
    return (size_t)(q->tail_local - head);
}
