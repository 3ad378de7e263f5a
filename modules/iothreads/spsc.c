/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/spsc.c: the private inbox ring (see spsc.h and IO-THREADS.md
 * section 3.3 for the protocol).
 *
 * Orderings, each labelled where used:
 *   R1 (spsc_commit, store tail) pairs with A1 (pop, load tail): the slots
 *      written before the commit are visible to the consumer.
 *   R2 (pop, store head) pairs with A2 (push, load head): the consumer has
 *      copied the slots before head, so the producer may overwrite them.
 * Each side reads its own index relaxed: it is the only writer.
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

void spsc_commit(SpscQueue *q) {
    /* relaxed: the producer is the only writer of tail. */
    if (atomic_load_explicit(&q->tail, memory_order_relaxed) == q->tail_local) return;
    /* R1 pairs with A1 (spsc_pop_batch): publishes the slots filled since. */
    atomic_store_explicit(&q->tail, q->tail_local, memory_order_release);
}

bool spsc_push_nocommit(SpscQueue *q, uintptr_t job) {
    uint64_t pos = q->tail_local;
    if (pos - q->head_cache > q->mask) {
        /* A2 pairs with R2 (spsc_pop_batch): slots before head are copied. */
        q->head_cache = atomic_load_explicit(&q->head, memory_order_acquire);
        if (pos - q->head_cache > q->mask) {
            spsc_commit(q); /* the consumer must see what it has to drain */
            return false;
        }
    }
    q->slots[pos & q->mask] = job;
    q->tail_local = pos + 1;
    return true;
}

bool spsc_push(SpscQueue *q, uintptr_t job) {
    if (!spsc_push_nocommit(q, job)) return false; /* already committed */
    spsc_commit(q);
    return true;
}

size_t spsc_pop_batch(SpscQueue *q, uintptr_t *out, size_t max) {
    /* relaxed: the consumer is the only writer of head. */
    uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
    uint64_t ready = q->tail_cache - head;
    if (ready == 0) {
        /* A1 pairs with R1 (spsc_commit): published slots are visible. */
        q->tail_cache = atomic_load_explicit(&q->tail, memory_order_acquire);
        ready = q->tail_cache - head;
        if (ready == 0) return 0;
    }
    size_t n = max < ready ? max : (size_t)ready;
    for (size_t i = 0; i < n; i++) out[i] = q->slots[(head + i) & q->mask];
    /* R2 pairs with A2 (spsc_push_nocommit): our copies are done. */
    if (n > 0) atomic_store_explicit(&q->head, head + n, memory_order_release);
    return n;
}

size_t spsc_size(const SpscQueue *q) {
    /* relaxed: an estimate; nothing is read through it. */
    uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
    return (size_t)(q->tail_local - head);
}
