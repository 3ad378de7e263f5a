/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/config.c: the option registry and typed value parsing/formatting.
 *
 * Options are kept in an array in registration order (CONFIG GET * and
 * CONFIG REWRITE walk it); lookups are linear, which is fine for a few
 * hundred options touched only by config commands and startup.
 *
 * Parsing follows Valkey's rules and error texts exactly (clients and tests
 * match on them), including its leniency for memory values. Formatting has
 * two forms: CONFIG GET's (plain bytes) and the config file's (memory with
 * units, strings quoted), the latter used by CONFIG REWRITE.
 *
 * Threads: main only.
 */
#include "server/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ds/strnum.h"
#include "server/log.h"
#include "server/mem.h"

struct ConfigEntry {
    KeelConfigOption opt;           /* copy of what was registered */
    const ConfigSpecialOps *special; /* non-NULL: parses/formats itself */
    ConfigRewriteProc rewrite;       /* custom CONFIG REWRITE writer, or NULL */
    char *owner;                     /* module name, or NULL for core */
};

static ConfigEntry **entries;
static int entry_count, entry_cap;

ConfigEntry *config_find(const char *name) {
    for (int i = 0; i < entry_count; i++) {
        ConfigEntry *e = entries[i];
        if (strcasecmp(e->opt.name, name) == 0) return e;
        if (e->opt.alias && strcasecmp(e->opt.alias, name) == 0) return e;
    }
    return NULL;
}

const char *config_entry_name(const ConfigEntry *e) {
    return e->opt.name;
}
const char *config_entry_alias(const ConfigEntry *e) {
    return e->opt.alias;
}
unsigned config_entry_flags(const ConfigEntry *e) {
    return e->opt.flags;
}
const char *config_entry_default(const ConfigEntry *e) {
    return e->opt.default_value ? e->opt.default_value : "";
}
int config_count(void) {
    return entry_count;
}
ConfigEntry *config_entry_at(int i) {
    return (i >= 0 && i < entry_count) ? entries[i] : NULL;
}

int config_same_apply(const ConfigEntry *a, const ConfigEntry *b) {
    return a->opt.apply != NULL && a->opt.apply == b->opt.apply;
}

int config_parse_ll(const char *text, long long *value) {
    return strnum_to_ll(text, strlen(text), value);
}

int config_parse_memory(const char *text, long long *bytes) {
    static const struct {
        const char *unit;
        unsigned long long mul;
    } units[] = {
        {"", 1},         {"b", 1},
        {"k", 1000ULL},  {"kb", 1024ULL},
        {"m", 1000ULL * 1000},        {"mb", 1024ULL * 1024},
        {"g", 1000ULL * 1000 * 1000}, {"gb", 1024ULL * 1024 * 1024},
    };
    size_t digits = strspn(text, "0123456789");
    unsigned long long mul = 0;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && mul == 0; i++)
        if (strcasecmp(text + digits, units[i].unit) == 0) mul = units[i].mul;
    /* Valkey copies the digits into a 128-byte buffer and refuses more. */
    if (mul == 0 || digits >= 128) return -1;
    unsigned long long value = 0;
    for (size_t i = 0; i < digits; i++) {
        unsigned digit = (unsigned)(text[i] - '0');
        if (value > (ULLONG_MAX - digit) / 10) return -2;
        value = value * 10 + digit;
    }
    if (value > (unsigned long long)LLONG_MAX / mul) return -2;
    *bytes = (long long)(value * mul);
    return 0;
}

sds config_format_memory(sds out, long long bytes) {
    static const struct {
        const char *unit;
        long long mul;
    } units[] = {{"gb", 1024LL * 1024 * 1024}, {"mb", 1024LL * 1024}, {"kb", 1024LL}};
    for (size_t i = 0; bytes != 0 && i < sizeof(units) / sizeof(units[0]); i++)
        if (bytes % units[i].mul == 0)
            return sds_cat_printf(out, "%lld%s", bytes / units[i].mul, units[i].unit);
    return sds_cat_printf(out, "%lld", bytes);
}

static int parse_bool(const char *text, int *out) {
    if (strcasecmp(text, "yes") == 0) {
        *out = 1;
        return 0;
    }
    if (strcasecmp(text, "no") == 0) {
        *out = 0;
        return 0;
    }
    return -1;
}

