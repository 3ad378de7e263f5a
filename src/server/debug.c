/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/debug.c: the DEBUG command: HELP, SLEEP, LOG, PROTOCOL, and the
 * keyspace helpers Valkey's tests use (OBJECT, POPULATE, SET-ACTIVE-EXPIRE,
 * RELOAD: persist/persist.h does the work).
 *
 * DEBUG is refused unless enable-debug-command allows it (see debug.h).
 * Subcommands that need subsystems keel lacks (DIGEST, JMAP...) and
 * the crash helpers are not here; they answer like any unknown subcommand,
 * and HELP lists only what exists.
 *
 * Threads: main only. SLEEP blocks the whole server on purpose: tests use
 * it to make the server unresponsive for a while.
 */
#include "server/debug.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd/procs.h"
#include "db/db.h"
#include "db/evict.h"
#include "db/expire.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "persist/aof.h"
#include "persist/persist.h"
#include "persist/rdb_value.h"
#include "server/log.h"
#include "server/mem.h"
#include "server/server.h"

/* No sleep longer than this: keeps seconds * 1e6 inside a long long. */
#define DEBUG_SLEEP_MAX_SECONDS 1e9

int debug_client_is_local(const Client *c) {
    if (c->flags & CLIENT_UNIX_SOCKET) return 1;
    if (c->conn == NULL || c->conn->type->is_local == NULL) return 0;
    return c->conn->type->is_local(c->conn) == 1;
}

int debug_command_allowed(const Client *c) {
    if (c->conn == NULL) return 1;
    if (cfg_enable_debug == 1) return 1;
    return cfg_enable_debug == 2 && debug_client_is_local(c);
}

static void debug_help(Client *c) {
    static const char *const lines[] = {
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "OBJECT <key>",
        "    Show low level details of the value stored at <key>.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Add <count> string keys named <prefix>:<num> (prefix 'key' by default)",
        "    holding \"value:<num>\", zero-padded or cut to <size> bytes when given.",
        "    Keys that already exist are left alone.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Options:",
        "    * MERGE: conflicting keys will be loaded from the RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    0 stops deleting expired keys in the background (they still expire when",
        "    accessed); 1 turns it back on (the default).",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        NULL,
    };
    reply_help(c, lines);
}

/* DEBUG SLEEP <seconds>: like Valkey, a number that does not parse sleeps
 * 0 seconds, and a negative one does not sleep at all; both reply OK. */
static void debug_sleep(Client *c) {
    double seconds = strtod(c->argv[2]->ptr, NULL);
    if (seconds > 0) {
        if (seconds > DEBUG_SLEEP_MAX_SECONDS) seconds = DEBUG_SLEEP_MAX_SECONDS;
        long long usec = (long long)(seconds * 1000000);
        struct timespec ts = {.tv_sec = usec / 1000000, .tv_nsec = (usec % 1000000) * 1000};
        nanosleep(&ts, NULL); /* a signal may cut it short, as in Valkey */
    }
    reply_ok(c);
}

static void debug_log(Client *c) {
    log_msg(LL_WARNING, "DEBUG LOG: %s", (const char *)c->argv[2]->ptr);
    reply_ok(c);
}

/* DEBUG PROTOCOL <type>: sends one value of each RESP3 type (with the RESP2
 * fallbacks on RESP2 connections), so clients can test their parsers. */
