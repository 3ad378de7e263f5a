/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_spmc.c: the shared inbox ring (modules/iothreads/spmc.c):
 * capacity rules, empty/full, wraparound over many laps and across 2^64,
 * then 1 producer x 4 consumers delivering every job exactly once, each
 * consumer seeing jobs in push order.
 *
 * Worker threads never call CHECK (it longjmps on the test's own stack);
 * they count failures, and the test thread checks the counts after join.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "spmc.h"
#include "test.h"

/* ThreadSanitizer runs these 5-15x slower: smaller counts, same coverage. */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifdef UNDER_TSAN
#define STRESS_ITEMS 400000
#else
#define STRESS_ITEMS 2000000
#endif

TEST(spmc_capacity_must_be_a_power_of_two) {
    SpmcQueue q;
    size_t bad[] = {0, 1, 3, 6, 100, 4097};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) CHECK_EQ_INT(-1, spmc_init(&q, bad[i]));
    size_t good[] = {2, 4, 64, 4096};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CHECK_EQ_INT(0, spmc_init(&q, good[i]));
        CHECK_EQ_INT(good[i], spmc_capacity(&q));
        CHECK(((uintptr_t)q.cells % KEEL_CACHE_LINE) == 0);
        spmc_deinit(&q);
    }
}

TEST(spmc_layout_keeps_sides_on_separate_cache_lines) {
    CHECK_EQ_INT(KEEL_CACHE_LINE, sizeof(SpmcCell));
    size_t head = offsetof(SpmcQueue, head), tail = offsetof(SpmcQueue, tail);
    size_t cells = offsetof(SpmcQueue, cells);
    CHECK(head / KEEL_CACHE_LINE != tail / KEEL_CACHE_LINE);
    CHECK(tail / KEEL_CACHE_LINE != cells / KEEL_CACHE_LINE);
    CHECK_EQ_INT(tail / KEEL_CACHE_LINE, offsetof(SpmcQueue, head_cache) / KEEL_CACHE_LINE);
}

TEST(spmc_empty_queue_pops_nothing) {
    SpmcQueue q;
    CHECK_EQ_INT(0, spmc_init(&q, 8));
    CHECK(spmc_is_empty(&q));
    CHECK_EQ_INT(0, spmc_size(&q));
    CHECK_EQ_INT(0, spmc_pop(&q));
    CHECK_EQ_INT(0, spmc_pop(&q));
    spmc_deinit(&q);
}

TEST(spmc_full_queue_refuses_and_keeps_fifo_order) {
    SpmcQueue q;
    CHECK_EQ_INT(0, spmc_init(&q, 8));
    for (uintptr_t i = 1; i <= 8; i++) CHECK(spmc_push(&q, i));
    CHECK(!spmc_push(&q, 9));
    CHECK(!spmc_push(&q, 9)); /* refusing changed nothing */
    CHECK_EQ_INT(8, spmc_size(&q));
    CHECK(!spmc_is_empty(&q));
    CHECK_EQ_INT(1, spmc_pop(&q));
    CHECK(spmc_push(&q, 9)); /* one freed cell, one more job */
    CHECK(!spmc_push(&q, 10));
    for (uintptr_t i = 2; i <= 9; i++) CHECK_EQ_INT(i, spmc_pop(&q));
    CHECK_EQ_INT(0, spmc_pop(&q));
    CHECK(spmc_is_empty(&q));
    spmc_deinit(&q);
}

/* Pushes and pops in uneven rounds so every cell is hit at every fill
 * level, lap after lap, checking order and size against a counter model. */
static void spmc_run_laps(SpmcQueue *q, int rounds) {
    uintptr_t next_in = 1, next_out = 1;
    size_t capacity = spmc_capacity(q);
    for (int r = 0; r < rounds; r++) {
        size_t pushes = (size_t)r % (capacity + 1);
        for (size_t i = 0; i < pushes; i++) {
            if (spmc_push(q, next_in)) next_in++;
        }
        CHECK_EQ_INT(next_in - next_out, spmc_size(q));
        size_t pops = (size_t)(r * 7) % (capacity + 1);
        for (size_t i = 0; i < pops; i++) {
            uintptr_t job = spmc_pop(q);
            if (next_out == next_in) {
                CHECK_EQ_INT(0, job);
            } else {
                CHECK_EQ_INT(next_out, job);
                next_out++;
            }
        }
        CHECK_EQ_INT(next_in == next_out, spmc_is_empty(q));
    }
    CHECK(next_in > (uintptr_t)rounds); /* many laps really happened */
}

