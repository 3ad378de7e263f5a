/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/rsp_parse.c: the request parser (see rsp_parse.h).
 *
 * Error texts are Valkey's, since clients and tests match on them. Every
 * length is range-checked before it sizes an allocation, so hostile input
 * can cost at most the limits the operator configured.
 *
 * Threads: none of its own (runs on whichever thread owns the client).
 */
#include "net/rsp_parse.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ds/strnum.h"
#include "server/mem.h"

void rsp_parser_init(RspParser *p) {
    memset(p, 0, sizeof(*p));
    p->bulk_len = -1;
}

void rsp_parser_reset(RspParser *p) {
    for (int i = 0; i < p->argc; i++) obj_decr_ref(p->argv[i]);
    p->argc = 0;
    p->reqtype = RSP_REQ_NONE;
    p->multibulk_left = 0;
    p->bulk_len = -1;
}

void rsp_parser_deinit(RspParser *p) {
    rsp_parser_reset(p);
    mem_free(p->argv);
    p->argv = NULL;
    p->argv_cap = 0;
}

static void argv_reserve(RspParser *p, long long count) {
    /* One slot more than the arguments: an argv handed to an IO thread to
     * be freed ends with a NULL (io_handoff_argv). */
    if (count < p->argv_cap) return;
    /* A huge count is legal but must not pre-allocate a huge array: grow
     * as arguments actually arrive. */
    int cap = count >= 1024 ? 1024 : (int)count + 1;
    if (cap < p->argc + 1) cap = p->argv_cap ? p->argv_cap * 2 : 8;
    if (cap <= p->argv_cap) return;
    p->argv = mem_realloc(p->argv, sizeof(Obj *) * (size_t)cap);
    p->argv_cap = cap;
}

static void argv_push(RspParser *p, const char *data, size_t len) {
    if (p->argc == p->argv_cap) {
        int cap = p->argv_cap ? p->argv_cap * 2 : 8;
        p->argv = mem_realloc(p->argv, sizeof(Obj *) * (size_t)cap);
        p->argv_cap = cap;
    }
    p->argv[p->argc++] = obj_create_string(data, len);
}

static RspResult parse_inline(RspParser *p, const char *buf, size_t len, size_t *pos,
                              const char **err) {
    const char *start = buf + *pos;
    size_t avail = len - *pos;
    const char *nl = memchr(start, '\n', avail);
    if (nl == NULL) {
        if (avail > RSP_INLINE_MAX) {
            *err = "Protocol error: too big inline request";
            return RSP_ERROR;
        }
        return RSP_INCOMPLETE;
    }
    size_t line_len = (size_t)(nl - start);
    size_t consumed = line_len + 1;
    if (line_len && start[line_len - 1] == '\r') line_len--;
    int argc;
    sds *argv = sds_split_args(start, line_len, &argc);
    if (argv == NULL) {
        *err = "Protocol error: unbalanced quotes in request";
        return RSP_ERROR;
    }
    *pos += consumed;
    for (int i = 0; i < argc; i++) argv_push(p, argv[i], sds_len(argv[i]));
    sds_free_split(argv, argc);
    return RSP_COMMAND;
}

/* Reads a "<prefix><number>\r\n" header line at *pos. Returns 1 with the
 * number, 0 if incomplete, -1 if the line is too long (no \r within the
 * limit). */
static int read_header(const char *buf, size_t len, size_t *pos, long long *number, int *parsed_ok) {
    const char *start = buf + *pos;
    size_t avail = len - *pos;
    const char *cr = memchr(start, '\r', avail);
    if (cr == NULL) return avail > RSP_INLINE_MAX ? -1 : 0;
    if ((size_t)(cr - start) + 1 >= avail) return 0; /* need the \n too */
    *parsed_ok = strnum_to_ll(start + 1, (size_t)(cr - start - 1), number) == 0;
    *pos += (size_t)(cr - start) + 2;
    return 1;
}

static RspResult parse_multibulk(RspParser *p, const char *buf, size_t len, size_t *pos,
                                 const RspLimits *limits, const char **err, char *errbuf,
                                 size_t errbuf_len) {
    if (p->multibulk_left == 0) {
        /* Need the "*<count>\r\n" header. */
        long long count = 0;
        int ok = 0;
        int got = read_header(buf, len, pos, &count, &ok);
        if (got < 0) {
            *err = "Protocol error: too big mbulk count string";
            return RSP_ERROR;
        }
        if (got == 0) return RSP_INCOMPLETE;
        if (!ok || count > INT_MAX) {
            *err = "Protocol error: invalid multibulk length";
            return RSP_ERROR;
        }
        if (!limits->authenticated && count > RSP_UNAUTH_MAX_ARGS) {
            *err = "Protocol error: unauthenticated multibulk length";
            return RSP_ERROR;
        }
        if (count <= 0) return RSP_COMMAND; /* empty command, argc 0 */
        p->multibulk_left = count;
        argv_reserve(p, count);
    }
    while (p->multibulk_left > 0) {
        if (p->bulk_len == -1) {
            if (*pos >= len) return RSP_INCOMPLETE;
            if (buf[*pos] != '$') {
                const char *cr = memchr(buf + *pos, '\r', len - *pos);
                if (cr == NULL) {
                    if (len - *pos <= RSP_INLINE_MAX) return RSP_INCOMPLETE;
                    *err = "Protocol error: too big bulk count string";
                    return RSP_ERROR;
                }
                snprintf(errbuf, errbuf_len, "Protocol error: expected '$', got '%c'", buf[*pos]);
                *err = errbuf;
                return RSP_ERROR;
            }
            long long bulk = 0;
            int ok = 0;
            int got = read_header(buf, len, pos, &bulk, &ok);
            if (got < 0) {
                *err = "Protocol error: too big bulk count string";
                return RSP_ERROR;
            }
            if (got == 0) return RSP_INCOMPLETE;
            if (!ok || bulk < 0 || bulk > limits->max_bulk_len) {
                *err = "Protocol error: invalid bulk length";
                return RSP_ERROR;
            }
            if (!limits->authenticated && bulk > RSP_UNAUTH_MAX_BULK) {
                *err = "Protocol error: unauthenticated bulk length";
                return RSP_ERROR;
            }
            p->bulk_len = bulk;
        }
        size_t need = (size_t)p->bulk_len + 2;
        if (len - *pos < need) return RSP_INCOMPLETE;
        argv_push(p, buf + *pos, (size_t)p->bulk_len);
        *pos += need;
        p->bulk_len = -1;
        p->multibulk_left--;
    }
    return RSP_COMMAND;
}

RspResult rsp_parse(RspParser *p, const char *buf, size_t len, size_t *pos, const RspLimits *limits,
                    const char **err, char *errbuf, size_t errbuf_len) {
    if (*pos >= len) return RSP_INCOMPLETE;
    if (p->reqtype == RSP_REQ_NONE) p->reqtype = buf[*pos] == '*' ? RSP_REQ_MULTIBULK : RSP_REQ_INLINE;
    if (p->reqtype == RSP_REQ_INLINE) return parse_inline(p, buf, len, pos, err);
    return parse_multibulk(p, buf, len, pos, limits, err, errbuf, errbuf_len);
}

size_t rsp_wanted_bytes(const RspParser *p) {
    if (p->reqtype == RSP_REQ_MULTIBULK && p->bulk_len >= RSP_BIG_ARG)
        return (size_t)p->bulk_len + 2;
    return 0;
}
