/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_aof.c: the AOF's pure parts: the RESP command reader (good
 * commands, annotations, a command cut by the end of the bytes, bytes that
 * are not RESP), the encoder, and the manifest (parsing, its errors, the
 * text form, giving out base/incr names, moving files to history).
 */
#include <stdlib.h>
#include <string.h>

#include "persist/aof_internal.h"
#include "test.h"

static AofParseResult read_one(const char *text, sds **argv, int *argc, AofReader *r) {
    aof_reader_init(r, text, strlen(text));
    return aof_reader_next(r, argv, argc);
}

TEST(aof_reader_reads_commands_and_skips_annotations) {
    const char *text = "#TS:1700000000\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$0\r\n\r\n";
    AofReader r;
    sds *argv;
    int argc;
    CHECK_EQ_INT(AOF_PARSE_OK, read_one(text, &argv, &argc, &r));
    CHECK_EQ_INT(2, argc);
    CHECK_EQ_STR("GET", argv[0]);
    CHECK_EQ_STR("k", argv[1]);
    CHECK_EQ_INT(1700000000, r.ts_last);
    aof_args_free(argv, argc);
    CHECK_EQ_INT(AOF_PARSE_OK, aof_reader_next(&r, &argv, &argc));
    CHECK_EQ_INT(1, argc);
    CHECK_EQ_INT(0, sds_len(argv[0]));
    aof_args_free(argv, argc);
    CHECK_EQ_INT(AOF_PARSE_END, aof_reader_next(&r, &argv, &argc));
    CHECK_EQ_INT(strlen(text), r.pos);
}

TEST(aof_reader_tells_a_cut_command_from_garbage) {
    static const char *const truncated[] = {"*", "*2", "*2\r", "*2\r\n", "*2\r\n$3",
                                            "*2\r\n$3\r\nGE", "*2\r\n$3\r\nGET\r",
                                            "*2\r\n$3\r\nGET\r\n$1\r\nk", "#TS:1", NULL};
    for (int i = 0; truncated[i]; i++) {
        AofReader r;
        sds *argv;
        int argc;
        CHECK_EQ_INT(AOF_PARSE_TRUNCATED, read_one(truncated[i], &argv, &argc, &r));
        CHECK_EQ_INT(0, r.pos);
    }
    static const char *const bad[] = {"garbage\r\n", "*0\r\n", "*-1\r\n", "*x\r\n",
                                      "*1\r\n:1\r\n", "*1\r\n$1\r\nab\r\n", "*1\n$1\na\n",
                                      "*1\r\n$-3\r\n", NULL};
    for (int i = 0; bad[i]; i++) {
        AofReader r;
        sds *argv;
        int argc;
        CHECK_EQ_INT(AOF_PARSE_BAD, read_one(bad[i], &argv, &argc, &r));
        CHECK(r.err[0] != '\0');
    }
}

TEST(aof_encoder_writes_resp_arrays) {
    sds argv[3] = {sds_new("SET"), sds_new("key"), sds_new_len("a\r\nb", 4)};
    sds out = aof_cat_command(sds_empty(), 3, argv);
    CHECK(sds_len(out) == strlen("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$4\r\n") + 6);
    CHECK(memcmp(out, "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$4\r\na\r\nb\r\n", sds_len(out)) == 0);
    AofReader r;
    aof_reader_init(&r, out, sds_len(out));
    sds *back;
    int argc;
    CHECK_EQ_INT(AOF_PARSE_OK, aof_reader_next(&r, &back, &argc));
    CHECK_EQ_INT(3, argc);
    CHECK_EQ_INT(4, sds_len(back[2]));
    aof_args_free(back, argc);
    for (int i = 0; i < 3; i++) sds_free(argv[i]);
    sds_free(out);
}

