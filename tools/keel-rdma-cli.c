/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tools/keel-rdma-cli.c: a small client that speaks RESP over "Valkey Over
 * RDMA", for the end-to-end tests of keel-rdma.so (tests/modules/rdma/) and
 * for comparing RDMA with TCP by hand. Neither the Tcl test client nor
 * valkey-cli (8.1) can speak RDMA.
 *
 *   keel-rdma-cli -h ADDR -p PORT [options] CMD ARG...   one command, reply printed
 *   keel-rdma-cli -h ADDR -p PORT --stdin N              raw RESP from stdin,
 *                                                        N replies to stdout, raw
 *   keel-rdma-cli -h ADDR -p PORT --bench get|set --requests N --size B --pipeline P
 *   options: --rx-size BYTES, --timeout-ms MS, --close-early (exit right
 *            after sending, without a disconnect: an abrupt close)
 *
 * It uses the module's protocol files (proto.c, ring.c, verbs.c) and
 * librdmacm directly, blocking: one connection, one thread. Exit status 0
 * on success, 1 with a line on stderr otherwise.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../modules/rdma/verbs.h"

typedef struct Buf {
    char *data;
    size_t len, cap;
} Buf;

typedef struct Client {
    struct rdma_event_channel *cm_channel;
    struct rdma_cm_id *cm_id;
    RdmaChannel ch;
    int channel_ready;
    long long timeout_ms;
    Buf in; /* replies read, not consumed */
} Client;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("keel-rdma-cli: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void buf_append(Buf *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        b->data = realloc(b->data, cap);
        if (b->data == NULL) die("out of memory");
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void buf_consume(Buf *b, size_t n) {
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

/* ---- connection ---- */

static void cm_expect(Client *c, enum rdma_cm_event_type want) {
    struct pollfd pfd = {.fd = c->cm_channel->fd, .events = POLLIN};
    if (poll(&pfd, 1, (int)c->timeout_ms) <= 0) die("timed out waiting for %s", rdma_event_str(want));
    struct rdma_cm_event *ev;
    if (rdma_get_cm_event(c->cm_channel, &ev) != 0) die("rdma_get_cm_event: %s", strerror(errno));
    enum rdma_cm_event_type got = ev->event;
    int status = ev->status;
    rdma_ack_cm_event(ev);
    if (got != want)
        die("expected %s, got %s (status %d)", rdma_event_str(want), rdma_event_str(got), status);
}

static void client_connect(Client *c, const char *host, int port, uint32_t rx_size) {
    char err[256], port_text[8];
    snprintf(port_text, sizeof port_text, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *info;
    int gai = getaddrinfo(host, port_text, &hints, &info);
    if (gai != 0) die("%s: %s", host, gai_strerror(gai));
    c->cm_channel = rdma_create_event_channel();
    if (c->cm_channel == NULL) die("rdma_create_event_channel: %s", strerror(errno));
    if (rdma_create_id(c->cm_channel, &c->cm_id, NULL, RDMA_PS_TCP) != 0)
        die("rdma_create_id: %s", strerror(errno));
    if (rdma_resolve_addr(c->cm_id, NULL, info->ai_addr, 1000) != 0)
        die("rdma_resolve_addr %s: %s", host, strerror(errno));
    freeaddrinfo(info);
    cm_expect(c, RDMA_CM_EVENT_ADDR_RESOLVED);
    if (rdma_resolve_route(c->cm_id, 1000) != 0) die("rdma_resolve_route: %s", strerror(errno));
    cm_expect(c, RDMA_CM_EVENT_ROUTE_RESOLVED);
    if (rdma_channel_setup(&c->ch, c->cm_id, 0, rx_size, -1, err, sizeof err) != 0) die("%s", err);
    c->channel_ready = 1;
    struct rdma_conn_param param = {.responder_resources = 1, .initiator_depth = 1,
                                    .retry_count = 7, .rnr_retry_count = 7};
    if (rdma_connect(c->cm_id, &param) != 0) die("rdma_connect: %s", strerror(errno));
    cm_expect(c, RDMA_CM_EVENT_ESTABLISHED);
    if (rdma_channel_negotiate(&c->ch, err, sizeof err) != 0 ||
        rdma_channel_register_rx(&c->ch, err, sizeof err) != 0)
        die("%s", err);
}

static void client_close(Client *c) {
    if (c->cm_id) rdma_disconnect(c->cm_id);
    if (c->channel_ready) rdma_channel_release(&c->ch);
    if (c->cm_id) rdma_destroy_id(c->cm_id);
    if (c->cm_channel) rdma_destroy_event_channel(c->cm_channel);
    free(c->in.data);
}

/* Waits for completions (up to wait_ms), reaps them and moves every
 * readable byte into c->in. */
static void client_pump(Client *c, int wait_ms) {
    char err[256];
    struct pollfd pfd = {.fd = rdma_channel_fd(&c->ch), .events = POLLIN};
    if (wait_ms > 0) (void)poll(&pfd, 1, wait_ms);
    RdmaPollResult res;
    if (rdma_channel_poll(&c->ch, &res, err, sizeof err) != 0) die("%s", err);
    char chunk[65536];
    ssize_t n;
    while ((n = rdma_channel_read(&c->ch, chunk, sizeof chunk, err, sizeof err)) > 0)
        buf_append(&c->in, chunk, (size_t)n);
    if (n < 0) die("%s", err);
}

static void client_send(Client *c, const char *p, size_t len) {
    char err[256];
    long long deadline = now_ms() + c->timeout_ms;
    while (len > 0) {
        struct iovec iov = {.iov_base = (void *)p, .iov_len = len};
        ssize_t n = rdma_channel_writev(&c->ch, &iov, 1, err, sizeof err);
        if (n < 0) die("%s", err);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            client_pump(c, 0); /* keep the server's replies flowing meanwhile */
            continue;
        }
        if (now_ms() > deadline) die("timed out writing (the server's buffer stayed full)");
        client_pump(c, 10);
    }
}

/* ---- RESP reply framing ---- */

/* Length of the complete reply at p (n bytes), or 0 if incomplete. */
static size_t reply_len(const char *p, size_t n) {
    const char *crlf = memchr(p, '\n', n);
    if (n < 1 || crlf == NULL) return 0;
    size_t head = (size_t)(crlf - p) + 1;
    long long count = atoll(p + 1);
    switch (p[0]) {
    case '$':
    case '!':
    case '=':
        if (count < 0) return head;
        return n >= head + (size_t)count + 2 ? head + (size_t)count + 2 : 0;
    case '*':
    case '~':
    case '>':
    case '%': {
        if (count < 0) return head;
        size_t used = head;
        long long items = p[0] == '%' ? count * 2 : count;
        for (long long i = 0; i < items; i++) {
            size_t one = reply_len(p + used, n - used);
            if (one == 0) return 0;
            used += one;
        }
        return used;
    }
    default:
        return head;
    }
}

/* Reads until count replies are complete; returns their total length. */
static size_t client_read_replies(Client *c, long long count) {
    long long deadline = now_ms() + c->timeout_ms;
    size_t used = 0;
    for (long long done = 0; done < count;) {
        size_t one = reply_len(c->in.data + used, c->in.len - used);
        if (one > 0) {
            used += one;
            done++;
            continue;
        }
        if (now_ms() > deadline) die("timed out reading replies");
        client_pump(c, 10);
    }
    return used;
}

static void append_command(Buf *out, int argc, char **argv) {
    char head[32];
    int n = snprintf(head, sizeof head, "*%d\r\n", argc);
    buf_append(out, head, (size_t)n);
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]);
        n = snprintf(head, sizeof head, "$%zu\r\n", len);
        buf_append(out, head, (size_t)n);
        buf_append(out, argv[i], len);
        buf_append(out, "\r\n", 2);
    }
}

