/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socket/unix.c: the "unix" connection type: stream sockets on a filesystem
 * path (unixsocket, unixsocketperm, unixsocketgroup).
 *
 * Only what differs from TCP lives here: creating the socket file (removing a
 * stale one first, then mode and group), removing it on close, connecting to
 * a path, and reporting the path as the address. A Unix peer is always
 * local and gets no TCP options. The shared fd logic is conn_socket.c and
 * conn_sync.c; the accept loop is accept.c.
 *
 * Threads: addr on any thread; everything else on the main thread.
 */
#include "internal.h"

#include <assert.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/netsock.h"

/* Writes "Failed opening Unix socket: <step>: <strerror(errno)>". */
static void unix_listen_error(char *err, size_t errlen, const char *step) {
    snprintf(err, errlen, "Failed opening Unix socket: %s: %s", step, strerror(errno));
}

/* Removes a socket file left by an earlier run, so bind does not fail with
 * "Address already in use". Anything that is not a socket is left alone (a
 * typo in unixsocket must not delete a regular file); bind then reports it. */
static void unix_stale_remove(const char *path) {
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) (void)unlink(path);
}

/* Gives path to group (a name, or a numeric gid). Returns 0, or -1 with the
 * whole error line in err. */
static int unix_group_set(const char *path, const char *group, char *err, size_t errlen) {
    struct group entry, *found = NULL;
    char buf[16384]; /* getgrnam_r's scratch space; large groups list many members */
    int rv = getgrnam_r(group, &entry, buf, sizeof buf, &found);
    gid_t gid;
    if (found != NULL) {
        gid = entry.gr_gid;
    } else {
        /* No group of that name: accept a numeric gid, as chgrp does. */
        char *end;
        unsigned long number = strtoul(group, &end, 10);
        if (rv != 0 || group[0] < '0' || group[0] > '9' || *end != '\0') {
            snprintf(err, errlen, "Failed opening Unix socket: unixsocketgroup %s: %s", group,
                     rv != 0 ? strerror(rv) : "no such group");
            return -1;
        }
        gid = (gid_t)number;
    }
    if (chown(path, (uid_t)-1, gid) == -1) {
        unix_listen_error(err, errlen, "chown");
        return -1;
    }
    return 0;
}

static int unix_listen(KeelListener *l, char *err, size_t errlen) {
    assert(sock_core->is_main_thread());
    l->fd_count = 0;
    const char *path = l->addr_count > 0 ? l->addrs[0] : NULL;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (path == NULL || path[0] == '\0') {
        snprintf(err, errlen, "Failed opening Unix socket: no path configured");
        return -1;
    }
    size_t path_len = strlen(path);
    if (path_len >= sizeof sa.sun_path) {
        snprintf(err, errlen, "Failed opening Unix socket: path too long (%zu bytes, at most %zu): %s",
                 path_len, sizeof sa.sun_path - 1, path);
        return -1;
    }
    memcpy(sa.sun_path, path, path_len + 1);
    unix_stale_remove(path);

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        unix_listen_error(err, errlen, "socket");
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
        unix_listen_error(err, errlen, "bind");
        goto err_close;
    }
    /* Between bind and chmod the file has the umask's mode, as in Valkey;
     * changing the umask instead would race with other threads' files. */
    if (l->unix_perm != 0 && chmod(path, (mode_t)l->unix_perm) == -1) {
        unix_listen_error(err, errlen, "chmod");
        goto err_unlink;
    }
    if (l->unix_group != NULL && l->unix_group[0] != '\0' &&
        unix_group_set(path, l->unix_group, err, errlen) == -1)
        goto err_unlink;
    /* tcp-backlog serves both kinds; a listener built without one gets the
     * tcp-backlog default rather than a queue of 1. */
    if (listen(fd, l->backlog > 0 ? l->backlog : 511) == -1) {
        unix_listen_error(err, errlen, "listen");
        goto err_unlink;
    }
    l->fds[0] = fd;
    l->fd_count = 1;
    return 0;

err_unlink:
    (void)unlink(path); /* we created it; best effort */
err_close:
    close(fd);
    return -1;
}

static void unix_close_listener(KeelListener *l) {
    assert(sock_core->is_main_thread());
    int was_open = l->fd_count > 0;
    netsock_close_fds(sock_core, l);
    /* Only a path we were serving is ours to remove. */
    if (was_open && l->addr_count > 0) (void)unlink(l->addrs[0]);
}

