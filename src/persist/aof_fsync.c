/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_fsync.c: the background thread of appendfsync everysec:
 * fsyncs (and closes) AOF file descriptors off the main thread, so a slow
 * disk never stalls replies.
 *
 * Jobs run in the order they were queued. The main thread never closes an
 * AOF fd itself while the thread may use it: it queues the close behind
 * the fsyncs of that fd, so an fd number is never reused under a pending
 * fsync. The thread touches nothing but the fds it is given and the
 * fields below: the queue (behind `lock`), and `pending` / `last_error`,
 * atomics the main thread reads for INFO, the everysec decision and
 * -MISCONF.
 *
 * Threads: aof_fsync_post/close_post/drain from the main thread; the
 * worker runs jobs. The thread starts on first use and lives until exit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "persist/aof_internal.h"
#include "server/log.h"

#define QUEUE_SIZE 256

typedef struct FsyncJob {
    int fd;
    bool close_it; /* close instead of fsync */
} FsyncJob;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t job_done = PTHREAD_COND_INITIALIZER;
static FsyncJob queue[QUEUE_SIZE]; /* behind lock */
static int queue_head, queue_count; /* behind lock */
static atomic_int pending;          /* queued + running */
static atomic_int last_error;       /* errno of the last failed fsync, 0 after a good one */
static bool started;                /* main thread only */

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (queue_count == 0) pthread_cond_wait(&job_ready, &lock);
        FsyncJob job = queue[queue_head];
        pthread_mutex_unlock(&lock);
        if (job.close_it) {
            close(job.fd);
        } else if (fdatasync(job.fd) != 0 && errno != EBADF && errno != EINVAL) {
            atomic_store(&last_error, errno);
        } else {
            atomic_store(&last_error, 0);
        }
        /* Only now is the job off the queue: drain() waits for it. */
        pthread_mutex_lock(&lock);
        queue_head = (queue_head + 1) % QUEUE_SIZE;
        queue_count--;
        atomic_fetch_sub(&pending, 1);
        pthread_cond_broadcast(&job_done);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

void aof_fsync_thread_start(void) {
    if (started) return;
    pthread_t tid;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&tid, &attr, worker, NULL) != 0) {
        log_msg(LL_WARNING, "Fatal: Can't initialize the AOF fsync thread: %s", strerror(errno));
        _exit(1);
    }
    pthread_attr_destroy(&attr);
    started = true;
}

static void post(int fd, bool close_it) {
    aof_fsync_thread_start();
    pthread_mutex_lock(&lock);
    while (queue_count == QUEUE_SIZE) pthread_cond_wait(&job_done, &lock);
    queue[(queue_head + queue_count) % QUEUE_SIZE] = (FsyncJob){fd, close_it};
    queue_count++;
    atomic_fetch_add(&pending, 1);
    pthread_cond_signal(&job_ready);
    pthread_mutex_unlock(&lock);
}

void aof_fsync_post(int fd) {
    post(fd, false);
}

void aof_close_post(int fd) {
    if (!started) {
        close(fd); /* no thread: nothing can be using fd */
        return;
    }
    post(fd, true);
}

int aof_fsync_pending(void) {
    return atomic_load(&pending);
}

void aof_fsync_drain(void) {
    if (!started) return;
    pthread_mutex_lock(&lock);
    while (queue_count > 0) pthread_cond_wait(&job_done, &lock);
    pthread_mutex_unlock(&lock);
}

int aof_fsync_last_error(void) {
    return atomic_load(&last_error);
}
