/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/config.c: the option registry and typed value parsing/formatting.
 *
 * Options are kept in an array in registration order (CONFIG GET * and
 * CONFIG REWRITE walk it); lookups are linear, which is fine for a few
 * hundred options touched only by config commands and startup.
 *
 * Threads: main only.
 */
#include "server/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/log.h"
#include "server/mem.h"

struct ConfigEntry {
    KeelConfigOption opt;           /* copy of what was registered */
    const ConfigSpecialOps *special; /* non-NULL: parses/formats itself */
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
    if (text[0] == '\0' || strlen(text) > 20) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end != '\0') return -1;
    /* Refuse forms strtoll accepts but a config value should not have. */
    if (text[0] == ' ' || text[0] == '+' || (text[0] == '0' && text[1] != '\0')) return -1;
    if (text[0] == '-' && (text[1] == '0' || text[1] == '\0')) return -1;
    *value = v;
    return 0;
}

int config_parse_memory(const char *text, long long *bytes) {
    size_t len = strlen(text);
    long long mul = 1;
    size_t digits = len;
    static const struct {
        const char *suffix;
        long long mul;
    } units[] = {
        {"kb", 1024LL}, {"mb", 1024LL * 1024}, {"gb", 1024LL * 1024 * 1024},
        {"k", 1000LL},  {"m", 1000LL * 1000},  {"g", 1000LL * 1000 * 1000},
        {"b", 1},
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        size_t slen = strlen(units[i].suffix);
        if (len > slen && strcasecmp(text + len - slen, units[i].suffix) == 0) {
            mul = units[i].mul;
            digits = len - slen;
            break;
        }
    }
    char number[32];
    if (digits == 0 || digits >= sizeof(number)) return -1;
    memcpy(number, text, digits);
    number[digits] = '\0';
    long long value;
    if (config_parse_ll(number, &value) != 0 || value < 0) return -1;
    if (mul > 1 && value > __LONG_LONG_MAX__ / mul) return -1;
    *bytes = value * mul;
    return 0;
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

static int parse_number(const ConfigEntry *e, const char *text, long long *out, char *err,
                        size_t errlen) {
    long long value;
    int ok;
    if (e->opt.type == KEEL_CFG_MEMORY) {
        ok = config_parse_memory(text, &value) == 0;
        if (!ok && (e->opt.flags & KEEL_CFG_PERCENT)) {
            size_t len = strlen(text);
            char number[32];
            if (len > 1 && len < sizeof(number) && text[len - 1] == '%') {
                memcpy(number, text, len - 1);
                number[len - 1] = '\0';
                ok = config_parse_ll(number, &value) == 0 && value >= 0;
                value = -value;
            }
        }
        if (!ok) {
            snprintf(err, errlen, "argument must be a memory value");
            return -1;
        }
    } else if (e->opt.flags & KEEL_CFG_OCTAL) {
        char *end;
        errno = 0;
        value = strtoll(text, &end, 8);
        if (errno || *end != '\0' || text[0] == '\0' || text[0] == '-') {
            snprintf(err, errlen, "argument couldn't be parsed into an integer");
            return -1;
        }
    } else if (config_parse_ll(text, &value) != 0) {
        snprintf(err, errlen, "argument couldn't be parsed into an integer");
        return -1;
    }
    if (value < e->opt.min || value > e->opt.max) {
        if (e->opt.type == KEEL_CFG_MEMORY && value < 0)
            snprintf(err, errlen, "argument must be a memory or percent value");
        else
            snprintf(err, errlen, "argument must be between %lld and %lld inclusive",
                     e->opt.min, e->opt.max);
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
