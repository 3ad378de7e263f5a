/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_rewrite_cmds.c: the dataset as commands, for a base file
 * written with aof-use-rdb-preamble no: per database a SELECT, then per
 * key the shortest commands that rebuild it (SET, RPUSH, SADD, ZADD,
 * HSET, in batches of 64 elements as Valkey writes them), then PEXPIREAT
 * for a key's expire time and HPEXPIREAT for hash fields that have one.
 *
 * Must not change the keyspace: it runs in the rewrite child (and at
 * start-up on an empty dataset).
 *
 * Threads: the rewrite child, or the main thread at start-up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "persist/aof_internal.h"
#include "script/function.h"
#include "types/args.h"
#include "types/hash_internal.h"
#include "types/list_internal.h"
#include "types/set_internal.h"
#include "types/zset_internal.h"

#define ITEMS_PER_COMMAND 64
#define FLUSH_BYTES (64 * 1024)
#define AUTOSYNC_BYTES (4 * 1024 * 1024)

typedef struct CmdOut {
    int fd;
    sds buf;
    long long written, synced;
    int err;
} CmdOut;

static void out_flush(CmdOut *out) {
    size_t off = 0, len = sds_len(out->buf);
    while (off < len && out->err == 0) {
        ssize_t n = write(out->fd, out->buf + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) out->err = n < 0 ? errno : EIO;
        else off += (size_t)n;
    }
    out->written += (long long)off;
    sds_clear(out->buf);
    if (cfg_aof_rewrite_incremental_fsync && out->written - out->synced >= AUTOSYNC_BYTES) {
        fdatasync(out->fd);
        out->synced = out->written;
    }
}

static void cat_header(CmdOut *out, size_t argc) {
    out->buf = sds_cat_printf(out->buf, "*%zu\r\n", argc);
}

static void cat_bulk(CmdOut *out, const char *p, size_t len) {
    out->buf = sds_cat_printf(out->buf, "$%zu\r\n", len);
    out->buf = sds_cat_len(out->buf, p, len);
    out->buf = sds_cat_len(out->buf, "\r\n", 2);
}

static void cat_ll(CmdOut *out, long long value) {
    char num[24];
    int len = snprintf(num, sizeof(num), "%lld", value);
    cat_bulk(out, num, (size_t)len);
}

static void cat_cstr(CmdOut *out, const char *s) {
    cat_bulk(out, s, strlen(s));
}

static void end_command(CmdOut *out) {
    if (sds_len(out->buf) >= FLUSH_BYTES) out_flush(out);
}

/* Starts a batch command "NAME key" for up to `left` items of `width`
 * arguments each; returns how many items it will hold. */
static size_t batch_start(CmdOut *out, const char *name, const char *key, size_t klen,
                          size_t left, size_t width) {
    size_t items = left < ITEMS_PER_COMMAND ? left : ITEMS_PER_COMMAND;
    cat_header(out, 2 + items * width);
    cat_cstr(out, name);
    cat_bulk(out, key, klen);
    return items;
}

static void rewrite_list(CmdOut *out, Obj *o, const char *key, size_t klen) {
    size_t left = list_length(o), in_batch = 0;
    ListIter it;
    ListEntry e;
    if (!list_iter_init(&it, o, 0, true)) return;
    while (list_iter_next(&it, &e)) {
        if (in_batch == 0) in_batch = batch_start(out, "RPUSH", key, klen, left, 1);
        if (e.str) cat_bulk(out, (const char *)e.str, e.len);
        else cat_ll(out, e.ival);
        left--;
        if (--in_batch == 0) end_command(out);
    }
    list_iter_release(&it);
}

static void rewrite_set(CmdOut *out, Obj *o, const char *key, size_t klen) {
    size_t left = set_size(o), in_batch = 0;
    SetIter it;
    SetElem e;
    set_iter_init(&it, o);
    while (set_iter_next(&it, &e)) {
        if (in_batch == 0) in_batch = batch_start(out, "SADD", key, klen, left, 1);
        if (e.str) cat_bulk(out, e.str, e.len);
        else cat_ll(out, e.ival);
        left--;
        if (--in_batch == 0) end_command(out);
    }
    set_iter_deinit(&it);
}

