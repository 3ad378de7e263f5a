/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/mem.c: counted allocation over jemalloc or libc.
 *
 * The count uses the allocator's usable size, so used_memory matches what
 * the allocator really reserved for us, as in Valkey. With jemalloc this is
 * malloc_usable_size from jemalloc itself (Debian's build replaces malloc).
 *
 * Threads: any; the counter is atomic and relaxed (no ordering needed, INFO
 * reads a snapshot).
 */
#include "server/mem.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef KEEL_USE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

static _Atomic size_t used_bytes;
static size_t peak_bytes; /* main thread only */

static void mem_oom(size_t size) {
    fprintf(stderr, "keel: out of memory allocating %zu bytes\n", size);
    fflush(stderr);
    abort();
}

/* The usable size of a fresh allocation of size bytes at ptr. jemalloc
 * computes it from the size class alone (nallocx: arithmetic, no lookup of
 * ptr), which saves a radix-tree walk on every allocation; it equals
 * malloc_usable_size(ptr) for every size (checked by test_mem). */
static inline size_t fresh_usable_size(void *ptr, size_t size) {
#ifdef KEEL_USE_JEMALLOC
    (void)ptr;
    return nallocx(size, 0);
#else
    (void)size;
    return malloc_usable_size(ptr);
#endif
}

static inline void mem_count_add(void *ptr, size_t size) {
    /* relaxed: a pure counter, nothing is published through it */
    atomic_fetch_add_explicit(&used_bytes, fresh_usable_size(ptr, size), memory_order_relaxed);
}

static inline void mem_count_sub(void *ptr) {
    atomic_fetch_sub_explicit(&used_bytes, malloc_usable_size(ptr), memory_order_relaxed);
}

void *mem_alloc(size_t size) {
    if (size == 0) size = 1;
    void *ptr = malloc(size);
    if (ptr == NULL) mem_oom(size);
    mem_count_add(ptr, size);
    return ptr;
}

void *mem_calloc(size_t size) {
    if (size == 0) size = 1;
    void *ptr = calloc(1, size);
    if (ptr == NULL) mem_oom(size);
    mem_count_add(ptr, size);
    return ptr;
}

void *mem_realloc(void *ptr, size_t size) {
    if (ptr == NULL) return mem_alloc(size);
    size_t old = malloc_usable_size(ptr);
    void *grown = realloc(ptr, size ? size : 1);
    if (grown == NULL) mem_oom(size);
    size_t now = malloc_usable_size(grown);
    if (now >= old)
        atomic_fetch_add_explicit(&used_bytes, now - old, memory_order_relaxed);
    else
        atomic_fetch_sub_explicit(&used_bytes, old - now, memory_order_relaxed);
    return grown;
}

void mem_free(void *ptr) {
    if (ptr == NULL) return;
    mem_count_sub(ptr);
    free(ptr);
}

char *mem_strdup(const char *s) {
    size_t len = strlen(s) + 1;
    char *copy = mem_alloc(len);
    memcpy(copy, s, len);
    return copy;
}

size_t mem_size(void *ptr) {
    return ptr ? malloc_usable_size(ptr) : 0;
}

size_t mem_used(void) {
    return atomic_load_explicit(&used_bytes, memory_order_relaxed);
}

size_t mem_rss(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL) return 0;
    unsigned long pages_total = 0, pages_resident = 0;
    int fields = fscanf(f, "%lu %lu", &pages_total, &pages_resident);
    fclose(f);
    if (fields != 2) return 0;
    return (size_t)pages_resident * (size_t)sysconf(_SC_PAGESIZE);
}

#ifdef KEEL_USE_JEMALLOC
const char *mem_allocator_name(void) {
    static char name[64];
    if (name[0] == '\0') {
        const char *version = NULL;
        size_t len = sizeof(version);
        if (mallctl("version", &version, &len, NULL, 0) == 0 && version) {
            /* "5.3.0-0-g54eaed1d..." -> "jemalloc-5.3.0" */
            size_t n = strcspn(version, "-");
            snprintf(name, sizeof(name), "jemalloc-%.*s", (int)n, version);
        } else {
            snprintf(name, sizeof(name), "jemalloc");
        }
    }
    return name;
}

void mem_allocator_stats(MemAllocatorStats *out) {
    uint64_t epoch = 1;
    size_t len = sizeof(epoch);
    mallctl("epoch", &epoch, &len, &epoch, len); /* refresh jemalloc's stats */
    len = sizeof(size_t);
    memset(out, 0, sizeof(*out));
    mallctl("stats.allocated", &out->allocated, &len, NULL, 0);
    len = sizeof(size_t);
    mallctl("stats.active", &out->active, &len, NULL, 0);
    len = sizeof(size_t);
    mallctl("stats.resident", &out->resident, &len, NULL, 0);
}
#else
const char *mem_allocator_name(void) {
    return "libc";
}

void mem_allocator_stats(MemAllocatorStats *out) {
    memset(out, 0, sizeof(*out));
}
#endif

size_t mem_peak(void) {
    return peak_bytes;
}

void mem_update_peak(void) {
    size_t used = mem_used();
    if (used > peak_bytes) peak_bytes = used;
}

void mem_reset_peak(void) {
    peak_bytes = mem_used();
}
