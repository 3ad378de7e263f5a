/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_rsp_parse.c: tests for the request parser (net/rsp_parse.c).
 *
 * Valid input is fed three ways (whole, byte by byte, random splits), with
 * and without trimming the consumed bytes between reads as net/read.c does,
 * and the commands it yields must match both what the generator encoded and
 * what a naive reference parser, which sees the whole buffer at once, finds.
 * Every protocol error is checked for its exact Valkey text, fed the same
 * three ways. Randomness comes from fixed seeds, so a failure reproduces.
 */
#include "test.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "db/object.h"
#include "ds/sds.h"
#include "net/rsp_parse.h"
#include "server/mem.h"

/* ---- helpers ---------------------------------------------------------- */

static uint64_t rng_next(uint64_t *state) {
    /* splitmix64: fine statistics, one line of state, reproducible. */
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t rng_below(uint64_t *state, size_t bound) {
    return (size_t)(rng_next(state) % bound);
}

static const RspLimits AUTHED = {.max_bulk_len = 512LL * 1024 * 1024, .authenticated = 1};
static const RspLimits UNAUTHED = {.max_bulk_len = 512LL * 1024 * 1024, .authenticated = 0};

/* One argument as "len:hex", independent of sds_cat_repr. */
static sds transcript_arg(sds out, const char *p, size_t len) {
    static const char digits[] = "0123456789abcdef";
    out = sds_cat_printf(out, " %zu:", len);
    for (size_t i = 0; i < len; i++) {
        char hex[2] = {digits[(unsigned char)p[i] >> 4], digits[(unsigned char)p[i] & 15]};
        out = sds_cat_len(out, hex, 2);
    }
    return out;
}

static sds transcript_parsed(sds out, const RspParser *p) {
    out = sds_cat_printf(out, "argc=%d", p->argc);
    for (int i = 0; i < p->argc; i++) {
        sds arg = p->argv[i]->ptr;
        out = transcript_arg(out, arg, sds_len(arg));
    }
    return sds_cat(out, "\n");
}

typedef enum { FEED_WHOLE, FEED_BYTES, FEED_RANDOM } FeedMode;

/* Parses everything buffered; appends to *out. Returns 1 after an error. */
static int feed_drain(RspParser *p, sds qb, size_t *pos, const RspLimits *limits, sds *out) {
    while (*pos < sds_len(qb)) {
        const char *err = NULL;
        char errbuf[128];
        RspResult r = rsp_parse(p, qb, sds_len(qb), pos, limits, &err, errbuf, sizeof(errbuf));
        if (r == RSP_INCOMPLETE) return 0;
        if (r == RSP_ERROR) {
            *out = sds_cat_printf(*out, "ERR %s\n", err ? err : "(null)");
            return 1;
        }
        CHECK_EQ_INT(RSP_COMMAND, r);
        *out = transcript_parsed(*out, p);
        rsp_parser_reset(p);
    }
    return 0;
}

/* Feeds input to a fresh parser in chunks chosen by mode and returns the
 * transcript: one line per command, "ERR <text>" after an error (parsing
 * stops), else "REST <unconsumed bytes> PENDING <args held>". trim drops
 * consumed bytes between chunks, as net/read.c does with its query buffer. */
static sds feed(const char *input, size_t len, const RspLimits *limits, FeedMode mode,
                uint64_t seed, int trim) {
    RspParser p;
    rsp_parser_init(&p);
    sds qb = sds_empty(), out = sds_empty();
    size_t pos = 0, fed = 0;
    int failed = 0;
    while (fed < len && !failed) {
        size_t chunk = len - fed;
        if (mode == FEED_BYTES) chunk = 1;
        if (mode == FEED_RANDOM) {
            /* Mostly small pieces, sometimes big ones. */
            size_t max = rng_below(&seed, 8) == 0 ? 4096 : 24;
            chunk = 1 + rng_below(&seed, max);
        }
        if (chunk > len - fed) chunk = len - fed;
        qb = sds_cat_len(qb, input + fed, chunk);
        fed += chunk;
        failed = feed_drain(&p, qb, &pos, limits, &out);
        if (trim && pos) {
            sds_consume(qb, pos);
            pos = 0;
        }
    }
    if (!failed) out = sds_cat_printf(out, "REST %zu PENDING %d\n", sds_len(qb) - pos, p.argc);
    rsp_parser_deinit(&p);
    sds_free(qb);
    return out;
}

/* Checks that every way of feeding input gives the same transcript, and
 * that it equals expected. line is the caller's, for the failure message. */
static void check_all_feeds_at(int line, const char *input, size_t len, const RspLimits *limits,
                               const char *expected) {
    for (int trim = 0; trim <= 1; trim++) {
        for (int mode = FEED_WHOLE; mode <= FEED_RANDOM; mode++) {
            int rounds = mode == FEED_RANDOM ? 4 : 1;
            for (int round = 0; round < rounds; round++) {
                sds got = feed(input, len, limits, (FeedMode)mode, 1000u + (unsigned)round, trim);
                if (strcmp(expected, got) != 0) {
                    sds input_repr = sds_cat_repr(sds_empty(), input, len > 60 ? 60 : len);
                    char msg[800];
                    snprintf(msg, sizeof(msg),
                             "input %s (mode %d, trim %d, round %d): expected [%.200s] got [%.200s]",
                             input_repr, mode, trim, round, expected, got);
                    sds_free(input_repr);
                    sds_free(got);
                    test_fail(__FILE__, line, "%s", msg);
                }
                sds_free(got);
            }
        }
    }
}

static void check_error_at(int line, const char *input, size_t len, const RspLimits *limits,
                           const char *expected_error) {
    char expected[256]; /* not an sds: a failed check must leak nothing */
    snprintf(expected, sizeof(expected), "ERR %s\n", expected_error);
    check_all_feeds_at(line, input, len, limits, expected);
}

#define check_all_feeds(input, len, limits, expected)                                             \
    check_all_feeds_at(__LINE__, input, len, limits, expected)
#define check_error(input, len, limits, text) check_error_at(__LINE__, input, len, limits, text)
#define CHECK_ERROR(literal, limits, text) check_error(literal, sizeof(literal) - 1, limits, text)

/* ---- the naive reference parser --------------------------------------- */

/* Reads "<digits>\r\n" (optionally negative) at in[*i]; -1 if malformed. */
static int ref_number(const char *in, size_t len, size_t *i, long long *value) {
    int negative = 0;
    long long v = 0;
    size_t start;
    if (*i < len && in[*i] == '-') {
        negative = 1;
        (*i)++;
    }
    start = *i;
    while (*i < len && in[*i] >= '0' && in[*i] <= '9') v = v * 10 + (in[(*i)++] - '0');
    if (*i == start || *i + 1 >= len || in[*i] != '\r' || in[*i + 1] != '\n') return -1;
    *i += 2;
    *value = negative ? -v : v;
    return 0;
}

/* Parses a whole buffer of well-formed requests (inline requests use plain
 * tokens only). Returns the transcript, or NULL if the input is not what the
 * generator makes. */
static sds ref_parse(const char *in, size_t len) {
    sds out = sds_empty();
    size_t i = 0;
    while (i < len) {
        if (in[i] == '*') {
            long long count;
            i++;
            if (ref_number(in, len, &i, &count) != 0) goto bad;
            if (count < 0) count = 0;
            out = sds_cat_printf(out, "argc=%lld", count);
            for (long long a = 0; a < count; a++) {
                long long bulk;
                if (i >= len || in[i] != '$') goto bad;
                i++;
                if (ref_number(in, len, &i, &bulk) != 0 || bulk < 0) goto bad;
                if ((size_t)bulk + 2 > len - i) goto bad;
                out = transcript_arg(out, in + i, (size_t)bulk);
                i += (size_t)bulk + 2;
            }
            out = sds_cat(out, "\n");
            continue;
        }
        size_t end = i;
        while (end < len && in[end] != '\n') end++;
        if (end == len) goto bad;
        size_t line_end = (end > i && in[end - 1] == '\r') ? end - 1 : end;
        int argc = 0;
        sds args = sds_empty();
        for (size_t j = i; j < line_end;) {
            if (in[j] == ' ' || in[j] == '\t' || in[j] == '\r') {
                j++;
                continue;
            }
            size_t start = j;
            while (j < line_end && in[j] != ' ' && in[j] != '\t' && in[j] != '\r') j++;
            args = transcript_arg(args, in + start, j - start);
            argc++;
        }
        out = sds_cat_printf(out, "argc=%d%s\n", argc, args);
        sds_free(args);
        i = end + 1;
    }
    return sds_cat(out, "REST 0 PENDING 0\n");
bad:
    sds_free(out);
    return NULL;
}

/* ---- the generator ---------------------------------------------------- */

/* Appends one random request to *input and what it must parse to *expected. */
static void gen_request(uint64_t *rng, sds *input, sds *expected) {
    size_t kind = rng_below(rng, 10);
    if (kind < 6) { /* multibulk with binary arguments */
        int argc = 1 + (int)rng_below(rng, 6);
        *input = sds_cat_printf(*input, "*%d\r\n", argc);
        *expected = sds_cat_printf(*expected, "argc=%d", argc);
        for (int a = 0; a < argc; a++) {
            size_t len = rng_below(rng, 10) == 0 ? rng_below(rng, 3000) : rng_below(rng, 40);
            sds arg = sds_new_len(NULL, len);
            for (size_t b = 0; b < len; b++) {
                /* Plenty of \r, \n, '$', '*' and NUL, which must not confuse it. */
                static const char tricky[] = "\r\n$*\0 ";
                arg[b] = rng_below(rng, 3) == 0 ? tricky[rng_below(rng, 6)]
                                                : (char)rng_below(rng, 256);
            }
            *input = sds_cat_printf(*input, "$%zu\r\n", len);
            *input = sds_cat_len(*input, arg, len);
            *input = sds_cat_len(*input, "\r\n", 2);
            *expected = transcript_arg(*expected, arg, len);
            sds_free(arg);
        }
        *expected = sds_cat(*expected, "\n");
    } else if (kind < 9) { /* inline, plain tokens, assorted separators */
        static const char *const seps[] = {" ", "  ", "\t", " \t "};
        int argc = (int)rng_below(rng, 5);
        *expected = sds_cat_printf(*expected, "argc=%d", argc);
        if (rng_below(rng, 2)) *input = sds_cat(*input, seps[rng_below(rng, 4)]);
        for (int a = 0; a < argc; a++) {
            char token[12];
            size_t len = 1 + rng_below(rng, 10);
            for (size_t b = 0; b < len; b++) token[b] = "abcxyz0189_-"[rng_below(rng, 12)];
            if (a) *input = sds_cat(*input, seps[rng_below(rng, 4)]);
            *input = sds_cat_len(*input, token, len);
            *expected = transcript_arg(*expected, token, len);
        }
        *input = sds_cat(*input, rng_below(rng, 2) ? "\r\n" : "\n");
        *expected = sds_cat(*expected, "\n");
    } else { /* empty multibulk: *0, *-1 */
        *input = sds_cat(*input, rng_below(rng, 2) ? "*0\r\n" : "*-1\r\n");
        *expected = sds_cat(*expected, "argc=0\n");
    }
}

/* ---- valid input ------------------------------------------------------ */

TEST(multibulk_command_parses_the_same_whole_bytewise_and_split) {
    static const char in[] = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED,
                    "argc=3 3:534554 3:6b6579 5:76616c7565\nREST 0 PENDING 0\n");
}