/* ---- modes ---- */

static void run_bench(Client *c, const char *op, long long requests, size_t size, int pipeline) {
    char *value = malloc(size + 1);
    memset(value, 'x', size);
    value[size] = '\0';
    char *set_argv[] = {"SET", "key:rdma-bench", value};
    char *get_argv[] = {"GET", "key:rdma-bench"};
    Buf one = {0};
    if (strcmp(op, "get") == 0) {
        append_command(&one, 3, set_argv); /* something to read back */
        client_send(c, one.data, one.len);
        buf_consume(&c->in, client_read_replies(c, 1));
        one.len = 0;
        append_command(&one, 2, get_argv);
    } else {
        append_command(&one, 3, set_argv);
    }
    Buf batch = {0};
    for (int i = 0; i < pipeline; i++) buf_append(&batch, one.data, one.len);
    long long start = now_ms(), done = 0;
    while (done < requests) {
        int n = requests - done < pipeline ? (int)(requests - done) : pipeline;
        client_send(c, batch.data, one.len * (size_t)n);
        buf_consume(&c->in, client_read_replies(c, n));
        done += n;
    }
    long long ms = now_ms() - start;
    printf("%s: %lld requests, %zu-byte values, pipeline %d: %.0f requests per second\n", op,
           requests, size, pipeline, ms > 0 ? requests * 1000.0 / ms : 0.0);
    free(value);
    free(one.data);
    free(batch.data);
}

