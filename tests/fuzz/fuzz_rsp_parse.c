/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/fuzz/fuzz_rsp_parse.c: libFuzzer target for the request parser
 * (net/rsp_parse.c). Built by `make fuzz` / `make fuzz-smoke` with
 * AddressSanitizer and UndefinedBehaviorSanitizer.
 *
 * Input layout: byte 0 picks the limits (bit 0: authenticated; bits 1-2:
 * proto-max-bulk-len of 16, 1 KiB, 1 MiB or 512 MiB), byte 1 how the rest is
 * cut into reads (0: one read; else pieces of 1..N bytes from a generator
 * seeded with it), and the rest is what the client sent.
 *
 * Each input is parsed three times: whole, in pieces, and in pieces carrying
 * on after each protocol error as a fresh connection would. Beyond "no crash,
 * no leak", it checks what must hold for any input: the position never
 * passes the end, pre-AUTH multibulks never hold more than 10 arguments or a
 * bulk above the limits, every error text is one of Valkey's, and (below the
 * 64 KiB line limit, where cutting cannot matter) the commands and first
 * error are the same however the bytes were cut. A violated check aborts, so
 * libFuzzer saves the input.
 *
 * Threads: one (libFuzzer's).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/object.h"
#include "ds/sds.h"
#include "net/rsp_parse.h"
#include "server/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "fuzz_rsp_parse: check failed at line %d: %s\n", __LINE__, #cond);    \
            abort();                                                                              \
        }                                                                                         \
    } while (0)

static const char *const known_errors[] = {
    "Protocol error: too big inline request",
    "Protocol error: unbalanced quotes in request",
    "Protocol error: too big mbulk count string",
    "Protocol error: invalid multibulk length",
    "Protocol error: unauthenticated multibulk length",
    "Protocol error: too big bulk count string",
    "Protocol error: invalid bulk length",
    "Protocol error: unauthenticated bulk length",
    NULL,
};

static void check_error_text(const char *err) {
    FUZZ_ASSERT(err != NULL);
    for (int i = 0; known_errors[i]; i++)
        if (strcmp(err, known_errors[i]) == 0) return;
    /* "Protocol error: expected '$', got 'x'" with any byte for x. */
    static const char prefix[] = "Protocol error: expected '$', got '";
    FUZZ_ASSERT(strncmp(err, prefix, sizeof(prefix) - 1) == 0);
    FUZZ_ASSERT(strlen(err) == sizeof(prefix) + 1 || err[sizeof(prefix) - 1] == '\0');
}

/* Checks what the parser holds against the limits. */
static void check_parser(const RspParser *p, const RspLimits *limits) {
    FUZZ_ASSERT(p->argc >= 0 && p->argc <= p->argv_cap);
    for (int i = 0; i < p->argc; i++) {
        FUZZ_ASSERT(p->argv[i] != NULL && p->argv[i]->ptr != NULL);
        size_t len = sds_len((sds)p->argv[i]->ptr);
        FUZZ_ASSERT(((char *)p->argv[i]->ptr)[len] == '\0');
        if (p->reqtype == RSP_REQ_MULTIBULK) {
            FUZZ_ASSERT((long long)len <= limits->max_bulk_len);
            if (!limits->authenticated) FUZZ_ASSERT(len <= RSP_UNAUTH_MAX_BULK);
        }
    }
    if (p->reqtype == RSP_REQ_MULTIBULK && !limits->authenticated)
        FUZZ_ASSERT(p->argc <= RSP_UNAUTH_MAX_ARGS);
    size_t wanted = rsp_wanted_bytes(p);
    FUZZ_ASSERT(wanted == 0 || (long long)wanted <= limits->max_bulk_len + 2);
}

/* Appends one command to the transcript: argc, then each argument with its
 * length. */
static sds transcript_command(sds out, const RspParser *p) {
    out = sds_cat_printf(out, "C%d", p->argc);
    for (int i = 0; i < p->argc; i++) {
        sds arg = p->argv[i]->ptr;
        out = sds_cat_printf(out, " %zu:", sds_len(arg));
        out = sds_cat_len(out, arg, sds_len(arg));
    }
    return sds_cat_len(out, "\n", 1);
}