TEST(inline_command_parses_the_same_whole_bytewise_and_split) {
    static const char in[] = "SET key value\r\nPING\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED,
                    "argc=3 3:534554 3:6b6579 5:76616c7565\nargc=1 4:50494e47\nREST 0 PENDING 0\n");
}

TEST(inline_quotes_and_escapes_reach_the_arguments) {
    static const char in[] = "SET \"a b\" 'c d' \"\\x41\\n\" ''\r\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED,
                    "argc=5 3:534554 3:612062 3:632064 2:410a 0:\nREST 0 PENDING 0\n");
}

TEST(empty_inline_lines_give_argc_zero) {
    static const char in[] = "\r\n\n   \r\n\t\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED,
                    "argc=0\nargc=0\nargc=0\nargc=0\nREST 0 PENDING 0\n");
}

TEST(star_zero_and_negative_counts_are_empty_commands) {
    static const char in[] = "*0\r\n*-1\r\n*-100\r\n*1\r\n$4\r\nPING\r\n";
    check_all_feeds(in, sizeof(in) - 1, &UNAUTHED,
                    "argc=0\nargc=0\nargc=0\nargc=1 4:50494e47\nREST 0 PENDING 0\n");
}

TEST(bulks_are_binary_safe) {
    static const char in[] = "*2\r\n$6\r\n\r\n$*\r\n\r\n$3\r\na\0b\r\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED,
                    "argc=2 6:0d0a242a0d0a 3:610062\nREST 0 PENDING 0\n");
}

