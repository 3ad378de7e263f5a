/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/ring.h: the offset arithmetic and flow control of one RDMA
 * connection, without any verbs: the RX buffer the peer writes into, the
 * window of the peer's RX buffer we write into (TX), and the count of send
 * work requests in flight.
 *
 * The protocol's buffers do not wrap. The peer writes our RX buffer from 0
 * up to its end; we read behind it; once we have read all of it we reset
 * both offsets and send RegisterXferMemory again, which tells the peer it
 * may start over at 0. A writer whose window is used up waits ("try later")
 * for that message: that is the protocol's whole flow control.
 *
 * Threads: the owner of the connection (pure functions on its state).
 */
#ifndef KEEL_RDMA_RING_H
#define KEEL_RDMA_RING_H

#include <stdint.h>

/* Private to the module (or test) that links this file: hidden, so it
 * stays out of keel-rdma.so's dynamic symbol table. */
#pragma GCC visibility push(hidden)

/* Our RX buffer: the peer has written [0, written), we have read [0, read). */
typedef struct RdmaRxRing {
    uint32_t length;  /* buffer size, fixed while the buffer lives */
    uint32_t written; /* bytes the peer announced with immediates */
    uint32_t read;    /* bytes handed to the reader */
} RdmaRxRing;

void rdma_rx_init(RdmaRxRing *rx, uint32_t length);
/* The peer wrote bytes more (the immediate of a WRITE_WITH_IMM). Returns 0,
 * or -1 when that would pass the end of the buffer (a protocol violation:
 * the connection must fail); nothing changes then. */
int rdma_rx_on_write(RdmaRxRing *rx, uint32_t bytes);
/* Bytes written and not read yet. */
uint32_t rdma_rx_readable(const RdmaRxRing *rx);
/* Takes up to max readable bytes: returns how many, and their offset in the
 * buffer in *offset. 0 when nothing is readable. */
uint32_t rdma_rx_take(RdmaRxRing *rx, uint32_t max, uint32_t *offset);
/* 1 when the whole buffer was written and read: time to reset and send
 * RegisterXferMemory again. */
int rdma_rx_exhausted(const RdmaRxRing *rx);
/* Starts over at offset 0 (before re-registering). */
void rdma_rx_reset(RdmaRxRing *rx);

/* The peer's RX buffer as we write into it. */
typedef struct RdmaTxWindow {
    uint64_t remote_addr; /* peer's buffer address, from RegisterXferMemory */
    uint32_t remote_key;  /* its rkey */
    uint32_t length;      /* its length; 0 until the first RegisterXferMemory */
    uint32_t offset;      /* bytes written into it since it was (re)registered */
} RdmaTxWindow;

void rdma_tx_init(RdmaTxWindow *tx);
/* The peer (re)registered its RX buffer: write from its start again. */
void rdma_tx_on_register(RdmaTxWindow *tx, uint64_t addr, uint32_t length, uint32_t key);
/* Bytes we may write now (0: wait for RegisterXferMemory). */
uint32_t rdma_tx_room(const RdmaTxWindow *tx);
/* How many of want bytes to write now: min(want, room), capped at 4 GiB-1. */
uint32_t rdma_tx_chunk(const RdmaTxWindow *tx, uint64_t want);
/* We posted a write of bytes at the current offset. bytes <= room. */
void rdma_tx_advance(RdmaTxWindow *tx, uint32_t bytes);
/* Remote address of the next write. */
uint64_t rdma_tx_remote_next(const RdmaTxWindow *tx);

/* Send-queue accounting. Work requests complete in order on an RC queue
 * pair, so a signalled completion retires it and every earlier unsignalled
 * one: the posted sequence number of the signalled request is enough. Data
 * writes are signalled every RDMA_SQ_SIGNAL_EVERY posts, and always when the
 * queue runs low so that a completion is sure to come and free room. */
typedef struct RdmaSendQueue {
    uint32_t depth;     /* max_send_wr of the queue pair */
    uint64_t posted;    /* requests posted so far (sequence of the last one) */
    uint64_t completed; /* sequence of the last retired request */
} RdmaSendQueue;

#define RDMA_SQ_SIGNAL_EVERY 64
/* Slots kept for control messages (keepalive, RegisterXferMemory), which
 * must never wait behind data. */
#define RDMA_SQ_CONTROL_RESERVE 16

void rdma_sq_init(RdmaSendQueue *sq, uint32_t depth);
/* Requests in flight. */
uint32_t rdma_sq_in_flight(const RdmaSendQueue *sq);
/* 1 if a data write may be posted now (control slots excepted). */
int rdma_sq_data_ok(const RdmaSendQueue *sq);
/* 1 if a control message may be posted now. */
int rdma_sq_control_ok(const RdmaSendQueue *sq);
/* Records one more post; returns its sequence number (>= 1). */
uint64_t rdma_sq_post(RdmaSendQueue *sq);
/* 1 if the data write with this sequence must be signalled. */
int rdma_sq_must_signal(const RdmaSendQueue *sq, uint64_t seq);
/* The signalled request seq completed. Returns 0, or -1 if seq was never
 * posted (a corrupt completion); older sequences are ignored. */
int rdma_sq_on_complete(RdmaSendQueue *sq, uint64_t seq);

#pragma GCC visibility pop

#endif
