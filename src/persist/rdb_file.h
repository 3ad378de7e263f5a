/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_file.h: whole RDB images: writing every database to a file
 * (header, aux fields, SELECTDB/RESIZEDB, keys with their expire times, EOF
 * and CRC-64), and parsing an image, handing each key to a callback (the
 * server puts them in its databases; keel-check-rdb only counts them).
 *
 * Threads: saving runs on the main thread (SAVE) or in the BGSAVE child;
 * loading on the main thread.
 */
#ifndef KEEL_PERSIST_RDB_FILE_H
#define KEEL_PERSIST_RDB_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/object.h"
#include "ds/sds.h"
#include "persist/rdb_io.h"

/* Writes every database as an RDB image to fd. Returns false with errno's
 * text in err when a write fails. */
bool rdb_save_fd(int fd, bool checksum, bool compress, char *err, size_t errlen);
/* Writes every database as the RDB base file of a multi-part AOF (aux
 * aof-base 1; rdbchecksum and rdbcompression as configured). */
bool rdb_save_aof_base_fd(int fd, char *err, size_t errlen);
/* Saves to path the safe way: temp-<pid>.rdb in the same folder, fsync,
 * rename over path. Returns false (path untouched) with the reason in err. */
bool rdb_save_path(const char *path, char *err, size_t errlen);

/* What the file says about a key besides its value. */
typedef struct RdbKeyMeta {
    long long expire; /* unix ms, -1 none */
    long long idle;   /* IDLE seconds, -1 none */
    int freq;         /* FREQ counter, -1 none */
} RdbKeyMeta;

/* What the parser hands out. Callbacks return false to stop with an error
 * (after rdb_in_fail on in, which gives the offset). */
typedef struct RdbLoadCallbacks {
    /* A key: takes ownership of key and val. */
    bool (*key)(void *ctx, RdbIn *in, int dbid, sds key, Obj *val, const RdbKeyMeta *meta);
    /* An aux field (may be NULL). Borrowed strings. */
    void (*aux)(void *ctx, const sds name, const sds value);
    /* A key whose value was an empty collection (skipped; may be NULL). */
    void (*empty_key)(void *ctx, int dbid, const sds key);
    /* A function library's code (RDB_OPCODE_FUNCTION2; borrowed). NULL:
     * libraries are skipped. */
    bool (*library)(void *ctx, RdbIn *in, const sds code);
} RdbLoadCallbacks;

typedef struct RdbLoadResult {
    int version;
    unsigned long long keys;
    unsigned long long libraries; /* function libraries */
    bool checksum_checked;
} RdbLoadResult;

/* Parses len bytes of an RDB image. max_dbs bounds SELECTDB; verify_crc
 * checks a non-zero trailing checksum. Returns false with in->err set
 * ("at offset N: ..."). */
bool rdb_load_image(RdbIn *in, const RdbLoadCallbacks *cb, void *ctx, int max_dbs,
                    bool verify_crc, bool deep, RdbLoadResult *result);
/* Whether keel reads files and payloads of this RDB version: 1..11 and
 * Valkey 9's 80 (not Redis 7.4+'s 12..79, whose types differ). */
bool rdb_version_readable(int version);
/* Maps a whole file for rdb_load_image; NULL with errno set on failure.
 * Release with rdb_unmap_file. */
const unsigned char *rdb_map_file(const char *path, size_t *len);
void rdb_unmap_file(const unsigned char *p, size_t len);

#endif
