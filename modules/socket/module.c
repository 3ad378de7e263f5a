/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socket/module.c: the entry points of keel-socket.so, which provides the
 * "tcp" and "unix" connection types.
 *
 * The only exported symbols of the module are here: keel_module_abi, which
 * the loader checks before calling anything, and keel_module_onload, which
 * keeps the core's table and registers both types. The module has no options
 * of its own (bind, port, tcp-backlog, tcp-keepalive and unixsocket* are core
 * options) and takes no arguments.
 *
 * Threads: main only (the loader calls onload once, at startup).
 */
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

const KeelCore *sock_core;

const uint32_t keel_module_abi = KEEL_ABI_VERSION;

/* The last KeelCore member this module calls; a core whose table ends
 * before it is too old, whatever its ABI number says. */
#define SOCK_CORE_MIN_SIZE (offsetof(KeelCore, mem_free) + sizeof(void (*)(void *)))

int keel_module_onload(const KeelCore *core, int argc, char **argv) {
    if (keel_module_check_core(core, "keel-socket.so", SOCK_CORE_MIN_SIZE, argc, argv) != KEEL_OK)
        return KEEL_ERR;
    core->module_set_info("socket", 1);
    sock_core = core;

    const KeelConnType *types[] = {&sock_tcp_type, &sock_unix_type};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char err[256];
        if (core->conn_type_register(types[i], err, sizeof err) != KEEL_OK) {
            /* Whatever was registered before stays with the module; the
             * loader unregisters all of a module's types when onload fails. */
            core->module_set_error("%s", err);
            return KEEL_ERR;
        }
    }
    return KEEL_OK;
}
