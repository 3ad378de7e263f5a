/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test.h: a minimal unit-test harness for keel's C tests.
 *
 * A test file defines functions with TEST(name) { ... } and checks with
 * CHECK(cond) / CHECK_EQ_INT / CHECK_EQ_STR; tests register themselves at
 * load time (constructor attribute) and harness.c runs them all, printing
 * "[ok]"/"[err]" lines and a closing "c: N passed, M failed" line for the
 * binary. A failed CHECK stops that test and records the file and line.
 */
#ifndef KEEL_TESTS_C_TEST_H
#define KEEL_TESTS_C_TEST_H

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

typedef void (*TestFn)(void);
void test_register(const char *name, TestFn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

#define TEST(name)                                                                                \
    static void test_##name(void);                                                                \
    __attribute__((constructor)) static void test_register_##name(void) {                        \
        test_register(#name, test_##name);                                                        \
    }                                                                                             \
    static void test_##name(void)

#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (!(cond)) test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                          \
    } while (0)

#define CHECK_EQ_INT(expected, actual)                                                            \
    do {                                                                                          \
        long long e_ = (long long)(expected), a_ = (long long)(actual);                           \
        if (e_ != a_)                                                                             \
            test_fail(__FILE__, __LINE__, "%s == %s: expected %lld, got %lld", #expected,        \
                      #actual, e_, a_);                                                           \
    } while (0)

#define CHECK_EQ_STR(expected, actual)                                                            \
    do {                                                                                          \
        const char *e_ = (expected), *a_ = (actual);                                              \
        if (a_ == NULL || strcmp(e_, a_) != 0)                                                    \
            test_fail(__FILE__, __LINE__, "%s: expected \"%s\", got \"%s\"", #actual, e_,         \
                      a_ ? a_ : "(null)");                                                        \
    } while (0)

#endif
