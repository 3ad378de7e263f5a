/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_config.c: the append-only file's options, with Valkey's
 * names, defaults and errors: appendonly (CONFIG SET yes starts a rewrite
 * that creates the base, no stops writing), appenddirname and
 * appendfilename (immutable, plain names), appendfsync, aof-use-rdb-preamble,
 * auto-aof-rewrite-percentage/min-size, aof-load-truncated,
 * aof-timestamp-enabled, no-appendfsync-on-rewrite and
 * aof-rewrite-incremental-fsync.
 *
 * Threads: main only.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "persist/aof.h"
#include "persist/aof_internal.h"
#include "server/config.h"

int cfg_appendonly;
char *cfg_appenddirname;
char *cfg_appendfilename;
int cfg_appendfsync;
int cfg_aof_use_rdb_preamble;
long long cfg_auto_aof_rewrite_percentage;
long long cfg_auto_aof_rewrite_min_size;
int cfg_aof_load_truncated;
int cfg_aof_timestamp_enabled;
int cfg_no_appendfsync_on_rewrite;
int cfg_aof_rewrite_incremental_fsync;

/* Until start-up has loaded the data, appendonly only records the wish. */
static bool started;

void aof_config_startup_done(void) {
    started = true;
}

static bool is_plain_name(const char *name) {
    return name && name[0] && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0;
}

static int appendfilename_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    if (!is_plain_name(cfg_appendfilename)) {
        snprintf(err, errlen, "appendfilename can't be a path, just a filename");
        return -1;
    }
    return 0;
}

static int appenddirname_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    if (!is_plain_name(cfg_appenddirname)) {
        snprintf(err, errlen, "appenddirname can't be a path, just a dirname");
        return -1;
    }
    return 0;
}

bool aof_config_check_names(char *err, size_t errlen) {
    return appendfilename_apply(NULL, err, errlen) == 0 &&
           appenddirname_apply(NULL, err, errlen) == 0;
}

static int appendonly_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    if (!started) return 0;
    if (cfg_appendonly && aof_state.status == AOF_OFF) {
        if (!aof_start(err, errlen)) {
            snprintf(err, errlen, "Unable to turn on AOF. Check server logs.");
            return -1;
        }
    } else if (!cfg_appendonly && aof_state.status != AOF_OFF) {
        aof_stop();
    }
    return 0;
}

/* Turning `always` on: what was written under the old policy is synced
 * now, so every later reply really is on disk. */
static int appendfsync_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    (void)err;
    (void)errlen;
    if (started && cfg_appendfsync == AOF_FSYNC_ALWAYS && aof_state.fd != -1)
        aof_flush_and_fsync();
    return 0;
}

static const char *const fsync_names[] = {"everysec", "always", "no", NULL};

void aof_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "appendonly", .type = KEEL_CFG_BOOL,
         .default_value = "no", .storage = &cfg_appendonly, .apply = appendonly_apply},
        {.size = sizeof(KeelConfigOption), .name = "appendfilename", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_IMMUTABLE, .default_value = "appendonly.aof",
         .storage = &cfg_appendfilename, .apply = appendfilename_apply},
        {.size = sizeof(KeelConfigOption), .name = "appenddirname", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_IMMUTABLE, .default_value = "appendonlydir",
         .storage = &cfg_appenddirname, .apply = appenddirname_apply},
        {.size = sizeof(KeelConfigOption), .name = "appendfsync", .type = KEEL_CFG_ENUM,
         .default_value = "everysec", .enum_names = fsync_names, .storage = &cfg_appendfsync,
         .apply = appendfsync_apply},
        {.size = sizeof(KeelConfigOption), .name = "aof-use-rdb-preamble", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_aof_use_rdb_preamble},
        {.size = sizeof(KeelConfigOption), .name = "auto-aof-rewrite-percentage",
         .type = KEEL_CFG_NUMBER, .default_value = "100", .min = 0, .max = INT_MAX,
         .storage = &cfg_auto_aof_rewrite_percentage},
        {.size = sizeof(KeelConfigOption), .name = "auto-aof-rewrite-min-size",
         .type = KEEL_CFG_MEMORY, .default_value = "64mb", .min = 0, .max = LLONG_MAX,
         .storage = &cfg_auto_aof_rewrite_min_size},
        {.size = sizeof(KeelConfigOption), .name = "aof-load-truncated", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_aof_load_truncated},
        {.size = sizeof(KeelConfigOption), .name = "aof-timestamp-enabled",
         .type = KEEL_CFG_BOOL, .default_value = "no", .storage = &cfg_aof_timestamp_enabled},
        {.size = sizeof(KeelConfigOption), .name = "no-appendfsync-on-rewrite",
         .type = KEEL_CFG_BOOL, .default_value = "no",
         .storage = &cfg_no_appendfsync_on_rewrite},
        {.size = sizeof(KeelConfigOption), .name = "aof-rewrite-incremental-fsync",
         .type = KEEL_CFG_BOOL, .default_value = "yes",
         .storage = &cfg_aof_rewrite_incremental_fsync},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}