TEST(empty_bulk_is_an_empty_argument) {
    static const char in[] = "*2\r\n$0\r\n\r\n$1\r\nx\r\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED, "argc=2 0: 1:78\nREST 0 PENDING 0\n");
}

TEST(unfinished_request_keeps_its_state_and_waits) {
    /* Header and first bulk are consumed; the second bulk's header too. */
    static const char in[] = "*2\r\n$3\r\nfoo\r\n$3\r\nba";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED, "REST 2 PENDING 1\n");
    static const char partial_inline[] = "GET ke";
    check_all_feeds(partial_inline, sizeof(partial_inline) - 1, &AUTHED, "REST 6 PENDING 0\n");
    static const char partial_header[] = "*2\r";
    check_all_feeds(partial_header, sizeof(partial_header) - 1, &AUTHED, "REST 3 PENDING 0\n");
}

TEST(long_inline_line_with_its_newline_in_one_buffer_is_accepted) {
    /* The 64 KiB limit applies to a line still waiting for its newline. */
    size_t len = RSP_INLINE_MAX + 1000;
    sds in = sds_new_len(NULL, len);
    memset(in, 'a', len);
    in = sds_cat(in, "\r\n");
    sds got = feed(in, sds_len(in), &AUTHED, FEED_WHOLE, 0, 1);
    sds arg = transcript_arg(sds_empty(), in, len);
    sds expected = sds_cat_printf(sds_empty(), "argc=1%s\nREST 0 PENDING 0\n", arg);
    int same = strcmp(expected, got) == 0;
    sds_free(in);
    sds_free(got);
    sds_free(arg);
    sds_free(expected);
    CHECK(same);
}

