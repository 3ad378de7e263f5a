/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_spsc.c: the private inbox ring (modules/iothreads/spsc.c):
 * capacity rules, deferred commit (uncommitted jobs are invisible; a full
 * ring publishes them), batch pops, wraparound over many laps and across
 * 2^64, then 1 producer x 1 consumer with batches committed at random
 * points: every job delivered once, in order.
 *
 * Worker threads never call CHECK (it longjmps on the test's own stack);
 * they count failures, and the test thread checks the counts after join.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "spsc.h"
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
#define STRESS_ITEMS 1000000
#else
#define STRESS_ITEMS 4000000
#endif

TEST(spsc_capacity_must_be_a_power_of_two) {
    SpscQueue q;
    size_t bad[] = {0, 1, 3, 5, 4095};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) CHECK_EQ_INT(-1, spsc_init(&q, bad[i]));
    size_t good[] = {2, 32, 4096};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CHECK_EQ_INT(0, spsc_init(&q, good[i]));
        CHECK_EQ_INT(good[i], spsc_capacity(&q));
        spsc_deinit(&q);
    }
}

TEST(spsc_layout_keeps_sides_on_separate_cache_lines) {
    size_t head = offsetof(SpscQueue, head), tail = offsetof(SpscQueue, tail);
    size_t slots = offsetof(SpscQueue, slots);
    CHECK(head / KEEL_CACHE_LINE != tail / KEEL_CACHE_LINE);
    CHECK(tail / KEEL_CACHE_LINE != slots / KEEL_CACHE_LINE);
    CHECK_EQ_INT(head / KEEL_CACHE_LINE, offsetof(SpscQueue, tail_cache) / KEEL_CACHE_LINE);
    CHECK_EQ_INT(tail / KEEL_CACHE_LINE, offsetof(SpscQueue, tail_local) / KEEL_CACHE_LINE);
    CHECK_EQ_INT(tail / KEEL_CACHE_LINE, offsetof(SpscQueue, head_cache) / KEEL_CACHE_LINE);
}

TEST(spsc_empty_queue_pops_nothing) {
    SpscQueue q;
    uintptr_t out[4];
    CHECK_EQ_INT(0, spsc_init(&q, 8));
    CHECK_EQ_INT(0, spsc_pop_batch(&q, out, 4));
    CHECK_EQ_INT(0, spsc_size(&q));
    spsc_commit(&q); /* nothing to publish: harmless */
    CHECK_EQ_INT(0, spsc_pop_batch(&q, out, 4));
    spsc_deinit(&q);
}

TEST(spsc_uncommitted_jobs_are_invisible_until_commit) {
    SpscQueue q;
    uintptr_t out[8];
    CHECK_EQ_INT(0, spsc_init(&q, 8));
    CHECK(spsc_push_nocommit(&q, 11));
    CHECK(spsc_push_nocommit(&q, 12));
    CHECK_EQ_INT(2, spsc_size(&q));
    CHECK_EQ_INT(0, spsc_pop_batch(&q, out, 8));
    spsc_commit(&q);
    CHECK(spsc_push_nocommit(&q, 13)); /* after the commit: not visible yet */
    CHECK_EQ_INT(2, spsc_pop_batch(&q, out, 8));
    CHECK_EQ_INT(11, out[0]);
    CHECK_EQ_INT(12, out[1]);
    CHECK_EQ_INT(0, spsc_pop_batch(&q, out, 8));
    CHECK(spsc_push(&q, 14)); /* push commits everything before it too */
    CHECK_EQ_INT(2, spsc_pop_batch(&q, out, 8));
    CHECK_EQ_INT(13, out[0]);
    CHECK_EQ_INT(14, out[1]);
    spsc_deinit(&q);
}

TEST(spsc_full_ring_publishes_uncommitted_jobs) {
    SpscQueue q;
    uintptr_t out[8];
    CHECK_EQ_INT(0, spsc_init(&q, 4));
    for (uintptr_t i = 1; i <= 4; i++) CHECK(spsc_push_nocommit(&q, i));
    CHECK_EQ_INT(0, spsc_pop_batch(&q, out, 8));
    CHECK(!spsc_push_nocommit(&q, 5)); /* full: publishes 1..4 */
    CHECK(!spsc_push(&q, 5));
    CHECK_EQ_INT(4, spsc_size(&q));
    CHECK_EQ_INT(3, spsc_pop_batch(&q, out, 3));
    for (uintptr_t i = 0; i < 3; i++) CHECK_EQ_INT(i + 1, out[i]);
    CHECK(spsc_push(&q, 5));
    CHECK(spsc_push(&q, 6));
    CHECK(spsc_push(&q, 7));
    CHECK(!spsc_push(&q, 8));
    /* The consumer's cached tail still says 4; it refreshes once drained. */
    CHECK_EQ_INT(1, spsc_pop_batch(&q, out, 8));
    CHECK_EQ_INT(4, out[0]);
    CHECK_EQ_INT(3, spsc_pop_batch(&q, out, 8));
    for (uintptr_t i = 0; i < 3; i++) CHECK_EQ_INT(i + 5, out[i]);
    CHECK_EQ_INT(0, spsc_size(&q));
    spsc_deinit(&q);
}

