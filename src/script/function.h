/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/function.h: function libraries (FUNCTION LOAD ...): a library is
 * its name, code and engine, and the functions its code registered.
 *
 * Threads: main only.
 */
#ifndef KEEL_SCRIPT_FUNCTION_H
#define KEEL_SCRIPT_FUNCTION_H

#include <stdbool.h>

#include "script/script_engine.h"

typedef struct ScriptFunction {
    sds name;
    sds description; /* NULL when none was given */
    unsigned flags;  /* SCRIPT_FLAG_* */
    int engine_ref;  /* the engine's handle for the callback */
    struct ScriptLibrary *library;
} ScriptFunction;

typedef struct ScriptLibrary {
    sds name;
    sds code;
    const ScriptEngine *engine;
    ScriptFunction **functions;
    int count, cap;
} ScriptLibrary;

/* Adds a function to lib while its code is being loaded. Returns 0, or -1
 * with *err (bad name, duplicate in the library). */
int function_library_add(ScriptLibrary *lib, const char *name, size_t len, int engine_ref,
                         unsigned flags, const char *description, size_t description_len,
                         sds *err);

/* ---- the library registry (script/function.c), also for RDB files ---- */

/* Loads a library from code as FUNCTION LOAD does (replace: REPLACE) and
 * registers it. Returns it, or NULL with *err (the reply text). */
ScriptLibrary *function_library_create(const char *code, size_t len, bool replace, sds *err);
/* Libraries in load order. */
int function_library_count(void);
ScriptLibrary *function_library_at(int index);
/* Index of the library named name, or -1. */
int function_library_find(const char *name, size_t len);
/* A function of any library by name (case-insensitive), or NULL. */
ScriptFunction *function_find(const char *name, size_t len);
/* Takes the library at index out of the registry (not freed). */
void function_library_detach(int index);
/* Appends a library to the registry. */
void function_library_attach(ScriptLibrary *lib);
/* Frees a detached library; engine_alive false when the engine state that
 * held its functions is already gone. */
void function_library_destroy(ScriptLibrary *lib, bool engine_alive);
/* Drops every library (FUNCTION FLUSH; DEBUG RELOAD before loading). */
void function_flush_all(void);

#endif
