/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/listpack.c: the listpack byte format (see listpack.h), read, walked,
 * changed and validated.
 *
 * Layout: <total bytes u32 LE> <count u16 LE> <entry>... <0xFF>. An entry is
 * <encoding byte(s)> <data> <backlen>, where backlen is the size of encoding
 * plus data written in 1..5 bytes of 7 bits, most significant byte first
 * (lowest address), every byte but the first with its high bit set, so a
 * reader standing on the last byte can walk back. A count of 65535 means
 * "unknown, walk to count"; lp_length writes the real one back once it is
 * below 65535 again.
 *
 * Every change goes through lp_splice: one realloc and one memmove per
 * change, growing before the move and shrinking after it. Nothing here
 * allocates except the listpack itself (through server/mem.h).
 *
 * Threads: none of its own; a listpack belongs to one thread at a time.
 */
#include "ds/listpack.h"

#include <assert.h>
#include <limits.h>
#include <string.h>

#include "ds/strnum.h"
#include "server/mem.h"

#define LP_HEADER_SIZE 6
#define LP_EOF 0xFF
#define LP_COUNT_UNKNOWN 65535
#define LP_MAX_SAFE_BYTES (1UL << 30)

/* Encoding bytes (the first byte of an entry). */
#define LP_ENC_7BIT_UINT_MASK 0x80 /* 0xxxxxxx */
#define LP_ENC_6BIT_STR 0x80       /* 10xxxxxx */
#define LP_ENC_13BIT_INT 0xC0      /* 110xxxxx yyyyyyyy */
#define LP_ENC_12BIT_STR 0xE0      /* 1110xxxx yyyyyyyy */
#define LP_ENC_32BIT_STR 0xF0
#define LP_ENC_16BIT_INT 0xF1
#define LP_ENC_24BIT_INT 0xF2
#define LP_ENC_32BIT_INT 0xF3
#define LP_ENC_64BIT_INT 0xF4

/* ---- header ---- */

static inline uint32_t lp_read_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void lp_write_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static inline unsigned lp_header_count(const unsigned char *lp) {
    return (unsigned)lp[4] | (unsigned)lp[5] << 8;
}

static inline void lp_set_header_count(unsigned char *lp, unsigned long count) {
    unsigned v = count >= LP_COUNT_UNKNOWN ? LP_COUNT_UNKNOWN : (unsigned)count;
    lp[4] = (unsigned char)v;
    lp[5] = (unsigned char)(v >> 8);
}

size_t lp_bytes(const unsigned char *lp) {
    return lp_read_u32(lp);
}

/* ---- entry sizes ---- */

/* Bytes of encoding plus data of the entry at p (p must be an entry). */
static inline uint32_t lp_encoded_size(const unsigned char *p) {
    unsigned char b = p[0];
    if (b < 0x80) return 1;
    if (b < 0xC0) return 1u + (b & 0x3F);
    if (b < 0xE0) return 2;
    if (b < 0xF0) return 2u + (((uint32_t)(b & 0x0F) << 8) | p[1]);
    switch (b) {
    case LP_ENC_32BIT_STR: return 5u + lp_read_u32(p + 1);
    case LP_ENC_16BIT_INT: return 3;
    case LP_ENC_24BIT_INT: return 4;
    case LP_ENC_32BIT_INT: return 5;
    case LP_ENC_64BIT_INT: return 9;
    default: return 1; /* EOF; invalid codes never get past lp_validate */
    }
}

/* Bytes the back-length of an entry of encoded size len takes. The bounds
 * are the format's own (Valkey writes 16383 with three bytes). */
static inline uint32_t lp_backlen_size(uint64_t len) {
    if (len <= 127) return 1;
    if (len < 16383) return 2;
    if (len < 2097151) return 3;
    if (len < 268435455) return 4;
    return 5;
}

static void lp_write_backlen(unsigned char *buf, uint64_t len) {
    uint32_t n = lp_backlen_size(len);
    /* The last byte holds the low 7 bits; each byte to its left the next 7;
     * all but the leftmost carry the continuation bit. */
    for (uint32_t i = n; i-- > 0;) {
        buf[i] = (unsigned char)(len & 127) | (i == 0 ? 0 : 128);
        len >>= 7;
    }
}

/* Reads the back-length ending at p (the last byte of it). */
static inline uint64_t lp_read_backlen(const unsigned char *p, uint32_t *size) {
    uint64_t value = 0;
    unsigned shift = 0;
    uint32_t n = 0;
    for (;;) {
        value |= (uint64_t)(p[0] & 127) << shift;
        n++;
        if (!(p[0] & 128)) break;
        shift += 7;
        p--;
    }
    if (size) *size = n;
    return value;
}

