/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/module.c: the module loader.
 *
 * dlopen(RTLD_NOW | RTLD_LOCAL): unresolved symbols fail at load, not at the
 * first call, and modules never see each other's symbols; they reach the core
 * only through the KeelCore table. The exported keel_module_abi is checked
 * before any module code runs, so a module built for another ABI cannot
 * misread the table.
 *
 * Threads: main only.
 */
#include "server/module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/conn.h"
#include "net/io_threads.h"
#include "server/config.h"
#include "server/log.h"
#include "server/mem.h"

#ifndef KEEL_MODULE_DIR
#define KEEL_MODULE_DIR "/usr/local/lib/keel/modules"
#endif

static Module *modules_head, *modules_tail;
static int modules_loaded;

/* State of the onload call in progress. */
static struct {
    const char *file_name; /* base name of the file being loaded */
    char name[64];
    int version;
    char error[512];
    int runtime; /* MODULE LOAD: registrations of transports are refused */
} loading;

const char *module_loading_name(void) {
    if (loading.file_name == NULL) return NULL;
    return loading.name[0] ? loading.name : loading.file_name;
}

/* ---- the parts of KeelCore that concern modules ---- */

void module_api_set_info(const char *name, int version) {
    snprintf(loading.name, sizeof(loading.name), "%s", name);
    loading.version = version;
}

void module_api_set_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(loading.error, sizeof(loading.error), fmt, ap);
    va_end(ap);
}

int module_api_conn_type_register(const KeelConnType *type, char *err, size_t errlen) {
    if (loading.file_name == NULL) {
        snprintf(err, errlen, "connection types can only be registered while a module loads");
        return -1;
    }
    if (loading.runtime) {
        snprintf(err, errlen, "Connection type %s can be loaded only during startup",
                 type && type->name ? type->name : "?");
        return -1;
    }
    return conn_type_register(type, loading.file_name, err, errlen);
}

int module_api_io_engine_register(const KeelIoEngine *engine, char *err, size_t errlen) {
    if (loading.file_name == NULL) {
        snprintf(err, errlen, "an IO engine can only be registered while a module loads");
        return -1;
    }
    return io_engine_register(engine, loading.file_name, err, errlen);
}

/* ---- paths ---- */

/* The first of these that exists, relative to the running binary: the
 * build tree (build/bin -> build/modules), then an installed layout
 * (PREFIX/bin -> PREFIX/lib/keel/modules, which also works for a relocated
 * or DESTDIR-staged install), then the compiled-in KEEL_MODULE_DIR. */
const char *module_dir(void) {
    static char *dir; /* computed once */
    if (dir) return dir;
    /* KEEL_MODULE_DIR in the environment wins (tests point it at a folder
     * without some module to check the start-up error). */
    const char *env = getenv("KEEL_MODULE_DIR");
    if (env && env[0]) {
        dir = mem_strdup(env);
        return dir;
    }
    static const char *const candidates[] = {"/../modules", "/../lib/keel/modules"};
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *slash = len > 0 ? (exe[len] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) *slash = '\0';
    for (size_t i = 0; slash && i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        sds candidate = sds_cat(sds_new(exe), candidates[i]);
        char *resolved = realpath(candidate, NULL);
        sds_free(candidate);
        if (resolved && access(resolved, R_OK | X_OK) == 0) {
            dir = mem_strdup(resolved);
            free(resolved);
            return dir;
        }
        free(resolved);
    }
    dir = mem_strdup(KEEL_MODULE_DIR);
    return dir;
}

