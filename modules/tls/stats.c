/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls/stats.c: the TLS counters INFO shows (handshakes completed and
 * failed) and the rate limit on handshake-failure log lines.
 *
 * A port scanner, a load balancer's health check or a plain-text client on
 * the TLS port fails the handshake every time; logging each would flood the
 * log, so at most one line per second is written and the lines skipped in
 * between are counted in the next one. The counter sees every failure.
 *
 * Threads: main only (handshakes run on the main thread).
 */
#include "internal.h"

#include <stdio.h>

#include "../common/netsock.h"

#define TLS_FAILURE_LOG_INTERVAL_US 1000000

static unsigned long long handshakes_completed; /* main thread only */
static unsigned long long handshakes_failed;    /* main thread only */
static unsigned long long failures_not_logged;  /* since the last logged line */
static uint64_t last_failure_log_us;            /* 0: never logged */

void tls_handshake_done(void) {
    handshakes_completed++;
}

void tls_handshake_failed(KeelConn *conn, const char *why) {
    handshakes_failed++;
    uint64_t now = tls_core->monotonic_us();
    if (last_failure_log_us != 0 && now - last_failure_log_us < TLS_FAILURE_LOG_INTERVAL_US) {
        failures_not_logged++;
        return;
    }
    last_failure_log_us = now;
    char ip[NETSOCK_IP_MAX] = "?";
    int port = 0;
    (void)tls_addr(conn, ip, sizeof ip, &port, 1); /* "?" if the peer is gone */
    if (failures_not_logged > 0)
        tls_core->log(KEEL_LOG_NOTICE,
                      "TLS handshake failed (peer %s:%d): %s (%llu more failures not logged)", ip,
                      port, why, failures_not_logged);
    else
        tls_core->log(KEEL_LOG_NOTICE, "TLS handshake failed (peer %s:%d): %s", ip, port, why);
    failures_not_logged = 0;
}

size_t tls_info(char *buf, size_t len) {
    int n = snprintf(buf, len, "tls_handshakes_completed:%llu\r\ntls_handshake_failures:%llu\r\n",
                     handshakes_completed, handshakes_failed);
    return n < 0 ? 0 : (size_t)n;
}
