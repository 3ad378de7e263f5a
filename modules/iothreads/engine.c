/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/engine.c: the IO engine of keel-iothreads.so: IO threads, the
 * three queues between them and the main thread, and the scaling policy
 * (IO-THREADS.md sections 1, 3 and 5).
 *
 * The engine moves job words and never looks inside them: an IO thread hands
 * each job to core->io_run_job and posts the completion word it returns.
 * Queues: one shared SPMC ring (main -> any IO thread), one MPSC completion
 * ring (IO threads -> main), one SPSC private inbox per IO thread (argv
 * frees, poll jobs). A thread always drains its private inbox first.
 *
 * Policy: threads are created parked. The active ones are always tids
 * 1..active-1. "Ignition" wakes thread 1 when the main thread's own system
 * CPU (getrusage RUSAGE_THREAD) was above 30% over the last 50 ms (or above
 * 5% with user CPU above 50%) and loop turns handle more than one event on
 * average; then a 10 ms timer samples queue depth and wakes one more thread
 * when the shared ring holds more than one job on average, or parks the
 * highest when under one job was pending on average over 16 samples and the
 * last change is a second old.
 * io-threads-always-active wakes every thread on the first turn with events
 * and keeps them all active. Parked threads wait on a condition variable.
 *
 * Idle sleep: an active thread with nothing to do spins a bounded number of
 * rounds (a few microseconds), then sleeps on the same condition variable
 * until the main thread kicks it. Main kicks only threads it knows to be
 * asleep: after publishing jobs it does one RMW on a sleeper count (shared
 * ring) or on the thread's asleep flag (private inbox), and a thread does the
 * same RMWs before its last look at the queues, so either main sees it asleep
 * or it sees the jobs. That check runs once per loop turn (engine_commit),
 * plus one early kick at the first job of a turn when a thread sleeps, so a
 * busy server pays no syscall per job.
 *
 * The main thread sleeps in epoll while jobs run: an IO thread that posts a
 * completion while main_sleeping is set writes an eventfd the loop watches.
 * The sleeping flag and the finished counter form a store-then-load pair on
 * both sides, so both use seq_cst (the only seq_cst in the engine). Only
 * jobs with a completion count there; the others (argv frees) count in
 * finished_silent, so they never make main skip a sleep.
 *
 * Threads: the KeelIoEngine members run on the main thread; io_thread_main
 * and what it calls on the IO threads. Each field says who writes it.
 */
#include "engine.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mpsc.h"
#include "spmc.h"
#include "spsc.h"

#define IGNITION_SAMPLE_US 50000  /* ignition looks at main-thread CPU this often */
/* Ignition thresholds on the main thread's CPU over one sample: system time
 * (syscalls: the reads and writes IO threads would take) above 30%, or
 * system above 5% with user above 50% (a parse-heavy load). */
#define IGNITION_SYS_PERCENT 30
#define IGNITION_SYS_WITH_USER_PERCENT 5
#define IGNITION_USER_PERCENT 50
#define SCALE_TICK_MS 10          /* depth sampling period while threads are active */
#define SCALE_SAMPLES 16          /* samples per scaling decision */
#define SCALE_DOWN_COOLDOWN_US 1000000
/* Idle rounds before an active thread sleeps. A round is two queue checks
 * and a pause (~20-140 cycles each), so 64 is a few microseconds: enough to
 * catch the next job of a busy turn, short enough not to steal a core from
 * the main thread on a small machine. Where every IO thread, the main
 * thread and a client have a core of their own, a thread that sleeps
 * between the main thread's turns makes main pay a futex wake-up per turn,
 * so there it spins ~64x longer (a few hundred microseconds). */
#define IDLE_SPINS_BEFORE_SLEEP 64
#define IDLE_SPINS_BEFORE_SLEEP_MANY_CORES 4096

/* Idle rounds before sleeping, for the pool's size (set by the main thread
 * as threads are created, read relaxed by the IO threads). */
