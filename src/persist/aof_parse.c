/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_parse.c: reads commands back from an AOF's bytes: RESP
 * arrays of bulk strings ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), with "#..."
 * annotation lines (Valkey's "#TS:<unix>") skipped. Tells a clean end, a
 * command cut short by the end of the bytes (a crash during a write: the
 * loader may truncate it away) and bytes that are not RESP at all apart.
 *
 * Shared by the loader (persist/aof_load.c) and keel-check-aof.
 *
 * Threads: any (no shared state).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "persist/aof_internal.h"
#include "server/mem.h"

#define AOF_MAX_ARGS (1024 * 1024 * 64)

void aof_reader_init(AofReader *r, const char *p, size_t len) {
    memset(r, 0, sizeof(*r));
    r->p = p;
    r->len = len;
}

bool aof_looks_like_rdb(const char *p, size_t len) {
    return len >= 5 && memcmp(p, "REDIS", 5) == 0;
}

/* A "<prefix><number>\r\n" line at *pos. Returns OK, TRUNCATED or BAD. */
static AofParseResult read_count(AofReader *r, size_t *pos, char prefix, long long *value) {
    const char *start = r->p + *pos;
    size_t left = r->len - *pos;
    const char *nl = memchr(start, '\n', left);
    if (left == 0 || start[0] != prefix) {
        if (left == 0) return AOF_PARSE_TRUNCATED;
        snprintf(r->err, sizeof(r->err), "expected '%c', got '%s%c'", prefix,
                 (unsigned char)start[0] < ' ' ? "\\x" : "", start[0] < ' ' ? '?' : start[0]);
        return AOF_PARSE_BAD;
    }
    if (nl == NULL) {
        /* Digits only so far: the line was cut by the end of the file. */
        for (size_t i = 1; i < left; i++)
            if ((start[i] < '0' || start[i] > '9') && start[i] != '-' && start[i] != '\r') {
                snprintf(r->err, sizeof(r->err), "invalid %c count", prefix);
                return AOF_PARSE_BAD;
            }
        return AOF_PARSE_TRUNCATED;
    }
    size_t line_len = (size_t)(nl - start);
    if (line_len < 2 || start[line_len - 1] != '\r') {
        snprintf(r->err, sizeof(r->err), "invalid %c line", prefix);
        return AOF_PARSE_BAD;
    }
    char digits[24];
    size_t n = line_len - 2;
    if (n == 0 || n >= sizeof(digits)) {
        snprintf(r->err, sizeof(r->err), "invalid %c count", prefix);
        return AOF_PARSE_BAD;
    }
    memcpy(digits, start + 1, n);
    digits[n] = '\0';
    char *end;
    *value = strtoll(digits, &end, 10);
    if (*end != '\0' || *value < 0) {
        snprintf(r->err, sizeof(r->err), "invalid %c count", prefix);
        return AOF_PARSE_BAD;
    }
    *pos += line_len + 1;
    return AOF_PARSE_OK;
}

void aof_args_free(sds *argv, int argc) {
    for (int i = 0; i < argc; i++) sds_free(argv[i]);
    mem_free(argv);
}

AofParseResult aof_reader_next(AofReader *r, sds **out_argv, int *out_argc) {
    /* Annotations: "#TS:<unix>" and any other "#..." line. */
    while (r->pos < r->len && r->p[r->pos] == '#') {
        const char *nl = memchr(r->p + r->pos, '\n', r->len - r->pos);
        if (nl == NULL) return AOF_PARSE_TRUNCATED;
        if (strncmp(r->p + r->pos, "#TS:", 4) == 0) r->ts_last = atoll(r->p + r->pos + 4);
        r->pos = (size_t)(nl - r->p) + 1;
    }
    if (r->pos >= r->len) return AOF_PARSE_END;
    size_t pos = r->pos;
    long long argc;
    AofParseResult res = read_count(r, &pos, '*', &argc);
    if (res != AOF_PARSE_OK) return res;
    if (argc < 1 || argc > AOF_MAX_ARGS) {
        snprintf(r->err, sizeof(r->err), "invalid argument count %lld", argc);
        return AOF_PARSE_BAD;
    }
    /* Never allocate more slots than the bytes left could hold. */
    if ((size_t)argc > (r->len - pos) / 4 + 1) return AOF_PARSE_TRUNCATED;
    sds *argv = mem_alloc(sizeof(sds) * (size_t)argc);
    for (int i = 0; i < argc; i++) {
        long long len;
        res = read_count(r, &pos, '$', &len);
        if (res == AOF_PARSE_OK && (unsigned long long)len + 2 > r->len - pos)
            res = AOF_PARSE_TRUNCATED;
        if (res == AOF_PARSE_OK && memcmp(r->p + pos + len, "\r\n", 2) != 0) {
            snprintf(r->err, sizeof(r->err), "bulk string not followed by CRLF");
            res = AOF_PARSE_BAD;
        }
        if (res != AOF_PARSE_OK) {
            aof_args_free(argv, i);
            return res;
        }
        argv[i] = sds_new_len(r->p + pos, (size_t)len);
        pos += (size_t)len + 2;
    }
    r->pos = pos;
    *out_argv = argv;
    *out_argc = (int)argc;
    return AOF_PARSE_OK;
}
