/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/sds.c: binary-safe growable strings (see sds.h).
 *
 * One header layout (two size_t) for every size: simpler and faster to
 * reason about than size-classed headers; the 16 bytes matter little next to
 * allocator rounding. Growth doubles up to 1 MiB and then adds 1 MiB, so a
 * query buffer that receives a large bulk in many reads is copied O(log n)
 * times rather than once per read.
 */
#include "ds/sds.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "server/mem.h"

#define SDS_MAX_PREALLOC (1024 * 1024)

static sds sds_alloc_raw(size_t capacity) {
    SdsHeader *hdr = mem_alloc(sizeof(SdsHeader) + capacity + 1);
    /* Use whatever the allocator rounded up to; it is ours anyway. */
    size_t usable = mem_size(hdr) - sizeof(SdsHeader) - 1;
    hdr->len = 0;
    hdr->alloc = usable;
    hdr->buf[0] = '\0';
    return hdr->buf;
}

sds sds_new_len(const void *init, size_t len) {
    sds s = sds_alloc_raw(len);
    if (len) {
        if (init)
            memcpy(s, init, len);
        else
            memset(s, 0, len);
    }
    s[len] = '\0';
    SDS_HDR(s)->len = len;
    return s;
}

sds sds_new(const char *init) {
    return sds_new_len(init, init ? strlen(init) : 0);
}

sds sds_empty(void) {
    return sds_new_len("", 0);
}

sds sds_with_capacity(size_t capacity) {
    return sds_alloc_raw(capacity);
}

sds sds_dup(const sds s) {
    return sds_new_len(s, sds_len(s));
}

sds sds_from_ll(long long value) {
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%lld", value);
    return sds_new_len(buf, (size_t)len);
}

void sds_free(sds s) {
    if (s) mem_free(SDS_HDR(s));
}

sds sds_make_room(sds s, size_t addlen) {
    if (sds_avail(s) >= addlen) return s;
    size_t len = sds_len(s);
    size_t want = len + addlen;
    if (want < SDS_MAX_PREALLOC)
        want *= 2;
    else
        want += SDS_MAX_PREALLOC;
    SdsHeader *hdr = mem_realloc(SDS_HDR(s), sizeof(SdsHeader) + want + 1);
    hdr->alloc = mem_size(hdr) - sizeof(SdsHeader) - 1;
    return hdr->buf;
}

sds sds_make_room_exact(sds s, size_t addlen) {
    if (sds_avail(s) >= addlen) return s;
    SdsHeader *hdr = mem_realloc(SDS_HDR(s), sizeof(SdsHeader) + sds_len(s) + addlen + 1);
    hdr->alloc = mem_size(hdr) - sizeof(SdsHeader) - 1;
    return hdr->buf;
}

void sds_incr_len(sds s, long incr) {
    SdsHeader *hdr = SDS_HDR(s);
    hdr->len = (size_t)((long)hdr->len + incr);
    s[hdr->len] = '\0';
}

void sds_clear(sds s) {
    SDS_HDR(s)->len = 0;
    s[0] = '\0';
}

void sds_consume(sds s, size_t count) {
    size_t len = sds_len(s);
    if (count >= len) {
        sds_clear(s);
        return;
    }
    memmove(s, s + count, len - count);
    SDS_HDR(s)->len = len - count;
    s[len - count] = '\0';
}

void sds_keep_range(sds s, size_t start, size_t len) {
    size_t cur = sds_len(s);
    if (start >= cur) {
        sds_clear(s);
        return;
    }
    if (len > cur - start) len = cur - start; /* also safe for len = SIZE_MAX */
    if (start) memmove(s, s + start, len);
    SDS_HDR(s)->len = len;
    s[len] = '\0';
}

sds sds_shrink(sds s) {
    SdsHeader *hdr = mem_realloc(SDS_HDR(s), sizeof(SdsHeader) + sds_len(s) + 1);
    hdr->alloc = mem_size(hdr) - sizeof(SdsHeader) - 1;
    return hdr->buf;
}

sds sds_cat_len(sds s, const void *t, size_t len) {
    s = sds_make_room(s, len);
    size_t cur = sds_len(s);
    memcpy(s + cur, t, len);
    SDS_HDR(s)->len = cur + len;
    s[cur + len] = '\0';
    return s;
}

sds sds_cat(sds s, const char *t) {
    return sds_cat_len(s, t, strlen(t));
}

sds sds_cat_sds(sds s, const sds t) {
    return sds_cat_len(s, t, sds_len(t));
}

sds sds_copy_len(sds s, const char *t, size_t len) {
    sds_clear(s);
    return sds_cat_len(s, t, len);
}

