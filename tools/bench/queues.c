/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tools/bench/queues.c: `make bench-queues`. Throughput and handoff latency
 * of keel-iothreads' three rings (modules/iothreads/), each against a
 * mutex+condvar ring and Concurrency Kit's ck_ring of the same discipline,
 * in one run, with ratios.
 *
 *   throughput  SPSC 1->1, SPMC 1->N, MPSC N->1 (N = online CPUs - 1, at
 *               most 4, at least 1; -t N overrides): jobs per second through
 *               the ring, median of -r runs (default 3).
 *   latency     ping-pong over two rings of the kind, one job in flight:
 *               round-trip time, median of -r runs.
 *
 * Lock-free variants spin (with a CPU pause hint) when full or empty, as IO
 * threads do; the mutex ring blocks on its condition variables, as a
 * classic work queue does. Ring sizes are the engine's: shared 4096,
 * private 4096, completions 16384. keel's MPSC consumer pops batches of 32
 * (its design), so does the mutex ring's; ck_ring has no batch pop. keel's
 * calls go through the linked .c files, ck_ring's are inlined.
 *
 * Not a test: nothing is asserted but the checksum of what was delivered.
 */
#include <ck_ring.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mpsc.h"
#include "spmc.h"
#include "spsc.h"

#define SHARED_CAP 4096
#define PRIVATE_CAP 4096
#define DONE_CAP 16384
#define BATCH 32
#define STOP UINTPTR_MAX /* sentinel job: a consumer stops on it */
#define MAX_THREADS 16

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#else
    sched_yield();
#endif
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- The mutex + condvar ring: bounded, blocking, any number of sides. */

typedef struct MutexRing {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int waiting_consumers, waiting_producers; /* under lock */
    uintptr_t *slots;
    size_t mask, head, tail; /* under lock */
} MutexRing;

static MutexRing *mutex_ring_create(size_t capacity) {
    MutexRing *r = calloc(1, sizeof(*r));
    r->slots = calloc(capacity, sizeof(uintptr_t));
    if (r == NULL || r->slots == NULL) abort();
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->not_empty, NULL);
    pthread_cond_init(&r->not_full, NULL);
    r->mask = capacity - 1;
    return r;
}

static void mutex_ring_destroy(MutexRing *r) {
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->not_empty);
    pthread_cond_destroy(&r->not_full);
    free(r->slots);
    free(r);
}

static void mutex_ring_push(MutexRing *r, uintptr_t job) {
    pthread_mutex_lock(&r->lock);
    while (r->tail - r->head > r->mask) {
        r->waiting_producers++;
        pthread_cond_wait(&r->not_full, &r->lock);
        r->waiting_producers--;
    }
    r->slots[r->tail++ & r->mask] = job;
    if (r->waiting_consumers > 0) pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->lock);
}

/* Blocks until at least one job is there; pops up to max. */
static size_t mutex_ring_pop(MutexRing *r, uintptr_t *out, size_t max) {
    pthread_mutex_lock(&r->lock);
    while (r->tail == r->head) {
        r->waiting_consumers++;
        pthread_cond_wait(&r->not_empty, &r->lock);
        r->waiting_consumers--;
    }
    size_t n = 0;
    while (n < max && r->head != r->tail) out[n++] = r->slots[r->head++ & r->mask];
    if (r->waiting_producers > 0) pthread_cond_broadcast(&r->not_full);
    pthread_mutex_unlock(&r->lock);
    return n;
}

/* ---- ck_ring with its buffer. */

typedef struct CkRing {
    ck_ring_t ring;
    ck_ring_buffer_t *buf;
} CkRing;

static CkRing *ck_create(size_t capacity) {
    CkRing *r = aligned_alloc(64, (sizeof(CkRing) + 63) / 64 * 64);
    if (r == NULL) abort();
    /* ck_ring holds capacity - 1 jobs: it keeps one slot empty. */
    r->buf = calloc(capacity, sizeof(ck_ring_buffer_t));
    if (r->buf == NULL) abort();
    ck_ring_init(&r->ring, (unsigned)capacity);
    return r;
}

