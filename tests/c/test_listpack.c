/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_listpack.c: the listpack (ds/listpack.c).
 *
 * Every encoding is round-tripped at its edges and checked byte for byte
 * against the public format; then inserts, replaces, deletes, seeks and
 * finds are checked against a naive model (an array of strings) fed the same
 * random operations; then lp_validate is fed every truncation and many
 * single-byte corruptions of valid listpacks, each copied into an exactly
 * sized heap buffer so an out-of-bounds read shows under AddressSanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/listpack.h"
#include "server/mem.h"
#include "test.h"

/* The element at p as text, into buf (at least 64 bytes or the string). */
static size_t entry_text(unsigned char *p, char *out, size_t cap) {
    unsigned char buf[LP_INTBUF_SIZE];
    size_t len;
    const unsigned char *s = lp_get_bytes(p, buf, &len);
    if (len > cap) len = cap;
    memcpy(out, s, len);
    return len;
}

static unsigned char *append_str(unsigned char *lp, const char *s) {
    return lp_append(lp, (const unsigned char *)s, strlen(s));
}

TEST(lp_empty) {
    unsigned char *lp = lp_new(0);
    CHECK_EQ_INT(7, lp_bytes(lp));
    CHECK_EQ_INT(0, lp_length(lp));
    CHECK(lp_first(lp) == NULL);
    CHECK(lp_last(lp) == NULL);
    CHECK(lp_seek(lp, 0) == NULL);
    CHECK(lp_seek(lp, -1) == NULL);
    CHECK(lp_validate(lp, lp_bytes(lp)));
    lp_free(lp);
}

/* Integer edges of every integer encoding, and the entry bytes each takes. */
TEST(lp_integer_encodings_round_trip) {
    static const struct {
        long long value;
        size_t entry_bytes; /* encoding + data + backlen */
    } cases[] = {
        {0, 2},          {127, 2},        {128, 3},        {-1, 3},
        {4095, 3},       {-4096, 3},      {4096, 4},       {-4097, 4},
        {32767, 4},      {-32768, 4},     {32768, 5},      {-32769, 5},
        {8388607, 5},    {-8388608, 5},   {8388608, 6},    {-8388609, 6},
        {2147483647, 6}, {-2147483648LL, 6}, {2147483648LL, 10}, {-2147483649LL, 10},
        {INT64_MAX, 10}, {INT64_MIN, 10},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char *lp = lp_new(0);
        lp = lp_append_int(lp, cases[i].value);
        CHECK_EQ_INT(7 + cases[i].entry_bytes, lp_bytes(lp));
        LpEntry e;
        lp_get(lp_first(lp), &e);
        CHECK(e.str == NULL);
        CHECK_EQ_INT(cases[i].value, e.ival);
        /* The same value given as text is stored the same way. */
        char text[32];
        int n = snprintf(text, sizeof(text), "%lld", cases[i].value);
        unsigned char *lp2 = lp_new(0);
        lp2 = lp_append(lp2, (unsigned char *)text, (size_t)n);
        CHECK_EQ_INT(lp_bytes(lp), lp_bytes(lp2));
        CHECK(memcmp(lp, lp2, lp_bytes(lp)) == 0);
        CHECK(lp_equals(lp_first(lp), (unsigned char *)text, (size_t)n));
        char out[64];
        size_t len = entry_text(lp_first(lp), out, sizeof(out));
        CHECK_EQ_INT(n, len);
        CHECK(memcmp(out, text, len) == 0);
        CHECK(lp_validate(lp, lp_bytes(lp)));
        lp_free(lp);
        lp_free(lp2);
    }
}

