/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/ev.c: epoll event loop with timers (see ev.h).
 *
 * Timers are kept in an unsorted array: keel runs a handful (serverCron and a
 * few module timers), so a linear scan per turn costs less than keeping a
 * heap. Fired events are processed readable-first per fd, and a proc that
 * closes its fd (and possibly lets another connection reuse the number)
 * cannot get stale events because each event's mask is re-checked against
 * the fd's current interest before calling.
 *
 * Threads: main only, except ev_poll_offload_run: while a poll job is out
 * (poll_state POLL_OUT) the IO thread running it owns `fired` and the main
 * thread neither reads nor resizes it.
 */
#include "server/ev.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "server/mem.h"

typedef struct EvFile {
    int mask; /* EV_READABLE | EV_WRITABLE interest */
    EvFileProc proc;
    void *data;
} EvFile;

typedef struct EvTimer {
    long long id;
    uint64_t when_us; /* monotonic deadline */
    EvTimerProc proc;
    void *data;
    int removed; /* removed while the timer list was being run */
} EvTimer;

static struct {
    int epfd;
    int setsize;
    EvFile *files;
    struct epoll_event *fired;
    EvTimer *timers;
    int timer_count, timer_cap;
    long long next_timer_id;
    int running_timers;
    int stop;
    int dont_wait;
    EvHook before_sleep, after_sleep;
    EvPollOffloader offloader;
    int poll_fired; /* written by the poll job before POLL_DONE (release) */
    int last_fired; /* events the last wait returned, for after-sleep hooks */
    int ignored;    /* events of this turn a transport ignored (ev_note_ignored) */
    int only_ignored; /* the last turn fired only ignored events */
    EvQuietWaiter quiet_waiter;
} loop = {.epfd = -1};

#define POLL_NONE 0 /* no poll job out */
#define POLL_OUT 1  /* a poll job owns loop.fired */
#define POLL_DONE 2 /* the job published poll_fired */
static _Atomic int poll_state;

void ev_set_poll_offloader(EvPollOffloader offloader) {
    loop.offloader = offloader;
}

void ev_poll_offload_begin(void) {
    /* relaxed: the submit that follows publishes it (queue release) */
    atomic_store_explicit(&poll_state, POLL_OUT, memory_order_relaxed);
}

void ev_poll_offload_cancel(void) {
    atomic_store_explicit(&poll_state, POLL_NONE, memory_order_relaxed);
}

void ev_poll_offload_run(void) {
    int fired = epoll_wait(loop.epfd, loop.fired, loop.setsize, 0);
    loop.poll_fired = fired < 0 ? 0 : fired;
    /* R1 pairs with A1 (ev_poll_take): poll_fired and fired[] are visible. */
    atomic_store_explicit(&poll_state, POLL_DONE, memory_order_release);
}

int ev_poll_offloaded(void) {
    return atomic_load_explicit(&poll_state, memory_order_relaxed) != POLL_NONE;
}

void ev_poll_offload_wait(void) {
    /* A1 (as in ev_poll_take). Poll jobs are short and never wait on us. */
    while (atomic_load_explicit(&poll_state, memory_order_acquire) == POLL_OUT) sched_yield();
}

/* Main: the events of a finished poll job (0 while it is still out), or -1
 * when none is out. */
static int ev_poll_take(void) {
    /* A1 pairs with R1 (ev_poll_offload_run). */
    int state = atomic_load_explicit(&poll_state, memory_order_acquire);
    if (state == POLL_NONE) return -1;
    if (state == POLL_OUT) return 0;
    atomic_store_explicit(&poll_state, POLL_NONE, memory_order_relaxed);
    return loop.poll_fired;
}

uint64_t ev_monotonic_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

long long ev_wall_us(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000LL + tv.tv_usec;
}

long long ev_wall_ms(void) {
    return ev_wall_us() / 1000;
}

int ev_init(int setsize) {
    loop.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (loop.epfd == -1) return -1;
    loop.setsize = setsize;
    loop.files = mem_calloc(sizeof(EvFile) * (size_t)setsize);
    loop.fired = mem_calloc(sizeof(struct epoll_event) * (size_t)setsize);
    loop.next_timer_id = 1;
    return 0;
}