static void run_stdin(Client *c, long long replies, int close_early) {
    Buf out = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) buf_append(&out, chunk, n);
    client_send(c, out.data ? out.data : "", out.len);
    free(out.data);
    if (close_early) _exit(0); /* no disconnect: the kernel tears the QP down */
    size_t len = client_read_replies(c, replies);
    fwrite(c->in.data, 1, len, stdout);
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *bench = NULL;
    int port = 6379, pipeline = 1, close_early = 0;
    long long stdin_replies = -1, requests = 100000;
    size_t size = 512;
    uint32_t rx_size = RDMA_RX_SIZE_DEFAULT;
    Client c = {.timeout_ms = 10000};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "-h") == 0 && more) host = argv[++i];
        else if (strcmp(a, "-p") == 0 && more) port = atoi(argv[++i]);
        else if (strcmp(a, "--stdin") == 0 && more) stdin_replies = atoll(argv[++i]);
        else if (strcmp(a, "--bench") == 0 && more) bench = argv[++i];
        else if (strcmp(a, "--requests") == 0 && more) requests = atoll(argv[++i]);
        else if (strcmp(a, "--size") == 0 && more) size = (size_t)atoll(argv[++i]);
        else if (strcmp(a, "--pipeline") == 0 && more) pipeline = atoi(argv[++i]);
        else if (strcmp(a, "--rx-size") == 0 && more) rx_size = (uint32_t)atoll(argv[++i]);
        else if (strcmp(a, "--timeout-ms") == 0 && more) c.timeout_ms = atoll(argv[++i]);
        else if (strcmp(a, "--close-early") == 0) close_early = 1;
        else die("unknown option %s (see the head of tools/keel-rdma-cli.c)", a);
    }
    if (pipeline < 1) pipeline = 1;
    if (rx_size < RDMA_RX_SIZE_MIN || rx_size > RDMA_RX_SIZE_MAX)
        die("--rx-size must be between %d and %d", RDMA_RX_SIZE_MIN, RDMA_RX_SIZE_MAX);
    if (bench == NULL && stdin_replies < 0 && i >= argc) die("no command given");
    client_connect(&c, host, port, rx_size);
    if (bench) {
        if (strcmp(bench, "get") != 0 && strcmp(bench, "set") != 0) die("--bench get|set");
        run_bench(&c, bench, requests, size, pipeline);
    } else if (stdin_replies >= 0) {
        run_stdin(&c, stdin_replies, close_early);
    } else {
        Buf out = {0};
        append_command(&out, argc - i, argv + i);
        client_send(&c, out.data, out.len);
        free(out.data);
        if (close_early) _exit(0); /* no disconnect: the kernel tears the QP down */
        size_t len = client_read_replies(&c, 1);
        fwrite(c.in.data, 1, len, stdout);
    }
    fflush(stdout);
    client_close(&c);
    return 0;
}