TEST(inline_line_of_exactly_64k_without_newline_still_waits) {
    sds in = sds_new_len(NULL, RSP_INLINE_MAX);
    memset(in, 'a', RSP_INLINE_MAX);
    sds got = feed(in, sds_len(in), &UNAUTHED, FEED_RANDOM, 7, 1);
    sds expected = sds_cat_printf(sds_empty(), "REST %d PENDING 0\n", RSP_INLINE_MAX);
    int same = strcmp(expected, got) == 0;
    sds_free(in);
    sds_free(got);
    sds_free(expected);
    CHECK(same);
}

TEST(random_request_streams_match_the_generator_and_the_reference) {
    uint64_t rng = 42;
    for (int round = 0; round < 200; round++) {
        sds input = sds_empty(), expected = sds_empty();
        int requests = 1 + (int)rng_below(&rng, 12);
        for (int r = 0; r < requests; r++) gen_request(&rng, &input, &expected);
        expected = sds_cat(expected, "REST 0 PENDING 0\n");
        sds reference = ref_parse(input, sds_len(input));
        int reference_ok = reference != NULL && strcmp(reference, expected) == 0;
        sds_free(reference);
        if (!reference_ok) {
            sds_free(input);
            sds_free(expected);
            test_fail(__FILE__, __LINE__, "round %d: the reference parser disagrees", round);
        }
        for (int trim = 0; trim <= 1; trim++) {
            for (int mode = FEED_WHOLE; mode <= FEED_RANDOM; mode++) {
                sds got = feed(input, sds_len(input), &AUTHED, (FeedMode)mode,
                               (uint64_t)round * 7919u, trim);
                int same = strcmp(got, expected) == 0;
                sds_free(got);
                if (!same) {
                    sds_free(input);
                    sds_free(expected);
                    test_fail(__FILE__, __LINE__, "round %d mode %d trim %d differs", round, mode,
                              trim);
                }
            }
        }
        sds_free(input);
        sds_free(expected);
    }
}