/* Uneven rounds of uncommitted pushes, commits and batch pops, checked
 * against a counter model: popping until 0 yields exactly the committed
 * prefix (or everything, once a full ring forced a publish), in order. A
 * single pop may return fewer (the consumer's cached tail); never 0 while
 * committed jobs wait, never more than max. */
static void spsc_run_laps(uint64_t first_pos) {
    SpscQueue q;
    uintptr_t out[16];
    uintptr_t next_in = 1, next_out = 1, committed = 1;
    CHECK_EQ_INT(0, spsc_init_at(&q, 8, first_pos));
    for (int r = 0; r < 6000; r++) {
        for (int i = 0; i < r % 10; i++) {
            if (spsc_push_nocommit(&q, next_in)) {
                next_in++;
            } else {
                committed = next_in; /* full published everything */
                break;
            }
        }
        if (r % 3 != 0) {
            spsc_commit(&q);
            committed = next_in;
        }
        CHECK_EQ_INT(next_in - next_out, spsc_size(&q));
        size_t max = (size_t)(r % 13);
        if (r % 4 == 0) {
            size_t n;
            while ((n = spsc_pop_batch(&q, out, 16)) > 0)
                for (size_t i = 0; i < n; i++) CHECK_EQ_INT(next_out++, out[i]);
            CHECK_EQ_INT(committed, next_out);
            continue;
        }
        size_t n = spsc_pop_batch(&q, out, max);
        CHECK(n <= max);
        CHECK_EQ_INT(max > 0 && committed > next_out, n > 0);
        for (size_t i = 0; i < n; i++) CHECK_EQ_INT(next_out++, out[i]);
    }
    CHECK(next_in > 6000);
    spsc_deinit(&q);
}

TEST(spsc_wraps_around_over_many_laps) {
    spsc_run_laps(0);
}

TEST(spsc_positions_wrap_across_2_pow_64) {
    spsc_run_laps(UINT64_MAX - 3);
    spsc_run_laps(UINT64_MAX - 4000);
}

typedef struct SpscStress {
    SpscQueue queue;
    size_t items;
    uint64_t *payload; /* plain; written before push, read after pop */
} SpscStress;

static void *spsc_producer_main(void *arg) {
    SpscStress *s = arg;
    uint64_t rng = 0x9e3779b97f4a7c15u;
    uintptr_t job = 1;
    while (job <= s->items) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        size_t batch = 1 + (size_t)(rng % 48);
        for (size_t i = 0; i < batch && job <= s->items; i++) {
            /* Plain write: TSan flags it unless commit/pop order it (R1/A1). */
            s->payload[job - 1] = job * 7;
            if (!spsc_push_nocommit(&s->queue, job)) {
                sched_yield(); /* full (and published): let the consumer run */
                break;
            }
            job++;
        }
        if (rng & 0x100) spsc_commit(&s->queue); /* sometimes leave a batch pending */
    }
    spsc_commit(&s->queue);
    return NULL;
}

static void spsc_stress(size_t capacity) {
    SpscStress s;
    CHECK_EQ_INT(0, spsc_init(&s.queue, capacity));
    s.items = STRESS_ITEMS;
    s.payload = calloc(s.items, sizeof(s.payload[0]));
    CHECK(s.payload != NULL);
    pthread_t producer;
    CHECK_EQ_INT(0, pthread_create(&producer, NULL, spsc_producer_main, &s));
    uintptr_t next = 1, out[SPSC_POP_BATCH];
    size_t out_of_order = 0, bad_payload = 0, rounds = 0;
    while (next <= s.items) {
        size_t n = spsc_pop_batch(&s.queue, out, 1 + rounds++ % SPSC_POP_BATCH);
        if (n == 0) sched_yield();
        for (size_t i = 0; i < n; i++) {
            if (out[i] != next) out_of_order++;
            else if (s.payload[out[i] - 1] != out[i] * 7) bad_payload++;
            next = out[i] + 1;
            if (next > s.items + 1) next = s.items + 1;
        }
    }
    pthread_join(producer, NULL);
    CHECK_EQ_INT(0, out_of_order);
    CHECK_EQ_INT(0, bad_payload);
    CHECK_EQ_INT(s.items + 1, next);
    CHECK_EQ_INT(0, spsc_pop_batch(&s.queue, out, SPSC_POP_BATCH));
    CHECK_EQ_INT(0, spsc_size(&s.queue));
    free(s.payload);
    spsc_deinit(&s.queue);
}

TEST(spsc_stress_1_producer_1_consumer_deferred_commits_tiny_ring) {
    spsc_stress(8);
}

TEST(spsc_stress_1_producer_1_consumer_deferred_commits_full_size_ring) {
    spsc_stress(4096);
}
