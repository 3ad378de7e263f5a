/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/verbs.c: the verbs side of one RDMA channel (see verbs.h): resource
 * setup and teardown, control messages, stream writes and reads, and the
 * completion loop.
 *
 * Work-request ids: a receive carries its control-buffer slot; a send
 * carries its send-queue sequence number (ring.h), and a control send also
 * its slot with the top bit set, so a completion frees exactly what it must.
 * Data writes are mostly unsignalled (ring.h says when they are not); only
 * the WRITE_WITH_IMM's immediate, the batch's byte count, wakes the peer.
 *
 * Memory regions live in their own mmap'd pages: verbs pins them and marks
 * them MADV_DONTFORK when fork support is on, which must never catch an
 * unrelated heap object sharing the page (a forked BGSAVE child would fault
 * on it).
 *
 * Threads: the connection's owner only (see verbs.h).
 */
#include "verbs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CTL_SEND_FLAG (1ULL << 63)
#define CTL_SLOT_SHIFT 48
#define SEQ_MASK ((1ULL << CTL_SLOT_SHIFT) - 1)
#define POLL_BATCH 16

/* ---- page-aligned memory ---- */

static size_t page_round(size_t len) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (len + page - 1) & ~(page - 1);
}

static void *region_alloc(size_t len) {
    void *p = mmap(NULL, page_round(len), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED) return NULL;
    (void)madvise(p, page_round(len), MADV_DONTDUMP); /* a core dump need not hold it */
    return p;
}

static void region_free(void *p, size_t len) {
    if (p != NULL) (void)munmap(p, page_round(len));
}

static uint8_t *ctl_slot(RdmaChannel *ch, unsigned slot) {
    return ch->ctl_buf + (size_t)slot * RDMA_MSG_SIZE;
}

/* ---- setup and teardown ---- */

static int post_recv(RdmaChannel *ch, unsigned slot, char *err, size_t errlen) {
    struct ibv_sge sge = {.addr = (uintptr_t)ctl_slot(ch, slot), .length = RDMA_MSG_SIZE,
                          .lkey = ch->ctl_mr->lkey};
    struct ibv_recv_wr wr = {.wr_id = slot, .sg_list = &sge, .num_sge = 1}, *bad;
    int rc = ibv_post_recv(ch->cm_id->qp, &wr, &bad);
    if (rc != 0) {
        snprintf(err, errlen, "ibv_post_recv: %s", strerror(rc));
        return -1;
    }
    return 0;
}

static int setup_queues(RdmaChannel *ch, int comp_vector, char *err, size_t errlen) {
    struct ibv_context *verbs = ch->cm_id->verbs;
    ch->pd = ibv_alloc_pd(verbs);
    if (ch->pd == NULL) {
        snprintf(err, errlen, "ibv_alloc_pd: %s", strerror(errno));
        return -1;
    }
    ch->comp_channel = ibv_create_comp_channel(verbs);
    if (ch->comp_channel == NULL) {
        snprintf(err, errlen, "ibv_create_comp_channel: %s", strerror(errno));
        return -1;
    }
    int fd = ch->comp_channel->fd;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
        snprintf(err, errlen, "completion channel fd: %s", strerror(errno));
        return -1;
    }
    int vectors = verbs->num_comp_vectors > 0 ? verbs->num_comp_vectors : 1;
    int vector = comp_vector >= 0 ? comp_vector % vectors : (int)(random() % vectors);
    ch->cq = ibv_create_cq(verbs, RDMA_MAX_WQE * 2, NULL, ch->comp_channel, vector);
    if (ch->cq == NULL) {
        snprintf(err, errlen, "ibv_create_cq: %s", strerror(errno));
        return -1;
    }
    if (ibv_req_notify_cq(ch->cq, 0) != 0) {
        snprintf(err, errlen, "ibv_req_notify_cq failed");
        return -1;
    }
    struct ibv_qp_init_attr attr = {
        .send_cq = ch->cq,
        .recv_cq = ch->cq,
        .cap = {.max_send_wr = RDMA_MAX_WQE, .max_recv_wr = RDMA_MAX_WQE, .max_send_sge = 1,
                .max_recv_sge = 1},
        .qp_type = IBV_QPT_RC,
    };
    if (rdma_create_qp(ch->cm_id, ch->pd, &attr) != 0) {
        snprintf(err, errlen, "rdma_create_qp: %s", strerror(errno));
        return -1;
    }
    rdma_sq_init(&ch->sq, RDMA_MAX_WQE);
    return 0;
}