static void ck_destroy(CkRing *r) {
    free(r->buf);
    free(r);
}

/* ---- One benchmark run: the queue under test, its kind and threads. */

typedef enum Impl { IMPL_KEEL, IMPL_CK, IMPL_MUTEX, IMPL_COUNT } Impl;
static const char *impl_names[IMPL_COUNT] = {"keel", "ck_ring", "mutex+cond"};

typedef enum Kind { KIND_SPSC, KIND_SPMC, KIND_MPSC } Kind;
static const char *kind_names[] = {"SPSC", "SPMC", "MPSC"};

typedef struct Run {
    Kind kind;
    Impl impl;
    void *queue;     /* SpscQueue / SpmcQueue / MpscQueue, CkRing, MutexRing */
    void *back;      /* latency: the ring back to the sender */
    size_t items;    /* per producer */
    int producers, consumers;
    _Atomic int ready; /* threads parked at the start line */
    _Atomic int go;
    _Atomic uint64_t checksum; /* sum of every job delivered */
} Run;

typedef struct Worker {
    Run *run;
    int id;
} Worker;

static void start_line(Run *r) {
    atomic_fetch_add_explicit(&r->ready, 1, memory_order_relaxed);
    /* acquire pairs with the release that opens the run (run_threads). */
    while (!atomic_load_explicit(&r->go, memory_order_acquire)) cpu_relax();
}

/* Sends one job, waiting while the ring is full. mpsc_producer: this
 * thread's keel MPSC context (MPSC only). */
static void send(Run *r, void *queue, MpscProducer *mpsc_producer, uintptr_t job) {
    switch (r->impl) {
    case IMPL_KEEL:
        if (r->kind == KIND_SPSC) {
            while (!spsc_push(queue, job)) cpu_relax();
        } else if (r->kind == KIND_SPMC) {
            while (!spmc_push(queue, job)) cpu_relax();
        } else if (!mpsc_push(mpsc_producer, job)) {
            while (!mpsc_flush(mpsc_producer)) cpu_relax(); /* treat overflow as full */
        }
        break;
    case IMPL_CK: {
        CkRing *ck = queue;
        void *word = (void *)job;
        if (r->kind == KIND_SPSC) {
            while (!ck_ring_enqueue_spsc(&ck->ring, ck->buf, word)) cpu_relax();
        } else if (r->kind == KIND_SPMC) {
            while (!ck_ring_enqueue_spmc(&ck->ring, ck->buf, word)) cpu_relax();
        } else {
            while (!ck_ring_enqueue_mpsc(&ck->ring, ck->buf, word)) cpu_relax();
        }
        break;
    }
    case IMPL_MUTEX:
        mutex_ring_push(queue, job);
        break;
    default:
        abort();
    }
}

/* Receives at least one job into out (up to max), spinning or blocking
 * while the ring is empty. */
static size_t receive(Run *r, void *queue, uintptr_t *out, size_t max) {
    for (;;) {
        size_t n = 0;
        switch (r->impl) {
        case IMPL_KEEL:
            if (r->kind == KIND_SPSC) {
                n = spsc_pop_batch(queue, out, max);
            } else if (r->kind == KIND_SPMC) {
                out[0] = spmc_pop(queue);
                n = out[0] != 0;
            } else {
                n = mpsc_pop_batch(queue, out, max);
            }
            break;
        case IMPL_CK: {
            CkRing *ck = queue;
            void *word;
            bool got;
            if (r->kind == KIND_SPSC) {
                got = ck_ring_dequeue_spsc(&ck->ring, ck->buf, &word);
            } else if (r->kind == KIND_SPMC) {
                got = ck_ring_dequeue_spmc(&ck->ring, ck->buf, &word);
            } else {
                got = ck_ring_dequeue_mpsc(&ck->ring, ck->buf, &word);
            }
            if (got) out[0] = (uintptr_t)word;
            n = got;
            break;
        }
        case IMPL_MUTEX:
            return mutex_ring_pop(queue, out, max);
        default:
            abort();
        }
        if (n > 0) return n;
        cpu_relax();
    }
}

