/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/bitops.c: SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP, the bit
 * kernels they run on (population count, first set/clear bit), and the
 * helpers BITFIELD shares (types/bitmap.h).
 *
 * Bitmaps can be 512MB, so the kernels work a 64-bit word at a time: the
 * population count uses the CPU's popcnt instruction when it has one (chosen
 * once at first use), BITPOS skips whole words of the bit it is not looking
 * for, and BITOP combines sources word by word. Loads go through memcpy, so
 * any alignment is fine. Argument checks and their order follow Valkey 8.0,
 * since clients see which error comes first.
 *
 * Threads: main only.
 */
#include "types/bitmap.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "db/evict.h"
#include "db/lazyfree.h"
#include "db/notify.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/mem.h"

#define ERR_BIT_VALUE "bit is not an integer or out of range"
#define ERR_NOT_INTEGER "value is not an integer or out of range"
#define ERR_BITPOS_BIT "The bit argument must be 1 or 0."
#define ERR_BITOP_NOT "BITOP NOT must be called with a single source key."

/* ---- kernels ---- */

static inline uint64_t load_word(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, sizeof(w));
    return w;
}

static inline void store_word(unsigned char *p, uint64_t w) {
    memcpy(p, &w, sizeof(w));
}

/* Four independent sums, so the popcnt latency of one word overlaps the
 * next ones. Inlined into both variants below, which differ only in the
 * instructions the compiler may use for __builtin_popcountll. */
static inline __attribute__((always_inline)) uint64_t popcount_body(const unsigned char *p,
                                                                    size_t len) {
    uint64_t a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        a += (uint64_t)__builtin_popcountll(load_word(p + i));
        b += (uint64_t)__builtin_popcountll(load_word(p + i + 8));
        c += (uint64_t)__builtin_popcountll(load_word(p + i + 16));
        d += (uint64_t)__builtin_popcountll(load_word(p + i + 24));
    }
    for (; i + 8 <= len; i += 8) a += (uint64_t)__builtin_popcountll(load_word(p + i));
    for (; i < len; i++) b += (uint64_t)__builtin_popcount(p[i]);
    return a + b + c + d;
}

static uint64_t popcount_portable(const unsigned char *p, size_t len) {
    return popcount_body(p, len);
}

#if defined(__x86_64__) || defined(__i386__)
/* The build targets baseline x86-64, which lacks popcnt: without this
 * variant __builtin_popcountll becomes a library call per word. */
__attribute__((target("popcnt"))) static uint64_t popcount_hw(const unsigned char *p, size_t len) {
    return popcount_body(p, len);
}

static uint64_t (*choose_popcount(void))(const unsigned char *, size_t) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("popcnt") ? popcount_hw : popcount_portable;
}
#else
static uint64_t (*choose_popcount(void))(const unsigned char *, size_t) {
    return popcount_portable;
}
#endif

/* Number of bits set in p[0..len). */
static uint64_t popcount(const unsigned char *p, size_t len) {
    static uint64_t (*impl)(const unsigned char *, size_t); /* main thread only */
    if (impl == NULL) impl = choose_popcount();
    return impl(p, len);
}

/* Index of the first byte of p[0..len) that differs from skip (0x00 or
 * 0xff), or len. */
static size_t skip_bytes(const unsigned char *p, size_t len, unsigned char skip) {
    uint64_t skip_word = skip ? UINT64_MAX : 0;
    size_t i = 0;
    while (i + 32 <= len && ((load_word(p + i) ^ skip_word) | (load_word(p + i + 8) ^ skip_word) |
                             (load_word(p + i + 16) ^ skip_word) |
                             (load_word(p + i + 24) ^ skip_word)) == 0)
        i += 32;
    while (i + 8 <= len && load_word(p + i) == skip_word) i += 8;
    while (i < len && p[i] == skip) i++;
    return i;
}

