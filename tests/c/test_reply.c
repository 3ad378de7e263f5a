/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_reply.c: tests for reply building (net/reply.c).
 *
 * Replies go to an internal client (no connection), and the test reads back
 * the fixed buffer followed by the block list. Each reply type is checked in
 * RESP2 and RESP3 against the literal bytes Valkey sends; a random sequence
 * of replies, large enough to spill from the fixed buffer into blocks, is
 * checked against a naive encoder that only appends to one string.
 */
#include "test.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "db/object.h"
#include "ds/sds.h"
#include "net/client.h"
#include "net/reply.h"
#include "server/mem.h"

/* Defined in server/server.c; main.c declares it the same way. */
void server_register_all_config(void);

static Client *client_fresh(int resp) {
    static int registered;
    if (!registered) {
        server_register_all_config();
        registered = 1;
    }
    Client *c = client_create(NULL);
    c->resp = resp;
    return c;
}

/* Everything c would send: the fixed buffer, then each block. */
static sds reply_text(const Client *c) {
    sds out = sds_new_len(c->buf, c->buf_used);
    for (const ReplyBlock *b = c->reply_head; b; b = b->next) out = sds_cat_len(out, b->buf, b->used);
    return out;
}

/* Checks c's output equals expected (length given, so NULs are fine) and
 * frees c. */
static void check_output_at(int line, Client *c, const char *expected, size_t len) {
    sds got = reply_text(c);
    int same = sds_len(got) == len && memcmp(got, expected, len) == 0;
    sds got_repr = same ? NULL : sds_cat_repr(sds_empty(), got, sds_len(got) > 200 ? 200 : sds_len(got));
    sds want_repr = same ? NULL : sds_cat_repr(sds_empty(), expected, len > 200 ? 200 : len);
    sds_free(got);
    client_free(c);
    if (!same) {
        char msg[1024];
        snprintf(msg, sizeof(msg), "expected %s, got %s", want_repr, got_repr);
        sds_free(got_repr);
        sds_free(want_repr);
        test_fail(__FILE__, line, "%s", msg);
    }
}

#define CHECK_OUTPUT(c, literal) check_output_at(__LINE__, c, literal, sizeof(literal) - 1)

/* Sets argv for the helpers that read the command name. */
static void client_set_args(Client *c, int argc, const char *const *args) {
    c->argv = mem_alloc(sizeof(Obj *) * (size_t)argc);
    for (int i = 0; i < argc; i++) c->argv[i] = obj_create_string(args[i], strlen(args[i]));
    c->argc = argc;
}

static void client_drop_args(Client *c) {
    for (int i = 0; i < c->argc; i++) obj_decr_ref(c->argv[i]);
    mem_free(c->argv);
    c->argv = NULL;
    c->argc = 0;
}

/* ---- simple types ------------------------------------------------------- */

TEST(status_and_ok) {
    Client *c = client_fresh(2);
    reply_status(c, "PONG");
    reply_ok(c);
    CHECK_OUTPUT(c, "+PONG\r\n+OK\r\n");
}

TEST(error_gets_err_prefix_unless_it_has_a_code) {
    Client *c = client_fresh(2);
    reply_error(c, "syntax error");
    reply_error(c, "-NOAUTH Authentication required.");
    reply_error_syntax(c);
    CHECK_OUTPUT(c, "-ERR syntax error\r\n-NOAUTH Authentication required.\r\n-ERR syntax error\r\n");
}

TEST(error_newlines_become_spaces) {
    Client *c = client_fresh(2);
    reply_error(c, "bad\r\nthing\n");
    CHECK_OUTPUT(c, "-ERR bad  thing \r\n");
}

TEST(error_format_and_arity) {
    Client *c = client_fresh(3);
    static const char *const args[] = {"foo", "x"};
    client_set_args(c, 2, args);
    reply_error_format(c, "value %d is %s", 7, "odd");
    reply_error_arity(c);
    client_drop_args(c);
    CHECK_OUTPUT(c, "-ERR value 7 is odd\r\n-ERR wrong number of arguments for 'foo' command\r\n");
}

TEST(error_subcommand_names_the_command_in_capitals) {
    Client *c = client_fresh(2);
    static const char *const args[] = {"config", "nosuch"};
    client_set_args(c, 2, args);
    reply_error_subcommand(c);
    client_drop_args(c);
    CHECK_OUTPUT(c, "-ERR unknown subcommand 'nosuch'. Try CONFIG HELP.\r\n");
}

