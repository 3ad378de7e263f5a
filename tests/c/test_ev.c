/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_ev.c: tests for the event loop (server/ev.c).
 *
 * File events use pipes and socketpairs, whose readiness the test controls
 * exactly. Timers are checked by what must hold whatever the machine's
 * speed: a timer never fires before its deadline, never in an earlier turn
 * than a timer due before it, and stops or repeats as its proc says. No test
 * asserts an upper bound on time, and none blocks without a timer that
 * bounds the wait.
 *
 * Each test starts from a fresh loop (ev_deinit, ev_init), so a failed
 * test leaves nothing behind for the next one.
 */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/ev.h"

static int current_turn; /* numbers ev_process calls, for TimerRecord.turn */

static void loop_fresh(void) {
    current_turn = 0;
    ev_deinit();
    if (ev_init(1024) != 0) test_fail(__FILE__, __LINE__, "ev_init failed: %s", strerror(errno));
}

/* Closes both ends of a pipe if open. */
static void pipe_close(int fds[2]) {
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0) close(fds[i]);
        fds[i] = -1;
    }
}

/* ---- timers ------------------------------------------------------------ */

typedef struct TimerRecord {
    long long id;
    int fired;          /* times the proc ran */
    int turn;           /* turn of the last run */
    uint64_t due_us;    /* deadline given at add time */
    uint64_t fired_us;  /* monotonic time of the last run */
    long long next;     /* what the proc returns: -1 stops, else the next delay */
    long long remove;   /* a timer id to remove from the proc, 0 = none */
    int remove_result;  /* what ev_timer_remove returned */
    int stop_after;     /* return -1 once fired reaches this (0 = never) */
} TimerRecord;

static long long record_timer(long long id, void *data) {
    TimerRecord *r = data;
    r->fired++;
    r->turn = current_turn;
    r->fired_us = ev_monotonic_us();
    if (r->id != 0 && r->id != id) test_fail(__FILE__, __LINE__, "proc got id %lld, not %lld", id, r->id);
    if (r->remove) r->remove_result = ev_timer_remove(r->remove);
    if (r->stop_after && r->fired >= r->stop_after) return -1;
    return r->next;
}

static void timer_add(TimerRecord *r, long long ms) {
    r->due_us = ev_monotonic_us() + (uint64_t)ms * 1000u;
    r->id = ev_timer_add(ms, record_timer, r);
}

/* Runs turns (each waiting for the nearest timer) until every record fired
 * at least once; fails after a generous number of turns. */
static void run_until_all_fired(TimerRecord *records, int count) {
    for (int turns = 0; turns < 10000; turns++) {
        int waiting = 0;
        for (int i = 0; i < count; i++) waiting += records[i].fired == 0;
        if (!waiting) return;
        current_turn++;
        ev_process(-1);
    }
    test_fail(__FILE__, __LINE__, "timers did not all fire");
}

TEST(timer_ids_are_positive_and_distinct) {
    loop_fresh();
    TimerRecord a = {0}, b = {0};
    timer_add(&a, 1000);
    timer_add(&b, 1000);
    CHECK(a.id > 0);
    CHECK(b.id > 0);
    CHECK(a.id != b.id);
    ev_deinit();
}

TEST(timer_never_fires_before_its_deadline) {
    loop_fresh();
    TimerRecord r[3] = {{.next = -1}, {.next = -1}, {.next = -1}};
    timer_add(&r[0], 5);
    timer_add(&r[1], 1);
    timer_add(&r[2], 12);
    run_until_all_fired(r, 3);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(1, r[i].fired);
        CHECK(r[i].fired_us >= r[i].due_us);
    }
    ev_deinit();
}

TEST(timers_fire_in_deadline_order_across_turns) {
    /* A timer due later can share a turn with one due earlier (a slow
     * machine), but never fire in an earlier turn. */
    loop_fresh();
    static const long long delays[] = {30, 10, 20, 0, 25, 5, 15};
    enum { N = sizeof(delays) / sizeof(delays[0]) };
    TimerRecord r[N];
    for (int i = 0; i < N; i++) {
        r[i] = (TimerRecord){.next = -1};
        timer_add(&r[i], delays[i]);
    }
    run_until_all_fired(r, N);
    for (int i = 0; i < N; i++) {
        CHECK_EQ_INT(1, r[i].fired);
        for (int j = 0; j < N; j++)
            if (delays[i] < delays[j]) CHECK(r[i].turn <= r[j].turn);
    }
    CHECK_EQ_INT(1, r[3].turn); /* the 0 ms timer: due at the first turn */
    ev_deinit();
}

