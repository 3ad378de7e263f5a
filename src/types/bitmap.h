/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/bitmap.h: the bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS,
 * BITOP in types/bitops.c; BITFIELD, BITFIELD_RO in types/bitfield.c) and
 * the helpers the two files share.
 *
 * A bitmap is an ordinary string value: bit 0 is the most significant bit
 * of the first byte, and bytes past the end of the string read as zero.
 * Writers make the stored string RAW (db_unshare_string) and grow it with
 * zero bytes, so SETBIT and BITFIELD never copy the whole value.
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_BITMAP_H
#define KEEL_TYPES_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/object.h"
#include "net/client.h"

/* ---- commands ---- */

void cmd_setbit(Client *c);
void cmd_getbit(Client *c);
void cmd_bitcount(Client *c);
void cmd_bitpos(Client *c);
void cmd_bitop(Client *c);
void cmd_bitfield(Client *c);
void cmd_bitfield_ro(Client *c);

/* ---- shared by bitops.c and bitfield.c ---- */

/* Valkey's error texts, without the "-ERR " that reply_error adds. */
#define BITMAP_ERR_WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define BITMAP_ERR_OFFSET "bit offset is not an integer or out of range"

/* Parses a bit offset argument: a non-negative integer whose byte
 * (offset / 8) is below proto-max-bulk-len (512MB by default). When
 * field_bits > 0 (BITFIELD), "#N" is accepted too and means N * field_bits.
 * Returns 0 with *offset set, or -1 after replying BITMAP_ERR_OFFSET. */
int bitmap_parse_offset(Client *c, const Obj *arg, int field_bits, uint64_t *offset);

/* The string under c->argv[1] made writable and at least last_bit + 1 bits
 * long (new bytes are zero), creating the key when missing. Returns the
 * stored object (RAW: o->ptr is its sds), with *grew set when the key was
 * created or lengthened; or NULL after replying WRONGTYPE. */
Obj *bitmap_lookup_for_write(Client *c, uint64_t last_bit, bool *grew);

/* The bytes of a string value (o may be NULL: no bytes). INT values are
 * formatted into buf (at least 24 bytes). */
const unsigned char *bitmap_bytes(const Obj *o, char *buf, size_t *len);

#endif