TEST(spmc_wraps_around_over_many_laps) {
    SpmcQueue q;
    CHECK_EQ_INT(0, spmc_init(&q, 4));
    spmc_run_laps(&q, 5000);
    spmc_deinit(&q);
}

TEST(spmc_positions_wrap_across_2_pow_64) {
    uint64_t starts[] = {UINT64_MAX - 2, UINT64_MAX - 1000, (uint64_t)INT64_MAX - 3};
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        SpmcQueue q;
        CHECK_EQ_INT(0, spmc_init_at(&q, 8, starts[i]));
        spmc_run_laps(&q, 3000);
        spmc_deinit(&q);
    }
}

typedef struct SpmcStress {
    SpmcQueue queue;
    size_t items;
    uint64_t *payload;          /* plain; written before push, read after pop */
    _Atomic uint8_t *seen;      /* per job: times delivered */
    _Atomic size_t delivered;   /* jobs popped, all consumers */
    _Atomic size_t out_of_order; /* a consumer saw a job older than its last */
    _Atomic size_t bad_job;      /* 0 or out of range */
} SpmcStress;

static void *spmc_producer_main(void *arg) {
    SpmcStress *s = arg;
    for (uintptr_t job = 1; job <= s->items;) {
        /* Plain write: TSan flags it unless push/pop order it (R1/A2). */
        s->payload[job - 1] = job * 3;
        if (spmc_push(&s->queue, job)) {
            job++;
        } else {
            sched_yield(); /* full: let a consumer run (2 cores, 5 threads) */
        }
    }
    return NULL;
}

static void *spmc_consumer_main(void *arg) {
    SpmcStress *s = arg;
    uintptr_t last = 0;
    /* relaxed: only a stop condition; seen[] carries the verdict. */
    while (atomic_load_explicit(&s->delivered, memory_order_relaxed) < s->items) {
        uintptr_t job = spmc_pop(&s->queue);
        if (job == 0) {
            sched_yield();
            continue;
        }
        if (job > s->items) {
            atomic_fetch_add_explicit(&s->bad_job, 1, memory_order_relaxed);
            continue;
        }
        /* One producer: positions one consumer wins only grow. */
        if (job <= last) atomic_fetch_add_explicit(&s->out_of_order, 1, memory_order_relaxed);
        last = job;
        if (s->payload[job - 1] != job * 3) atomic_fetch_add_explicit(&s->bad_job, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&s->seen[job - 1], 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&s->delivered, 1, memory_order_relaxed);
    }
    return NULL;
}

static void spmc_stress(size_t capacity, int consumers) {
    SpmcStress *s = calloc(1, sizeof(*s));
    CHECK(s != NULL);
    CHECK_EQ_INT(0, spmc_init(&s->queue, capacity));
    s->items = STRESS_ITEMS;
    s->seen = calloc(s->items, sizeof(s->seen[0]));
    s->payload = calloc(s->items, sizeof(s->payload[0]));
    CHECK(s->seen != NULL && s->payload != NULL);
    pthread_t producer, consumer[8];
    for (int i = 0; i < consumers; i++)
        CHECK_EQ_INT(0, pthread_create(&consumer[i], NULL, spmc_consumer_main, s));
    CHECK_EQ_INT(0, pthread_create(&producer, NULL, spmc_producer_main, s));
    pthread_join(producer, NULL);
    for (int i = 0; i < consumers; i++) pthread_join(consumer[i], NULL);
    CHECK_EQ_INT(0, atomic_load(&s->bad_job));
    CHECK_EQ_INT(0, atomic_load(&s->out_of_order));
    CHECK_EQ_INT(s->items, atomic_load(&s->delivered));
    size_t wrong = 0;
    for (size_t i = 0; i < s->items; i++) wrong += atomic_load(&s->seen[i]) != 1;
    CHECK_EQ_INT(0, wrong);
    CHECK(spmc_is_empty(&s->queue));
    CHECK_EQ_INT(0, spmc_pop(&s->queue));
    spmc_deinit(&s->queue);
    free((void *)s->seen);
    free(s->payload);
    free(s);
}

TEST(spmc_stress_1_producer_4_consumers_tiny_ring) {
    spmc_stress(4, 4);
}

TEST(spmc_stress_1_producer_4_consumers_full_size_ring) {
    spmc_stress(4096, 4);
}
