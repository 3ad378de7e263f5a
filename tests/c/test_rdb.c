/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_rdb.c: the RDB primitives (persist/rdb_io.h): lengths in
 * every width, integer-encoded and LZF strings, doubles, and the reader's
 * refusal of truncated or malformed input; plus the ziplist and zipmap
 * converters on hand-built blobs.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ds/listpack.h"
#include "persist/rdb_format.h"
#include "persist/rdb_io.h"
#include "persist/rdb_ziplist.h"
#include "test.h"

static void roundtrip_len(uint64_t len, size_t expected_bytes) {
    RdbOut out;
    rdb_out_init(&out, -1, false, false);
    rdb_out_len(&out, len);
    CHECK_EQ_INT(expected_bytes, sds_len(out.buf));
    RdbIn in;
    rdb_in_init(&in, out.buf, sds_len(out.buf));
    uint64_t got;
    CHECK(rdb_in_len(&in, &got, NULL));
    CHECK(got == len);
    CHECK_EQ_INT(in.len, in.pos);
    rdb_out_deinit(&out);
}

TEST(rdb_lengths_every_width) {
    roundtrip_len(0, 1);
    roundtrip_len(63, 1);
    roundtrip_len(64, 2);
    roundtrip_len(16383, 2);
    roundtrip_len(16384, 5);
    roundtrip_len(UINT32_MAX, 5);
    roundtrip_len((uint64_t)UINT32_MAX + 1, 9);
}

static sds roundtrip_string(const char *s, size_t len, bool compress, size_t *written) {
    RdbOut out;
    rdb_out_init(&out, -1, false, compress);
    rdb_out_string(&out, s, len);
    *written = sds_len(out.buf);
    RdbIn in;
    rdb_in_init(&in, out.buf, sds_len(out.buf));
    sds got = NULL;
    CHECK(rdb_in_string(&in, &got));
    CHECK_EQ_INT(in.len, in.pos);
    rdb_out_deinit(&out);
    return got;
}

TEST(rdb_strings_integer_encoded) {
    const char *cases[] = {"0", "-1", "127", "-128", "300", "-32768", "70000", "-2147483648"};
    size_t sizes[] = {2, 2, 2, 2, 3, 3, 5, 5};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t written;
        sds got = roundtrip_string(cases[i], strlen(cases[i]), false, &written);
        CHECK_EQ_STR(cases[i], got);
        CHECK_EQ_INT(sizes[i], written);
        sds_free(got);
    }
    /* Not canonical integers: stored as text. */
    size_t written;
    sds got = roundtrip_string("007", 3, false, &written);
    CHECK_EQ_STR("007", got);
    CHECK_EQ_INT(4, written);
    sds_free(got);
}

TEST(rdb_strings_lzf) {
    char big[1000];
    memset(big, 'a', sizeof(big));
    size_t written;
    sds got = roundtrip_string(big, sizeof(big), true, &written);
    CHECK(sds_len(got) == sizeof(big) && memcmp(got, big, sizeof(big)) == 0);
    CHECK(written < 100);
    sds_free(got);
    got = roundtrip_string(big, sizeof(big), false, &written);
    CHECK(written == sizeof(big) + 2); /* 14-bit length */
    sds_free(got);
}

TEST(rdb_reader_refuses_truncation_everywhere) {
    char big[200];
    for (size_t i = 0; i < sizeof(big); i++) big[i] = (char)('a' + i % 3);
    RdbOut out;
    rdb_out_init(&out, -1, false, true);
    rdb_out_string(&out, big, sizeof(big));
    for (size_t cut = 0; cut < sds_len(out.buf); cut++) {
        RdbIn in;
        rdb_in_init(&in, out.buf, cut);
        sds got = NULL;
        CHECK(!rdb_in_string(&in, &got));
        CHECK(strstr(in.err, "at offset") != NULL);
    }
    rdb_out_deinit(&out);
}