typedef struct Session {
    RspParser parser;
    sds qb;     /* the query buffer, trimmed after each read as net/read.c does */
    size_t pos; /* parse position in qb */
    sds out;    /* transcript */
    int errors;
} Session;

/* Parses what is buffered. Returns 1 after a protocol error. */
static int session_drain(Session *s, const RspLimits *limits) {
    while (s->pos < sds_len(s->qb)) {
        const char *err = NULL;
        char errbuf[128];
        size_t before = s->pos;
        RspResult r = rsp_parse(&s->parser, s->qb, sds_len(s->qb), &s->pos, limits, &err, errbuf,
                                sizeof(errbuf));
        FUZZ_ASSERT(s->pos >= before && s->pos <= sds_len(s->qb));
        check_parser(&s->parser, limits);
        if (r == RSP_INCOMPLETE) return 0;
        if (r == RSP_ERROR) {
            check_error_text(err);
            s->out = sds_cat_printf(s->out, "E %s\n", err);
            s->errors++;
            return 1;
        }
        FUZZ_ASSERT(r == RSP_COMMAND);
        FUZZ_ASSERT(s->pos > before); /* a command consumed something */
        s->out = transcript_command(s->out, &s->parser);
        rsp_parser_reset(&s->parser);
    }
    return 0;
}

/* Size of the next read: all of it when seed is 0, else 1..(seed % 64 + 1)
 * bytes from a xorshift generator. */
static size_t next_piece(uint32_t *state, uint8_t seed, size_t left) {
    if (seed == 0) return left;
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    size_t piece = 1 + *state % ((size_t)(seed % 64) + 1);
    return piece < left ? piece : left;
}

/* Feeds input in pieces. With recover, a protocol error drops the buffer and
 * resets the parser and parsing continues (a fresh connection); without, the
 * first error ends it. Returns the transcript (caller frees). */
static sds run(const uint8_t *input, size_t len, const RspLimits *limits, uint8_t seed,
               int recover) {
    Session s = {.pos = 0, .errors = 0};
    rsp_parser_init(&s.parser);
    s.qb = sds_empty();
    s.out = sds_empty();
    uint32_t state = 0x9e3779b9u ^ seed;
    size_t fed = 0;
    while (fed < len) {
        size_t piece = next_piece(&state, seed, len - fed);
        s.qb = sds_cat_len(s.qb, input + fed, piece);
        fed += piece;
        if (session_drain(&s, limits)) {
            if (!recover) break;
            sds_clear(s.qb);
            s.pos = 0;
            rsp_parser_reset(&s.parser);
            FUZZ_ASSERT(s.parser.argc == 0 && rsp_wanted_bytes(&s.parser) == 0);
            continue;
        }
        if (s.pos) {
            sds_consume(s.qb, s.pos);
            s.pos = 0;
        }
    }
    if (s.errors == 0)
        s.out = sds_cat_printf(s.out, "R %zu %d\n", sds_len(s.qb) - s.pos, s.parser.argc);
    rsp_parser_deinit(&s.parser);
    FUZZ_ASSERT(s.parser.argv == NULL && s.parser.argc == 0);
    sds_free(s.qb);
    return s.out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    static const long long max_bulk[] = {16, 1024, 1024 * 1024, 512LL * 1024 * 1024};
    RspLimits limits = {.max_bulk_len = max_bulk[(data[0] >> 1) & 3],
                        .authenticated = data[0] & 1};
    uint8_t seed = data[1];
    const uint8_t *input = data + 2;
    size_t len = size - 2;
    size_t used_before = mem_used();

    sds whole = run(input, len, &limits, 0, 0);
    sds pieces = run(input, len, &limits, seed ? seed : 1, 0);
    /* Beyond 64 KiB a line may be refused in pieces yet accepted whole
     * (Valkey behaves the same), so compare only below. */
    if (len < RSP_INLINE_MAX) FUZZ_ASSERT(sds_cmp(whole, pieces) == 0);
    sds recovered = run(input, len, &limits, seed, 1);
    sds_free(whole);
    sds_free(pieces);
    sds_free(recovered);

    FUZZ_ASSERT(mem_used() == used_before); /* nothing leaked through mem_* */
    return 0;
}