static _Atomic int idle_spins = IDLE_SPINS_BEFORE_SLEEP;

/* The idle spin limit for a pool of threads IO threads on this machine. */
static int idle_spin_limit(int threads) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus >= 2L * (threads + 1) ? IDLE_SPINS_BEFORE_SLEEP_MANY_CORES
                                       : IDLE_SPINS_BEFORE_SLEEP;
}

typedef struct IoThread {
    SpscQueue inbox; /* producer: main; consumer: this thread (aligned members first) */
    int tid;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int allowed;     /* under lock; main writes: may run */
    int stop;        /* under lock; main writes: exit the loop */
    int kicked;      /* under lock; main sets to end an idle sleep, the thread clears */
    _Atomic int run; /* main writes with release after allowed; the thread's cheap check */
    _Atomic int asleep; /* this thread: 1 from its last queue look until it wakes (K1/K2) */
    MpscProducer producer; /* this thread only */
    int wake_on_commit; /* main: a job pushed since the last commit wants the thread awake */
    int lazy;           /* main: jobs were published to it asleep, without a wake */
} IoThread;

static struct {
    const KeelCore *core; /* set once by engine_init */
    SpmcQueue shared;
    MpscQueue done;
    int queues_ready; /* main */
    IoThread *threads[ENGINE_MAX_THREADS]; /* [tid]; main creates and joins */
    int configured;    /* main: threads in all, main included */
    int active;        /* main: 1 + IO threads allowed to run (tids 1..active-1) */
    int always_active; /* main */
    uint64_t submitted; /* main: jobs handed to IO threads */
    _Atomic uint64_t finished; /* IO threads add; jobs done (completion in the ring) */
    _Atomic uint64_t finished_silent; /* IO threads add; jobs done that have no completion */
    _Atomic int sleepers;      /* IO threads add/remove around an idle sleep (K3/K4) */
    int unchecked;             /* main: shared jobs queued since the last sleeper check */
    int early_kicked;          /* main: the early kick of this loop turn happened */
    uint64_t finished_seen;    /* main: finished when the last drain emptied the ring */
    int drain_full;            /* main: the last drain stopped at its max */
    _Atomic int main_sleeping; /* main sets before the poll; an IO thread clears it to wake */
    _Atomic int stopping;      /* main sets in stop(): threads exit at once */
    int wake_fd;               /* eventfd written to wake the main thread */

    /* Policy state, main only. */
    uint64_t ignition_at_us, ignition_user_us, ignition_sys_us;
    uint64_t turns, events;
    uint64_t depth_sum, pending_sum, pending_avg;
    int samples;
    uint64_t last_change_us;
    long long timer_id;
    int poll_next; /* round-robin cursor of poll jobs */

    uint64_t polls, shared_full;      /* main */
    _Atomic uint64_t overflows;       /* IO threads add, relaxed: a statistic */
} eng = {.wake_fd = -1};

void engine_init(const KeelCore *core) {
    eng.core = core;
}

static uint64_t next_pow2(long long v) {
    uint64_t p = 2;
    while (p < (uint64_t)v) p <<= 1;
    return p;
}

/* ---- IO thread ---- */

/* Wakes the main thread if it sleeps in the poll. S2 pairs with S1
 * (engine_before_sleep): of "finished++ then read sleeping" here and
 * "sleeping = 1 then read finished" there, one side sees the other. */
static void io_wake_main(void) {
    if (atomic_load_explicit(&eng.main_sleeping, memory_order_seq_cst) &&
        atomic_exchange_explicit(&eng.main_sleeping, 0, memory_order_seq_cst)) {
        uint64_t one = 1;
        ssize_t n = write(eng.wake_fd, &one, sizeof(one));
        (void)n; /* EAGAIN: the counter is already non-zero, main will wake */
    }
}

