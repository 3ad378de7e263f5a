/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/rdma_fake_verbs.c: the in-process verbs stand-in described in
 * rdma_fake_verbs.h. Only what modules/rdma/verbs.c calls is here; every
 * object is counted so a test can prove teardown released all of it.
 */
#include "rdma_fake_verbs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAKE_CQ_SIZE 8192
#define FAKE_RECV_MAX 4096
#define FAKE_MR_MAX 64

typedef struct FakeCq {
    struct ibv_cq cq;
    struct ibv_wc wc[FAKE_CQ_SIZE]; /* ring of completions */
    unsigned head, tail;
    int armed;
    struct FakeQp *qp; /* the one QP using this CQ */
} FakeCq;

/* A completion channel: a pipe, and the one CQ that reports through it. */
typedef struct FakeChannel {
    struct ibv_comp_channel ch; /* ch.fd: the read end */
    int write_fd;
    FakeCq *cq;
} FakeChannel;

typedef struct FakeRecv {
    uint64_t wr_id;
    uint64_t addr;
    uint32_t length;
} FakeRecv;

typedef struct FakeQp {
    struct ibv_qp qp;
    FakeCq *cq;
    struct FakeQp *peer;
    uint32_t max_send_wr;
    FakeRecv recv[FAKE_RECV_MAX]; /* posted receives, a ring */
    unsigned recv_head, recv_tail;
    /* Notifications waiting for a receive (RNR): opcode, imm, payload. */
    struct {
        enum ibv_wc_opcode opcode;
        uint32_t imm, len;
        uint8_t payload[64];
    } backlog[FAKE_RECV_MAX];
    unsigned backlog_head, backlog_tail;
    uint64_t posted;                  /* send WRs posted */
    uint64_t retired;                 /* send WRs known complete */
    uint64_t signalled[FAKE_CQ_SIZE]; /* posted count at each signalled WR, FIFO */
    unsigned sig_head, sig_tail;
} FakeQp;

static struct ibv_context fake_ctx;
static int live_objects;
static struct ibv_mr *mrs[FAKE_MR_MAX];
static uint32_t next_key = 100;

/* ---- completions ---- */

/* Raises one completion event on the CQ's channel. */
static void cq_event(FakeCq *cq) {
    char byte = 1;
    if (write(((FakeChannel *)cq->cq.channel)->write_fd, &byte, 1) != 1) abort();
}

static void cq_push(FakeCq *cq, struct ibv_wc wc) {
    cq->wc[cq->tail++ % FAKE_CQ_SIZE] = wc;
    if (cq->armed) {
        cq->armed = 0;
        cq_event(cq);
    }
}

static int fake_poll_cq(struct ibv_cq *ibcq, int n, struct ibv_wc *wc) {
    FakeCq *cq = (FakeCq *)ibcq;
    int got = 0;
    while (got < n && cq->head != cq->tail) {
        wc[got] = cq->wc[cq->head++ % FAKE_CQ_SIZE];
        FakeQp *qp = cq->qp;
        /* A signalled send completion retires it and every earlier WR. */
        if ((wc[got].opcode == IBV_WC_SEND || wc[got].opcode == IBV_WC_RDMA_WRITE) && qp &&
            qp->sig_head != qp->sig_tail)
            qp->retired = qp->signalled[qp->sig_head++ % FAKE_CQ_SIZE];
        got++;
    }
    return got;
}

static int fake_req_notify_cq(struct ibv_cq *ibcq, int solicited_only) {
    (void)solicited_only;
    FakeCq *cq = (FakeCq *)ibcq;
    if (cq->head != cq->tail) {
        cq_event(cq); /* completions already waiting raise an event at once */
        return 0;
    }
    cq->armed = 1;
    return 0;
}

/* ---- memory regions ---- */

static struct ibv_mr *mr_find(uint32_t key, uint64_t addr, uint64_t len) {
    for (int i = 0; i < FAKE_MR_MAX; i++) {
        struct ibv_mr *mr = mrs[i];
        if (mr == NULL || (mr->lkey != key && mr->rkey != key)) continue;
        uint64_t start = (uintptr_t)mr->addr;
        if (addr >= start && len <= mr->length && addr - start <= mr->length - len) return mr;
        return NULL;
    }
    return NULL;
}

/* ---- posting ---- */

