/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/args.h: the loadmodule arguments of keel-rdma.so, as Valkey 8.0's
 * RDMA module took them: `loadmodule keel-rdma.so bind=ADDR port=N
 * rx-size=N comp-vector=N` (bind may repeat). They set the same values as
 * the rdma-bind, rdma-port, rdma-rx-size and rdma-completion-vector options.
 *
 * Pure parsing (no core calls), so tests/c/test_rdma_args.c links it alone.
 * Threads: any.
 */
#ifndef KEEL_RDMA_ARGS_H
#define KEEL_RDMA_ARGS_H

#include <stddef.h>

/* Private to the module (or test) that links this file: hidden, so it
 * stays out of keel-rdma.so's dynamic symbol table. */
#pragma GCC visibility push(hidden)

#define RDMA_ARGS_BIND_MAX 16
#define RDMA_ARGS_BIND_LEN 1024 /* all bind addresses, space separated */

typedef struct RdmaArgs {
    int has_port, has_bind, has_rx_size, has_comp_vector; /* which were given */
    long long port;
    char bind[RDMA_ARGS_BIND_LEN]; /* "addr1 addr2", as rdma-bind takes it */
    int bind_count;
    long long rx_size;
    long long comp_vector;
} RdmaArgs;

/* Parses argv. Returns 0 with args filled, or -1 with one line in err:
 * `RDMA: Unsupported argument "foo=1"` (Valkey's text) for an unknown or
 * malformed word, or the option's range for a bad number. */
int rdma_args_parse(int argc, char **argv, RdmaArgs *args, char *err, size_t errlen);

#pragma GCC visibility pop

#endif
