/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/module.c: the entry points of keel-rdma.so, which provides the
 * "rdma" connection type (Valkey Over RDMA), and its options: rdma-port,
 * rdma-bind, rdma-rx-size and rdma-completion-vector (Valkey 8.1's names and
 * defaults), which the loadmodule arguments of Valkey 8.0 (port=, bind=,
 * rx-size=, comp-vector=) also set.
 *
 * Loading needs no RDMA device: a config may carry the loadmodule line on a
 * host with rdma-port 0. Listening does (listen.c says so and the server
 * stops).
 *
 * Threads: main only (the loader calls onload once, at startup; apply hooks
 * run on the main thread).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "args.h"
#include "internal.h"

const KeelCore *rdma_core;
RdmaOptions rdma_opts;

const uint32_t keel_module_abi = KEEL_ABI_VERSION;

/* The last KeelCore member this module calls. */
#define RDMA_CORE_MIN_SIZE \
    (offsetof(KeelCore, listener_reopen) + sizeof(int (*)(const char *, char *, size_t)))

static int rdma_options_register(char *err, size_t errlen) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "rdma-port", .type = KEEL_CFG_NUMBER,
         .default_value = "0", .min = 0, .max = 65535, .storage = &rdma_opts.port,
         .apply = rdma_listener_apply},
        {.size = sizeof(KeelConfigOption), .name = "rdma-bind", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_EMPTY_OK, .default_value = "", .storage = &rdma_opts.bind,
         .apply = rdma_listener_apply},
        /* Read when a connection is set up: a change applies to new ones. */
        {.size = sizeof(KeelConfigOption), .name = "rdma-rx-size", .type = KEEL_CFG_MEMORY,
         .default_value = "1048576", .min = RDMA_RX_SIZE_MIN, .max = RDMA_RX_SIZE_MAX,
         .storage = &rdma_opts.rx_size},
        {.size = sizeof(KeelConfigOption), .name = "rdma-completion-vector",
         .type = KEEL_CFG_NUMBER, .flags = KEEL_CFG_IMMUTABLE, .default_value = "-1", .min = -1,
         .max = 1024, .storage = &rdma_opts.comp_vector},
    };
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (rdma_core->config_register(&options[i], err, errlen) != KEEL_OK) return -1;
    return 0;
}

/* Writes the module arguments over the options' defaults; config-file
 * lines for the same options come later and win. */
static void rdma_args_apply(const RdmaArgs *args) {
    if (args->has_port) rdma_opts.port = args->port;
    if (args->has_rx_size) rdma_opts.rx_size = args->rx_size;
    if (args->has_comp_vector) rdma_opts.comp_vector = args->comp_vector;
    if (args->has_bind) {
        /* The core owns the string and frees it with its allocator. */
        size_t len = strlen(args->bind);
        char *copy = rdma_core->mem_alloc(len + 1);
        memcpy(copy, args->bind, len + 1);
        rdma_core->mem_free(rdma_opts.bind);
        rdma_opts.bind = copy;
    }
}

int keel_module_onload(const KeelCore *core, int argc, char **argv) {
    if (keel_module_check_core(core, "keel-rdma.so", RDMA_CORE_MIN_SIZE, 0, NULL) != KEEL_OK)
        return KEEL_ERR;
    char err[512];
    RdmaArgs args;
    if (rdma_args_parse(argc, argv, &args, err, sizeof err) != 0) {
        core->module_set_error("%s", err);
        return KEEL_ERR;
    }
    core->module_set_info("rdma", 1);
    rdma_core = core;
    if (rdma_options_register(err, sizeof err) != 0 ||
        core->conn_type_register(&rdma_conn_type, err, sizeof err) != KEEL_OK) {
        /* The loader unregisters whatever this module registered. */
        core->module_set_error("%s", err);
        return KEEL_ERR;
    }
    rdma_args_apply(&args);
    return KEEL_OK;
}
