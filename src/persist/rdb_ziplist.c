/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_ziplist.c: reads ziplists (lists, hashes and zsets before
 * Redis 7.0, and the nodes of RDB_TYPE_LIST_QUICKLIST) and zipmaps (hashes
 * before Redis 2.6) into listpacks. Every length, offset and back-link is
 * checked against the blob before it is used.
 *
 * Ziplist: u32 total bytes, u32 offset of the last entry, u16 count (65535:
 * unknown), entries, 0xFF. Entry: previous entry's length (1 byte, or 0xFE
 * and a u32), an encoding byte, data. Zipmap: a count byte, then key length,
 * key, value length, a "free" byte, value and that many unused bytes; 0xFF
 * ends it. Multi-byte integers are little-endian, string lengths big-endian.
 *
 * Threads: any.
 */
#include "persist/rdb_ziplist.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ds/listpack.h"

#define ZL_HEADER 10
#define ZL_END 0xFF

/* Decodes the entry at zl[pos]: a string (*str, *len) or an integer
 * (*str NULL). Sets *entry_len. false when it does not fit. */
static bool zl_entry(const unsigned char *zl, size_t size, size_t pos, size_t *entry_len,
                     size_t *prevlen, const unsigned char **str, size_t *len, long long *ival) {
    size_t p = pos;
    if (p >= size) return false;
    if (zl[p] < 254) {
        *prevlen = zl[p];
        p += 1;
    } else {
        if (zl[p] != 254 || size - p < 5) return false;
        uint32_t v;
        memcpy(&v, zl + p + 1, 4);
        *prevlen = v;
        p += 5;
    }
    if (p >= size) return false;
    unsigned char enc = zl[p];
    size_t data = 0;
    *str = NULL;
    if ((enc >> 6) == 0) {
        data = enc & 0x3f;
        p += 1;
    } else if ((enc >> 6) == 1) {
        if (size - p < 2) return false;
        data = ((size_t)(enc & 0x3f) << 8) | zl[p + 1];
        p += 2;
    } else if (enc == 0x80) {
        if (size - p < 5) return false;
        data = ((size_t)zl[p + 1] << 24) | ((size_t)zl[p + 2] << 16) | ((size_t)zl[p + 3] << 8) |
               zl[p + 4];
        p += 5;
    } else {
        size_t n;
        p += 1;
        switch (enc) {
        case 0xC0: n = 2; break;
        case 0xD0: n = 4; break;
        case 0xE0: n = 8; break;
        case 0xF0: n = 3; break;
        case 0xFE: n = 1; break;
        default:
            if (enc >= 0xF1 && enc <= 0xFD) {
                *ival = (enc & 0x0f) - 1;
                *len = 0;
                *entry_len = p - pos;
                return true;
            }
            return false;
        }
        if (size - p < n) return false;
        int64_t v = 0;
        if (n == 1) v = (int8_t)zl[p];
        if (n == 2) { int16_t x; memcpy(&x, zl + p, 2); v = x; }
        if (n == 4) { int32_t x; memcpy(&x, zl + p, 4); v = x; }
        if (n == 8) memcpy(&v, zl + p, 8);
        if (n == 3) {
            int32_t x = (int32_t)((uint32_t)zl[p] << 8 | (uint32_t)zl[p + 1] << 16 |
                                  (uint32_t)zl[p + 2] << 24);
            v = x >> 8;
        }
        *ival = v;
        *len = 0;
        *entry_len = p + n - pos;
        return true;
    }
    if (size - p < data) return false;
    *str = zl + p;
    *len = data;
    *entry_len = p + data - pos;
    return true;
}

unsigned char *rdb_ziplist_to_listpack(const unsigned char *zl, size_t size, char *err,
                                       size_t errlen) {
    if (size < ZL_HEADER + 1) {
        snprintf(err, errlen, "ziplist of %zu bytes is too short", size);
        return NULL;
    }
    uint32_t total, tail;
    uint16_t count;
    memcpy(&total, zl, 4);
    memcpy(&tail, zl + 4, 4);
    memcpy(&count, zl + 8, 2);
    if (total != size || zl[size - 1] != ZL_END || tail >= size) {
        snprintf(err, errlen, "ziplist header does not match its %zu bytes", size);
        return NULL;
    }
    unsigned char *lp = lp_new(size);
    size_t pos = ZL_HEADER, prev_len = 0, seen = 0, last = 0;
    while (pos < size - 1) {
        size_t entry_len, prevlen, len;
        const unsigned char *str;
        long long ival;
        if (!zl_entry(zl, size - 1, pos, &entry_len, &prevlen, &str, &len, &ival) ||
            prevlen != prev_len) {
            snprintf(err, errlen, "bad ziplist entry at byte %zu", pos);
            lp_free(lp);
            return NULL;
        }
        lp = str ? lp_append(lp, str, len) : lp_append_int(lp, ival);
        last = pos;
        prev_len = entry_len;
        pos += entry_len;
        seen++;
    }
    if ((count != UINT16_MAX && count != seen) || (seen > 0 && last != tail)) {
        snprintf(err, errlen, "ziplist count or tail offset is wrong");
        lp_free(lp);
        return NULL;
    }
    return lp;
}

/* A zipmap length at zm[*pos]: 1 byte below 254, or 254 and a u32. */
static bool zm_len(const unsigned char *zm, size_t size, size_t *pos, size_t *len) {
    if (*pos >= size) return false;
    unsigned char b = zm[*pos];
    if (b < 254) {
        *len = b;
        *pos += 1;
        return true;
    }
    if (b != 254 || size - *pos < 5) return false;
    uint32_t v;
    memcpy(&v, zm + *pos + 1, 4);
    *len = v;
    *pos += 5;
    return true;
}

unsigned char *rdb_zipmap_to_listpack(const unsigned char *zm, size_t size, char *err,
                                      size_t errlen) {
    if (size < 2 || zm[size - 1] != ZL_END) {
        snprintf(err, errlen, "zipmap is not terminated");
        return NULL;
    }
    unsigned char *lp = lp_new(size);
    size_t pos = 1;
    while (pos < size - 1) {
        size_t klen, vlen;
        const unsigned char *key;
        if (!zm_len(zm, size - 1, &pos, &klen) || size - 1 - pos < klen) goto bad;
        key = zm + pos;
        pos += klen;
        if (!zm_len(zm, size - 1, &pos, &vlen) || pos >= size - 1) goto bad;
        size_t free_bytes = zm[pos++];
        if (size - 1 - pos < vlen || size - 1 - pos - vlen < free_bytes) goto bad;
        lp = lp_append(lp, key, klen);
        lp = lp_append(lp, zm + pos, vlen);
        pos += vlen + free_bytes;
    }
    return lp;
bad:
    snprintf(err, errlen, "bad zipmap entry at byte %zu", pos);
    lp_free(lp);
    return NULL;
}