static void unix_accept_ready(KeelListener *l, int fd) {
    sock_accept_ready(&sock_unix_type, l, fd);
}

/* Both ends of a Unix connection are named by the one path that was bound:
 * an accepted socket reports it as its own name (its peer is unnamed), an
 * outgoing one as its peer's. So remote is ignored and whichever name is set
 * is returned, with port 0. */
static int unix_addr(KeelConn *conn, char *ip, size_t iplen, int *port, int remote) {
    (void)remote;
    if (conn->fd == -1) return -1;
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    if (getsockname(conn->fd, (struct sockaddr *)&ss, &sslen) == -1) return -1;
    if (sslen <= offsetof(struct sockaddr_un, sun_path)) {
        sslen = sizeof ss;
        if (getpeername(conn->fd, (struct sockaddr *)&ss, &sslen) == -1) return -1;
    }
    return netsock_addr_to_text(&ss, sslen, ip, iplen, port);
}

static int unix_is_local(KeelConn *conn) {
    (void)conn;
    return 1;
}

static KeelConn *unix_conn_create(void) {
    return sock_conn_create(&sock_unix_type, -1, KEEL_CONN_NONE);
}

static KeelConn *unix_conn_create_accepted(int fd, void *listener_priv) {
    (void)listener_priv; /* unix listeners keep no private state */
    return sock_conn_create(&sock_unix_type, fd, KEEL_CONN_ACCEPTING);
}

/* Starts a non-blocking connect to the socket at path. Returns the fd, or -1
 * with state ERROR and last_errno. A full accept queue fails with EAGAIN
 * (Unix sockets do not queue the attempt as TCP does). */
static int unix_connect_fd(KeelConn *conn, const char *path) {
    assert(sock_core->is_main_thread());
    assert(conn->fd == -1); /* a connection connects once */
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t path_len = strlen(path);
    if (path_len >= sizeof sa.sun_path) {
        sock_conn_fail(conn, ENAMETOOLONG);
        return -1;
    }
    memcpy(sa.sun_path, path, path_len + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        sock_conn_fail(conn, errno);
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1 && errno != EINPROGRESS) {
        sock_conn_fail(conn, errno);
        close(fd);
        return -1;
    }
    return fd;
}

/* addr is the socket path; port and src_addr mean nothing for Unix sockets. */
static int unix_connect(KeelConn *conn, const char *addr, int port, const char *src_addr,
                        KeelConnHandler cb) {
    (void)port;
    (void)src_addr;
    int fd = unix_connect_fd(conn, addr);
    if (fd == -1) return -1;
    return sock_connect_start(conn, fd, cb);
}

static int unix_blocking_connect(KeelConn *conn, const char *addr, int port,
                                 long long timeout_ms) {
    (void)port;
    int fd = unix_connect_fd(conn, addr);
    if (fd == -1) return -1;
    return sock_connect_wait(conn, fd, timeout_ms);
}

const KeelConnType sock_unix_type = {
    .size = sizeof(KeelConnType),
    .name = "unix",
    .caps = KEEL_CT_IOTHREAD_READ | KEEL_CT_IOTHREAD_WRITE,

    .init = NULL,
    .cleanup = NULL,
    .configure = NULL,

    .listen = unix_listen,
    .close_listener = unix_close_listener,
    .accept_ready = unix_accept_ready,
    .addr = unix_addr,
    .is_local = unix_is_local,

    .conn_create = unix_conn_create,
    .conn_create_accepted = unix_conn_create_accepted,
    .accept = sock_accept,
    .connect = unix_connect,
    .blocking_connect = unix_blocking_connect,
    .shutdown = sock_shutdown,
    .close = sock_close,

    .read = sock_read,
    .write = sock_write,
    .writev = sock_writev,
    .set_read_handler = sock_set_read_handler,
    .set_write_handler = sock_set_write_handler,
    .last_error = sock_last_error,

    .sync_write = sock_sync_write,
    .sync_read = sock_sync_read,
    .sync_readline = sock_sync_readline,

    .has_pending_data = NULL,
    .process_pending_data = NULL,
    .postpone_update_state = sock_postpone_update_state,
    .update_state = sock_update_state,
    .peer_cert = NULL,
};