TEST(rdb_reader_refuses_bad_encodings) {
    const unsigned char bad_len[] = {0x82};
    RdbIn in;
    uint64_t len;
    rdb_in_init(&in, bad_len, 1);
    CHECK(!rdb_in_len(&in, &len, NULL));
    const unsigned char bad_enc[] = {0xC4};
    sds s;
    rdb_in_init(&in, bad_enc, 1);
    CHECK(!rdb_in_string(&in, &s));
    /* LZF claiming an absurd uncompressed size. */
    const unsigned char bad_lzf[] = {0xC3, 0x01, 0x80, 0x7f, 0xff, 0xff, 0xff, 0x00};
    rdb_in_init(&in, bad_lzf, sizeof(bad_lzf));
    CHECK(!rdb_in_string(&in, &s));
}

TEST(rdb_doubles) {
    RdbOut out;
    rdb_out_init(&out, -1, false, false);
    rdb_out_double_binary(&out, 3.25);
    RdbIn in;
    rdb_in_init(&in, out.buf, sds_len(out.buf));
    double d;
    CHECK(rdb_in_double_binary(&in, &d) && d == 3.25);
    rdb_out_deinit(&out);
    const unsigned char text[] = {4, '1', '.', '5', '0', RDB_DOUBLE_POS_INF, RDB_DOUBLE_NAN};
    rdb_in_init(&in, text, sizeof(text));
    CHECK(rdb_in_double_text(&in, &d) && d == 1.5);
    CHECK(rdb_in_double_text(&in, &d) && isinf(d) && d > 0);
    CHECK(!rdb_in_double_text(&in, &d));
}

TEST(rdb_ziplist_conversion) {
    /* A ziplist of "ab", 5 (immediate), 1000 (int16). */
    const unsigned char zl[] = {
        21, 0, 0, 0,  /* total bytes */
        16, 0, 0, 0,  /* tail offset */
        3, 0,         /* count */
        0, 0x02, 'a', 'b',       /* prevlen 0, 2-byte string */
        4, 0xF6,                 /* prevlen 4, immediate 5 */
        2, 0xC0, 0xE8, 0x03,     /* prevlen 2, int16 1000 */
        0xFF};
    char err[128];
    unsigned char *lp = rdb_ziplist_to_listpack(zl, sizeof(zl), err, sizeof(err));
    CHECK(lp != NULL);
    CHECK_EQ_INT(3, lp_length(lp));
    CHECK(lp_equals(lp_seek(lp, 0), (const unsigned char *)"ab", 2));
    CHECK(lp_equals(lp_seek(lp, 1), (const unsigned char *)"5", 1));
    CHECK(lp_equals(lp_seek(lp, 2), (const unsigned char *)"1000", 4));
    lp_free(lp);
    /* Every truncation or single-byte corruption is refused or converted,
     * never read past the end (run under ASan to see). */
    for (size_t cut = 0; cut < sizeof(zl); cut++)
        CHECK(rdb_ziplist_to_listpack(zl, cut, err, sizeof(err)) == NULL);
    unsigned char bad[sizeof(zl)];
    memcpy(bad, zl, sizeof(zl));
    bad[11] = 0x40; /* string length now 14 bits, past the end */
    CHECK(rdb_ziplist_to_listpack(bad, sizeof(bad), err, sizeof(err)) == NULL);
}

TEST(rdb_zipmap_conversion) {
    const unsigned char zm[] = {1, 1, 'f', 2, 0, 'v', 'w', 0xFF};
    char err[128];
    unsigned char *lp = rdb_zipmap_to_listpack(zm, sizeof(zm), err, sizeof(err));
    CHECK(lp != NULL);
    CHECK_EQ_INT(2, lp_length(lp));
    CHECK(lp_equals(lp_seek(lp, 1), (const unsigned char *)"vw", 2));
    lp_free(lp);
    for (size_t cut = 0; cut < sizeof(zm); cut++)
        CHECK(rdb_zipmap_to_listpack(zm, cut, err, sizeof(err)) == NULL);
}
