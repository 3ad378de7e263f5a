/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/bitfield.c: BITFIELD and BITFIELD_RO: signed (i1..i64) and
 * unsigned (u1..u63) integers at any bit offset of a string, read with GET,
 * written with SET and INCRBY under the OVERFLOW policy in force (WRAP,
 * SAT or FAIL).
 *
 * The whole command is parsed before the key is touched, so a bad argument
 * anywhere changes nothing; a write then grows the string once, to the
 * farthest bit any SET or INCRBY reaches. Fields are big-endian at bit
 * granularity, as SETBIT numbers bits (bit 0 is the top bit of byte 0), and
 * span at most 9 bytes, so they are read and written a byte at a time.
 *
 * Threads: main only.
 */
#include "types/bitmap.h"

#include <strings.h>

#include "db/db.h"
#include "db/notify.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/mem.h"

#define ERR_TYPE "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
#define ERR_OVERFLOW_TYPE "Invalid OVERFLOW type specified"
#define ERR_RO_GET_ONLY "BITFIELD_RO only supports the GET subcommand"
#define ERR_NOT_INTEGER "value is not an integer or out of range"

typedef enum FieldOpKind { FIELD_GET, FIELD_SET, FIELD_INCRBY } FieldOpKind;
typedef enum Overflow { OVERFLOW_WRAP, OVERFLOW_SAT, OVERFLOW_FAIL } Overflow;

/* One parsed subcommand. */
typedef struct FieldOp {
    uint64_t offset;  /* first bit of the field */
    int64_t value;    /* SET: the new value; INCRBY: the increment */
    FieldOpKind kind;
    Overflow overflow; /* the OVERFLOW policy in force where the op appeared */
    int bits;          /* width, 1..64 */
    bool is_signed;
} FieldOp;

/* ---- reading and writing fields ---- */

/* The unsigned value of the bits-wide field at offset; bytes at or past len
 * read as zero. */
static uint64_t field_read(const unsigned char *p, size_t len, uint64_t offset, int bits) {
    uint64_t value = 0;
    uint64_t pos = offset;
    int left = bits;
    while (left > 0) {
        int room = 8 - (int)(pos & 7); /* bits of this byte from pos on */
        int take = room < left ? room : left;
        unsigned byte = (pos >> 3) < len ? p[pos >> 3] : 0;
        unsigned chunk = (byte >> (room - take)) & ((1u << take) - 1);
        value = (value << take) | chunk;
        pos += (uint64_t)take;
        left -= take;
    }
    return value;
}

/* Stores the low bits of value into the field at offset (inside p). */
static void field_write(unsigned char *p, uint64_t offset, int bits, uint64_t value) {
    uint64_t pos = offset;
    int left = bits;
    while (left > 0) {
        int room = 8 - (int)(pos & 7);
        int take = room < left ? room : left;
        int shift = room - take;
        unsigned mask = ((1u << take) - 1) << shift;
        unsigned chunk = (unsigned)(value >> (left - take)) & ((1u << take) - 1);
        unsigned char *byte = p + (pos >> 3);
        *byte = (unsigned char)((*byte & ~mask) | (chunk << shift));
        pos += (uint64_t)take;
        left -= take;
    }
}

/* Reads the low bits of raw as a two's complement number of that width. */
static int64_t sign_extend(uint64_t raw, int bits) {
    if (bits == 64) return (int64_t)raw;
    uint64_t high = UINT64_MAX << bits;
    return (int64_t)((raw >> (bits - 1)) & 1 ? raw | high : raw & ~high);
}

/* ---- overflow ---- */

/* The value a signed field takes for base + incr (SET: incr 0). Returns
 * false when it overflows under FAIL (nothing is written then). */
