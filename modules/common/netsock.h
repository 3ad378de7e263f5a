/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/netsock.h: TCP socket plumbing shared by the transports that sit on
 * a kernel TCP socket (keel-socket.so now, keel-tls.so later): bind/listen of
 * a listener's addresses, accept, non-blocking connect, socket options, and
 * poll() waits against a monotonic deadline.
 *
 * This library knows sockets, not connections: it never allocates a KeelConn,
 * never touches the event loop except to unwatch a listener's fds on close,
 * and never decides a connection's state. Functions return -1 with errno set
 * so the caller can classify the failure; those that build a user-visible
 * message take err/errlen.
 *
 * Threads: the listener functions are main thread only (they log through the
 * core and keep a once-per-process flag); the rest are plain syscalls on one
 * fd and safe on any thread that owns that fd.
 */
#ifndef KEEL_NETSOCK_H
#define KEEL_NETSOCK_H

#include <stddef.h>
#include <sys/socket.h>

#include "keel/module.h"

/* Everything below is private to the module that links this library. Hidden
 * visibility keeps it out of the .so's dynamic symbol table, so two modules
 * that both link netsock.c never bind to each other's copy. */
#pragma GCC visibility push(hidden)

/* Longest textual address netsock writes (an IPv6 address), with the NUL. */
#define NETSOCK_IP_MAX 46

/* Opens every bind address of a TCP listener (l->addrs, l->port, l->backlog)
 * and fills l->fds / l->fd_count. An address may be "*" (all IPv4), "::*" (all
 * IPv6), a numeric address or a host name; a leading '-' means "skip it if it
 * is not available here". Address-family errors skip the address whatever its
 * prefix; both kinds of skip are logged at warning level. Returns 0, or -1
 * with err set to one line such as
 *   Could not create server TCP listening socket *:6379: bind: Address already in use
 * in which case every fd opened so far is closed and l->fd_count is 0.
 * Thread: main. */
int netsock_tcp_listen(const KeelCore *core, KeelListener *l, char *err, size_t errlen);

/* Stops watching and closes l's fds; l->fd_count becomes 0. Never fails: a
 * close error cannot be acted on and the fd is released anyway. Thread: main. */
void netsock_close_fds(const KeelCore *core, KeelListener *l);

/* Logs once per process, at warning level, when the kernel's accept queue
 * limit (/proc/sys/net/core/somaxconn) is below backlog. Thread: main. */
void netsock_check_somaxconn(const KeelCore *core, int backlog);

/* Accepts one connection from a non-blocking listening fd. The new fd is
 * non-blocking and close-on-exec. When ip is not NULL it receives the peer's
 * textual address ("" for a Unix peer) and *port its port (0 for Unix).
 * Returns the fd, or -1 with errno (EAGAIN when nothing is waiting).
 * Thread: any. */
int netsock_accept(int listen_fd, char *ip, size_t iplen, int *port);

/* Starts a non-blocking TCP connect to addr:port (a name or a numeric
 * address), bound first to src_addr when it is not NULL. Returns a
 * non-blocking close-on-exec fd whose connect is done or in progress (wait
 * for writable, then netsock_connect_result), or -1 with errno. A resolver
 * failure is reported as EHOSTUNREACH (EAFNOSUPPORT for a family error), since
 * callers keep only an errno. Thread: any. */
int netsock_tcp_connect(const char *addr, int port, const char *src_addr);

/* Outcome of a finished non-blocking connect: 0, or the errno it failed with
 * (SO_ERROR). Thread: any. */
int netsock_connect_result(int fd);

/* O_NONBLOCK on (on=1) or off. Returns 0 or -1 with errno. Thread: any. */
int netsock_set_nonblock(int fd, int on);
/* TCP_NODELAY on (on=1) or off. Returns 0 or -1 with errno. Thread: any. */
int netsock_set_nodelay(int fd, int on);
/* SO_KEEPALIVE with the first probe after idle_s seconds of silence, then
 * probes every idle_s/3 seconds (at least 10), 3 probes. Returns 0 or -1 with
 * errno. Thread: any. */
int netsock_set_keepalive(int fd, int idle_s);

/* Writes the address of a socket address as text (ip) and port. Unix
 * addresses give the socket path and port 0. Returns 0, or -1 when the family
 * is unknown or ip is too small. Thread: any. */
int netsock_addr_to_text(const struct sockaddr_storage *ss, socklen_t sslen, char *ip,
                         size_t iplen, int *port);
/* 1 if the address is loopback: 127.0.0.0/8, ::1 or ::ffff:127.x.y.z. */
int netsock_addr_is_loopback(const struct sockaddr_storage *ss);

/* A monotonic deadline timeout_ms from now, in ms; -1 (no deadline) when
 * timeout_ms is negative. Thread: any. */
long long netsock_deadline_ms(long long timeout_ms);
/* Waits until fd has one of events (POLLIN / POLLOUT) or the deadline passes;
 * an error or hang-up on fd counts as ready (the next IO call reports it).
 * Returns 1 ready, 0 deadline passed (errno ETIMEDOUT), -1 with errno.
 * Thread: any. */
int netsock_wait(int fd, short events, long long deadline_ms);

#pragma GCC visibility pop

#endif