TEST(ten_thousand_pipelined_commands_in_one_buffer) {
    sds in = sds_empty();
    for (int i = 0; i < 10000; i++) {
        if (i % 3 == 2) {
            in = sds_cat_printf(in, "INCR counter:%d\r\n", i);
            continue;
        }
        char key[32], value[32];
        int key_len = snprintf(key, sizeof(key), "key:%d", i);
        int value_len = snprintf(value, sizeof(value), "value:%d", i * 7);
        in = sds_cat_printf(in, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", key_len, key,
                            value_len, value);
    }
    RspParser p;
    rsp_parser_init(&p);
    size_t pos = 0;
    int commands = 0, bad = -1;
    while (pos < sds_len(in)) {
        const char *err = NULL;
        char errbuf[128];
        RspResult r = rsp_parse(&p, in, sds_len(in), &pos, &UNAUTHED, &err, errbuf, sizeof(errbuf));
        if (r != RSP_COMMAND) {
            bad = commands;
            break;
        }
        char want[32];
        if (commands % 3 == 2) {
            snprintf(want, sizeof(want), "counter:%d", commands);
            if (p.argc != 2 || strcmp(p.argv[1]->ptr, want) != 0) bad = commands;
        } else {
            snprintf(want, sizeof(want), "value:%d", commands * 7);
            if (p.argc != 3 || strcmp(p.argv[2]->ptr, want) != 0) bad = commands;
        }
        rsp_parser_reset(&p);
        if (bad >= 0) break;
        commands++;
    }
    size_t len = sds_len(in);
    rsp_parser_deinit(&p);
    sds_free(in);
    CHECK_EQ_INT(-1, bad);
    CHECK_EQ_INT(10000, commands);
    CHECK_EQ_INT(len, pos);
}

TEST(multibulk_count_up_to_int_max_is_accepted_without_preallocating) {
    static const char in[] = "*2147483647\r\n$1\r\na\r\n";
    RspParser p;
    rsp_parser_init(&p);
    size_t pos = 0;
    const char *err = NULL;
    char errbuf[128];
    RspResult r = rsp_parse(&p, in, sizeof(in) - 1, &pos, &AUTHED, &err, errbuf, sizeof(errbuf));
    int argc = p.argc, cap = p.argv_cap;
    rsp_parser_deinit(&p);
    CHECK_EQ_INT(RSP_INCOMPLETE, r);
    CHECK_EQ_INT(sizeof(in) - 1, pos);
    CHECK_EQ_INT(1, argc);
    CHECK(cap <= 1024);
}

TEST(unauthenticated_limits_accept_ten_arguments_and_16k_bulks) {
    sds in = sds_cat(sds_empty(), "*10\r\n");
    sds expected = sds_cat(sds_empty(), "argc=10");
    sds big = sds_new_len(NULL, RSP_UNAUTH_MAX_BULK);
    memset(big, 'q', RSP_UNAUTH_MAX_BULK);
    for (int i = 0; i < 10; i++) {
        size_t len = i == 9 ? RSP_UNAUTH_MAX_BULK : 1;
        in = sds_cat_printf(in, "$%zu\r\n", len);
        in = sds_cat_len(in, big, len);
        in = sds_cat(in, "\r\n");
        expected = transcript_arg(expected, big, len);
    }
    expected = sds_cat(expected, "\nREST 0 PENDING 0\n");
    sds got = feed(in, sds_len(in), &UNAUTHED, FEED_RANDOM, 3, 1);
    int same = strcmp(expected, got) == 0;
    sds_free(in);
    sds_free(expected);
    sds_free(big);
    sds_free(got);
    CHECK(same);
}

TEST(bulk_of_exactly_max_bulk_len_is_accepted) {
    RspLimits small = {.max_bulk_len = 5, .authenticated = 1};
    static const char in[] = "*1\r\n$5\r\nhello\r\n";
    check_all_feeds(in, sizeof(in) - 1, &small, "argc=1 5:68656c6c6f\nREST 0 PENDING 0\n");
}