static inline int bit_at(const unsigned char *p, uint64_t pos) {
    return (p[pos >> 3] >> (7 - (pos & 7))) & 1;
}

/* Position of the first bit equal to bit in bits [first, last] of p (both
 * inside the string), or -1. */
static long long find_bit(const unsigned char *p, uint64_t first, uint64_t last, int bit) {
    uint64_t pos = first;
    for (; pos <= last && (pos & 7); pos++)
        if (bit_at(p, pos) == bit) return (long long)pos;
    uint64_t from_byte = pos >> 3, end_byte = (last + 1) >> 3; /* whole bytes in range */
    if (pos <= last && from_byte < end_byte) {
        unsigned char skip = bit ? 0x00 : 0xff;
        uint64_t i = from_byte + skip_bytes(p + from_byte, end_byte - from_byte, skip);
        if (i < end_byte) {
            unsigned byte = (unsigned)(p[i] ^ skip); /* the bit we want is now a 1 */
            return (long long)(i * 8 + (uint64_t)(__builtin_clz(byte) - 24));
        }
        pos = end_byte * 8;
    }
    for (; pos <= last; pos++)
        if (bit_at(p, pos) == bit) return (long long)pos;
    return -1;
}

/* Number of bits set in bits [first, last] of p. */
static uint64_t count_bits(const unsigned char *p, uint64_t first, uint64_t last) {
    uint64_t first_byte = first >> 3, last_byte = last >> 3;
    uint64_t count = popcount(p + first_byte, last_byte - first_byte + 1);
    unsigned before = (unsigned)p[first_byte] & ~(0xffu >> (first & 7)) & 0xffu;
    unsigned after = (unsigned)p[last_byte] & (0xffu >> ((last & 7) + 1));
    return count - (uint64_t)__builtin_popcount(before) - (uint64_t)__builtin_popcount(after);
}

/* ---- helpers shared with bitfield.c ---- */

int bitmap_parse_offset(Client *c, const Obj *arg, int field_bits, uint64_t *offset) {
    const char *p = arg->ptr;
    size_t len = obj_string_len(arg);
    size_t skip = (field_bits > 0 && len > 0 && p[0] == '#') ? 1 : 0;
    long long value;
    if (strnum_to_ll(p + skip, len - skip, &value) != 0) goto err;
    if (skip) {
        if (value < 0 || value > LLONG_MAX / field_bits) goto err;
        value *= field_bits;
    }
    if (value < 0 || (value >> 3) >= cfg_proto_max_bulk_len) goto err;
    *offset = (uint64_t)value;
    return 0;

err:
    reply_error(c, BITMAP_ERR_OFFSET);
    return -1;
}

Obj *bitmap_lookup_for_write(Client *c, uint64_t last_bit, bool *grew) {
    Db *db = client_db(c);
    Obj *o = db_lookup_write(db, c->argv[1], LOOKUP_NONE);
    size_t need = (size_t)(last_bit >> 3) + 1;
    if (o == NULL) {
        /* A new bitmap is a RAW string of exactly the bytes asked for, as
         * Valkey creates it (OBJECT ENCODING says "raw"). */
        size_t klen;
        const char *key = obj_key(c->argv[1], &klen);
        o = obj_create_keyed(key, klen, -1, OBJ_STRING, OBJ_ENCODING_RAW, sds_new_len(NULL, need));
        evict_init_object(o);
        db_insert_keyed(db, o);
        *grew = true;
        return o;
    }
    if (o->type != OBJ_STRING) {
        reply_error(c, BITMAP_ERR_WRONGTYPE);
        return NULL;
    }
    o = db_unshare_string(db, o);
    sds s = o->ptr;
    size_t len = sds_len(s);
    *grew = need > len;
    if (*grew) {
        s = sds_make_room(s, need - len);
        memset(s + len, 0, need - len);
        sds_incr_len(s, (long)(need - len));
        o->ptr = s;
    }
    return o;
}

