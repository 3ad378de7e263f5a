/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/strnum.c: strict decimal-to-integer conversion (see strnum.h).
 */
#include "ds/strnum.h"

#include <limits.h>

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
