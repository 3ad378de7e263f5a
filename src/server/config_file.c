/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/config_file.c: reads the config file and command-line options into
 * the registry.
 *
 * Lines are split like a shell (quotes, escapes), "include" nests files and
 * "loadmodule" lines are collected for the module loader. A line naming an
 * option nobody has registered yet is kept: modules register their options
 * when they load, after the file is read, and config_apply_deferred finishes
 * the job. Any error prints Valkey's fatal block and exits: the server never
 * starts on a config it did not fully understand.
 *
 * Threads: main only, at startup.
 */
#include "server/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/mem.h"
#include "server/version.h"

typedef struct DeferredLine {
    int line_number;
    char *line;  /* as written, for the fatal block */
    char *name;  /* option name, lower case */
    char *value; /* arguments joined by spaces */
    int argc;    /* argument count, name excluded */
} DeferredLine;

static ConfigModuleLine *module_lines;
static int module_line_count;
static DeferredLine *deferred;
static int deferred_count;
static char *config_path; /* absolute path of the main config file */
static int include_depth;

void config_fatal(int line_number, const char *line, const char *reason) {
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Version %s) ***\n", KEEL_VERSION);
    if (line_number > 0) fprintf(stderr, "Reading the configuration file, at line %d\n", line_number);
    fprintf(stderr, ">>> '%s'\n", line);
    fprintf(stderr, "%s\n", reason);
    exit(1);
}

int config_module_line_count(void) {
    return module_line_count;
}

const ConfigModuleLine *config_module_line_at(int i) {
    return (i >= 0 && i < module_line_count) ? &module_lines[i] : NULL;
}

const char *config_file_path(void) {
    return config_path;
}

static void add_module_line(sds *argv, int argc, const char *origin) {
    module_lines = mem_realloc(module_lines, sizeof(ConfigModuleLine) * (size_t)(module_line_count + 1));
    ConfigModuleLine *m = &module_lines[module_line_count++];
    m->path = mem_strdup(argv[1]);
    m->argc = argc - 2;
    m->argv = mem_calloc(sizeof(char *) * (size_t)(m->argc + 1));
    for (int i = 0; i < m->argc; i++) m->argv[i] = mem_strdup(argv[i + 2]);
    m->origin = mem_strdup(origin);
}

/* Joins argv[1..] with single spaces: the value of a multi-word option. */
static sds join_value(sds *argv, int argc) {
    sds value = sds_empty();
    for (int i = 1; i < argc; i++) {
        if (i > 1) value = sds_cat_len(value, " ", 1);
        value = sds_cat_sds(value, argv[i]);
    }
    return value;
}

/* Sets one option from a line. Returns NULL on success, else the reason. */
static const char *apply_option(ConfigEntry *e, const char *value, int argc, char *err,
                                size_t errlen) {
    (void)argc;
    if (config_set_value(e, value, err, errlen) != 0) return err;
    return NULL;
}

static void load_lines(const char *text, size_t len, const char *origin_file);

static void include_file(const char *path, int line_number, const char *line) {
    if (include_depth >= 16) config_fatal(line_number, line, "Too many nested include directives");
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        char reason[PATH_MAX + 64];
        snprintf(reason, sizeof(reason), "Fatal error, can't open config file '%s': %s", path,
                 strerror(errno));
        config_fatal(line_number, line, reason);
    }
    sds text = sds_empty();
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) text = sds_cat_len(text, buf, n);
    fclose(f);
    include_depth++;
    load_lines(text, sds_len(text), path);
    include_depth--;
    sds_free(text);
}

