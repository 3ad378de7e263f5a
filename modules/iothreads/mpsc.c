/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/mpsc.c: the completion ring and its per-producer overflow list
 * (see mpsc.h and IO-THREADS.md section 3.2 for the protocol).
 *
 * Orderings, each labelled where used:
 *   R1 (producer, store slot = job) pairs with A1 (consumer, load slot): the
 *      job's effects (the client state the IO thread wrote) are visible to
 *      main when it sees the word.
 *   R2 (consumer, store head after a batch) pairs with A2 (producer, load
 *      head): the consumer zeroed those slots before head moved, so a
 *      producer that sees the new head writes after the zero, never under it.
 *   R3 (producer, store head_cache) pairs with A3 (producer, load
 *      head_cache): a producer trusting another producer's cached head also
 *      inherits R2's guarantee, through R3 (release after A2).
 * tail is fetch_add relaxed: the RMW alone makes positions unique, and what
 * a slot holds is published by R1, not by tail. The consumer reads tail
 * relaxed for the same reason: tail only says which positions are reserved;
 * A1 on each slot decides whether it was written. (IO-THREADS.md 3.2 lists
 * that load as acquire; nothing releases tail, so it would pair with
 * nothing.)
 *
 * Threads: see mpsc.h.
 */
#include "mpsc.h"

#include <assert.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

int mpsc_init_at(MpscQueue *q, size_t capacity, uint64_t first_pos) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0) return -1;
    if (capacity > SIZE_MAX / sizeof(q->slots[0])) return -1;
    _Atomic uintptr_t *slots = malloc(capacity * sizeof(slots[0]));
    if (slots == NULL) return -1;
    for (size_t i = 0; i < capacity; i++) atomic_init(&slots[i], 0);
    atomic_init(&q->head, first_pos);
    q->tail_cache = first_pos;
    atomic_init(&q->tail, first_pos);
    atomic_init(&q->head_cache, first_pos);
    q->slots = slots;
    q->mask = (uint64_t)capacity - 1;
    return 0;
}

int mpsc_init(MpscQueue *q, size_t capacity) {
    return mpsc_init_at(q, capacity, 0);
}

void mpsc_deinit(MpscQueue *q) {
    free((void *)q->slots);
    q->slots = NULL;
}

void mpsc_producer_init(MpscProducer *p, MpscQueue *q) {
    p->queue = q;
    p->ticket = 0;
    p->has_ticket = false;
    p->overflow = NULL;
    p->first = 0;
    p->len = 0;
    p->cap = 0;
    p->overflowed = 0;
}

void mpsc_producer_deinit(MpscProducer *p) {
    assert(p->len == 0 && !p->has_ticket && "an IO thread never stops holding a ticket");
    free(p->overflow);
    p->overflow = NULL;
    p->cap = 0;
}

/* Appends job to the overflow FIFO, doubling the ring when full. A
 * completion can't be dropped and the thread must not block, so running out
 * of memory here is fatal. */
static void overflow_append(MpscProducer *p, uintptr_t job) {
    if (p->len == p->cap) {
        size_t new_cap = p->cap ? p->cap * 2 : 16;
        uintptr_t *grown = malloc(new_cap * sizeof(grown[0]));
        if (grown == NULL) {
            fprintf(stderr, "mpsc: out of memory growing a completion overflow list to %zu\n",
                    new_cap);
            abort();
        }
        for (size_t i = 0; i < p->len; i++) grown[i] = p->overflow[(p->first + i) & (p->cap - 1)];
        free(p->overflow);
        p->overflow = grown;
        p->first = 0;
        p->cap = new_cap;
    }
    p->overflow[(p->first + p->len) & (p->cap - 1)] = job;
    p->len++;
    p->overflowed++;
}

/* Writes job at reserved position pos if the consumer has freed that slot.
 * Returns false (nothing written) while the ring is full at pos. */
