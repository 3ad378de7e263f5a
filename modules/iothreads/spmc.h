/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/spmc.h: the shared inbox, a bounded single-producer /
 * multi-consumer ring of job words (IO-THREADS.md section 3.1).
 *
 * The main thread pushes; any IO thread pops, so load balances itself: busy
 * threads take fewer jobs. It is a bounded MPMC ring with per-cell sequence
 * numbers (after Vyukov) cut down to one producer, so the tail needs no CAS;
 * consumers CAS the head. Each cell sits on its own cache line so consumers
 * of neighbouring jobs never write the same line.
 *
 * A full ring is reported, never waited on: the caller rolls back and does
 * the work inline. Positions are 64-bit counters compared by difference.
 *
 * Threads: spmc_push, spmc_size, spmc_is_empty: the one producer (main).
 * spmc_pop: any number of consumers. init/deinit: no other thread running.
 * Depends on libc and C11 atomics only.
 */
#ifndef KEEL_IOTHREADS_SPMC_H
#define KEEL_IOTHREADS_SPMC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef KEEL_CACHE_LINE
#define KEEL_CACHE_LINE 64
#endif

/* One slot. seq says whose turn it is: == position p, free for the producer's
 * lap at p; == p + 1, holds the job pushed at p; == p + capacity, consumed,
 * free for the next lap. */
typedef struct SpmcCell {
    _Alignas(KEEL_CACHE_LINE) _Atomic uint64_t seq;
    uintptr_t job; /* plain: written before seq = p + 1, read after it */
} SpmcCell;

typedef struct SpmcQueue {
    /* Consumer line: next position to take; consumers CAS it. */
    _Alignas(KEEL_CACHE_LINE) _Atomic uint64_t head;
    /* Producer line (main thread only, plain). */
    _Alignas(KEEL_CACHE_LINE) uint64_t tail; /* next position to fill */
    uint64_t head_cache;                     /* last head the producer read */
    /* Read-only after init. */
    _Alignas(KEEL_CACHE_LINE) SpmcCell *cells; /* owned; capacity cells */
    uint64_t mask;                             /* capacity - 1 */
} SpmcQueue;

/* Initializes q with room for capacity jobs (a power of two, >= 2). Returns
 * 0, or -1 if capacity is not a power of two or memory is short (q is then
 * unusable and needs no deinit). */
int spmc_init(SpmcQueue *q, size_t capacity);

/* As spmc_init, but positions start at first_pos instead of 0. Tests use it
 * to run the counters across 2^64 wraparound. */
int spmc_init_at(SpmcQueue *q, size_t capacity, uint64_t first_pos);

/* Frees the cells. Jobs still queued are dropped (they are only words). */
void spmc_deinit(SpmcQueue *q);

/* Producer only. Appends job (any word but 0). Returns false when the ring is
 * full; nothing changed then. Never blocks. */
bool spmc_push(SpmcQueue *q, uintptr_t job);

/* Any consumer. Takes the oldest job, or returns 0 when the ring is empty.
 * Never blocks (it retries only while it loses races to other consumers). */
uintptr_t spmc_pop(SpmcQueue *q);

/* Producer only. True if every pushed job has been taken. Cheap when the
 * cached head already says so. */
bool spmc_is_empty(SpmcQueue *q);

/* Producer only. Jobs pushed and not yet taken; approximate (consumers move
 * head meanwhile), for the scaling policy only. */
size_t spmc_size(const SpmcQueue *q);

/* Capacity in jobs. Any thread. */
static inline size_t spmc_capacity(const SpmcQueue *q) {
    return (size_t)q->mask + 1;
}

#endif