/* Counts jobs whose completions reached the ring, and wakes main for them. */
static void io_count_posted(uint64_t posted) {
    if (posted == 0) return;
    /* S2 (see io_wake_main); also a release for pending_jobs' acquire. */
    atomic_fetch_add_explicit(&eng.finished, posted, memory_order_seq_cst);
    io_wake_main();
}

/* Posts done (0: the job has no completion). A completion is counted as
 * finished only once it is in the ring, never while it waits in the
 * overflow list, so "nothing pending" means main has seen everything. */
static void io_post(IoThread *t, KeelJob done) {
    if (done == 0 || eng.core->is_crashing()) {
        /* R: pairs with pending_jobs' acquire (the job's effects are done). */
        atomic_fetch_add_explicit(&eng.finished_silent, 1, memory_order_release);
        return;
    }
    size_t before = mpsc_pending(&t->producer);
    if (!mpsc_push(&t->producer, done))
        atomic_fetch_add_explicit(&eng.overflows, 1, memory_order_relaxed);
    io_count_posted(before + 1 - mpsc_pending(&t->producer));
}

static void io_flush(IoThread *t) {
    size_t before = mpsc_pending(&t->producer);
    if (before == 0) return;
    mpsc_flush(&t->producer);
    io_count_posted(before - mpsc_pending(&t->producer));
}

/* Runs every job of the private inbox that is published now. Returns how
 * many ran. */
static size_t io_run_private(IoThread *t) {
    KeelJob batch[SPSC_POP_BATCH];
    size_t total = 0, n;
    while ((n = spsc_pop_batch(&t->inbox, batch, SPSC_POP_BATCH)) > 0) {
        for (size_t i = 0; i < n; i++)
            io_post(t, eng.core->io_run_job(batch[i], KEEL_IO_QUEUE_PRIVATE, t->tid));
        total += n;
    }
    return total;
}

/* Idle sleep of an active thread: announce it (K2, K4), look at both queues
 * once more, and wait for a kick only if they are still empty. K2 pairs with
 * K1 (engine_wake_if_asleep) and K4 with K3 (engine_kick_shared): main
 * publishes jobs then does an RMW on the same word; RMWs on one word are
 * totally ordered and each acquires what the previous released, so either
 * main's RMW sees us asleep and kicks, or our look below sees its jobs.
 * Work found here runs after the flags are cleared. Never called holding an
 * MPSC ticket. */
static void io_idle_sleep(IoThread *t) {
    atomic_exchange_explicit(&t->asleep, 1, memory_order_acq_rel);     /* K2 */
    atomic_fetch_add_explicit(&eng.sleepers, 1, memory_order_acq_rel); /* K4 */
    KeelJob batch[SPSC_POP_BATCH];
    size_t n = spsc_pop_batch(&t->inbox, batch, SPSC_POP_BATCH);
    KeelJob job = n ? 0 : spmc_pop(&eng.shared);
    if (n == 0 && job == 0) {
        pthread_mutex_lock(&t->lock);
        while (!t->kicked && t->allowed && !t->stop) pthread_cond_wait(&t->cond, &t->lock);
        t->kicked = 0;
        pthread_mutex_unlock(&t->lock);
    }
    /* relaxed: the next sleep's RMWs are what pair with main; a stale 1 seen
     * by main costs one spurious kick. */
    atomic_fetch_sub_explicit(&eng.sleepers, 1, memory_order_relaxed);
    atomic_store_explicit(&t->asleep, 0, memory_order_relaxed);
    for (size_t i = 0; i < n; i++)
        io_post(t, eng.core->io_run_job(batch[i], KEEL_IO_QUEUE_PRIVATE, t->tid));
    if (job) io_post(t, eng.core->io_run_job(job, KEEL_IO_QUEUE_SHARED, t->tid));
}

/* Waits while parked. Returns 1 if the thread must exit. */
static int io_park(IoThread *t) {
    pthread_mutex_lock(&t->lock);
    while (!t->allowed && !t->stop) pthread_cond_wait(&t->cond, &t->lock);
    int stop = t->stop;
    pthread_mutex_unlock(&t->lock);
    return stop;
}