void ev_deinit(void) {
    if (loop.epfd != -1) close(loop.epfd);
    mem_free(loop.files);
    mem_free(loop.fired);
    mem_free(loop.timers);
    memset(&loop, 0, sizeof(loop));
    loop.epfd = -1;
}

int ev_setsize(void) {
    return loop.setsize;
}

int ev_resize(int setsize) {
    ev_poll_offload_wait(); /* a poll job may be writing fired[] */
    for (int fd = setsize; fd < loop.setsize; fd++)
        if (loop.files[fd].mask != EV_NONE) return -1;
    loop.files = mem_realloc(loop.files, sizeof(EvFile) * (size_t)setsize);
    loop.fired = mem_realloc(loop.fired, sizeof(struct epoll_event) * (size_t)setsize);
    for (int fd = loop.setsize; fd < setsize; fd++) memset(&loop.files[fd], 0, sizeof(EvFile));
    loop.setsize = setsize;
    return 0;
}

static uint32_t ev_to_epoll(int mask) {
    uint32_t events = 0;
    if (mask & EV_READABLE) events |= EPOLLIN;
    if (mask & EV_WRITABLE) events |= EPOLLOUT;
    return events;
}

int ev_add(int fd, int mask, EvFileProc proc, void *data) {
    if (fd < 0 || fd >= loop.setsize) {
        errno = ERANGE;
        return -1;
    }
    EvFile *f = &loop.files[fd];
    int op = f->mask == EV_NONE ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    struct epoll_event ee = {.events = ev_to_epoll(f->mask | mask), .data.fd = fd};
    if (epoll_ctl(loop.epfd, op, fd, &ee) == -1) return -1;
    f->mask |= mask;
    f->proc = proc;
    f->data = data;
    return 0;
}

void ev_remove(int fd, int mask) {
    if (fd < 0 || fd >= loop.setsize) return;
    EvFile *f = &loop.files[fd];
    if (f->mask == EV_NONE) return;
    int remaining = f->mask & ~mask;
    struct epoll_event ee = {.events = ev_to_epoll(remaining), .data.fd = fd};
    /* A failure here means the fd is already closed; the kernel dropped it. */
    (void)epoll_ctl(loop.epfd, remaining ? EPOLL_CTL_MOD : EPOLL_CTL_DEL, fd, &ee);
    f->mask = remaining;
}

int ev_mask(int fd) {
    if (fd < 0 || fd >= loop.setsize) return EV_NONE;
    return loop.files[fd].mask;
}

long long ev_timer_add(long long ms, EvTimerProc proc, void *data) {
    if (loop.timer_count == loop.timer_cap) {
        loop.timer_cap = loop.timer_cap ? loop.timer_cap * 2 : 8;
        loop.timers = mem_realloc(loop.timers, sizeof(EvTimer) * (size_t)loop.timer_cap);
    }
    EvTimer *t = &loop.timers[loop.timer_count++];
    t->id = loop.next_timer_id++;
    t->when_us = ev_monotonic_us() + (uint64_t)(ms < 0 ? 0 : ms) * 1000u;
    t->proc = proc;
    t->data = data;
    t->removed = 0;
    return t->id;
}

int ev_timer_remove(long long id) {
    for (int i = 0; i < loop.timer_count; i++) {
        if (loop.timers[i].id != id || loop.timers[i].removed) continue;
        loop.timers[i].removed = 1;
        return 0;
    }
    return -1;
}

static void ev_compact_timers(void) {
    int kept = 0;
    for (int i = 0; i < loop.timer_count; i++)
        if (!loop.timers[i].removed) loop.timers[kept++] = loop.timers[i];
    loop.timer_count = kept;
}

/* Milliseconds until the nearest timer, or -1 if none. */
static long long ev_nearest_timer_ms(void) {
    uint64_t now = ev_monotonic_us(), nearest = UINT64_MAX;
    for (int i = 0; i < loop.timer_count; i++)
        if (!loop.timers[i].removed && loop.timers[i].when_us < nearest)
            nearest = loop.timers[i].when_us;
    if (nearest == UINT64_MAX) return -1;
    if (nearest <= now) return 0;
    return (long long)((nearest - now + 999) / 1000);
}