static bool signed_result(int64_t base, int64_t incr, int bits, Overflow overflow, int64_t *out) {
    int64_t max = bits == 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (bits - 1)) - 1);
    int64_t min = -max - 1;
    int64_t sum;
    int direction = 0; /* +1 above max, -1 below min */
    if (__builtin_add_overflow(base, incr, &sum)) direction = incr > 0 ? 1 : -1;
    else if (sum > max) direction = 1;
    else if (sum < min) direction = -1;
    /* Valkey computes max - value in 64 bits to compare against; for a SET
     * far enough below min that this overflows, it takes the value as too
     * big, and SAT stores max. Clients see that, so keel does the same. */
    if (direction < 0 && incr == 0 && (uint64_t)max - (uint64_t)base > (uint64_t)INT64_MAX)
        direction = 1;
    if (direction == 0) {
        *out = sum;
        return true;
    }
    switch (overflow) {
    case OVERFLOW_FAIL: return false;
    case OVERFLOW_SAT: *out = direction > 0 ? max : min; return true;
    case OVERFLOW_WRAP: *out = sign_extend((uint64_t)base + (uint64_t)incr, bits); return true;
    }
    return false;
}

/* The value an unsigned field (bits <= 63) takes: SET stores value read
 * as unsigned (so -1 is far above any maximum, as in Valkey), INCRBY adds
 * value to old. Returns false when it overflows under FAIL. */
static bool unsigned_result(const FieldOp *op, uint64_t old, uint64_t *out) {
    uint64_t max = (UINT64_C(1) << op->bits) - 1;
    int direction = 0;
    uint64_t target;
    if (op->kind == FIELD_SET) {
        target = (uint64_t)op->value;
        if (target > max) direction = 1;
    } else {
        int64_t sum;
        target = old + (uint64_t)op->value; /* wraps modulo 2^64, fine for WRAP */
        if (__builtin_add_overflow((int64_t)old, op->value, &sum)) direction = 1;
        else if (sum < 0) direction = -1;
        else if ((uint64_t)sum > max) direction = 1;
    }
    if (direction == 0) {
        *out = target;
        return true;
    }
    switch (op->overflow) {
    case OVERFLOW_FAIL: return false;
    case OVERFLOW_SAT: *out = direction > 0 ? max : 0; return true;
    case OVERFLOW_WRAP: *out = target & max; return true;
    }
    return false;
}

/* ---- parsing ---- */

/* i1..i64 or u1..u63. Returns 0, or -1 after replying ERR_TYPE. */
static int parse_type(Client *c, const Obj *arg, bool *is_signed, int *bits) {
    const char *p = arg->ptr;
    size_t len = obj_string_len(arg);
    long long width;
    if (len < 2 || (p[0] != 'i' && p[0] != 'u') || strnum_to_ll(p + 1, len - 1, &width) != 0)
        goto err;
    *is_signed = p[0] == 'i';
    if (width < 1 || width > (*is_signed ? 64 : 63)) goto err;
    *bits = (int)width;
    return 0;

err:
    reply_error(c, ERR_TYPE);
    return -1;
}

static int parse_overflow(const Obj *arg, Overflow *overflow) {
    if (strcasecmp(arg->ptr, "wrap") == 0) *overflow = OVERFLOW_WRAP;
    else if (strcasecmp(arg->ptr, "sat") == 0) *overflow = OVERFLOW_SAT;
    else if (strcasecmp(arg->ptr, "fail") == 0) *overflow = OVERFLOW_FAIL;
    else return -1;
    return 0;
}

/* Parses the subcommands from argv[2] on into ops (room for argc / 3).
 * Returns the count, or -1 after replying an error. *last_write_bit is the
 * farthest bit a SET or INCRBY touches; *writes says whether there is one. */
static int parse_ops(Client *c, FieldOp *ops, bool *writes, uint64_t *last_write_bit) {
    Overflow overflow = OVERFLOW_WRAP;
    int count = 0;
    *writes = false;
    *last_write_bit = 0;
    for (int j = 2; j < c->argc; j++) {
        int rest = c->argc - j - 1; /* arguments after this one */
        const char *name = c->argv[j]->ptr;
        FieldOp *op = &ops[count];
        if (strcasecmp(name, "get") == 0 && rest >= 2) op->kind = FIELD_GET;
        else if (strcasecmp(name, "set") == 0 && rest >= 3) op->kind = FIELD_SET;
        else if (strcasecmp(name, "incrby") == 0 && rest >= 3) op->kind = FIELD_INCRBY;
        else if (strcasecmp(name, "overflow") == 0 && rest >= 1) {
            if (parse_overflow(c->argv[++j], &overflow) != 0) {
                reply_error(c, ERR_OVERFLOW_TYPE);
                return -1;
            }
            continue;
        } else {
            reply_error_syntax(c);
            return -1;
        }
        if (parse_type(c, c->argv[j + 1], &op->is_signed, &op->bits) != 0) return -1;
        if (bitmap_parse_offset(c, c->argv[j + 2], op->bits, &op->offset) != 0) return -1;
        op->overflow = overflow;
        op->value = 0;
        if (op->kind != FIELD_GET) {
            long long value;
            if (strnum_to_ll(c->argv[j + 3]->ptr, obj_string_len(c->argv[j + 3]), &value) != 0) {
                reply_error(c, ERR_NOT_INTEGER);
                return -1;
            }
            op->value = value;
            *writes = true;
            uint64_t last = op->offset + (uint64_t)op->bits - 1;
            if (last > *last_write_bit) *last_write_bit = last;
        }
        j += op->kind == FIELD_GET ? 2 : 3;
        count++;
    }
    return count;
}