static int setup_buffers(RdmaChannel *ch, uint32_t rx_size, char *err, size_t errlen) {
    size_t ctl_len = (size_t)RDMA_MAX_WQE * 2 * RDMA_MSG_SIZE;
    rdma_rx_init(&ch->rx, rx_size); /* first: release unmaps rx.length bytes */
    rdma_tx_init(&ch->tx);
    ch->ctl_buf = region_alloc(ctl_len);
    ch->rx_buf = region_alloc(rx_size);
    if (ch->ctl_buf == NULL || ch->rx_buf == NULL) {
        snprintf(err, errlen, "cannot map buffers: %s", strerror(errno));
        return -1;
    }
    ch->ctl_mr = ibv_reg_mr(ch->pd, ch->ctl_buf, ctl_len, IBV_ACCESS_LOCAL_WRITE);
    if (ch->ctl_mr == NULL) {
        snprintf(err, errlen, "ibv_reg_mr (control buffer): %s", strerror(errno));
        return -1;
    }
    ch->rx_mr = ibv_reg_mr(ch->pd, ch->rx_buf, rx_size,
                           IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
                               IBV_ACCESS_REMOTE_READ);
    if (ch->rx_mr == NULL) {
        snprintf(err, errlen, "ibv_reg_mr (RX buffer of %u bytes): %s", rx_size,
                 strerror(errno));
        return -1;
    }
    for (unsigned i = 0; i < RDMA_MAX_WQE; i++)
        if (post_recv(ch, i, err, errlen) != 0) return -1;
    ch->ctl_free_count = 0;
    for (int i = RDMA_MAX_WQE - 1; i >= 0; i--)
        ch->ctl_free[ch->ctl_free_count++] = (uint16_t)(RDMA_MAX_WQE + i);
    return 0;
}

int rdma_channel_setup(RdmaChannel *ch, struct rdma_cm_id *cm_id, int is_server,
                       uint32_t rx_size, int comp_vector, char *err, size_t errlen) {
    memset(ch, 0, sizeof *ch);
    ch->cm_id = cm_id;
    ch->is_server = is_server;
    if (setup_queues(ch, comp_vector, err, errlen) != 0 ||
        setup_buffers(ch, rx_size, err, errlen) != 0) {
        rdma_channel_release(ch);
        return -1;
    }
    return 0;
}

static void tx_buffer_free(RdmaChannel *ch) {
    if (ch->tx_mr) ibv_dereg_mr(ch->tx_mr);
    region_free(ch->tx_buf, ch->tx_buf_len);
    ch->tx_mr = NULL;
    ch->tx_buf = NULL;
    ch->tx_buf_len = 0;
}

void rdma_channel_release(RdmaChannel *ch) {
    /* The QP goes first: once it is gone no work request can touch the
     * memory regions deregistered below. */
    if (ch->cm_id && ch->cm_id->qp) rdma_destroy_qp(ch->cm_id);
    tx_buffer_free(ch);
    if (ch->rx_mr) ibv_dereg_mr(ch->rx_mr);
    region_free(ch->rx_buf, ch->rx.length);
    if (ch->ctl_mr) ibv_dereg_mr(ch->ctl_mr);
    region_free(ch->ctl_buf, (size_t)RDMA_MAX_WQE * 2 * RDMA_MSG_SIZE);
    ch->rx_mr = ch->ctl_mr = NULL;
    ch->rx_buf = ch->ctl_buf = NULL;
    if (ch->cq) {
        /* ibv_destroy_cq waits for every event taken to be acked: poll
         * acks each one as it takes it. */
        ibv_destroy_cq(ch->cq);
        ch->cq = NULL;
    }
    if (ch->comp_channel) ibv_destroy_comp_channel(ch->comp_channel);
    ch->comp_channel = NULL;
    if (ch->pd) ibv_dealloc_pd(ch->pd);
    ch->pd = NULL;
}

