/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/config_cmd.c: the CONFIG command: GET, SET, RESETSTAT, REWRITE and
 * HELP, with Valkey's replies and error texts.
 *
 * Only the command glue lives here: values are parsed and formatted by the
 * registry (config.c), the file is rewritten by config_rewrite.c, counters
 * are reset by stats_reset.c.
 *
 * CONFIG SET is all-or-nothing: every name is checked before anything
 * changes, old values are saved as text, all values are set, then each
 * distinct apply hook runs once. Any failure puts every old value back (and
 * re-runs the hooks that already ran) before the error is replied. Values of
 * options flagged KEEL_CFG_SENSITIVE are never logged.
 *
 * Valkey keeps each alias as its own table entry, and this file mimics that
 * where clients can see it: CONFIG GET globs list aliases as well as main
 * names, and "CONFIG SET name v alias v" is not a duplicate.
 *
 * Threads: main only.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd/procs.h"
#include "ds/strmatch.h"
#include "net/reply.h"
#include "server/config.h"
#include "server/protected.h"
#include "server/log.h"
#include "server/mem.h"
#include "server/stats_reset.h"

static const char *arg_str(Client *c, int i) {
    return (const char *)c->argv[i]->ptr;
}

/* An argument holding a NUL byte names no option (Valkey's lookup is
 * binary-safe; ours works on C strings, so refuse those up front). */
static int arg_is_cstring(Client *c, int i) {
    return strlen(arg_str(c, i)) == obj_string_len(c->argv[i]);
}

/* The name under which Valkey's table knows what arg found: the alias when
 * arg spells the alias, else the main name. */
static const char *config_table_name(const ConfigEntry *e, const char *arg) {
    const char *alias = config_entry_alias(e);
    return (alias && strcasecmp(arg, alias) == 0) ? alias : config_entry_name(e);
}

/* ---- CONFIG GET ---- */

typedef struct GetMatch {
    const char *key; /* as replied: the argument for exact names, else the table name */
    const ConfigEntry *e;
} GetMatch;

typedef struct GetMatches {
    GetMatch *items;
    int count, cap;
} GetMatches;

static int get_matches_has(const GetMatches *m, const char *key) {
    for (int i = 0; i < m->count; i++)
        if (strcasecmp(m->items[i].key, key) == 0) return 1;
    return 0;
}

static void get_matches_add(GetMatches *m, const char *key, const ConfigEntry *e) {
    if (m->count == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->items = mem_realloc(m->items, sizeof(GetMatch) * (size_t)m->cap);
    }
    m->items[m->count].key = key;
    m->items[m->count].e = e;
    m->count++;
}

/* Adds every non-hidden name and alias matching a glob, case-insensitively. */
static void get_matches_glob(GetMatches *m, const char *pattern) {
    for (int i = 0; i < config_count(); i++) {
        const ConfigEntry *e = config_entry_at(i);
        if (config_entry_flags(e) & KEEL_CFG_HIDDEN) continue; /* exact names only */
        const char *keys[2] = {config_entry_name(e), config_entry_alias(e)};
        for (int k = 0; k < 2; k++) {
            if (keys[k] == NULL || get_matches_has(m, keys[k])) continue;
            if (strmatch(pattern, keys[k], 1)) get_matches_add(m, keys[k], e);
        }
    }
}

void cmd_config_get(Client *c) {
    GetMatches m = {0};
    for (int i = 2; i < c->argc; i++) {
        const char *arg = arg_str(c, i);
        if (strpbrk(arg, "[*?")) {
            get_matches_glob(&m, arg);
            continue;
        }
        /* A plain name: found by name or alias, whatever the case, hidden
         * or not, and replied under the spelling asked for. */
        if (get_matches_has(&m, arg) || !arg_is_cstring(c, i)) continue;
        const ConfigEntry *e = config_find(arg);
        if (e) get_matches_add(&m, arg, e);
    }
    reply_map_len(c, m.count);
    sds value = sds_empty();
    for (int i = 0; i < m.count; i++) {
        reply_bulk_cstr(c, m.items[i].key);
        sds_clear(value);
        value = config_get_value(m.items[i].e, value);
        reply_bulk_sds(c, value);
    }
    sds_free(value);
    mem_free(m.items);
}

/* ---- CONFIG SET ---- */

typedef struct SetItem {
    ConfigEntry *e;
    const char *name;  /* table name (main name or alias), for errors and logs */
    const char *value; /* borrowed from argv */
    sds old;           /* value before the command, as CONFIG GET shows it */
    int changed;       /* the set changed the value: its apply hook must run */
} SetItem;

typedef struct SetError {
    const char *unknown; /* first unknown option name, or NULL */
    const char *arg;     /* the option the error is about */
    char why[512];       /* reason, or "" for none */
} SetError;

/* Checks every name before anything is set: unknown, immutable, given
 * twice. The first problem in argument order wins, as in Valkey. Returns 0,
 * or -1 with err filled. */