TEST(timer_returning_minus_one_stops) {
    loop_fresh();
    TimerRecord r = {.next = -1};
    timer_add(&r, 0);
    for (int turn = 0; turn < 5; turn++) ev_process(0);
    CHECK_EQ_INT(1, r.fired);
    CHECK_EQ_INT(-1, ev_timer_remove(r.id)); /* already gone */
    ev_deinit();
}

TEST(timer_returning_a_delay_repeats_until_minus_one) {
    loop_fresh();
    TimerRecord r = {.next = 0, .stop_after = 5};
    TimerRecord bound = {0}; /* keeps every wait bounded */
    timer_add(&r, 0);
    timer_add(&bound, 60000);
    int turns = 0;
    while (r.fired < 5 && turns < 1000) {
        ev_process(0);
        turns++;
    }
    for (int i = 0; i < 5; i++) ev_process(0);
    CHECK_EQ_INT(5, r.fired);
    CHECK(turns >= 5); /* at most once per turn */
    CHECK_EQ_INT(-1, ev_timer_remove(r.id));
    CHECK_EQ_INT(0, ev_timer_remove(bound.id));
    ev_deinit();
}

TEST(repeating_timer_waits_its_delay_again) {
    loop_fresh();
    TimerRecord r = {.next = 3, .stop_after = 2};
    timer_add(&r, 0);
    ev_process(-1);
    CHECK_EQ_INT(1, r.fired);
    uint64_t first = r.fired_us;
    while (r.fired < 2) ev_process(-1);
    CHECK(r.fired_us >= first + 3000);
    ev_deinit();
}

TEST(timer_removing_itself_does_not_fire_again) {
    loop_fresh();
    TimerRecord r = {.next = 0}; /* would repeat, but it removes itself */
    timer_add(&r, 0);
    r.remove = r.id;
    for (int i = 0; i < 5; i++) ev_process(0);
    CHECK_EQ_INT(1, r.fired);
    CHECK_EQ_INT(0, r.remove_result);
    CHECK_EQ_INT(-1, ev_timer_remove(r.id));
    ev_deinit();
}

TEST(timer_removing_a_later_timer_of_the_same_turn_stops_it) {
    loop_fresh();
    TimerRecord first = {.next = -1}, second = {.next = -1};
    timer_add(&first, 0);
    timer_add(&second, 0);
    first.remove = second.id;
    for (int i = 0; i < 5; i++) ev_process(0);
    CHECK_EQ_INT(1, first.fired);
    CHECK_EQ_INT(0, first.remove_result);
    CHECK_EQ_INT(0, second.fired);
    ev_deinit();
}

TEST(timer_removing_a_pending_timer_stops_it_for_good) {
    loop_fresh();
    TimerRecord remover = {.next = -1}, victim = {.next = -1}, sentinel = {.next = -1};
    timer_add(&victim, 5);
    timer_add(&remover, 0);
    timer_add(&sentinel, 20);
    remover.remove = victim.id;
    run_until_all_fired(&sentinel, 1);
    CHECK_EQ_INT(1, remover.fired);
    CHECK_EQ_INT(0, remover.remove_result);
    CHECK_EQ_INT(0, victim.fired);
    ev_deinit();
}

TEST(timer_removed_from_outside_never_fires) {
    loop_fresh();
    TimerRecord victim = {.next = -1}, sentinel = {.next = -1};
    timer_add(&victim, 0);
    timer_add(&sentinel, 5);
    CHECK_EQ_INT(0, ev_timer_remove(victim.id));
    CHECK_EQ_INT(-1, ev_timer_remove(victim.id));
    run_until_all_fired(&sentinel, 1);
    CHECK_EQ_INT(0, victim.fired);
    ev_deinit();
}

TEST(timer_remove_of_unknown_id_fails) {
    loop_fresh();
    CHECK_EQ_INT(-1, ev_timer_remove(12345));
    CHECK_EQ_INT(-1, ev_timer_remove(0));
    CHECK_EQ_INT(-1, ev_timer_remove(-1));
    ev_deinit();
}

