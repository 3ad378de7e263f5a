/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/persist_load.c: loading an RDB file into the databases: at
 * start-up (a damaged file stops the server with the file, offset and
 * reason in the log) and for DEBUG RELOAD (save, flush, load).
 *
 * Keys whose expire time has passed are not loaded (as a Valkey primary
 * does); empty collections are skipped with a log line. A key present
 * twice is an error.
 *
 * Threads: main only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/evict.h"
#include "db/notify.h"
#include "persist/aof.h"
#include "persist/persist.h"
#include "persist/persist_state.h"
#include "persist/rdb_file.h"
#include "script/function.h"
#include "server/ev.h"
#include "server/log.h"
#include "types/hash_internal.h"

typedef struct LoadCtx {
    long long now_ms;
    bool merge; /* a key already present is replaced (DEBUG RELOAD MERGE) */
    unsigned long long loaded;
    unsigned long long expired;
} LoadCtx;

void persist_apply_eviction_hint(Obj *o, long long idle, int freq) {
    if (freq >= 0 && evict_policy_is_lfu()) {
        o->lru = (evict_lfu_minutes() << 8) | (unsigned)freq;
    } else if (idle >= 0 && !evict_policy_is_lfu()) {
        unsigned long long seconds = (unsigned long long)idle;
        if (seconds > LRU_CLOCK_MAX) seconds = LRU_CLOCK_MAX;
        o->lru = (evict_lru_clock() - (unsigned)seconds) & LRU_CLOCK_MAX;
    }
}

static bool load_key(void *ctx_arg, RdbIn *in, int dbid, sds key, Obj *val,
                     const RdbKeyMeta *meta) {
    LoadCtx *ctx = ctx_arg;
    long long expire = meta->expire;
    if (expire != -1 && expire <= ctx->now_ms) {
        ctx->expired++;
        obj_decr_ref(val);
        sds_free(key);
        return true;
    }
    Db *db = db_get(dbid);
    Obj *keyobj = obj_create_from_sds(key);
    if (ctx->merge) db_delete(db, keyobj, false);
    if (db_find(db, keyobj) != NULL) {
        rdb_in_fail(in, "duplicated key '%.64s' in DB %d", (const char *)keyobj->ptr, dbid);
        obj_decr_ref(keyobj);
        obj_decr_ref(val);
        return false;
    }
    Obj *stored = db_add(db, keyobj, val, expire);
    persist_apply_eviction_hint(stored, meta->idle, meta->freq);
    if (stored->type == OBJ_HASH && hash_has_volatile(stored)) hash_registry_add(db, keyobj);
    obj_decr_ref(keyobj);
    ctx->loaded++;
    return true;
}

/* A function library: loaded as FUNCTION LOAD would (REPLACE when merging). */
static bool load_library(void *arg, RdbIn *in, const sds code) {
    LoadCtx *ctx = arg;
    sds err = NULL;
    if (function_library_create(code, sds_len(code), ctx->merge, &err) == NULL) {
        rdb_in_fail(in, "Failed loading library: %s", err ? err : "unknown error");
        sds_free(err);
        return false;
    }
    return true;
}

static void load_empty_key(void *ctx, int dbid, const sds key) {
    (void)ctx;
    log_msg(LL_WARNING, "rdbLoadObject skipping empty key: %s (db %d)", key, dbid);
}

bool persist_load_image(const unsigned char *image, size_t len, bool merge, size_t *consumed,
                        char *err, size_t errlen) {
    RdbIn in;
    rdb_in_init(&in, image, len);
    db_time_refresh(); /* expired keys and hash fields are not loaded */
    LoadCtx ctx = {.now_ms = db_now_ms, .merge = merge};
    RdbLoadCallbacks cb = {.key = load_key, .empty_key = load_empty_key,
                           .library = load_library};
    RdbLoadResult result;
    bool was_loading = persist_state.loading;
    persist_state.loading = true;
    bool deep = cfg_sanitize_dump_payload == 1;
    bool ok = rdb_load_image(&in, &cb, &ctx, (int)cfg_databases, cfg_rdb_checksum, deep, &result);
    persist_state.loading = was_loading;
    persist_state.last_load_keys = ctx.loaded;
    persist_state.last_load_expired = ctx.expired;
    if (consumed) *consumed = in.pos;
    if (!ok) {
        snprintf(err, errlen, "%s", in.err);
        return false;
    }
    if (result.libraries)
        log_msg(LL_NOTICE, "Done loading RDB, function libraries loaded: %llu.",
                result.libraries);
    log_msg(LL_NOTICE, "Done loading RDB, keys loaded: %llu, keys expired: %llu.", ctx.loaded,
            ctx.expired);
    return true;
}

bool persist_load_file(const char *path, bool merge, char *err, size_t errlen) {
    size_t len;
    const unsigned char *image = rdb_map_file(path, &len);
    if (image == NULL) {
        snprintf(err, errlen, "%s", strerror(errno));
        return false;
    }
    bool ok = persist_load_image(image, len, merge, NULL, err, errlen);
    rdb_unmap_file(image, len);
    return ok;
}

void persist_load_at_startup(void) {
    persist_config_startup_done();
    persist_state.last_save = (long long)time(NULL);
    if (aof_load_at_startup()) return; /* appendonly yes: the AOF holds the data */
    if (access(cfg_dbfilename, F_OK) != 0) return;
    long long start = ev_wall_ms();
    char err[512];
    if (!persist_load_file(cfg_dbfilename, false, err, sizeof(err))) {
        log_msg(LL_WARNING, "Failed loading the RDB file '%s' %s", cfg_dbfilename, err);
        log_msg(LL_WARNING, "Fatal error loading the DB, check server logs. Exiting.");
        exit(1);
    }
    log_msg(LL_NOTICE, "DB loaded from disk: %.3f seconds", (double)(ev_wall_ms() - start) / 1000);
}

bool persist_debug_reload(int flags, char *err, size_t errlen) {
    if (!(flags & PERSIST_RELOAD_NOSAVE)) {
        if (persist_state.child_pid > 0) {
            snprintf(err, errlen, "Background save already in progress");
            return false;
        }
        if (!persist_save_now(err, errlen)) {
            snprintf(err, errlen, "Error trying to save the DB");
            return false;
        }
    }
    if (!(flags & PERSIST_RELOAD_NOFLUSH)) {
        function_flush_all(); /* the file brings its libraries back */
        for (int id = 0; id < cfg_databases; id++) db_empty(db_get(id), false);
        db_signal_flushed(-1);
    }
    char load_err[512];
    if (!persist_load_file(cfg_dbfilename, (flags & PERSIST_RELOAD_MERGE) != 0, load_err,
                           sizeof(load_err))) {
        log_msg(LL_WARNING, "Failed loading the RDB file '%s' %s", cfg_dbfilename, load_err);
        snprintf(err, errlen, "Error trying to load the RDB dump, check server logs.");
        return false;
    }
    log_msg(LL_NOTICE, "DB reloaded by DEBUG RELOAD");
    return true;
}
