/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keel/ioengine.h: the IO-engine vtable (KeelIoEngine) that an IO-thread
 * dispatcher module (keel-iothreads.so) registers with the core through
 * KeelCore.io_engine_register, and the job words it moves.
 *
 * Split of work: the core owns the client state machine and what a job
 * means (read and parse a query buffer, write replies, free argv, poll);
 * the engine owns threads, queues and the scaling policy. The engine never
 * looks inside a job: on an IO thread it hands each job word back to the
 * core (KeelCore.io_run_job), which does the work and returns the
 * completion word to post, or 0. Without an engine, or with one thread
 * active, the core does everything inline and calls none of this.
 *
 * Threads: every member is called on the main thread only, except where a
 * member says otherwise. The engine calls KeelCore.io_run_job and
 * io_thread_init on its IO threads.
 */
#ifndef KEEL_IOENGINE_H
#define KEEL_IOENGINE_H

#include <stddef.h>
#include <stdint.h>

/* Version of the KeelIoEngine layout; io_engine_register refuses another. */
#define KEEL_IO_ENGINE_ABI 1

/* A job word: a pointer to the object the job is about (8-byte aligned,
 * never NULL, so a word is never 0), with the job type in its low 3 bits.
 * Each queue direction has its own tags. (C11 allows this typedef to be
 * repeated identically, as modules/iothreads/job.h does.) */
typedef uintptr_t KeelJob;

#define KEEL_IO_TAG_MASK ((uintptr_t)7)

/* Shared inbox (any IO thread). */
#define KEEL_IO_JOB_READ 0  /* client: read + parse the first command */
#define KEEL_IO_JOB_WRITE 1 /* client: writev the snapshotted reply iovecs */
#define KEEL_IO_JOB_ACCEPT 2   /* client: one step of the transport's handshake */
#define KEEL_IO_JOB_FREE_OBJ 3 /* RAW string object the keyspace dropped: free (no completion) */
/* Private inbox (one IO thread). */
#define KEEL_IO_PRIV_FREE_ARGV 0 /* NULL-terminated argv array that thread parsed */
#define KEEL_IO_PRIV_POLL 1      /* the event loop: epoll_wait with timeout 0 */
/* Completions (IO thread -> main). */
#define KEEL_IO_DONE_READ 0
#define KEEL_IO_DONE_WRITE 1
#define KEEL_IO_DONE_ACCEPT 2

/* Builds a job word (ptr non-NULL and 8-byte aligned, tag < 8). */
static inline KeelJob keel_io_job(void *ptr, unsigned tag) {
    return (uintptr_t)ptr | (uintptr_t)tag;
}
static inline void *keel_io_job_ptr(KeelJob job) {
    return (void *)(job & ~KEEL_IO_TAG_MASK);
}
static inline unsigned keel_io_job_tag(KeelJob job) {
    return (unsigned)(job & KEEL_IO_TAG_MASK);
}

/* Which queue a job came from, for KeelCore.io_run_job. */
#define KEEL_IO_QUEUE_SHARED 0
#define KEEL_IO_QUEUE_PRIVATE 1

typedef struct KeelIoStats {
    uint32_t active_threads;    /* active_io_threads_num: main + running IO threads */
    uint32_t configured_threads; /* io-threads as the engine runs it */
    uint64_t pending_jobs_avg;  /* instantaneous_io_pending_jobs (recent average depth) */
    uint64_t jobs_submitted;    /* shared + private jobs handed to IO threads */
    uint64_t jobs_finished;     /* of those, finished (completion posted) */
    uint64_t polls_offloaded;   /* POLL jobs submitted */
    uint64_t mpsc_overflows;    /* completions that went through an overflow list */
    uint64_t shared_full;       /* submits refused because the shared ring was full */
} KeelIoStats;

/* Members not marked optional are required; io_engine_register refuses a
 * NULL in them. Return conventions are per member. */
typedef struct KeelIoEngine {
    size_t size;          /* sizeof(KeelIoEngine) as built */
    uint32_t abi_version; /* KEEL_IO_ENGINE_ABI */
    const char *name;     /* "iothreads" */

    /* Creates IO threads so that threads (main included, >= 1) run in all,
     * every new one parked. Called once at startup and again to resize at
     * runtime, then only while no job is in flight (the core stops
     * submitting and waits for pending_jobs() == 0 first). Threads beyond
     * the new count are stopped and joined. Returns 0, or -1 with err. */
    int (*set_threads)(int threads, char *err, size_t errlen);
    /* Stops and joins every IO thread without waiting for completions
     * (shutdown). The core submits nothing after it. */
    void (*stop)(void);
    /* io-threads-always-active: 1 keeps every configured thread active while
     * the server has work. Takes effect at the next loop iteration. */
    void (*set_always_active)(int on);

    /* Queues job on the shared ring. Returns 1, or 0 when full: nothing is
     * queued then and the caller rolls back and works inline. Never blocks. */
    int (*submit)(KeelJob job);
    /* Queues job on IO thread tid's private inbox (tid 1..threads-1); commit
     * = 0 leaves it unpublished until commit(). Returns 1, or 0 when that
     * inbox is full or tid is not active (the caller works inline). */
    int (*submit_private)(int tid, KeelJob job, int commit);
    /* Queues a poll job on the private inbox of the next active IO thread,
     * round-robin. Returns the tid it went to, or 0 if none took it. */
    int (*submit_poll)(KeelJob job);
    /* Publishes jobs queued with commit = 0. */
    void (*commit)(void);
    /* Pops up to max completion words into out; returns how many. */
    size_t (*drain)(KeelJob *out, size_t max);

    /* Loop hooks. before_sleep runs last before the poll: scaling and
     * ignition decisions; returns 1 if completions are already waiting (the
     * core must not block in the poll). after_sleep runs right after it with
     * the number of fired events. */
    int (*before_sleep)(void);
    void (*after_sleep)(int nevents);

    /* 1 + IO threads currently allowed to run. The core offloads only when
     * this is > 1. */
    int (*active_threads)(void);
    /* Jobs submitted and not finished (shared and private). */
    uint64_t (*pending_jobs)(void);
    /* Fills out (all fields). */
    void (*stats)(KeelIoStats *out);
    /* Optional. Blocks the main thread until an IO thread posts a
     * completion or timeout_ms passes. The core calls it only right after
     * before_sleep returned 0, in place of the poll, when the last turn's
     * events were all refires of connections IO jobs own. */
    void (*wait_completion)(int timeout_ms);
} KeelIoEngine;

#endif