static bool slot_try_fill(MpscQueue *q, uint64_t pos, uintptr_t job) {
    uint64_t capacity = q->mask + 1;
    /* A3 pairs with R3 (below, in another producer). */
    uint64_t head = atomic_load_explicit(&q->head_cache, memory_order_acquire);
    if ((int64_t)(pos - head) >= (int64_t)capacity) {
        /* A2 pairs with R2 (mpsc_pop_batch): slots before head are zeroed. */
        head = atomic_load_explicit(&q->head, memory_order_acquire);
        /* R3 pairs with A3. A racing producer may store an older head; the
         * cache is only a hint that can lag, never run ahead of head. */
        atomic_store_explicit(&q->head_cache, head, memory_order_release);
        if ((int64_t)(pos - head) >= (int64_t)capacity) return false;
    }
    /* R1 pairs with A1 (mpsc_pop_batch): publishes the job. */
    atomic_store_explicit(&q->slots[pos & q->mask], job, memory_order_release);
    return true;
}

bool mpsc_flush(MpscProducer *p) {
    MpscQueue *q = p->queue;
    while (p->len > 0) {
        if (!p->has_ticket) {
            /* relaxed: see the file comment on tail. */
            p->ticket = atomic_fetch_add_explicit(&q->tail, 1, memory_order_relaxed);
            p->has_ticket = true;
        }
        if (!slot_try_fill(q, p->ticket, p->overflow[p->first])) return false;
        p->has_ticket = false;
        p->first = (p->first + 1) & (p->cap - 1);
        p->len--;
    }
    return true;
}

void mpsc_flush_wait(MpscProducer *p) {
    while (!mpsc_flush(p)) sched_yield();
}

bool mpsc_push(MpscProducer *p, uintptr_t job) {
    assert(job != 0 && "job word 0 marks an empty completion slot");
    /* Earlier jobs go first: with any left over, this one waits behind. */
    if (p->len > 0 && !mpsc_flush(p)) {
        overflow_append(p, job);
        return false;
    }
    MpscQueue *q = p->queue;
    /* relaxed: see the file comment on tail. */
    uint64_t pos = atomic_fetch_add_explicit(&q->tail, 1, memory_order_relaxed);
    if (slot_try_fill(q, pos, job)) return true;
    /* Full: the ticket is sticky, the job waits in overflow at its head. */
    p->ticket = pos;
    p->has_ticket = true;
    overflow_append(p, job);
    return false;
}

size_t mpsc_pop_batch(MpscQueue *q, uintptr_t *out, size_t max) {
    /* relaxed: main is the only writer of head. */
    uint64_t pos = atomic_load_explicit(&q->head, memory_order_relaxed);
    if (pos == q->tail_cache) {
        /* relaxed: see the file comment on tail. */
        q->tail_cache = atomic_load_explicit(&q->tail, memory_order_relaxed);
        if (pos == q->tail_cache) return 0;
    }
    uint64_t reserved = q->tail_cache - pos;
    size_t n = max < reserved ? max : (size_t)reserved;
    size_t taken = 0;
    while (taken < n) {
        _Atomic uintptr_t *slot = &q->slots[(pos + taken) & q->mask];
        /* A1 pairs with R1 (slot_try_fill): the job's writes are visible. */
        uintptr_t job = atomic_load_explicit(slot, memory_order_acquire);
        if (job == 0) break; /* reserved, not written yet: keep the order */
        /* relaxed: R2 below publishes the zero before the slot is reused. */
        atomic_store_explicit(slot, 0, memory_order_relaxed);
        out[taken++] = job;
    }
    if (taken > 0) {
        /* R2 pairs with A2 (slot_try_fill): the zeroed slots are free. */
        atomic_store_explicit(&q->head, pos + taken, memory_order_release);
    }
    return taken;
}

bool mpsc_is_empty(MpscQueue *q) {
    /* relaxed: main is the only writer of head. */
    uint64_t pos = atomic_load_explicit(&q->head, memory_order_relaxed);
    if (pos != q->tail_cache) return false;
    /* relaxed: see the file comment on tail. */
    q->tail_cache = atomic_load_explicit(&q->tail, memory_order_relaxed);
    return pos == q->tail_cache;
}