/* Whole entry size: encoding, data and back-length. */
static inline uint32_t lp_entry_size(const unsigned char *p) {
    uint32_t encoded = lp_encoded_size(p);
    return encoded + lp_backlen_size(encoded);
}

/* ---- encoding an element ---- */

/* An element ready to be written: head is the whole encoding of an integer,
 * or the length prefix of a string whose bytes are at data. */
typedef struct LpEncoded {
    unsigned char head[9];
    uint32_t head_len;
    const unsigned char *data;
    uint32_t data_len;
} LpEncoded;

static void lp_encode_int(LpEncoded *enc, long long v) {
    unsigned char *h = enc->head;
    enc->data = NULL;
    enc->data_len = 0;
    if (v >= 0 && v <= 127) {
        h[0] = (unsigned char)v;
        enc->head_len = 1;
    } else if (v >= -4096 && v <= 4095) {
        uint32_t u = v < 0 ? (uint32_t)((1 << 13) + v) : (uint32_t)v;
        h[0] = (unsigned char)(LP_ENC_13BIT_INT | (u >> 8));
        h[1] = (unsigned char)u;
        enc->head_len = 2;
    } else {
        unsigned bytes;
        if (v >= -32768 && v <= 32767) {
            h[0] = LP_ENC_16BIT_INT, bytes = 2;
        } else if (v >= -8388608 && v <= 8388607) {
            h[0] = LP_ENC_24BIT_INT, bytes = 3;
        } else if (v >= INT32_MIN && v <= INT32_MAX) {
            h[0] = LP_ENC_32BIT_INT, bytes = 4;
        } else {
            h[0] = LP_ENC_64BIT_INT, bytes = 8;
        }
        uint64_t u = (uint64_t)v; /* two's complement, truncated to bytes */
        for (unsigned i = 0; i < bytes; i++) h[1 + i] = (unsigned char)(u >> (8 * i));
        enc->head_len = 1 + bytes;
    }
}

static void lp_encode(LpEncoded *enc, const unsigned char *s, size_t len) {
    long long v;
    if (len <= 20 && strnum_to_ll((const char *)s, len, &v) == 0) {
        lp_encode_int(enc, v);
        return;
    }
    assert(len <= UINT32_MAX);
    unsigned char *h = enc->head;
    if (len < 64) {
        h[0] = (unsigned char)(LP_ENC_6BIT_STR | len);
        enc->head_len = 1;
    } else if (len < 4096) {
        h[0] = (unsigned char)(LP_ENC_12BIT_STR | (len >> 8));
        h[1] = (unsigned char)len;
        enc->head_len = 2;
    } else {
        h[0] = LP_ENC_32BIT_STR;
        lp_write_u32(h + 1, (uint32_t)len);
        enc->head_len = 5;
    }
    enc->data = s;
    enc->data_len = (uint32_t)len;
}

static inline uint32_t lp_encoded_total(const LpEncoded *enc) {
    uint32_t encoded = enc->head_len + enc->data_len;
    return encoded + lp_backlen_size(encoded);
}

static void lp_write_encoded(unsigned char *dst, const LpEncoded *enc) {
    memcpy(dst, enc->head, enc->head_len);
    if (enc->data_len) memcpy(dst + enc->head_len, enc->data, enc->data_len);
    lp_write_backlen(dst + enc->head_len + enc->data_len, enc->head_len + enc->data_len);
}

/* ---- the one place that changes bytes ---- */

/* Replaces del_bytes (del_count entries) at offset with ins (NULL: nothing).
 * *at, when not NULL, gets the address of offset in the new listpack, or
 * NULL when that is the terminator. ins->data must not point into lp. */
static unsigned char *lp_splice(unsigned char *lp, size_t offset, size_t del_bytes,
                                unsigned long del_count, const LpEncoded *ins,
                                unsigned char **at) {
    size_t old_bytes = lp_bytes(lp);
    size_t ins_bytes = ins ? lp_encoded_total(ins) : 0;
    size_t new_bytes = old_bytes - del_bytes + ins_bytes;
    size_t tail = old_bytes - offset - del_bytes; /* includes the terminator */
    assert(new_bytes <= UINT32_MAX);
    unsigned old_count = lp_header_count(lp);

    if (ins_bytes > del_bytes) {
        if (new_bytes > mem_size(lp)) lp = mem_realloc(lp, new_bytes);
        memmove(lp + offset + ins_bytes, lp + offset + del_bytes, tail);
    } else if (ins_bytes < del_bytes) {
        memmove(lp + offset + ins_bytes, lp + offset + del_bytes, tail);
        lp = mem_realloc(lp, new_bytes);
    }
    if (ins) lp_write_encoded(lp + offset, ins);
    lp_write_u32(lp, (uint32_t)new_bytes);
    if (old_count != LP_COUNT_UNKNOWN)
        lp_set_header_count(lp, old_count - del_count + (ins ? 1 : 0));
    if (at) *at = lp[offset] == LP_EOF ? NULL : lp + offset;
    return lp;
}

