/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tools/keel-check-rdb.c: keel-check-rdb FILE: reads an RDB file with the
 * server's own parser (persist/rdb_file.h) and prints what it found (the
 * version, aux fields, keys per database and type, expires, the checksum)
 * or where it is damaged (offset and what was expected). Exit status 0 for
 * a good file, 1 otherwise.
 *
 * Values are built exactly as the server would build them (same encodings
 * and validation) and freed at once; nothing is kept.
 *
 * Threads: one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db/object.h"
#include "persist/rdb_file.h"
#include "server/server.h"

/* Every room's options (server/server.c; main.c declares it the same way). */
void server_register_all_config(void);

typedef struct CheckCtx {
    unsigned long long keys, expires, empty;
    unsigned long long by_type[8];
    int last_db;
} CheckCtx;

static bool check_key(void *arg, RdbIn *in, int dbid, sds key, Obj *val, const RdbKeyMeta *meta) {
    (void)in;
    CheckCtx *ctx = arg;
    if (dbid != ctx->last_db) {
        printf("[offset %zu] Selecting DB ID %d\n", in->pos, dbid);
        ctx->last_db = dbid;
    }
    ctx->keys++;
    if (meta->expire != -1) ctx->expires++;
    if (val->type < 8) ctx->by_type[val->type]++;
    obj_decr_ref(val);
    sds_free(key);
    return true;
}

static void check_aux(void *arg, const sds name, const sds value) {
    (void)arg;
    printf("[info] AUX FIELD %s = '%s'\n", name, value);
}

static void check_empty(void *arg, int dbid, const sds key) {
    CheckCtx *ctx = arg;
    ctx->empty++;
    printf("[warning] empty value skipped: key '%s' in DB %d\n", key, dbid);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "Usage: %s <rdb-file-name>\n", argv[0]);
        return 1;
    }
    server_register_all_config(); /* the encoding thresholds, at their defaults */
    size_t len;
    const unsigned char *image = rdb_map_file(argv[1], &len);
    if (image == NULL) {
        printf("Cannot open RDB file '%s': %s\n", argv[1], strerror(errno));
        return 1;
    }
    printf("[offset 0] Checking RDB file %s\n", argv[1]);
    RdbIn in;
    rdb_in_init(&in, image, len);
    CheckCtx ctx = {.last_db = -1};
    RdbLoadCallbacks cb = {.key = check_key, .aux = check_aux, .empty_key = check_empty};
    RdbLoadResult result;
    bool ok = rdb_load_image(&in, &cb, &ctx, 1 << 20, true, true, &result);
    rdb_unmap_file(image, len);
    if (result.version) printf("[info] RDB version %d\n", result.version);
    printf("[info] %llu keys read\n", ctx.keys);
    printf("[info] %llu expires\n", ctx.expires);
    if (result.libraries) printf("[info] %llu function libraries\n", result.libraries);
    static const char *const names[8] = {"string", "list", "set", "zset", "hash", "", "", ""};
    for (int t = 0; t < 5; t++)
        if (ctx.by_type[t]) printf("[info] %llu %s keys\n", ctx.by_type[t], names[t]);
    if (!ok) {
        printf("--- RDB ERROR DETECTED ---\n");
        printf("[offset %zu] %s\n", in.pos, in.err);
        printf("[additional info] %llu bytes in the file\n", (unsigned long long)len);
        return 1;
    }
    printf("[offset %zu] %s\n", in.pos,
           result.checksum_checked ? "Checksum OK" : "Checksum not checked (none stored)");
    printf("\\o/ RDB looks OK! \\o/\n");
    return 0;
}
