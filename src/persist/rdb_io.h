/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_io.h: the RDB format's primitives: lengths, strings (plain,
 * integer-encoded, LZF-compressed), binary and text doubles, written to a
 * buffered file or a memory buffer and read back from memory with bounds
 * checks on every byte.
 *
 * Writers never fail midway: a failed write() is remembered (out->failed,
 * out->saved_errno) and later calls do nothing, so callers check once at
 * the end. Readers return false on the first problem and leave a message
 * naming the offset and what was expected in in->err; nothing they return
 * points outside the input.
 *
 * Threads: any (no shared state); the BGSAVE child uses the writer.
 */
#ifndef KEEL_PERSIST_RDB_IO_H
#define KEEL_PERSIST_RDB_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ds/sds.h"

typedef struct RdbOut {
    int fd;             /* -1: keep everything in buf (DUMP) */
    sds buf;            /* pending bytes (all of them for memory output) */
    uint64_t crc;       /* CRC-64 of the bytes flushed so far (file output) */
    bool checksum;      /* keep crc (rdbchecksum) */
    bool compress;      /* LZF for strings over RDB_LZF_MIN_LEN (rdbcompression) */
    bool failed;        /* a write failed; later writes are skipped */
    int saved_errno;
    unsigned long long bytes; /* bytes written so far, flushed or not */
} RdbOut;

/* fd >= 0: buffered output to that file; fd -1: to memory. */
void rdb_out_init(RdbOut *out, int fd, bool checksum, bool compress);
/* Frees the buffer (after rdb_out_flush for files). */
void rdb_out_deinit(RdbOut *out);
void rdb_out_raw(RdbOut *out, const void *p, size_t len);
void rdb_out_u8(RdbOut *out, unsigned value);
void rdb_out_u64le(RdbOut *out, uint64_t value);
void rdb_out_len(RdbOut *out, uint64_t len);
/* A string: integer-encoded when it spells a small integer, LZF when
 * compression is on and it shrinks, else length + bytes. */
void rdb_out_string(RdbOut *out, const void *p, size_t len);
/* An integer as a string (integer-encoded when it fits 32 bits). */
void rdb_out_ll_string(RdbOut *out, long long value);
void rdb_out_double_binary(RdbOut *out, double value);
/* Writes the pending bytes to the file (updating crc). false on error. */
bool rdb_out_flush(RdbOut *out);
/* CRC-64 of everything written so far (files: flushes first). */
uint64_t rdb_out_crc(RdbOut *out);

typedef struct RdbIn {
    const unsigned char *p;
    size_t len;
    size_t pos;
    char err[256]; /* why the last read failed, with its offset */
    bool empty;    /* the failure was an empty collection (skipped when loading a file) */
} RdbIn;

void rdb_in_init(RdbIn *in, const void *p, size_t len);
/* Records a failure at the current offset; always returns false. */
bool rdb_in_fail(RdbIn *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool rdb_in_bytes(RdbIn *in, size_t n, const unsigned char **p);
bool rdb_in_u8(RdbIn *in, unsigned *value);
bool rdb_in_u32le(RdbIn *in, uint32_t *value);
bool rdb_in_u64le(RdbIn *in, uint64_t *value);
/* A length; *encoded (may be NULL: then an encoded form is an error) says
 * the value is a special string encoding (RDB_ENC_*) instead. */
bool rdb_in_len(RdbIn *in, uint64_t *len, bool *encoded);
/* A length that counts elements still to come: refused when larger than
 * the bytes left could hold (each element takes at least min_bytes). */
bool rdb_in_count(RdbIn *in, uint64_t *count, size_t min_bytes, const char *what);
/* A string of any encoding as a new sds. */
bool rdb_in_string(RdbIn *in, sds *out);
bool rdb_in_double_binary(RdbIn *in, double *value);
/* The old ZSET score form: a length byte (253..255 special) and text. */
bool rdb_in_double_text(RdbIn *in, double *value);

#endif
