/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_rdma_ring.c: the flow control of an RDMA connection
 * (modules/rdma/ring.c) without verbs: RX offsets (writes past the end
 * refused, partial reads, exhaustion and reset), the TX window (no room
 * before the first RegisterXferMemory, a full window stops the writer until
 * the peer re-registers), send-queue accounting (signalling keeps a
 * completion coming; data never takes the control reserve), and a sender
 * and a receiver wired together, fed random write and read sizes, checked
 * against the byte stream they should carry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "test.h"

TEST(rdma_rx_tracks_written_and_read) {
    RdmaRxRing rx;
    rdma_rx_init(&rx, 100);
    CHECK_EQ_INT(0, rdma_rx_readable(&rx));
    CHECK_EQ_INT(0, rdma_rx_on_write(&rx, 60));
    CHECK_EQ_INT(60, rdma_rx_readable(&rx));
    uint32_t off;
    CHECK_EQ_INT(25, rdma_rx_take(&rx, 25, &off));
    CHECK_EQ_INT(0, off);
    CHECK_EQ_INT(35, rdma_rx_take(&rx, 1000, &off));
    CHECK_EQ_INT(25, off);
    CHECK_EQ_INT(0, rdma_rx_take(&rx, 10, &off));
    CHECK_EQ_INT(0, rdma_rx_exhausted(&rx)); /* 40 bytes of room left */
}

TEST(rdma_rx_refuses_a_write_past_the_end) {
    RdmaRxRing rx;
    rdma_rx_init(&rx, 100);
    CHECK_EQ_INT(0, rdma_rx_on_write(&rx, 90));
    CHECK_EQ_INT(-1, rdma_rx_on_write(&rx, 11));
    CHECK_EQ_INT(90, rdma_rx_readable(&rx)); /* unchanged */
    CHECK_EQ_INT(-1, rdma_rx_on_write(&rx, UINT32_MAX));
    CHECK_EQ_INT(0, rdma_rx_on_write(&rx, 10));
    CHECK_EQ_INT(-1, rdma_rx_on_write(&rx, 1));
}

TEST(rdma_rx_is_exhausted_only_when_full_and_read) {
    RdmaRxRing rx;
    rdma_rx_init(&rx, 64);
    uint32_t off;
    CHECK_EQ_INT(0, rdma_rx_on_write(&rx, 64));
    CHECK_EQ_INT(0, rdma_rx_exhausted(&rx)); /* written, not read */
    CHECK_EQ_INT(63, rdma_rx_take(&rx, 63, &off));
    CHECK_EQ_INT(0, rdma_rx_exhausted(&rx));
    CHECK_EQ_INT(1, rdma_rx_take(&rx, 63, &off));
    CHECK_EQ_INT(1, rdma_rx_exhausted(&rx));
    rdma_rx_reset(&rx);
    CHECK_EQ_INT(0, rdma_rx_exhausted(&rx));
    CHECK_EQ_INT(0, rdma_rx_on_write(&rx, 64)); /* the whole buffer again */
}

TEST(rdma_tx_has_no_room_before_registration) {
    RdmaTxWindow tx;
    rdma_tx_init(&tx);
    CHECK_EQ_INT(0, rdma_tx_room(&tx));
    CHECK_EQ_INT(0, rdma_tx_chunk(&tx, 1000));
}

TEST(rdma_tx_window_fills_and_reopens_on_register) {
    RdmaTxWindow tx;
    rdma_tx_init(&tx);
    rdma_tx_on_register(&tx, 0x10000, 100, 42);
    CHECK_EQ_INT(100, rdma_tx_room(&tx));
    CHECK_EQ_INT(70, rdma_tx_chunk(&tx, 70));
    rdma_tx_advance(&tx, 70);
    CHECK(rdma_tx_remote_next(&tx) == 0x10000 + 70);
    CHECK_EQ_INT(30, rdma_tx_chunk(&tx, 70)); /* short write: only 30 fit */
    rdma_tx_advance(&tx, 30);
    CHECK_EQ_INT(0, rdma_tx_room(&tx)); /* full: try later */
    CHECK_EQ_INT(0, rdma_tx_chunk(&tx, 1));
    rdma_tx_on_register(&tx, 0x10000, 100, 42);
    CHECK_EQ_INT(100, rdma_tx_room(&tx));
    CHECK(rdma_tx_remote_next(&tx) == 0x10000);
    CHECK_EQ_INT(100, rdma_tx_chunk(&tx, 1ULL << 40)); /* huge requests are capped */
}