static void debug_protocol(Client *c) {
    const char *name = c->argv[2]->ptr;
    if (!strcasecmp(name, "string")) {
        reply_bulk_cstr(c, "Hello World");
    } else if (!strcasecmp(name, "integer")) {
        reply_ll(c, 12345);
    } else if (!strcasecmp(name, "double")) {
        reply_double(c, 3.141);
    } else if (!strcasecmp(name, "bignum")) {
        reply_bignum(c, "1234567999999999999999999999999999999");
    } else if (!strcasecmp(name, "null")) {
        reply_null(c);
    } else if (!strcasecmp(name, "array")) {
        reply_array_len(c, 3);
        for (int i = 0; i < 3; i++) reply_ll(c, i);
    } else if (!strcasecmp(name, "set")) {
        reply_set_len(c, 3);
        for (int i = 0; i < 3; i++) reply_ll(c, i);
    } else if (!strcasecmp(name, "map")) {
        reply_map_len(c, 3);
        for (int i = 0; i < 3; i++) {
            reply_ll(c, i);
            reply_bool(c, i == 1);
        }
    } else if (!strcasecmp(name, "attrib")) {
        if (c->resp >= 3) {
            reply_attribute_len(c, 1);
            reply_bulk_cstr(c, "key-popularity");
            reply_array_len(c, 2);
            reply_bulk_cstr(c, "key:123");
            reply_ll(c, 90);
        }
        reply_bulk_cstr(c, "Some real reply following the attribute");
    } else if (!strcasecmp(name, "push")) {
        if (c->resp < 3) {
            reply_error(c, "RESP2 is not supported by this command");
            return;
        }
        reply_push_len(c, 2);
        reply_bulk_cstr(c, "server-cpu-usage");
        reply_ll(c, 42);
        reply_bulk_cstr(c, "Some real reply following the push reply");
    } else if (!strcasecmp(name, "true")) {
        reply_bool(c, 1);
    } else if (!strcasecmp(name, "false")) {
        reply_bool(c, 0);
    } else if (!strcasecmp(name, "verbatim")) {
        reply_verbatim(c, "This is a verbatim\nstring", 25, "txt");
    } else {
        reply_error(c, "Wrong protocol type name. Please use one of the following: "
                       "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|"
                       "true|false");
    }
}

/* ---- keyspace helpers ---- */

/* Largest table DEBUG POPULATE sizes up front: beyond it the table grows as
 * usual, so a silly count cannot make one huge allocation abort the server
 * before the first key is added. */
#define DEBUG_POPULATE_PRESIZE_MAX (1u << 24)

/* DEBUG OBJECT's serializedlength: the bytes the RDB writer produces for
 * the value (without its type byte), compressed per rdbcompression, as
 * Valkey reports it. */
static size_t serialized_length(const Obj *o) {
    RdbOut out;
    rdb_out_init(&out, -1, false, cfg_rdb_compression);
    rdb_value_save_body(&out, o, db_now_ms);
    size_t len = (size_t)out.bytes;
    rdb_out_deinit(&out);
    return len;
}

/* DEBUG OBJECT <key>: Valkey's one status line. The key is looked up with
 * no side effects (an expired key not yet deleted is still shown). */
static void debug_object(Client *c) {
    Obj *o = db_find(client_db(c), c->argv[2]);
    if (o == NULL) {
        reply_error(c, "no such key");
        return;
    }
    char line[256];
    snprintf(line, sizeof(line),
             "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%u "
             "lru_seconds_idle:%llu",
             (void *)o, (int)o->refcount, obj_encoding_name(o), serialized_length(o),
             (unsigned)o->lru, evict_idle_ms(o) / 1000);
    reply_status(c, line);
}

/* A count or size argument: Valkey replies the same error for text and for
 * negative numbers. Returns 0, or -1 after replying. */
static int populate_arg(Client *c, const Obj *arg, long long *value) {
    if (strnum_to_ll(arg->ptr, sds_len((sds)arg->ptr), value) != 0 || *value < 0) {
        reply_error(c, "value is out of range, must be positive");
        return -1;
    }
    return 0;
}

/* DEBUG POPULATE <count> [<prefix>] [<size>]: adds prefix:0 .. prefix:count-1
 * holding "value:N" (zero-padded or cut to size when size > 0), skipping
 * keys that exist. Built for bulk loads (the memory benchmark adds a million
 * 512-byte values): the table is sized once up front, and the key and value
 * are formatted into reused buffers, so each key costs its own allocation
 * and nothing else. */
