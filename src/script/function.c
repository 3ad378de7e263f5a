/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/function.c: function libraries and their commands: FUNCTION LOAD
 * | DELETE | FLUSH | LIST | STATS | KILL | HELP, FCALL and FCALL_RO
 * (script/function.h).
 *
 * Libraries are kept in load order in one array; functions are found by a
 * scan of the libraries (a server holds few). Function names ignore case,
 * library names do not, as in Valkey. FUNCTION DUMP and RESTORE are in
 * script/function_dump.c.
 *
 * Threads: main only.
 */
#include "script/function.h"

#include <string.h>
#include <strings.h>

#include "ds/strmatch.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "script/script.h"
#include "server/ev.h"
#include "server/mem.h"
#include "types/args.h"

static ScriptLibrary **libraries;
static int library_count, library_cap;

static bool valid_name(const char *name, size_t len) {
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return false;
    }
    return true;
}

static ScriptFunction *library_find_function(const ScriptLibrary *lib, const char *name,
                                             size_t len) {
    for (int i = 0; i < lib->count; i++)
        if (sds_len(lib->functions[i]->name) == len &&
            strncasecmp(lib->functions[i]->name, name, len) == 0) /* names ignore case */
            return lib->functions[i];
    return NULL;
}

ScriptFunction *function_find(const char *name, size_t len) {
    for (int i = 0; i < library_count; i++) {
        ScriptFunction *fn = library_find_function(libraries[i], name, len);
        if (fn) return fn;
    }
    return NULL;
}

int function_library_find(const char *name, size_t len) {
    for (int i = 0; i < library_count; i++)
        if (sds_len(libraries[i]->name) == len && memcmp(libraries[i]->name, name, len) == 0)
            return i;
    return -1;
}

int function_library_add(ScriptLibrary *lib, const char *name, size_t len, int engine_ref,
                         unsigned flags, const char *description, size_t description_len,
                         sds *err) {
    if (!valid_name(name, len)) {
        *err = sds_new("Function names can only contain letters, numbers, or underscores(_) and "
                       "must be at least one character long");
        return -1;
    }
    if (library_find_function(lib, name, len)) {
        *err = sds_new("Function already exists in the library");
        return -1;
    }
    ScriptFunction *fn = mem_calloc(sizeof(*fn));
    fn->name = sds_new_len(name, len);
    fn->description = description ? sds_new_len(description, description_len) : NULL;
    fn->flags = flags;
    fn->engine_ref = engine_ref;
    fn->library = lib;
    if (lib->count == lib->cap) {
        lib->cap = lib->cap ? lib->cap * 2 : 4;
        lib->functions = mem_realloc(lib->functions, sizeof(ScriptFunction *) * (size_t)lib->cap);
    }
    lib->functions[lib->count++] = fn;
    return 0;
}

void function_library_destroy(ScriptLibrary *lib, bool engine_alive) {
    for (int i = 0; i < lib->count; i++) {
        ScriptFunction *fn = lib->functions[i];
        if (engine_alive) lib->engine->function_free(fn);
        sds_free(fn->name);
        sds_free(fn->description);
        mem_free(fn);
    }
    mem_free(lib->functions);
    sds_free(lib->name);
    sds_free(lib->code);
    mem_free(lib);
}

void function_library_detach(int index) {
    memmove(&libraries[index], &libraries[index + 1],
            sizeof(ScriptLibrary *) * (size_t)(library_count - index - 1));
    library_count--;
}

void function_library_attach(ScriptLibrary *lib) {
    if (library_count == library_cap) {
        library_cap = library_cap ? library_cap * 2 : 8;
        libraries = mem_realloc(libraries, sizeof(ScriptLibrary *) * (size_t)library_cap);
    }
    libraries[library_count++] = lib;
}

/* A function of lib whose name another library already has, or NULL. */
static ScriptFunction *library_collision(const ScriptLibrary *lib) {
    for (int i = 0; i < lib->count; i++) {
        ScriptFunction *other = function_find(lib->functions[i]->name,
                                              sds_len(lib->functions[i]->name));
        if (other) return lib->functions[i];
    }
    return NULL;
}