static void *io_thread_main(void *arg) {
    IoThread *t = arg;
    eng.core->io_thread_init(t->tid);
    mpsc_producer_init(&t->producer, &eng.done);
    unsigned idle = 0;
    for (;;) {
        /* relaxed: stop() joins us; nothing is read through this flag */
        if (atomic_load_explicit(&eng.stopping, memory_order_relaxed)) break;
        size_t did = io_run_private(t);
        KeelJob job = spmc_pop(&eng.shared);
        if (job) {
            io_post(t, eng.core->io_run_job(job, KEEL_IO_QUEUE_SHARED, t->tid));
            did++;
        }
        if (did) {
            idle = 0;
            continue;
        }
        io_flush(t);
        /* A1 pairs with R1 (engine_set_allowed): after it, every private
         * job main committed before parking us is visible. */
        if (!atomic_load_explicit(&t->run, memory_order_acquire)) {
            if (io_run_private(t) > 0) continue;
            if (mpsc_pending(&t->producer) > 0) {
                sched_yield(); /* never park holding completions */
                continue;
            }
            if (io_park(t)) break;
            idle = 0;
            continue;
        }
        if (++idle < (unsigned)atomic_load_explicit(&idle_spins, memory_order_relaxed)) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
            continue;
        }
        if (mpsc_pending(&t->producer) > 0) {
            sched_yield(); /* never sleep holding completions: main waits for them */
            continue;
        }
        io_idle_sleep(t);
        idle = 0;
    }
    /* Private jobs left (argv frees published without a wake) are only
     * memory: free it. Completions left behind belong to a stopping server. */
    (void)io_run_private(t);
    if (mpsc_pending(&t->producer) == 0) mpsc_producer_deinit(&t->producer);
    return NULL;
}

/* ---- threads, main side ---- */

/* R1 pairs with A1 (io_thread_main): main commits private jobs before it
 * parks a thread, so the thread sees them before it sleeps. Signals either
 * way: a thread in its idle sleep leaves it to park for real. */
static void engine_set_allowed(IoThread *t, int allowed) {
    pthread_mutex_lock(&t->lock);
    t->allowed = allowed;
    atomic_store_explicit(&t->run, allowed, memory_order_release);
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
}

/* Ends t's idle sleep, or makes its next one return at once. */
static void engine_kick(IoThread *t) {
    pthread_mutex_lock(&t->lock);
    t->kicked = 1;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
}

/* After jobs were published to t's private inbox: kicks t if it sleeps.
 * K1 pairs with K2 (io_idle_sleep); the RMW (not a load) is what orders our
 * publish before its look at the inbox. */
static void engine_wake_if_asleep(IoThread *t) {
    if (atomic_fetch_or_explicit(&t->asleep, 0, memory_order_acq_rel)) engine_kick(t);
}

/* Publishes t's private jobs and wakes t for them. */
static void engine_commit_thread(IoThread *t) {
    if (spsc_commit(&t->inbox) && t->wake_on_commit) engine_wake_if_asleep(t);
    t->wake_on_commit = 0;
}

/* After jobs were published to the shared ring: kicks up to one sleeping
 * thread per job queued since the last check. K3 pairs with K4
 * (io_idle_sleep). The acquire also makes the asleep flags of the threads
 * counted visible, so the relaxed loads below find them. */
static void engine_kick_shared(void) {
    int want = eng.unchecked;
    eng.unchecked = 0;
    if (want == 0) return;
    int sleepers = atomic_fetch_add_explicit(&eng.sleepers, 0, memory_order_acq_rel); /* K3 */
    for (int tid = 1; tid < eng.active && sleepers > 0 && want > 0; tid++) {
        IoThread *t = eng.threads[tid];
        if (!atomic_load_explicit(&t->asleep, memory_order_relaxed)) continue;
        engine_kick(t);
        sleepers--;
        want--;
    }
}