int rdma_channel_fd(const RdmaChannel *ch) {
    return ch->comp_channel ? ch->comp_channel->fd : -1;
}

/* ---- control messages ---- */

int rdma_channel_send_msg(RdmaChannel *ch, const RdmaMsg *msg, char *err, size_t errlen) {
    if (ch->ctl_free_count == 0 || !rdma_sq_control_ok(&ch->sq)) {
        snprintf(err, errlen, "send queue full: %s not sent", rdma_opcode_name(msg->opcode));
        return -1;
    }
    unsigned slot = ch->ctl_free[--ch->ctl_free_count];
    rdma_msg_encode(msg, ctl_slot(ch, slot));
    uint64_t seq = rdma_sq_post(&ch->sq);
    struct ibv_sge sge = {.addr = (uintptr_t)ctl_slot(ch, slot), .length = RDMA_MSG_SIZE,
                          .lkey = ch->ctl_mr->lkey};
    struct ibv_send_wr wr = {
        .wr_id = CTL_SEND_FLAG | ((uint64_t)slot << CTL_SLOT_SHIFT) | seq,
        .sg_list = &sge,
        .num_sge = 1,
        .opcode = IBV_WR_SEND,
        .send_flags = IBV_SEND_SIGNALED,
    };
    struct ibv_send_wr *bad;
    int rc = ibv_post_send(ch->cm_id->qp, &wr, &bad);
    if (rc != 0) {
        ch->sq.posted--;
        ch->ctl_free[ch->ctl_free_count++] = (uint16_t)slot;
        snprintf(err, errlen, "ibv_post_send (%s): %s", rdma_opcode_name(msg->opcode),
                 strerror(rc));
        return -1;
    }
    return 0;
}

int rdma_channel_register_rx(RdmaChannel *ch, char *err, size_t errlen) {
    rdma_rx_reset(&ch->rx);
    RdmaMsg msg = rdma_msg_register_xfer((uintptr_t)ch->rx_buf, ch->rx.length, ch->rx_mr->rkey);
    return rdma_channel_send_msg(ch, &msg, err, errlen);
}

int rdma_channel_negotiate(RdmaChannel *ch, char *err, size_t errlen) {
    RdmaMsg get = rdma_msg_get_server_feature(0, 0);
    RdmaMsg set = rdma_msg_set_client_feature(0, 0); /* no features exist yet */
    if (rdma_channel_send_msg(ch, &get, err, errlen) != 0) return -1;
    return rdma_channel_send_msg(ch, &set, err, errlen);
}

/* The peer announced its RX buffer: our TX window, and a staging buffer of
 * the same size registered for local reads. */
static int on_register_xfer(RdmaChannel *ch, const RdmaMsg *msg, char *err, size_t errlen) {
    if (rdma_msg_check_xfer(msg, err, errlen) != 0) return -1;
    if (msg->length != ch->tx_buf_len) {
        tx_buffer_free(ch);
        ch->tx_buf = region_alloc(msg->length);
        if (ch->tx_buf == NULL) {
            snprintf(err, errlen, "cannot map a TX buffer of %u bytes", msg->length);
            return -1;
        }
        ch->tx_buf_len = msg->length;
        ch->tx_mr = ibv_reg_mr(ch->pd, ch->tx_buf, msg->length, IBV_ACCESS_LOCAL_WRITE);
        if (ch->tx_mr == NULL) {
            snprintf(err, errlen, "ibv_reg_mr (TX buffer of %u bytes): %s", msg->length,
                     strerror(errno));
            tx_buffer_free(ch);
            return -1;
        }
    }
    rdma_tx_on_register(&ch->tx, msg->addr, msg->length, msg->key);
    return 0;
}

