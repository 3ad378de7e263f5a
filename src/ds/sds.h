/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/sds.h: binary-safe growable strings.
 *
 * An sds is a char * to NUL-terminated bytes preceded by a small header
 * holding the length and the capacity, so it can be passed to C string
 * functions and still hold zero bytes. Functions that may grow the string
 * return the (possibly moved) pointer: always use the returned value.
 *
 * Threads: none of its own; an sds belongs to whoever holds it.
 */
#ifndef KEEL_DS_SDS_H
#define KEEL_DS_SDS_H

#include <stdarg.h>
#include <stddef.h>

typedef char *sds;

typedef struct SdsHeader {
    size_t len;   /* bytes in use, not counting the terminating NUL */
    size_t alloc; /* bytes available for content, not counting the NUL */
    char buf[];
} SdsHeader;

#define SDS_HDR(s) ((SdsHeader *)((s) - sizeof(SdsHeader)))

static inline size_t sds_len(const sds s) {
    return SDS_HDR(s)->len;
}
static inline size_t sds_avail(const sds s) {
    return SDS_HDR(s)->alloc - SDS_HDR(s)->len;
}
static inline size_t sds_alloc_size(const sds s) {
    return SDS_HDR(s)->alloc;
}

/* Returns a new string with len bytes from init (NULL: zeroed). */
sds sds_new_len(const void *init, size_t len);
sds sds_new(const char *init);
sds sds_empty(void);
/* New string with room for capacity bytes, length 0. */
sds sds_with_capacity(size_t capacity);
sds sds_dup(const sds s);
sds sds_from_ll(long long value);
void sds_free(sds s);

/* Ensures room for addlen more bytes (grows geometrically up to 1 MiB steps). */
sds sds_make_room(sds s, size_t addlen);
/* Like sds_make_room, but grows to exactly what is asked (no doubling):
 * for buffers whose next size is known, such as a read of 16 KiB. */
sds sds_make_room_exact(sds s, size_t addlen);
/* Adjusts the length after writing into the free space (may be negative). */
void sds_incr_len(sds s, long incr);
/* Sets the length to 0 without freeing. */
void sds_clear(sds s);
/* Drops the first count bytes. */
void sds_consume(sds s, size_t count);
/* Keeps bytes [start, start+len). */
void sds_keep_range(sds s, size_t start, size_t len);
/* Releases unused capacity. */
sds sds_shrink(sds s);

sds sds_cat_len(sds s, const void *t, size_t len);
sds sds_cat(sds s, const char *t);
sds sds_cat_sds(sds s, const sds t);
sds sds_cat_printf(sds s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
sds sds_cat_vprintf(sds s, const char *fmt, va_list ap);
/* Appends a double-quoted, escaped rendering of p (as Valkey's sdscatrepr). */
sds sds_cat_repr(sds s, const char *p, size_t len);
sds sds_copy_len(sds s, const char *t, size_t len);

void sds_to_lower(sds s);
void sds_to_upper(sds s);
int sds_cmp(const sds a, const sds b);

/* Splits a line into arguments like a shell: spaces separate, "double"
 * quotes take \n \r \t \b \a \\ \" \xHH escapes, 'single' quotes take \'.
 * Returns a new array of *argc strings (free with sds_free_split), or NULL on
 * unbalanced quotes or a quote not followed by a space. An empty line gives
 * a non-NULL array with *argc = 0. */
sds *sds_split_args(const char *line, size_t len, int *argc);
void sds_free_split(sds *argv, int argc);

#endif
