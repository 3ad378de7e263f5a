/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_file.c: whole RDB images (see rdb_file.h).
 *
 * Layout written: "REDIS0011", AUX fields (redis-ver, redis-bits, ctime,
 * used-mem, aof-base, keel-ver), then per non-empty database SELECTDB and
 * RESIZEDB, then per key [EXPIRETIME_MS] type key value, then EOF and the
 * CRC-64 of everything before it (0 with rdbchecksum no).
 *
 * Threads: see rdb_file.h. The save path must not change the keyspace: the
 * BGSAVE child runs it on copy-on-write pages.
 */
#include "persist/rdb_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/evict.h"
#include "persist/crc64.h"
#include "persist/persist.h"
#include "persist/rdb_format.h"
#include "persist/rdb_value.h"
#include "script/function.h"
#include "server/mem.h"
#include "server/version.h"

static void save_aux(RdbOut *out, const char *name, const char *value) {
    rdb_out_u8(out, RDB_OPCODE_AUX);
    rdb_out_string(out, name, strlen(name));
    rdb_out_string(out, value, strlen(value));
}

static void save_aux_ll(RdbOut *out, const char *name, long long value) {
    rdb_out_u8(out, RDB_OPCODE_AUX);
    rdb_out_string(out, name, strlen(name));
    rdb_out_ll_string(out, value);
}

static void save_db(RdbOut *out, Db *db, long long now_ms) {
    int hints = evict_policy_is_lfu() ? 2 : strstr(evict_policy_name(), "lru") ? 1 : 0;
    rdb_out_u8(out, RDB_OPCODE_SELECTDB);
    rdb_out_len(out, (uint64_t)db->id);
    rdb_out_u8(out, RDB_OPCODE_RESIZEDB);
    rdb_out_len(out, db_size(db));
    rdb_out_len(out, db_expires_size(db));
    HtIter it;
    void *entry;
    ht_iter_init(&it, db->keys, 0);
    while (ht_iter_next(&it, &entry) && !out->failed) {
        Obj *o = entry;
        long long expire = obj_get_expire(o);
        if (expire != -1) {
            rdb_out_u8(out, RDB_OPCODE_EXPIRETIME_MS);
            rdb_out_u64le(out, (uint64_t)expire);
        }
        /* Eviction data, as Valkey writes it under LRU / LFU policies. */
        if (hints == 1) {
            rdb_out_u8(out, RDB_OPCODE_IDLE);
            rdb_out_len(out, evict_idle_ms(o) / 1000);
        } else if (hints == 2) {
            rdb_out_u8(out, RDB_OPCODE_FREQ);
            rdb_out_u8(out, evict_lfu_decayed_counter(o));
        }
        size_t klen;
        const char *key = obj_key(o, &klen);
        rdb_out_u8(out, (unsigned)rdb_value_type(o));
        rdb_out_string(out, key, klen);
        rdb_value_save_body(out, o, now_ms);
    }
    ht_iter_deinit(&it);
}

static bool save_fd(int fd, bool checksum, bool compress, bool aof_base, char *err,
                    size_t errlen) {
    RdbOut out;
    rdb_out_init(&out, fd, checksum, compress);
    char magic[16];
    snprintf(magic, sizeof(magic), "REDIS%04d", RDB_VERSION);
    rdb_out_raw(&out, magic, 9);
    save_aux(&out, "redis-ver", KEEL_REDIS_COMPAT_VERSION);
    save_aux_ll(&out, "redis-bits", (long long)sizeof(void *) * 8);
    save_aux_ll(&out, "ctime", (long long)time(NULL));
    save_aux_ll(&out, "used-mem", (long long)mem_used());
    save_aux_ll(&out, "aof-base", aof_base ? 1 : 0);
    save_aux(&out, "keel-ver", KEEL_VERSION);
    /* Function libraries before the keys, as Valkey writes them. */
    for (int i = 0; i < function_library_count(); i++) {
        const ScriptLibrary *lib = function_library_at(i);
        rdb_out_u8(&out, RDB_OPCODE_FUNCTION2);
        rdb_out_string(&out, lib->code, sds_len(lib->code));
    }
    long long now_ms = db_now_ms;
    for (int id = 0; id < cfg_databases && !out.failed; id++) {
        Db *db = db_get(id);
        if (db_size(db) > 0) save_db(&out, db, now_ms);
    }
    rdb_out_u8(&out, RDB_OPCODE_EOF);
    uint64_t crc = checksum ? rdb_out_crc(&out) : 0;
    rdb_out_u64le(&out, crc);
    bool ok = rdb_out_flush(&out);
    if (!ok) snprintf(err, errlen, "%s", strerror(out.saved_errno));
    rdb_out_deinit(&out);
    return ok;
}