TEST(errors_are_counted_by_code) {
    reply_errorstats_reset();
    Client *c = client_fresh(2);
    reply_error(c, "one");
    reply_error(c, "two");
    reply_error(c, "-WRONGTYPE Operation against a key holding the wrong kind of value");
    reply_error(c, "-NOCODE");
    client_free(c);
    sds info = reply_errorstats_info(sds_empty());
    int same = strcmp(info, "errorstat_ERR:count=2\r\nerrorstat_NOCODE:count=1\r\n"
                            "errorstat_WRONGTYPE:count=1\r\n") == 0;
    sds_free(info);
    CHECK(same);
    CHECK_EQ_INT(4, reply_total_errors());
    reply_errorstats_reset();
    CHECK_EQ_INT(0, reply_total_errors());
}

TEST(bulk_strings_are_binary_safe) {
    Client *c = client_fresh(2);
    reply_bulk(c, "a\r\n\0b", 5);
    reply_bulk(c, "", 0);
    reply_bulk_cstr(c, "hello");
    sds s = sds_new("sds");
    reply_bulk_sds(c, s);
    sds_free(s);
    Obj *o = obj_create_string("obj", 3);
    reply_bulk_obj(c, o);
    obj_decr_ref(o);
    reply_bulk_ll(c, -42);
    CHECK_OUTPUT(c, "$5\r\na\r\n\0b\r\n$0\r\n\r\n$5\r\nhello\r\n$3\r\nsds\r\n$3\r\nobj\r\n$3\r\n-42\r\n");
}

TEST(integers_including_extremes) {
    Client *c = client_fresh(2);
    reply_ll(c, 0);
    reply_ll(c, 1);
    reply_ll(c, -1);
    reply_ll(c, LLONG_MAX);
    reply_ll(c, LLONG_MIN);
    CHECK_OUTPUT(c, ":0\r\n:1\r\n:-1\r\n:9223372036854775807\r\n:-9223372036854775808\r\n");
}

TEST(null_bulk_cstr_is_a_null_reply) {
    Client *c = client_fresh(2);
    reply_bulk_cstr(c, NULL);
    CHECK_OUTPUT(c, "$-1\r\n");
    c = client_fresh(3);
    reply_bulk_cstr(c, NULL);
    CHECK_OUTPUT(c, "_\r\n");
}

TEST(nulls_in_resp2_and_resp3) {
    Client *c = client_fresh(2);
    reply_null(c);
    reply_null_array(c);
    CHECK_OUTPUT(c, "$-1\r\n*-1\r\n");
    c = client_fresh(3);
    reply_null(c);
    reply_null_array(c);
    CHECK_OUTPUT(c, "_\r\n_\r\n");
}

TEST(booleans_in_resp2_and_resp3) {
    Client *c = client_fresh(2);
    reply_bool(c, 1);
    reply_bool(c, 0);
    CHECK_OUTPUT(c, ":1\r\n:0\r\n");
    c = client_fresh(3);
    reply_bool(c, 1);
    reply_bool(c, 0);
    CHECK_OUTPUT(c, "#t\r\n#f\r\n");
}

TEST(doubles_in_resp2_and_resp3) {
    Client *c = client_fresh(2);
    reply_double(c, 1.5);
    reply_double(c, INFINITY);
    reply_double(c, -INFINITY);
    reply_double(c, NAN);
    CHECK_OUTPUT(c, "$3\r\n1.5\r\n$3\r\ninf\r\n$4\r\n-inf\r\n$3\r\nnan\r\n");
    c = client_fresh(3);
    reply_double(c, 1.5);
    reply_double(c, INFINITY);
    reply_double(c, -INFINITY);
    reply_double(c, NAN);
    reply_double(c, 0);
    CHECK_OUTPUT(c, ",1.5\r\n,inf\r\n,-inf\r\n,nan\r\n,0\r\n");
}

TEST(verbatim_is_a_bulk_in_resp2) {
    Client *c = client_fresh(2);
    reply_verbatim(c, "hello", 5, "txt");
    CHECK_OUTPUT(c, "$5\r\nhello\r\n");
    c = client_fresh(3);
    reply_verbatim(c, "hello", 5, "txt");
    CHECK_OUTPUT(c, "=9\r\ntxt:hello\r\n");
}

