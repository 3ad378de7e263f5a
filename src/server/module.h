/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/module.h: loading keel modules (.so) and the KeelCore table they
 * receive.
 *
 * Modules load at startup only, from loadmodule lines and --loadmodule, in
 * order. Every failure stops startup with one log line naming the file, the
 * reason and the config line.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_MODULE_H
#define KEEL_SERVER_MODULE_H

#include <stddef.h>

#include "ds/sds.h"
#include "keel/module.h"

typedef struct Module {
    char *name;    /* from module_set_info, else the file's base name */
    int version;
    char *path;    /* as resolved */
    int argc;
    char **argv;   /* loadmodule arguments, owned */
    void *handle;  /* dlopen handle */
    struct Module *next;
} Module;

/* The table handed to modules. */
const KeelCore *module_core_api(void);
/* Name of the module whose onload is running, or NULL. */
const char *module_loading_name(void);

/* Loads one module. origin names the config line ("at FILE:N", "from
 * --loadmodule"). Returns 0, or -1 after logging Valkey's lines; on failure
 * nothing stays registered and the library is closed. */
int module_load(const char *path, int argc, char **argv, const char *origin);
/* Loads every loadmodule line of the config, then keel-socket.so when a
 * TCP/Unix listener needs it. Returns 0 or -1 (already logged). */
int module_load_startup(void);
/* Directory searched for bare module names. */
const char *module_dir(void);
/* Loaded modules, in load order. */
Module *module_list_head(void);
int module_count(void);

/* Runtime MODULE LOAD/UNLOAD: keel's modules are transports and IO engines,
 * which load at startup only. These log why and return -1. */
int module_load_runtime(const char *path, int argc, char **argv);
int module_unload_runtime(const char *name, char *err, size_t errlen);

/* KeelCore members implemented by the loader (used by core_api.c). */
void module_api_set_info(const char *name, int version);
void module_api_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int module_api_conn_type_register(const KeelConnType *type, char *err, size_t errlen);
int module_api_io_engine_register(const KeelIoEngine *engine, char *err, size_t errlen);
/* Records the calling thread as the main thread (KeelCore.is_main_thread). */
void core_api_mark_main_thread(void);

#endif