static void load_one_line(const char *raw, size_t raw_len, int line_number, const char *origin_file) {
    sds line = sds_new_len(raw, raw_len);
    /* Trim surrounding whitespace, as Valkey does. */
    size_t start = 0, end = sds_len(line);
    while (start < end && strchr(" \t\r\n", line[start])) start++;
    while (end > start && strchr(" \t\r\n", line[end - 1])) end--;
    sds_keep_range(line, start, end - start);
    if (sds_len(line) == 0 || line[0] == '#') {
        sds_free(line);
        return;
    }
    int argc;
    sds *argv = sds_split_args(line, sds_len(line), &argc);
    if (argv == NULL) config_fatal(line_number, line, "Unbalanced quotes in configuration line");
    if (argc == 0) {
        sds_free_split(argv, argc);
        sds_free(line);
        return;
    }
    sds_to_lower(argv[0]);
    if (strcmp(argv[0], "include") == 0) {
        if (argc != 2) config_fatal(line_number, line, "Bad directive or wrong number of arguments");
        include_file(argv[1], line_number, line);
    } else if (strcmp(argv[0], "loadmodule") == 0) {
        if (argc < 2) config_fatal(line_number, line, "Bad directive or wrong number of arguments");
        char origin[PATH_MAX + 32];
        if (origin_file)
            snprintf(origin, sizeof(origin), "at %s:%d", origin_file, line_number);
        else
            snprintf(origin, sizeof(origin), "from --loadmodule");
        add_module_line(argv, argc, origin);
    } else {
        sds value = join_value(argv, argc);
        ConfigEntry *e = config_find(argv[0]);
        if (e == NULL) {
            deferred = mem_realloc(deferred, sizeof(DeferredLine) * (size_t)(deferred_count + 1));
            DeferredLine *d = &deferred[deferred_count++];
            d->line_number = line_number;
            d->line = mem_strdup(line);
            d->name = mem_strdup(argv[0]);
            d->value = mem_strdup(value);
            d->argc = argc - 1;
        } else {
            char err[512];
            if (argc < 2 && !(config_entry_flags(e) & KEEL_CFG_EMPTY_OK))
                config_fatal(line_number, line, "wrong number of arguments");
            const char *reason = apply_option(e, value, argc - 1, err, sizeof(err));
            if (reason) config_fatal(line_number, line, reason);
        }
        sds_free(value);
    }
    sds_free_split(argv, argc);
    sds_free(line);
}

static void load_lines(const char *text, size_t len, const char *origin_file) {
    int line_number = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
        line_number++;
        load_one_line(text + pos, line_len, line_number, origin_file);
        pos += line_len + (nl ? 1 : 0);
    }
}

/* Turns "--port 7000 --bind a b" into "port 7000\nbind a b\n" lines, quoting
 * each argument so spaces and empty strings survive the split. */
static sds command_line_to_text(int argc, char **argv, int *loadmodule_seen) {
    sds text = sds_empty();
    int first = 1;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2] != '\0') {
            if (!first) text = sds_cat(text, "\n");
            text = sds_cat(text, argv[i] + 2);
            if (strcasecmp(argv[i] + 2, "loadmodule") == 0) *loadmodule_seen = 1;
            first = 0;
        } else {
            text = sds_cat(text, " ");
            text = sds_cat_repr(text, argv[i], strlen(argv[i]));
        }
    }
    return sds_cat(text, "\n");
}

/* Reads all of standard input ("keel-server -": config from a pipe). */
static void load_stdin(void) {
    sds text = sds_empty();
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) text = sds_cat_len(text, buf, n);
    load_lines(text, sds_len(text), "(stdin)");
    sds_free(text);
}

void config_load(const char *path, int argc, char **argv) {
    if (path) {
        char resolved[PATH_MAX];
        config_path = mem_strdup(realpath(path, resolved) ? resolved : path);
        include_file(path, 0, path);
    }
    /* A lone "-" among the options: the rest of the config comes from
     * stdin, after the file and before the command-line options. */
    int options = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0)
            load_stdin();
        else
            argv[options++] = argv[i];
    }
    argc = options;
    if (argc > 0) {
        int loadmodule_seen = 0;
        sds text = command_line_to_text(argc, argv, &loadmodule_seen);
        load_lines(text, sds_len(text), NULL);
        sds_free(text);
    }
}

void config_apply_deferred(void) {
    for (int i = 0; i < deferred_count; i++) {
        DeferredLine *d = &deferred[i];
        ConfigEntry *e = config_find(d->name);
        if (e == NULL) {
            const char *module = config_module_for_option(d->name);
            if (module) {
                char reason[256];
                snprintf(reason, sizeof(reason), "%s needs %s: add 'loadmodule %s'", d->name,
                         module, module);
                config_fatal(d->line_number, d->line, reason);
            }
            config_fatal(d->line_number, d->line, "Bad directive or wrong number of arguments");
        }
        char err[512];
        const char *reason = apply_option(e, d->value, d->argc, err, sizeof(err));
        if (reason) config_fatal(d->line_number, d->line, reason);
        mem_free(d->line);
        mem_free(d->name);
        mem_free(d->value);
    }
    mem_free(deferred);
    deferred = NULL;
    deferred_count = 0;
}