bool rdb_save_fd(int fd, bool checksum, bool compress, char *err, size_t errlen) {
    return save_fd(fd, checksum, compress, false, err, errlen);
}

bool rdb_save_aof_base_fd(int fd, char *err, size_t errlen) {
    return save_fd(fd, cfg_rdb_checksum, cfg_rdb_compression, true, err, errlen);
}

bool rdb_save_path(const char *path, char *err, size_t errlen) {
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        char cwd[1024];
        snprintf(err, errlen, "Failed opening the temp RDB file %s (in server root dir %s) for "
                 "saving: %s", tmp, getcwd(cwd, sizeof(cwd)) ? cwd : "unknown", strerror(errno));
        return false;
    }
    bool ok = rdb_save_fd(fd, cfg_rdb_checksum, cfg_rdb_compression, err, errlen);
    if (ok && fsync(fd) != 0) {
        snprintf(err, errlen, "fsync: %s", strerror(errno));
        ok = false;
    }
    if (close(fd) != 0 && ok) {
        snprintf(err, errlen, "close: %s", strerror(errno));
        ok = false;
    }
    if (ok && rename(tmp, path) != 0) {
        snprintf(err, errlen, "Error moving temp DB file %s on the final destination %s: %s", tmp,
                 path, strerror(errno));
        ok = false;
    }
    if (!ok) {
        unlink(tmp);
        return false;
    }
    /* Make the rename itself durable. */
    char dir_copy[4096];
    snprintf(dir_copy, sizeof(dir_copy), "%s", path);
    int dfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return true;
}

/* ---- loading ---- */

bool rdb_version_readable(int version) {
    return (version >= RDB_MIN_READ_VERSION && version <= RDB_VERSION) ||
           version == RDB_VERSION_VALKEY9;
}

const unsigned char *rdb_map_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return NULL;
    }
    *len = (size_t)st.st_size;
    if (*len == 0) {
        close(fd);
        static const unsigned char nothing[1];
        return nothing;
    }
    void *p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    int saved = errno;
    close(fd);
    if (p == MAP_FAILED) {
        errno = saved;
        return NULL;
    }
    madvise(p, *len, MADV_SEQUENTIAL);
    return p;
}

void rdb_unmap_file(const unsigned char *p, size_t len) {
    if (len > 0) munmap((void *)p, len);
}

/* "REDIS" and four digits (up to 11), or Valkey 9's "VALKEY" and three. */
static bool load_header(RdbIn *in, RdbLoadResult *result) {
    const unsigned char *magic;
    if (!rdb_in_bytes(in, 9, &magic)) return false;
    size_t digits_at;
    if (memcmp(magic, "REDIS", 5) == 0) {
        digits_at = 5;
    } else if (memcmp(magic, "VALKEY", 6) == 0) {
        digits_at = 6;
    } else {
        in->pos = 0;
        return rdb_in_fail(in, "wrong signature trying to load DB from file");
    }
    int version = 0;
    for (size_t i = digits_at; i < 9; i++) {
        if (magic[i] < '0' || magic[i] > '9') {
            in->pos = digits_at;
            return rdb_in_fail(in, "bad RDB version text");
        }
        version = version * 10 + (magic[i] - '0');
    }
    if (!rdb_version_readable(version)) {
        in->pos = digits_at;
        return rdb_in_fail(in, "can't handle RDB format version %d", version);
    }
    result->version = version;
    return true;
}

static bool load_aux(RdbIn *in, const RdbLoadCallbacks *cb, void *ctx) {
    sds name, value;
    if (!rdb_in_string(in, &name)) return false;
    if (!rdb_in_string(in, &value)) {
        sds_free(name);
        return false;
    }
    if (cb->aux) cb->aux(ctx, name, value);
    sds_free(name);
    sds_free(value);
    return true;
}

static bool load_checksum(RdbIn *in, bool verify, RdbLoadResult *result) {
    if (result->version < 5) return true;
    size_t covered = in->pos;
    uint64_t stored;
    if (!rdb_in_u64le(in, &stored)) return false;
    if (!verify || stored == 0) return true;
    uint64_t actual = crc64(0, in->p, covered);
    if (actual != stored) {
        in->pos = covered;
        return rdb_in_fail(in, "wrong RDB checksum expected: (%016llx) got: (%016llx)",
                           (unsigned long long)stored, (unsigned long long)actual);
    }
    result->checksum_checked = true;
    return true;
}