static void rewrite_zset(CmdOut *out, Obj *o, const char *key, size_t klen) {
    size_t left = zset_length(o), in_batch = 0;
    ZsetIter it;
    ZsetElem e;
    char score[DOUBLE_TEXT_MAX];
    for (zset_iter_at_rank(&it, o, 0, false); zset_iter_valid(&it); zset_iter_next(&it)) {
        zset_iter_get(&it, &e);
        if (in_batch == 0) in_batch = batch_start(out, "ZADD", key, klen, left, 2);
        cat_bulk(out, score, type_format_double(score, e.score));
        cat_bulk(out, e.str, e.len);
        left--;
        if (--in_batch == 0) end_command(out);
    }
}

static void rewrite_hash(CmdOut *out, Obj *o, const char *key, size_t klen, long long now) {
    size_t left = hash_length(o), in_batch = 0;
    bool volatile_fields = hash_has_volatile(o);
    HashIter it;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it)) {
        if (in_batch == 0) in_batch = batch_start(out, "HSET", key, klen, left, 2);
        cat_bulk(out, it.field, it.flen);
        cat_bulk(out, it.value, it.vlen);
        left--;
        if (--in_batch == 0) end_command(out);
    }
    hash_iter_deinit(&it);
    if (!volatile_fields) return;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it)) {
        long long when = hash_get_expire(o, it.field, it.flen);
        if (when < 0) continue;
        if (when < now) when = now; /* already due: expires at once on load */
        cat_header(out, 6);
        cat_cstr(out, "HPEXPIREAT");
        cat_bulk(out, key, klen);
        cat_ll(out, when);
        cat_cstr(out, "FIELDS");
        cat_cstr(out, "1");
        cat_bulk(out, it.field, it.flen);
        end_command(out);
    }
    hash_iter_deinit(&it);
}

static void rewrite_key(CmdOut *out, Obj *o, long long now) {
    size_t klen;
    const char *key = obj_key(o, &klen);
    switch (o->type) {
    case OBJ_STRING: {
        char num[32];
        size_t vlen;
        const char *v = obj_string_bytes(o, num, &vlen);
        cat_header(out, 3);
        cat_cstr(out, "SET");
        cat_bulk(out, key, klen);
        cat_bulk(out, v, vlen);
        break;
    }
    case OBJ_LIST: rewrite_list(out, o, key, klen); break;
    case OBJ_SET: rewrite_set(out, o, key, klen); break;
    case OBJ_ZSET: rewrite_zset(out, o, key, klen); break;
    case OBJ_HASH: rewrite_hash(out, o, key, klen, now); break;
    default: return;
    }
    long long expire = obj_get_expire(o);
    if (expire != -1) {
        cat_header(out, 3);
        cat_cstr(out, "PEXPIREAT");
        cat_bulk(out, key, klen);
        cat_ll(out, expire);
    }
    end_command(out);
}

bool aof_rewrite_commands_fd(int fd, char *err, size_t errlen) {
    CmdOut out = {.fd = fd, .buf = sds_empty()};
    long long now = db_now_ms;
    if (cfg_aof_timestamp_enabled)
        out.buf = sds_cat_printf(out.buf, "#TS:%lld\r\n", (long long)(now / 1000));
    /* Function libraries first, as FUNCTION LOAD (Valkey's rewrite does). */
    for (int i = 0; i < function_library_count() && out.err == 0; i++) {
        const ScriptLibrary *lib = function_library_at(i);
        cat_header(&out, 3);
        cat_cstr(&out, "FUNCTION");
        cat_cstr(&out, "LOAD");
        cat_bulk(&out, lib->code, sds_len(lib->code));
        end_command(&out);
    }
    for (int id = 0; id < cfg_databases && out.err == 0; id++) {
        Db *db = db_get(id);
        if (db_size(db) == 0) continue;
        cat_header(&out, 2);
        cat_cstr(&out, "SELECT");
        cat_ll(&out, id);
        HtIter it;
        void *entry;
        ht_iter_init(&it, db->keys, 0);
        while (ht_iter_next(&it, &entry) && out.err == 0) rewrite_key(&out, entry, now);
        ht_iter_deinit(&it);
    }
    out_flush(&out);
    sds_free(out.buf);
    if (out.err) {
        snprintf(err, errlen, "%s", strerror(out.err));
        return false;
    }
    return true;
}
