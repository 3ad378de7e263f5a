/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/io_threads.h: the core's side of IO threading: the registered IO
 * engine (keel/ioengine.h), the client IO state machine, and the jobs' bodies
 * as the engine runs them on IO threads.
 *
 * Without an engine, or while it has no IO thread active, every function
 * here says "not offloaded" and the callers work inline, exactly as before.
 *
 * Threads: main only, except io_run_job, io_thread_init, io_current_tid and
 * io_is_crashing, which IO threads call.
 */
#ifndef KEEL_NET_IO_THREADS_H
#define KEEL_NET_IO_THREADS_H

#include <stddef.h>
#include <stdint.h>

#include "ds/sds.h"
#include "keel/ioengine.h"

struct Client;
struct KeelConn;
struct Obj;

/* Registers io-threads-always-active (io-threads itself is server.c's). */
void io_register_config(void);
/* KeelCore.io_engine_register, for the module named owner. */
int io_engine_register(const KeelIoEngine *engine, const char *owner, char *err, size_t errlen);
/* Forgets the engine registered by owner (its onload failed later). */
void io_engine_unregister_owner(const char *owner);
/* 1 once an engine is registered. */
int io_engine_loaded(void);
/* Starts the engine with io-threads threads (startup, after config). Returns
 * 0, or -1 after logging why. No-op without an engine. */
int io_start(void);
/* Stops the IO threads (shutdown); nothing is offloaded after. */
void io_stop(void);
/* Apply hook of io-threads: at runtime loads keel-iothreads.so if needed and
 * schedules the resize, done at a quiet point of the loop. */
int io_threads_apply(const char *name, char *err, size_t errlen);

/* 1 if jobs may be submitted now (engine running, an IO thread active, no
 * resize waiting). */
int io_offload_possible(void);
/* Tries to hand c's read to an IO thread. Returns 1 if a READ job is in
 * flight now, 0 if the caller must read inline (state rolled back). */
int io_try_offload_read(struct Client *c);
/* Same for c's pending replies. */
int io_try_offload_write(struct Client *c);
/* KeelCore.io_offload_handshake: hands the next handshake step of an
 * accepted connection (its client exists) to an IO thread as an ACCEPT job.
 * 1 if one is in flight now, 0 if the transport must run the step itself. */
int io_try_offload_handshake(struct KeelConn *conn);
/* Hands a value the keyspace dropped to an IO thread to free (a FREE_OBJ
 * job), when that is safe and worth it: a string with its own value buffer
 * (RAW: over OBJ_EMBED_VALUE_MAX bytes) and no other reference. 1 if it
 * went, 0 if the caller must free it. */
int io_try_offload_free_object(struct Obj *o);
/* After a command parsed on an IO thread ran: hands its arguments back to
 * that thread to be freed. Returns 1 if the parser's argv now belongs to the
 * job (the parser is reset), 0 if the caller must free them inline. */
int io_handoff_argv(struct Client *c);

/* Loop hooks: completions are handled first in before-sleep, submissions
 * are committed last; after-sleep feeds the scaling policy. */
void io_before_sleep_first(void);
void io_before_sleep_last(void);
void io_after_sleep(int nevents);

/* KeelCore members. */
KeelJob io_run_job(KeelJob job, int queue, int tid);
void io_thread_init(int tid);
int io_is_crashing(void);
/* Sets the crash flag (a crash report is being written). Any thread. */
void io_mark_crashing(void);
/* 0 on the main thread, else the IO thread's id. Any thread. */
int io_current_tid(void);

/* INFO fields. */
sds io_info_stats(sds out);
int io_threads_active_flag(void);

#endif