/* Returns the path to open for a loadmodule argument; caller frees. */
static sds module_resolve_path(const char *path) {
    if (strchr(path, '/')) return sds_new(path);
    return sds_cat_printf(sds_empty(), "%s/%s", module_dir(), path);
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- loading ---- */

static Module *module_record(const char *path, void *handle, int argc, char **argv) {
    Module *m = mem_calloc(sizeof(Module));
    m->name = mem_strdup(loading.name[0] ? loading.name : base_name(path));
    m->version = loading.version;
    m->path = mem_strdup(path);
    m->handle = handle;
    m->argc = argc;
    m->argv = mem_calloc(sizeof(char *) * (size_t)(argc + 1));
    for (int i = 0; i < argc; i++) m->argv[i] = mem_strdup(argv[i]);
    if (modules_tail)
        modules_tail->next = m;
    else
        modules_head = m;
    modules_tail = m;
    modules_loaded++;
    return m;
}

static int module_load_resolved(const char *resolved, int argc, char **argv, const char *origin,
                                int runtime);

static int module_load_internal(const char *path, int argc, char **argv, const char *origin,
                                int runtime) {
    sds resolved = module_resolve_path(path);
    int result = module_load_resolved(resolved, argc, argv, origin, runtime);
    sds_free(resolved);
    return result;
}

static int module_load_resolved(const char *resolved, int argc, char **argv, const char *origin,
                                int runtime) {
    for (Module *m = modules_head; m; m = m->next) {
        if (strcmp(base_name(m->path), base_name(resolved)) == 0) {
            log_msg(LL_WARNING, "Module %s failed to load: it is already loaded (%s)", resolved,
                    origin);
            return -1;
        }
    }
    void *handle = dlopen(resolved, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        log_msg(LL_WARNING, "Module %s failed to load: %s (%s)", resolved, dlerror(), origin);
        return -1;
    }
    const uint32_t *abi = dlsym(handle, "keel_module_abi");
    KeelModuleOnload onload;
    *(void **)&onload = dlsym(handle, "keel_module_onload"); /* POSIX-sanctioned cast */
    if (abi == NULL || onload == NULL) {
        log_msg(LL_WARNING,
                "Module %s does not export keel_module_onload() or keel_module_abi. Module not "
                "loaded. (%s)",
                resolved, origin);
        goto err_close;
    }
    if (*abi != KEEL_ABI_VERSION) {
        log_msg(LL_WARNING,
                "Module %s failed to load: built for keel module ABI %u, this server provides ABI "
                "%u; rebuild the module (%s)",
                resolved, (unsigned)*abi, (unsigned)KEEL_ABI_VERSION, origin);
        goto err_close;
    }
    memset(&loading, 0, sizeof(loading));
    loading.file_name = base_name(resolved);
    loading.runtime = runtime;
    if (onload(module_core_api(), argc, argv) != KEEL_OK) {
        log_msg(LL_WARNING, "Module %s failed to load: %s (%s)", resolved,
                loading.error[0] ? loading.error : "keel_module_onload returned an error",
                origin);
        goto err_unregister;
    }
    Module *m = module_record(resolved, handle, argc, argv);
    log_msg(LL_NOTICE, "Module '%s' loaded from %s", m->name, resolved);
    loading.file_name = NULL;
    return 0;

err_unregister:
    conn_type_unregister_owner(loading.file_name);
    io_engine_unregister_owner(loading.file_name);
    loading.file_name = NULL;
err_close:
    dlclose(handle);
    return -1;
}

int module_load(const char *path, int argc, char **argv, const char *origin) {
    return module_load_internal(path, argc, argv, origin, 0);
}

int module_load_startup(void) {
    for (int i = 0; i < config_module_line_count(); i++) {
        const ConfigModuleLine *line = config_module_line_at(i);
        if (module_load(line->path, line->argc, line->argv, line->origin) != 0) {
            sds resolved = module_resolve_path(line->path);
            log_msg(LL_WARNING, "Can't load module from %s: server aborting", resolved);
            sds_free(resolved);
            return -1;
        }
    }
    if (listener_socket_needed() && conn_type_find("tcp") == NULL && conn_type_find("unix") == NULL) {
        const char *origin = "loaded automatically for the tcp/unix listeners";
        if (module_load("keel-socket.so", 0, NULL, origin) != 0) {
            sds resolved = module_resolve_path("keel-socket.so");
            log_msg(LL_WARNING, "Can't load module from %s: server aborting", resolved);
            sds_free(resolved);
            return -1;
        }
    }
    return 0;
}

Module *module_list_head(void) {
    return modules_head;
}

int module_count(void) {
    return modules_loaded;
}

int module_load_runtime(const char *path, int argc, char **argv) {
    return module_load_internal(path, argc, argv, "from MODULE LOAD", 1);
}

int module_unload_runtime(const char *name, char *err, size_t errlen) {
    for (Module *m = modules_head; m; m = m->next) {
        if (strcmp(m->name, name) != 0) continue;
        int types = 0;
        for (int i = 0; i < conn_type_count(); i++) {
            const KeelConnType *type = conn_type_at(i);
            const char *owner = conn_type_owner(type->name);
            if (owner == NULL || strcmp(owner, base_name(m->path)) != 0) continue;
            log_msg(LL_WARNING, "Connection type %s can not be unloaded", type->name);
            types++;
        }
        if (types == 0)
            log_msg(LL_WARNING, "Module %s can not be unloaded: keel modules stay loaded until exit",
                    name);
        snprintf(err, errlen, "Error unloading module: operation not possible.");
        return -1;
    }
    snprintf(err, errlen, "Error unloading module: no such module with that name");
    return -1;
}