/* A proc that adds many timers, so the timer array moves while it runs. */
static TimerRecord added[64];
static int added_turn;

static long long add_many(long long id, void *data) {
    (void)id;
    (void)data;
    added_turn = current_turn;
    for (int i = 0; i < 64; i++) {
        added[i] = (TimerRecord){.next = -1};
        timer_add(&added[i], 0);
    }
    return -1;
}

TEST(timers_added_by_a_timer_run_in_a_later_turn) {
    loop_fresh();
    TimerRecord before = {.next = -1}, after = {.next = -1};
    timer_add(&before, 0);
    ev_timer_add(0, add_many, NULL);
    timer_add(&after, 0);
    current_turn = 1;
    ev_process(0);
    CHECK_EQ_INT(1, before.fired);
    CHECK_EQ_INT(1, after.fired); /* the array moved under the loop: still run */
    for (int i = 0; i < 64; i++) CHECK_EQ_INT(0, added[i].fired);
    run_until_all_fired(added, 64);
    for (int i = 0; i < 64; i++) {
        CHECK_EQ_INT(1, added[i].fired);
        CHECK(added[i].turn > added_turn);
    }
    ev_deinit();
}

/* ---- file events ------------------------------------------------------- */

typedef struct FileRecord {
    int calls;
    int fd, mask;
    void *data;
    int read_byte;     /* read one byte when readable */
    int remove_fd;     /* fd whose events to remove from the proc, -1 = none */
    int remove_mask;
} FileRecord;

static void record_file(int fd, void *data, int mask) {
    FileRecord *r = data;
    r->calls++;
    r->fd = fd;
    r->mask = mask;
    r->data = data;
    if (r->read_byte && (mask & EV_READABLE)) {
        char c;
        if (read(fd, &c, 1) != 1) test_fail(__FILE__, __LINE__, "read failed");
    }
    if (r->remove_fd >= 0) ev_remove(r->remove_fd, r->remove_mask);
}

TEST(readable_pipe_calls_its_proc_with_fd_data_and_mask) {
    loop_fresh();
    int fds[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(fds));
    int rfd = fds[0];
    FileRecord r = {.read_byte = 1, .remove_fd = -1};
    CHECK_EQ_INT(0, ev_add(rfd, EV_READABLE, record_file, &r));
    CHECK_EQ_INT(EV_READABLE, ev_mask(fds[0]));
    CHECK_EQ_INT(1, write(fds[1], "x", 1));
    int processed = ev_process(-1);
    int calls = r.calls, fd = r.fd, mask = r.mask;
    void *data = r.data;
    /* The byte was read: nothing more to report. */
    ev_process(0);
    int calls_after = r.calls;
    pipe_close(fds);
    ev_deinit();
    CHECK_EQ_INT(1, processed);
    CHECK_EQ_INT(1, calls);
    CHECK_EQ_INT(rfd, fd);
    CHECK_EQ_INT(EV_READABLE, mask);
    CHECK(data == &r);
    CHECK_EQ_INT(1, calls_after);
}

TEST(empty_pipe_is_not_readable) {
    loop_fresh();
    int fds[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(fds));
    FileRecord r = {.remove_fd = -1};
    CHECK_EQ_INT(0, ev_add(fds[0], EV_READABLE, record_file, &r));
    int processed = ev_process(0);
    pipe_close(fds);
    ev_deinit();
    CHECK_EQ_INT(0, processed);
    CHECK_EQ_INT(0, r.calls);
}

TEST(writable_pipe_fires_until_removed) {
    loop_fresh();
    int fds[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(fds));
    FileRecord r = {.remove_fd = -1};
    int wfd = fds[1];
    CHECK_EQ_INT(0, ev_add(wfd, EV_WRITABLE, record_file, &r));
    ev_process(-1);
    ev_process(-1); /* level-triggered: still writable */
    int calls = r.calls, mask = r.mask, fd = r.fd;
    ev_remove(wfd, EV_WRITABLE);
    int mask_after = ev_mask(wfd);
    ev_process(0);
    int calls_after = r.calls;
    pipe_close(fds);
    ev_deinit();
    CHECK_EQ_INT(2, calls);
    CHECK_EQ_INT(EV_WRITABLE, mask);
    CHECK_EQ_INT(wfd, fd);
    CHECK_EQ_INT(EV_NONE, mask_after);
    CHECK_EQ_INT(2, calls_after);
}