TEST(parser_is_usable_again_after_an_error_and_a_reset) {
    static const char bad[] = "*1\r\nx\r\n";
    static const char good[] = "*1\r\n$4\r\nPING\r\n";
    RspParser p;
    rsp_parser_init(&p);
    size_t pos = 0;
    const char *err = NULL;
    char errbuf[128];
    RspResult r1 = rsp_parse(&p, bad, sizeof(bad) - 1, &pos, &AUTHED, &err, errbuf, sizeof(errbuf));
    rsp_parser_reset(&p);
    pos = 0;
    RspResult r2 = rsp_parse(&p, good, sizeof(good) - 1, &pos, &AUTHED, &err, errbuf, sizeof(errbuf));
    int argc = p.argc;
    int ping = argc == 1 && strcmp(p.argv[0]->ptr, "PING") == 0;
    rsp_parser_deinit(&p);
    CHECK_EQ_INT(RSP_ERROR, r1);
    CHECK_EQ_INT(RSP_COMMAND, r2);
    CHECK(ping);
}

TEST(reset_and_deinit_free_every_argument) {
    size_t before = mem_used();
    RspParser p;
    rsp_parser_init(&p);
    sds in = sds_empty();
    in = sds_cat(in, "*3\r\n$3\r\nSET\r\n$60\r\n");
    in = sds_cat_len(in, "0123456789012345678901234567890123456789012345678901234567890", 60);
    in = sds_cat(in, "\r\n$2\r\nab"); /* stops inside the third bulk */
    size_t pos = 0;
    const char *err = NULL;
    char errbuf[128];
    RspResult r = rsp_parse(&p, in, sds_len(in), &pos, &AUTHED, &err, errbuf, sizeof(errbuf));
    int held = p.argc;
    rsp_parser_reset(&p);
    int after_reset = p.argc;
    rsp_parser_deinit(&p);
    sds_free(in);
    CHECK_EQ_INT(RSP_INCOMPLETE, r);
    CHECK_EQ_INT(2, held);
    CHECK_EQ_INT(0, after_reset);
    CHECK_EQ_INT(before, mem_used());
}

/* ---- rsp_wanted_bytes -------------------------------------------------- */

static size_t wanted_after(const char *in, size_t len, RspResult *result) {
    RspParser p;
    rsp_parser_init(&p);
    size_t pos = 0;
    const char *err = NULL;
    char errbuf[128];
    *result = rsp_parse(&p, in, len, &pos, &AUTHED, &err, errbuf, sizeof(errbuf));
    size_t wanted = rsp_wanted_bytes(&p);
    rsp_parser_deinit(&p);
    return wanted;
}

#define WANTED(literal, result) wanted_after(literal, sizeof(literal) - 1, result)

TEST(wanted_bytes_asks_for_a_big_bulk_in_one_piece) {
    RspResult r;
    CHECK_EQ_INT(100002, WANTED("*1\r\n$100000\r\n", &r));
    CHECK_EQ_INT(RSP_INCOMPLETE, r);
    /* Part of the bulk already here: still the whole bulk and its CRLF. */
    CHECK_EQ_INT(100002, WANTED("*1\r\n$100000\r\nabc", &r));
    CHECK_EQ_INT(RSP_INCOMPLETE, r);
}

TEST(wanted_bytes_threshold_is_rsp_big_arg) {
    RspResult r;
    char in[64];
    int len = snprintf(in, sizeof(in), "*1\r\n$%d\r\n", RSP_BIG_ARG);
    CHECK_EQ_INT(RSP_BIG_ARG + 2, wanted_after(in, (size_t)len, &r));
    len = snprintf(in, sizeof(in), "*1\r\n$%d\r\n", RSP_BIG_ARG - 1);
    CHECK_EQ_INT(0, wanted_after(in, (size_t)len, &r));
}

TEST(wanted_bytes_is_zero_without_a_pending_big_bulk) {
    RspResult r;
    CHECK_EQ_INT(0, WANTED("*1\r\n$100000", &r)); /* header unfinished */
    CHECK_EQ_INT(0, WANTED("*2\r\n", &r));
    CHECK_EQ_INT(0, WANTED("GET key", &r));
    RspParser p;
    rsp_parser_init(&p);
    CHECK_EQ_INT(0, rsp_wanted_bytes(&p));
    rsp_parser_deinit(&p);
}

