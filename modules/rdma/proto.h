/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/proto.h: the control messages of the "Valkey Over RDMA" protocol, as
 * plain data, and their 32-byte big-endian wire form.
 *
 * Every control message is exactly RDMA_MSG_SIZE bytes, multi-byte fields
 * big-endian, starting with a 16-bit opcode:
 *
 *   0 GetServerFeature    u16 opcode, u16 select, 20 reserved, u64 features
 *   1 SetClientFeature    same layout as 0
 *   2 Keepalive           u16 opcode, 30 reserved
 *   3 RegisterXferMemory  u16 opcode, 14 reserved, u64 addr, u32 length,
 *                         u32 key (the sender's RX buffer)
 *
 * No verbs calls here and no allocation: the unit tests link this file
 * alone (tests/c/test_rdma_proto.c). Threads: any (pure functions).
 */
#ifndef KEEL_RDMA_PROTO_H
#define KEEL_RDMA_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* Private to the module (or test) that links this file: hidden, so it
 * stays out of keel-rdma.so's dynamic symbol table. */
#pragma GCC visibility push(hidden)

#define RDMA_MSG_SIZE 32

/* Work requests per queue (send and receive); the protocol recommends 1024. */
#define RDMA_MAX_WQE 1024
/* RDMA has no transport keepalive: each side sends one this often. */
#define RDMA_KEEPALIVE_MS 3000

/* rdma-rx-size: the RX buffer the peer writes into (Valkey's limits). */
#define RDMA_RX_SIZE_DEFAULT (1024 * 1024)
#define RDMA_RX_SIZE_MIN (64 * 1024)
#define RDMA_RX_SIZE_MAX (16 * 1024 * 1024)

typedef enum {
    RDMA_OP_GET_SERVER_FEATURE = 0,
    RDMA_OP_SET_CLIENT_FEATURE = 1,
    RDMA_OP_KEEPALIVE = 2,
    RDMA_OP_REGISTER_XFER_MEMORY = 3,
} RdmaOpcode;

/* A decoded control message. Only the fields of its opcode are meaningful. */
typedef struct RdmaMsg {
    uint16_t opcode;   /* RdmaOpcode */
    uint16_t select;   /* features: which feature set */
    uint64_t features; /* features: feature bits (none defined yet) */
    uint64_t addr;     /* RegisterXferMemory: RX buffer address in the sender */
    uint32_t length;   /* RegisterXferMemory: RX buffer length */
    uint32_t key;      /* RegisterXferMemory: rkey of the RX buffer */
} RdmaMsg;

/* Writes msg into out (exactly RDMA_MSG_SIZE bytes, reserved bytes zero).
 * Never fails: an opcode outside RdmaOpcode is written as given. */
void rdma_msg_encode(const RdmaMsg *msg, uint8_t out[RDMA_MSG_SIZE]);

/* Parses len bytes at in. Returns 0 with msg filled, or -1 with one line in
 * err (wrong length, unknown opcode); msg is then unspecified. */
int rdma_msg_decode(const uint8_t *in, size_t len, RdmaMsg *msg, char *err, size_t errlen);

/* The name of an opcode ("RegisterXferMemory"), or "unknown". */
const char *rdma_opcode_name(unsigned opcode);

/* Builds the messages each side sends. */
RdmaMsg rdma_msg_register_xfer(uint64_t addr, uint32_t length, uint32_t key);
RdmaMsg rdma_msg_keepalive(void);
RdmaMsg rdma_msg_get_server_feature(uint16_t select, uint64_t features);
RdmaMsg rdma_msg_set_client_feature(uint16_t select, uint64_t features);

/* Checks a peer's RegisterXferMemory: an empty buffer, or one whose end
 * wraps the 64-bit address space, cannot be written into. Returns 0, or -1
 * with the reason in err. */
int rdma_msg_check_xfer(const RdmaMsg *msg, char *err, size_t errlen);

#pragma GCC visibility pop

#endif
