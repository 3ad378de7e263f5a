/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rdma/args.c: parses keel-rdma.so's loadmodule arguments (see args.h).
 *
 * Numbers are checked with the same bounds as the options they stand for,
 * so a module argument can never set a value CONFIG SET would refuse.
 *
 * Threads: any (pure function).
 */
#include "args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto.h"

/* Parses a whole decimal number in [min, max]. Returns 0, or -1. */
static int parse_number(const char *text, long long min, long long max, long long *out) {
    if (*text == '\0') return -1;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) return -1;
    *out = v;
    return 0;
}

static int add_bind(RdmaArgs *args, const char *addr) {
    size_t used = strlen(args->bind), len = strlen(addr);
    if (args->bind_count >= RDMA_ARGS_BIND_MAX || len == 0 ||
        used + len + 2 > sizeof args->bind || strchr(addr, ' '))
        return -1;
    if (used > 0) args->bind[used++] = ' ';
    memcpy(args->bind + used, addr, len + 1);
    args->bind_count++;
    args->has_bind = 1;
    return 0;
}

int rdma_args_parse(int argc, char **argv, RdmaArgs *args, char *err, size_t errlen) {
    memset(args, 0, sizeof *args);
    for (int i = 0; i < argc; i++) {
        const char *word = argv[i];
        const char *eq = strchr(word, '=');
        if (eq == NULL || eq == word) goto unsupported;
        size_t key_len = (size_t)(eq - word);
        const char *value = eq + 1;
        if (key_len == 4 && strncasecmp(word, "bind", 4) == 0) {
            if (add_bind(args, value) != 0) goto unsupported;
        } else if (key_len == 4 && strncasecmp(word, "port", 4) == 0) {
            if (parse_number(value, 0, 65535, &args->port) != 0) {
                snprintf(err, errlen, "RDMA: argument \"%s\": port must be between 0 and 65535",
                         word);
                return -1;
            }
            args->has_port = 1;
        } else if (key_len == 7 && strncasecmp(word, "rx-size", 7) == 0) {
            if (parse_number(value, RDMA_RX_SIZE_MIN, RDMA_RX_SIZE_MAX, &args->rx_size) != 0) {
                snprintf(err, errlen,
                         "RDMA: argument \"%s\": rx-size must be between %d and %d bytes", word,
                         RDMA_RX_SIZE_MIN, RDMA_RX_SIZE_MAX);
                return -1;
            }
            args->has_rx_size = 1;
        } else if (key_len == 11 && strncasecmp(word, "comp-vector", 11) == 0) {
            if (parse_number(value, -1, 1024, &args->comp_vector) != 0) {
                snprintf(err, errlen,
                         "RDMA: argument \"%s\": comp-vector must be between -1 and 1024", word);
                return -1;
            }
            args->has_comp_vector = 1;
        } else {
            goto unsupported;
        }
        continue;
    unsupported:
        snprintf(err, errlen, "RDMA: Unsupported argument \"%s\"", word);
        return -1;
    }
    return 0;
}
