/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/lazyfree.c: the background free thread: a mutex-protected list of jobs
 * (an object, or a pair of tables), one worker thread, and the counters
 * INFO shows. Jobs are rare and each frees a lot, so a plain lock is the
 * right tool here; the lock-free queues are for the per-request IO path.
 */
#include "db/lazyfree.h"

#include <pthread.h>
#include <stdatomic.h>

#include "server/config.h"
#include "server/log.h"
#include "server/mem.h"
#include "types/types.h"

int cfg_lazyfree_lazy_eviction;
int cfg_lazyfree_lazy_expire;
int cfg_lazyfree_lazy_server_del;
int cfg_lazyfree_lazy_user_del;
int cfg_lazyfree_lazy_user_flush;

typedef struct LazyJob {
    struct LazyJob *next;
    Obj *obj;      /* an object, or NULL */
    Ht *keys;      /* or two tables */
    Ht *expires;
    size_t count;  /* objects this job frees */
} LazyJob;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t work_done = PTHREAD_COND_INITIALIZER;
static LazyJob *queue_head, *queue_tail;
static int busy; /* the worker is running a job */
static _Atomic size_t pending_objects;
static _Atomic unsigned long long freed_objects;
static int started;

void lazyfree_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "lazyfree-lazy-eviction", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_lazyfree_lazy_eviction},
        {.size = sizeof(KeelConfigOption), .name = "lazyfree-lazy-expire", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_lazyfree_lazy_expire},
        {.size = sizeof(KeelConfigOption), .name = "lazyfree-lazy-server-del",
         .type = KEEL_CFG_BOOL, .default_value = "yes", .storage = &cfg_lazyfree_lazy_server_del},
        {.size = sizeof(KeelConfigOption), .name = "lazyfree-lazy-user-del", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_lazyfree_lazy_user_del},
        {.size = sizeof(KeelConfigOption), .name = "lazyfree-lazy-user-flush",
         .type = KEEL_CFG_BOOL, .default_value = "yes", .storage = &cfg_lazyfree_lazy_user_flush},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}

static void run_job(LazyJob *job) {
    if (job->obj) {
        obj_free(job->obj);
    } else {
        ht_destroy(job->expires); /* borrowed pointers: no destructor */
        ht_destroy(job->keys);    /* frees every object */
    }
}

static void *worker_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (queue_head == NULL) pthread_cond_wait(&work_ready, &lock);
        LazyJob *job = queue_head;
        queue_head = job->next;
        if (queue_head == NULL) queue_tail = NULL;
        busy = 1;
        pthread_mutex_unlock(&lock);
        run_job(job);
        atomic_fetch_sub(&pending_objects, job->count);
        atomic_fetch_add(&freed_objects, job->count);
        mem_free(job);
        pthread_mutex_lock(&lock);
        busy = 0;
        pthread_cond_broadcast(&work_done);
    }
    return NULL;
}

void lazyfree_init(void) {
    pthread_t tid;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&tid, &attr, worker_main, NULL) != 0) {
        /* Without the thread every free simply happens inline. */
        log_msg(LL_WARNING, "Can't start the lazy free thread: freeing inline instead.");
    } else {
        started = 1;
    }
    pthread_attr_destroy(&attr);
}

static void submit(LazyJob *job) {
    atomic_fetch_add(&pending_objects, job->count);
    pthread_mutex_lock(&lock);
    job->next = NULL;
    if (queue_tail) queue_tail->next = job;
    else queue_head = job;
    queue_tail = job;
    pthread_cond_signal(&work_ready);
    pthread_mutex_unlock(&lock);
}

size_t lazyfree_effort(const Obj *o) {
    /* A string is one or two allocations; a collection says. */
    const TypeOps *ops = type_ops_for(o->type);
    return ops ? ops->free_effort(o->encoding, o->ptr) : 1;
}

void lazyfree_free_object(Obj *o) {
    if (!started || lazyfree_effort(o) <= LAZYFREE_THRESHOLD) {
        obj_free(o);
        return;
    }
    LazyJob *job = mem_calloc(sizeof(*job));
    job->obj = o;
    job->count = 1;
    submit(job);
}

void lazyfree_free_tables(Ht *keys, Ht *expires) {
    if (!started) {
        ht_destroy(expires);
        ht_destroy(keys);
        return;
    }
    LazyJob *job = mem_calloc(sizeof(*job));
    job->keys = keys;
    job->expires = expires;
    job->count = ht_size(keys);
    submit(job);
}

size_t lazyfree_pending_objects(void) {
    return atomic_load(&pending_objects);
}

unsigned long long lazyfree_freed_objects(void) {
    return atomic_load(&freed_objects);
}

void lazyfree_reset_stats(void) {
    atomic_store(&freed_objects, 0);
}

void lazyfree_drain(void) {
    pthread_mutex_lock(&lock);
    while (queue_head != NULL || busy) pthread_cond_wait(&work_done, &lock);
    pthread_mutex_unlock(&lock);
}
