/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/core_api.c: builds the KeelCore table that modules receive.
 *
 * Each member forwards to the room that owns the work; this file holds no
 * state of its own beyond the table and the main thread's identity.
 *
 * Threads: the table is built once on the main thread and read-only after.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "keel/module.h"
#include "net/client.h"
#include "net/conn.h"
#include "net/io_threads.h"
#include "server/config.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/mem.h"
#include "server/module.h"
#include "server/version.h"

static pthread_t main_thread;

void core_api_mark_main_thread(void) {
    main_thread = pthread_self();
}

static int api_is_main_thread(void) {
    return pthread_equal(pthread_self(), main_thread);
}

static void api_log(int level, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}

static int api_ev_add(int fd, int mask, KeelFileProc proc, void *data) {
    return ev_add(fd, mask, proc, data);
}

static long long api_timer_add(long long ms, KeelTimerProc proc, void *data) {
    return ev_timer_add(ms, proc, data);
}

static int api_config_register(const KeelConfigOption *opt, char *err, size_t errlen) {
    return config_register(opt, module_loading_name(), err, errlen);
}

const KeelCore *module_core_api(void) {
    static const KeelCore core = {
        .size = sizeof(KeelCore),
        .abi_version = KEEL_ABI_VERSION,
        .server_version = KEEL_VERSION,
        .module_set_info = module_api_set_info,
        .module_set_error = module_api_set_error,
        .log = api_log,
        .is_main_thread = api_is_main_thread,
        .monotonic_us = ev_monotonic_us,
        .ev_add = api_ev_add,
        .ev_remove = ev_remove,
        .timer_add = api_timer_add,
        .timer_remove = ev_timer_remove,
        .conn_type_register = module_api_conn_type_register,
        .accept_client = client_accept,
        .accept_budget = listener_accept_budget,
        .config_register = api_config_register,
        .mem_alloc = mem_alloc,
        .mem_calloc = mem_calloc,
        .mem_realloc = mem_realloc,
        .mem_free = mem_free,
        .io_engine_register = module_api_io_engine_register,
        .io_run_job = io_run_job,
        .io_thread_init = io_thread_init,
        .is_crashing = io_is_crashing,
        .listener_reopen = listener_reopen_type,
        .io_offload_handshake = io_try_offload_handshake,
        .ev_event_ignored = ev_note_ignored,
    };
    return &core;
}
