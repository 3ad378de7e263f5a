/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_mpsc.c: the completion ring (modules/iothreads/mpsc.c):
 * capacity rules, batch pops, the sticky ticket and per-producer overflow
 * list (driven by hand with several producer contexts on one thread), the
 * consumer stopping at a reserved-but-unwritten slot, wraparound across
 * 2^64, then 4 producers x 1 consumer on a tiny ring so most jobs travel
 * through the overflow lists: every job delivered once, each producer's jobs
 * in push order.
 *
 * Worker threads never call CHECK (it longjmps on the test's own stack);
 * they count failures, and the test thread checks the counts after join.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "mpsc.h"
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
#define STRESS_ITEMS_PER_PRODUCER 200000
#else
#define STRESS_ITEMS_PER_PRODUCER 500000
#endif
#define STRESS_PRODUCERS 4

TEST(mpsc_capacity_must_be_a_power_of_two) {
    MpscQueue q;
    size_t bad[] = {0, 1, 3, 12, 16383};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) CHECK_EQ_INT(-1, mpsc_init(&q, bad[i]));
    size_t good[] = {2, 8, 16384};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CHECK_EQ_INT(0, mpsc_init(&q, good[i]));
        CHECK_EQ_INT(good[i], mpsc_capacity(&q));
        mpsc_deinit(&q);
    }
}

TEST(mpsc_layout_keeps_sides_on_separate_cache_lines) {
    size_t head = offsetof(MpscQueue, head), tail = offsetof(MpscQueue, tail);
    size_t slots = offsetof(MpscQueue, slots);
    CHECK(head / KEEL_CACHE_LINE != tail / KEEL_CACHE_LINE);
    CHECK(tail / KEEL_CACHE_LINE != slots / KEEL_CACHE_LINE);
    CHECK_EQ_INT(head / KEEL_CACHE_LINE, offsetof(MpscQueue, tail_cache) / KEEL_CACHE_LINE);
    CHECK_EQ_INT(tail / KEEL_CACHE_LINE, offsetof(MpscQueue, head_cache) / KEEL_CACHE_LINE);
}

TEST(mpsc_empty_queue_pops_nothing) {
    MpscQueue q;
    uintptr_t out[4];
    CHECK_EQ_INT(0, mpsc_init(&q, 8));
    CHECK(mpsc_is_empty(&q));
    CHECK_EQ_INT(0, mpsc_pop_batch(&q, out, 4));
    mpsc_deinit(&q);
}

TEST(mpsc_pop_batch_respects_max_and_order) {
    MpscQueue q;
    MpscProducer p;
    uintptr_t out[16];
    CHECK_EQ_INT(0, mpsc_init(&q, 16));
    mpsc_producer_init(&p, &q);
    for (uintptr_t i = 1; i <= 10; i++) CHECK(mpsc_push(&p, i));
    CHECK(!mpsc_is_empty(&q));
    CHECK_EQ_INT(3, mpsc_pop_batch(&q, out, 3));
    for (uintptr_t i = 0; i < 3; i++) CHECK_EQ_INT(i + 1, out[i]);
    CHECK_EQ_INT(0, mpsc_pop_batch(&q, out, 0));
    CHECK_EQ_INT(7, mpsc_pop_batch(&q, out, 16));
    for (uintptr_t i = 0; i < 7; i++) CHECK_EQ_INT(i + 4, out[i]);
    CHECK(mpsc_is_empty(&q));
    CHECK_EQ_INT(0, p.overflowed);
    mpsc_producer_deinit(&p);
    mpsc_deinit(&q);
}

