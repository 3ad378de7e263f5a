/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/function_dump.c: FUNCTION DUMP and FUNCTION RESTORE.
 *
 * The payload is Valkey's: per library the RDB_OPCODE_FUNCTION2 byte and
 * its code as an RDB string (integer-encoded or LZF as rdbcompression
 * says), then the RDB version (2 bytes, little-endian) and the CRC-64 of
 * everything before it (8 bytes, little-endian). RESTORE loads every
 * library of the payload first, then joins them to the current ones by
 * the policy (APPEND, REPLACE, FLUSH): either all of them are added or,
 * after any error, none and the current libraries are untouched.
 *
 * Threads: main only.
 */
#include <string.h>

#include "net/reply.h"
#include "persist/crc64.h"
#include "persist/persist.h"
#include "persist/propagate.h"
#include "persist/rdb_format.h"
#include "persist/rdb_io.h"
#include "script/function.h"
#include "script/script.h"
#include "server/mem.h"
#include "types/args.h"

#define FUNCTION_FOOTER_BYTES 10 /* u16 version + u64 CRC */

void cmd_function_dump(Client *c) {
    RdbOut out;
    rdb_out_init(&out, -1, true, cfg_rdb_compression);
    for (int i = 0; i < function_library_count(); i++) {
        const ScriptLibrary *lib = function_library_at(i);
        rdb_out_u8(&out, RDB_OPCODE_FUNCTION2);
        rdb_out_string(&out, lib->code, sds_len(lib->code));
    }
    uint8_t version[2] = {RDB_VERSION & 0xff, (RDB_VERSION >> 8) & 0xff};
    rdb_out_raw(&out, version, 2);
    uint64_t crc = rdb_out_crc(&out);
    rdb_out_u64le(&out, crc);
    reply_bulk(c, out.buf, sds_len(out.buf));
    rdb_out_deinit(&out);
}

typedef enum { RESTORE_APPEND, RESTORE_REPLACE, RESTORE_FLUSH } RestorePolicy;

static bool payload_verify(const unsigned char *p, size_t len) {
    if (len < FUNCTION_FOOTER_BYTES) return false;
    unsigned version = p[len - 10] | (unsigned)p[len - 9] << 8;
    if (version > RDB_VERSION) return false;
    uint64_t stored = 0;
    for (int i = 0; i < 8; i++) stored |= (uint64_t)p[len - 8 + i] << (8 * i);
    return crc64(0, p, len - 8) == stored;
}

/* Moves every registered library into *out (count in *count), leaving the
 * registry empty. */
static void registry_take_all(ScriptLibrary ***out, int *count) {
    *count = function_library_count();
    *out = mem_alloc(sizeof(ScriptLibrary *) * (size_t)(*count ? *count : 1));
    for (int i = 0; i < *count; i++) (*out)[i] = function_library_at(i);
    while (function_library_count() > 0) function_library_detach(0);
}

static void registry_put_all(ScriptLibrary **libs, int count) {
    for (int i = 0; i < count; i++) function_library_attach(libs[i]);
}

static void destroy_all(ScriptLibrary **libs, int count) {
    for (int i = 0; i < count; i++) function_library_destroy(libs[i], true);
}

/* Loads the payload's libraries into the (empty) registry. 0, or -1 with
 * *err. */
static int load_payload(const unsigned char *p, size_t len, sds *err) {
    RdbIn in;
    rdb_in_init(&in, p, len - FUNCTION_FOOTER_BYTES);
    while (in.pos < in.len) {
        unsigned type;
        if (!rdb_in_u8(&in, &type)) {
            *err = sds_new("can not read data type");
            return -1;
        }
        if (type == RDB_OPCODE_FUNCTION_PRE_GA) {
            *err = sds_new("Pre-GA function format not supported");
            return -1;
        }
        if (type != RDB_OPCODE_FUNCTION2) {
            *err = sds_new("given type is not a function");
            return -1;
        }
        sds code;
        if (!rdb_in_string(&in, &code)) {
            *err = sds_new("failed loading the given functions payload");
            return -1;
        }
        ScriptLibrary *lib = function_library_create(code, sds_len(code), false, err);
        sds_free(code);
        if (lib == NULL) return -1;
    }
    return 0;
}

