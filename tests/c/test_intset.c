/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_intset.c: the sorted integer array (ds/intset.c).
 *
 * Covers width upgrades at the 16/32/64-bit edges (both signs), ordered
 * inserts and removes, the byte layout Valkey's RDB files use, random
 * picks, validation of corrupt buffers (truncated, bad encoding, wrong
 * length, unsorted or duplicate elements), and a random sequence of adds
 * and removes checked against a naive sorted model.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds/intset.h"
#include "server/mem.h"
#include "test.h"

static uint32_t encoding_of(const Intset *is) {
    uint32_t enc;
    memcpy(&enc, is, 4);
    return enc; /* the test hosts are little-endian */
}

/* Ascending, distinct, and every element found. */
static void check_sorted(const Intset *is) {
    CHECK(intset_validate((const unsigned char *)is, intset_bytes(is), true));
    for (uint32_t i = 0; i < intset_len(is); i++) {
        if (i > 0) CHECK(intset_get(is, i - 1) < intset_get(is, i));
        CHECK(intset_find(is, intset_get(is, i)));
    }
}

TEST(empty_intset_has_nothing) {
    Intset *is = intset_create();
    CHECK_EQ_INT(0, intset_len(is));
    CHECK_EQ_INT(8, intset_bytes(is));
    CHECK(!intset_find(is, 0));
    bool removed = true;
    is = intset_remove(is, 5, &removed);
    CHECK(!removed);
    CHECK_EQ_INT(INTSET_ENC_INT16, encoding_of(is));
    intset_free(is);
}

TEST(add_keeps_order_and_refuses_duplicates) {
    Intset *is = intset_create();
    int64_t values[] = {5, 6, 4, 4, -1, 100, 5};
    bool expect_added[] = {true, true, true, false, true, true, false};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        bool added;
        is = intset_add(is, values[i], &added);
        CHECK_EQ_INT(expect_added[i], added);
    }
    CHECK_EQ_INT(5, intset_len(is));
    int64_t expected[] = {-1, 4, 5, 6, 100};
    for (uint32_t i = 0; i < 5; i++) CHECK_EQ_INT(expected[i], intset_get(is, i));
    CHECK_EQ_INT(-1, intset_min(is));
    CHECK_EQ_INT(100, intset_max(is));
    check_sorted(is);
    intset_free(is);
}

TEST(upgrades_to_32_and_64_bits_at_the_edges) {
    Intset *is = intset_create();
    is = intset_add(is, INT16_MAX, NULL);
    is = intset_add(is, INT16_MIN, NULL);
    CHECK_EQ_INT(INTSET_ENC_INT16, encoding_of(is));
    is = intset_add(is, (int64_t)INT16_MAX + 1, NULL);
    CHECK_EQ_INT(INTSET_ENC_INT32, encoding_of(is));
    CHECK_EQ_INT(8 + 3 * 4, intset_bytes(is));
    is = intset_add(is, INT32_MIN, NULL);
    CHECK_EQ_INT(INTSET_ENC_INT32, encoding_of(is));
    is = intset_add(is, (int64_t)INT32_MIN - 1, NULL); /* negative: goes first */
    CHECK_EQ_INT(INTSET_ENC_INT64, encoding_of(is));
    is = intset_add(is, INT64_MAX, NULL);
    is = intset_add(is, INT64_MIN, NULL);
    CHECK_EQ_INT(7, intset_len(is));
    CHECK_EQ_INT(INT64_MIN, intset_get(is, 0));
    CHECK_EQ_INT((int64_t)INT32_MIN - 1, intset_get(is, 1));
    CHECK_EQ_INT(INT64_MAX, intset_get(is, 6));
    CHECK(intset_find(is, INT16_MIN));
    CHECK(intset_find(is, (int64_t)INT16_MAX + 1));
    check_sorted(is);
    intset_free(is);
}

TEST(upgrade_with_a_positive_value_appends) {
    Intset *is = intset_create();
    for (int i = -3; i <= 3; i++) is = intset_add(is, i, NULL);
    is = intset_add(is, 1LL << 40, NULL);
    CHECK_EQ_INT(INTSET_ENC_INT64, encoding_of(is));
    CHECK_EQ_INT(1LL << 40, intset_max(is));
    CHECK_EQ_INT(-3, intset_min(is));
    check_sorted(is);
    intset_free(is);
}

TEST(values_wider_than_the_encoding_are_never_found) {
    Intset *is = intset_create();
    is = intset_add(is, 1, NULL);
    CHECK(!intset_find(is, 1LL << 33));
    bool removed = true;
    is = intset_remove(is, 1LL << 33, &removed);
    CHECK(!removed);
    intset_free(is);
}

TEST(remove_keeps_the_encoding) {
    Intset *is = intset_create();
    is = intset_add(is, 1, NULL);
    is = intset_add(is, 1LL << 40, NULL);
    bool removed;
    is = intset_remove(is, 1LL << 40, &removed);
    CHECK(removed);
    CHECK_EQ_INT(INTSET_ENC_INT64, encoding_of(is));
    CHECK_EQ_INT(1, intset_len(is));
    CHECK_EQ_INT(1, intset_get(is, 0));
    intset_free(is);
}

