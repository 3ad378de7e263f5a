/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iothreads/module.c: the entry points of keel-iothreads.so: checks the
 * core's table, names the module, registers its hidden tuning options and
 * the IO engine (engine.c).
 *
 * The options are hidden (CONFIG GET globs do not list them) because they
 * exist for tests and measurements: tiny queues force the full-queue
 * rollback and overflow paths, a low poll-offload threshold exercises poll
 * offload on a machine with few cores.
 *
 * Threads: main only (the loader calls onload once).
 */
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

const uint32_t keel_module_abi = KEEL_ABI_VERSION;

/* The last KeelCore member this module calls. */
#define IOT_CORE_MIN_SIZE (offsetof(KeelCore, is_crashing) + sizeof(int (*)(void)))

long long engine_cfg_queue_size;
long long engine_cfg_done_size;
long long engine_cfg_inbox_size;
long long engine_cfg_poll_offload_min;

int keel_module_onload(const KeelCore *core, int argc, char **argv) {
    if (keel_module_check_core(core, "keel-iothreads.so", IOT_CORE_MIN_SIZE, argc, argv) != KEEL_OK)
        return KEEL_ERR;
    core->module_set_info("iothreads", 1);
    engine_init(core);
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "io-threads-queue-size",
         .type = KEEL_CFG_NUMBER, .flags = KEEL_CFG_HIDDEN | KEEL_CFG_IMMUTABLE,
         .default_value = "4096", .min = 2, .max = 1 << 20, .storage = &engine_cfg_queue_size},
        {.size = sizeof(KeelConfigOption), .name = "io-threads-completion-queue-size",
         .type = KEEL_CFG_NUMBER, .flags = KEEL_CFG_HIDDEN | KEEL_CFG_IMMUTABLE,
         .default_value = "16384", .min = 2, .max = 1 << 20, .storage = &engine_cfg_done_size},
        {.size = sizeof(KeelConfigOption), .name = "io-threads-inbox-size",
         .type = KEEL_CFG_NUMBER, .flags = KEEL_CFG_HIDDEN | KEEL_CFG_IMMUTABLE,
         .default_value = "4096", .min = 2, .max = 1 << 20, .storage = &engine_cfg_inbox_size},
        {.size = sizeof(KeelConfigOption), .name = "io-threads-poll-offload-min",
         .type = KEEL_CFG_NUMBER, .flags = KEEL_CFG_HIDDEN, .default_value = "9", .min = 0,
         .max = ENGINE_MAX_THREADS, .storage = &engine_cfg_poll_offload_min},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
        char err[256];
        if (core->config_register(&options[i], err, sizeof(err)) != KEEL_OK) {
            core->module_set_error("%s", err);
            return KEEL_ERR;
        }
    }
    char err[256];
    if (core->io_engine_register(&engine_table, err, sizeof(err)) != KEEL_OK) {
        core->module_set_error("%s", err);
        return KEEL_ERR;
    }
    return KEEL_OK;
}