/* Exact bytes of a few entries as the public format spells them. */
TEST(lp_bytes_match_public_format) {
    unsigned char *lp = lp_new(0);
    lp = lp_append_int(lp, 5);     /* 05 01 */
    lp = lp_append_int(lp, -1);    /* DF FF 02 */
    lp = append_str(lp, "ab");     /* 82 61 62 03 */
    lp = lp_append_int(lp, 1000);  /* C3 E8 02 */
    lp = lp_append_int(lp, 40000); /* F2 40 9C 00 04 */
    static const unsigned char expected[] = {
        24, 0, 0, 0, 5, 0, 0x05, 0x01, 0xDF, 0xFF, 0x02, 0x82, 'a', 'b', 0x03,
        0xC3, 0xE8, 0x02, 0xF2, 0x40, 0x9C, 0x00, 0x04, 0xFF,
    };
    CHECK_EQ_INT(sizeof(expected), lp_bytes(lp));
    CHECK(memcmp(lp, expected, sizeof(expected)) == 0);
    lp_free(lp);
}

/* Strings at the edges of the 6-bit, 12-bit and 32-bit length encodings,
 * and texts that look like integers but are not canonical. */
TEST(lp_string_encodings_round_trip) {
    static const size_t lens[] = {0, 1, 63, 64, 127, 128, 4095, 4096, 16380, 16383, 70000};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        size_t len = lens[i];
        unsigned char *s = malloc(len + 1);
        for (size_t j = 0; j < len; j++) s[j] = (unsigned char)('a' + j % 26);
        unsigned char *lp = lp_new(0);
        lp = lp_append(lp, s, len);
        lp = lp_append_int(lp, 7);
        lp = lp_prepend(lp, s, len);
        CHECK_EQ_INT(3, lp_length(lp));
        LpEntry e;
        lp_get(lp_seek(lp, 0), &e);
        CHECK(e.str != NULL);
        CHECK_EQ_INT(len, e.len);
        CHECK(len == 0 || memcmp(e.str, s, len) == 0);
        lp_get(lp_seek(lp, 1), &e);
        CHECK_EQ_INT(len, e.len);
        /* Walking back over the long entry needs its back-length. */
        unsigned char *p = lp_last(lp);
        lp_get(p, &e);
        CHECK_EQ_INT(7, e.ival);
        p = lp_prev(lp, p);
        p = lp_prev(lp, p);
        CHECK(p == lp_first(lp));
        CHECK(lp_prev(lp, p) == NULL);
        CHECK(lp_validate(lp, lp_bytes(lp)));
        lp_free(lp);
        free(s);
    }
    static const char *not_ints[] = {"01", "-0", "+1", " 1", "1 ", "9223372036854775808", "1.0", "-"};
    for (size_t i = 0; i < sizeof(not_ints) / sizeof(not_ints[0]); i++) {
        unsigned char *lp = append_str(lp_new(0), not_ints[i]);
        LpEntry e;
        lp_get(lp_first(lp), &e);
        CHECK(e.str != NULL);
        CHECK_EQ_INT(strlen(not_ints[i]), e.len);
        CHECK(lp_equals(lp_first(lp), (unsigned char *)not_ints[i], strlen(not_ints[i])));
        lp_free(lp);
    }
}

TEST(lp_seek_next_prev) {
    unsigned char *lp = lp_new(0);
    for (int i = 0; i < 300; i++) lp = lp_append_int(lp, i * 1000);
    CHECK_EQ_INT(300, lp_length(lp));
    for (long i = -300; i < 300; i++) {
        unsigned char *p = lp_seek(lp, i);
        CHECK(p != NULL);
        LpEntry e;
        lp_get(p, &e);
        CHECK_EQ_INT(((i + 300) % 300) * 1000, e.ival);
    }
    CHECK(lp_seek(lp, 300) == NULL);
    CHECK(lp_seek(lp, -301) == NULL);
    int n = 0;
    for (unsigned char *p = lp_first(lp); p; p = lp_next(lp, p)) n++;
    CHECK_EQ_INT(300, n);
    n = 0;
    for (unsigned char *p = lp_last(lp); p; p = lp_prev(lp, p)) n++;
    CHECK_EQ_INT(300, n);
    lp_free(lp);
}

