/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/dump_cmd.c: DUMP and RESTORE.
 *
 * A payload is one RDB value (type byte and body, as in a file), then the
 * RDB version as a little-endian u16 and the CRC-64 of everything before
 * it as a little-endian u64. keel writes version 11 (Valkey 8); payloads
 * from a newer version or with a wrong checksum are refused, as is any
 * trailing garbage. With sanitize-dump-payload yes or clients the blobs
 * inside are checked deeply (duplicates) as well.
 *
 * Threads: main only.
 */
#include <string.h>
#include <strings.h>

#include "db/blocking.h"
#include "db/db.h"
#include "db/lazyfree.h"
#include "db/notify.h"
#include "net/reply.h"
#include "persist/crc64.h"
#include "persist/persist.h"
#include "persist/persist_state.h"
#include "persist/propagate.h"
#include "persist/rdb_format.h"
#include "persist/rdb_file.h"
#include "persist/rdb_io.h"
#include "persist/rdb_value.h"
#include "types/args.h"
#include "types/hash_internal.h"

#define DUMP_FOOTER_BYTES 10 /* u16 version + u64 CRC */

void cmd_dump(Client *c) {
    Db *db = client_db(c);
    Obj *o = db_lookup_read(db, c->argv[1], LOOKUP_NONE);
    if (o == NULL) {
        reply_null(c);
        return;
    }
    RdbOut out;
    rdb_out_init(&out, -1, true, cfg_rdb_compression);
    rdb_value_save(&out, o, db_now_ms);
    uint16_t version = RDB_VERSION;
    rdb_out_raw(&out, &version, 2);
    uint64_t crc = rdb_out_crc(&out);
    rdb_out_u64le(&out, crc);
    reply_bulk(c, out.buf, sds_len(out.buf));
    rdb_out_deinit(&out);
}

/* Checks the footer; false when the version is newer or the CRC wrong. */
static bool dump_payload_verify(const unsigned char *p, size_t len) {
    if (len < DUMP_FOOTER_BYTES) return false;
    uint16_t version;
    memcpy(&version, p + len - DUMP_FOOTER_BYTES, 2);
    if (!rdb_version_readable(version)) return false;
    uint64_t stored;
    memcpy(&stored, p + len - 8, 8);
    return crc64(0, p, len - 8) == stored;
}

typedef struct RestoreArgs {
    bool replace, absttl;
    long long idle; /* -1 unset */
    long long freq; /* -1 unset */
} RestoreArgs;

static bool restore_parse(Client *c, RestoreArgs *a) {
    a->replace = a->absttl = false;
    a->idle = a->freq = -1;
    for (int i = 4; i < c->argc; i++) {
        const char *opt = c->argv[i]->ptr;
        bool more = i + 1 < c->argc;
        if (!strcasecmp(opt, "replace")) {
            a->replace = true;
        } else if (!strcasecmp(opt, "absttl")) {
            a->absttl = true;
        } else if (!strcasecmp(opt, "idletime") && more && a->freq == -1) {
            long long v;
            if (!type_arg_ll(c, c->argv[++i], &v)) return false;
            if (v < 0) {
                reply_error(c, "Invalid IDLETIME value, must be >= 0");
                return false;
            }
            a->idle = v;
        } else if (!strcasecmp(opt, "freq") && more && a->idle == -1) {
            long long v;
            if (!type_arg_ll(c, c->argv[++i], &v)) return false;
            if (v < 0 || v > 255) {
                reply_error(c, "Invalid FREQ value, must be >= 0 and <= 255");
                return false;
            }
            a->freq = v;
        } else {
            reply_error_syntax(c);
            return false;
        }
    }
    return true;
}

void cmd_restore(Client *c) {
    RestoreArgs a;
    if (!restore_parse(c, &a)) return;
    long long ttl;
    if (!type_arg_ll(c, c->argv[2], &ttl)) return;
    if (ttl < 0) {
        reply_error(c, "Invalid TTL value, must be >= 0");
        return;
    }
    Db *db = client_db(c);
    Obj *key = c->argv[1];
    if (!a.replace && db_lookup_write(db, key, LOOKUP_NONE) != NULL) {
        reply_error(c, "-BUSYKEY Target key name already exists.");
        return;
    }
    const unsigned char *payload = c->argv[3]->ptr;
    size_t len = sds_len(c->argv[3]->ptr);
    if (!dump_payload_verify(payload, len)) {
        reply_error(c, "DUMP payload version or checksum are wrong");
        return;
    }
    RdbIn in;
    rdb_in_init(&in, payload, len - DUMP_FOOTER_BYTES);
    unsigned type;
    Obj *val = NULL;
    if (rdb_in_u8(&in, &type) && rdb_value_type_known((int)type))
        val = rdb_value_load(&in, (int)type, cfg_sanitize_dump_payload != 0);
    if (val == NULL || in.pos != in.len) {
        if (val) obj_decr_ref(val);
        reply_error(c, "Bad data format");
        return;
    }
    bool deleted = a.replace && db_delete(db, key, false);
    if (ttl > 0 && !a.absttl) ttl += db_now_ms;
    if (ttl > 0 && ttl <= db_now_ms) {
        /* Already expired: nothing is stored, as Valkey does. */
        obj_decr_ref(val);
        if (deleted) notify_key_changed(c, db, NOTIFY_GENERIC, "del", key);
        if (deleted && propagate_recording())
            propagate_rewrite_fmt(c, "wo", cfg_lazyfree_lazy_server_del ? "UNLINK" : "DEL", key);
        reply_ok(c);
        return;
    }
    int obj_type = val->type;
    Obj *stored = db_add(db, key, val, ttl > 0 ? ttl : -1);
    persist_apply_eviction_hint(stored, a.idle, (int)a.freq);
    if (stored->type == OBJ_HASH && hash_has_volatile(stored)) hash_registry_add(db, key);
    notify_key_changed(c, db, NOTIFY_GENERIC, "restore", key);
    if (ttl > 0 && !a.absttl && propagate_recording()) { /* replays as key ms ... ABSTTL */
        propagate_rewrite_ll(c, 2, ttl);
        propagate_rewrite_word(c, c->argc, "ABSTTL");
    }
    if (obj_type == OBJ_LIST || obj_type == OBJ_ZSET) blocking_signal_key_ready(db, key);
    reply_ok(c);
}
