/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_sds.c: tests for binary-safe strings (ds/sds.c).
 *
 * A naive model (a plain byte array) receives the same random operations as
 * an sds and the two must agree after each one, with the header invariants
 * (length, capacity, terminator) checked every time. sds_split_args gets the
 * shell-like cases one by one, good and bad, plus a round trip through
 * sds_cat_repr. Seeds are fixed, so a failure reproduces.
 */
#include "test.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ds/sds.h"
#include "server/mem.h"

static uint64_t rng_next(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t rng_below(uint64_t *state, size_t bound) {
    return (size_t)(rng_next(state) % bound);
}

/* ---- the model -------------------------------------------------------- */

typedef struct Model {
    char *bytes;
    size_t len, cap;
} Model;

static void model_set(Model *m, const char *p, size_t len) {
    if (len > m->cap) {
        m->cap = len * 2 + 16;
        m->bytes = realloc(m->bytes, m->cap);
    }
    memmove(m->bytes, p, len);
    m->len = len;
}

static void model_append(Model *m, const char *p, size_t len) {
    if (m->len + len > m->cap) {
        m->cap = (m->len + len) * 2 + 16;
        m->bytes = realloc(m->bytes, m->cap);
    }
    memcpy(m->bytes + m->len, p, len);
    m->len += len;
}

/* Checks s against the model and the header invariants; returns a reason or
 * NULL. */
static const char *sds_check(const sds s, const Model *m) {
    if (sds_len(s) != m->len) return "length differs from the model";
    if (m->len && memcmp(s, m->bytes, m->len) != 0) return "content differs from the model";
    if (s[sds_len(s)] != '\0') return "not NUL-terminated";
    if (sds_alloc_size(s) < sds_len(s)) return "alloc below len";
    if (sds_avail(s) != sds_alloc_size(s) - sds_len(s)) return "avail != alloc - len";
    /* The capacity it claims must really be there (header + alloc + NUL). */
    if (mem_size(SDS_HDR(s)) < sizeof(SdsHeader) + sds_alloc_size(s) + 1)
        return "alloc larger than the allocation";
    return NULL;
}

#define CHECK_SDS(s, m, step)                                                                     \
    do {                                                                                          \
        const char *why_ = sds_check(s, m);                                                       \
        if (why_) test_fail(__FILE__, __LINE__, "step %d: %s", step, why_);                       \
    } while (0)

static void random_bytes(uint64_t *rng, char *out, size_t len) {
    for (size_t i = 0; i < len; i++)
        out[i] = rng_below(rng, 4) == 0 ? '\0' : (char)rng_below(rng, 256);
}

/* ---- model-based random operations ------------------------------------ */

TEST(random_operations_agree_with_a_naive_model) {
    uint64_t rng = 7;
    size_t before = mem_used();
    Model m = {0};
    sds s = sds_empty();
    char buf[5000];
    for (int step = 0; step < 20000; step++) {
        size_t op = rng_below(&rng, 13);
        size_t len = rng_below(&rng, 8) == 0 ? rng_below(&rng, 5000) : rng_below(&rng, 40);
        switch (op) {
        case 0: /* cat_len */
            random_bytes(&rng, buf, len);
            s = sds_cat_len(s, buf, len);
            model_append(&m, buf, len);
            break;
        case 1: { /* cat of a C string */
            char text[] = "hello";
            s = sds_cat(s, text);
            model_append(&m, text, 5);
            break;
        }
        case 2: { /* cat_printf, short and long (> 256 bytes) */
            int width = (int)rng_below(&rng, 600);
            s = sds_cat_printf(s, "%*d|", width, step);
            int n = snprintf(buf, sizeof(buf), "%*d|", width, step);
            model_append(&m, buf, (size_t)n);
            break;
        }
        case 3: { /* make_room, write into the free space, incr_len */
            s = sds_make_room(s, len);
            if (sds_avail(s) < len) test_fail(__FILE__, __LINE__, "make_room left too little");
            random_bytes(&rng, buf, len);
            memcpy(s + sds_len(s), buf, len);
            sds_incr_len(s, (long)len);
            model_append(&m, buf, len);
            break;
        }
        case 4: { /* incr_len by a negative amount */
            size_t cut = m.len ? rng_below(&rng, m.len + 1) : 0;
            sds_incr_len(s, -(long)cut);
            m.len -= cut;
            break;
        }
        case 5: { /* consume */
            size_t count = rng_below(&rng, m.len + 3);
            sds_consume(s, count);
            if (count >= m.len)
                m.len = 0;
            else
                model_set(&m, m.bytes + count, m.len - count);
            break;
        }
        case 6: { /* keep_range */
            size_t start = rng_below(&rng, m.len + 3), keep = rng_below(&rng, m.len + 3);
            sds_keep_range(s, start, keep);
            if (start >= m.len) {
                m.len = 0;
            } else {
                if (keep > m.len - start) keep = m.len - start;
                model_set(&m, m.bytes + start, keep);
            }
            break;
        }
        case 7: /* shrink */
            s = sds_shrink(s);
            break;
        case 8: /* copy_len */
            random_bytes(&rng, buf, len);
            s = sds_copy_len(s, buf, len);
            model_set(&m, buf, len);
            break;
        case 9: { /* dup, then continue with the copy */
            sds copy = sds_dup(s);
            sds_free(s);
            s = copy;
            break;
        }
        case 10: /* to_lower */
            sds_to_lower(s);
            for (size_t i = 0; i < m.len; i++)
                if (m.bytes[i] >= 'A' && m.bytes[i] <= 'Z') m.bytes[i] = (char)(m.bytes[i] + 32);
            break;
        case 11: { /* cmp against a model-built string */
            sds other = sds_new_len(m.bytes, m.len);
            if (sds_cmp(s, other) != 0) test_fail(__FILE__, __LINE__, "step %d: cmp != 0", step);
            sds_free(other);
            break;
        }
        default: /* keep lengths bounded */
            if (m.len > 200000) {
                sds_clear(s);
                m.len = 0;
            }
            break;
        }
        CHECK_SDS(s, &m, step);
    }
    sds_free(s);
    free(m.bytes);
    CHECK_EQ_INT(before, mem_used());
}

/* ---- growth ----------------------------------------------------------- */

TEST(make_room_grows_geometrically_below_1mb) {
    sds s = sds_new("abc");
    s = sds_make_room(s, 1000);
    size_t alloc = sds_alloc_size(s);
    sds_free(s);
    CHECK(alloc >= 2 * (3 + 1000));
}

TEST(make_room_adds_1mb_above_1mb) {
    size_t mb = 1024 * 1024;
    sds s = sds_new_len(NULL, 2 * mb);
    /* Use up whatever the allocator rounded up, so the next call must grow. */
    size_t spare = sds_avail(s);
    memset(s + sds_len(s), 'x', spare);
    sds_incr_len(s, (long)spare);
    size_t len = sds_len(s);
    s = sds_make_room(s, 10);
    size_t alloc = sds_alloc_size(s);
    sds_free(s);
    CHECK(alloc >= len + 10 + mb);
    CHECK(alloc < 2 * len); /* not doubled */
}

TEST(make_room_does_nothing_when_there_is_room) {
    sds s = sds_with_capacity(100);
    size_t alloc = sds_alloc_size(s);
    sds same = sds_make_room(s, 50);
    int unchanged = same == s && sds_alloc_size(same) == alloc;
    sds_free(same);
    CHECK(alloc >= 100);
    CHECK(unchanged);
}

TEST(appending_a_byte_at_a_time_reallocates_logarithmically) {
    sds s = sds_empty();
    int growths = 0;
    for (int i = 0; i < 100000; i++) {
        size_t before = sds_alloc_size(s);
        s = sds_cat_len(s, "x", 1);
        if (sds_alloc_size(s) != before) growths++;
    }
    size_t len = sds_len(s);
    sds_free(s);
    CHECK_EQ_INT(100000, len);
    CHECK(growths <= 20);
}

TEST(shrink_keeps_content_and_drops_most_free_space) {
    sds s = sds_cat(sds_with_capacity(10000), "content");
    s = sds_shrink(s);
    int ok = sds_len(s) == 7 && strcmp(s, "content") == 0;
    size_t alloc = sds_alloc_size(s);
    sds_free(s);
    CHECK(ok);
    CHECK(alloc < 100);
}

/* ---- constructors ----------------------------------------------------- */

TEST(new_len_with_null_init_is_zeroed) {
    sds s = sds_new_len(NULL, 64);
    int zero = 1;
    for (int i = 0; i < 64; i++) zero &= s[i] == 0;
    size_t len = sds_len(s);
    sds_free(s);
    CHECK_EQ_INT(64, len);
    CHECK(zero);
}

TEST(new_of_null_is_empty) {
    sds s = sds_new(NULL);
    size_t len = sds_len(s);
    char first = s[0];
    sds_free(s);
    CHECK_EQ_INT(0, len);
    CHECK_EQ_INT(0, first);
}

TEST(from_ll_prints_the_extremes) {
    sds a = sds_from_ll(LLONG_MIN), b = sds_from_ll(LLONG_MAX), c = sds_from_ll(0);
    int ok = strcmp(a, "-9223372036854775808") == 0 && sds_len(a) == 20 &&
             strcmp(b, "9223372036854775807") == 0 && strcmp(c, "0") == 0;
    sds_free(a);
    sds_free(b);
    sds_free(c);
    CHECK(ok);
}

TEST(free_of_null_is_a_no_op) {
    sds_free(NULL);
    sds_free_split(NULL, 0);
    CHECK(1);
}

TEST(cmp_orders_bytes_unsigned_and_prefixes_first) {
    sds a = sds_new("abc"), ab = sds_new("ab"), high = sds_new("\xff"), nul = sds_new_len("a\0b", 3);
    sds nul2 = sds_new_len("a\0c", 3);
    int ok = sds_cmp(ab, a) < 0 && sds_cmp(a, ab) > 0 && sds_cmp(a, a) == 0 &&
             sds_cmp(a, high) < 0 && sds_cmp(nul, nul2) < 0;
    sds_free(a);
    sds_free(ab);
    sds_free(high);
    sds_free(nul);
    sds_free(nul2);
    CHECK(ok);
}

/* ---- consume / keep_range edges --------------------------------------- */

static int consume_gives(const char *init, size_t count, const char *expected) {
    sds s = sds_new(init);
    sds_consume(s, count);
    int ok = sds_len(s) == strlen(expected) && strcmp(s, expected) == 0;
    sds_free(s);
    return ok;
}

TEST(consume_edges) {
    CHECK(consume_gives("hello", 0, "hello"));
    CHECK(consume_gives("hello", 1, "ello"));
    CHECK(consume_gives("hello", 4, "o"));
    CHECK(consume_gives("hello", 5, ""));
    CHECK(consume_gives("hello", 6, ""));
    CHECK(consume_gives("hello", SIZE_MAX, ""));
    CHECK(consume_gives("", 0, ""));
    CHECK(consume_gives("", 3, ""));
}

static int keep_range_gives(const char *init, size_t start, size_t len, const char *expected) {
    sds s = sds_new(init);
    sds_keep_range(s, start, len);
    int ok = sds_len(s) == strlen(expected) && strcmp(s, expected) == 0;
    sds_free(s);
    return ok;
}

TEST(keep_range_edges) {
    CHECK(keep_range_gives("hello", 0, 5, "hello"));
    CHECK(keep_range_gives("hello", 0, 0, ""));
    CHECK(keep_range_gives("hello", 1, 3, "ell"));
    CHECK(keep_range_gives("hello", 4, 1, "o"));
    CHECK(keep_range_gives("hello", 3, 100, "lo"));
    CHECK(keep_range_gives("hello", 5, 1, ""));
    CHECK(keep_range_gives("hello", 9, 1, ""));
    CHECK(keep_range_gives("", 0, 0, ""));
    CHECK(keep_range_gives("", 0, 10, ""));
}

/* Runs fn in a child so a crash fails this test instead of the binary;
 * returns 1 when the child exited 0. */
static int in_child(int (*fn)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) _exit(fn() ? 0 : 1);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return 0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int keep_range_to_the_end_from_1(void) {
    return keep_range_gives("hello", 1, SIZE_MAX, "ello");
}

static int keep_range_to_the_end_from_0(void) {
    return keep_range_gives("hello", 0, SIZE_MAX, "hello");
}

TEST(keep_range_with_len_size_max_keeps_to_the_end) {
    /* start + len wraps around: the clamp must not be fooled by it. */
    CHECK(in_child(keep_range_to_the_end_from_0));
    CHECK(in_child(keep_range_to_the_end_from_1));
}

TEST(clear_keeps_the_capacity) {
    sds s = sds_cat(sds_with_capacity(500), "abc");
    size_t alloc = sds_alloc_size(s);
    sds_clear(s);
    int ok = sds_len(s) == 0 && s[0] == '\0' && sds_alloc_size(s) == alloc;
    sds_free(s);
    CHECK(ok);
}

/* ---- sds_cat_repr ----------------------------------------------------- */

TEST(cat_repr_escapes_like_valkey) {
    static const char in[] = "a\\\"\n\r\t\a\b\0\xff\x7f ~";
    sds s = sds_cat_repr(sds_new("x="), in, sizeof(in) - 1);
    sds expected = sds_new("x=\"a\\\\\\\"\\n\\r\\t\\a\\b\\x00\\xff\\x7f ~\"");
    int same = sds_cmp(s, expected) == 0;
    sds_free(s);
    sds_free(expected);
    CHECK(same);
}

TEST(cat_repr_of_nothing_is_two_quotes) {
    sds s = sds_cat_repr(sds_empty(), "", 0);
    int ok = strcmp(s, "\"\"") == 0;
    sds_free(s);
    CHECK(ok);
}

TEST(split_args_reads_back_what_cat_repr_wrote) {
    uint64_t rng = 99;
    char buf[300];
    for (int round = 0; round < 2000; round++) {
        size_t len = rng_below(&rng, sizeof(buf));
        random_bytes(&rng, buf, len);
        sds repr = sds_cat_repr(sds_empty(), buf, len);
        int argc = -1;
        sds *argv = sds_split_args(repr, sds_len(repr), &argc);
        int ok = argv && argc == 1 && sds_len(argv[0]) == len && memcmp(argv[0], buf, len) == 0;
        sds_free_split(argv, argv ? argc : 0);
        sds_free(repr);
        if (!ok) test_fail(__FILE__, __LINE__, "round %d: round trip failed", round);
    }
}

/* ---- sds_split_args --------------------------------------------------- */

/* Splits line and checks the result against expected (a NULL-terminated
 * list), or against failure when expected is NULL. */
static void check_split_at(int line_no, const char *line, size_t len, const char *const *expected) {
    int argc = -1;
    sds *argv = sds_split_args(line, len, &argc);
    if (expected == NULL) {
        sds_free_split(argv, argv ? argc : 0);
        if (argv != NULL) test_fail(__FILE__, line_no, "\"%s\": expected an error", line);
        return;
    }
    if (argv == NULL) test_fail(__FILE__, line_no, "\"%s\": unexpected error", line);
    int want = 0;
    while (expected[want]) want++;
    const char *why = NULL;
    if (argc != want) why = "wrong argc";
    for (int i = 0; why == NULL && i < argc; i++)
        if (sds_len(argv[i]) != strlen(expected[i]) || strcmp(argv[i], expected[i]) != 0)
            why = "wrong argument";
    sds_free_split(argv, argc);
    if (why) test_fail(__FILE__, line_no, "\"%s\": %s (argc %d, want %d)", line, why, argc, want);
}

#define SPLIT(line, ...)                                                                          \
    do {                                                                                          \
        static const char *const expected_[] = {__VA_ARGS__, NULL};                               \
        check_split_at(__LINE__, line, strlen(line), expected_);                                  \
    } while (0)
#define SPLIT_FAILS(line) check_split_at(__LINE__, line, strlen(line), NULL)

TEST(split_args_separates_on_whitespace) {
    SPLIT("set key value", "set", "key", "value");
    SPLIT("  lead \t and\ttrail  ", "lead", "and", "trail");
    SPLIT("one", "one");
    SPLIT("a\r\nb", "a", "b");
}

TEST(split_args_of_empty_or_blank_line_gives_argc_zero) {
    static const char *const none[] = {NULL};
    check_split_at(__LINE__, "", 0, none);
    check_split_at(__LINE__, "   ", 3, none);
    check_split_at(__LINE__, "\t\r\n", 3, none);
}

TEST(split_args_double_quotes_group_and_unescape) {
    SPLIT("\"hello world\"", "hello world");
    SPLIT("set \"a b\" c", "set", "a b", "c");
    SPLIT("\"a\\nb\\r\\t\\b\\a\"", "a\nb\r\t\b\a");
    SPLIT("\"q\\\"q\\\\\"", "q\"q\\");
    SPLIT("\"\\z\"", "z"); /* unknown escape: the character itself */
    SPLIT("\"\"", "");
    SPLIT("\"\" \"\"", "", "");
}

TEST(split_args_hex_escapes) {
    SPLIT("\"\\x41\\x4a\\x6b\"", "AJk");
    SPLIT("\"\\x4\"", "x4");   /* one digit: not a hex escape */
    SPLIT("\"\\xZZ\"", "xZZ"); /* not hex digits */
    SPLIT("\\x41", "\\x41");   /* outside quotes: literal */
}

TEST(split_args_hex_escape_can_give_a_nul_byte) {
    static const char line[] = "\"a\\x00b\"";
    int argc = 0;
    sds *argv = sds_split_args(line, sizeof(line) - 1, &argc);
    int ok = argv && argc == 1 && sds_len(argv[0]) == 3 && memcmp(argv[0], "a\0b", 3) == 0;
    sds_free_split(argv, argv ? argc : 0);
    CHECK(ok);
}

TEST(split_args_single_quotes_take_only_escaped_quote) {
    SPLIT("'it\\'s'", "it's");
    SPLIT("'a\\nb'", "a\\nb");
    SPLIT("'a \"b\" c'", "a \"b\" c");
    SPLIT("''", "");
}

TEST(split_args_quotes_may_start_inside_a_token) {
    SPLIT("ab\"cd\"", "abcd");
    SPLIT("a\"b c\" d", "ab c", "d");
    SPLIT("x'y z'", "xy z");
}

TEST(split_args_closing_quote_followed_by_non_space_fails) {
    SPLIT_FAILS("\"a\"b");
    SPLIT_FAILS("'a'b");
    SPLIT_FAILS("\"a\"\"b\"");
    SPLIT_FAILS("set \"a\"b c");
}

TEST(split_args_unbalanced_quotes_fail) {
    SPLIT_FAILS("\"abc");
    SPLIT_FAILS("'abc");
    SPLIT_FAILS("set \"abc\\\"");
    SPLIT_FAILS("'abc\\'");
    SPLIT_FAILS("\"abc\\");
    SPLIT_FAILS("\"");
}

TEST(split_args_stops_at_len) {
    static const char *const first[] = {"abc", NULL};
    check_split_at(__LINE__, "abc def", 3, first);
    /* The closing quote lies beyond len: unbalanced. */
    check_split_at(__LINE__, "\"abc\" x", 4, NULL);
    /* A hex escape cut by len is no hex escape. */
    static const char *const cut[] = {"x4", NULL};
    check_split_at(__LINE__, "\"\\x4\"1\"", 5, cut);
}

TEST(split_args_is_binary_safe_within_len) {
    static const char line[] = "a\0b c";
    int argc = 0;
    sds *argv = sds_split_args(line, sizeof(line) - 1, &argc);
    int ok = argv && argc == 2 && sds_len(argv[0]) == 3 && memcmp(argv[0], "a\0b", 3) == 0 &&
             strcmp(argv[1], "c") == 0;
    sds_free_split(argv, argv ? argc : 0);
    CHECK(ok);
}

TEST(split_args_handles_many_arguments) {
    sds line = sds_empty();
    for (int i = 0; i < 1000; i++) line = sds_cat_printf(line, "arg%d ", i);
    int argc = 0;
    sds *argv = sds_split_args(line, sds_len(line), &argc);
    int ok = argv != NULL && argc == 1000 && strcmp(argv[0], "arg0") == 0 &&
             strcmp(argv[999], "arg999") == 0;
    sds_free_split(argv, argv ? argc : 0);
    sds_free(line);
    CHECK(ok);
}

TEST(split_args_failure_frees_everything) {
    size_t before = mem_used();
    int argc = 7;
    sds *argv = sds_split_args("a b c d e f \"g", 14, &argc);
    CHECK(argv == NULL);
    CHECK_EQ_INT(before, mem_used());
}