static long long engine_tick(long long id, void *data);

static void engine_activate_one(uint64_t now) {
    if (eng.active >= eng.configured) return;
    engine_set_allowed(eng.threads[eng.active], 1);
    eng.active++;
    eng.last_change_us = now;
    if (eng.timer_id <= 0) eng.timer_id = eng.core->timer_add(SCALE_TICK_MS, engine_tick, NULL);
}

static void engine_activate_all(uint64_t now) {
    while (eng.active < eng.configured) engine_activate_one(now);
}

/* Parks the highest active thread. The last one only when the shared ring
 * is empty: no other thread would take what is left there. */
static int engine_park_one(uint64_t now) {
    if (eng.active <= 1) return 0;
    if (eng.active == 2 && !spmc_is_empty(&eng.shared)) return 0;
    engine_commit_thread(eng.threads[eng.active - 1]);
    engine_set_allowed(eng.threads[eng.active - 1], 0);
    eng.active--;
    eng.last_change_us = now;
    return 1;
}

static uint64_t engine_finished(void) {
    /* A pairs with the IO threads' releases on both counters. */
    return atomic_load_explicit(&eng.finished, memory_order_acquire) +
           atomic_load_explicit(&eng.finished_silent, memory_order_acquire);
}

static uint64_t engine_pending(void) {
    return eng.submitted - engine_finished();
}

static IoThread *engine_thread_create(int tid, char *err, size_t errlen) {
    IoThread *t = NULL;
    if (posix_memalign((void **)&t, 64, sizeof(IoThread)) != 0) {
        snprintf(err, errlen, "out of memory for IO thread %d", tid);
        return NULL;
    }
    memset(t, 0, sizeof(*t));
    t->tid = tid;
    atomic_store_explicit(&idle_spins, idle_spin_limit(tid + 1), memory_order_relaxed);
    if (spsc_init(&t->inbox, next_pow2(engine_cfg_inbox_size)) != 0) {
        snprintf(err, errlen, "out of memory for IO thread %d's inbox", tid);
        goto err_free;
    }
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
    int rc = pthread_create(&t->thread, NULL, io_thread_main, t);
    if (rc != 0) {
        snprintf(err, errlen, "pthread_create for IO thread %d: %s", tid, strerror(rc));
        goto err_deinit;
    }
    char name[16]; /* the kernel limit for thread names */
    snprintf(name, sizeof(name), "io_thd_%d", tid & 0xff);
    pthread_setname_np(t->thread, name);
    return t;

err_deinit:
    pthread_cond_destroy(&t->cond);
    pthread_mutex_destroy(&t->lock);
    spsc_deinit(&t->inbox);
err_free:
    free(t);
    return NULL;
}

static void engine_thread_join(IoThread *t) {
    pthread_mutex_lock(&t->lock);
    t->stop = 1;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->cond);
    pthread_mutex_destroy(&t->lock);
    spsc_deinit(&t->inbox);
    free(t);
}

static void engine_wake_proc(int fd, void *data, int mask) {
    (void)data, (void)mask;
    uint64_t count;
    ssize_t n = read(fd, &count, sizeof(count));
    (void)n; /* EAGAIN: someone drained it already */
}

static int engine_queues_init(char *err, size_t errlen) {
    if (eng.queues_ready) return 0;
    if (spmc_init(&eng.shared, next_pow2(engine_cfg_queue_size)) != 0) {
        snprintf(err, errlen, "out of memory for the shared queue");
        return -1;
    }
    if (mpsc_init(&eng.done, next_pow2(engine_cfg_done_size)) != 0) {
        snprintf(err, errlen, "out of memory for the completion queue");
        goto err_shared;
    }
    eng.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (eng.wake_fd == -1) {
        snprintf(err, errlen, "eventfd: %s", strerror(errno));
        goto err_done;
    }
    if (eng.core->ev_add(eng.wake_fd, KEEL_EV_READABLE, engine_wake_proc, NULL) != 0) {
        snprintf(err, errlen, "cannot watch the wake-up eventfd");
        goto err_fd;
    }
    eng.queues_ready = 1;
    eng.configured = 1;
    eng.active = 1;
    return 0;

err_fd:
    close(eng.wake_fd);
    eng.wake_fd = -1;
err_done:
    mpsc_deinit(&eng.done);
err_shared:
    spmc_deinit(&eng.shared);
    return -1;
}

