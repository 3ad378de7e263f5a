/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/config.h: the configuration registry: one table of options shared by
 * the core and modules, typed parsing and formatting of values, and the
 * config-file loader.
 *
 * Each room registers its own options (with storage it owns) at startup; the
 * loader and CONFIG GET/SET/REWRITE work only through this registry, so a
 * module option behaves exactly like a core one.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_CONFIG_H
#define KEEL_SERVER_CONFIG_H

#include <stddef.h>

#include "ds/sds.h"
#include "keel/config.h"

/* CONFIG REWRITE's state for one run (server/config_rewrite.c). */
typedef struct ConfigRewrite ConfigRewrite;
/* Writes one option's config-file line(s) through config_rewrite_line, or
 * calls config_rewrite_mark_done to drop its lines. name is the option's main
 * name. Main thread, during CONFIG REWRITE only. */
typedef void (*ConfigRewriteProc)(ConfigRewrite *rw, const char *name);

/* Options whose value is not a single typed scalar (bind, save,
 * client-output-buffer-limit): they parse and format themselves. */
typedef struct ConfigSpecialOps {
    /* Parses value (the config line's arguments joined by spaces, or the
     * CONFIG SET argument) and stores it. Returns 0, or -1 with err filled and
     * nothing changed. */
    int (*set)(const char *value, char *err, size_t errlen);
    /* Appends the current value, as CONFIG GET shows it, to out. */
    sds (*get)(sds out);
    /* Optional (NULL: CONFIG REWRITE writes one line "name <get() text>",
     * or 'name ""' when that text is empty, and adds it to a file that lacks
     * it only when the text differs from the default). For options written
     * as several lines, such as one client-output-buffer-limit line per
     * client class. */
    ConfigRewriteProc rewrite;
} ConfigSpecialOps;

typedef struct ConfigEntry ConfigEntry;

/* Registers a core option; a duplicate name is a programming error (abort).
 * The default is stored immediately. */
void config_register_core(const KeelConfigOption *opt);
/* Registers a module's option; refuses duplicates and bad defaults with a
 * reason in err. owner is the module name (kept for MODULE LIST). */
int config_register(const KeelConfigOption *opt, const char *owner, char *err, size_t errlen);
/* Registers a special option with its parser/formatter and default text. */
void config_register_special(const char *name, unsigned flags, const char *default_value,
                             const ConfigSpecialOps *ops,
                             int (*apply)(const char *name, char *err, size_t errlen));

/* Finds an option by name or alias, case-insensitively. NULL if unknown. */
ConfigEntry *config_find(const char *name);
const char *config_entry_name(const ConfigEntry *e);
const char *config_entry_alias(const ConfigEntry *e);
unsigned config_entry_flags(const ConfigEntry *e);
const char *config_entry_default(const ConfigEntry *e);
/* Number of registered options, and the i-th in registration order. */
int config_count(void);
ConfigEntry *config_entry_at(int i);

/* Parses value into e's storage. Returns 0, or -1 with err filled (Valkey's
 * wording, e.g. "argument must be 'yes' or 'no'") and the value unchanged. */
int config_set_value(ConfigEntry *e, const char *value, char *err, size_t errlen);
/* Appends e's current value as CONFIG GET shows it. */
sds config_get_value(const ConfigEntry *e, sds out);
/* Runs e's apply hook, if any. Returns 0 or -1 with err filled. */
int config_apply(ConfigEntry *e, char *err, size_t errlen);
/* 1 if apply hooks a and b are the same (CONFIG SET runs each hook once). */
int config_same_apply(const ConfigEntry *a, const ConfigEntry *b);

/* 1 if e's current value equals its default (typed options compare values,
 * so "1kb" equals "1024"; special options compare get() text). */
int config_is_default(const ConfigEntry *e);

/* Gives a typed option a custom CONFIG REWRITE writer (for example "dir",
 * which Valkey always writes as an absolute path). Special options use
 * ConfigSpecialOps.rewrite instead. Aborts if name is unknown. */
void config_set_rewrite(const char *name, ConfigRewriteProc rewrite);

/* Parses a memory value into bytes the way Valkey does: decimal digits
 * (leading zeros allowed, none at all meaning 0) and an optional unit b, k
 * (1000), kb (1024), m, mb, g, gb in any case. Returns 0, -1 if malformed,
 * or -2 if the value does not fit a long long. */
int config_parse_memory(const char *text, long long *bytes);
/* Appends bytes as a config file writes it: "1gb", "512mb", "4kb" when it is
 * an exact multiple, else plain digits. */
sds config_format_memory(sds out, long long bytes);
/* Parses a whole string as a long long. 0 ok, -1 bad. */
int config_parse_ll(const char *text, long long *value);

/* ---- loading ---- */

/* A loadmodule line found while loading, in order. */
typedef struct ConfigModuleLine {
    char *path;
    int argc;
    char **argv;
    char *origin; /* "at /etc/keel.conf:12" or "from --loadmodule" */
} ConfigModuleLine;

/* Loads path (NULL: none) and then the command-line options (argv of
 * "--name value..." already split). On error prints Valkey's
 * "*** FATAL CONFIG FILE ERROR ***" block to stderr and exits 1.
 * Lines naming options not yet registered are kept for
 * config_apply_deferred (modules register options when they load). */
void config_load(const char *path, int argc, char **argv);
/* Applies the kept lines; an option still unknown is a fatal config error. */
void config_apply_deferred(void);
/* The loadmodule lines, in order. */
int config_module_line_count(void);
const ConfigModuleLine *config_module_line_at(int i);
/* Absolute path of the loaded config file, or NULL. */
const char *config_file_path(void);
/* Prints the fatal block for one line and exits 1. */
void config_fatal(int line_number, const char *line, const char *reason)
    __attribute__((noreturn));

/* ---- CONFIG REWRITE (server/config_rewrite.c) ---- */

/* Rewrites the config file at path from the current values: comments, blank
 * lines, include/loadmodule lines and the order of the file are kept, each
 * option's first line is replaced in place, its later lines are dropped,
 * options missing from the file are appended (after "# Generated by CONFIG
 * REWRITE") only when they differ from the default. The new file replaces
 * the old one atomically (temp file, fsync, rename, fsync of the folder).
 * Returns 0, or -1 with strerror text in err and the old file untouched. */
int config_rewrite_file(const char *path, char *err, size_t errlen);
/* For rewrite hooks: uses the option's next unused line of the old file for
 * line, or appends line when the file has none left and force is set (the
 * value differs from the default); otherwise drops it. Takes ownership of
 * line (no trailing newline). */
void config_rewrite_line(ConfigRewrite *rw, const char *name, sds line, int force);
/* For rewrite hooks: the option is handled, so any of its old lines not
 * reused by config_rewrite_line are removed from the file. */
void config_rewrite_mark_done(ConfigRewrite *rw, const char *name);
/* Writes e's line(s): its rewrite hook if it has one, else the typed
 * default (strings double-quoted and escaped, memory with units). */
void config_rewrite_option(const ConfigEntry *e, ConfigRewrite *rw);

/* Registers the bundled module that owns an option prefix, so a line such
 * as "tls-port 6380" without the module gets a helpful error. */
const char *config_module_for_option(const char *name);

#endif