TEST(readable_and_writable_arrive_in_one_call) {
    loop_fresh();
    int sv[2] = {-1, -1};
    CHECK_EQ_INT(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    FileRecord r = {.remove_fd = -1};
    CHECK_EQ_INT(0, ev_add(sv[0], EV_READABLE, record_file, &r));
    CHECK_EQ_INT(0, ev_add(sv[0], EV_WRITABLE, record_file, &r));
    CHECK_EQ_INT(EV_READABLE | EV_WRITABLE, ev_mask(sv[0]));
    CHECK_EQ_INT(1, write(sv[1], "x", 1));
    ev_process(-1);
    int calls = r.calls, mask = r.mask;
    pipe_close(sv);
    ev_deinit();
    CHECK_EQ_INT(1, calls);
    CHECK_EQ_INT(EV_READABLE | EV_WRITABLE, mask);
}

TEST(removing_one_direction_keeps_the_other) {
    loop_fresh();
    int sv[2] = {-1, -1};
    CHECK_EQ_INT(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    FileRecord r = {.remove_fd = -1, .read_byte = 1};
    CHECK_EQ_INT(0, ev_add(sv[0], EV_READABLE | EV_WRITABLE, record_file, &r));
    ev_remove(sv[0], EV_WRITABLE);
    int mask_after = ev_mask(sv[0]);
    ev_process(0); /* writable, but no longer watched */
    int calls_idle = r.calls;
    CHECK_EQ_INT(1, write(sv[1], "x", 1));
    ev_process(-1);
    int calls = r.calls, mask = r.mask;
    pipe_close(sv);
    ev_deinit();
    CHECK_EQ_INT(EV_READABLE, mask_after);
    CHECK_EQ_INT(0, calls_idle);
    CHECK_EQ_INT(1, calls);
    CHECK_EQ_INT(EV_READABLE, mask);
}

TEST(proc_removing_another_fd_stops_its_already_fetched_event) {
    /* Both pipes are readable in the same turn; whichever proc runs first
     * removes the other, which then must not run. */
    loop_fresh();
    int a[2] = {-1, -1}, b[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(a));
    CHECK_EQ_INT(0, pipe(b));
    FileRecord ra = {.remove_fd = b[0], .remove_mask = EV_READABLE};
    FileRecord rb = {.remove_fd = a[0], .remove_mask = EV_READABLE};
    CHECK_EQ_INT(0, ev_add(a[0], EV_READABLE, record_file, &ra));
    CHECK_EQ_INT(0, ev_add(b[0], EV_READABLE, record_file, &rb));
    CHECK_EQ_INT(1, write(a[1], "x", 1));
    CHECK_EQ_INT(1, write(b[1], "x", 1));
    ev_process(-1);
    int calls = ra.calls + rb.calls;
    int masks = ev_mask(a[0]) + ev_mask(b[0]);
    pipe_close(a);
    pipe_close(b);
    ev_deinit();
    CHECK_EQ_INT(1, calls);
    CHECK_EQ_INT(EV_READABLE, masks); /* the one that ran is still watched */
}

TEST(proc_removing_itself_is_not_called_again) {
    loop_fresh();
    int fds[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(fds));
    FileRecord r = {.remove_fd = fds[0], .remove_mask = EV_READABLE};
    CHECK_EQ_INT(0, ev_add(fds[0], EV_READABLE, record_file, &r));
    CHECK_EQ_INT(1, write(fds[1], "x", 1));
    ev_process(-1);
    ev_process(0); /* still readable, but no longer watched */
    int calls = r.calls, mask = ev_mask(fds[0]);
    pipe_close(fds);
    ev_deinit();
    CHECK_EQ_INT(1, calls);
    CHECK_EQ_INT(EV_NONE, mask);
}

TEST(ev_add_refuses_fds_out_of_range_and_closed_fds) {
    loop_fresh();
    FileRecord r = {.remove_fd = -1};
    errno = 0;
    CHECK_EQ_INT(-1, ev_add(-1, EV_READABLE, record_file, &r));
    CHECK_EQ_INT(-1, ev_add(ev_setsize(), EV_READABLE, record_file, &r));
    CHECK_EQ_INT(ERANGE, errno);
    int fds[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(fds));
    int closed = fds[0];
    pipe_close(fds);
    CHECK_EQ_INT(-1, ev_add(closed, EV_READABLE, record_file, &r));
    CHECK_EQ_INT(EV_NONE, ev_mask(closed));
    CHECK_EQ_INT(EV_NONE, ev_mask(-1));
    CHECK_EQ_INT(EV_NONE, ev_mask(1 << 30));
    ev_remove(-1, EV_READABLE);      /* no-ops, no crash */
    ev_remove(closed, EV_READABLE);
    ev_remove(1 << 30, EV_READABLE);
    ev_deinit();
}

TEST(ev_resize_grows_and_refuses_to_drop_a_watched_fd) {
    loop_fresh();
    CHECK_EQ_INT(0, ev_resize(4096));
    CHECK_EQ_INT(4096, ev_setsize());
    int fds[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(fds));
    int high = fcntl(fds[0], F_DUPFD, 2000);
    CHECK(high >= 2000);
    FileRecord r = {.remove_fd = -1, .read_byte = 1};
    CHECK_EQ_INT(0, ev_add(high, EV_READABLE, record_file, &r));
    int shrink = ev_resize(1024);
    int size_after = ev_setsize();
    CHECK_EQ_INT(1, write(fds[1], "x", 1));
    ev_process(-1);
    int calls = r.calls;
    ev_remove(high, EV_READABLE);
    int shrink_after_remove = ev_resize(1024);
    close(high);
    pipe_close(fds);
    ev_deinit();
    CHECK_EQ_INT(-1, shrink);
    CHECK_EQ_INT(4096, size_after);
    CHECK_EQ_INT(1, calls);
    CHECK_EQ_INT(0, shrink_after_remove);
}

/* ---- hooks, dont_wait, run/stop ---------------------------------------- */

static char hook_log[64];
static size_t hook_log_len;
static int dont_wait_from_hook;

static void hook_note(char c) {
    if (hook_log_len < sizeof(hook_log) - 1) hook_log[hook_log_len++] = c;
    hook_log[hook_log_len] = '\0';
}

static void before_hook(void) {
    hook_note('B');
    if (dont_wait_from_hook) ev_dont_wait();
}

static void after_hook(void) {
    hook_note('A');
}

static long long note_timer(long long id, void *data) {
    (void)id;
    (void)data;
    hook_note('T');
    return -1;
}

static void note_file(int fd, void *data, int mask) {
    (void)data;
    (void)mask;
    char c;
    if (read(fd, &c, 1) != 1) test_fail(__FILE__, __LINE__, "read failed");
    hook_note('F');
}

static void hooks_reset(void) {
    hook_log_len = 0;
    hook_log[0] = '\0';
    dont_wait_from_hook = 0;
}

TEST(before_and_after_sleep_hooks_wrap_the_wait) {
    loop_fresh();
    hooks_reset();
    ev_set_before_sleep(before_hook);
    ev_set_after_sleep(after_hook);
    ev_timer_add(0, note_timer, NULL);
    ev_process(-1);
    CHECK_EQ_STR("BAT", hook_log);
    int fds[2] = {-1, -1};
    CHECK_EQ_INT(0, pipe(fds));
    CHECK_EQ_INT(0, ev_add(fds[0], EV_READABLE, note_file, NULL));
    CHECK_EQ_INT(1, write(fds[1], "x", 1));
    ev_process(-1);
    ev_process(0);
    pipe_close(fds);
    ev_deinit();
    CHECK_EQ_STR("BATBAFBA", hook_log);
}

TEST(hooks_can_be_cleared) {
    loop_fresh();
    hooks_reset();
    ev_set_before_sleep(before_hook);
    ev_set_after_sleep(after_hook);
    ev_process(0);
    ev_set_before_sleep(NULL);
    ev_set_after_sleep(NULL);
    ev_process(0);
    ev_deinit();
    CHECK_EQ_STR("BA", hook_log);
}

static TimerRecord bound_timer;

TEST(dont_wait_from_before_sleep_makes_the_wait_return_at_once) {
    /* Nothing is ready and the only timer is a minute away: without
     * ev_dont_wait this turn would sleep until the timer. */
    loop_fresh();
    hooks_reset();
    bound_timer = (TimerRecord){.next = -1};
    timer_add(&bound_timer, 60000);
    dont_wait_from_hook = 1;
    ev_set_before_sleep(before_hook);
    int processed = ev_process(-1);
    ev_deinit();
    CHECK_EQ_INT(0, processed);
    CHECK_EQ_INT(0, bound_timer.fired);
}

TEST(dont_wait_lasts_one_turn) {
    loop_fresh();
    hooks_reset();
    TimerRecord soon = {.next = -1};
    timer_add(&soon, 5);
    ev_dont_wait();
    int first = ev_process(-1); /* returns at once */
    int fired_first = soon.fired;
    int second = ev_process(-1); /* waits for the timer */
    ev_deinit();
    CHECK_EQ_INT(0, first);
    CHECK_EQ_INT(0, fired_first);
    CHECK_EQ_INT(1, second);
    CHECK_EQ_INT(1, soon.fired);
}

/* ---- turns of refires only (ev_note_ignored, the quiet waiter) ---------- */

static int ignoring_calls, waiter_calls, waiter_timeout;
static int ignore_events; /* the proc ignores its event (a postponed conn) */

static void maybe_ignoring_proc(int fd, void *data, int mask) {
    (void)fd, (void)data, (void)mask;
    ignoring_calls++;
    if (ignore_events) ev_note_ignored();
}

static void counting_waiter(int timeout_ms) {
    waiter_calls++;
    waiter_timeout = timeout_ms;
}

/* A pipe whose read end stays readable (level-triggered: fires every turn). */
static void readable_pipe(int fds[2]) {
    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "x", 1) == 1);
    CHECK(ev_add(fds[0], EV_READABLE, maybe_ignoring_proc, NULL) == 0);
}

