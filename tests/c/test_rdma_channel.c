/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_rdma_channel.c: the RDMA channel (modules/rdma/verbs.c) over
 * an in-process fake of the verbs calls (rdma_fake_verbs.c), since build
 * machines have no RDMA device: the protocol's opening (RegisterXferMemory
 * both ways, GetServerFeature answered), byte-exact streams both ways
 * through small buffers with many re-registrations, a writer stopping at a
 * full peer buffer and resuming after it is re-offered, the send queue
 * never overrun (the fake fails a post past max_send_wr, as hardware does),
 * bad peers (unknown opcode, feature bits, writes past the buffer, too
 * many announced bytes) failing the channel with a reason, and teardown
 * releasing every object.
 */
#include <stdlib.h>
#include <string.h>

#include "rdma_fake_verbs.h"
#include "test.h"
#include "verbs.h"

#define SMALL_RX (64 * 1024)

typedef struct Pair {
    struct rdma_cm_id client_id, server_id;
    RdmaChannel client, server;
    int live_before; /* fake objects alive before the pair (a failed test may leak) */
} Pair;

static void pump(RdmaChannel *ch) {
    char err[160];
    RdmaPollResult res;
    if (rdma_channel_poll(ch, &res, err, sizeof err) != 0) test_fail(__FILE__, __LINE__, "%s", err);
}

/* Two connected channels after the protocol's opening. */
static void pair_open(Pair *p, uint32_t client_rx, uint32_t server_rx) {
    char err[160];
    memset(p, 0, sizeof *p);
    p->live_before = fake_verbs_live_objects();
    p->client_id.verbs = p->server_id.verbs = fake_verbs_context();
    CHECK_EQ_INT(0, rdma_channel_setup(&p->client, &p->client_id, 0, client_rx, -1, err, sizeof err));
    CHECK_EQ_INT(0, rdma_channel_setup(&p->server, &p->server_id, 1, server_rx, -1, err, sizeof err));
    fake_verbs_join(&p->client_id, &p->server_id);
    CHECK_EQ_INT(0, rdma_channel_register_rx(&p->server, err, sizeof err)); /* at ESTABLISHED */
    CHECK_EQ_INT(0, rdma_channel_negotiate(&p->client, err, sizeof err));
    CHECK_EQ_INT(0, rdma_channel_register_rx(&p->client, err, sizeof err));
    pump(&p->server);
    pump(&p->client);
}

static void pair_close(Pair *p) {
    rdma_channel_release(&p->client);
    rdma_channel_release(&p->server);
    rdma_channel_release(&p->client); /* twice is harmless */
    CHECK_EQ_INT(p->live_before, fake_verbs_live_objects());
}

static ssize_t write_bytes(RdmaChannel *ch, const void *p, size_t len) {
    char err[160];
    struct iovec iov = {.iov_base = (void *)p, .iov_len = len};
    ssize_t n = rdma_channel_writev(ch, &iov, 1, err, sizeof err);
    if (n < 0) test_fail(__FILE__, __LINE__, "%s", err);
    return n;
}

TEST(rdma_channel_opening_registers_both_buffers) {
    Pair p;
    pair_open(&p, SMALL_RX, 2 * SMALL_RX);
    CHECK_EQ_INT(2 * SMALL_RX, p.client.tx.length); /* the server's RX */
    CHECK_EQ_INT(SMALL_RX, p.server.tx.length);
    CHECK(p.client.tx.remote_addr == (uintptr_t)p.server.rx_buf);
    CHECK(rdma_channel_writable(&p.client));
    CHECK(rdma_channel_writable(&p.server));
    CHECK(!rdma_channel_readable(&p.server));
    pair_close(&p);
}

TEST(rdma_channel_server_answers_get_server_feature) {
    Pair p;
    char err[160];
    pair_open(&p, SMALL_RX, SMALL_RX);
    p.client.peer_features = 99;
    RdmaMsg get = rdma_msg_get_server_feature(5, 0);
    CHECK_EQ_INT(0, rdma_channel_send_msg(&p.client, &get, err, sizeof err));
    pump(&p.server);
    pump(&p.client);
    CHECK_EQ_INT(0, p.client.peer_features); /* no features exist */
    pair_close(&p);
}