/* ---- creating ---- */

unsigned char *lp_new(size_t capacity) {
    size_t bytes = LP_HEADER_SIZE + 1;
    unsigned char *lp = mem_alloc(capacity > bytes ? capacity : bytes);
    lp_write_u32(lp, (uint32_t)bytes);
    lp_set_header_count(lp, 0);
    lp[LP_HEADER_SIZE] = LP_EOF;
    return lp;
}

void lp_free(unsigned char *lp) {
    mem_free(lp);
}

unsigned char *lp_dup(const unsigned char *lp) {
    size_t bytes = lp_bytes(lp);
    unsigned char *copy = mem_alloc(bytes);
    memcpy(copy, lp, bytes);
    return copy;
}

unsigned long lp_length(const unsigned char *lp) {
    unsigned count = lp_header_count(lp);
    if (count != LP_COUNT_UNKNOWN) return count;
    unsigned long n = 0;
    const unsigned char *p = lp + LP_HEADER_SIZE;
    while (*p != LP_EOF) {
        p += lp_entry_size(p);
        n++;
    }
    /* Cache it when it fits again; the listpack is writable even though
     * readers see it as const (it is only ever heap memory). */
    if (n < LP_COUNT_UNKNOWN) lp_set_header_count((unsigned char *)lp, n);
    return n;
}

bool lp_safe_to_add(const unsigned char *lp, size_t add) {
    size_t bytes = lp ? lp_bytes(lp) : 0;
    return bytes + add <= LP_MAX_SAFE_BYTES;
}

/* ---- walking ---- */

unsigned char *lp_first(unsigned char *lp) {
    unsigned char *p = lp + LP_HEADER_SIZE;
    return *p == LP_EOF ? NULL : p;
}

unsigned char *lp_next(unsigned char *lp, unsigned char *p) {
    (void)lp;
    p += lp_entry_size(p);
    return *p == LP_EOF ? NULL : p;
}

unsigned char *lp_prev(unsigned char *lp, unsigned char *p) {
    if (p == lp + LP_HEADER_SIZE) return NULL;
    uint32_t backlen_size;
    uint64_t encoded = lp_read_backlen(p - 1, &backlen_size);
    return p - backlen_size - encoded;
}

unsigned char *lp_last(unsigned char *lp) {
    unsigned char *eof = lp + lp_bytes(lp) - 1;
    return lp_prev(lp, eof);
}

unsigned char *lp_seek(unsigned char *lp, long index) {
    unsigned long count = lp_length(lp);
    if (index < 0) index += (long)count;
    if (index < 0 || (unsigned long)index >= count) return NULL;
    unsigned long i = (unsigned long)index;
    unsigned char *p;
    if (i <= count / 2) {
        p = lp + LP_HEADER_SIZE;
        while (i--) p += lp_entry_size(p);
    } else {
        p = lp_last(lp);
        for (unsigned long back = count - 1 - i; back; back--) p = lp_prev(lp, p);
    }
    return p;
}

/* ---- reading ---- */

/* Sign-extends the low bits of u. */
static inline long long lp_sign_extend(uint64_t u, unsigned bits) {
    uint64_t sign = 1ULL << (bits - 1);
    return (long long)((u ^ sign) - sign);
}

void lp_get(const unsigned char *p, LpEntry *e) {
    unsigned char b = p[0];
    if (b < 0x80) {
        e->str = NULL, e->len = 0, e->ival = b;
    } else if (b < 0xC0) {
        e->str = p + 1, e->len = b & 0x3F, e->ival = 0;
    } else if (b < 0xE0) {
        e->str = NULL, e->len = 0;
        e->ival = lp_sign_extend(((uint64_t)(b & 0x1F) << 8) | p[1], 13);
    } else if (b < 0xF0) {
        e->str = p + 2, e->len = ((uint32_t)(b & 0x0F) << 8) | p[1], e->ival = 0;
    } else if (b == LP_ENC_32BIT_STR) {
        e->str = p + 5, e->len = lp_read_u32(p + 1), e->ival = 0;
    } else {
        unsigned bytes = b == LP_ENC_16BIT_INT   ? 2
                         : b == LP_ENC_24BIT_INT ? 3
                         : b == LP_ENC_32BIT_INT ? 4
                                                 : 8;
        uint64_t u = 0;
        for (unsigned i = 0; i < bytes; i++) u |= (uint64_t)p[1 + i] << (8 * i);
        e->str = NULL, e->len = 0;
        e->ival = bytes == 8 ? (long long)u : lp_sign_extend(u, bytes * 8);
    }
}