/* ---- KeelIoEngine members (main thread) ---- */

static int engine_set_threads(int threads, char *err, size_t errlen) {
    if (threads < 1 || threads > ENGINE_MAX_THREADS) {
        snprintf(err, errlen, "io-threads must be between 1 and %d", ENGINE_MAX_THREADS);
        return -1;
    }
    if (engine_queues_init(err, errlen) != 0) return -1;
    uint64_t now = eng.core->monotonic_us();
    /* The core calls this only with nothing in flight: park everyone, then
     * create or join the difference; scaling restarts from one thread. */
    while (eng.active > 1) {
        engine_commit_thread(eng.threads[eng.active - 1]);
        engine_set_allowed(eng.threads[eng.active - 1], 0);
        eng.active--;
    }
    eng.last_change_us = now;
    while (eng.configured < threads) {
        IoThread *t = engine_thread_create(eng.configured, err, errlen);
        if (t == NULL) return -1; /* those created so far stay, parked */
        eng.threads[eng.configured++] = t;
    }
    while (eng.configured > threads) {
        IoThread *t = eng.threads[--eng.configured];
        eng.threads[eng.configured] = NULL;
        engine_thread_join(t);
    }
    return 0;
}

static void engine_stop(void) {
    atomic_store_explicit(&eng.stopping, 1, memory_order_relaxed);
    while (eng.configured > 1) {
        IoThread *t = eng.threads[--eng.configured];
        eng.threads[eng.configured] = NULL;
        engine_thread_join(t);
    }
    eng.active = 1;
}

static void engine_set_always_active(int on) {
    eng.always_active = on;
}

static int engine_submit(KeelJob job) {
    if (!spmc_push(&eng.shared, job)) {
        eng.shared_full++;
        return 0;
    }
    eng.submitted++;
    /* The first job of a turn wakes a sleeping thread at once, so it works
     * while we queue more. The relaxed load is only a hint: engine_commit's
     * check (K3) is the one that guarantees a wake-up. */
    if (eng.unchecked++ == 0 && !eng.early_kicked &&
        atomic_load_explicit(&eng.sleepers, memory_order_relaxed) > 0) {
        eng.early_kicked = 1;
        engine_kick_shared();
    }
    return 1;
}

/* An active thread other than tid that is awake now (a relaxed hint), or
 * NULL. */
static IoThread *engine_awake_thread_besides(int tid) {
    int threads = eng.active - 1; /* tids 1..threads */
    for (int step = 1; step < threads; step++) {
        IoThread *t = eng.threads[1 + (tid - 1 + step) % threads];
        if (!atomic_load_explicit(&t->asleep, memory_order_relaxed)) return t;
    }
    return NULL;
}

static int engine_submit_private(int tid, KeelJob job, int commit) {
    if (tid < 1 || tid >= eng.active) return 0; /* parked threads get no new work */
    IoThread *t = eng.threads[tid];
    /* Batched jobs (argv frees) are not worth waking a sleeping thread for:
     * an awake one takes them (IO-THREADS.md 2), else they wait in the
     * sleeper's inbox, published but without a wake, until something else
     * wakes it (a shared job, or engine_tick within 10 ms). relaxed: a hint;
     * a thread that falls asleep after the push is woken at the commit. */
    int lazy = !commit && atomic_load_explicit(&t->asleep, memory_order_relaxed);
    if (lazy) {
        IoThread *awake = engine_awake_thread_besides(tid);
        if (awake) t = awake, lazy = 0;
    }
    if (!spsc_push_nocommit(&t->inbox, job)) {
        engine_wake_if_asleep(t); /* the full inbox was published: have it drained */
        return 0;
    }
    eng.submitted++;
    if (lazy)
        t->lazy = 1;
    else
        t->wake_on_commit = 1;
    if (commit) engine_commit_thread(t);
    return 1;
}