/* ---- running ---- */

static void reply_get(Client *c, const FieldOp *op, const unsigned char *p, size_t len) {
    uint64_t raw = field_read(p, len, op->offset, op->bits);
    reply_ll(c, op->is_signed ? sign_extend(raw, op->bits) : (long long)raw);
}

/* Runs a SET or INCRBY on the string s (long enough) and replies: SET the
 * old value, INCRBY the new one, null when OVERFLOW FAIL refused it. */
static void run_write(Client *c, const FieldOp *op, unsigned char *s, size_t len) {
    uint64_t old_raw = field_read(s, len, op->offset, op->bits);
    uint64_t new_raw;
    long long reply_value;
    if (op->is_signed) {
        int64_t old = sign_extend(old_raw, op->bits), result;
        bool ok = op->kind == FIELD_SET ? signed_result(op->value, 0, op->bits, op->overflow, &result)
                                        : signed_result(old, op->value, op->bits, op->overflow, &result);
        if (!ok) {
            reply_null(c);
            return;
        }
        new_raw = (uint64_t)result;
        reply_value = op->kind == FIELD_SET ? old : result;
    } else {
        if (!unsigned_result(op, old_raw, &new_raw)) {
            reply_null(c);
            return;
        }
        reply_value = (long long)(op->kind == FIELD_SET ? old_raw : new_raw);
    }
    field_write(s, op->offset, op->bits, new_raw);
    reply_ll(c, reply_value);
}

static void bitfield_generic(Client *c, bool read_only) {
    FieldOp inline_ops[8];
    size_t room = (size_t)c->argc / 3 + 1; /* every op takes at least 3 arguments */
    FieldOp *ops = room <= 8 ? inline_ops : mem_alloc(sizeof(*ops) * room);
    bool writes;
    uint64_t last_write_bit;
    int count = parse_ops(c, ops, &writes, &last_write_bit);
    if (count < 0) goto done;

    Obj *o;
    if (!writes) {
        o = db_lookup_read(client_db(c), c->argv[1], LOOKUP_NONE);
        if (o != NULL && o->type != OBJ_STRING) {
            reply_error(c, BITMAP_ERR_WRONGTYPE);
            goto done;
        }
    } else {
        if (read_only) {
            reply_error(c, ERR_RO_GET_ONLY);
            goto done;
        }
        bool grew;
        o = bitmap_lookup_for_write(c, last_write_bit, &grew);
        if (o == NULL) goto done;
    }

    reply_array_len(c, count);
    char buf[24];
    size_t len;
    const unsigned char *p = bitmap_bytes(o, buf, &len);
    for (int i = 0; i < count; i++) {
        if (ops[i].kind == FIELD_GET) reply_get(c, &ops[i], p, len);
        else run_write(c, &ops[i], (unsigned char *)o->ptr, len); /* o is RAW here */
    }
    if (writes) notify_key_changed(c, client_db(c), NOTIFY_STRING, "setbit", c->argv[1]);

done:
    if (ops != inline_ops) mem_free(ops);
}

/* BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset
 * value | INCRBY type offset increment ...] */
void cmd_bitfield(Client *c) {
    bitfield_generic(c, false);
}

/* BITFIELD_RO key [GET type offset ...] */
void cmd_bitfield_ro(Client *c) {
    bitfield_generic(c, true);
}
