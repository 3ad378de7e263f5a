/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/persist_config.c: the persistence options: dbfilename, save
 * points, rdbcompression, rdbchecksum, sanitize-dump-payload and
 * stop-writes-on-bgsave-error, with Valkey's defaults and errors.
 *
 * `save` holds pairs "<seconds> <changes>"; "" turns saving off. The
 * default is Valkey's "3600 1 300 100 60 10000".
 *
 * Threads: main only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/strnum.h"
#include "persist/aof.h"
#include "persist/persist.h"
#include "server/config.h"

#define SAVE_POINTS_MAX 64

int cfg_rdb_compression;
int cfg_rdb_checksum;
char *cfg_dbfilename;
int cfg_sanitize_dump_payload;
int cfg_stop_writes_on_bgsave_error;

static PersistSavePoint save_points[SAVE_POINTS_MAX];
static int save_point_count;

/* Config-file lines add points (the first one replacing the default), as
 * in Valkey; after start-up (CONFIG SET) a value replaces them all. */
static enum { SAVE_REGISTERING, SAVE_FILE_FIRST, SAVE_FILE_MORE, SAVE_RUNNING } save_phase;

void persist_config_startup_done(void) {
    save_phase = SAVE_RUNNING;
}

int persist_save_point_count(void) {
    return save_point_count;
}

const PersistSavePoint *persist_save_point_at(int i) {
    return &save_points[i];
}

static int save_set(const char *value, char *err, size_t errlen) {
    int argc;
    sds *argv = sds_split_args(value, strlen(value), &argc);
    if (argv == NULL || argc % 2 != 0 || argc / 2 > SAVE_POINTS_MAX) {
        if (argv) sds_free_split(argv, argc);
        snprintf(err, errlen, "Invalid save parameters");
        return -1;
    }
    PersistSavePoint points[SAVE_POINTS_MAX];
    int count = 0;
    /* `save ""` (one empty argument pair member) clears the points. */
    for (int i = 0; i + 1 < argc; i += 2) {
        long long seconds, changes;
        if (strnum_to_ll(argv[i], sds_len(argv[i]), &seconds) != 0 ||
            strnum_to_ll(argv[i + 1], sds_len(argv[i + 1]), &changes) != 0 || seconds < 1 ||
            changes < 0) {
            sds_free_split(argv, argc);
            snprintf(err, errlen, "Invalid save parameters");
            return -1;
        }
        points[count].seconds = seconds;
        points[count].changes = changes;
        count++;
    }
    sds_free_split(argv, argc);
    if (save_phase == SAVE_FILE_MORE && count > 0) {
        if (save_point_count + count > SAVE_POINTS_MAX) {
            snprintf(err, errlen, "Invalid save parameters");
            return -1;
        }
        memcpy(save_points + save_point_count, points, sizeof(points[0]) * (size_t)count);
        save_point_count += count;
        return 0;
    }
    if (save_phase == SAVE_FILE_FIRST) save_phase = SAVE_FILE_MORE;
    memcpy(save_points, points, sizeof(points[0]) * (size_t)count);
    save_point_count = count;
    return 0;
}

static sds save_get(sds out) {
    for (int i = 0; i < save_point_count; i++)
        out = sds_cat_printf(out, "%s%lld %lld", i ? " " : "", save_points[i].seconds,
                             save_points[i].changes);
    return out;
}

static int dbfilename_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    if (cfg_dbfilename == NULL || strchr(cfg_dbfilename, '/') != NULL) {
        snprintf(err, errlen, "dbfilename can't be a path, just a filename");
        return -1;
    }
    return 0;
}

static const char *const sanitize_names[] = {"no", "yes", "clients", NULL};

void persist_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "dbfilename", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_PROTECTED, .default_value = "dump.rdb", .storage = &cfg_dbfilename,
         .apply = dbfilename_apply},
        {.size = sizeof(KeelConfigOption), .name = "rdbcompression", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_rdb_compression},
        {.size = sizeof(KeelConfigOption), .name = "stop-writes-on-bgsave-error",
         .type = KEEL_CFG_BOOL, .default_value = "yes",
         .storage = &cfg_stop_writes_on_bgsave_error},
        {.size = sizeof(KeelConfigOption), .name = "rdbchecksum", .type = KEEL_CFG_BOOL,
         .flags = KEEL_CFG_IMMUTABLE, .default_value = "yes", .storage = &cfg_rdb_checksum},
        {.size = sizeof(KeelConfigOption), .name = "sanitize-dump-payload",
         .type = KEEL_CFG_ENUM, .default_value = "no", .enum_names = sanitize_names,
         .storage = &cfg_sanitize_dump_payload},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
    static const ConfigSpecialOps save_ops = {.set = save_set, .get = save_get};
    config_register_special("save", 0, "3600 1 300 100 60 10000", &save_ops, NULL);
    save_phase = SAVE_FILE_FIRST;
    aof_register_config();
}