const unsigned char *bitmap_bytes(const Obj *o, char *buf, size_t *len) {
    if (o == NULL) {
        *len = 0;
        return NULL;
    }
    return (const unsigned char *)obj_string_bytes(o, buf, len);
}

/* The string under key for reading: *o is NULL when missing. Returns -1
 * after replying WRONGTYPE. */
static int lookup_string_read(Client *c, Obj *key, Obj **o) {
    *o = db_lookup_read(client_db(c), key, LOOKUP_NONE);
    if (*o != NULL && (*o)->type != OBJ_STRING) {
        reply_error(c, BITMAP_ERR_WRONGTYPE);
        return -1;
    }
    return 0;
}

/* Parses an integer argument, replying err (or Valkey's generic text when
 * NULL) on failure. */
static int parse_ll(Client *c, const Obj *arg, long long *value, const char *err) {
    if (strnum_to_ll(arg->ptr, obj_string_len(arg), value) == 0) return 0;
    reply_error(c, err ? err : ERR_NOT_INTEGER);
    return -1;
}

/* BYTE or BIT (any case). Returns 1 for BIT, 0 for BYTE, -1 after replying
 * a syntax error. */
static int parse_unit(Client *c, const Obj *arg) {
    if (strcasecmp(arg->ptr, "bit") == 0) return 1;
    if (strcasecmp(arg->ptr, "byte") == 0) return 0;
    reply_error_syntax(c);
    return -1;
}

/* Turns start/end (negative: from the end) into indexes within total units,
 * clamped. Returns false when the range is empty. */
static bool clamp_range(long long *start, long long *end, long long total) {
    if (*start < 0) *start += total;
    if (*end < 0) *end += total;
    if (*start < 0) *start = 0;
    if (*end < 0) *end = 0;
    if (*end >= total) *end = total - 1;
    return *start <= *end;
}

/* ---- SETBIT / GETBIT ---- */

/* SETBIT key offset value */
void cmd_setbit(Client *c) {
    uint64_t offset;
    long long value;
    if (bitmap_parse_offset(c, c->argv[2], 0, &offset) != 0) return;
    if (parse_ll(c, c->argv[3], &value, ERR_BIT_VALUE) != 0) return;
    if (value & ~1LL) {
        reply_error(c, ERR_BIT_VALUE);
        return;
    }
    bool grew;
    Obj *o = bitmap_lookup_for_write(c, offset, &grew);
    if (o == NULL) return;
    unsigned char *byte = (unsigned char *)o->ptr + (offset >> 3);
    unsigned mask = 0x80u >> (offset & 7);
    int old = (*byte & mask) != 0;
    if (value) *byte = (unsigned char)(*byte | mask);
    else *byte = (unsigned char)(*byte & ~mask);
    notify_key_changed(c, client_db(c), NOTIFY_STRING, "setbit", c->argv[1]);
    reply_ll(c, old);
}

/* GETBIT key offset */
void cmd_getbit(Client *c) {
    uint64_t offset;
    if (bitmap_parse_offset(c, c->argv[2], 0, &offset) != 0) return;
    Obj *o;
    if (lookup_string_read(c, c->argv[1], &o) != 0) return;
    char buf[24];
    size_t len;
    const unsigned char *p = bitmap_bytes(o, buf, &len);
    int bit = (offset >> 3) < len ? bit_at(p, offset) : 0;
    reply_ll(c, bit);
}

/* ---- BITCOUNT / BITPOS ---- */