/* Hands one notification to the peer's next receive, or queues it. */
static void deliver(FakeQp *to, enum ibv_wc_opcode opcode, uint32_t imm, const void *payload,
                    uint32_t len) {
    if (to->recv_head == to->recv_tail) {
        unsigned slot = to->backlog_tail++ % FAKE_RECV_MAX;
        to->backlog[slot].opcode = opcode;
        to->backlog[slot].imm = imm;
        to->backlog[slot].len = len;
        if (payload) memcpy(to->backlog[slot].payload, payload, len);
        return;
    }
    FakeRecv r = to->recv[to->recv_head++ % FAKE_RECV_MAX];
    struct ibv_wc wc = {.wr_id = r.wr_id, .status = IBV_WC_SUCCESS, .opcode = opcode,
                        .byte_len = len, .qp_num = to->qp.qp_num};
    if (opcode == IBV_WC_RECV) {
        if (len > r.length) {
            wc.status = IBV_WC_LOC_LEN_ERR;
        } else {
            memcpy((void *)(uintptr_t)r.addr, payload, len);
        }
    } else {
        wc.imm_data = imm;
        wc.wc_flags = IBV_WC_WITH_IMM;
    }
    cq_push(to->cq, wc);
}

static int fake_post_recv(struct ibv_qp *ibqp, struct ibv_recv_wr *wr, struct ibv_recv_wr **bad) {
    FakeQp *qp = (FakeQp *)ibqp;
    for (; wr; wr = wr->next) {
        if (qp->recv_tail - qp->recv_head >= FAKE_RECV_MAX) {
            *bad = wr;
            return ENOMEM;
        }
        if (mr_find(wr->sg_list[0].lkey, wr->sg_list[0].addr, wr->sg_list[0].length) == NULL) {
            *bad = wr;
            return EINVAL;
        }
        qp->recv[qp->recv_tail++ % FAKE_RECV_MAX] =
            (FakeRecv){wr->wr_id, wr->sg_list[0].addr, wr->sg_list[0].length};
        if (qp->backlog_head != qp->backlog_tail) {
            unsigned slot = qp->backlog_head++ % FAKE_RECV_MAX;
            deliver(qp, qp->backlog[slot].opcode, qp->backlog[slot].imm, qp->backlog[slot].payload,
                    qp->backlog[slot].len);
        }
    }
    return 0;
}

static int post_one(FakeQp *qp, struct ibv_send_wr *wr) {
    if (qp->posted - qp->retired >= qp->max_send_wr) return ENOMEM; /* the queue is full */
    struct ibv_sge *sge = &wr->sg_list[0];
    if (wr->num_sge != 1 || mr_find(sge->lkey, sge->addr, sge->length) == NULL) return EINVAL;
    qp->posted++;
    enum ibv_wc_status status = IBV_WC_SUCCESS;
    enum ibv_wc_opcode done = IBV_WC_SEND;
    if (qp->peer == NULL) {
        status = IBV_WC_WR_FLUSH_ERR; /* the connection is gone: the QP is in error */
        if (wr->opcode != IBV_WR_SEND) done = IBV_WC_RDMA_WRITE;
    } else if (wr->opcode == IBV_WR_SEND) {
        deliver(qp->peer, IBV_WC_RECV, 0, (void *)(uintptr_t)sge->addr, sge->length);
    } else if (wr->opcode == IBV_WR_RDMA_WRITE_WITH_IMM) {
        done = IBV_WC_RDMA_WRITE;
        if (mr_find(wr->wr.rdma.rkey, wr->wr.rdma.remote_addr, sge->length) == NULL) {
            status = IBV_WC_REM_ACCESS_ERR;
        } else {
            memcpy((void *)(uintptr_t)wr->wr.rdma.remote_addr, (void *)(uintptr_t)sge->addr,
                   sge->length);
            deliver(qp->peer, IBV_WC_RECV_RDMA_WITH_IMM, wr->imm_data, NULL, sge->length);
        }
    } else {
        return EINVAL;
    }
    if ((wr->send_flags & IBV_SEND_SIGNALED) || status != IBV_WC_SUCCESS) {
        qp->signalled[qp->sig_tail++ % FAKE_CQ_SIZE] = qp->posted;
        cq_push(qp->cq, (struct ibv_wc){.wr_id = wr->wr_id, .status = status, .opcode = done,
                                        .qp_num = qp->qp.qp_num});
    }
    return 0;
}

static int fake_post_send(struct ibv_qp *ibqp, struct ibv_send_wr *wr, struct ibv_send_wr **bad) {
    for (; wr; wr = wr->next) {
        int rc = post_one((FakeQp *)ibqp, wr);
        if (rc != 0) {
            *bad = wr;
            return rc;
        }
    }
    return 0;
}

struct ibv_context *fake_verbs_context(void) {
    fake_ctx.ops.poll_cq = fake_poll_cq;
    fake_ctx.ops.req_notify_cq = fake_req_notify_cq;
    fake_ctx.ops.post_send = fake_post_send;
    fake_ctx.ops.post_recv = fake_post_recv;
    fake_ctx.num_comp_vectors = 1;
    return &fake_ctx;
}