TEST(lp_find_with_skip) {
    unsigned char *lp = lp_new(0);
    /* key/value pairs where values collide with later keys */
    const char *items[] = {"a", "b", "b", "12", "12", "x", "c", "-5", "-5", "a"};
    for (int i = 0; i < 10; i++) lp = append_str(lp, items[i]);
    unsigned char *p = lp_find(lp, lp_first(lp), (unsigned char *)"b", 1, 1);
    CHECK(p == lp_seek(lp, 2));
    p = lp_find(lp, lp_first(lp), (unsigned char *)"12", 2, 1);
    CHECK(p == lp_seek(lp, 4));
    p = lp_find(lp, lp_first(lp), (unsigned char *)"-5", 2, 1);
    CHECK(p == lp_seek(lp, 8));
    p = lp_find(lp, lp_first(lp), (unsigned char *)"x", 1, 1);
    CHECK(p == NULL); /* only a value */
    p = lp_find(lp, lp_first(lp), (unsigned char *)"x", 1, 0);
    CHECK(p == lp_seek(lp, 5));
    p = lp_find(lp, lp_first(lp), (unsigned char *)"012", 3, 0);
    CHECK(p == NULL);
    p = lp_find(lp, lp_seek(lp, 1), (unsigned char *)"a", 1, 0);
    CHECK(p == lp_seek(lp, 9));
    CHECK(lp_find(lp, NULL, (unsigned char *)"a", 1, 0) == NULL);
    lp_free(lp);
}

/* ---- random operations against a model ---- */

#define MODEL_MAX 400

typedef struct Model {
    char *items[MODEL_MAX];
    size_t lens[MODEL_MAX];
    size_t count;
} Model;

static void random_element(char *buf, size_t *len) {
    switch (rand() % 5) {
    case 0: *len = (size_t)snprintf(buf, 64, "%d", rand() % 200 - 100); break;
    case 1: *len = (size_t)snprintf(buf, 64, "%lld", (long long)rand() * rand() * (rand() % 2 ? 1 : -1)); break;
    case 2: *len = (size_t)snprintf(buf, 64, "0%d", rand() % 100); break;
    case 3: {
        *len = (size_t)(rand() % 200);
        for (size_t i = 0; i < *len; i++) buf[i] = (char)('a' + rand() % 26);
        break;
    }
    default: *len = (size_t)snprintf(buf, 64, "k%d", rand() % 50); break;
    }
}

static void model_check(const Model *m, unsigned char *lp) {
    CHECK_EQ_INT(m->count, lp_length(lp));
    CHECK(lp_validate(lp, lp_bytes(lp)));
    unsigned char *p = lp_first(lp);
    for (size_t i = 0; i < m->count; i++) {
        CHECK(p != NULL);
        CHECK(lp_equals(p, (unsigned char *)m->items[i], m->lens[i]));
        p = lp_next(lp, p);
    }
    CHECK(p == NULL);
}