ScriptLibrary *function_library_create(const char *code, size_t len, bool replace, sds *err) {
    size_t skip;
    unsigned flags;
    sds name = NULL;
    if (script_parse_shebang(code, len, true, &skip, &flags, &name, err) != 0) {
        sds_free(name);
        return NULL;
    }
    if (!valid_name(name, sds_len(name))) {
        *err = sds_new("Library names can only contain letters, numbers, or underscores(_) and "
                       "must be at least one character long");
        sds_free(name);
        return NULL;
    }
    int old_index = function_library_find(name, sds_len(name));
    if (old_index >= 0 && !replace) {
        *err = sds_cat_printf(sds_empty(), "Library '%s' already exists", name);
        sds_free(name);
        return NULL;
    }
    ScriptLibrary *old = old_index >= 0 ? libraries[old_index] : NULL;
    if (old) function_library_detach(old_index); /* its names may be reused */
    ScriptLibrary *lib = mem_calloc(sizeof(*lib));
    lib->name = name;
    lib->code = sds_new_len(code, len);
    lib->engine = &lua_engine;
    ScriptFunction *clash = NULL;
    if (lib->engine->library_load(lib, code, len, skip, err) != 0) {
        /* *err is set */
    } else if (lib->count == 0) {
        *err = sds_new("No functions registered");
    } else if ((clash = library_collision(lib)) != NULL) {
        *err = sds_cat_printf(sds_empty(), "Function %s already exists", clash->name);
    } else {
        if (old) function_library_destroy(old, true);
        function_library_attach(lib);
        return lib;
    }
    function_library_destroy(lib, true);
    if (old) function_library_attach(old);
    return NULL;
}

int function_library_count(void) {
    return library_count;
}

ScriptLibrary *function_library_at(int index) {
    return libraries[index];
}

void cmd_function_load(Client *c) {
    bool replace = false;
    int pos = 2;
    while (pos < c->argc - 1) {
        const Obj *arg = c->argv[pos++];
        if (type_arg_is(arg, "replace")) {
            replace = true;
            continue;
        }
        reply_error_format(c, "Unknown option given: %s", (const char *)arg->ptr);
        return;
    }
    if (pos >= c->argc) {
        reply_error(c, "Function code is missing");
        return;
    }
    char buf[24];
    size_t len;
    const char *code = obj_string_bytes(c->argv[pos], buf, &len);
    sds err = NULL;
    ScriptLibrary *lib = function_library_create(code, len, replace, &err);
    if (lib == NULL) {
        reply_error(c, err);
        sds_free(err);
        return;
    }
    propagate_force(c); /* the AOF replays libraries (no key changed) */
    reply_bulk_sds(c, lib->name);
}

void cmd_function_delete(Client *c) {
    int index = function_library_find(c->argv[2]->ptr, obj_string_len(c->argv[2]));
    if (index < 0) {
        reply_error(c, "Library not found");
        return;
    }
    ScriptLibrary *lib = libraries[index];
    function_library_detach(index);
    function_library_destroy(lib, true);
    propagate_force(c);
    reply_ok(c);
}

void function_flush_all(void) {
    for (int i = 0; i < library_count; i++) function_library_destroy(libraries[i], false);
    library_count = 0;
    lua_engine.functions_reset();
}

void cmd_function_flush(Client *c) {
    if (script_parse_flush_mode(c) != 0) {
        reply_error(c, "FUNCTION FLUSH only supports SYNC|ASYNC option");
        return;
    }
    function_flush_all();
    propagate_force(c);
    reply_ok(c);
}

static void reply_function(Client *c, const ScriptFunction *fn) {
    reply_map_len(c, 3);
    reply_bulk_cstr(c, "name");
    reply_bulk_sds(c, fn->name);
    reply_bulk_cstr(c, "description");
    if (fn->description)
        reply_bulk_sds(c, fn->description);
    else
        reply_null(c);
    reply_bulk_cstr(c, "flags");
    const char *names[8];
    int count = script_flag_names(fn->flags, names);
    reply_set_len(c, count);
    for (int i = 0; i < count; i++) reply_bulk_cstr(c, names[i]);
}