void fake_verbs_join(struct rdma_cm_id *a, struct rdma_cm_id *b) {
    FakeQp *qa = (FakeQp *)a->qp, *qb = (FakeQp *)b->qp;
    qa->peer = qb;
    qb->peer = qa;
}

int fake_verbs_live_objects(void) {
    return live_objects;
}

/* ---- the library entry points verbs.c calls ---- */

struct ibv_pd *ibv_alloc_pd(struct ibv_context *context) {
    struct ibv_pd *pd = calloc(1, sizeof *pd);
    pd->context = context;
    live_objects++;
    return pd;
}

int ibv_dealloc_pd(struct ibv_pd *pd) {
    free(pd);
    live_objects--;
    return 0;
}

struct ibv_comp_channel *ibv_create_comp_channel(struct ibv_context *context) {
    FakeChannel *fc = calloc(1, sizeof *fc);
    int fds[2];
    if (pipe(fds) != 0) {
        free(fc);
        return NULL;
    }
    fc->ch.fd = fds[0];
    fc->write_fd = fds[1];
    fc->ch.context = context;
    live_objects++;
    return &fc->ch;
}

int ibv_destroy_comp_channel(struct ibv_comp_channel *ch) {
    FakeChannel *fc = (FakeChannel *)ch;
    close(fc->ch.fd);
    close(fc->write_fd);
    free(fc);
    live_objects--;
    return 0;
}

struct ibv_cq *ibv_create_cq(struct ibv_context *context, int cqe, void *cq_context,
                             struct ibv_comp_channel *channel, int comp_vector) {
    (void)cqe, (void)comp_vector;
    FakeCq *cq = calloc(1, sizeof *cq);
    cq->cq.context = context;
    cq->cq.channel = channel;
    cq->cq.cq_context = cq_context;
    ((FakeChannel *)channel)->cq = cq;
    live_objects++;
    return &cq->cq;
}

int ibv_destroy_cq(struct ibv_cq *cq) {
    free(cq);
    live_objects--;
    return 0;
}

int ibv_get_cq_event(struct ibv_comp_channel *channel, struct ibv_cq **cq, void **cq_context) {
    char byte;
    if (read(channel->fd, &byte, 1) != 1) return -1; /* errno EAGAIN from the non-blocking pipe */
    *cq = &((FakeChannel *)channel)->cq->cq;
    *cq_context = (*cq)->cq_context;
    return 0;
}

void ibv_ack_cq_events(struct ibv_cq *cq, unsigned int nevents) {
    (void)cq, (void)nevents;
}

/* Parenthesised: verbs.h also defines ibv_reg_mr as a function-like macro. */
struct ibv_mr *(ibv_reg_mr)(struct ibv_pd *pd, void *addr, size_t length, int access) {
    (void)access;
    for (int i = 0; i < FAKE_MR_MAX; i++) {
        if (mrs[i]) continue;
        struct ibv_mr *mr = calloc(1, sizeof *mr);
        mr->pd = pd;
        mr->addr = addr;
        mr->length = length;
        mr->lkey = next_key++;
        mr->rkey = next_key++;
        mrs[i] = mr;
        live_objects++;
        return mr;
    }
    errno = ENOMEM;
    return NULL;
}

int ibv_dereg_mr(struct ibv_mr *mr) {
    for (int i = 0; i < FAKE_MR_MAX; i++)
        if (mrs[i] == mr) mrs[i] = NULL;
    free(mr);
    live_objects--;
    return 0;
}

const char *ibv_wc_status_str(enum ibv_wc_status status) {
    if (status == IBV_WC_REM_ACCESS_ERR) return "remote access error";
    return status == IBV_WC_WR_FLUSH_ERR ? "Work Request Flushed Error" : "fake error";
}

int rdma_create_qp(struct rdma_cm_id *id, struct ibv_pd *pd, struct ibv_qp_init_attr *attr) {
    FakeQp *qp = calloc(1, sizeof *qp);
    qp->qp.context = id->verbs;
    qp->qp.pd = pd;
    qp->qp.qp_num = (uint32_t)next_key++;
    qp->cq = (FakeCq *)attr->send_cq;
    qp->cq->qp = qp;
    qp->max_send_wr = attr->cap.max_send_wr;
    id->qp = &qp->qp;
    live_objects++;
    return 0;
}

void rdma_destroy_qp(struct rdma_cm_id *id) {
    FakeQp *qp = (FakeQp *)id->qp;
    if (qp->peer) qp->peer->peer = NULL;
    free(qp);
    id->qp = NULL;
    live_objects--;
}
