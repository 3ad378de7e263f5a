/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/netsock.c: TCP socket plumbing for the socket and TLS transports
 * (see netsock.h for the contract of each function).
 *
 * Only syscalls and address handling live here: no KeelConn, no connection
 * state, no event-loop registration (closing a listener unwatches its fds,
 * nothing more). Error texts for listeners follow Valkey's wording because
 * operators and tests grep for them.
 *
 * Threads: listener functions on the main thread; the rest on whichever
 * thread owns the fd.
 */
#include "netsock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ---- socket options ---------------------------------------------------- */

int netsock_set_nonblock(int fd, int on) {
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1) return -1;
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags);
}

int netsock_set_nodelay(int fd, int on) {
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

int netsock_set_keepalive(int fd, int idle_s) {
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) == -1) return -1;
    /* Three probes idle_s/3 apart after idle_s of silence declare the peer
     * dead about 2 * idle_s after it went away. CONNECTIONS.md §3 puts a 10 s
     * floor under the probe interval so a tiny tcp-keepalive does not turn
     * into a probe storm. */
    int interval = idle_s / 3;
    if (interval < 10) interval = 10;
    int probes = 3;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s) == -1) return -1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval) == -1) return -1;
    return setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
}

/* ---- addresses --------------------------------------------------------- */

int netsock_addr_to_text(const struct sockaddr_storage *ss, socklen_t sslen, char *ip,
                         size_t iplen, int *port) {
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        if (ip && inet_ntop(AF_INET, &sin->sin_addr, ip, (socklen_t)iplen) == NULL) return -1;
        if (port) *port = ntohs(sin->sin_port);
        return 0;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        if (ip && inet_ntop(AF_INET6, &sin6->sin6_addr, ip, (socklen_t)iplen) == NULL) return -1;
        if (port) *port = ntohs(sin6->sin6_port);
        return 0;
    }
    if (ss->ss_family == AF_UNIX) {
        const struct sockaddr_un *sun = (const struct sockaddr_un *)ss;
        /* An unnamed peer has an address length of just the family field. */
        size_t path_len = 0;
        if (sslen > offsetof(struct sockaddr_un, sun_path))
            path_len = strnlen(sun->sun_path, sslen - offsetof(struct sockaddr_un, sun_path));
        if (ip) {
            if (path_len >= iplen) return -1;
            memcpy(ip, sun->sun_path, path_len);
            ip[path_len] = '\0';
        }
        if (port) *port = 0;
        return 0;
    }
    return -1;
}

int netsock_addr_is_loopback(const struct sockaddr_storage *ss) {
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss->ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a)) return 1;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return 0;
}

/* Maps a getaddrinfo failure onto an errno, since callers classify by errno
 * (a family error must stay skippable for '-' addresses and dual-stack
 * defaults). */
static int gai_to_errno(int rv) {
    switch (rv) {
    case EAI_SYSTEM: return errno;
    case EAI_MEMORY: return ENOMEM;
    case EAI_FAMILY:
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
        return EAFNOSUPPORT;
    default: return EHOSTUNREACH;
    }
}

/* ---- listening --------------------------------------------------------- */

/* Binds and listens one address (already stripped of a '-' prefix). Returns
 * the fd, or -1 with errno set and err holding "<step>: <reason>". */
static int listen_one(const char *addr, int port, int backlog, char *err, size_t errlen) {
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    const char *node = addr;
    /* As Valkey: an address with a ':' is IPv6, anything else IPv4, so a
     * host name binds its IPv4 address. */
    if (strcmp(addr, "*") == 0) {
        hints.ai_family = AF_INET;
        node = NULL;
    } else if (strcmp(addr, "::*") == 0) {
        hints.ai_family = AF_INET6;
        node = NULL;
    } else {
        hints.ai_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    }
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo *res;
    int rv = getaddrinfo(node, service, &hints, &res);
    if (rv != 0) {
        int saved = gai_to_errno(rv);
        snprintf(err, errlen, "getaddrinfo: %s", gai_strerror(rv));
        errno = saved;
        return -1;
    }
    int fd = -1, saved;
    const char *step = "socket";
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd == -1) continue; /* try the next candidate; errno says why if none works */
        int on = 1;
        step = "setsockopt SO_REUSEADDR";
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1) goto err_close;
        /* v6-only, so "*" and "::*" can hold the same port side by side. */
        step = "setsockopt IPV6_V6ONLY";
        if (ai->ai_family == AF_INET6 &&
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) == -1)
            goto err_close;
        step = "bind";
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) goto err_close;
        step = "listen";
        if (listen(fd, backlog) == -1) goto err_close;
        freeaddrinfo(res);
        return fd;
    }
    /* Only socket() failures reach here: nothing else continues the loop. */
    saved = errno;
    snprintf(err, errlen, "%s: %s", step, strerror(saved));
    freeaddrinfo(res);
    errno = saved;
    return -1;

err_close:
    saved = errno;
    snprintf(err, errlen, "%s: %s", step, strerror(saved));
    close(fd);
    freeaddrinfo(res);
    errno = saved;
    return -1;
}

/* Errors meaning "this machine has no such address family": skipped for any
 * address, so the default "* -::*" works on an IPv4-only host. */
static int is_family_error(int err) {
    return err == EAFNOSUPPORT || err == EPFNOSUPPORT || err == EPROTONOSUPPORT ||
           err == ESOCKTNOSUPPORT;
}