const unsigned char *lp_get_bytes(const unsigned char *p, unsigned char *buf, size_t *len) {
    LpEntry e;
    lp_get(p, &e);
    if (e.str) {
        *len = e.len;
        return e.str;
    }
    *len = strnum_from_ll((char *)buf, e.ival);
    return buf;
}

/* True when the entry at p is a string (not an integer). */
static inline bool lp_is_string(unsigned char b) {
    return (b >= 0x80 && b < 0xC0) || (b >= 0xE0 && b < 0xF0) || b == LP_ENC_32BIT_STR;
}

bool lp_equals(const unsigned char *p, const unsigned char *s, size_t len) {
    LpEntry e;
    lp_get(p, &e);
    if (e.str) return e.len == len && (len == 0 || memcmp(e.str, s, len) == 0);
    long long v;
    /* An integer's only spelling is the canonical one strnum accepts. */
    return len <= 20 && strnum_to_ll((const char *)s, len, &v) == 0 && v == e.ival;
}

unsigned char *lp_find(unsigned char *lp, unsigned char *p, const unsigned char *s, size_t len,
                       unsigned skip) {
    (void)lp;
    if (p == NULL) return NULL;
    int s_is_int = -1; /* parsed lazily: -1 not yet, 0 no, 1 yes */
    long long s_value = 0;
    unsigned skipping = 0;
    while (*p != LP_EOF) {
        unsigned char b = p[0];
        uint32_t encoded;
        if (skipping == 0) {
            if (lp_is_string(b)) {
                uint32_t head = b < 0xC0 ? 1 : b < 0xF0 ? 2 : 5;
                uint32_t slen = b < 0xC0   ? (uint32_t)(b & 0x3F)
                                : b < 0xF0 ? ((uint32_t)(b & 0x0F) << 8 | p[1])
                                           : lp_read_u32(p + 1);
                if (slen == len && (len == 0 || memcmp(p + head, s, len) == 0)) return p;
                encoded = head + slen;
            } else {
                if (s_is_int < 0)
                    s_is_int = len <= 20 && strnum_to_ll((const char *)s, len, &s_value) == 0;
                if (s_is_int) {
                    LpEntry e;
                    lp_get(p, &e);
                    if (e.ival == s_value) return p;
                }
                encoded = lp_encoded_size(p);
            }
            skipping = skip;
        } else {
            encoded = lp_encoded_size(p);
            skipping--;
        }
        p += encoded + lp_backlen_size(encoded);
    }
    return NULL;
}

/* ---- changing ---- */

unsigned char *lp_append(unsigned char *lp, const unsigned char *s, size_t len) {
    LpEncoded enc;
    lp_encode(&enc, s, len);
    return lp_splice(lp, lp_bytes(lp) - 1, 0, 0, &enc, NULL);
}

unsigned char *lp_prepend(unsigned char *lp, const unsigned char *s, size_t len) {
    LpEncoded enc;
    lp_encode(&enc, s, len);
    return lp_splice(lp, LP_HEADER_SIZE, 0, 0, &enc, NULL);
}

unsigned char *lp_append_int(unsigned char *lp, long long value) {
    LpEncoded enc;
    lp_encode_int(&enc, value);
    return lp_splice(lp, lp_bytes(lp) - 1, 0, 0, &enc, NULL);
}

unsigned char *lp_insert(unsigned char *lp, unsigned char *p, int where, const unsigned char *s,
                         size_t len, unsigned char **newp) {
    LpEncoded enc;
    lp_encode(&enc, s, len);
    size_t offset;
    if (p == NULL || *p == LP_EOF) {
        offset = lp_bytes(lp) - 1;
    } else {
        offset = (size_t)(p - lp);
        if (where == LP_AFTER) offset += lp_entry_size(p);
    }
    return lp_splice(lp, offset, 0, 0, &enc, newp);
}

unsigned char *lp_replace(unsigned char *lp, unsigned char **p, const unsigned char *s,
                          size_t len) {
    LpEncoded enc;
    lp_encode(&enc, s, len);
    return lp_splice(lp, (size_t)(*p - lp), lp_entry_size(*p), 1, &enc, p);
}