TEST(aggregate_headers_in_resp2_and_resp3) {
    Client *c = client_fresh(2);
    reply_array_len(c, 3);
    reply_map_len(c, 2);
    reply_set_len(c, 4);
    reply_push_len(c, 3);
    reply_array_len(c, 0);
    CHECK_OUTPUT(c, "*3\r\n*4\r\n*4\r\n*3\r\n*0\r\n");
    c = client_fresh(3);
    reply_array_len(c, 3);
    reply_map_len(c, 2);
    reply_set_len(c, 4);
    reply_push_len(c, 3);
    CHECK_OUTPUT(c, "*3\r\n%2\r\n~4\r\n>3\r\n");
}

TEST(help_lists_its_lines_between_header_and_footer) {
    Client *c = client_fresh(2);
    static const char *const args[] = {"config", "help"};
    client_set_args(c, 2, args);
    static const char *const lines[] = {"GET <pattern>", "    Return parameters.", NULL};
    reply_help(c, lines);
    client_drop_args(c);
    CHECK_OUTPUT(c, "*5\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                    "+GET <pattern>\r\n+    Return parameters.\r\n+HELP\r\n+    Print this help.\r\n");
}

/* ---- deferred lengths ---------------------------------------------------- */

TEST(deferred_array_length_lands_before_its_elements) {
    Client *c = client_fresh(2);
    reply_ok(c);
    void *handle = reply_defer_len(c);
    CHECK(handle != NULL);
    reply_bulk_cstr(c, "a");
    reply_ll(c, 7);
    reply_set_defer_array_len(c, handle, 2);
    reply_status(c, "after");
    CHECK_OUTPUT(c, "+OK\r\n*2\r\n$1\r\na\r\n:7\r\n+after\r\n");
}

TEST(nested_deferred_lengths) {
    Client *c = client_fresh(3);
    void *outer = reply_defer_len(c);
    void *inner = reply_defer_len(c);
    reply_ll(c, 1);
    reply_set_defer_set_len(c, inner, 1);
    reply_ll(c, 2);
    reply_set_defer_map_len(c, outer, 1);
    CHECK_OUTPUT(c, "%1\r\n~1\r\n:1\r\n:2\r\n");
}

TEST(deferred_map_length_doubles_in_resp2) {
    Client *c = client_fresh(2);
    void *handle = reply_defer_len(c);
    reply_bulk_cstr(c, "k");
    reply_bulk_cstr(c, "v");
    reply_set_defer_map_len(c, handle, 1);
    CHECK_OUTPUT(c, "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
}

TEST(deferred_length_of_zero_elements) {
    Client *c = client_fresh(2);
    void *handle = reply_defer_len(c);
    reply_set_defer_array_len(c, handle, 0);
    CHECK_OUTPUT(c, "*0\r\n");
}

/* ---- suppression ---------------------------------------------------------- */

TEST(reply_off_suppresses_everything_including_deferred) {
    Client *c = client_fresh(2);
    c->flags |= CLIENT_REPLY_OFF;
    reply_ok(c);
    reply_status(c, "x");
    reply_bulk(c, "abc", 3);
    reply_error(c, "nope");
    reply_verbatim(c, "x", 1, "txt");
    void *handle = reply_defer_len(c);
    reply_set_defer_array_len(c, handle, 3); /* NULL handle: a no-op */
    c->flags &= ~CLIENT_REPLY_OFF;
    CHECK(handle == NULL);
    CHECK_OUTPUT(c, "");
}

/* ---- large replies and the naive model ------------------------------------ */

TEST(large_bulk_spills_from_the_buffer_into_blocks) {
    size_t len = 3 * CLIENT_REPLY_CHUNK + 123;
    sds big = sds_new_len(NULL, len);
    for (size_t i = 0; i < len; i++) big[i] = (char)('a' + i % 26);
    Client *c = client_fresh(2);
    reply_status(c, "first");
    reply_bulk(c, big, len);
    reply_status(c, "last");
    size_t buf_used = c->buf_used;
    int has_blocks = c->reply_head != NULL;
    sds expected = sds_cat_printf(sds_empty(), "+first\r\n$%zu\r\n", len);
    expected = sds_cat_sds(expected, big);
    expected = sds_cat(expected, "\r\n+last\r\n");
    sds got = reply_text(c);
    int same = sds_cmp(got, expected) == 0;
    sds_free(got);
    sds_free(expected);
    sds_free(big);
    client_free(c);
    CHECK_EQ_INT(CLIENT_REPLY_CHUNK, buf_used);
    CHECK(has_blocks);
    CHECK(same);
}

static uint64_t rng_next(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

TEST(random_reply_sequences_match_a_naive_encoder) {
    uint64_t rng = 5;
    char payload[3000];
    for (size_t i = 0; i < sizeof(payload); i++) payload[i] = (char)(rng_next(&rng) & 0xff);
    for (int round = 0; round < 40; round++) {
        int resp = round % 2 ? 3 : 2;
        Client *c = client_fresh(resp);
        sds expected = sds_empty();
        /* Open deferred lengths: handle and where its header goes in expected. */
        void *handles[8];
        size_t offsets[8];
        long counts[8];
        int open = 0;
        int ops = 50 + (int)(rng_next(&rng) % 400);
        for (int op = 0; op < ops; op++) {
            switch (rng_next(&rng) % 7) {
            case 0: {
                size_t len = (size_t)(rng_next(&rng) % sizeof(payload));
                reply_bulk(c, payload, len);
                expected = sds_cat_printf(expected, "$%zu\r\n", len);
                expected = sds_cat_len(expected, payload, len);
                expected = sds_cat(expected, "\r\n");
                break;
            }
            case 1: {
                long long v = (long long)rng_next(&rng);
                reply_ll(c, v);
                expected = sds_cat_printf(expected, ":%lld\r\n", v);
                break;
            }
            case 2:
                reply_status(c, "status");
                expected = sds_cat(expected, "+status\r\n");
                break;
            case 3:
                reply_null(c);
                expected = sds_cat(expected, resp == 3 ? "_\r\n" : "$-1\r\n");
                break;
            case 4:
                if (open < 8) {
                    handles[open] = reply_defer_len(c);
                    offsets[open] = sds_len(expected);
                    counts[open] = (long)(rng_next(&rng) % 100000);
                    open++;
                }
                break;
            case 5:
                if (open > 0) {
                    open--;
                    reply_set_defer_array_len(c, handles[open], counts[open]);
                    char header[32];
                    int hlen = snprintf(header, sizeof(header), "*%ld\r\n", counts[open]);
                    sds tail = sds_new_len(expected + offsets[open], sds_len(expected) - offsets[open]);
                    sds_keep_range(expected, 0, offsets[open]);
                    expected = sds_cat_len(expected, header, (size_t)hlen);
                    expected = sds_cat_sds(expected, tail);
                    sds_free(tail);
                }
                break;
            default:
                reply_raw(c, "=raw=", 5);
                expected = sds_cat(expected, "=raw=");
                break;
            }
        }
        while (open > 0) { /* close what is still open */
            open--;
            reply_set_defer_array_len(c, handles[open], counts[open]);
            char header[32];
            int hlen = snprintf(header, sizeof(header), "*%ld\r\n", counts[open]);
            sds tail = sds_new_len(expected + offsets[open], sds_len(expected) - offsets[open]);
            sds_keep_range(expected, 0, offsets[open]);
            expected = sds_cat_len(expected, header, (size_t)hlen);
            expected = sds_cat_sds(expected, tail);
            sds_free(tail);
        }
        sds got = reply_text(c);
        int same = sds_cmp(got, expected) == 0;
        size_t got_len = sds_len(got), want_len = sds_len(expected);
        sds_free(got);
        sds_free(expected);
        client_free(c);
        if (!same)
            test_fail(__FILE__, __LINE__, "round %d: output differs (%zu bytes, want %zu)", round,
                      got_len, want_len);
    }
}

TEST(client_free_releases_every_reply_block) {
    client_free(client_fresh(2)); /* first use registers the config: not counted */
    size_t before = mem_used();
    Client *c = client_fresh(2);
    for (int i = 0; i < 100; i++) reply_bulk(c, "0123456789", 10);
    void *handle = reply_defer_len(c);
    char big[5000] = {0};
    for (int i = 0; i < 20; i++) reply_bulk(c, big, sizeof(big));
    reply_set_defer_array_len(c, handle, 20);
    client_free(c);
    CHECK_EQ_INT(before, mem_used());
}
