/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_io.c: RDB primitives (see rdb_io.h): buffered writing with a
 * running CRC-64, and bounds-checked reading from a memory image.
 *
 * Integers in lengths are big-endian (as the format says); integer-encoded
 * strings, expire times and binary doubles are little-endian, which is the
 * host order keel builds for.
 *
 * Threads: any.
 */
#include "persist/rdb_io.h"

#include <errno.h>
#include <liblzf/lzf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ds/strnum.h"
#include "persist/crc64.h"
#include "persist/rdb_format.h"
#include "server/mem.h"

#define RDB_OUT_FLUSH_AT (64 * 1024)

void rdb_out_init(RdbOut *out, int fd, bool checksum, bool compress) {
    memset(out, 0, sizeof(*out));
    out->fd = fd;
    out->buf = sds_with_capacity(fd >= 0 ? RDB_OUT_FLUSH_AT + 1024 : 256);
    out->checksum = checksum;
    out->compress = compress;
}

void rdb_out_deinit(RdbOut *out) {
    sds_free(out->buf);
    out->buf = NULL;
}

bool rdb_out_flush(RdbOut *out) {
    if (out->fd < 0 || out->failed) return !out->failed;
    size_t len = sds_len(out->buf);
    if (out->checksum) out->crc = crc64(out->crc, out->buf, len);
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(out->fd, out->buf + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            out->failed = true;
            out->saved_errno = n < 0 ? errno : EIO;
            return false;
        }
        done += (size_t)n;
    }
    sds_clear(out->buf);
    return true;
}

uint64_t rdb_out_crc(RdbOut *out) {
    if (out->fd >= 0) {
        rdb_out_flush(out);
        return out->crc;
    }
    return crc64(0, out->buf, sds_len(out->buf));
}

void rdb_out_raw(RdbOut *out, const void *p, size_t len) {
    if (out->failed) return;
    out->bytes += len;
    if (out->fd >= 0 && len >= RDB_OUT_FLUSH_AT) {
        /* Big blobs go straight out instead of through the buffer. */
        if (!rdb_out_flush(out)) return;
        if (out->checksum) out->crc = crc64(out->crc, p, len);
        const char *s = p;
        while (len > 0) {
            ssize_t n = write(out->fd, s, len);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                out->failed = true;
                out->saved_errno = n < 0 ? errno : EIO;
                return;
            }
            s += n;
            len -= (size_t)n;
        }
        return;
    }
    out->buf = sds_cat_len(out->buf, p, len);
    if (out->fd >= 0 && sds_len(out->buf) >= RDB_OUT_FLUSH_AT) rdb_out_flush(out);
}

void rdb_out_u8(RdbOut *out, unsigned value) {
    unsigned char b = (unsigned char)value;
    rdb_out_raw(out, &b, 1);
}

void rdb_out_u64le(RdbOut *out, uint64_t value) {
    rdb_out_raw(out, &value, 8);
}