static void reply_library(Client *c, const ScriptLibrary *lib, bool with_code) {
    reply_map_len(c, with_code ? 4 : 3);
    reply_bulk_cstr(c, "library_name");
    reply_bulk_sds(c, lib->name);
    reply_bulk_cstr(c, "engine");
    reply_bulk_cstr(c, lib->engine->name);
    reply_bulk_cstr(c, "functions");
    reply_array_len(c, lib->count);
    for (int i = 0; i < lib->count; i++) reply_function(c, lib->functions[i]);
    if (with_code) {
        reply_bulk_cstr(c, "library_code");
        reply_bulk_sds(c, lib->code);
    }
}

void cmd_function_list(Client *c) {
    bool with_code = false;
    const Obj *pattern = NULL;
    for (int i = 2; i < c->argc; i++) {
        if (!with_code && type_arg_is(c->argv[i], "withcode")) {
            with_code = true;
            continue;
        }
        if (!pattern && type_arg_is(c->argv[i], "libraryname")) {
            if (i >= c->argc - 1) {
                reply_error(c, "library name argument was not given");
                return;
            }
            pattern = c->argv[++i];
            continue;
        }
        reply_error_format(c, "Unknown argument %s", (const char *)c->argv[i]->ptr);
        return;
    }
    void *handle = reply_defer_len(c);
    long count = 0;
    for (int i = 0; i < library_count; i++) {
        const ScriptLibrary *lib = libraries[i];
        if (pattern && !strmatch_len(pattern->ptr, obj_string_len(pattern), lib->name,
                                  sds_len(lib->name), 0))
            continue;
        reply_library(c, lib, with_code);
        count++;
    }
    reply_set_defer_array_len(c, handle, count);
}

void cmd_function_stats(Client *c) {
    long functions = 0;
    for (int i = 0; i < library_count; i++) functions += libraries[i]->count;
    /* While a script (not a function) is busy, its caller's view is
     * refused as in Valkey; a busy function is described. */
    ScriptRun *run = script_current_run();
    if (run && script_is_busy() && !run->is_function) {
        reply_error(c, script_busy_error());
        return;
    }
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "running_script");
    if (run && script_is_busy()) {
        reply_map_len(c, 3);
        reply_bulk_cstr(c, "name");
        reply_bulk_cstr(c, run->name);
        reply_bulk_cstr(c, "command");
        reply_array_len(c, run->caller->argc);
        for (int i = 0; i < run->caller->argc; i++) reply_bulk_obj(c, run->caller->argv[i]);
        reply_bulk_cstr(c, "duration_ms");
        reply_ll(c, (long long)((ev_monotonic_us() - run->start_us) / 1000));
    } else {
        reply_null(c);
    }
    reply_bulk_cstr(c, "engines");
    reply_map_len(c, 1);
    reply_bulk_cstr(c, "LUA");
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "libraries_count");
    reply_ll(c, library_count);
    reply_bulk_cstr(c, "functions_count");
    reply_ll(c, functions);
}

void cmd_function_kill(Client *c) {
    script_kill(c, true);
}

void cmd_function_help(Client *c) {
    static const char *const lines[] = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME "
        "argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        NULL,
    };
    reply_help(c, lines);
}

static void fcall_generic(Client *c, bool ro) {
    script_feed_monitors(c);
    ScriptFunction *fn = function_find(c->argv[1]->ptr, obj_string_len(c->argv[1]));
    if (fn == NULL) {
        reply_error(c, "Function not found");
        return;
    }
    long long numkeys;
    char buf[24];
    size_t len;
    const char *text = obj_string_bytes(c->argv[2], buf, &len);
    if (strnum_to_ll(text, len, &numkeys) != 0) { /* FCALL's own text, not EVAL's */
        reply_error(c, "Bad number of keys provided");
        return;
    }
    if (numkeys > c->argc - 3) {
        reply_error(c, "Number of keys can't be greater than number of args");
        return;
    }
    if (numkeys < 0) {
        reply_error(c, "Number of keys can't be negative");
        return;
    }
    ScriptRun run;
    if (script_run_begin(&run, c, fn->name, fn->flags, ro) != 0) return;
    run.is_function = true;
    fn->library->engine->function_run(&run, fn, c->argv + 3, (int)numkeys,
                                      c->argv + 3 + numkeys, c->argc - 3 - (int)numkeys);
    script_run_end(&run);
}

void cmd_fcall(Client *c) {
    fcall_generic(c, false);
}

void cmd_fcall_ro(Client *c) {
    fcall_generic(c, true);
}