TEST(wanted_bytes_drops_to_zero_once_the_big_bulk_is_parsed) {
    size_t len = 40000;
    sds in = sds_cat_printf(sds_empty(), "*2\r\n$%zu\r\n", len);
    sds body = sds_new_len(NULL, len);
    in = sds_cat_sds(in, body);
    in = sds_cat(in, "\r\n$1\r");
    RspParser p;
    rsp_parser_init(&p);
    size_t pos = 0;
    const char *err = NULL;
    char errbuf[128];
    RspResult r = rsp_parse(&p, in, sds_len(in), &pos, &AUTHED, &err, errbuf, sizeof(errbuf));
    size_t wanted = rsp_wanted_bytes(&p);
    rsp_parser_deinit(&p);
    sds_free(in);
    sds_free(body);
    CHECK_EQ_INT(RSP_INCOMPLETE, r);
    CHECK_EQ_INT(0, wanted);
}

/* ---- protocol errors, exact texts ------------------------------------- */

TEST(inline_request_over_64k_without_newline_is_too_big) {
    sds in = sds_new_len(NULL, RSP_INLINE_MAX + 1);
    memset(in, 'a', RSP_INLINE_MAX + 1);
    check_error(in, sds_len(in), &AUTHED, "Protocol error: too big inline request");
    sds_free(in);
}

TEST(inline_unbalanced_double_quote_is_an_error) {
    CHECK_ERROR("SET \"a b\r\n", &AUTHED, "Protocol error: unbalanced quotes in request");
}

TEST(inline_unbalanced_single_quote_is_an_error) {
    CHECK_ERROR("SET 'a b\n", &AUTHED, "Protocol error: unbalanced quotes in request");
}

TEST(inline_closing_quote_followed_by_a_letter_is_an_error) {
    CHECK_ERROR("ECHO \"a\"b\r\n", &AUTHED, "Protocol error: unbalanced quotes in request");
}

TEST(inline_error_comes_after_the_commands_before_it) {
    static const char in[] = "PING\r\nECHO \"x\r\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED,
                    "argc=1 4:50494e47\nERR Protocol error: unbalanced quotes in request\n");
}

TEST(mbulk_count_string_over_64k_is_too_big) {
    sds in = sds_new_len(NULL, RSP_INLINE_MAX + 1);
    memset(in, '1', RSP_INLINE_MAX + 1);
    in[0] = '*';
    check_error(in, sds_len(in), &AUTHED, "Protocol error: too big mbulk count string");
    sds_free(in);
}

TEST(mbulk_count_string_of_64k_still_waits) {
    sds in = sds_new_len(NULL, RSP_INLINE_MAX);
    memset(in, '1', RSP_INLINE_MAX);
    in[0] = '*';
    sds got = feed(in, sds_len(in), &AUTHED, FEED_RANDOM, 11, 1);
    sds expected = sds_cat_printf(sds_empty(), "REST %d PENDING 0\n", RSP_INLINE_MAX);
    int same = strcmp(expected, got) == 0;
    sds_free(in);
    sds_free(got);
    sds_free(expected);
    CHECK(same);
}