TEST(rdma_channel_carries_random_streams_both_ways_exactly) {
    enum { TOTAL = 3 * 1024 * 1024 };
    uint8_t *src_c = malloc(TOTAL), *src_s = malloc(TOTAL), *chunk = malloc(70000);
    for (int i = 0; i < TOTAL; i++) {
        src_c[i] = (uint8_t)(i * 7 + (i >> 11));
        src_s[i] = (uint8_t)(i * 13 + (i >> 7));
    }
    Pair p;
    char err[160];
    pair_open(&p, SMALL_RX, SMALL_RX + 4096);
    size_t sent_c = 0, sent_s = 0, got_c = 0, got_s = 0;
    srand(11);
    for (int round = 0; round < 1000000 && (got_c < TOTAL || got_s < TOTAL); round++) {
        /* Writers: two iovecs of random size each. */
        struct iovec iov[2];
        size_t a = (size_t)(rand() % 9000), b = (size_t)(rand() % 9000);
        if (sent_c < TOTAL) {
            a = a < TOTAL - sent_c ? a : TOTAL - sent_c;
            b = b < TOTAL - sent_c - a ? b : TOTAL - sent_c - a;
            iov[0] = (struct iovec){src_c + sent_c, a};
            iov[1] = (struct iovec){src_c + sent_c + a, b};
            ssize_t n = rdma_channel_writev(&p.client, iov, 2, err, sizeof err);
            if (n < 0) test_fail(__FILE__, __LINE__, "%s", err);
            sent_c += (size_t)n;
        }
        if (sent_s < TOTAL) {
            size_t n1 = (size_t)(rand() % 20000) + 1;
            if (n1 > TOTAL - sent_s) n1 = TOTAL - sent_s;
            sent_s += (size_t)write_bytes(&p.server, src_s + sent_s, n1);
        }
        pump(&p.server);
        pump(&p.client);
        /* Readers: random chunk sizes, checked against the source. */
        ssize_t n = rdma_channel_read(&p.server, chunk, (size_t)(rand() % 70000), err, sizeof err);
        CHECK(n >= 0);
        CHECK(memcmp(chunk, src_c + got_s, (size_t)n) == 0);
        got_s += (size_t)n;
        n = rdma_channel_read(&p.client, chunk, (size_t)(rand() % 70000), err, sizeof err);
        CHECK(n >= 0);
        CHECK(memcmp(chunk, src_s + got_c, (size_t)n) == 0);
        got_c += (size_t)n;
    }
    CHECK_EQ_INT(TOTAL, got_s);
    CHECK_EQ_INT(TOTAL, got_c);
    pair_close(&p);
    free(src_c);
    free(src_s);
    free(chunk);
}

TEST(rdma_channel_writer_stops_at_a_full_buffer_until_it_is_offered_again) {
    Pair p;
    char err[160];
    pair_open(&p, SMALL_RX, SMALL_RX);
    static uint8_t data[3 * SMALL_RX];
    memset(data, 'q', sizeof data);
    size_t sent = 0;
    ssize_t n;
    while ((n = write_bytes(&p.client, data + sent, sizeof data - sent)) > 0) {
        sent += (size_t)n;
        pump(&p.server); /* the data arrives; nobody reads it */
    }
    CHECK_EQ_INT(SMALL_RX, sent); /* exactly the peer's buffer */
    CHECK(!rdma_channel_writable(&p.client));
    pump(&p.client);
    CHECK_EQ_INT(0, write_bytes(&p.client, data, 1)); /* still full: try later */
    /* The reader takes all but one byte: not re-offered yet. */
    static uint8_t sink[SMALL_RX];
    CHECK_EQ_INT(SMALL_RX - 1, rdma_channel_read(&p.server, sink, SMALL_RX - 1, err, sizeof err));
    pump(&p.client);
    CHECK_EQ_INT(0, write_bytes(&p.client, data, 1));
    /* The last byte empties it: RegisterXferMemory reopens the window. */
    CHECK_EQ_INT(1, rdma_channel_read(&p.server, sink, 10, err, sizeof err));
    pump(&p.client);
    CHECK(rdma_channel_writable(&p.client));
    CHECK_EQ_INT(100, write_bytes(&p.client, data, 100));
    pump(&p.server);
    CHECK_EQ_INT(100, rdma_channel_read(&p.server, sink, sizeof sink, err, sizeof err));
    pair_close(&p);
}

