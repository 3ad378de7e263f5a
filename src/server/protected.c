/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/protected.c: the enable-module-command and enable-protected-configs
 * gates, and the choice of gate for a protected command (DEBUG's own gate,
 * enable-debug-command, lives with DEBUG in server/debug.c).
 *
 * Threads: main only.
 */
#include "server/protected.h"

#include <string.h>

#include "net/reply.h"
#include "server/config.h"
#include "server/debug.h"

#define GATE_NO 0
#define GATE_YES 1
#define GATE_LOCAL 2

static int cfg_enable_module_command = GATE_NO;
static int cfg_enable_protected_configs = GATE_NO;

static const char *const gate_names[] = {"no", "yes", "local", NULL};

#define MODULE_NOT_ALLOWED_ERR                                                                   \
    "MODULE command not allowed. If the enable-module-command option is set to \"local\", you " \
    "can run it from a local connection, otherwise you need to set this option in the "         \
    "configuration file, and then restart the server."

void protected_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "enable-module-command", .type = KEEL_CFG_ENUM,
         .flags = KEEL_CFG_IMMUTABLE, .default_value = "no", .enum_names = gate_names,
         .storage = &cfg_enable_module_command},
        {.size = sizeof(KeelConfigOption), .name = "enable-protected-configs",
         .type = KEEL_CFG_ENUM, .flags = KEEL_CFG_IMMUTABLE, .default_value = "no",
         .enum_names = gate_names, .storage = &cfg_enable_protected_configs},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}

static int gate_allows(int gate, const Client *c) {
    if (c->conn == NULL) return 1; /* internal clients are the server itself */
    if (gate == GATE_YES) return 1;
    return gate == GATE_LOCAL && debug_client_is_local(c);
}

int protected_command_check(Client *c, const Command *cmd) {
    const Command *top = cmd->parent ? cmd->parent : cmd;
    if (strcmp(top->name, "module") == 0) {
        if (gate_allows(cfg_enable_module_command, c)) return 1;
        reply_error(c, MODULE_NOT_ALLOWED_ERR);
        return 0;
    }
    if (debug_command_allowed(c)) return 1;
    reply_error(c, DEBUG_NOT_ALLOWED_ERR);
    return 0;
}

int protected_config_allowed(const Client *c) {
    return gate_allows(cfg_enable_protected_configs, c);
}
