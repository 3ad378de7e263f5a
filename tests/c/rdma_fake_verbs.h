/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/rdma_fake_verbs.h: in-process stand-ins for the libibverbs calls
 * (rdma_fake_verbs.c) and the librdmacm connection manager and device list
 * (rdma_fake_cm.c) that keel-rdma.so makes, so the RDMA channel logic
 * (handshake, stream writes, re-registration, send-queue limits, bad
 * peers) and the module around it run in unit tests on a machine without
 * an RDMA device.
 *
 * Two queue pairs joined with fake_verbs_join behave as an RC connection
 * on one host: SEND lands in the peer's next posted receive, RDMA WRITE
 * copies into the peer's registered memory after checking rkey and bounds
 * (a violation completes with IBV_WC_REM_ACCESS_ERR), WRITE_WITH_IMM also
 * consumes a receive; with no receive posted the notification waits (as
 * RNR retry would). Posting past max_send_wr fails with ENOMEM like real
 * hardware, counting a send slot as busy until a later signalled
 * completion is polled. Completion channels are pipes.
 *
 * Threads: one (test code).
 */
#ifndef KEEL_TESTS_RDMA_FAKE_VERBS_H
#define KEEL_TESTS_RDMA_FAKE_VERBS_H

#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

/* A context whose ops are the fake's; give it to cm_id->verbs. */
struct ibv_context *fake_verbs_context(void);
/* Joins the queue pairs of two ids (after rdma_channel_setup on both). */
void fake_verbs_join(struct rdma_cm_id *a, struct rdma_cm_id *b);
/* Objects alive now (PDs, channels, CQs, QPs, MRs): 0 after a clean release. */
int fake_verbs_live_objects(void);

/* rdma_fake_cm.c: the connection manager and device list. */
/* How many devices ibv_get_device_list reports (default 1). */
void fake_cm_set_devices(int count);
/* CM ids and event channels alive now. */
int fake_cm_live_objects(void);

#endif