unsigned char *lp_replace_int(unsigned char *lp, unsigned char **p, long long value) {
    LpEncoded enc;
    lp_encode_int(&enc, value);
    return lp_splice(lp, (size_t)(*p - lp), lp_entry_size(*p), 1, &enc, p);
}

unsigned char *lp_delete(unsigned char *lp, unsigned char **p) {
    return lp_splice(lp, (size_t)(*p - lp), lp_entry_size(*p), 1, NULL, p);
}

unsigned char *lp_delete_range_at(unsigned char *lp, unsigned char **p, unsigned long count) {
    unsigned char *end = *p;
    unsigned long n = 0;
    while (n < count && *end != LP_EOF) {
        end += lp_entry_size(end);
        n++;
    }
    if (n == 0) return lp;
    return lp_splice(lp, (size_t)(*p - lp), (size_t)(end - *p), n, NULL, p);
}

unsigned char *lp_delete_range(unsigned char *lp, long index, unsigned long count) {
    unsigned char *p = lp_seek(lp, index);
    if (p == NULL || count == 0) return lp;
    return lp_delete_range_at(lp, &p, count);
}

unsigned char *lp_merge(unsigned char *a, unsigned char *b) {
    size_t a_bytes = lp_bytes(a), b_bytes = lp_bytes(b);
    size_t b_entries = b_bytes - LP_HEADER_SIZE - 1;
    unsigned a_count = lp_header_count(a), b_count = lp_header_count(b);
    size_t new_bytes = a_bytes + b_entries;
    assert(new_bytes <= UINT32_MAX);
    if (new_bytes > mem_size(a)) a = mem_realloc(a, new_bytes);
    memcpy(a + a_bytes - 1, b + LP_HEADER_SIZE, b_entries + 1); /* entries and terminator */
    lp_write_u32(a, (uint32_t)new_bytes);
    if (a_count == LP_COUNT_UNKNOWN || b_count == LP_COUNT_UNKNOWN)
        lp_set_header_count(a, LP_COUNT_UNKNOWN);
    else
        lp_set_header_count(a, (unsigned long)a_count + b_count);
    lp_free(b);
    return a;
}

/* ---- checking ---- */

/* Checks the entry at p, which lies before end (the terminator's address).
 * Returns its whole size, or 0 when it is malformed or overruns end. */
static size_t lp_validate_entry(const unsigned char *p, const unsigned char *end) {
    size_t avail = (size_t)(end - p);
    unsigned char b = p[0];
    uint64_t encoded;
    if (b < 0xC0) {
        encoded = b < 0x80 ? 1 : 1u + (b & 0x3F);
    } else if (b < 0xF0) {
        if (avail < 2) return 0;
        encoded = b < 0xE0 ? 2 : 2u + (((uint32_t)(b & 0x0F) << 8) | p[1]);
    } else if (b == LP_ENC_32BIT_STR) {
        if (avail < 5) return 0;
        encoded = 5u + (uint64_t)lp_read_u32(p + 1);
    } else if (b >= LP_ENC_16BIT_INT && b <= LP_ENC_64BIT_INT) {
        encoded = b == LP_ENC_16BIT_INT ? 3 : b == LP_ENC_24BIT_INT ? 4 : b == LP_ENC_32BIT_INT ? 5 : 9;
    } else {
        return 0; /* 0xF5..0xFE are unused, 0xFF is the terminator */
    }
    uint64_t total = encoded + lp_backlen_size(encoded);
    if (total > avail) return 0;
    /* The writer's back-length is canonical, so compare bytes instead of
     * decoding: decoding walks left until a byte without the high bit and
     * could leave the buffer on corrupt input. */
    unsigned char expected[5];
    lp_write_backlen(expected, encoded);
    if (memcmp(p + encoded, expected, lp_backlen_size(encoded)) != 0) return 0;
    return (size_t)total;
}

bool lp_validate(const unsigned char *lp, size_t size) {
    if (lp == NULL || size < LP_HEADER_SIZE + 1) return false;
    if (lp_read_u32(lp) != size || lp[size - 1] != LP_EOF) return false;
    const unsigned char *end = lp + size - 1;
    const unsigned char *p = lp + LP_HEADER_SIZE;
    unsigned long count = 0;
    while (p < end) {
        size_t entry = lp_validate_entry(p, end);
        if (entry == 0) return false;
        p += entry;
        count++;
    }
    unsigned header = lp_header_count(lp);
    return header == LP_COUNT_UNKNOWN || header == count;
}