/* BITCOUNT key [start [end [BYTE|BIT]]] (end optional since Valkey 8.0) */
void cmd_bitcount(Client *c) {
    long long start = 0, end = -1;
    int is_bit = 0;
    if (c->argc > 5) {
        reply_error_syntax(c);
        return;
    }
    /* Valkey checks start, then the unit, then end. */
    if (c->argc >= 3 && parse_ll(c, c->argv[2], &start, NULL) != 0) return;
    if (c->argc == 5 && (is_bit = parse_unit(c, c->argv[4])) < 0) return;
    if (c->argc >= 4 && parse_ll(c, c->argv[3], &end, NULL) != 0) return;

    Obj *o;
    if (lookup_string_read(c, c->argv[1], &o) != 0) return;
    char buf[24];
    size_t len;
    const unsigned char *p = bitmap_bytes(o, buf, &len);
    if (o == NULL || len == 0) {
        reply_ll(c, 0);
        return;
    }
    /* Both ends negative and reversed: empty, before clamping could make
     * them meet at 0. */
    if (c->argc >= 4 && start < 0 && end < 0 && start > end) {
        reply_ll(c, 0);
        return;
    }
    long long total = is_bit ? (long long)len * 8 : (long long)len;
    if (!clamp_range(&start, &end, total)) {
        reply_ll(c, 0);
        return;
    }
    uint64_t first = is_bit ? (uint64_t)start : (uint64_t)start * 8;
    uint64_t last = is_bit ? (uint64_t)end : (uint64_t)end * 8 + 7;
    reply_ll(c, (long long)count_bits(p, first, last));
}

/* BITPOS key bit [start [end [BYTE|BIT]]] */
void cmd_bitpos(Client *c) {
    long long bit, start = 0, end = -1;
    int is_bit = 0;
    if (parse_ll(c, c->argv[2], &bit, NULL) != 0) return;
    if (bit != 0 && bit != 1) {
        reply_error(c, ERR_BITPOS_BIT);
        return;
    }
    if (c->argc > 6) {
        reply_error_syntax(c);
        return;
    }
    if (c->argc >= 4 && parse_ll(c, c->argv[3], &start, NULL) != 0) return;
    if (c->argc == 6 && (is_bit = parse_unit(c, c->argv[5])) < 0) return;
    if (c->argc >= 5 && parse_ll(c, c->argv[4], &end, NULL) != 0) return;
    bool end_given = c->argc >= 5;

    Obj *o;
    if (lookup_string_read(c, c->argv[1], &o) != 0) return;
    if (o == NULL) { /* an endless run of zeros */
        reply_ll(c, bit ? -1 : 0);
        return;
    }
    char buf[24];
    size_t len;
    const unsigned char *p = bitmap_bytes(o, buf, &len);
    long long total = is_bit ? (long long)len * 8 : (long long)len;
    if (!clamp_range(&start, &end, total)) {
        reply_ll(c, -1); /* an empty range holds neither a 0 nor a 1 */
        return;
    }
    uint64_t first = is_bit ? (uint64_t)start : (uint64_t)start * 8;
    uint64_t last = is_bit ? (uint64_t)end : (uint64_t)end * 8 + 7;
    long long pos = find_bit(p, first, last, (int)bit);
    /* Looking for a 0 without an explicit end, the string counts as padded
     * with zeros on the right: the first bit past the range qualifies. */
    if (pos < 0 && bit == 0 && !end_given) pos = (long long)last + 1;
    reply_ll(c, pos);
}

/* ---- BITOP ---- */

enum BitOp { BITOP_AND, BITOP_OR, BITOP_XOR, BITOP_NOT };

/* One source of BITOP: its bytes (INT values formatted into buf). */
typedef struct BitopSource {
    const unsigned char *p;
    size_t len;
    char buf[24];
} BitopSource;