static int on_control_message(RdmaChannel *ch, unsigned slot, uint32_t byte_len,
                              RdmaPollResult *res, char *err, size_t errlen) {
    RdmaMsg msg;
    if (rdma_msg_decode(ctl_slot(ch, slot), byte_len, &msg, err, errlen) != 0) return -1;
    switch (msg.opcode) {
    case RDMA_OP_GET_SERVER_FEATURE:
        if (!ch->is_server) {
            ch->peer_features = msg.features;
            break;
        }
        RdmaMsg reply = rdma_msg_get_server_feature(msg.select, 0); /* none defined */
        if (rdma_channel_send_msg(ch, &reply, err, errlen) != 0) return -1;
        break;
    case RDMA_OP_SET_CLIENT_FEATURE:
        if (msg.features != 0) {
            snprintf(err, errlen, "SetClientFeature asks for features 0x%llx; none exist",
                     (unsigned long long)msg.features);
            return -1;
        }
        break;
    case RDMA_OP_KEEPALIVE:
        ch->keepalives_received++;
        break;
    case RDMA_OP_REGISTER_XFER_MEMORY:
        if (on_register_xfer(ch, &msg, err, errlen) != 0) return -1;
        res->tx_registered = 1;
        break;
    }
    return post_recv(ch, slot, err, errlen);
}

static int on_completion(RdmaChannel *ch, const struct ibv_wc *wc, RdmaPollResult *res,
                         char *err, size_t errlen) {
    if (wc->status != IBV_WC_SUCCESS) {
        snprintf(err, errlen, "work request failed: %s", ibv_wc_status_str(wc->status));
        return -1;
    }
    switch (wc->opcode) {
    case IBV_WC_RECV:
        if (wc->wr_id >= RDMA_MAX_WQE) break; /* impossible: receives carry a slot */
        return on_control_message(ch, (unsigned)wc->wr_id, wc->byte_len, res, err, errlen);
    case IBV_WC_RECV_RDMA_WITH_IMM: {
        uint32_t bytes = ntohl(wc->imm_data);
        if (rdma_rx_on_write(&ch->rx, bytes) != 0) {
            snprintf(err, errlen, "peer wrote %u bytes past the end of the RX buffer", bytes);
            return -1;
        }
        res->data_arrived = 1;
        return post_recv(ch, (unsigned)wc->wr_id, err, errlen);
    }
    case IBV_WC_SEND:
    case IBV_WC_RDMA_WRITE:
        if (wc->wr_id & CTL_SEND_FLAG) {
            unsigned slot = (unsigned)((wc->wr_id & ~CTL_SEND_FLAG) >> CTL_SLOT_SHIFT);
            if (ch->ctl_free_count < RDMA_MAX_WQE) ch->ctl_free[ch->ctl_free_count++] = (uint16_t)slot;
        }
        if (rdma_sq_on_complete(&ch->sq, wc->wr_id & SEQ_MASK) != 0) {
            snprintf(err, errlen, "completion for a work request never posted");
            return -1;
        }
        res->send_completed = 1;
        return 0;
    default:
        snprintf(err, errlen, "unexpected completion opcode %d", (int)wc->opcode);
        return -1;
    }
    snprintf(err, errlen, "receive completion with a bad id");
    return -1;
}