static int config_set_check(Client *c, SetItem *items, int count, SetError *err) {
    for (int i = 0; i < count; i++) {
        int arg = 2 + i * 2;
        const char *name = arg_str(c, arg);
        ConfigEntry *e = arg_is_cstring(c, arg) ? config_find(name) : NULL;
        if (e == NULL) {
            err->unknown = name;
            return -1;
        }
        if (config_entry_flags(e) & KEEL_CFG_IMMUTABLE) {
            err->arg = name;
            snprintf(err->why, sizeof(err->why), "can't set immutable config");
            return -1;
        }
        if ((config_entry_flags(e) & KEEL_CFG_PROTECTED) && !protected_config_allowed(c)) {
            err->arg = name;
            snprintf(err->why, sizeof(err->why), "can't set protected config");
            return -1;
        }
        const char *table_name = config_table_name(e, name);
        for (int j = 0; j < i; j++) {
            if (items[j].e == e && items[j].name == table_name) {
                err->arg = name;
                snprintf(err->why, sizeof(err->why), "duplicate parameter");
                return -1;
            }
        }
        items[i].e = e;
        items[i].name = table_name;
        items[i].value = arg_str(c, arg + 1);
    }
    return 0;
}

/* Puts back the saved values of items[0..count), logging (never the value
 * of a sensitive option) what cannot be restored. */
static void config_set_restore(SetItem *items, int count) {
    char why[512];
    for (int i = 0; i < count; i++) {
        if (config_set_value(items[i].e, items[i].old, why, sizeof(why)) == 0) continue;
        if (config_entry_flags(items[i].e) & KEEL_CFG_SENSITIVE)
            log_msg(LL_WARNING, "Failed restoring failed CONFIG SET command. Error setting %s: %s",
                    items[i].name, why);
        else
            log_msg(LL_WARNING,
                    "Failed restoring failed CONFIG SET command. Error setting %s to '%s': %s",
                    items[i].name, items[i].old, why);
    }
}

/* Runs each distinct apply hook of the changed items once, in argument
 * order. Returns 0, or -1 with err filled after restoring every old value
 * and re-running the hooks with those values. */
static int config_set_apply(SetItem *items, int count, SetError *err) {
    int *hooks = mem_alloc(sizeof(int) * (size_t)count); /* item index per distinct hook */
    int hook_count = 0, rc = 0;
    for (int i = 0; i < count; i++) {
        if (!items[i].changed) continue;
        int seen = 0;
        for (int h = 0; h < hook_count && !seen; h++)
            seen = config_same_apply(items[hooks[h]].e, items[i].e);
        if (!seen) hooks[hook_count++] = i;
    }
    for (int h = 0; h < hook_count; h++) {
        SetItem *it = &items[hooks[h]];
        err->why[0] = '\0';
        if (config_apply(it->e, err->why, sizeof(err->why)) == 0) continue;
        log_msg(LL_WARNING,
                "Failed applying new configuration. Possibly related to new %s setting. "
                "Restoring previous settings.",
                it->name);
        err->arg = it->name;
        config_set_restore(items, count);
        for (int r = 0; r < hook_count; r++) {
            char why[512] = "";
            if (config_apply(items[hooks[r]].e, why, sizeof(why)) != 0)
                log_msg(LL_WARNING, "Failed applying restored failed CONFIG SET command: %s", why);
        }
        rc = -1;
        break;
    }
    mem_free(hooks);
    return rc;
}

/* Sets every value; on the first refusal restores what was set. Returns 0,
 * or -1 with err filled. */
static int config_set_values(SetItem *items, int count, SetError *err) {
    for (int i = 0; i < count; i++) {
        if (config_set_value(items[i].e, items[i].value, err->why, sizeof(err->why)) != 0) {
            config_set_restore(items, i);
            err->arg = items[i].name;
            return -1;
        }
        sds now = config_get_value(items[i].e, sds_empty());
        items[i].changed = strcmp(now, items[i].old) != 0;
        sds_free(now);
    }
    return 0;
}

static void config_set_reply_error(Client *c, const SetError *err) {
    if (err->unknown)
        reply_error_format(c, "Unknown option or number of arguments for CONFIG SET - '%s'",
                           err->unknown);
    else if (err->why[0])
        reply_error_format(c, "CONFIG SET failed (possibly related to argument '%s') - %s",
                           err->arg, err->why);
    else
        reply_error_format(c, "CONFIG SET failed (possibly related to argument '%s')", err->arg);
}

void cmd_config_set(Client *c) {
    if ((c->argc - 2) % 2 != 0) {
        reply_error_syntax(c);
        return;
    }
    int count = (c->argc - 2) / 2;
    SetItem *items = mem_calloc(sizeof(SetItem) * (size_t)count);
    SetError err = {0};
    int rc = config_set_check(c, items, count, &err);
    if (rc == 0) {
        for (int i = 0; i < count; i++) items[i].old = config_get_value(items[i].e, sds_empty());
        rc = config_set_values(items, count, &err);
        if (rc == 0) rc = config_set_apply(items, count, &err);
    }
    if (rc == 0)
        reply_ok(c);
    else
        config_set_reply_error(c, &err);
    for (int i = 0; i < count; i++)
        if (items[i].old) sds_free(items[i].old);
    mem_free(items);
}

/* ---- CONFIG RESETSTAT, REWRITE, HELP ---- */

void cmd_config_resetstat(Client *c) {
    server_stats_reset();
    reply_ok(c);
}

void cmd_config_rewrite(Client *c) {
    const char *path = config_file_path();
    if (path == NULL) {
        reply_error(c, "The server is running without a config file");
        return;
    }
    char err[256];
    if (config_rewrite_file(path, err, sizeof(err)) != 0) {
        log_msg(LL_WARNING, "CONFIG REWRITE failed: %s", err);
        reply_error_format(c, "Rewriting config file: %s", err);
        return;
    }
    log_msg(LL_NOTICE, "CONFIG REWRITE executed with success.");
    reply_ok(c);
}

void cmd_config_help(Client *c) {
    static const char *const lines[] = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        NULL,
    };
    reply_help(c, lines);
}