/* dst[0..len) op= src[0..len), a word at a time. */
static void combine(enum BitOp op, unsigned char *dst, const unsigned char *src, size_t len) {
    size_t i = 0;
    switch (op) {
    case BITOP_AND:
        for (; i + 8 <= len; i += 8) store_word(dst + i, load_word(dst + i) & load_word(src + i));
        for (; i < len; i++) dst[i] &= src[i];
        break;
    case BITOP_OR:
        for (; i + 8 <= len; i += 8) store_word(dst + i, load_word(dst + i) | load_word(src + i));
        for (; i < len; i++) dst[i] |= src[i];
        break;
    case BITOP_XOR:
        for (; i + 8 <= len; i += 8) store_word(dst + i, load_word(dst + i) ^ load_word(src + i));
        for (; i < len; i++) dst[i] ^= src[i];
        break;
    case BITOP_NOT:
        for (; i + 8 <= len; i += 8) store_word(dst + i, ~load_word(src + i));
        for (; i < len; i++) dst[i] = (unsigned char)~src[i];
        break;
    }
}

/* The result of op over the sources, maxlen bytes (shorter sources padded
 * with zeros). Returns a new sds. */
static sds bitop_compute(enum BitOp op, const BitopSource *src, int count, size_t maxlen) {
    sds res = sds_new_len(NULL, maxlen); /* zeroed */
    unsigned char *dst = (unsigned char *)res;
    if (op == BITOP_NOT) {
        combine(op, dst, src[0].p, src[0].len);
        return res;
    }
    if (src[0].len) memcpy(dst, src[0].p, src[0].len);
    for (int k = 1; k < count; k++) {
        combine(op, dst, src[k].p, src[k].len);
        if (op == BITOP_AND) memset(dst + src[k].len, 0, maxlen - src[k].len);
    }
    return res;
}

/* Stores result (an sds of at least one byte) under key as a new RAW
 * string without expire, replacing whatever was there. */
static void bitop_store(Db *db, Obj *key, sds result) {
    db_lookup_write(db, key, LOOKUP_NOTOUCH); /* an expired old value counts as expired */
    size_t klen;
    const char *k = obj_key(key, &klen);
    Obj *o = obj_create_keyed(k, klen, -1, OBJ_STRING, OBJ_ENCODING_RAW, result);
    evict_init_object(o);
    db_insert_keyed(db, o);
}

static int parse_bitop(const Obj *arg, enum BitOp *op) {
    const char *name = arg->ptr;
    if (strcasecmp(name, "and") == 0) *op = BITOP_AND;
    else if (strcasecmp(name, "or") == 0) *op = BITOP_OR;
    else if (strcasecmp(name, "xor") == 0) *op = BITOP_XOR;
    else if (strcasecmp(name, "not") == 0) *op = BITOP_NOT;
    else return -1;
    return 0;
}

/* BITOP AND|OR|XOR|NOT destkey key [key ...] */
void cmd_bitop(Client *c) {
    enum BitOp op;
    if (parse_bitop(c->argv[1], &op) != 0) {
        reply_error_syntax(c);
        return;
    }
    if (op == BITOP_NOT && c->argc != 4) {
        reply_error(c, ERR_BITOP_NOT);
        return;
    }
    int count = c->argc - 3;
    BitopSource inline_sources[8];
    BitopSource *src = count <= 8 ? inline_sources : mem_alloc(sizeof(*src) * (size_t)count);
    Db *db = client_db(c);
    size_t maxlen = 0;
    for (int k = 0; k < count; k++) {
        Obj *o;
        if (lookup_string_read(c, c->argv[k + 3], &o) != 0) goto done;
        src[k].p = bitmap_bytes(o, src[k].buf, &src[k].len);
        if (src[k].len > maxlen) maxlen = src[k].len;
    }
    if (maxlen > 0) {
        bitop_store(db, c->argv[2], bitop_compute(op, src, count, maxlen));
        notify_key_changed(c, db, NOTIFY_STRING, "set", c->argv[2]);
    } else if (db_delete(db, c->argv[2], cfg_lazyfree_lazy_server_del)) {
        notify_key_changed(c, db, NOTIFY_GENERIC, "del", c->argv[2]);
    }
    reply_ll(c, (long long)maxlen);

done:
    if (src != inline_sources) mem_free(src);
}
