/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/args.h: argument parsing and number formatting that every data type
 * shares, with Valkey's error texts, so each command file need not repeat
 * them.
 *
 * Parsers reply the error themselves and return false; on success they
 * return true and reply nothing.
 *
 * Threads: main only (they reply to clients).
 */
#ifndef KEEL_TYPES_ARGS_H
#define KEEL_TYPES_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/object.h"
#include "net/client.h"

#define TYPE_ERR_WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define TYPE_ERR_NOT_INTEGER "-ERR value is not an integer or out of range"
#define TYPE_ERR_NOT_FLOAT "-ERR value is not a valid float"

/* Longest text parsed or produced as a long double (Valkey's limit). */
#define LONG_DOUBLE_TEXT_MAX (5 * 1024)
/* Room type_format_double needs. */
#define DOUBLE_TEXT_MAX 64

/* Replies WRONGTYPE and returns true when o exists and is not of type. */
bool type_reply_if_wrongtype(Client *c, const Obj *o, int type);

/* Case-insensitive comparison of an argument with a lower-case word. */
bool type_arg_is(const Obj *arg, const char *word);

/* The argument as a long long ("value is not an integer or out of
 * range" otherwise). */
bool type_arg_ll(Client *c, const Obj *arg, long long *value);
/* The argument as a long long within [min, max]; outside it, err is
 * replied (NULL: the not-an-integer error). */
bool type_arg_ll_range(Client *c, const Obj *arg, long long min, long long max,
                       long long *value, const char *err);
/* The argument as a double: strtod's forms plus "inf", "+inf", "-inf";
 * NaN, spaces and trailing bytes refused ("value is not a valid float"). */
bool type_arg_double(Client *c, const Obj *arg, double *value);
/* Parses len bytes as a double with the rules above; 0 or -1, no reply. */
int type_parse_double(const char *p, size_t len, double *value);
/* Parses len bytes as a long double with Valkey's rules (no leading space,
 * nothing after the number, no NaN, no overflow); 0 or -1, no reply. */
int type_parse_long_double(const char *p, size_t len, long double *value);

/* Writes value as its shortest text that reads back as the same double
 * ("inf", "-inf", "nan" for those). buf has DOUBLE_TEXT_MAX bytes; returns
 * the length. Scores and replies use this. */
size_t type_format_double(char *buf, double value);
/* Writes value as Valkey's human-friendly decimal ("%.17Lf" without the
 * trailing zeros; "-0" as "0"), as INCRBYFLOAT and HINCRBYFLOAT store it.
 * Returns the length, or 0 when it does not fit in size. */
size_t type_format_long_double(char *buf, size_t size, long double value);

/* A SCAN-family cursor as Valkey parses it: a non-negative integer in
 * strict form, or anything strtoull takes whole. Replies "invalid cursor"
 * and returns false otherwise. */
bool type_arg_cursor(Client *c, const Obj *arg, uint64_t *cursor);

#endif