static int ev_run_timers(void) {
    uint64_t now = ev_monotonic_us();
    int ran = 0;
    /* Timers added by a proc land beyond count and wait for the next turn. */
    int count = loop.timer_count;
    for (int i = 0; i < count; i++) {
        EvTimer *t = &loop.timers[i];
        if (t->removed || t->when_us > now) continue;
        long long id = t->id;
        EvTimerProc proc = t->proc;
        void *data = t->data;
        long long next = proc(id, data);
        t = &loop.timers[i]; /* the array may have moved */
        ran++;
        if (t->removed) continue;
        if (next < 0)
            t->removed = 1;
        else
            t->when_us = ev_monotonic_us() + (uint64_t)next * 1000u;
    }
    ev_compact_timers();
    return ran;
}

void ev_set_before_sleep(EvHook hook) {
    loop.before_sleep = hook;
}

void ev_set_after_sleep(EvHook hook) {
    loop.after_sleep = hook;
}

int ev_fired_count(void) {
    return loop.last_fired;
}

void ev_dont_wait(void) {
    loop.dont_wait = 1;
}

void ev_note_ignored(void) {
    loop.ignored++;
}

void ev_set_quiet_waiter(EvQuietWaiter waiter) {
    loop.quiet_waiter = waiter;
}

/* Calls the procs of fired events, readable first per fd. A proc that
 * closed another fd (whose number may be reused) is caught by re-checking
 * each event against the fd's current interest. */
static int ev_dispatch(const struct epoll_event *events, int count) {
    int processed = 0;
    for (int i = 0; i < count; i++) {
        uint32_t ev = events[i].events;
        int fd = events[i].data.fd;
        EvFile *f = &loop.files[fd];
        int mask = 0;
        if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) mask |= EV_READABLE;
        if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) mask |= EV_WRITABLE;
        mask &= f->mask;
        if (mask && f->proc) f->proc(fd, f->data, mask);
        processed++;
    }
    return processed;
}

int ev_process(long long wait_ms) {
    if (loop.before_sleep) loop.before_sleep();
    long long nearest = ev_nearest_timer_ms();
    if (nearest >= 0 && (wait_ms < 0 || nearest < wait_ms)) wait_ms = nearest;
    if (loop.dont_wait) wait_ms = 0;
    loop.dont_wait = 0;
    int fired = ev_poll_take();
    if (fired < 0 && loop.offloader && loop.offloader()) fired = 0;
    if (fired < 0 && loop.only_ignored && wait_ms != 0 && loop.quiet_waiter) {
        /* Polling now would only report the same refires again: wait for
         * the jobs that own those fds (a new event waits at most 1 ms). */
        loop.quiet_waiter(wait_ms < 0 || wait_ms > 1 ? 1 : (int)wait_ms);
        wait_ms = 0;
    }
    if (fired < 0)
        fired = epoll_wait(loop.epfd, loop.fired, loop.setsize,
                           wait_ms > 0x7fffffff ? 0x7fffffff : (int)wait_ms);
    loop.last_fired = fired;
    if (loop.after_sleep) loop.after_sleep();
    loop.ignored = 0;
    int processed = ev_dispatch(loop.fired, fired);
    loop.only_ignored = fired > 0 && loop.ignored >= fired;
    processed += ev_run_timers();
    return processed;
}

int ev_process_ready_files(void) {
    /* Events of its own: the turn it runs inside still walks loop.fired
     * (or a poll job owns it). */
    static struct epoll_event ready[256];
    static int depth;
    if (depth > 0 || loop.epfd == -1) return 0;
    depth++;
    int fired = epoll_wait(loop.epfd, ready, (int)(sizeof(ready) / sizeof(ready[0])), 0);
    int processed = ev_dispatch(ready, fired);
    depth--;
    return processed;
}

void ev_stop(void) {
    loop.stop = 1;
}

void ev_run(void) {
    loop.stop = 0;
    while (!loop.stop) ev_process(-1);
}
