/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_rdma_args.c: the loadmodule arguments of keel-rdma.so
 * (modules/rdma/args.c), Valkey 8.0's port=, bind= (repeatable), rx-size=
 * and comp-vector=: good values land in the right fields, unknown or
 * malformed words fail with Valkey's text, numbers outside the options'
 * ranges fail naming the range.
 */
#include <string.h>

#include "args.h"
#include "proto.h"
#include "test.h"

TEST(rdma_args_none_sets_nothing) {
    RdmaArgs a;
    char err[256];
    CHECK_EQ_INT(0, rdma_args_parse(0, NULL, &a, err, sizeof err));
    CHECK(!a.has_port && !a.has_bind && !a.has_rx_size && !a.has_comp_vector);
}

TEST(rdma_args_take_valkeys_names) {
    char *argv[] = {"port=6380", "bind=192.168.1.5", "BIND=-::1", "rx-size=131072",
                    "comp-vector=-1"};
    RdmaArgs a;
    char err[256];
    CHECK_EQ_INT(0, rdma_args_parse(5, argv, &a, err, sizeof err));
    CHECK_EQ_INT(6380, a.port);
    CHECK_EQ_STR("192.168.1.5 -::1", a.bind);
    CHECK_EQ_INT(2, a.bind_count);
    CHECK_EQ_INT(131072, a.rx_size);
    CHECK_EQ_INT(-1, a.comp_vector);
    CHECK(a.has_port && a.has_bind && a.has_rx_size && a.has_comp_vector);
}

TEST(rdma_args_refuse_unknown_words_with_valkeys_text) {
    const char *bad[] = {"foo=1", "port", "=6379", "portx=1", "bind="};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = {(char *)bad[i]};
        RdmaArgs a;
        char err[256], want[64];
        CHECK_EQ_INT(-1, rdma_args_parse(1, argv, &a, err, sizeof err));
        snprintf(want, sizeof want, "RDMA: Unsupported argument \"%s\"", bad[i]);
        CHECK_EQ_STR(want, err);
    }
}

TEST(rdma_args_refuse_numbers_out_of_range) {
    const char *bad[] = {"port=65536", "port=-1", "port=12x", "port=", "rx-size=65535",
                         "rx-size=16777217", "comp-vector=-2", "comp-vector=abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = {(char *)bad[i]};
        RdmaArgs a;
        char err[256];
        CHECK_EQ_INT(-1, rdma_args_parse(1, argv, &a, err, sizeof err));
        CHECK(strstr(err, bad[i]) != NULL);
        CHECK(strstr(err, "must be between") != NULL);
    }
}

TEST(rdma_args_limit_bind_addresses) {
    char *argv[RDMA_ARGS_BIND_MAX + 1];
    for (int i = 0; i <= RDMA_ARGS_BIND_MAX; i++) argv[i] = "bind=10.0.0.1";
    RdmaArgs a;
    char err[256];
    CHECK_EQ_INT(0, rdma_args_parse(RDMA_ARGS_BIND_MAX, argv, &a, err, sizeof err));
    CHECK_EQ_INT(-1, rdma_args_parse(RDMA_ARGS_BIND_MAX + 1, argv, &a, err, sizeof err));
}