TEST(lp_random_ops_match_model) {
    srand(1234);
    Model m = {0};
    unsigned char *lp = lp_new(0);
    char buf[256];
    for (int round = 0; round < 20000; round++) {
        size_t len;
        int op = rand() % 7;
        if (m.count >= MODEL_MAX - 1) op = 3;
        size_t idx = m.count ? (size_t)rand() % m.count : 0;
        if (op <= 1 || m.count == 0) { /* insert before/after, or append */
            random_element(buf, &len);
            unsigned char *newp = NULL;
            size_t at;
            if (m.count == 0) {
                lp = lp_append(lp, (unsigned char *)buf, len);
                at = 0;
            } else {
                int where = op == 0 ? LP_BEFORE : LP_AFTER;
                lp = lp_insert(lp, lp_seek(lp, (long)idx), where, (unsigned char *)buf, len, &newp);
                at = where == LP_BEFORE ? idx : idx + 1;
                CHECK(newp == lp_seek(lp, (long)at));
            }
            memmove(&m.items[at + 1], &m.items[at], (m.count - at) * sizeof(char *));
            memmove(&m.lens[at + 1], &m.lens[at], (m.count - at) * sizeof(size_t));
            m.items[at] = malloc(len + 1);
            memcpy(m.items[at], buf, len);
            m.lens[at] = len;
            m.count++;
        } else if (op == 2) { /* replace */
            random_element(buf, &len);
            unsigned char *p = lp_seek(lp, (long)idx);
            lp = lp_replace(lp, &p, (unsigned char *)buf, len);
            CHECK(p == lp_seek(lp, (long)idx));
            free(m.items[idx]);
            m.items[idx] = malloc(len + 1);
            memcpy(m.items[idx], buf, len);
            m.lens[idx] = len;
        } else if (op == 3) { /* delete one */
            unsigned char *p = lp_seek(lp, (long)idx);
            lp = lp_delete(lp, &p);
            CHECK(p == lp_seek(lp, (long)idx));
            free(m.items[idx]);
            memmove(&m.items[idx], &m.items[idx + 1], (m.count - idx - 1) * sizeof(char *));
            memmove(&m.lens[idx], &m.lens[idx + 1], (m.count - idx - 1) * sizeof(size_t));
            m.count--;
        } else if (op == 4) { /* delete a range */
            size_t n = (size_t)rand() % 4;
            lp = lp_delete_range(lp, (long)idx - (long)m.count, n);
            if (idx + n > m.count) n = m.count - idx;
            for (size_t i = 0; i < n; i++) free(m.items[idx + i]);
            memmove(&m.items[idx], &m.items[idx + n], (m.count - idx - n) * sizeof(char *));
            memmove(&m.lens[idx], &m.lens[idx + n], (m.count - idx - n) * sizeof(size_t));
            m.count -= n;
        } else if (op == 5) { /* find */
            unsigned char *p = lp_find(lp, lp_first(lp), (unsigned char *)m.items[idx], m.lens[idx], 0);
            CHECK(p != NULL);
            size_t first = 0;
            while (m.lens[first] != m.lens[idx] || memcmp(m.items[first], m.items[idx], m.lens[idx]) != 0)
                first++;
            CHECK(p == lp_seek(lp, (long)first));
        } else { /* prepend */
            random_element(buf, &len);
            lp = lp_prepend(lp, (unsigned char *)buf, len);
            memmove(&m.items[1], &m.items[0], m.count * sizeof(char *));
            memmove(&m.lens[1], &m.lens[0], m.count * sizeof(size_t));
            m.items[0] = malloc(len + 1);
            memcpy(m.items[0], buf, len);
            m.lens[0] = len;
            m.count++;
        }
        if (round % 97 == 0) model_check(&m, lp);
    }
    model_check(&m, lp);
    for (size_t i = 0; i < m.count; i++) free(m.items[i]);
    lp_free(lp);
}

TEST(lp_merge_and_dup) {
    unsigned char *a = lp_new(0), *b = lp_new(0);
    for (int i = 0; i < 10; i++) a = lp_append_int(a, i);
    for (int i = 10; i < 25; i++) b = lp_append_int(b, i);
    unsigned char *copy = lp_dup(a);
    CHECK(memcmp(copy, a, lp_bytes(a)) == 0);
    a = lp_merge(a, b);
    CHECK_EQ_INT(25, lp_length(a));
    CHECK(lp_validate(a, lp_bytes(a)));
    for (int i = 0; i < 25; i++) {
        LpEntry e;
        lp_get(lp_seek(a, i), &e);
        CHECK_EQ_INT(i, e.ival);
    }
    CHECK_EQ_INT(10, lp_length(copy));
    lp_free(a);
    lp_free(copy);
}

