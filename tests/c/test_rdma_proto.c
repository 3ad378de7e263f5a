/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_rdma_proto.c: the control messages of Valkey Over RDMA
 * (modules/rdma/proto.c): each opcode round-trips, fields sit at their
 * documented offsets big-endian, reserved bytes are zero, every message is
 * exactly 32 bytes, and a wrong length, an unknown opcode or an unusable
 * RegisterXferMemory are refused with a reason. Links proto.c alone, no
 * verbs.
 */
#include <stdint.h>
#include <string.h>

#include "proto.h"
#include "test.h"

static void check_reserved_zero(const uint8_t *wire, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) CHECK_EQ_INT(0, wire[i]);
}

TEST(rdma_register_xfer_memory_layout_is_big_endian) {
    uint8_t wire[RDMA_MSG_SIZE];
    RdmaMsg m = rdma_msg_register_xfer(0x0102030405060708ULL, 0x00100000, 0xAABBCCDD);
    rdma_msg_encode(&m, wire);
    CHECK_EQ_INT(0x00, wire[0]);
    CHECK_EQ_INT(0x03, wire[1]); /* opcode 3 */
    check_reserved_zero(wire, 2, 16);
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(i + 1, wire[16 + i]); /* addr */
    CHECK_EQ_INT(0x00, wire[24]);
    CHECK_EQ_INT(0x10, wire[25]);
    CHECK_EQ_INT(0x00, wire[26]);
    CHECK_EQ_INT(0x00, wire[27]); /* length 1 MiB */
    CHECK_EQ_INT(0xAA, wire[28]);
    CHECK_EQ_INT(0xDD, wire[31]); /* key */
}

TEST(rdma_feature_layout_puts_select_and_bits_in_place) {
    uint8_t wire[RDMA_MSG_SIZE];
    RdmaMsg m = rdma_msg_set_client_feature(0x1234, 0x8000000000000001ULL);
    rdma_msg_encode(&m, wire);
    CHECK_EQ_INT(1, wire[1]);
    CHECK_EQ_INT(0x12, wire[2]);
    CHECK_EQ_INT(0x34, wire[3]);
    check_reserved_zero(wire, 4, 24);
    CHECK_EQ_INT(0x80, wire[24]);
    CHECK_EQ_INT(0x01, wire[31]);
}

TEST(rdma_keepalive_is_an_opcode_and_30_zero_bytes) {
    uint8_t wire[RDMA_MSG_SIZE];
    memset(wire, 0xFF, sizeof wire);
    RdmaMsg m = rdma_msg_keepalive();
    rdma_msg_encode(&m, wire);
    CHECK_EQ_INT(0, wire[0]);
    CHECK_EQ_INT(2, wire[1]);
    check_reserved_zero(wire, 2, RDMA_MSG_SIZE);
}

TEST(rdma_every_opcode_round_trips) {
    RdmaMsg msgs[] = {
        rdma_msg_get_server_feature(7, 0),
        rdma_msg_set_client_feature(0, 0xFFFFFFFFFFFFFFFFULL),
        rdma_msg_keepalive(),
        rdma_msg_register_xfer(0xFFFFFFFF00000000ULL, 65536, 1),
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        uint8_t wire[RDMA_MSG_SIZE];
        rdma_msg_encode(&msgs[i], wire);
        RdmaMsg back;
        char err[128];
        CHECK_EQ_INT(0, rdma_msg_decode(wire, sizeof wire, &back, err, sizeof err));
        CHECK_EQ_INT(msgs[i].opcode, back.opcode);
        CHECK_EQ_INT(msgs[i].select, back.select);
        CHECK(msgs[i].features == back.features);
        CHECK(msgs[i].addr == back.addr);
        CHECK_EQ_INT(msgs[i].length, back.length);
        CHECK_EQ_INT(msgs[i].key, back.key);
    }
}

TEST(rdma_decode_ignores_reserved_bytes) {
    uint8_t wire[RDMA_MSG_SIZE];
    RdmaMsg m = rdma_msg_keepalive();
    rdma_msg_encode(&m, wire);
    wire[10] = 0x5A; /* a future sender may use reserved space */
    RdmaMsg back;
    char err[128];
    CHECK_EQ_INT(0, rdma_msg_decode(wire, sizeof wire, &back, err, sizeof err));
    CHECK_EQ_INT(RDMA_OP_KEEPALIVE, back.opcode);
}

TEST(rdma_decode_refuses_a_wrong_length) {
    uint8_t wire[64] = {0};
    RdmaMsg back;
    char err[128];
    size_t bad[] = {0, 1, 31, 33, 64};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK_EQ_INT(-1, rdma_msg_decode(wire, bad[i], &back, err, sizeof err));
        CHECK(strstr(err, "expected 32") != NULL);
    }
}

TEST(rdma_decode_refuses_an_unknown_opcode) {
    uint8_t wire[RDMA_MSG_SIZE] = {0};
    RdmaMsg back;
    char err[128];
    wire[1] = 4;
    CHECK_EQ_INT(-1, rdma_msg_decode(wire, sizeof wire, &back, err, sizeof err));
    CHECK_EQ_STR("unknown control message opcode 4", err);
    wire[0] = 0xFF;
    wire[1] = 0xFF;
    CHECK_EQ_INT(-1, rdma_msg_decode(wire, sizeof wire, &back, err, sizeof err));
    CHECK_EQ_STR("unknown control message opcode 65535", err);
}

TEST(rdma_opcode_names_follow_the_protocol) {
    CHECK_EQ_STR("GetServerFeature", rdma_opcode_name(0));
    CHECK_EQ_STR("SetClientFeature", rdma_opcode_name(1));
    CHECK_EQ_STR("Keepalive", rdma_opcode_name(2));
    CHECK_EQ_STR("RegisterXferMemory", rdma_opcode_name(3));
    CHECK_EQ_STR("unknown", rdma_opcode_name(9));
}

TEST(rdma_check_xfer_refuses_unusable_buffers) {
    char err[128];
    RdmaMsg ok = rdma_msg_register_xfer(4096, 65536, 7);
    CHECK_EQ_INT(0, rdma_msg_check_xfer(&ok, err, sizeof err));
    RdmaMsg empty = rdma_msg_register_xfer(4096, 0, 7);
    CHECK_EQ_INT(-1, rdma_msg_check_xfer(&empty, err, sizeof err));
    CHECK_EQ_STR("RegisterXferMemory with an empty buffer", err);
    RdmaMsg wraps = rdma_msg_register_xfer(UINT64_MAX - 10, 65536, 7);
    CHECK_EQ_INT(-1, rdma_msg_check_xfer(&wraps, err, sizeof err));
    RdmaMsg other = rdma_msg_keepalive();
    CHECK_EQ_INT(-1, rdma_msg_check_xfer(&other, err, sizeof err));
}
