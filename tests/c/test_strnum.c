/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_strnum.c: strnum_to_ll accepts exactly one spelling per
 * number (Valkey's string2ll rules) and refuses everything else.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "ds/strnum.h"
#include "test.h"

static int parses(const char *text, long long *value) {
    return strnum_to_ll(text, strlen(text), value) == 0;
}

TEST(accepts_canonical_numbers) {
    long long v;
    CHECK(parses("0", &v) && v == 0);
    CHECK(parses("7", &v) && v == 7);
    CHECK(parses("-7", &v) && v == -7);
    CHECK(parses("9223372036854775807", &v) && v == LLONG_MAX);
    CHECK(parses("-9223372036854775808", &v) && v == LLONG_MIN);
}

TEST(refuses_other_spellings) {
    long long v = 42;
    const char *bad[] = {"", "-", "+1", " 1", "1 ", "01", "-0", "-01", "1a", "0x10",
                         "9223372036854775808", "-9223372036854775809",
                         "99999999999999999999", "123456789012345678901", NULL};
    for (int i = 0; bad[i]; i++) {
        if (parses(bad[i], &v)) test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
    }
    CHECK_EQ_INT(42, v); /* untouched on failure */
}

TEST(reads_exactly_len_bytes) {
    long long v;
    CHECK(strnum_to_ll("123\r\n", 3, &v) == 0 && v == 123);
    CHECK(strnum_to_ll("12\0" "3", 4, &v) != 0);
}

TEST(round_trips_random_values_printed_by_printf) {
    srand(7);
    for (int i = 0; i < 100000; i++) {
        long long x = ((long long)rand() << 33) ^ ((long long)rand() << 2) ^ rand();
        if (i % 2) x = -x;
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", x);
        long long back;
        CHECK(parses(buf, &back));
        CHECK(back == x);
    }
}