TEST(mpsc_full_ring_overflows_and_flush_keeps_order) {
    MpscQueue q;
    MpscProducer p;
    uintptr_t out[16];
    CHECK_EQ_INT(0, mpsc_init(&q, 4));
    mpsc_producer_init(&p, &q);
    for (uintptr_t i = 1; i <= 4; i++) CHECK(mpsc_push(&p, i));
    for (uintptr_t i = 5; i <= 40; i++) CHECK(!mpsc_push(&p, i)); /* grows the list past 16 */
    CHECK_EQ_INT(36, mpsc_pending(&p));
    CHECK_EQ_INT(36, p.overflowed);
    CHECK(p.has_ticket);
    CHECK(!mpsc_flush(&p)); /* still full: nothing moves */
    CHECK_EQ_INT(36, mpsc_pending(&p));
    uintptr_t expected = 1;
    while (expected <= 40) {
        size_t n = mpsc_pop_batch(&q, out, 3);
        CHECK(n > 0);
        for (size_t i = 0; i < n; i++) CHECK_EQ_INT(expected++, out[i]);
        bool done = mpsc_flush(&p);
        CHECK_EQ_INT(mpsc_pending(&p) == 0, done);
    }
    CHECK_EQ_INT(0, mpsc_pop_batch(&q, out, 16));
    CHECK(mpsc_is_empty(&q));
    CHECK(!p.has_ticket);
    CHECK(mpsc_push(&p, 41)); /* back to the direct path */
    CHECK_EQ_INT(1, mpsc_pop_batch(&q, out, 16));
    CHECK_EQ_INT(41, out[0]);
    mpsc_producer_deinit(&p);
    mpsc_deinit(&q);
}

TEST(mpsc_push_with_overflow_left_queues_behind_it) {
    MpscQueue q;
    MpscProducer p;
    uintptr_t out[8];
    CHECK_EQ_INT(0, mpsc_init(&q, 2));
    mpsc_producer_init(&p, &q);
    CHECK(mpsc_push(&p, 1));
    CHECK(mpsc_push(&p, 2));
    CHECK(!mpsc_push(&p, 3));
    CHECK(!mpsc_push(&p, 4));
    CHECK_EQ_INT(1, mpsc_pop_batch(&q, out, 1)); /* room for one */
    CHECK(!mpsc_push(&p, 5)); /* flushes 3, then 4 and 5 wait */
    CHECK_EQ_INT(2, mpsc_pending(&p));
    CHECK_EQ_INT(2, mpsc_pop_batch(&q, out, 8));
    CHECK_EQ_INT(2, out[0]);
    CHECK_EQ_INT(3, out[1]);
    /* 4 and 5 fill the two free slots; 6 finds the ring full again. */
    CHECK(!mpsc_push(&p, 6));
    CHECK_EQ_INT(1, mpsc_pending(&p));
    CHECK_EQ_INT(2, mpsc_pop_batch(&q, out, 8));
    CHECK_EQ_INT(4, out[0]);
    CHECK_EQ_INT(5, out[1]);
    CHECK(mpsc_flush(&p));
    CHECK_EQ_INT(1, mpsc_pop_batch(&q, out, 8));
    CHECK_EQ_INT(6, out[0]);
    CHECK(mpsc_is_empty(&q));
    mpsc_producer_deinit(&p);
    mpsc_deinit(&q);
}

/* Two producers on one thread: A holds a ticket at an earlier position than
 * B. B's job lands first, but the consumer must stop at A's empty slot. */
TEST(mpsc_consumer_stops_at_reserved_unwritten_slot) {
    MpscQueue q;
    MpscProducer a, b;
    uintptr_t out[8];
    CHECK_EQ_INT(0, mpsc_init(&q, 4));
    mpsc_producer_init(&a, &q);
    mpsc_producer_init(&b, &q);
    for (uintptr_t i = 1; i <= 4; i++) CHECK(mpsc_push(&a, 0xA00 + i));
    CHECK(!mpsc_push(&a, 0xA05)); /* ticket at position 4 */
    CHECK(!mpsc_push(&b, 0xB01)); /* ticket at position 5 */
    CHECK_EQ_INT(4, a.ticket);
    CHECK_EQ_INT(5, b.ticket);
    CHECK_EQ_INT(4, mpsc_pop_batch(&q, out, 8));
    CHECK(mpsc_flush(&b)); /* position 5 is free now: B writes it */
    CHECK(!mpsc_is_empty(&q));
    CHECK_EQ_INT(0, mpsc_pop_batch(&q, out, 8)); /* position 4 still empty */
    CHECK_EQ_INT(0, mpsc_pop_batch(&q, out, 8));
    CHECK(mpsc_flush(&a));
    CHECK_EQ_INT(2, mpsc_pop_batch(&q, out, 8));
    CHECK_EQ_INT(0xA05, out[0]);
    CHECK_EQ_INT(0xB01, out[1]);
    CHECK(mpsc_is_empty(&q));
    mpsc_producer_deinit(&a);
    mpsc_producer_deinit(&b);
    mpsc_deinit(&q);
}