/* Batch size a consumer asks for: SPSC and MPSC consumers drain batches
 * (the engine's IO thread and main thread do), SPMC consumers take one job
 * at a time (an IO thread takes one shared job per loop). */
static size_t batch_of(const Run *r) {
    return r->kind == KIND_SPMC ? 1 : BATCH;
}

static void *producer_main(void *arg) {
    Worker *w = arg;
    Run *r = w->run;
    MpscProducer mpsc_producer;
    if (r->impl == IMPL_KEEL && r->kind == KIND_MPSC) mpsc_producer_init(&mpsc_producer, r->queue);
    start_line(r);
    for (uintptr_t i = 1; i <= r->items; i++) send(r, r->queue, &mpsc_producer, i);
    /* One stop job per consumer: the single producer of SPSC/SPMC sends
     * them; for MPSC, producer 0 counts on the consumer counting stops. */
    int stops = r->kind == KIND_MPSC ? 1 : r->consumers;
    for (int i = 0; i < stops; i++) send(r, r->queue, &mpsc_producer, STOP);
    if (r->impl == IMPL_KEEL && r->kind == KIND_MPSC) {
        mpsc_flush_wait(&mpsc_producer);
        mpsc_producer_deinit(&mpsc_producer);
    }
    return NULL;
}

static void *consumer_main(void *arg) {
    Worker *w = arg;
    Run *r = w->run;
    uintptr_t out[BATCH];
    uint64_t sum = 0;
    /* An MPSC consumer stops after one stop job per producer. */
    int stops_left = r->kind == KIND_MPSC ? r->producers : 1;
    start_line(r);
    while (stops_left > 0) {
        size_t n = receive(r, r->queue, out, batch_of(r));
        for (size_t i = 0; i < n; i++) {
            if (out[i] == STOP) stops_left--;
            else sum += out[i];
        }
    }
    atomic_fetch_add_explicit(&r->checksum, sum, memory_order_relaxed);
    return NULL;
}

/* Ping-pong: the pinger sends i and waits for it back; the ponger echoes. */
static void *ponger_main(void *arg) {
    Worker *w = arg;
    Run *r = w->run;
    MpscProducer mpsc_producer;
    uintptr_t job;
    if (r->impl == IMPL_KEEL && r->kind == KIND_MPSC) mpsc_producer_init(&mpsc_producer, r->back);
    start_line(r);
    do {
        receive(r, r->queue, &job, 1);
        send(r, r->back, &mpsc_producer, job);
    } while (job != STOP);
    if (r->impl == IMPL_KEEL && r->kind == KIND_MPSC) {
        mpsc_flush_wait(&mpsc_producer);
        mpsc_producer_deinit(&mpsc_producer);
    }
    return NULL;
}

static void *queue_create(Impl impl, Kind kind) {
    size_t capacity = kind == KIND_SPMC ? SHARED_CAP : kind == KIND_SPSC ? PRIVATE_CAP : DONE_CAP;
    if (impl == IMPL_CK) return ck_create(capacity);
    if (impl == IMPL_MUTEX) return mutex_ring_create(capacity);
    int rc = -1;
    void *q = NULL;
    if (kind == KIND_SPSC) rc = spsc_init(q = aligned_alloc(64, sizeof(SpscQueue)), capacity);
    if (kind == KIND_SPMC) rc = spmc_init(q = aligned_alloc(64, sizeof(SpmcQueue)), capacity);
    if (kind == KIND_MPSC) rc = mpsc_init(q = aligned_alloc(64, sizeof(MpscQueue)), capacity);
    if (rc != 0) abort();
    return q;
}

static void queue_destroy(Impl impl, Kind kind, void *q) {
    if (impl == IMPL_CK) return ck_destroy(q);
    if (impl == IMPL_MUTEX) return mutex_ring_destroy(q);
    if (kind == KIND_SPSC) spsc_deinit(q);
    if (kind == KIND_SPMC) spmc_deinit(q);
    if (kind == KIND_MPSC) mpsc_deinit(q);
    free(q);
}