TEST(rdma_sq_keeps_the_control_reserve) {
    RdmaSendQueue sq;
    rdma_sq_init(&sq, 128);
    int posted = 0;
    while (rdma_sq_data_ok(&sq)) {
        rdma_sq_post(&sq);
        posted++;
    }
    CHECK_EQ_INT(128 - RDMA_SQ_CONTROL_RESERVE, posted);
    CHECK(rdma_sq_control_ok(&sq));
    for (int i = 0; i < RDMA_SQ_CONTROL_RESERVE; i++) rdma_sq_post(&sq);
    CHECK(!rdma_sq_control_ok(&sq));
    CHECK_EQ_INT(0, rdma_sq_on_complete(&sq, 64));
    CHECK_EQ_INT(128 - 64, rdma_sq_in_flight(&sq));
    CHECK(rdma_sq_data_ok(&sq));
}

TEST(rdma_sq_completions_retire_everything_before_them) {
    RdmaSendQueue sq;
    rdma_sq_init(&sq, 1024);
    for (int i = 0; i < 10; i++) rdma_sq_post(&sq);
    CHECK_EQ_INT(0, rdma_sq_on_complete(&sq, 7));
    CHECK_EQ_INT(3, rdma_sq_in_flight(&sq));
    CHECK_EQ_INT(0, rdma_sq_on_complete(&sq, 5)); /* older: ignored */
    CHECK_EQ_INT(3, rdma_sq_in_flight(&sq));
    CHECK_EQ_INT(-1, rdma_sq_on_complete(&sq, 11)); /* never posted */
    CHECK_EQ_INT(3, rdma_sq_in_flight(&sq));
}

TEST(rdma_sq_signals_often_enough_to_never_stall) {
    RdmaSendQueue sq;
    rdma_sq_init(&sq, 1024);
    uint64_t last_signalled = 0;
    /* Post data until refused; a signalled request must be in flight then,
     * or no completion would ever come to free the queue. */
    while (rdma_sq_data_ok(&sq)) {
        uint64_t seq = rdma_sq_post(&sq);
        if (rdma_sq_must_signal(&sq, seq)) last_signalled = seq;
    }
    CHECK(last_signalled > sq.completed);
    CHECK(sq.posted - last_signalled < RDMA_SQ_SIGNAL_EVERY);
    CHECK_EQ_INT(0, rdma_sq_on_complete(&sq, last_signalled));
    CHECK(rdma_sq_data_ok(&sq));
}

/* A writer and a reader joined as the protocol joins them: the writer's
 * window is the reader's buffer; the reader re-registers once exhausted. */
TEST(rdma_sender_and_receiver_carry_a_random_stream_exactly) {
    enum { BUF = 4096, TOTAL = 1 << 20 };
    static uint8_t source[TOTAL], sink[TOTAL], peer_buf[BUF];
    for (int i = 0; i < TOTAL; i++) source[i] = (uint8_t)(i * 131 + (i >> 9));
    RdmaRxRing rx;
    RdmaTxWindow tx;
    rdma_rx_init(&rx, BUF);
    rdma_tx_init(&tx);
    rdma_tx_on_register(&tx, 0, BUF, 1); /* the first RegisterXferMemory */
    size_t sent = 0, got = 0;
    int registrations = 1, stalls = 0;
    srand(7);
    while (got < TOTAL) {
        uint32_t want = (uint32_t)(rand() % 3000) + 1;
        if (want > TOTAL - sent) want = (uint32_t)(TOTAL - sent);
        uint32_t n = rdma_tx_chunk(&tx, want);
        if (n == 0 && sent < TOTAL) stalls++;
        memcpy(peer_buf + rdma_tx_remote_next(&tx), source + sent, n); /* the RDMA write */
        rdma_tx_advance(&tx, n);
        sent += n;
        if (n > 0) CHECK_EQ_INT(0, rdma_rx_on_write(&rx, n)); /* its immediate */
        uint32_t off, m = rdma_rx_take(&rx, (uint32_t)(rand() % 5000), &off);
        memcpy(sink + got, peer_buf + off, m);
        got += m;
        if (rdma_rx_exhausted(&rx)) {
            rdma_rx_reset(&rx);
            rdma_tx_on_register(&tx, 0, BUF, 1);
            registrations++;
        }
    }
    CHECK(memcmp(source, sink, TOTAL) == 0);
    CHECK(registrations >= TOTAL / BUF);
    CHECK(stalls > 0); /* the writer did wait on a full window */
}