static int parse_enum(const ConfigEntry *e, const char *text, int *out) {
    for (int i = 0; e->opt.enum_names[i]; i++) {
        if (strcasecmp(e->opt.enum_names[i], text) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

static void enum_error(const ConfigEntry *e, char *err, size_t errlen) {
    size_t off = (size_t)snprintf(err, errlen, "argument(s) must be one of the following: ");
    for (int i = 0; e->opt.enum_names[i] && off < errlen; i++)
        off += (size_t)snprintf(err + off, errlen - off, "%s%s", i ? ", " : "",
                                e->opt.enum_names[i]);
}

/* "25%" -> -25 (percent values are stored negated). 0 ok, -1 bad. */
static int parse_percent(const char *text, long long *value) {
    size_t len = strlen(text);
    char number[32];
    if (len < 2 || len >= sizeof(number) || text[len - 1] != '%') return -1;
    memcpy(number, text, len - 1);
    number[len - 1] = '\0';
    if (config_parse_ll(number, value) != 0 || *value < 0) return -1;
    *value = -*value;
    return 0;
}

/* Octal as Valkey reads it: whatever strtoll(base 8) fully consumes. */
static int parse_octal(const char *text, long long *value) {
    char *end;
    errno = 0;
    *value = strtoll(text, &end, 8);
    return (errno == 0 && *end == '\0') ? 0 : -1;
}

/* Parses a NUMBER or MEMORY value in Valkey's order (memory units, then a
 * percentage, then octal, then a plain integer) and checks the bounds, with
 * Valkey's error texts. A KEEL_CFG_PERCENT option stores n% as -n, so its
 * min is minus the largest percentage allowed. */
static int parse_number(const ConfigEntry *e, const char *text, long long *out, char *err,
                        size_t errlen) {
    unsigned flags = e->opt.flags;
    int is_memory = e->opt.type == KEEL_CFG_MEMORY;
    long long value = 0;
    int rc = -1;
    if (is_memory) rc = config_parse_memory(text, &value);
    if (rc == -1 && (flags & KEEL_CFG_PERCENT)) rc = parse_percent(text, &value);
    if (rc == -1 && (flags & KEEL_CFG_OCTAL)) rc = parse_octal(text, &value);
    if (rc == -1 && !is_memory && !(flags & (KEEL_CFG_OCTAL | KEEL_CFG_PERCENT)))
        rc = config_parse_ll(text, &value);
    if (rc == -1) {
        const char *why = "argument couldn't be parsed into an integer";
        if (is_memory && (flags & KEEL_CFG_PERCENT))
            why = "argument must be a memory or percent value";
        else if (is_memory)
            why = "argument must be a memory value";
        else if (flags & KEEL_CFG_OCTAL)
            why = "argument couldn't be parsed as an octal number";
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    if ((flags & KEEL_CFG_PERCENT) && rc == 0 && value < 0) {
        if (value < e->opt.min) {
            snprintf(err, errlen, "percentage argument must be less or equal to %lld", -e->opt.min);
            return -1;
        }
    } else if (rc == -2 || value < e->opt.min || value > e->opt.max) {
        /* rc -2: a memory value past LLONG_MAX, which Valkey would wrap into
         * a negative number and refuse by the same bounds check. */
        if (flags & KEEL_CFG_OCTAL)
            snprintf(err, errlen, "argument must be between %llo and %llo inclusive",
                     (unsigned long long)e->opt.min, (unsigned long long)e->opt.max);
        else
            snprintf(err, errlen, "argument must be between %lld and %lld inclusive", e->opt.min,
                     e->opt.max);
        return -1;
    }
    *out = value;
    return 0;
}

int config_set_value(ConfigEntry *e, const char *value, char *err, size_t errlen) {
    if (e->special) return e->special->set(value, err, errlen);
    switch (e->opt.type) {
    case KEEL_CFG_BOOL: {
        int b;
        if (parse_bool(value, &b) != 0) {
            snprintf(err, errlen, "argument must be 'yes' or 'no'");
            return -1;
        }
        *(int *)e->opt.storage = b;
        return 0;
    }
    case KEEL_CFG_ENUM: {
        int idx;
        if (parse_enum(e, value, &idx) != 0) {
            enum_error(e, err, errlen);
            return -1;
        }
        *(int *)e->opt.storage = idx;
        return 0;
    }
    case KEEL_CFG_NUMBER:
    case KEEL_CFG_MEMORY: {
        long long n;
        if (parse_number(e, value, &n, err, errlen) != 0) return -1;
        *(long long *)e->opt.storage = n;
        return 0;
    }
    case KEEL_CFG_STRING: {
        char **slot = e->opt.storage;
        if (value[0] == '\0' && !(e->opt.flags & KEEL_CFG_EMPTY_OK)) {
            snprintf(err, errlen, "argument can't be empty");
            return -1;
        }
        mem_free(*slot);
        *slot = value[0] ? mem_strdup(value) : NULL;
        return 0;
    }
    }
    snprintf(err, errlen, "unknown option type");
    return -1;
}

/* Formats a byte count the way CONFIG GET shows memory options: plain bytes,
 * as Valkey does. */
sds config_get_value(const ConfigEntry *e, sds out) {
    if (e->special) return e->special->get(out);
    switch (e->opt.type) {
    case KEEL_CFG_BOOL:
        return sds_cat(out, *(int *)e->opt.storage ? "yes" : "no");
    case KEEL_CFG_ENUM:
        return sds_cat(out, e->opt.enum_names[*(int *)e->opt.storage]);
    case KEEL_CFG_NUMBER:
        if (e->opt.flags & KEEL_CFG_OCTAL)
            return sds_cat_printf(out, "%llo", *(long long *)e->opt.storage);
        return sds_cat_printf(out, "%lld", *(long long *)e->opt.storage);
    case KEEL_CFG_MEMORY: {
        long long v = *(long long *)e->opt.storage;
        if (v < 0) return sds_cat_printf(out, "%lld%%", -v);
        return sds_cat_printf(out, "%lld", v);
    }
    case KEEL_CFG_STRING: {
        char *s = *(char **)e->opt.storage;
        return sds_cat(out, s ? s : "");
    }
    }
    return out;
}

int config_is_default(const ConfigEntry *e) {
    const char *def = config_entry_default(e);
    char err[256];
    if (e->special) {
        sds now = e->special->get(sds_empty());
        int same = strcmp(now, def) == 0;
        sds_free(now);
        return same;
    }
    switch (e->opt.type) {
    case KEEL_CFG_BOOL: {
        int b = 0;
        return parse_bool(def, &b) == 0 && b == *(int *)e->opt.storage;
    }
    case KEEL_CFG_ENUM: {
        int idx = 0;
        return parse_enum(e, def, &idx) == 0 && idx == *(int *)e->opt.storage;
    }
    case KEEL_CFG_NUMBER:
    case KEEL_CFG_MEMORY: {
        long long n = 0;
        return parse_number(e, def, &n, err, sizeof(err)) == 0 &&
               n == *(long long *)e->opt.storage;
    }
    case KEEL_CFG_STRING: {
        const char *now = *(char **)e->opt.storage;
        return strcmp(now ? now : "", def) == 0;
    }
    }
    return 0;
}

void config_set_rewrite(const char *name, ConfigRewriteProc rewrite) {
    ConfigEntry *e = config_find(name);
    if (e == NULL) {
        fprintf(stderr, "keel: config_set_rewrite: unknown option %s\n", name);
        abort();
    }
    e->rewrite = rewrite;
}

/* The value as a config file line writes it (after "name "). Returns NULL
 * when the option should not appear at all: an empty string whose default
 * is empty too, which Valkey leaves out of the file. */
static sds config_file_value(const ConfigEntry *e) {
    sds out = sds_empty();
    if (e->special) {
        out = e->special->get(out);
        if (sds_len(out) == 0) out = sds_cat(out, "\"\"");
        return out;
    }
    switch (e->opt.type) {
    case KEEL_CFG_MEMORY: {
        long long v = *(long long *)e->opt.storage;
        if (v < 0) return sds_cat_printf(out, "%lld%%", -v);
        return config_format_memory(out, v);
    }
    case KEEL_CFG_STRING: {
        const char *s = *(char **)e->opt.storage;
        if (s == NULL && config_entry_default(e)[0] == '\0') {
            sds_free(out);
            return NULL;
        }
        return sds_cat_repr(out, s ? s : "", s ? strlen(s) : 0);
    }
    default:
        return config_get_value(e, out);
    }
}

void config_rewrite_option(const ConfigEntry *e, ConfigRewrite *rw) {
    const char *name = e->opt.name;
    ConfigRewriteProc hook = e->rewrite;
    if (hook == NULL && e->special) hook = e->special->rewrite;
    if (hook) {
        hook(rw, name);
        return;
    }
    sds value = config_file_value(e);
    if (value == NULL) {
        config_rewrite_mark_done(rw, name);
        return;
    }
    sds line = sds_cat_printf(sds_empty(), "%s %s", name, value);
    sds_free(value);
    config_rewrite_line(rw, name, line, !config_is_default(e));
}

int config_apply(ConfigEntry *e, char *err, size_t errlen) {
    if (e->opt.apply == NULL) return 0;
    return e->opt.apply(e->opt.name, err, errlen);
}

static ConfigEntry *config_add_entry(const KeelConfigOption *opt, const ConfigSpecialOps *special,
                                     const char *owner) {
    if (entry_count == entry_cap) {
        entry_cap = entry_cap ? entry_cap * 2 : 128;
        entries = mem_realloc(entries, sizeof(ConfigEntry *) * (size_t)entry_cap);
    }
    ConfigEntry *e = mem_calloc(sizeof(ConfigEntry));
    memcpy(&e->opt, opt, opt->size < sizeof(e->opt) ? opt->size : sizeof(e->opt));
    e->special = special;
    e->owner = owner ? mem_strdup(owner) : NULL;
    entries[entry_count++] = e;
    return e;
}

static int config_check_new(const KeelConfigOption *opt, char *err, size_t errlen) {
    if (opt->size < sizeof(KeelConfigOption)) {
        snprintf(err, errlen, "config option %s: table size %zu, expected %zu",
                 opt->name ? opt->name : "?", opt->size, sizeof(KeelConfigOption));
        return -1;
    }
    if (opt->name == NULL || opt->storage == NULL) {
        snprintf(err, errlen, "config option %s: missing name or storage",
                 opt->name ? opt->name : "?");
        return -1;
    }
    if (config_find(opt->name) || (opt->alias && config_find(opt->alias))) {
        snprintf(err, errlen, "config option %s is already registered", opt->name);
        return -1;
    }
    if (opt->type == KEEL_CFG_ENUM && opt->enum_names == NULL) {
        snprintf(err, errlen, "config option %s: enum without names", opt->name);
        return -1;
    }
    return 0;
}

int config_register(const KeelConfigOption *opt, const char *owner, char *err, size_t errlen) {
    if (config_check_new(opt, err, errlen) != 0) return -1;
    if (opt->type == KEEL_CFG_STRING) *(char **)opt->storage = NULL;
    ConfigEntry *e = config_add_entry(opt, NULL, owner);
    char why[256];
    if (config_set_value(e, config_entry_default(e), why, sizeof(why)) != 0) {
        snprintf(err, errlen, "config option %s: bad default '%s': %s", opt->name,
                 config_entry_default(e), why);
        entry_count--;
        mem_free(e->owner);
        mem_free(e);
        return -1;
    }
    return 0;
}

void config_register_core(const KeelConfigOption *opt) {
    char err[256];
    if (config_register(opt, NULL, err, sizeof(err)) != 0) {
        fprintf(stderr, "keel: %s\n", err);
        abort();
    }
}

void config_register_special(const char *name, unsigned flags, const char *default_value,
                             const ConfigSpecialOps *ops,
                             int (*apply)(const char *name, char *err, size_t errlen)) {
    static int dummy_storage; /* specials keep their own state */
    KeelConfigOption opt = {.size = sizeof(KeelConfigOption), .name = name,
                            .type = KEEL_CFG_STRING, .flags = flags,
                            .default_value = default_value, .storage = &dummy_storage,
                            .apply = apply};
    if (config_find(name)) {
        fprintf(stderr, "keel: config option %s is already registered\n", name);
        abort();
    }
    ConfigEntry *e = config_add_entry(&opt, ops, NULL);
    char err[256];
    if (ops->set(config_entry_default(e), err, sizeof(err)) != 0) {
        fprintf(stderr, "keel: config option %s: bad default: %s\n", name, err);
        abort();
    }
}

const char *config_module_for_option(const char *name) {
    static const struct {
        const char *prefix;
        const char *module;
    } owners[] = {
        {"tls-", "keel-tls.so"},
        {"rdma-", "keel-rdma.so"},
        {"io-threads-", "keel-iothreads.so"},
    };
    for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
        if (strncasecmp(name, owners[i].prefix, strlen(owners[i].prefix)) == 0)
            return owners[i].module;
    return NULL;
}