TEST(mbulk_count_not_a_number_is_invalid) {
    CHECK_ERROR("*abc\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*-\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("* 1\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*+1\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*1x\r\n", &AUTHED, "Protocol error: invalid multibulk length");
}

TEST(mbulk_count_line_ended_by_bare_lf_is_invalid) {
    /* The count runs to the first \r, so "1\n$4" is not a number. */
    CHECK_ERROR("*1\n$4\r\nPING\r\n", &AUTHED, "Protocol error: invalid multibulk length");
}

TEST(mbulk_count_above_int_max_is_invalid) {
    CHECK_ERROR("*2147483648\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*9223372036854775807\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*99999999999999999999\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*123456789012345678901234567890\r\n", &AUTHED,
                "Protocol error: invalid multibulk length");
}

TEST(mbulk_count_with_leading_zero_is_invalid_as_in_valkey) {
    /* Valkey's string2ll refuses leading zeros and "-0". */
    CHECK_ERROR("*01\r\n$4\r\nPING\r\n", &AUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*-0\r\n", &AUTHED, "Protocol error: invalid multibulk length");
}

TEST(mbulk_count_above_ten_before_auth_is_refused_with_valkey_text) {
    CHECK_ERROR("*11\r\n", &UNAUTHED, "Protocol error: unauthenticated multibulk length");
    CHECK_ERROR("*1000000\r\n", &UNAUTHED, "Protocol error: unauthenticated multibulk length");
}

TEST(mbulk_count_above_int_max_before_auth_is_invalid_not_unauthenticated) {
    /* Valkey checks the number first. */
    CHECK_ERROR("*2147483648\r\n", &UNAUTHED, "Protocol error: invalid multibulk length");
    CHECK_ERROR("*abc\r\n", &UNAUTHED, "Protocol error: invalid multibulk length");
}

TEST(bulk_header_without_dollar_is_expected_dollar_error) {
    CHECK_ERROR("*1\r\nx\r\n", &AUTHED, "Protocol error: expected '$', got 'x'");
    CHECK_ERROR("*2\r\n$1\r\na\r\n:5\r\n", &AUTHED, "Protocol error: expected '$', got ':'");
    CHECK_ERROR("*1\r\n*1\r\n", &AUTHED, "Protocol error: expected '$', got '*'");
}

TEST(bulk_count_string_over_64k_is_too_big) {
    sds in = sds_cat(sds_empty(), "*1\r\n$");
    sds digits = sds_new_len(NULL, RSP_INLINE_MAX);
    memset(digits, '1', RSP_INLINE_MAX);
    in = sds_cat_sds(in, digits);
    check_error(in, sds_len(in), &AUTHED, "Protocol error: too big bulk count string");
    sds_free(in);
    sds_free(digits);
}

TEST(garbage_instead_of_bulk_header_over_64k_is_too_big) {
    sds in = sds_cat(sds_empty(), "*1\r\n");
    sds junk = sds_new_len(NULL, RSP_INLINE_MAX + 1);
    memset(junk, 'x', RSP_INLINE_MAX + 1);
    in = sds_cat_sds(in, junk);
    check_error(in, sds_len(in), &AUTHED, "Protocol error: too big bulk count string");
    sds_free(in);
    sds_free(junk);
}

TEST(bulk_length_not_a_number_is_invalid) {
    CHECK_ERROR("*1\r\n$abc\r\n", &AUTHED, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$\r\n", &AUTHED, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$3x\r\nabc\r\n", &AUTHED, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$99999999999999999999\r\n", &AUTHED, "Protocol error: invalid bulk length");
}

TEST(bulk_length_negative_is_invalid) {
    CHECK_ERROR("*1\r\n$-1\r\n", &AUTHED, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$-10\r\n", &AUTHED, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$-9223372036854775808\r\n", &AUTHED, "Protocol error: invalid bulk length");
}

TEST(bulk_length_with_leading_zero_is_invalid_as_in_valkey) {
    CHECK_ERROR("*1\r\n$03\r\nfoo\r\n", &AUTHED, "Protocol error: invalid bulk length");
}

TEST(bulk_length_above_proto_max_bulk_len_is_invalid) {
    RspLimits small = {.max_bulk_len = 5, .authenticated = 1};
    CHECK_ERROR("*1\r\n$6\r\nhello!\r\n", &small, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$536870913\r\n", &AUTHED, "Protocol error: invalid bulk length");
}

TEST(bulk_length_above_16k_before_auth_is_refused_with_valkey_text) {
    CHECK_ERROR("*1\r\n$16385\r\n", &UNAUTHED, "Protocol error: unauthenticated bulk length");
    CHECK_ERROR("*2\r\n$4\r\nAUTH\r\n$100000000\r\n", &UNAUTHED,
                "Protocol error: unauthenticated bulk length");
}

TEST(bulk_length_above_max_before_auth_is_invalid_not_unauthenticated) {
    /* Valkey checks proto-max-bulk-len first. */
    RspLimits small = {.max_bulk_len = 100, .authenticated = 0};
    CHECK_ERROR("*1\r\n$200\r\n", &small, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$536870913\r\n", &UNAUTHED, "Protocol error: invalid bulk length");
    CHECK_ERROR("*1\r\n$-1\r\n", &UNAUTHED, "Protocol error: invalid bulk length");
}

TEST(error_after_good_commands_keeps_those_commands) {
    static const char in[] = "*1\r\n$4\r\nPING\r\n*1\r\nx\r\n*1\r\n$4\r\nPING\r\n";
    check_all_feeds(in, sizeof(in) - 1, &AUTHED,
                    "argc=1 4:50494e47\nERR Protocol error: expected '$', got 'x'\n");
}