int rdma_channel_poll(RdmaChannel *ch, RdmaPollResult *res, char *err, size_t errlen) {
    memset(res, 0, sizeof *res);
    struct ibv_cq *ev_cq;
    void *ev_ctx;
    if (ibv_get_cq_event(ch->comp_channel, &ev_cq, &ev_ctx) == 0) {
        ibv_ack_cq_events(ev_cq, 1);
        if (ibv_req_notify_cq(ev_cq, 0) != 0) {
            snprintf(err, errlen, "ibv_req_notify_cq failed");
            return -1;
        }
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        snprintf(err, errlen, "ibv_get_cq_event: %s", strerror(errno));
        return -1;
    }
    /* Completions that arrived before the re-arm are reaped here; later
     * ones raise a new event, so nothing is missed. */
    for (;;) {
        struct ibv_wc wc[POLL_BATCH];
        int n = ibv_poll_cq(ch->cq, POLL_BATCH, wc);
        if (n < 0) {
            snprintf(err, errlen, "ibv_poll_cq failed");
            return -1;
        }
        for (int i = 0; i < n; i++)
            if (on_completion(ch, &wc[i], res, err, errlen) != 0) return -1;
        if (n < POLL_BATCH) return 0;
    }
}

/* ---- stream IO ---- */

ssize_t rdma_channel_writev(RdmaChannel *ch, const struct iovec *iov, int iovcnt, char *err,
                            size_t errlen) {
    uint32_t room = rdma_tx_room(&ch->tx);
    if (room == 0 || ch->tx_mr == NULL || !rdma_sq_data_ok(&ch->sq)) return 0;
    uint32_t offset = ch->tx.offset, used = 0;
    for (int i = 0; i < iovcnt && used < room; i++) {
        uint32_t take = rdma_tx_chunk(&ch->tx, iov[i].iov_len);
        if (take > room - used) take = room - used;
        memcpy(ch->tx_buf + offset + used, iov[i].iov_base, take);
        used += take;
    }
    if (used == 0) return 0;
    uint64_t seq = rdma_sq_post(&ch->sq);
    struct ibv_sge sge = {.addr = (uintptr_t)(ch->tx_buf + offset), .length = used,
                          .lkey = ch->tx_mr->lkey};
    struct ibv_send_wr wr = {
        .wr_id = seq,
        .sg_list = &sge,
        .num_sge = 1,
        .opcode = IBV_WR_RDMA_WRITE_WITH_IMM,
        .send_flags = rdma_sq_must_signal(&ch->sq, seq) ? IBV_SEND_SIGNALED : 0,
        .imm_data = htonl(used),
        .wr.rdma = {.remote_addr = rdma_tx_remote_next(&ch->tx), .rkey = ch->tx.remote_key},
    };
    struct ibv_send_wr *bad;
    int rc = ibv_post_send(ch->cm_id->qp, &wr, &bad);
    if (rc != 0) {
        ch->sq.posted--;
        snprintf(err, errlen, "ibv_post_send (RDMA write): %s", strerror(rc));
        return -1;
    }
    rdma_tx_advance(&ch->tx, used);
    return used;
}

ssize_t rdma_channel_read(RdmaChannel *ch, void *buf, size_t len, char *err, size_t errlen) {
    uint32_t offset;
    uint32_t n = rdma_rx_take(&ch->rx, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len, &offset);
    if (n > 0) memcpy(buf, ch->rx_buf + offset, n);
    /* The whole buffer is consumed: the peer waits for it to be offered
     * again before it writes any more. */
    if (rdma_rx_exhausted(&ch->rx) && rdma_channel_register_rx(ch, err, errlen) != 0) return -1;
    return n;
}

int rdma_channel_readable(const RdmaChannel *ch) {
    return rdma_rx_readable(&ch->rx) > 0;
}

int rdma_channel_writable(const RdmaChannel *ch) {
    return rdma_tx_room(&ch->tx) > 0 && ch->tx_mr != NULL && rdma_sq_data_ok(&ch->sq);
}

int rdma_sockaddr_text(const struct sockaddr *sa, char *ip, size_t iplen, int *port) {
    if (sa == NULL) return -1;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)sa;
        if (ip && inet_ntop(AF_INET, &s->sin_addr, ip, (socklen_t)iplen) == NULL) return -1;
        if (port) *port = ntohs(s->sin_port);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;
        if (ip && inet_ntop(AF_INET6, &s->sin6_addr, ip, (socklen_t)iplen) == NULL) return -1;
        if (port) *port = ntohs(s->sin6_port);
        return 0;
    }
    return -1;
}