TEST(byte_layout_is_valkeys) {
    Intset *is = intset_create();
    is = intset_add(is, 0x0102, NULL);
    is = intset_add(is, -2, NULL);
    const unsigned char expected[] = {2, 0, 0, 0, 2, 0, 0, 0, 0xfe, 0xff, 0x02, 0x01};
    CHECK_EQ_INT(sizeof(expected), intset_bytes(is));
    CHECK(memcmp(is, expected, sizeof(expected)) == 0);
    intset_free(is);
}

TEST(dup_is_equal_and_independent) {
    Intset *is = intset_create();
    for (int i = 0; i < 100; i++) is = intset_add(is, i * 3, NULL);
    Intset *copy = intset_dup(is);
    CHECK_EQ_INT(intset_bytes(is), intset_bytes(copy));
    CHECK(memcmp(is, copy, intset_bytes(is)) == 0);
    copy = intset_remove(copy, 0, NULL);
    CHECK(intset_find(is, 0));
    intset_free(is);
    intset_free(copy);
}

TEST(random_returns_members_and_reaches_all) {
    Intset *is = intset_create();
    for (int i = 0; i < 10; i++) is = intset_add(is, i * 1000, NULL);
    int seen[10] = {0};
    for (int i = 0; i < 2000; i++) {
        int64_t v = intset_random(is);
        CHECK(intset_find(is, v));
        seen[v / 1000]++;
    }
    for (int i = 0; i < 10; i++) CHECK(seen[i] > 100);
    intset_free(is);
}

TEST(validate_refuses_corrupt_buffers) {
    Intset *is = intset_create();
    for (int i = 0; i < 4; i++) is = intset_add(is, i, NULL);
    size_t bytes = intset_bytes(is);
    unsigned char buf[64];
    memcpy(buf, is, bytes);
    CHECK(intset_validate(buf, bytes, true));
    /* Too short for the header, truncated, trailing bytes. */
    CHECK(!intset_validate(buf, 7, false));
    CHECK(!intset_validate(buf, 0, false));
    CHECK(!intset_validate(buf, bytes - 1, false));
    CHECK(!intset_validate(buf, bytes + 1, false));
    /* Unknown encoding. */
    buf[0] = 3;
    CHECK(!intset_validate(buf, bytes, false));
    buf[0] = 2;
    /* A length that points far past the buffer (must not be read). */
    uint32_t huge = 0xffffffffu;
    memcpy(buf + 4, &huge, 4);
    CHECK(!intset_validate(buf, bytes, true));
    memcpy(buf, is, bytes);
    /* Duplicate and unsorted elements: only a deep check sees them. */
    buf[8 + 2] = buf[8]; /* element 1 = element 0 */
    buf[8 + 3] = buf[9];
    CHECK(intset_validate(buf, bytes, false));
    CHECK(!intset_validate(buf, bytes, true));
    memcpy(buf, is, bytes);
    buf[8] = 9; /* element 0 > element 1 */
    CHECK(!intset_validate(buf, bytes, true));
    /* Empty intset is fine; unaligned buffers too. */
    const unsigned char empty[] = {0, 4, 0, 0, 0, 0, 0, 0, 0};
    CHECK(intset_validate(empty + 1, 8, true));
    intset_free(is);
}

/* Random adds and removes against a naive sorted array of distinct values. */
static int64_t random_value(void) {
    switch (rand() % 4) {
    case 0: return rand() % 200 - 100;
    case 1: return (rand() % 70000) - 35000;
    case 2: return ((int64_t)rand() << 8) - (1LL << 38);
    default: return ((int64_t)rand() << 33) ^ rand();
    }
}

TEST(random_operations_match_a_model) {
    srand(7);
    size_t before = mem_used();
    Intset *is = intset_create();
    int64_t model[600];
    size_t model_len = 0;
    for (int step = 0; step < 20000; step++) {
        int64_t v = random_value();
        size_t at = 0;
        while (at < model_len && model[at] < v) at++;
        bool present = at < model_len && model[at] == v;
        if (rand() % 3 != 0 && model_len < 600) {
            bool added;
            is = intset_add(is, v, &added);
            CHECK_EQ_INT(!present, added);
            if (!present) {
                memmove(model + at + 1, model + at, (model_len - at) * sizeof(int64_t));
                model[at] = v;
                model_len++;
            }
        } else {
            if (model_len > 0 && rand() % 2) { /* remove a present one */
                at = (size_t)rand() % model_len;
                v = model[at];
                present = true;
            }
            bool removed;
            is = intset_remove(is, v, &removed);
            CHECK_EQ_INT(present, removed);
            if (present) {
                memmove(model + at, model + at + 1, (model_len - at - 1) * sizeof(int64_t));
                model_len--;
            }
        }
        CHECK_EQ_INT(model_len, intset_len(is));
    }
    for (size_t i = 0; i < model_len; i++) CHECK_EQ_INT(model[i], intset_get(is, (uint32_t)i));
    check_sorted(is);
    intset_free(is);
    CHECK_EQ_INT(before, mem_used());
}