TEST(rdma_channel_never_overruns_the_send_queue) {
    Pair p;
    pair_open(&p, SMALL_RX, 4 * SMALL_RX);
    uint8_t byte = 'z';
    int posted = 0;
    /* One-byte writes while the writer reaps nothing: the channel must say
     * "try later" before the fake hardware would refuse a post. */
    while (write_bytes(&p.client, &byte, 1) == 1) posted++;
    /* The opening's sends were reaped by pair_open: the whole queue less
     * the control reserve. */
    CHECK_EQ_INT(RDMA_MAX_WQE - RDMA_SQ_CONTROL_RESERVE, posted);
    CHECK(rdma_channel_writable(&p.client) == 0);
    pump(&p.client); /* completions free the queue */
    CHECK(rdma_channel_writable(&p.client));
    CHECK_EQ_INT(1, write_bytes(&p.client, &byte, 1));
    pair_close(&p);
}

TEST(rdma_channel_unknown_opcode_fails_the_receiver) {
    Pair p;
    char err[160];
    pair_open(&p, SMALL_RX, SMALL_RX);
    RdmaMsg bad = {.opcode = 9};
    CHECK_EQ_INT(0, rdma_channel_send_msg(&p.client, &bad, err, sizeof err));
    RdmaPollResult res;
    CHECK_EQ_INT(-1, rdma_channel_poll(&p.server, &res, err, sizeof err));
    CHECK_EQ_STR("unknown control message opcode 9", err);
    pair_close(&p);
}

TEST(rdma_channel_feature_bits_are_refused) {
    Pair p;
    char err[160];
    pair_open(&p, SMALL_RX, SMALL_RX);
    RdmaMsg set = rdma_msg_set_client_feature(0, 1);
    CHECK_EQ_INT(0, rdma_channel_send_msg(&p.client, &set, err, sizeof err));
    RdmaPollResult res;
    CHECK_EQ_INT(-1, rdma_channel_poll(&p.server, &res, err, sizeof err));
    CHECK_EQ_STR("SetClientFeature asks for features 0x1; none exist", err);
    pair_close(&p);
}

TEST(rdma_channel_write_outside_the_peer_buffer_fails_the_writer) {
    Pair p;
    char err[160];
    pair_open(&p, SMALL_RX, SMALL_RX);
    p.client.tx.remote_addr += 4096; /* a window that ends past the peer's region */
    static uint8_t data[SMALL_RX];
    CHECK_EQ_INT(SMALL_RX, write_bytes(&p.client, data, sizeof data));
    RdmaPollResult res;
    CHECK_EQ_INT(-1, rdma_channel_poll(&p.client, &res, err, sizeof err));
    CHECK_EQ_STR("work request failed: remote access error", err);
    pair_close(&p);
}

TEST(rdma_channel_too_many_announced_bytes_fail_the_reader) {
    Pair p;
    char err[160];
    pair_open(&p, SMALL_RX, SMALL_RX);
    p.server.rx.written = SMALL_RX - 10; /* as if the peer had lost count */
    p.server.rx.read = SMALL_RX - 10;
    uint8_t data[100] = {0};
    CHECK_EQ_INT(100, write_bytes(&p.client, data, sizeof data));
    RdmaPollResult res;
    CHECK_EQ_INT(-1, rdma_channel_poll(&p.server, &res, err, sizeof err));
    CHECK_EQ_STR("peer wrote 100 bytes past the end of the RX buffer", err);
    pair_close(&p);
}
