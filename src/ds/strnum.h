/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/strnum.h: strict conversion of decimal text to integers, with Valkey's
 * rules (as its string2ll): an optional '-', digits, no spaces, no '+', no
 * leading zeros ("0" alone is fine, "-0" and "01" are not), no overflow.
 * Each number has exactly one spelling, so protocol lengths, command
 * arguments and config values all accept the same texts.
 *
 * Threads: any (pure functions).
 */
#ifndef KEEL_DS_STRNUM_H
#define KEEL_DS_STRNUM_H

#include <stddef.h>

/* Parses exactly len bytes at s. Returns 0 with *value set, or -1 (value
 * untouched). */
int strnum_to_ll(const char *s, size_t len, long long *value);

/* Writes the decimal form of value to buf (at least 21 bytes, no NUL
 * added) and returns its length. */
size_t strnum_from_ll(char *buf, long long value);
/* As strnum_from_ll for an unsigned value (buf at least 20 bytes). */
size_t strnum_from_ull(char *buf, unsigned long long value);

#endif