/* Round after round of pushes from two producers and partial pops, with
 * positions starting near 2^64 so they wrap mid-run. The model: each
 * producer's jobs come out in order, and all of them come out. */
static void mpsc_run_laps(uint64_t first_pos) {
    MpscQueue q;
    MpscProducer p[2];
    uintptr_t out[8];
    uintptr_t next_in[2] = {1, 1}, next_out[2] = {1, 1};
    CHECK_EQ_INT(0, mpsc_init_at(&q, 8, first_pos));
    mpsc_producer_init(&p[0], &q);
    mpsc_producer_init(&p[1], &q);
    for (int r = 0; r < 4000; r++) {
        int who = (r / 3) % 2;
        for (int i = 0; i < r % 11; i++) mpsc_push(&p[who], ((uintptr_t)who << 32) | next_in[who]++);
        size_t n = mpsc_pop_batch(&q, out, (size_t)(r % 8) + 1);
        for (size_t i = 0; i < n; i++) {
            int from = (int)(out[i] >> 32);
            CHECK_EQ_INT(next_out[from]++, out[i] & 0xffffffffu);
        }
        if (r % 5 == 0) mpsc_flush(&p[1 - who]);
    }
    for (int drained = 0; !drained;) {
        bool done0 = mpsc_flush(&p[0]), done1 = mpsc_flush(&p[1]); /* both, always */
        bool done = done0 && done1;
        size_t n = mpsc_pop_batch(&q, out, 8);
        for (size_t i = 0; i < n; i++) {
            int from = (int)(out[i] >> 32);
            CHECK_EQ_INT(next_out[from]++, out[i] & 0xffffffffu);
        }
        drained = done && n == 0 && mpsc_is_empty(&q);
    }
    CHECK_EQ_INT(next_in[0], next_out[0]);
    CHECK_EQ_INT(next_in[1], next_out[1]);
    CHECK(p[0].overflowed > 0 && p[1].overflowed > 0);
    mpsc_producer_deinit(&p[0]);
    mpsc_producer_deinit(&p[1]);
    mpsc_deinit(&q);
}

TEST(mpsc_wraps_around_over_many_laps) {
    mpsc_run_laps(0);
}

TEST(mpsc_positions_wrap_across_2_pow_64) {
    mpsc_run_laps(UINT64_MAX - 5);
    mpsc_run_laps(UINT64_MAX - 3000);
}

typedef struct MpscStress {
    MpscQueue queue;
    size_t per_producer;
    uint64_t *payload; /* plain; per job, written before push, read after pop */
    /* Set by each producer after its first overflow; the consumer starts
     * only when all are set, so the overflow path is always exercised. */
    _Atomic int overflowed_producers;
    _Atomic uint64_t overflowed_total;
} MpscStress;

typedef struct MpscStressProducer {
    MpscStress *stress;
    uintptr_t id;
} MpscStressProducer;

