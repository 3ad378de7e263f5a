/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/ev.h: the event loop: file events on epoll, timers, and hooks that
 * run before and after each wait.
 *
 * One loop per process, owned by the main thread. File procs for a fd run
 * readable-first; a fd whose proc removes itself during the turn is not
 * called again for events already fetched.
 *
 * Threads: main only, except ev_poll_offload_run (the IO thread holding the
 * poll job).
 */
#ifndef KEEL_SERVER_EV_H
#define KEEL_SERVER_EV_H

#include <stdint.h>

#define EV_NONE 0
#define EV_READABLE 1
#define EV_WRITABLE 2

typedef void (*EvFileProc)(int fd, void *data, int mask);
typedef long long (*EvTimerProc)(long long id, void *data);
typedef void (*EvHook)(void);

/* Creates the loop for up to setsize fds. Returns 0, or -1 (errno set). */
int ev_init(int setsize);
void ev_deinit(void);
/* Largest fd + 1 the loop can watch. */
int ev_setsize(void);
/* Grows the fd table; returns 0, or -1 if a watched fd is >= setsize. */
int ev_resize(int setsize);

/* Adds mask to the fd's interest and sets its proc/data. 0 or -1. */
int ev_add(int fd, int mask, EvFileProc proc, void *data);
/* Removes mask from the fd's interest. */
void ev_remove(int fd, int mask);
/* Current interest mask of fd. */
int ev_mask(int fd);

/* Timer after ms milliseconds; returns its id (> 0). */
long long ev_timer_add(long long ms, EvTimerProc proc, void *data);
int ev_timer_remove(long long id);

void ev_set_before_sleep(EvHook hook);
void ev_set_after_sleep(EvHook hook);

/* Runs until ev_stop. */
void ev_run(void);
void ev_stop(void);
/* Runs one iteration; wait_ms -1 = until an event or timer. Returns the
 * number of events processed. */
int ev_process(long long wait_ms);
/* Runs the procs of file events ready now, once: no wait, no timers, no
 * hooks, and an event array of its own, so it may run from inside a proc
 * (a script running long keeps serving clients). Not re-entrant: a nested
 * call returns 0. Returns the number of events processed. */
int ev_process_ready_files(void);
/* Makes the next wait return at once (call from the main thread when a hook
 * left work that the poller cannot see). */
void ev_dont_wait(void);
/* Events the last wait returned (for the after-sleep hook). */
int ev_fired_count(void);
/* A file proc ignored its event: the fd belongs to a connection an IO job
 * owns and fired again before the job read it (KeelCore.ev_event_ignored). */
void ev_note_ignored(void);
/* When a turn fired only ignored events, the next wait calls waiter(ms)
 * (block until an IO completion, at most ms) and then polls without
 * waiting, instead of polling straight into the same refires. NULL: off.
 * Installed by net/io_threads.c while an engine runs. */
typedef void (*EvQuietWaiter)(int timeout_ms);
void ev_set_quiet_waiter(EvQuietWaiter waiter);

/* ---- poll offload (net/io_threads.c) ----
 * With IO threads busy, the wait itself may run on an IO thread: before each
 * wait the loop asks the offloader, which calls ev_poll_offload_begin and
 * submits a poll job (returning 1), or returns 0 to wait here as usual.
 * While the job is out the fired-event array belongs to it; the loop reports
 * no events and keeps turning (it never sleeps) until the job publishes its
 * result, whose events are then processed like a local wait's. */
typedef int (*EvPollOffloader)(void);
void ev_set_poll_offloader(EvPollOffloader offloader);
/* Main: a poll job is about to be submitted / was refused. */
void ev_poll_offload_begin(void);
void ev_poll_offload_cancel(void);
/* The thread holding the poll job: epoll_wait with timeout 0, publish. */
void ev_poll_offload_run(void);
/* Main: 1 while a poll job is out. */
int ev_poll_offloaded(void);
/* Main: waits (yielding) until no poll job is out; its events stay queued. */
void ev_poll_offload_wait(void);

/* Monotonic clock. */
uint64_t ev_monotonic_us(void);
static inline uint64_t ev_monotonic_ms(void) {
    return ev_monotonic_us() / 1000;
}
/* Wall clock in ms and us. */
long long ev_wall_ms(void);
long long ev_wall_us(void);

#endif
