/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/ring.c: RX offsets, the TX window and send-queue accounting of one
 * RDMA connection (see ring.h for the model). No verbs, no allocation: the
 * unit tests (tests/c/test_rdma_ring.c) drive it with made-up completions.
 *
 * Threads: the owner of the connection.
 */
#include "ring.h"

/* ---- RX ---- */

void rdma_rx_init(RdmaRxRing *rx, uint32_t length) {
    rx->length = length;
    rx->written = 0;
    rx->read = 0;
}

int rdma_rx_on_write(RdmaRxRing *rx, uint32_t bytes) {
    if (bytes > rx->length - rx->written) return -1;
    rx->written += bytes;
    return 0;
}

uint32_t rdma_rx_readable(const RdmaRxRing *rx) {
    return rx->written - rx->read;
}

uint32_t rdma_rx_take(RdmaRxRing *rx, uint32_t max, uint32_t *offset) {
    uint32_t n = rdma_rx_readable(rx);
    if (n > max) n = max;
    *offset = rx->read;
    rx->read += n;
    return n;
}

int rdma_rx_exhausted(const RdmaRxRing *rx) {
    return rx->length > 0 && rx->read == rx->length;
}

void rdma_rx_reset(RdmaRxRing *rx) {
    rx->written = 0;
    rx->read = 0;
}

/* ---- TX ---- */

void rdma_tx_init(RdmaTxWindow *tx) {
    tx->remote_addr = 0;
    tx->remote_key = 0;
    tx->length = 0;
    tx->offset = 0;
}

void rdma_tx_on_register(RdmaTxWindow *tx, uint64_t addr, uint32_t length, uint32_t key) {
    tx->remote_addr = addr;
    tx->remote_key = key;
    tx->length = length;
    tx->offset = 0;
}

uint32_t rdma_tx_room(const RdmaTxWindow *tx) {
    return tx->length - tx->offset;
}

uint32_t rdma_tx_chunk(const RdmaTxWindow *tx, uint64_t want) {
    uint32_t room = rdma_tx_room(tx);
    return want < room ? (uint32_t)want : room;
}

void rdma_tx_advance(RdmaTxWindow *tx, uint32_t bytes) {
    tx->offset += bytes;
}

uint64_t rdma_tx_remote_next(const RdmaTxWindow *tx) {
    return tx->remote_addr + tx->offset;
}

/* ---- send queue ---- */

void rdma_sq_init(RdmaSendQueue *sq, uint32_t depth) {
    sq->depth = depth;
    sq->posted = 0;
    sq->completed = 0;
}

uint32_t rdma_sq_in_flight(const RdmaSendQueue *sq) {
    return (uint32_t)(sq->posted - sq->completed);
}

int rdma_sq_data_ok(const RdmaSendQueue *sq) {
    return rdma_sq_in_flight(sq) + RDMA_SQ_CONTROL_RESERVE < sq->depth;
}

int rdma_sq_control_ok(const RdmaSendQueue *sq) {
    return rdma_sq_in_flight(sq) < sq->depth;
}

uint64_t rdma_sq_post(RdmaSendQueue *sq) {
    return ++sq->posted;
}

int rdma_sq_must_signal(const RdmaSendQueue *sq, uint64_t seq) {
    if (seq % RDMA_SQ_SIGNAL_EVERY == 0) return 1;
    /* Running low: without a signalled request in flight no completion
     * would ever free the queue, and the writer would wait forever. */
    uint32_t free_slots = sq->depth - rdma_sq_in_flight(sq);
    return free_slots <= RDMA_SQ_CONTROL_RESERVE + RDMA_SQ_SIGNAL_EVERY;
}

int rdma_sq_on_complete(RdmaSendQueue *sq, uint64_t seq) {
    if (seq > sq->posted) return -1;
    if (seq > sq->completed) sq->completed = seq;
    return 0;
}
