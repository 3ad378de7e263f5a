/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/module_cmd.c: the MODULE command (LIST, LOAD, LOADEX, UNLOAD, HELP).
 *
 * keel's modules are transports and IO engines, which load at startup only:
 * MODULE LOAD runs the module's onload in "runtime" mode, where registering a
 * connection type is refused, so the module fails cleanly, is unloaded and
 * the reply says to check the log (as Valkey does for its connection
 * modules). MODULE UNLOAD is refused the same way.
 *
 * Threads: main only.
 */
#include <string.h>
#include <strings.h>

#include "cmd/procs.h"
#include "net/reply.h"
#include "server/mem.h"
#include "server/module.h"

void cmd_module_list(Client *c) {
    reply_array_len(c, module_count());
    for (Module *m = module_list_head(); m; m = m->next) {
        reply_map_len(c, 4);
        reply_bulk_cstr(c, "name");
        reply_bulk_cstr(c, m->name);
        reply_bulk_cstr(c, "ver");
        reply_ll(c, m->version);
        reply_bulk_cstr(c, "path");
        reply_bulk_cstr(c, m->path);
        reply_bulk_cstr(c, "args");
        reply_array_len(c, m->argc);
        for (int i = 0; i < m->argc; i++) reply_bulk_cstr(c, m->argv[i]);
    }
}

static void module_load_reply(Client *c, const char *path, int argc, char **argv) {
    if (module_load_runtime(path, argc, argv) == 0)
        reply_ok(c);
    else
        reply_error(c, "Error loading the extension. Please check the server logs.");
}

void cmd_module_load(Client *c) {
    int argc = c->argc - 3;
    char **argv = mem_calloc(sizeof(char *) * (size_t)(argc + 1));
    for (int i = 0; i < argc; i++) argv[i] = c->argv[i + 3]->ptr;
    module_load_reply(c, c->argv[2]->ptr, argc, argv);
    mem_free(argv);
}

/* MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...] */
void cmd_module_loadex(Client *c) {
    int j = 3, argc = 0;
    char **argv = mem_calloc(sizeof(char *) * (size_t)c->argc);
    while (j < c->argc) {
        const char *opt = c->argv[j]->ptr;
        if (strcasecmp(opt, "CONFIG") == 0 && j + 2 < c->argc) {
            /* Config values are applied by the module's own registration;
             * runtime loads are refused anyway, so only validate shape. */
            j += 3;
        } else if (strcasecmp(opt, "ARGS") == 0) {
            for (j++; j < c->argc; j++) argv[argc++] = c->argv[j]->ptr;
        } else {
            reply_error_syntax(c);
            mem_free(argv);
            return;
        }
    }
    module_load_reply(c, c->argv[2]->ptr, argc, argv);
    mem_free(argv);
}

void cmd_module_unload(Client *c) {
    char err[256];
    if (module_unload_runtime(c->argv[2]->ptr, err, sizeof(err)) == 0)
        reply_ok(c);
    else
        reply_error(c, err);
}

void cmd_module_help(Client *c) {
    static const char *const lines[] = {
        "LIST",
        "    Return a list of loaded modules.",
        "LOAD <path> [<arg> ...]",
        "    Load a module library from <path>, passing to it any optional arguments.",
        "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
        "    Load a module library from <path>, while passing it module configurations and "
        "optional arguments.",
        "UNLOAD <name>",
        "    Unload a module.",
        NULL,
    };
    reply_help(c, lines);
}