static int engine_submit_poll(KeelJob job) {
    if (eng.active - 1 <= engine_cfg_poll_offload_min) return 0;
    int tid = 1 + eng.poll_next++ % (eng.active - 1);
    if (!engine_submit_private(tid, job, 1)) return 0;
    eng.polls++;
    return tid;
}

/* Once per loop turn (and before any wait on IO threads): publishes the
 * private inboxes and makes sure a thread is awake for every queue with
 * work. */
static void engine_commit(void) {
    for (int tid = 1; tid < eng.active; tid++) engine_commit_thread(eng.threads[tid]);
    engine_kick_shared();
}

static size_t engine_drain(KeelJob *out, size_t max) {
    /* Read before popping: every completion counted by now is in the ring. */
    uint64_t finished = atomic_load_explicit(&eng.finished, memory_order_seq_cst);
    size_t n = mpsc_pop_batch(&eng.done, out, max);
    eng.drain_full = n == max;
    if (!eng.drain_full) eng.finished_seen = finished;
    return n;
}

/* The calling (main) thread's user and system CPU, in microseconds. */
static void thread_cpu_us(uint64_t *user, uint64_t *sys) {
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) != 0) {
        *user = *sys = 0;
        return;
    }
    *user = (uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec;
    *sys = (uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
}

/* Ignition: the first IO thread starts only when the main thread is busy
 * with IO (the thresholds above) and loop turns handle more than one event
 * on average; a lone ping-pong client would only gain a queue hop of
 * latency. */
static void engine_ignition(uint64_t now) {
    uint64_t user, sys;
    thread_cpu_us(&user, &sys);
    if (eng.ignition_at_us == 0) {
        eng.ignition_at_us = now;
        eng.ignition_user_us = user;
        eng.ignition_sys_us = sys;
        return;
    }
    if (now - eng.ignition_at_us < IGNITION_SAMPLE_US) return;
    uint64_t span = now - eng.ignition_at_us;
    uint64_t user_pct = (user - eng.ignition_user_us) * 100 / span;
    uint64_t sys_pct = (sys - eng.ignition_sys_us) * 100 / span;
    int busy = sys_pct > IGNITION_SYS_PERCENT ||
               (sys_pct > IGNITION_SYS_WITH_USER_PERCENT && user_pct > IGNITION_USER_PERCENT);
    if (busy && eng.events > eng.turns) engine_activate_one(now);
    eng.ignition_at_us = now;
    eng.ignition_user_us = user;
    eng.ignition_sys_us = sys;
    eng.turns = eng.events = 0;
}

static int engine_before_sleep(void) {
    uint64_t now = eng.core->monotonic_us();
    if (eng.active == 1 && eng.configured > 1 && !eng.always_active) engine_ignition(now);
    engine_kick_shared(); /* no-op after engine_commit, which the core calls first */
    if (eng.drain_full) return 1;
    /* S1 pairs with S2 (io_wake_main). */
    atomic_store_explicit(&eng.main_sleeping, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&eng.finished, memory_order_seq_cst) != eng.finished_seen) {
        atomic_store_explicit(&eng.main_sleeping, 0, memory_order_relaxed);
        return 1; /* something finished since the last drain: look first */
    }
    return 0;
}

/* Main, right after engine_before_sleep returned 0 (main_sleeping is set,
 * so a completion posted from now on writes the eventfd): sleeps on the
 * eventfd alone. Its readiness stays for the poll that follows, whose proc
 * (engine_wake_proc) reads it. */
