/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/verbs.h: one RDMA channel: the verbs resources behind a connected
 * rdma_cm_id (protection domain, completion channel and queue, RC queue
 * pair, registered control/RX/TX buffers) and the protocol operations on
 * them: post control messages, write stream bytes into the peer's RX
 * buffer, read what the peer wrote into ours, reap completions.
 *
 * Shared by keel-rdma.so (server and client connections) and the test
 * client tools/keel-rdma-cli.c, so it knows nothing of KeelCore: errors come
 * back as text in err, memory comes from mmap (registered memory must be
 * page-aligned and alone in its pages for fork safety).
 *
 * Threads: the owner of the connection; never two threads at once.
 */
#ifndef KEEL_RDMA_VERBS_H
#define KEEL_RDMA_VERBS_H

#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "proto.h"
#include "ring.h"

/* Private to the module (or test) that links this file: hidden, so it
 * stays out of keel-rdma.so's dynamic symbol table. */
#pragma GCC visibility push(hidden)

typedef struct RdmaChannel {
    struct rdma_cm_id *cm_id;                /* borrowed: the caller owns and destroys it */
    int is_server;                           /* answers GetServerFeature */
    struct ibv_pd *pd;                       /* owned */
    struct ibv_comp_channel *comp_channel;   /* owned; its fd is non-blocking */
    struct ibv_cq *cq;                       /* owned; send and receive completions */
    uint8_t *ctl_buf;                        /* owned: RDMA_MAX_WQE receive slots, then as many send slots */
    struct ibv_mr *ctl_mr;                   /* owned */
    uint16_t ctl_free[RDMA_MAX_WQE];         /* free send slots (a stack) */
    int ctl_free_count;
    uint8_t *rx_buf;                         /* owned: the peer writes here */
    struct ibv_mr *rx_mr;                    /* owned; remote write allowed */
    uint8_t *tx_buf;                         /* owned: staging copy of what we write */
    uint32_t tx_buf_len;                     /* = the peer's RX length */
    struct ibv_mr *tx_mr;                    /* owned */
    RdmaRxRing rx;
    RdmaTxWindow tx;
    RdmaSendQueue sq;
    uint64_t peer_features;                  /* client: GetServerFeature answer */
    unsigned long long keepalives_received;
} RdmaChannel;

/* What one rdma_channel_poll found. */
typedef struct RdmaPollResult {
    int data_arrived;    /* the RX buffer has new bytes */
    int tx_registered;   /* the peer (re)registered its buffer: TX room is back */
    int send_completed;  /* send-queue slots were freed */
} RdmaPollResult;

/* Builds every resource on cm_id (after ADDR/ROUTE resolution, or for a
 * CONNECT_REQUEST's new id) and posts the receives: rx_size bytes of RX
 * buffer, CQ interrupts on comp_vector (-1: random). Returns 0, or -1 with
 * err and nothing left allocated. */
int rdma_channel_setup(RdmaChannel *ch, struct rdma_cm_id *cm_id, int is_server,
                       uint32_t rx_size, int comp_vector, char *err, size_t errlen);
/* Frees everything setup made (QP first, then memory regions, CQ, channel,
 * PD); safe on a half-built or zeroed channel, and twice. */
void rdma_channel_release(RdmaChannel *ch);
/* The completion channel's fd: readable when completions wait. */
int rdma_channel_fd(const RdmaChannel *ch);

/* Posts one control message. Returns 0, or -1 with err. */
int rdma_channel_send_msg(RdmaChannel *ch, const RdmaMsg *msg, char *err, size_t errlen);
/* Resets our RX offsets and sends RegisterXferMemory for the RX buffer. */
int rdma_channel_register_rx(RdmaChannel *ch, char *err, size_t errlen);
/* Client side of the handshake: GetServerFeature, SetClientFeature(0). */
int rdma_channel_negotiate(RdmaChannel *ch, char *err, size_t errlen);

/* Copies up to the TX room from iov into the staging buffer and posts one
 * RDMA WRITE_WITH_IMM of them. Returns bytes taken (> 0), 0 when there is
 * no room (peer buffer full or send queue busy: try after the next
 * completion), or -1 with err (the queue pair failed). */
ssize_t rdma_channel_writev(RdmaChannel *ch, const struct iovec *iov, int iovcnt, char *err,
                            size_t errlen);
/* Copies up to len readable bytes into buf. When that empties a full RX
 * buffer it re-registers it. Returns bytes (0: nothing readable), or -1
 * with err when the re-registration cannot be posted. */
ssize_t rdma_channel_read(RdmaChannel *ch, void *buf, size_t len, char *err, size_t errlen);
/* 1 if the channel holds bytes a read would return. */
int rdma_channel_readable(const RdmaChannel *ch);
/* 1 if a write could post something now. */
int rdma_channel_writable(const RdmaChannel *ch);

/* Takes the completion channel's event (if any), re-arms it and reaps the
 * CQ until empty, handling control messages and data notifications.
 * Returns 0 with res filled, or -1 with err (a failed work request, a
 * malformed message: the connection is unusable). Never blocks. */
int rdma_channel_poll(RdmaChannel *ch, RdmaPollResult *res, char *err, size_t errlen);

/* Fills ip/port from a sockaddr (IPv4 or IPv6). Returns 0, or -1. */
int rdma_sockaddr_text(const struct sockaddr *sa, char *ip, size_t iplen, int *port);

#pragma GCC visibility pop

#endif