int netsock_tcp_listen(const KeelCore *core, KeelListener *l, char *err, size_t errlen) {
    l->fd_count = 0;
    if (l->addr_count <= 0 || l->addr_count > KEEL_LISTENER_MAX_ADDRS) {
        snprintf(err, errlen,
                 "Could not create server TCP listening socket on port %d: %d bind addresses "
                 "(1 to %d allowed)",
                 l->port, l->addr_count, KEEL_LISTENER_MAX_ADDRS);
        return -1;
    }
    netsock_check_somaxconn(core, l->backlog);
    for (int i = 0; i < l->addr_count; i++) {
        const char *addr = l->addrs[i];
        int optional = addr[0] == '-';
        if (optional) addr++;
        char reason[256];
        int fd = listen_one(addr, l->port, l->backlog, reason, sizeof reason);
        if (fd != -1) {
            l->fds[l->fd_count++] = fd;
            continue;
        }
        int saved = errno;
        if ((optional && saved == EADDRNOTAVAIL) || is_family_error(saved)) {
            core->log(KEEL_LOG_WARNING,
                      "Warning: Could not create server TCP listening socket %s:%d: %s "
                      "(address skipped)",
                      addr, l->port, reason);
            continue;
        }
        snprintf(err, errlen, "Could not create server TCP listening socket %s:%d: %s", addr,
                 l->port, reason);
        goto err_close;
    }
    if (l->fd_count == 0) {
        snprintf(err, errlen,
                 "Could not create server TCP listening socket on port %d: no bind address is "
                 "available",
                 l->port);
        return -1;
    }
    return 0;

err_close:
    netsock_close_fds(core, l);
    return -1;
}

void netsock_close_fds(const KeelCore *core, KeelListener *l) {
    for (int i = 0; i < l->fd_count; i++) {
        /* The core watches listener fds; drop the watch before the number can
         * be reused by another socket. A no-op when the fd was never watched. */
        core->ev_remove(l->fds[i], KEEL_EV_READABLE | KEEL_EV_WRITABLE);
        close(l->fds[i]); /* Linux releases the fd even when close reports an error */
        l->fds[i] = -1;
    }
    l->fd_count = 0;
}

void netsock_check_somaxconn(const KeelCore *core, int backlog) {
    static int warned; /* main thread only */
    if (warned) return;
    FILE *fp = fopen("/proc/sys/net/core/somaxconn", "r");
    if (fp == NULL) return; /* not Linux, or /proc not mounted: nothing to compare */
    int somaxconn;
    if (fscanf(fp, "%d", &somaxconn) == 1 && somaxconn < backlog) {
        core->log(KEEL_LOG_WARNING,
                  "WARNING: The TCP backlog setting of %d cannot be enforced because "
                  "/proc/sys/net/core/somaxconn is set to the lower value of %d.",
                  backlog, somaxconn);
        warned = 1;
    }
    fclose(fp);
}

/* ---- accepting and connecting ------------------------------------------ */

int netsock_accept(int listen_fd, char *ip, size_t iplen, int *port) {
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    int fd = accept4(listen_fd, (struct sockaddr *)&ss, &sslen, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd == -1) return -1;
    if (ip != NULL && netsock_addr_to_text(&ss, sslen, ip, iplen, port) == -1) {
        ip[0] = '\0'; /* unknown family: the connection is still good */
        if (port) *port = 0;
    }
    return fd;
}

/* Binds fd to the first usable address of src_addr. Returns 0 or -1 (errno). */
static int bind_source(int fd, int family, const char *src_addr) {
    struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE};
    struct addrinfo *res;
    int rv = getaddrinfo(src_addr, NULL, &hints, &res);
    if (rv != 0) {
        errno = gai_to_errno(rv);
        return -1;
    }
    int ret = -1;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            ret = 0;
            break;
        }
    }
    int saved = errno;
    freeaddrinfo(res);
    errno = saved;
    return ret;
}

int netsock_tcp_connect(const char *addr, int port, const char *src_addr) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV};
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo *res;
    int rv = getaddrinfo(addr, service, &hints, &res);
    if (rv != 0) {
        errno = gai_to_errno(rv);
        return -1;
    }
    int saved = EHOSTUNREACH;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (fd == -1) {
            saved = errno;
            continue;
        }
        if (src_addr != NULL && bind_source(fd, ai->ai_family, src_addr) == -1) goto next;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 || errno == EINPROGRESS) {
            freeaddrinfo(res);
            return fd;
        }
    next:
        saved = errno;
        close(fd);
    }
    freeaddrinfo(res);
    errno = saved;
    return -1;
}

int netsock_connect_result(int fd) {
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == -1) return errno;
    return so_error;
}

/* ---- waiting ----------------------------------------------------------- */

static long long monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long netsock_deadline_ms(long long timeout_ms) {
    if (timeout_ms < 0) return -1;
    return monotonic_ms() + timeout_ms;
}

int netsock_wait(int fd, short events, long long deadline_ms) {
    for (;;) {
        int wait_ms = -1;
        if (deadline_ms >= 0) {
            long long left = deadline_ms - monotonic_ms();
            /* A deadline already behind us still gets one non-blocking look,
             * so timeout 0 means "only if ready now". */
            if (left < 0) left = 0;
            wait_ms = left > INT_MAX ? INT_MAX : (int)left;
        }
        struct pollfd pfd = {.fd = fd, .events = events};
        int n = poll(&pfd, 1, wait_ms);
        if (n == -1 && errno == EINTR) continue;
        if (n == -1) return -1;
        if (n == 0) {
            errno = ETIMEDOUT;
            return 0;
        }
        if (pfd.revents & POLLNVAL) {
            errno = EBADF;
            return -1;
        }
        return 1; /* ready, or POLLERR/POLLHUP, which the next IO call reports */
    }
}