static void *mpsc_producer_main(void *arg) {
    MpscStressProducer *self = arg;
    MpscStress *s = self->stress;
    MpscProducer p;
    bool announced = false;
    mpsc_producer_init(&p, &s->queue);
    for (uintptr_t seq = 1; seq <= s->per_producer; seq++) {
        /* Plain write: TSan flags it unless push/pop order it (R1/A1). */
        s->payload[(self->id - 1) * s->per_producer + seq - 1] = seq ^ self->id;
        if (!mpsc_push(&p, (self->id << 40) | seq) && !announced) {
            announced = true;
            atomic_fetch_add_explicit(&s->overflowed_producers, 1, memory_order_relaxed);
        }
        /* Now and then act idle: flush, and give the CPU away. */
        if (seq % 1024 == 0 && !mpsc_flush(&p)) sched_yield();
    }
    if (!announced) { /* ring never filled: force one overflow round */
        atomic_fetch_add_explicit(&s->overflowed_producers, 1, memory_order_relaxed);
    }
    mpsc_flush_wait(&p);
    atomic_fetch_add_explicit(&s->overflowed_total, p.overflowed, memory_order_relaxed);
    mpsc_producer_deinit(&p);
    return NULL;
}

static void mpsc_stress(size_t capacity) {
    MpscStress *s = calloc(1, sizeof(*s));
    CHECK(s != NULL);
    CHECK_EQ_INT(0, mpsc_init(&s->queue, capacity));
    s->per_producer = STRESS_ITEMS_PER_PRODUCER;
    s->payload = calloc(s->per_producer * STRESS_PRODUCERS, sizeof(s->payload[0]));
    CHECK(s->payload != NULL);
    MpscStressProducer self[STRESS_PRODUCERS];
    pthread_t thread[STRESS_PRODUCERS];
    for (int i = 0; i < STRESS_PRODUCERS; i++) {
        self[i].stress = s;
        self[i].id = (uintptr_t)i + 1;
        CHECK_EQ_INT(0, pthread_create(&thread[i], NULL, mpsc_producer_main, &self[i]));
    }
    /* relaxed: a start gate only; the ring orders the data. */
    while (atomic_load_explicit(&s->overflowed_producers, memory_order_relaxed) < STRESS_PRODUCERS)
        sched_yield();
    uintptr_t next[STRESS_PRODUCERS + 1] = {0};
    for (int i = 1; i <= STRESS_PRODUCERS; i++) next[i] = 1;
    size_t total = 0, bad = 0, out_of_order = 0;
    uintptr_t out[32];
    while (total < s->per_producer * STRESS_PRODUCERS && bad == 0) {
        size_t n = mpsc_pop_batch(&s->queue, out, 32);
        if (n == 0) sched_yield();
        for (size_t i = 0; i < n; i++) {
            uintptr_t id = out[i] >> 40, seq = out[i] & (((uintptr_t)1 << 40) - 1);
            if (id < 1 || id > STRESS_PRODUCERS) {
                bad++;
                continue;
            }
            if (seq != next[id]) out_of_order++;
            if (seq < 1 || seq > s->per_producer ||
                s->payload[(id - 1) * s->per_producer + seq - 1] != (seq ^ id)) {
                bad++;
                continue;
            }
            next[id] = seq + 1;
            total++;
        }
    }
    for (int i = 0; i < STRESS_PRODUCERS; i++) pthread_join(thread[i], NULL);
    CHECK_EQ_INT(0, bad);
    CHECK_EQ_INT(0, out_of_order);
    CHECK_EQ_INT(s->per_producer * STRESS_PRODUCERS, total);
    for (int i = 1; i <= STRESS_PRODUCERS; i++) CHECK_EQ_INT(s->per_producer + 1, next[i]);
    CHECK_EQ_INT(0, mpsc_pop_batch(&s->queue, out, 32));
    CHECK(mpsc_is_empty(&s->queue));
    CHECK(atomic_load(&s->overflowed_total) > 0);
    mpsc_deinit(&s->queue);
    free(s->payload);
    free(s);
}

TEST(mpsc_stress_4_producers_1_consumer_tiny_ring_overflows) {
    mpsc_stress(4);
}

TEST(mpsc_stress_4_producers_1_consumer_full_size_ring) {
    mpsc_stress(16384);
}