static void debug_populate(Client *c) {
    long long count, size = 0;
    if (populate_arg(c, c->argv[2], &count) != 0) return;
    if (c->argc == 5 && populate_arg(c, c->argv[4], &size) != 0) return;
    Db *db = client_db(c);
    size_t wanted = db_size(db) + (size_t)count;
    ht_resize(db->keys, wanted < DEBUG_POPULATE_PRESIZE_MAX ? wanted : DEBUG_POPULATE_PRESIZE_MAX);

    sds prefix = c->argc >= 4 ? c->argv[3]->ptr : NULL;
    sds keybuf = sds_cat_len(sds_empty(), prefix ? prefix : "key", prefix ? sds_len(prefix) : 3);
    keybuf = sds_cat_len(keybuf, ":", 1);
    size_t prefix_len = sds_len(keybuf);
    /* A bare lookup key on the stack, as a command argument would be: the
     * lookup and db_set_string only read it (the key bytes are copied into
     * the stored object), so nothing keeps a reference to it. */
    Obj key = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .refcount = 1, .ptr = keybuf};

    /* "value:N" is at most 26 bytes; padding bytes past it stay zero. */
    size_t valbuf_len = size > 32 ? (size_t)size : 32;
    char *valbuf = mem_calloc(valbuf_len);
    char digits[24];
    for (long long j = 0; j < count; j++) {
        size_t ndigits = strnum_from_ll(digits, j);
        sds_keep_range(keybuf, 0, prefix_len);
        keybuf = sds_cat_len(keybuf, digits, ndigits);
        key.ptr = keybuf;
        if (db_lookup_write(db, &key, LOOKUP_NOTOUCH) != NULL) continue;
        memcpy(valbuf, "value:", 6);
        memcpy(valbuf + 6, digits, ndigits);
        size_t vlen = size > 0 ? (size_t)size : 6 + ndigits;
        db_set_string(db, &key, valbuf, vlen, -1, 0);
    }
    mem_free(valbuf);
    sds_free(keybuf);
    reply_ok(c);
}

/* DEBUG SET-ACTIVE-EXPIRE <0|1>: like Valkey, any number parses (atoi), and
 * anything but 0 turns the active cycle on. */
static void debug_set_active_expire(Client *c) {
    expire_active_enabled = atoi(c->argv[2]->ptr) != 0;
    reply_ok(c);
}

/* DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB, empty every
 * database, load it again (persist/persist.h). */
static void debug_reload(Client *c) {
    int flags = 0;
    for (int i = 2; i < c->argc; i++) {
        const char *opt = c->argv[i]->ptr;
        if (!strcasecmp(opt, "merge"))
            flags |= PERSIST_RELOAD_MERGE;
        else if (!strcasecmp(opt, "noflush"))
            flags |= PERSIST_RELOAD_NOFLUSH;
        else if (!strcasecmp(opt, "nosave"))
            flags |= PERSIST_RELOAD_NOSAVE;
        else {
            reply_error(c, "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            return;
        }
    }
    char err[256];
    if (persist_debug_reload(flags, err, sizeof(err)))
        reply_ok(c);
    else
        reply_error(c, err);
}

/* DEBUG LOADAOF: write the AOF buffer, empty every database, load the AOF
 * again (persist/aof.h). */
static void debug_loadaof(Client *c) {
    char err[256];
    if (aof_debug_loadaof(err, sizeof(err)))
        reply_ok(c);
    else
        reply_error(c, err);
}

void cmd_debug(Client *c) {
    /* enable-debug-command was checked by the command layer (CMD_PROTECTED). */
    const char *sub = c->argv[1]->ptr;
    if (c->argc == 2 && strcasecmp(sub, "help") == 0)
        debug_help(c);
    else if (c->argc == 3 && strcasecmp(sub, "sleep") == 0)
        debug_sleep(c);
    else if (c->argc == 3 && strcasecmp(sub, "log") == 0)
        debug_log(c);
    else if (c->argc == 3 && strcasecmp(sub, "protocol") == 0)
        debug_protocol(c);
    else if (c->argc == 3 && strcasecmp(sub, "object") == 0)
        debug_object(c);
    else if (c->argc >= 3 && c->argc <= 5 && strcasecmp(sub, "populate") == 0)
        debug_populate(c);
    else if (c->argc == 3 && strcasecmp(sub, "set-active-expire") == 0)
        debug_set_active_expire(c);
    else if (strcasecmp(sub, "reload") == 0)
        debug_reload(c);
    else if (c->argc == 2 && strcasecmp(sub, "loadaof") == 0)
        debug_loadaof(c);
    else
        reply_error_subcommand_args(c); /* DEBUG is not a container */
}