TEST(a_turn_of_ignored_events_makes_the_next_wait_ask_the_quiet_waiter) {
    loop_fresh();
    int fds[2];
    readable_pipe(fds);
    ignoring_calls = waiter_calls = waiter_timeout = 0;
    ignore_events = 1;
    ev_set_quiet_waiter(counting_waiter);
    CHECK_EQ_INT(1, ev_process(-1)); /* fires, ignored */
    CHECK_EQ_INT(0, waiter_calls);   /* nothing was known before this turn */
    CHECK_EQ_INT(1, ev_process(-1)); /* the waiter first, then the refire */
    CHECK_EQ_INT(1, waiter_calls);
    CHECK_EQ_INT(1, waiter_timeout); /* never longer than 1 ms */
    CHECK_EQ_INT(2, ignoring_calls);
    ev_set_quiet_waiter(NULL);
    pipe_close(fds);
    ev_deinit();
}

TEST(a_turn_with_a_handled_event_or_dont_wait_skips_the_quiet_waiter) {
    loop_fresh();
    int fds[2];
    readable_pipe(fds);
    ignoring_calls = waiter_calls = 0;
    ignore_events = 0; /* handled: the fd is not postponed */
    ev_set_quiet_waiter(counting_waiter);
    ev_process(-1);
    ev_process(-1);
    CHECK_EQ_INT(0, waiter_calls);
    ignore_events = 1;
    ev_process(-1); /* only ignored now */
    ev_dont_wait(); /* completions are already waiting: no sleep at all */
    ev_process(-1);
    CHECK_EQ_INT(0, waiter_calls);
    ev_set_quiet_waiter(NULL); /* no engine: plain polling */
    ev_process(-1);
    CHECK_EQ_INT(0, waiter_calls);
    CHECK_EQ_INT(5, ignoring_calls);
    pipe_close(fds);
    ev_deinit();
}

static long long stop_timer(long long id, void *data) {
    (void)id;
    int *count = data;
    if (++*count == 3) ev_stop();
    return 0;
}

TEST(ev_run_returns_after_ev_stop) {
    loop_fresh();
    int count = 0;
    ev_timer_add(1, stop_timer, &count);
    ev_run();
    ev_deinit();
    CHECK_EQ_INT(3, count);
}

TEST(monotonic_clock_never_goes_back_and_wall_clock_matches_time) {
    uint64_t last = ev_monotonic_us();
    for (int i = 0; i < 1000; i++) {
        uint64_t now = ev_monotonic_us();
        CHECK(now >= last);
        last = now;
    }
    time_t before = time(NULL);
    long long wall = ev_wall_ms();
    time_t after = time(NULL);
    CHECK(wall / 1000 >= (long long)before);
    CHECK(wall / 1000 <= (long long)after);
    CHECK(ev_wall_us() / 1000 >= wall);
}