void rdb_out_len(RdbOut *out, uint64_t len) {
    unsigned char b[9];
    if (len < (1 << 6)) {
        b[0] = (unsigned char)len;
        rdb_out_raw(out, b, 1);
    } else if (len < (1 << 14)) {
        b[0] = (unsigned char)((RDB_14BITLEN << 6) | (len >> 8));
        b[1] = (unsigned char)(len & 0xff);
        rdb_out_raw(out, b, 2);
    } else if (len <= UINT32_MAX) {
        b[0] = RDB_32BITLEN;
        for (int i = 0; i < 4; i++) b[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        rdb_out_raw(out, b, 5);
    } else {
        b[0] = RDB_64BITLEN;
        for (int i = 0; i < 8; i++) b[1 + i] = (unsigned char)(len >> (56 - 8 * i));
        rdb_out_raw(out, b, 9);
    }
}

/* Writes value in the smallest integer encoding; false when it needs more
 * than 32 bits. */
static bool rdb_out_try_int(RdbOut *out, long long value) {
    unsigned char b[5];
    size_t n;
    if (value >= INT8_MIN && value <= INT8_MAX) {
        b[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
        b[1] = (unsigned char)(int8_t)value;
        n = 2;
    } else if (value >= INT16_MIN && value <= INT16_MAX) {
        int16_t v = (int16_t)value;
        b[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
        memcpy(b + 1, &v, 2);
        n = 3;
    } else if (value >= INT32_MIN && value <= INT32_MAX) {
        int32_t v = (int32_t)value;
        b[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
        memcpy(b + 1, &v, 4);
        n = 5;
    } else {
        return false;
    }
    rdb_out_raw(out, b, n);
    return true;
}

void rdb_out_ll_string(RdbOut *out, long long value) {
    if (rdb_out_try_int(out, value)) return;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lld", value);
    rdb_out_len(out, (uint64_t)n);
    rdb_out_raw(out, buf, (size_t)n);
}

static bool rdb_out_try_lzf(RdbOut *out, const void *p, size_t len) {
    if (len <= 4) return false;
    size_t cap = len - 4; /* worth it only when it saves something */
    void *dst = mem_alloc(cap);
    unsigned clen = lzf_compress(p, (unsigned)len, dst, (unsigned)cap);
    if (clen == 0) {
        mem_free(dst);
        return false;
    }
    rdb_out_u8(out, (RDB_ENCVAL << 6) | RDB_ENC_LZF);
    rdb_out_len(out, clen);
    rdb_out_len(out, len);
    rdb_out_raw(out, dst, clen);
    mem_free(dst);
    return true;
}

void rdb_out_string(RdbOut *out, const void *p, size_t len) {
    if (len > 0 && len <= 11) {
        long long value;
        if (strnum_to_ll(p, len, &value) == 0 && rdb_out_try_int(out, value)) return;
    }
    if (out->compress && len > RDB_LZF_MIN_LEN && len <= UINT32_MAX && rdb_out_try_lzf(out, p, len))
        return;
    rdb_out_len(out, len);
    rdb_out_raw(out, p, len);
}

void rdb_out_double_binary(RdbOut *out, double value) {
    rdb_out_raw(out, &value, 8);
}

/* ---- reading ---- */

void rdb_in_init(RdbIn *in, const void *p, size_t len) {
    in->p = p;
    in->len = len;
    in->pos = 0;
    in->err[0] = '\0';
    in->empty = false;
}

bool rdb_in_fail(RdbIn *in, const char *fmt, ...) {
    if (in->err[0]) return false; /* keep the first, most precise reason */
    int n = snprintf(in->err, sizeof(in->err), "at offset %zu: ", in->pos);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof(in->err)) vsnprintf(in->err + n, sizeof(in->err) - n, fmt, ap);
    va_end(ap);
    return false;
}

bool rdb_in_bytes(RdbIn *in, size_t n, const unsigned char **p) {
    *p = in->p + in->pos; /* never read on failure; keeps the compiler sure it is set */
    if (n > in->len - in->pos)
        return rdb_in_fail(in, "unexpected end of data (%zu bytes needed, %zu left)", n,
                           in->len - in->pos);
    *p = in->p + in->pos;
    in->pos += n;
    return true;
}

bool rdb_in_u8(RdbIn *in, unsigned *value) {
    const unsigned char *p;
    if (!rdb_in_bytes(in, 1, &p)) return false;
    *value = p[0];
    return true;
}

bool rdb_in_u32le(RdbIn *in, uint32_t *value) {
    const unsigned char *p;
    if (!rdb_in_bytes(in, 4, &p)) return false;
    memcpy(value, p, 4);
    return true;
}

bool rdb_in_u64le(RdbIn *in, uint64_t *value) {
    const unsigned char *p;
    if (!rdb_in_bytes(in, 8, &p)) return false;
    memcpy(value, p, 8);
    return true;
}

bool rdb_in_len(RdbIn *in, uint64_t *len, bool *encoded) {
    unsigned first;
    const unsigned char *p;
    if (encoded) *encoded = false;
    if (!rdb_in_u8(in, &first)) return false;
    switch (first >> 6) {
    case RDB_6BITLEN:
        *len = first & 0x3f;
        return true;
    case RDB_14BITLEN:
        if (!rdb_in_bytes(in, 1, &p)) return false;
        *len = ((uint64_t)(first & 0x3f) << 8) | p[0];
        return true;
    case RDB_ENCVAL:
        if (!encoded) return rdb_in_fail(in, "expected a length, found a string encoding");
        *encoded = true;
        *len = first & 0x3f;
        return true;
    default:
        break;
    }
    size_t n = first == RDB_32BITLEN ? 4 : first == RDB_64BITLEN ? 8 : 0;
    if (n == 0) return rdb_in_fail(in, "unknown length encoding 0x%02x", first);
    if (!rdb_in_bytes(in, n, &p)) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = (v << 8) | p[i];
    *len = v;
    return true;
}

bool rdb_in_count(RdbIn *in, uint64_t *count, size_t min_bytes, const char *what) {
    if (!rdb_in_len(in, count, NULL)) return false;
    if (min_bytes && *count > (in->len - in->pos) / min_bytes)
        return rdb_in_fail(in, "%s count %llu is larger than the data left", what,
                           (unsigned long long)*count);
    return true;
}

static bool rdb_in_lzf_string(RdbIn *in, sds *out) {
    uint64_t clen, ulen;
    const unsigned char *src;
    if (!rdb_in_len(in, &clen, NULL) || !rdb_in_len(in, &ulen, NULL)) return false;
    if (!rdb_in_bytes(in, clen, &src)) return false;
    /* LZF cannot expand more than ~100 times: refuse absurd sizes before
     * allocating them. */
    if (ulen == 0 || ulen > clen * 128 + 64 || ulen > UINT32_MAX)
        return rdb_in_fail(in, "bad LZF sizes (compressed %llu, uncompressed %llu)",
                           (unsigned long long)clen, (unsigned long long)ulen);
    sds s = sds_new_len(NULL, ulen);
    unsigned got = lzf_decompress(src, (unsigned)clen, s, (unsigned)ulen);
    if (got != ulen) {
        sds_free(s);
        return rdb_in_fail(in, "LZF data does not decompress to %llu bytes",
                           (unsigned long long)ulen);
    }
    *out = s;
    return true;
}

bool rdb_in_string(RdbIn *in, sds *out) {
    uint64_t len;
    bool encoded;
    const unsigned char *p;
    if (!rdb_in_len(in, &len, &encoded)) return false;
    if (!encoded) {
        if (!rdb_in_bytes(in, len, &p)) return false;
        *out = sds_new_len(p, len);
        return true;
    }
    long long value;
    switch (len) {
    case RDB_ENC_INT8:
        if (!rdb_in_bytes(in, 1, &p)) return false;
        value = (int8_t)p[0];
        break;
    case RDB_ENC_INT16: {
        int16_t v;
        if (!rdb_in_bytes(in, 2, &p)) return false;
        memcpy(&v, p, 2);
        value = v;
        break;
    }
    case RDB_ENC_INT32: {
        int32_t v;
        if (!rdb_in_bytes(in, 4, &p)) return false;
        memcpy(&v, p, 4);
        value = v;
        break;
    }
    case RDB_ENC_LZF:
        return rdb_in_lzf_string(in, out);
    default:
        return rdb_in_fail(in, "unknown string encoding %llu", (unsigned long long)len);
    }
    *out = sds_from_ll(value);
    return true;
}

bool rdb_in_double_binary(RdbIn *in, double *value) {
    const unsigned char *p;
    if (!rdb_in_bytes(in, 8, &p)) return false;
    memcpy(value, p, 8);
    return true;
}

bool rdb_in_double_text(RdbIn *in, double *value) {
    unsigned len;
    const unsigned char *p;
    if (!rdb_in_u8(in, &len)) return false;
    if (len == RDB_DOUBLE_NAN) return rdb_in_fail(in, "NaN score");
    if (len == RDB_DOUBLE_POS_INF) {
        *value = INFINITY;
        return true;
    }
    if (len == RDB_DOUBLE_NEG_INF) {
        *value = -INFINITY;
        return true;
    }
    if (!rdb_in_bytes(in, len, &p)) return false;
    char buf[256];
    memcpy(buf, p, len);
    buf[len] = '\0';
    char *end;
    *value = strtod(buf, &end);
    if (len == 0 || *end != '\0' || isnan(*value)) return rdb_in_fail(in, "bad score text");
    return true;
}
