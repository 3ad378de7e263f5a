/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/rsp_parse.h: incremental parser for client requests (RESP multibulk
 * and inline commands).
 *
 * The parser never owns the input: the caller passes its query buffer and a
 * position, and the parser advances the position past what it consumed.
 * Arguments are copied into objects, so the buffer can be trimmed between
 * calls. State survives across calls, so a request may arrive a byte at a
 * time.
 *
 * Threads: none of its own; a parser belongs to one client.
 */
#ifndef KEEL_NET_RSP_PARSE_H
#define KEEL_NET_RSP_PARSE_H

#include <stddef.h>

#include "db/object.h"

#define RSP_INLINE_MAX (1024 * 64)        /* longest inline line / header line */
#define RSP_UNAUTH_MAX_ARGS 10            /* multibulk count before AUTH */
#define RSP_UNAUTH_MAX_BULK (1024 * 16)   /* bulk length before AUTH */
#define RSP_BIG_ARG (1024 * 32)           /* bulks this large get exact-size reads */

typedef enum {
    RSP_REQ_NONE = 0,
    RSP_REQ_INLINE,
    RSP_REQ_MULTIBULK,
} RspReqType;

typedef enum {
    RSP_INCOMPLETE = 0, /* need more bytes; *pos points at the unconsumed rest */
    RSP_COMMAND,        /* argv/argc hold a command (argc may be 0: ignore it) */
    RSP_ERROR,          /* protocol error; *err names it; close after replying */
} RspResult;

typedef struct RspLimits {
    long long max_bulk_len; /* proto-max-bulk-len */
    int authenticated;      /* 0: the stricter pre-AUTH limits apply */
} RspLimits;

typedef struct RspParser {
    RspReqType reqtype;
    long long multibulk_left; /* arguments still to read */
    long long bulk_len;       /* length of the bulk being read, -1 = need header */
    int argc;
    int argv_cap;
    Obj **argv; /* owned by the parser until rsp_take_argv */
} RspParser;

void rsp_parser_init(RspParser *p);
/* Frees argv and resets the state. */
void rsp_parser_reset(RspParser *p);
void rsp_parser_deinit(RspParser *p);

/* Parses from buf[*pos..len). On RSP_ERROR, *err is a constant such as
 * "Protocol error: invalid bulk length" (without the "ERR " prefix) or a
 * formatted message in errbuf. */
RspResult rsp_parse(RspParser *p, const char *buf, size_t len, size_t *pos, const RspLimits *limits,
                    const char **err, char *errbuf, size_t errbuf_len);

/* Bytes the next read should try to bring in so a big bulk lands in one
 * piece (0 = no preference). */
size_t rsp_wanted_bytes(const RspParser *p);

#endif
