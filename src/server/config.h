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

/* Options whose value is not a single typed scalar (bind, save,
 * client-output-buffer-limit): they parse and format themselves. */
typedef struct ConfigSpecialOps {
    /* Parses value (the config line's arguments joined by spaces, or the
     * CONFIG SET argument) and stores it. Returns 0, or -1 with err filled and
     * nothing changed. */
    int (*set)(const char *value, char *err, size_t errlen);
    /* Appends the current value, as CONFIG GET shows it, to out. */
    sds (*get)(sds out);
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

/* Parses a memory value ("10mb", "1g", "512") into bytes. 0 ok, -1 bad. */
int config_parse_memory(const char *text, long long *bytes);
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

/* Registers the bundled module that owns an option prefix, so a line such
 * as "tls-port 6380" without the module gets a helpful error. */
const char *config_module_for_option(const char *name);

#endif
