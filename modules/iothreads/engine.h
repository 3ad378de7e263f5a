/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/engine.h: what the files of keel-iothreads.so share: the
 * engine table and its tuning knobs. Nothing here is ABI: the core sees only
 * keel_module_abi, keel_module_onload and the KeelIoEngine table.
 *
 * Threads: the knobs are written by option apply hooks on the main thread
 * and read there.
 */
#ifndef KEEL_IOTHREADS_ENGINE_H
#define KEEL_IOTHREADS_ENGINE_H

#include "keel/ioengine.h"
#include "keel/module.h"

#pragma GCC visibility push(hidden)

/* Most threads io-threads may ask for (main included). */
#define ENGINE_MAX_THREADS 256
/* Poll offload starts when more IO threads than this are active (Valkey's
 * threshold; io-threads-poll-offload-min overrides it for tests). */
#define ENGINE_POLL_OFFLOAD_MIN 9

extern const KeelIoEngine engine_table;

/* Tuning, set by the module's hidden options (module.c). Queue sizes apply
 * when the queues are created (first set_threads); they are startup-only. */
extern long long engine_cfg_queue_size;      /* io-threads-queue-size: shared ring */
extern long long engine_cfg_done_size;       /* io-threads-completion-queue-size */
extern long long engine_cfg_inbox_size;      /* io-threads-inbox-size: each private inbox */
extern long long engine_cfg_poll_offload_min; /* io-threads-poll-offload-min */

/* Keeps the core's table for the engine. Call from onload before use. */
void engine_init(const KeelCore *core);

#pragma GCC visibility pop

#endif
