/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/mem.h: the allocator every part of keel uses, with accounting.
 *
 * mem_alloc and friends wrap the process allocator (jemalloc by default,
 * libc with MALLOC=libc) and keep a running count of allocated bytes for
 * INFO memory's used_memory. Allocation failure is fatal: the server logs and
 * aborts instead of running on with a half-built object (as Valkey does).
 *
 * Threads: any. The counter is a relaxed atomic: INFO only needs a snapshot.
 */
#ifndef KEEL_SERVER_MEM_H
#define KEEL_SERVER_MEM_H

#include <stddef.h>

void *mem_alloc(size_t size);
void *mem_calloc(size_t size);
void *mem_realloc(void *ptr, size_t size);
void mem_free(void *ptr);
char *mem_strdup(const char *s);
/* Usable size of an allocation made here. */
size_t mem_size(void *ptr);

/* Bytes currently allocated through mem_*. */
size_t mem_used(void);
/* Resident set size of the process, from /proc/self/statm. */
size_t mem_rss(void);
/* "jemalloc-5.3.0" or "libc". */
const char *mem_allocator_name(void);

/* Allocator-level figures for INFO memory (0 where the allocator has none). */
typedef struct MemAllocatorStats {
    size_t allocated; /* bytes handed out to the program */
    size_t active;    /* bytes in active pages */
    size_t resident;  /* bytes of physically resident allocator pages */
} MemAllocatorStats;
void mem_allocator_stats(MemAllocatorStats *out);

/* Peak of mem_used(), updated by mem_update_peak (cron and INFO). */
size_t mem_peak(void);
void mem_update_peak(void);
/* Restarts peak tracking from the current usage (CONFIG RESETSTAT). Main
 * thread only, like the peak itself. */
void mem_reset_peak(void);

#endif