sds sds_cat_vprintf(sds s, const char *fmt, va_list ap) {
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int needed = vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (needed < 0) return s;
    if ((size_t)needed < sizeof(small)) return sds_cat_len(s, small, (size_t)needed);
    s = sds_make_room(s, (size_t)needed + 1);
    vsnprintf(s + sds_len(s), (size_t)needed + 1, fmt, ap);
    sds_incr_len(s, needed);
    return s;
}

sds sds_cat_printf(sds s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = sds_cat_vprintf(s, fmt, ap);
    va_end(ap);
    return s;
}

sds sds_cat_repr(sds s, const char *p, size_t len) {
    s = sds_cat_len(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)p[i];
        switch (ch) {
        case '\\': s = sds_cat_len(s, "\\\\", 2); break;
        case '"': s = sds_cat_len(s, "\\\"", 2); break;
        case '\n': s = sds_cat_len(s, "\\n", 2); break;
        case '\r': s = sds_cat_len(s, "\\r", 2); break;
        case '\t': s = sds_cat_len(s, "\\t", 2); break;
        case '\a': s = sds_cat_len(s, "\\a", 2); break;
        case '\b': s = sds_cat_len(s, "\\b", 2); break;
        default:
            if (isprint(ch))
                s = sds_cat_len(s, (const char *)&ch, 1);
            else
                s = sds_cat_printf(s, "\\x%02x", ch);
        }
    }
    return sds_cat_len(s, "\"", 1);
}

void sds_to_upper(sds s) {
    size_t len = sds_len(s);
    for (size_t i = 0; i < len; i++) s[i] = (char)toupper((unsigned char)s[i]);
}

void sds_to_lower(sds s) {
    size_t len = sds_len(s);
    for (size_t i = 0; i < len; i++) s[i] = (char)tolower((unsigned char)s[i]);
}

int sds_cmp(const sds a, const sds b) {
    size_t la = sds_len(a), lb = sds_len(b);
    int cmp = memcmp(a, b, la < lb ? la : lb);
    if (cmp) return cmp;
    return la < lb ? -1 : (la > lb ? 1 : 0);
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads one double-quoted token starting after the opening quote. Returns
 * the position after the closing quote, or NULL if unbalanced. */
static const char *split_double_quoted(const char *p, const char *end, sds *out) {
    while (p < end) {
        if (*p == '\\' && p + 3 < end && p[1] == 'x' && hex_value(p[2]) >= 0 &&
            hex_value(p[3]) >= 0) {
            char byte = (char)(hex_value(p[2]) * 16 + hex_value(p[3]));
            *out = sds_cat_len(*out, &byte, 1);
            p += 4;
        } else if (*p == '\\' && p + 1 < end) {
            char c;
            switch (p[1]) {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'a': c = '\a'; break;
            default: c = p[1]; break;
            }
            *out = sds_cat_len(*out, &c, 1);
            p += 2;
        } else if (*p == '"') {
            return p + 1;
        } else {
            *out = sds_cat_len(*out, p, 1);
            p++;
        }
    }
    return NULL;
}

static const char *split_single_quoted(const char *p, const char *end, sds *out) {
    while (p < end) {
        if (*p == '\\' && p + 1 < end && p[1] == '\'') {
            *out = sds_cat_len(*out, "'", 1);
            p += 2;
        } else if (*p == '\'') {
            return p + 1;
        } else {
            *out = sds_cat_len(*out, p, 1);
            p++;
        }
    }
    return NULL;
}

sds *sds_split_args(const char *line, size_t len, int *argc) {
    const char *p = line, *end = line + len;
    sds *argv = NULL;
    int count = 0, cap = 0;
    *argc = 0;
    for (;;) {
        while (p < end && isspace((unsigned char)*p)) p++;
        if (p >= end) break;
        sds token = sds_empty();
        while (p < end && !isspace((unsigned char)*p)) {
            if (*p == '"' || *p == '\'') {
                p = (*p == '"') ? split_double_quoted(p + 1, end, &token)
                                : split_single_quoted(p + 1, end, &token);
                /* A closing quote must end the token. */
                if (p == NULL || (p < end && !isspace((unsigned char)*p))) {
                    sds_free(token);
                    sds_free_split(argv, count);
                    return NULL;
                }
            } else {
                token = sds_cat_len(token, p, 1);
                p++;
            }
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 4;
            argv = mem_realloc(argv, sizeof(sds) * (size_t)cap);
        }
        argv[count++] = token;
    }
    if (argv == NULL) argv = mem_alloc(sizeof(sds));
    *argc = count;
    return argv;
}

void sds_free_split(sds *argv, int argc) {
    if (argv == NULL) return;
    for (int i = 0; i < argc; i++) sds_free(argv[i]);
    mem_free(argv);
}
