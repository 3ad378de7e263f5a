/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_job.c: tagged-pointer job words (modules/iothreads/job.h):
 * pointer and tag survive the round trip, a job word is never 0, tags fit
 * in 3 bits, misuse (misaligned or NULL pointer, tag >= 8) aborts, and job
 * words keep their meaning through each queue.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job.h"
#include "mpsc.h"
#include "spmc.h"
#include "spsc.h"
#include "test.h"

typedef struct JobTarget {
    _Alignas(8) char bytes[24];
} JobTarget;

_Static_assert(_Alignof(JobTarget) >= KEEL_JOB_ALIGN, "job objects are 8-byte aligned");
_Static_assert(KEEL_JOB_SHARED_POLL <= KEEL_JOB_TAG_MASK, "shared tags fit in 3 bits");
_Static_assert(KEEL_JOB_PRIVATE_POLL <= KEEL_JOB_TAG_MASK, "private tags fit in 3 bits");
_Static_assert(KEEL_JOB_DONE_ACCEPT <= KEEL_JOB_TAG_MASK, "completion tags fit in 3 bits");

TEST(job_pointer_and_tag_round_trip) {
    static JobTarget targets[4];
    void *heap = malloc(40);
    CHECK(heap != NULL);
    void *pointers[] = {&targets[0], &targets[1], &targets[3], heap};
    for (size_t i = 0; i < sizeof(pointers) / sizeof(pointers[0]); i++) {
        for (unsigned tag = 0; tag < 8; tag++) {
            KeelJob job = keel_job_make(pointers[i], tag);
            CHECK(job != 0);
            CHECK(keel_job_ptr(job) == pointers[i]);
            CHECK_EQ_INT(tag, keel_job_tag(job));
        }
    }
    free(heap);
}

TEST(job_words_differ_by_tag_and_are_never_zero) {
    static JobTarget target;
    KeelJob seen[8];
    for (unsigned tag = 0; tag < 8; tag++) {
        seen[tag] = keel_job_make(&target, tag);
        CHECK(seen[tag] != 0); /* tag 0 too: the pointer is never NULL */
        for (unsigned other = 0; other < tag; other++) CHECK(seen[other] != seen[tag]);
    }
}

TEST(job_tags_of_each_direction_are_distinct) {
    unsigned shared[] = {KEEL_JOB_SHARED_READ, KEEL_JOB_SHARED_WRITE, KEEL_JOB_SHARED_ACCEPT,
                         KEEL_JOB_SHARED_FREE_OBJ, KEEL_JOB_SHARED_POLL};
    for (unsigned i = 0; i < 5; i++) {
        CHECK(shared[i] < 8);
        for (unsigned j = 0; j < i; j++) CHECK(shared[i] != shared[j]);
    }
    CHECK(KEEL_JOB_PRIVATE_FREE_ARGV != KEEL_JOB_PRIVATE_POLL);
    CHECK(KEEL_JOB_DONE_READ != KEEL_JOB_DONE_WRITE);
}

#ifndef NDEBUG
/* Runs keel_job_make(ptr, tag) in a child; true if the child aborted. */
static bool job_make_aborts(void *ptr, unsigned tag) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* The assert message is expected; keep the test output clean. */
        if (freopen("/dev/null", "w", stderr) == NULL) _exit(3);
        KeelJob job = keel_job_make(ptr, tag);
        _exit(job == 0 ? 2 : 0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return false;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

TEST(job_make_rejects_misaligned_pointers_big_tags_and_null) {
    static JobTarget target;
    CHECK(job_make_aborts(target.bytes + 1, 0));
    CHECK(job_make_aborts(target.bytes + 4, 1));
    CHECK(job_make_aborts(target.bytes + 7, 7));
    CHECK(job_make_aborts(&target, 8));
    CHECK(job_make_aborts(&target, 255));
    CHECK(job_make_aborts(NULL, 0));
    CHECK(!job_make_aborts(&target, 7)); /* the control case */
}
#endif

/* A job word keeps pointer and tag through every queue. */
TEST(job_words_travel_through_each_queue) {
    static JobTarget targets[8];
    SpmcQueue shared;
    SpscQueue private_inbox;
    MpscQueue done;
    MpscProducer producer;
    CHECK_EQ_INT(0, spmc_init(&shared, 8));
    CHECK_EQ_INT(0, spsc_init(&private_inbox, 8));
    CHECK_EQ_INT(0, mpsc_init(&done, 8));
    mpsc_producer_init(&producer, &done);
    for (unsigned i = 0; i < 8; i++) {
        CHECK(spmc_push(&shared, keel_job_make(&targets[i], i % 5)));
        CHECK(spsc_push_nocommit(&private_inbox, keel_job_make(&targets[i], i % 2)));
    }
    spsc_commit(&private_inbox);
    uintptr_t batch[8];
    CHECK_EQ_INT(8, spsc_pop_batch(&private_inbox, batch, 8));
    for (unsigned i = 0; i < 8; i++) {
        KeelJob job = spmc_pop(&shared);
        CHECK(keel_job_ptr(job) == &targets[i]);
        CHECK_EQ_INT(i % 5, keel_job_tag(job));
        CHECK(keel_job_ptr(batch[i]) == &targets[i]);
        CHECK_EQ_INT(i % 2, keel_job_tag(batch[i]));
        unsigned done_tag = keel_job_tag(job) == KEEL_JOB_SHARED_WRITE ? KEEL_JOB_DONE_WRITE
                                                                       : KEEL_JOB_DONE_READ;
        CHECK(mpsc_push(&producer, keel_job_make(keel_job_ptr(job), done_tag)));
    }
    CHECK_EQ_INT(8, mpsc_pop_batch(&done, batch, 8));
    for (unsigned i = 0; i < 8; i++) {
        CHECK(keel_job_ptr(batch[i]) == &targets[i]);
        CHECK_EQ_INT(i % 5 == KEEL_JOB_SHARED_WRITE, keel_job_tag(batch[i]) == KEEL_JOB_DONE_WRITE);
    }
    mpsc_producer_deinit(&producer);
    mpsc_deinit(&done);
    spsc_deinit(&private_inbox);
    spmc_deinit(&shared);
}