/* Each benchmark thread gets a CPU of its own when there are enough (thread
 * i on CPU i): left to the scheduler, two threads sometimes share a CPU for
 * part of a run, and ring throughput on a 2-CPU machine swung from 0.45x to
 * 1.8x of ck_ring between identical runs. */
static void attr_init_pinned(pthread_attr_t *attr, int index, int total) {
    pthread_attr_init(attr);
    if (total > sysconf(_SC_NPROCESSORS_ONLN)) return; /* oversubscribed: let it be */
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(index, &set);
    pthread_attr_setaffinity_np(attr, sizeof(set), &set);
}

/* Pins the calling thread like attr_init_pinned. */
static void pin_self(int index, int total) {
    if (total > sysconf(_SC_NPROCESSORS_ONLN)) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(index, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Starts the threads, opens the start line, joins; returns the seconds
 * between opening and the last join. */
static double run_threads(Run *r, void *(*first)(void *), int first_count, void *(*second)(void *),
                          int second_count) {
    pthread_t threads[MAX_THREADS];
    Worker workers[MAX_THREADS];
    int total = first_count + second_count;
    for (int i = 0; i < total; i++) {
        workers[i].run = r;
        workers[i].id = i;
        pthread_attr_t attr;
        attr_init_pinned(&attr, i, total);
        if (pthread_create(&threads[i], &attr, i < first_count ? first : second, &workers[i]) != 0)
            abort();
        pthread_attr_destroy(&attr);
    }
    while (atomic_load_explicit(&r->ready, memory_order_relaxed) < total) sched_yield();
    double start = now_s();
    /* release pairs with the acquire in start_line. */
    atomic_store_explicit(&r->go, 1, memory_order_release);
    for (int i = 0; i < total; i++) pthread_join(threads[i], NULL);
    return now_s() - start;
}

/* Jobs per second through one ring. */
static double throughput_once(Kind kind, Impl impl, int threads, size_t total_items) {
    Run r = {.kind = kind, .impl = impl};
    r.queue = queue_create(impl, kind);
    r.producers = kind == KIND_MPSC ? threads : 1;
    r.consumers = kind == KIND_SPMC ? threads : 1;
    r.items = total_items / (size_t)r.producers;
    double seconds = run_threads(&r, producer_main, r.producers, consumer_main, r.consumers);
    uint64_t items = (uint64_t)r.items;
    uint64_t expected = (uint64_t)r.producers * (items * (items + 1) / 2);
    if (atomic_load(&r.checksum) != expected) {
        fprintf(stderr, "bench-queues: %s %s lost or duplicated jobs\n", kind_names[kind],
                impl_names[impl]);
        exit(1);
    }
    queue_destroy(impl, kind, r.queue);
    return (double)items * r.producers / seconds;
}

/* Round-trip nanoseconds of one job over two rings of the kind. */
static double latency_once(Kind kind, Impl impl, size_t round_trips) {
    Run r = {.kind = kind, .impl = impl, .producers = 1, .consumers = 1};
    r.queue = queue_create(impl, kind);
    r.back = queue_create(impl, kind);
    pthread_t ponger;
    Worker w = {.run = &r};
    pthread_attr_t attr;
    attr_init_pinned(&attr, 1, 2);
    pin_self(0, 2);
    if (pthread_create(&ponger, &attr, ponger_main, &w) != 0) abort();
    pthread_attr_destroy(&attr);
    MpscProducer mpsc_producer;
    if (impl == IMPL_KEEL && kind == KIND_MPSC) mpsc_producer_init(&mpsc_producer, r.queue);
    while (atomic_load_explicit(&r.ready, memory_order_relaxed) < 1) sched_yield();
    /* release pairs with the acquire in start_line. */
    atomic_store_explicit(&r.go, 1, memory_order_release);
    double start = now_s();
    uintptr_t job;
    for (uintptr_t i = 1; i <= round_trips; i++) {
        send(&r, r.queue, &mpsc_producer, i);
        receive(&r, r.back, &job, 1);
        if (job != i) {
            fprintf(stderr, "bench-queues: %s %s ping-pong out of step\n", kind_names[kind],
                    impl_names[impl]);
            exit(1);
        }
    }
    double seconds = now_s() - start;
    send(&r, r.queue, &mpsc_producer, STOP);
    receive(&r, r.back, &job, 1);
    pthread_join(ponger, NULL);
    if (impl == IMPL_KEEL && kind == KIND_MPSC) {
        mpsc_flush_wait(&mpsc_producer);
        mpsc_producer_deinit(&mpsc_producer);
    }
    queue_destroy(impl, kind, r.queue);
    queue_destroy(impl, kind, r.back);
    return seconds * 1e9 / (double)round_trips;
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int n) {
    qsort(values, (size_t)n, sizeof(values[0]), compare_double);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int main(int argc, char **argv) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cpus - 1 < 1 ? 1 : cpus - 1 > 4 ? 4 : (int)cpus - 1;
    int repeats = 3;
    size_t items = 10000000, round_trips = 200000;
    int opt;
    while ((opt = getopt(argc, argv, "t:r:n:l:")) != -1) {
        switch (opt) {
        case 't': threads = atoi(optarg); break;
        case 'r': repeats = atoi(optarg); break;
        case 'n': items = strtoull(optarg, NULL, 10); break;
        case 'l': round_trips = strtoull(optarg, NULL, 10); break;
        default:
            fprintf(stderr, "usage: %s [-t threads] [-r repeats] [-n jobs] [-l round trips]\n",
                    argv[0]);
            return 2;
        }
    }
    if (threads < 1 || threads > MAX_THREADS - 1 || repeats < 1 || repeats > 99 || items < 1 ||
        round_trips < 1) {
        fprintf(stderr, "bench-queues: -t 1..%d, -r 1..99, -n and -l > 0\n", MAX_THREADS - 1);
        return 2;
    }
    printf("bench-queues: %ld CPUs online, N = %d, median of %d runs, %zu jobs, %zu round trips\n",
           cpus, threads, repeats, items, round_trips);
    printf("%-4s %-8s %-11s %12s %9s %9s %12s %9s %9s\n", "ring", "shape", "impl", "Mjobs/s",
           "vs ck", "vs mutex", "RTT ns", "vs ck", "vs mutex");
    for (Kind kind = KIND_SPSC; kind <= KIND_MPSC; kind++) {
        double ops[IMPL_COUNT], rtt[IMPL_COUNT], samples[99];
        char shape[16];
        if (kind == KIND_SPSC) snprintf(shape, sizeof(shape), "1->1");
        if (kind == KIND_SPMC) snprintf(shape, sizeof(shape), "1->%d", threads);
        if (kind == KIND_MPSC) snprintf(shape, sizeof(shape), "%d->1", threads);
        for (Impl impl = 0; impl < IMPL_COUNT; impl++) {
            for (int i = 0; i < repeats; i++)
                samples[i] = throughput_once(kind, impl, kind == KIND_SPSC ? 1 : threads, items);
            ops[impl] = median(samples, repeats);
            for (int i = 0; i < repeats; i++) samples[i] = latency_once(kind, impl, round_trips);
            rtt[impl] = median(samples, repeats);
        }
        for (Impl impl = 0; impl < IMPL_COUNT; impl++) {
            /* Throughput ratio: higher is better; latency ratio: the other
             * queue's RTT over this one's, so higher is better too. */
            printf("%-4s %-8s %-11s %12.2f %8.2fx %8.2fx %12.0f %8.2fx %8.2fx\n", kind_names[kind],
                   shape, impl_names[impl], ops[impl] / 1e6, ops[impl] / ops[IMPL_CK],
                   ops[impl] / ops[IMPL_MUTEX], rtt[impl], rtt[IMPL_CK] / rtt[impl],
                   rtt[IMPL_MUTEX] / rtt[impl]);
        }
    }
    printf("(ratios: higher is better for both; RTT ratio = other's RTT / this RTT)\n");
    return 0;
}
