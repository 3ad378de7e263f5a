/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/spmc.c: the shared inbox ring (see spmc.h and IO-THREADS.md
 * section 3.1 for the protocol).
 *
 * Orderings, each labelled where used:
 *   A1 (push, load seq) pairs with R2 (pop, store seq = p + capacity): the
 *      consumer's read of the previous lap's job happens before we overwrite.
 *   R1 (push, store seq = p + 1) pairs with A2 (pop, load seq): the job word
 *      written before R1 is visible to the consumer that wins position p.
 *   R3 (pop, successful CAS on head) pairs with A3 (spmc_is_empty): when the
 *      producer sees head == tail, every claim of a job it pushed is visible.
 * The head CAS needs no acquire: A2 already ordered the job read, and the CAS
 * only decides which consumer owns position p.
 *
 * Threads: see spmc.h.
 */
#include "spmc.h"

#include <assert.h>
#include <stdlib.h>

int spmc_init_at(SpmcQueue *q, size_t capacity, uint64_t first_pos) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0) return -1;
    if (capacity > SIZE_MAX / sizeof(SpmcCell)) return -1;
    /* aligned_alloc wants a size that is a multiple of the alignment:
     * sizeof(SpmcCell) is one cache line, so it is. */
    SpmcCell *cells = aligned_alloc(KEEL_CACHE_LINE, capacity * sizeof(SpmcCell));
    if (cells == NULL) return -1;
    uint64_t mask = (uint64_t)capacity - 1;
    for (uint64_t i = 0; i < capacity; i++) {
        /* The first position >= first_pos that maps to cell i. */
        uint64_t pos = first_pos + ((i - first_pos) & mask);
        /* relaxed: no other thread sees the queue before init returns. */
        atomic_init(&cells[i].seq, pos);
        cells[i].job = 0;
    }
    atomic_init(&q->head, first_pos);
    q->tail = first_pos;
    q->head_cache = first_pos;
    q->cells = cells;
    q->mask = mask;
    return 0;
}

int spmc_init(SpmcQueue *q, size_t capacity) {
    return spmc_init_at(q, capacity, 0);
}

void spmc_deinit(SpmcQueue *q) {
    free(q->cells);
    q->cells = NULL;
}

bool spmc_push(SpmcQueue *q, uintptr_t job) {
    assert(job != 0);
    uint64_t pos = q->tail;
    SpmcCell *cell = &q->cells[pos & q->mask];
    /* A1 pairs with R2 (spmc_pop): the last consumer of this cell has read
     * its job before we overwrite it. */
    uint64_t seq = atomic_load_explicit(&cell->seq, memory_order_acquire);
    if (seq != pos) return false; /* still holds the job pushed one lap ago */
    cell->job = job;
    /* R1 pairs with A2 (spmc_pop): publishes the job word written above. */
    atomic_store_explicit(&cell->seq, pos + 1, memory_order_release);
    q->tail = pos + 1;
    return true;
}

uintptr_t spmc_pop(SpmcQueue *q) {
    /* relaxed: only a starting guess; the CAS below checks it. */
    uint64_t pos = atomic_load_explicit(&q->head, memory_order_relaxed);
    for (;;) {
        SpmcCell *cell = &q->cells[pos & q->mask];
        /* A2 pairs with R1 (spmc_push): the job word of position pos is
         * visible once seq says it was pushed. */
        uint64_t seq = atomic_load_explicit(&cell->seq, memory_order_acquire);
        int64_t diff = (int64_t)(seq - (pos + 1));
        if (diff == 0) {
            /* R3 pairs with A3 (spmc_is_empty). Failure is relaxed: it only
             * refreshes pos for the next try. */
            if (atomic_compare_exchange_weak_explicit(&q->head, &pos, pos + 1,
                                                      memory_order_release,
                                                      memory_order_relaxed)) {
                uintptr_t job = cell->job;
                /* R2 pairs with A1 (spmc_push): our read of job is done; the
                 * cell belongs to the producer's next lap. */
                atomic_store_explicit(&cell->seq, pos + q->mask + 1, memory_order_release);
                return job;
            }
            /* Lost the race (or a spurious failure): pos now holds head. */
        } else if (diff < 0) {
            return 0; /* position pos not pushed yet: empty */
        } else {
            /* Another consumer took pos and its cell moved on; catch up.
             * relaxed: as above, a guess the CAS checks. */
            pos = atomic_load_explicit(&q->head, memory_order_relaxed);
        }
    }
}

bool spmc_is_empty(SpmcQueue *q) {
    if (q->tail == q->head_cache) return true; /* head_cache <= head <= tail */
    /* A3 pairs with R3 (spmc_pop): see the file comment. */
    q->head_cache = atomic_load_explicit(&q->head, memory_order_acquire);
    return q->tail == q->head_cache;
}

size_t spmc_size(const SpmcQueue *q) {
    /* relaxed: an estimate for the scaling policy; nothing is read through
     * it. head never passes tail, so the difference is not negative. */
    uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
    return (size_t)(q->tail - head);
}