/* One key after its type byte: the key string and value. */
static bool load_key(RdbIn *in, int type, int dbid, const RdbKeyMeta *meta, bool deep,
                     const RdbLoadCallbacks *cb, void *ctx, RdbLoadResult *result) {
    sds key;
    if (!rdb_value_type_known(type) && type != RDB_TYPE_MODULE_2 &&
        type != RDB_TYPE_MODULE_PRE_GA && (type < RDB_TYPE_STREAM_LISTPACKS ||
                                           type > RDB_TYPE_STREAM_LISTPACKS_3)) {
        in->pos--;
        return rdb_in_fail(in, "unknown value type or opcode %d", type);
    }
    if (!rdb_in_string(in, &key)) return false;
    Obj *val = rdb_value_load(in, type, deep);
    if (!val) {
        if (!in->empty) {
            sds_free(key);
            return false;
        }
        in->err[0] = '\0';
        in->empty = false;
        if (cb->empty_key) cb->empty_key(ctx, dbid, key);
        sds_free(key);
        return true;
    }
    result->keys++;
    return cb->key(ctx, in, dbid, key, val, meta);
}

bool rdb_load_image(RdbIn *in, const RdbLoadCallbacks *cb, void *ctx, int max_dbs,
                    bool verify_crc, bool deep, RdbLoadResult *result) {
    memset(result, 0, sizeof(*result));
    if (!load_header(in, result)) return false;
    int dbid = 0;
    RdbKeyMeta meta = {.expire = -1, .idle = -1, .freq = -1};
    for (;;) {
        unsigned type;
        uint64_t a, b;
        if (!rdb_in_u8(in, &type)) return false;
        switch (type) {
        case RDB_OPCODE_EOF:
            return load_checksum(in, verify_crc, result);
        case RDB_OPCODE_SELECTDB:
            if (!rdb_in_len(in, &a, NULL)) return false;
            if (a >= (uint64_t)max_dbs)
                return rdb_in_fail(in, "FATAL: Data file was created with a server configured "
                                   "to handle more than %d databases", max_dbs);
            dbid = (int)a;
            continue;
        case RDB_OPCODE_RESIZEDB:
            if (!rdb_in_len(in, &a, NULL) || !rdb_in_len(in, &b, NULL)) return false;
            continue;
        case RDB_OPCODE_SLOT_INFO:
            if (!rdb_in_len(in, &a, NULL) || !rdb_in_len(in, &b, NULL) ||
                !rdb_in_len(in, &b, NULL))
                return false;
            continue;
        case RDB_OPCODE_AUX:
            if (!load_aux(in, cb, ctx)) return false;
            continue;
        case RDB_OPCODE_EXPIRETIME: {
            uint32_t seconds;
            if (!rdb_in_u32le(in, &seconds)) return false;
            meta.expire = (long long)seconds * 1000;
            continue;
        }
        case RDB_OPCODE_EXPIRETIME_MS: {
            uint64_t ms;
            if (!rdb_in_u64le(in, &ms)) return false;
            meta.expire = (long long)ms;
            continue;
        }
        case RDB_OPCODE_FREQ:
            if (!rdb_in_u8(in, &type)) return false;
            meta.freq = (int)type;
            continue;
        case RDB_OPCODE_IDLE:
            if (!rdb_in_len(in, &a, NULL)) return false;
            meta.idle = a > INT32_MAX ? INT32_MAX : (long long)a;
            continue;
        case RDB_OPCODE_MODULE_AUX:
            in->pos--;
            return rdb_in_fail(in, "module aux data: keel loads no module data");
        case RDB_OPCODE_FUNCTION2: {
            sds code;
            if (!rdb_in_string(in, &code)) return false;
            bool taken = cb->library == NULL || cb->library(ctx, in, code);
            sds_free(code);
            if (!taken) return false;
            result->libraries++;
            continue;
        }
        case RDB_OPCODE_FUNCTION_PRE_GA:
            in->pos--;
            return rdb_in_fail(in, "Pre-release function format not supported.");
        default:
            if (!load_key(in, (int)type, dbid, &meta, deep, cb, ctx, result)) return false;
            meta = (RdbKeyMeta){.expire = -1, .idle = -1, .freq = -1};
            continue;
        }
    }
}
