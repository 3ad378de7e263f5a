/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/job.h: the job word that travels through keel-iothreads.so's
 * queues: a pointer to the object the job is about, with the job type in its
 * low 3 bits (IO-THREADS.md section 2). No {handler, data} struct is
 * allocated per job.
 *
 * A job word is never 0: the pointer must be non-NULL and 8-byte aligned, so
 * even tag 0 leaves a non-zero word, and 0 can mean "empty slot" in the
 * completion queue. Each queue direction has its own 8 tags; the enum a tag
 * belongs to says which queue it may travel on.
 *
 * Threads: pure functions, any thread. Depends on libc only.
 */
#ifndef KEEL_IOTHREADS_JOB_H
#define KEEL_IOTHREADS_JOB_H

#include <assert.h>
#include <stdint.h>

typedef uintptr_t KeelJob;

#define KEEL_JOB_TAG_BITS 3u
#define KEEL_JOB_TAG_MASK ((uintptr_t)((1u << KEEL_JOB_TAG_BITS) - 1)) /* 0x7 */
#define KEEL_JOB_ALIGN ((uintptr_t)1 << KEEL_JOB_TAG_BITS)             /* 8 bytes */

/* Tags of the shared inbox (SPMC, main -> any IO thread). */
typedef enum KeelJobSharedTag {
    KEEL_JOB_SHARED_READ = 0,     /* client: read + parse into argv */
    KEEL_JOB_SHARED_WRITE = 1,    /* client: writev up to the reply snapshot */
    KEEL_JOB_SHARED_ACCEPT = 2,   /* client: transport accept (TLS handshake) */
    KEEL_JOB_SHARED_FREE_OBJ = 3, /* string object with refcount 1: free it */
    KEEL_JOB_SHARED_POLL = 4,     /* event loop: epoll_wait with timeout 0 */
    /* 5..7 reserved: cluster bus read / write / accept. */
} KeelJobSharedTag;

/* Tags of a private inbox (SPSC, main -> one IO thread). */
typedef enum KeelJobPrivateTag {
    KEEL_JOB_PRIVATE_FREE_ARGV = 0, /* argv array this thread allocated */
    KEEL_JOB_PRIVATE_POLL = 1,      /* event loop, when more than 9 threads run */
} KeelJobPrivateTag;

/* Tags of the completion queue (MPSC, IO threads -> main). */
typedef enum KeelJobDoneTag {
    KEEL_JOB_DONE_READ = 0,   /* client: READ finished */
    KEEL_JOB_DONE_WRITE = 1,  /* client: WRITE finished */
    KEEL_JOB_DONE_ACCEPT = 2, /* client: an ACCEPT (handshake step) finished */
} KeelJobDoneTag;

/* Builds a job word from ptr (non-NULL, 8-byte aligned; not owned: the job
 * only names it) and tag (< 8). Misuse is an assert, never a quiet wrong
 * word. */
static inline KeelJob keel_job_make(void *ptr, unsigned tag) {
    uintptr_t word = (uintptr_t)ptr;
    assert(ptr != NULL);
    assert((word & KEEL_JOB_TAG_MASK) == 0 && "job objects must be 8-byte aligned");
    assert(tag <= KEEL_JOB_TAG_MASK && "a job tag has 3 bits");
    return word | (uintptr_t)tag;
}

/* The object a job word names. */
static inline void *keel_job_ptr(KeelJob job) {
    return (void *)(job & ~KEEL_JOB_TAG_MASK);
}

/* The tag of a job word; which enum it belongs to depends on the queue it
 * came from. */
static inline unsigned keel_job_tag(KeelJob job) {
    return (unsigned)(job & KEEL_JOB_TAG_MASK);
}

#endif
