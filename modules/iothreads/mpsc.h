/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/mpsc.h: the completion queue, a bounded multi-producer /
 * single-consumer ring of job words (IO-THREADS.md section 3.2).
 *
 * IO threads push finished jobs; the main thread pops them in batches, so it
 * only has to check "non-empty" instead of scanning pending clients.
 * Producers reserve a position with fetch_add on tail and then fill the slot;
 * slot word 0 means free or reserved-but-not-written, so the consumer stops
 * at the first 0 and order by position is kept.
 *
 * An IO thread never blocks on a full ring. A reserved position (ticket) must
 * be filled or the consumer stalls there, so a producer that finds the ring
 * full keeps its ticket and the job in its own FIFO overflow list; later jobs
 * queue behind them and are flushed in order before each push and whenever
 * the thread is idle. All per-producer state lives in an MpscProducer the
 * caller owns (a thread-local in the engine, a plain struct in tests).
 * Jobs of one producer reach the consumer in the order they were pushed.
 *
 * Threads: mpsc_push/mpsc_flush/mpsc_flush_wait: the thread that owns the
 * MpscProducer (one per producer thread). mpsc_pop_batch, mpsc_is_empty: the
 * one consumer (main). init/deinit: no other thread running.
 * Depends on libc, sched_yield and C11 atomics only.
 */
#ifndef KEEL_IOTHREADS_MPSC_H
#define KEEL_IOTHREADS_MPSC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef KEEL_CACHE_LINE
#define KEEL_CACHE_LINE 64
#endif

typedef struct MpscQueue {
    /* Consumer line. */
    _Alignas(KEEL_CACHE_LINE) _Atomic uint64_t head; /* next position to pop; main writes */
    uint64_t tail_cache; /* last tail main read; main only, plain */
    /* Producer line: written by every producer. */
    _Alignas(KEEL_CACHE_LINE) _Atomic uint64_t tail; /* next position to reserve */
    _Atomic uint64_t head_cache; /* some head a producer read lately; may lag */
    /* Read-only after init. */
    _Alignas(KEEL_CACHE_LINE) _Atomic uintptr_t *slots; /* owned; 0 = not written */
    uint64_t mask;                                      /* capacity - 1 */
} MpscQueue;

/* One producer's state. Owned by that producer's thread; never shared. */
typedef struct MpscProducer {
    MpscQueue *queue;  /* borrowed; outlives the producer */
    uint64_t ticket;   /* reserved position, valid when has_ticket */
    bool has_ticket;   /* overflow[first] belongs at position ticket */
    uintptr_t *overflow; /* owned FIFO ring of jobs not yet in the queue */
    size_t first;        /* index of the oldest job in overflow */
    size_t len;          /* jobs in overflow */
    size_t cap;          /* overflow's allocated length (0 or a power of two) */
    uint64_t overflowed; /* jobs that went through overflow; a statistic */
} MpscProducer;

/* Initializes q with room for capacity jobs (a power of two, >= 2). Returns
 * 0, or -1 if capacity is not a power of two or memory is short (q is then
 * unusable and needs no deinit). */
int mpsc_init(MpscQueue *q, size_t capacity);

/* As mpsc_init, but positions start at first_pos (tests: 2^64 wraparound). */
int mpsc_init_at(MpscQueue *q, size_t capacity, uint64_t first_pos);

/* Frees the slots. Every producer must be deinitialized first. */
void mpsc_deinit(MpscQueue *q);

/* Initializes a producer context for q. Cannot fail (the overflow list is
 * allocated on first use). */
void mpsc_producer_init(MpscProducer *p, MpscQueue *q);

/* Frees the overflow list. The producer must hold no ticket and no job
 * (mpsc_flush_wait first); asserts it. */
void mpsc_producer_deinit(MpscProducer *p);

/* Producer. Queues job (any word but 0) behind this producer's earlier jobs.
 * Returns true if it is in the ring now, false if it went to the overflow
 * list (it is delivered by a later push or flush). Never blocks. Aborts only
 * if the overflow list cannot grow (out of memory). */
bool mpsc_push(MpscProducer *p, uintptr_t job);

/* Producer. Moves overflowed jobs into the ring while there is room. Returns
 * true when none is left. Never blocks. */
bool mpsc_flush(MpscProducer *p);

/* Producer. Flushes until nothing is left, yielding the CPU between tries;
 * for stopping a thread. Blocks until the consumer makes room. */
void mpsc_flush_wait(MpscProducer *p);

/* Producer. Jobs waiting in the overflow list. */
static inline size_t mpsc_pending(const MpscProducer *p) {
    return p->len;
}

/* Consumer only. Pops up to max jobs into out, oldest first, and returns how
 * many. Stops early at a position reserved but not yet written, so a
 * producer's order is never broken; returns 0 when nothing is ready. */
size_t mpsc_pop_batch(MpscQueue *q, uintptr_t *out, size_t max);

/* Consumer only. True if no position is reserved past head (a reserved,
 * unwritten position counts as non-empty). */
bool mpsc_is_empty(MpscQueue *q);

/* Capacity in jobs. Any thread. */
static inline size_t mpsc_capacity(const MpscQueue *q) {
    return (size_t)q->mask + 1;
}

#endif
