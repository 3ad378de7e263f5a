/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/proto.c: encoding and decoding of the protocol's 32-byte control
 * messages (see proto.h for the layouts).
 *
 * Bytes are assembled one by one rather than by casting to a packed struct:
 * the wire form is big-endian whatever the host is, and a receive buffer
 * carries no alignment promise. Nothing here touches verbs or allocates.
 *
 * Threads: any (pure functions).
 */
#include "proto.h"

#include <stdio.h>
#include <string.h>

static void put_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint16_t get_u16(const uint8_t *p) {
    return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get_u32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | p[i];
    return v;
}

static uint64_t get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

/* Offsets inside the 32 bytes. */
#define OFF_OPCODE 0
#define OFF_SELECT 2    /* features: after the opcode */
#define OFF_FEATURES 24 /* features: 2 + 2 + 20 reserved */
#define OFF_ADDR 16     /* memory: 2 + 14 reserved */
#define OFF_LENGTH 24
#define OFF_KEY 28

void rdma_msg_encode(const RdmaMsg *msg, uint8_t out[RDMA_MSG_SIZE]) {
    memset(out, 0, RDMA_MSG_SIZE);
    put_u16(out + OFF_OPCODE, msg->opcode);
    switch (msg->opcode) {
    case RDMA_OP_GET_SERVER_FEATURE:
    case RDMA_OP_SET_CLIENT_FEATURE:
        put_u16(out + OFF_SELECT, msg->select);
        put_u64(out + OFF_FEATURES, msg->features);
        break;
    case RDMA_OP_REGISTER_XFER_MEMORY:
        put_u64(out + OFF_ADDR, msg->addr);
        put_u32(out + OFF_LENGTH, msg->length);
        put_u32(out + OFF_KEY, msg->key);
        break;
    default: /* Keepalive and unknown opcodes carry no fields */
        break;
    }
}

int rdma_msg_decode(const uint8_t *in, size_t len, RdmaMsg *msg, char *err, size_t errlen) {
    if (len != RDMA_MSG_SIZE) {
        snprintf(err, errlen, "control message of %zu bytes, expected %d", len, RDMA_MSG_SIZE);
        return -1;
    }
    memset(msg, 0, sizeof *msg);
    msg->opcode = get_u16(in + OFF_OPCODE);
    switch (msg->opcode) {
    case RDMA_OP_GET_SERVER_FEATURE:
    case RDMA_OP_SET_CLIENT_FEATURE:
        msg->select = get_u16(in + OFF_SELECT);
        msg->features = get_u64(in + OFF_FEATURES);
        return 0;
    case RDMA_OP_KEEPALIVE:
        return 0;
    case RDMA_OP_REGISTER_XFER_MEMORY:
        msg->addr = get_u64(in + OFF_ADDR);
        msg->length = get_u32(in + OFF_LENGTH);
        msg->key = get_u32(in + OFF_KEY);
        return 0;
    default:
        snprintf(err, errlen, "unknown control message opcode %u", (unsigned)msg->opcode);
        return -1;
    }
}

const char *rdma_opcode_name(unsigned opcode) {
    switch (opcode) {
    case RDMA_OP_GET_SERVER_FEATURE: return "GetServerFeature";
    case RDMA_OP_SET_CLIENT_FEATURE: return "SetClientFeature";
    case RDMA_OP_KEEPALIVE: return "Keepalive";
    case RDMA_OP_REGISTER_XFER_MEMORY: return "RegisterXferMemory";
    default: return "unknown";
    }
}

RdmaMsg rdma_msg_register_xfer(uint64_t addr, uint32_t length, uint32_t key) {
    return (RdmaMsg){.opcode = RDMA_OP_REGISTER_XFER_MEMORY, .addr = addr, .length = length,
                     .key = key};
}

RdmaMsg rdma_msg_keepalive(void) {
    return (RdmaMsg){.opcode = RDMA_OP_KEEPALIVE};
}

RdmaMsg rdma_msg_get_server_feature(uint16_t select, uint64_t features) {
    return (RdmaMsg){.opcode = RDMA_OP_GET_SERVER_FEATURE, .select = select,
                     .features = features};
}

RdmaMsg rdma_msg_set_client_feature(uint16_t select, uint64_t features) {
    return (RdmaMsg){.opcode = RDMA_OP_SET_CLIENT_FEATURE, .select = select,
                     .features = features};
}

int rdma_msg_check_xfer(const RdmaMsg *msg, char *err, size_t errlen) {
    if (msg->opcode != RDMA_OP_REGISTER_XFER_MEMORY) {
        snprintf(err, errlen, "%s is not RegisterXferMemory", rdma_opcode_name(msg->opcode));
        return -1;
    }
    if (msg->length == 0) {
        snprintf(err, errlen, "RegisterXferMemory with an empty buffer");
        return -1;
    }
    if (msg->addr > UINT64_MAX - msg->length) {
        snprintf(err, errlen, "RegisterXferMemory buffer wraps the address space");
        return -1;
    }
    return 0;
}