/* Joins the loaded libraries (loaded) to the current ones (current, which
 * are back in the registry). Returns 0, or -1 with *err and nothing
 * changed. */
static int join_libraries(ScriptLibrary **loaded, int loaded_count, bool replace, sds *err) {
    ScriptLibrary **replaced = mem_alloc(sizeof(ScriptLibrary *) * (size_t)(loaded_count + 1));
    int replaced_count = 0, result = 0;
    for (int i = 0; i < loaded_count && result == 0; i++) {
        int index = function_library_find(loaded[i]->name, sds_len(loaded[i]->name));
        if (index < 0) continue;
        if (!replace) {
            *err = sds_cat_printf(sds_empty(), "Library %s already exists", loaded[i]->name);
            result = -1;
            break;
        }
        replaced[replaced_count++] = function_library_at(index);
        function_library_detach(index);
    }
    for (int i = 0; i < loaded_count && result == 0; i++) {
        for (int j = 0; j < loaded[i]->count && result == 0; j++) {
            const ScriptFunction *fn = loaded[i]->functions[j];
            if (function_find(fn->name, sds_len(fn->name))) {
                *err = sds_cat_printf(sds_empty(), "Function %s already exists", fn->name);
                result = -1;
            }
        }
    }
    if (result == 0) {
        destroy_all(replaced, replaced_count);
        registry_put_all(loaded, loaded_count);
    } else {
        registry_put_all(replaced, replaced_count); /* load order changes; Valkey's is a dict */
        destroy_all(loaded, loaded_count);
    }
    mem_free(replaced);
    return result;
}

static int parse_policy(Client *c, RestorePolicy *policy) {
    *policy = RESTORE_APPEND;
    if (c->argc > 4) {
        reply_error_subcommand_args(c);
        return -1;
    }
    if (c->argc < 4) return 0;
    if (type_arg_is(c->argv[3], "append"))
        *policy = RESTORE_APPEND;
    else if (type_arg_is(c->argv[3], "replace"))
        *policy = RESTORE_REPLACE;
    else if (type_arg_is(c->argv[3], "flush"))
        *policy = RESTORE_FLUSH;
    else {
        reply_error(c, "Wrong restore policy given, value should be either FLUSH, APPEND or "
                       "REPLACE.");
        return -1;
    }
    return 0;
}

void cmd_function_restore(Client *c) {
    RestorePolicy policy;
    if (parse_policy(c, &policy) != 0) return;
    char buf[24];
    size_t len;
    const unsigned char *payload = (const unsigned char *)obj_string_bytes(c->argv[2], buf, &len);
    if (!payload_verify(payload, len)) {
        reply_error(c, "DUMP payload version or checksum are wrong");
        return;
    }
    ScriptLibrary **current, **loaded;
    int current_count, loaded_count;
    registry_take_all(&current, &current_count);
    sds err = NULL;
    int failed = load_payload(payload, len, &err);
    registry_take_all(&loaded, &loaded_count);
    if (failed) {
        destroy_all(loaded, loaded_count);
        registry_put_all(current, current_count);
    } else if (policy == RESTORE_FLUSH) {
        destroy_all(current, current_count);
        registry_put_all(loaded, loaded_count);
    } else {
        registry_put_all(current, current_count);
        failed = join_libraries(loaded, loaded_count, policy == RESTORE_REPLACE, &err);
    }
    mem_free(current);
    mem_free(loaded);
    if (failed) {
        reply_error(c, err);
        sds_free(err);
        return;
    }
    propagate_force(c); /* the AOF replays libraries (no key changed) */
    reply_ok(c);
}