TEST(aof_manifest_parses_and_formats_valkeys_lines) {
    const char *text = "# comment\n"
                       "file appendonly.aof.2.base.rdb seq 2 type b\n"
                       "file appendonly.aof.1.incr.aof seq 1 type h\n"
                       "file appendonly.aof.3.incr.aof seq 3 type i\n"
                       "file \"with space.aof\" type i seq 4 extra ignored\n";
    char err[128];
    AofManifest *m = aof_manifest_parse(text, strlen(text), err, sizeof(err));
    CHECK(m != NULL);
    CHECK_EQ_STR("appendonly.aof.2.base.rdb", m->base->name);
    CHECK_EQ_INT(2, m->base_seq);
    CHECK_EQ_INT(2, m->incr_count);
    CHECK_EQ_INT(4, m->incr_seq);
    CHECK_EQ_INT(1, m->history_count);
    sds out = aof_manifest_format(m);
    CHECK_EQ_STR("file appendonly.aof.2.base.rdb seq 2 type b\n"
                 "file appendonly.aof.1.incr.aof seq 1 type h\n"
                 "file appendonly.aof.3.incr.aof seq 3 type i\n"
                 "file \"with space.aof\" seq 4 type i\n",
                 out);
    sds_free(out);
    aof_manifest_destroy(m);
}

TEST(aof_manifest_refuses_bad_files) {
    static const char *const bad[] = {
        "",
        "# only a comment\n",
        "file a seq 1\n",
        "file a seq x type b\n",
        "file a seq 1 type z\n",
        "file a seq 1 type b\nfile b seq 2 type b\n",
        "file a seq 2 type i\nfile b seq 2 type i\n",
        "file dir/a seq 1 type b\n",
        "file \"unbalanced seq 1 type b\n",
        NULL};
    for (int i = 0; bad[i]; i++) {
        char err[128] = "";
        AofManifest *m = aof_manifest_parse(bad[i], strlen(bad[i]), err, sizeof(err));
        if (m != NULL) test_fail(__FILE__, __LINE__, "accepted manifest %d", i);
        CHECK(err[0] != '\0');
    }
}

TEST(aof_manifest_gives_out_names_and_history) {
    char *saved = cfg_appendfilename;
    cfg_appendfilename = (char *)"appendonly.aof";
    AofManifest *m = aof_manifest_create();
    CHECK_EQ_STR("appendonly.aof.1.base.rdb", aof_manifest_new_base(m, true));
    CHECK_EQ_STR("appendonly.aof.1.incr.aof", aof_manifest_new_incr(m));
    CHECK_EQ_STR("appendonly.aof.2.incr.aof", aof_manifest_new_incr(m));
    CHECK_EQ_STR("appendonly.aof.2.base.aof", aof_manifest_new_base(m, false));
    aof_manifest_incr_to_history(m, 1);
    CHECK_EQ_INT(1, m->incr_count);
    CHECK_EQ_STR("appendonly.aof.2.incr.aof", m->incr[0].name);
    CHECK_EQ_INT(2, m->history_count); /* the old base and incr 1 */
    AofManifest *copy = aof_manifest_dup(m);
    sds a = aof_manifest_format(m), b = aof_manifest_format(copy);
    CHECK_EQ_STR(a, b);
    CHECK_EQ_STR("file appendonly.aof.2.base.aof seq 2 type b\n"
                 "file appendonly.aof.1.base.rdb seq 1 type h\n"
                 "file appendonly.aof.1.incr.aof seq 1 type h\n"
                 "file appendonly.aof.2.incr.aof seq 2 type i\n",
                 a);
    sds_free(a);
    sds_free(b);
    aof_manifest_destroy(copy);
    aof_manifest_destroy(m);
    cfg_appendfilename = saved;
}

TEST(aof_recognises_an_rdb_preamble) {
    CHECK(aof_looks_like_rdb("REDIS0011", 9));
    CHECK(!aof_looks_like_rdb("*2\r\n", 4));
    CHECK(!aof_looks_like_rdb("RED", 3));
}
