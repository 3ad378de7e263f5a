/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/strnum.c: strict decimal-to-integer conversion (see strnum.h).
 */
#include "ds/strnum.h"

#include <limits.h>
#include <string.h>

int strnum_to_ll(const char *s, size_t len, long long *value) {
    if (len == 0 || len > 20) return -1;
    size_t i = 0;
    int negative = s[0] == '-';
    if (negative) {
        if (len == 1) return -1;
        i = 1;
    }
    if (s[i] == '0' && (len > i + 1 || negative)) return -1; /* "01", "-0" */
    unsigned long long magnitude = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        unsigned digit = (unsigned)(s[i] - '0');
        if (magnitude > (ULLONG_MAX - digit) / 10) return -1;
        magnitude = magnitude * 10 + digit;
    }
    if (negative) {
        if (magnitude > (unsigned long long)LLONG_MAX + 1) return -1;
        *value = magnitude == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)magnitude;
    } else {
        if (magnitude > (unsigned long long)LLONG_MAX) return -1;
        *value = (long long)magnitude;
    }
    return 0;
}

/* Two digits at a time from a 200-byte table: half the divisions of the
 * digit-by-digit loop, which matters for every integer and bulk length in
 * a reply. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

size_t strnum_from_ull(char *buf, unsigned long long value) {
    char tmp[20];
    char *end = tmp + sizeof(tmp);
    char *p = end;
    while (value >= 100) {
        unsigned idx = (unsigned)(value % 100) * 2;
        value /= 100;
        *--p = digit_pairs[idx + 1];
        *--p = digit_pairs[idx];
    }
    if (value < 10) {
        *--p = (char)('0' + value);
    } else {
        unsigned idx = (unsigned)value * 2;
        *--p = digit_pairs[idx + 1];
        *--p = digit_pairs[idx];
    }
    size_t len = (size_t)(end - p);
    memcpy(buf, p, len);
    return len;
}

size_t strnum_from_ll(char *buf, long long value) {
    if (value >= 0) return strnum_from_ull(buf, (unsigned long long)value);
    buf[0] = '-';
    /* -(value + 1) + 1 avoids overflow at LLONG_MIN. */
    unsigned long long magnitude = (unsigned long long)(-(value + 1)) + 1;
    return 1 + strnum_from_ull(buf + 1, magnitude);
}
