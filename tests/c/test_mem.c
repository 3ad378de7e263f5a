/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_mem.c: used_memory accounting stays exact: every allocation
 * adds what the allocator really reserved (mem_size), and frees and
 * reallocs take back exactly that, for every size class.
 */
#include <stdlib.h>

#include "server/mem.h"
#include "test.h"

/* Sizes across the small, large and huge classes, with odd steps. */
static size_t size_at(int i) {
    if (i < 4096) return (size_t)i + 1;
    return 4096 + (size_t)(i - 4096) * 4099;
}

TEST(alloc_adds_exactly_the_usable_size) {
    for (int i = 0; i < 5000; i++) {
        size_t size = size_at(i);
        size_t before = mem_used();
        void *p = (i & 1) ? mem_calloc(size) : mem_alloc(size);
        size_t added = mem_used() - before;
        if (added != mem_size(p))
            test_fail(__FILE__, __LINE__, "size %zu: counted %zu, usable %zu", size, added,
                      mem_size(p));
        mem_free(p);
        if (mem_used() != before)
            test_fail(__FILE__, __LINE__, "size %zu: free left %zd bytes counted", size,
                      (ssize_t)(mem_used() - before));
    }
}

TEST(realloc_and_zero_sizes_balance) {
    size_t before = mem_used();
    void *p = mem_alloc(0);
    for (int i = 0; i < 3000; i += 7) p = mem_realloc(p, size_at(i));
    for (int i = 3000; i > 0; i -= 13) p = mem_realloc(p, size_at(i));
    CHECK(mem_used() - before == mem_size(p));
    mem_free(p);
    CHECK(mem_used() == before);
}
