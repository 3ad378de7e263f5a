/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/harness.c: runs the tests registered by one C test file (see
 * test.h). Optional argument: a substring; only matching tests run.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

#define MAX_TESTS 512

static struct {
    const char *name;
    TestFn fn;
} tests[MAX_TESTS];
static int test_count;
static jmp_buf test_abort;
static char failure[1024];

void test_register(const char *name, TestFn fn) {
    if (test_count == MAX_TESTS) {
        fprintf(stderr, "too many tests\n");
        exit(2);
    }
    tests[test_count].name = name;
    tests[test_count].fn = fn;
    test_count++;
}

void test_fail(const char *file, int line, const char *fmt, ...) {
    int off = snprintf(failure, sizeof(failure), "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure + off, sizeof(failure) - (size_t)off, fmt, ap);
    va_end(ap);
    longjmp(test_abort, 1);
}

/* Runs test i; returns 1 if it passed. setjmp lives here, with no local
 * changed after it, so longjmp cannot clobber anything. */
static int run_one(int i) {
    failure[0] = '\0';
    if (setjmp(test_abort) != 0) return 0;
    tests[i].fn();
    return 1;
}

int main(int argc, char **argv) {
    const char *filter = argc > 1 ? argv[1] : NULL;
    const char *binary = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int passed = 0, failed = 0;
    for (int i = 0; i < test_count; i++) {
        if (filter && !strstr(tests[i].name, filter)) continue;
        if (run_one(i)) {
            printf("[ok]: %s (%s)\n", tests[i].name, binary);
            passed++;
        } else {
            printf("[err]: %s (%s)\n    %s\n", tests[i].name, binary, failure);
            failed++;
        }
        fflush(stdout);
    }
    printf("c: %d passed, %d failed\n", passed, failed);
    fflush(stdout); /* before LeakSanitizer's exit hook can end the process */
    return failed ? 1 : 0;
}