static void engine_wait_completion(int timeout_ms) {
    struct pollfd pfd = {.fd = eng.wake_fd, .events = POLLIN};
    (void)poll(&pfd, 1, timeout_ms); /* EINTR or a timeout: the loop goes on */
}

static void engine_after_sleep(int nevents) {
    /* relaxed: only the main thread sets it; a stale 1 costs one eventfd write */
    atomic_store_explicit(&eng.main_sleeping, 0, memory_order_relaxed);
    eng.early_kicked = 0;
    eng.turns++;
    eng.events += (uint64_t)(nevents > 0 ? nevents : 0);
    if (eng.always_active && nevents > 0 && eng.active < eng.configured)
        engine_activate_all(eng.core->monotonic_us());
}

/* Every 10 ms while an IO thread is active: sample, then scale. */
static long long engine_tick(long long id, void *data) {
    (void)id, (void)data;
    if (eng.active <= 1) {
        eng.timer_id = 0;
        return -1;
    }
    /* Jobs pushed to sleeping threads without a wake wait at most one
     * tick: a few wake-ups a second instead of one per argv. Publish first:
     * this turn's pushes are not committed yet. */
    for (int tid = 1; tid < eng.active; tid++) {
        IoThread *t = eng.threads[tid];
        if (!t->lazy) continue;
        t->lazy = 0;
        (void)spsc_commit(&t->inbox);
        engine_wake_if_asleep(t);
    }
    uint64_t now = eng.core->monotonic_us();
    uint64_t pending = engine_pending();
    eng.depth_sum += spmc_size(&eng.shared);
    eng.pending_sum += pending;
    if (++eng.samples == SCALE_SAMPLES) {
        eng.pending_avg = eng.pending_sum / SCALE_SAMPLES;
        if (eng.always_active) {
            /* every thread stays active; idle ones sleep in io_idle_sleep */
        } else if (eng.depth_sum > SCALE_SAMPLES && eng.active < eng.configured) {
            engine_activate_one(now);
        } else if (eng.pending_sum < SCALE_SAMPLES &&
                   now - eng.last_change_us > SCALE_DOWN_COOLDOWN_US) {
            /* Under one job pending on average: one thread fewer copes. */
            engine_park_one(now);
        }
        eng.samples = 0;
        eng.depth_sum = eng.pending_sum = 0;
    }
    if (eng.active <= 1) {
        eng.pending_avg = 0;
        eng.timer_id = 0;
        return -1;
    }
    return SCALE_TICK_MS;
}

static int engine_active_threads(void) {
    return eng.active;
}

static uint64_t engine_pending_jobs(void) {
    return engine_pending();
}

static void engine_stats(KeelIoStats *out) {
    memset(out, 0, sizeof(*out));
    out->active_threads = (uint32_t)eng.active;
    out->configured_threads = (uint32_t)eng.configured;
    out->pending_jobs_avg = eng.active > 1 ? eng.pending_avg : 0;
    out->jobs_submitted = eng.submitted;
    out->jobs_finished = engine_finished();
    out->polls_offloaded = eng.polls;
    out->mpsc_overflows = atomic_load_explicit(&eng.overflows, memory_order_relaxed);
    out->shared_full = eng.shared_full;
}

const KeelIoEngine engine_table = {
    .size = sizeof(KeelIoEngine),
    .abi_version = KEEL_IO_ENGINE_ABI,
    .name = "iothreads",
    .set_threads = engine_set_threads,
    .stop = engine_stop,
    .set_always_active = engine_set_always_active,
    .submit = engine_submit,
    .submit_private = engine_submit_private,
    .submit_poll = engine_submit_poll,
    .commit = engine_commit,
    .drain = engine_drain,
    .before_sleep = engine_before_sleep,
    .after_sleep = engine_after_sleep,
    .active_threads = engine_active_threads,
    .pending_jobs = engine_pending_jobs,
    .stats = engine_stats,
    .wait_completion = engine_wait_completion,
};