/* More than 65535 elements: the header count saturates and is walked. */
TEST(lp_count_past_header_limit) {
    unsigned char *lp = lp_new(0);
    for (int i = 0; i < 70000; i++) lp = lp_append_int(lp, i % 100);
    CHECK_EQ_INT(70000, lp_length(lp));
    CHECK(lp_validate(lp, lp_bytes(lp)));
    lp = lp_delete_range(lp, 0, 6000);
    CHECK_EQ_INT(64000, lp_length(lp));
    CHECK(lp_validate(lp, lp_bytes(lp)));
    LpEntry e;
    lp_get(lp_seek(lp, -1), &e);
    CHECK_EQ_INT(69999 % 100, e.ival);
    lp_free(lp);
}

TEST(lp_safe_to_add) {
    unsigned char *lp = lp_new(0);
    CHECK(lp_safe_to_add(lp, 1000));
    CHECK(!lp_safe_to_add(lp, (1UL << 30)));
    lp_free(lp);
}

/* ---- validation of damaged buffers ---- */

static bool validate_copy(const unsigned char *src, size_t size) {
    unsigned char *copy = malloc(size ? size : 1);
    memcpy(copy, src, size);
    bool ok = lp_validate(copy, size);
    free(copy);
    return ok;
}

static unsigned char *sample_listpack(void) {
    unsigned char *lp = lp_new(0);
    lp = append_str(lp, "hello");
    lp = lp_append_int(lp, 3);
    lp = lp_append_int(lp, -3000);
    lp = lp_append_int(lp, 1LL << 40);
    char big[300];
    memset(big, 'z', sizeof(big));
    lp = lp_append(lp, (unsigned char *)big, sizeof(big));
    lp = lp_append_int(lp, 70000);
    return lp;
}

TEST(lp_validate_rejects_truncation) {
    unsigned char *lp = sample_listpack();
    size_t bytes = lp_bytes(lp);
    CHECK(validate_copy(lp, bytes));
    for (size_t cut = 0; cut < bytes; cut++) {
        /* As is (header says more than there is), and with the header
         * rewritten to the cut size and a terminator planted at the end. */
        CHECK(!validate_copy(lp, cut));
        if (cut >= 7) {
            unsigned char *copy = malloc(cut);
            memcpy(copy, lp, cut);
            copy[0] = (unsigned char)cut, copy[1] = copy[2] = copy[3] = 0;
            copy[cut - 1] = 0xFF;
            CHECK(!lp_validate(copy, cut) || cut == bytes);
            free(copy);
        }
    }
    CHECK(!lp_validate(NULL, 0));
    lp_free(lp);
}

TEST(lp_validate_rejects_corruption) {
    unsigned char *lp = sample_listpack();
    size_t bytes = lp_bytes(lp);
    unsigned char *copy = malloc(bytes);
    int rejected = 0, total = 0;
    for (size_t pos = 0; pos < bytes; pos++) {
        for (int v = 0; v < 256; v += 7) {
            memcpy(copy, lp, bytes);
            if (copy[pos] == (unsigned char)v) continue;
            copy[pos] = (unsigned char)v;
            if (pos < 4) total++;
            if (!lp_validate(copy, bytes)) {
                if (pos < 4) rejected++;
                continue;
            }
            /* Accepted changes must still be walkable within bounds. */
            unsigned long n = 0;
            for (unsigned char *p = lp_first(copy); p; p = lp_next(copy, p)) {
                unsigned char buf[LP_INTBUF_SIZE];
                size_t len;
                lp_get_bytes(p, buf, &len);
                n++;
            }
            CHECK_EQ_INT(lp_length(copy), n);
        }
    }
    CHECK_EQ_INT(total, rejected); /* every change of the total-bytes field */
    /* A count that disagrees with the entries. */
    memcpy(copy, lp, bytes);
    copy[4] = 5;
    CHECK(!lp_validate(copy, bytes));
    /* An unused encoding byte. */
    memcpy(copy, lp, bytes);
    copy[6] = 0xF7;
    CHECK(!lp_validate(copy, bytes));
    free(copy);
    lp_free(lp);
}
