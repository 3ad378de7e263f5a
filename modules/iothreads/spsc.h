/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/spsc.h: an IO thread's private inbox, a bounded single-producer
 * / single-consumer ring of job words (IO-THREADS.md section 3.3).
 *
 * Carries thread-affine work (freeing argv the thread allocated) and work
 * that must not wait behind the shared backlog (poll offload). Both sides
 * cache the other side's index, so a push or pop touches the other side's
 * cache line only when the cache says full or empty. Pushes may be deferred:
 * spsc_push_nocommit fills slots without publishing them, spsc_commit
 * publishes all of them with one store, so a batch of frees costs the
 * consumer one cache miss instead of one per job.
 *
 * Threads: push/commit/spsc_size: the one producer (main). spsc_pop_batch:
 * the one consumer (the IO thread owning the inbox). init/deinit: no other
 * thread running. Depends on libc and C11 atomics only.
 */
#ifndef KEEL_IOTHREADS_SPSC_H
#define KEEL_IOTHREADS_SPSC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef KEEL_CACHE_LINE
#define KEEL_CACHE_LINE 64
#endif

/* How many jobs an IO thread takes from its inbox per loop (a suggestion for
 * callers of spsc_pop_batch, not a limit). */
#define SPSC_POP_BATCH 32

typedef struct SpscQueue {
    /* Consumer line. */
    _Alignas(KEEL_CACHE_LINE) _Atomic uint64_t head; /* next position to pop */
    uint64_t tail_cache; /* last published tail the consumer read; consumer only */
    /* Producer line. */
    _Alignas(KEEL_CACHE_LINE) _Atomic uint64_t tail; /* published: consumer may read below */
    uint64_t tail_local; /* next position to fill; >= tail; producer only */
    uint64_t head_cache; /* last head the producer read; producer only */
    /* Read-only after init (the slot contents are ordered by tail). */
    _Alignas(KEEL_CACHE_LINE) uintptr_t *slots; /* owned; capacity slots */
    uint64_t mask;                              /* capacity - 1 */
} SpscQueue;

/* Initializes q with room for capacity jobs (a power of two, >= 2). Returns
 * 0, or -1 if capacity is not a power of two or memory is short (q is then
 * unusable and needs no deinit). */
int spsc_init(SpscQueue *q, size_t capacity);

/* As spsc_init, but positions start at first_pos (tests: 2^64 wraparound). */
int spsc_init_at(SpscQueue *q, size_t capacity, uint64_t first_pos);

/* Frees the slots. Jobs still queued are dropped (they are only words). */
void spsc_deinit(SpscQueue *q);

/* ---- fast paths, inline ----
 * Orderings, each labelled where used:
 *   R1 (spsc_commit, store tail) pairs with A1 (pop, load tail): the slots
 *      written before the commit are visible to the consumer.
 *   R2 (pop, store head) pairs with A2 (push, load head): the consumer has
 *      copied the slots before head, so the producer may overwrite them.
 * Each side reads its own index relaxed: it is the only writer. */

/* Producer. Publishes every job pushed so far; no-op if none is new.
 * Returns true if it published something (the consumer may need a wake-up). */
static inline bool spsc_commit(SpscQueue *q) {
    /* relaxed: the producer is the only writer of tail. */
    if (atomic_load_explicit(&q->tail, memory_order_relaxed) == q->tail_local) return false;
    /* R1 pairs with A1 (spsc_pop_batch): publishes the slots filled since. */
    atomic_store_explicit(&q->tail, q->tail_local, memory_order_release);
    return true;
}

/* Producer. Adds job (any word) without publishing it. Returns false when
 * full; then everything pushed before is published (else the consumer could
 * never drain the room we wait for) and job is not queued. Never blocks. */
static inline bool spsc_push_nocommit(SpscQueue *q, uintptr_t job) {
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

/* Producer. spsc_push_nocommit then spsc_commit. */
static inline bool spsc_push(SpscQueue *q, uintptr_t job) {
    if (!spsc_push_nocommit(q, job)) return false; /* already committed */
    spsc_commit(q);
    return true;
}

/* Consumer. Pops up to max published jobs into out, oldest first; returns
 * how many (0: none published). May return fewer than are published: the
 * consumer rereads the producer's tail only once its cached view is drained
 * (one cache miss per batch, not per call), so loop until 0 to drain. */
static inline size_t spsc_pop_batch(SpscQueue *q, uintptr_t *out, size_t max) {
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

/* Producer. Jobs pushed (committed or not) and not yet popped; approximate
 * while the consumer runs. */
size_t spsc_size(const SpscQueue *q);

/* Capacity in jobs. Any thread. */
static inline size_t spsc_capacity(const SpscQueue *q) {
    return (size_t)q->mask + 1;
}

#endif
