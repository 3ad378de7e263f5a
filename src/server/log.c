/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/log.c: writes log lines to stdout or the configured logfile.
 *
 * The file is opened once and kept open (O_APPEND), unlike Valkey which
 * reopens per line; log rotation tools should use copytruncate or send
 * CONFIG SET logfile to make keel reopen it.
 *
 * Threads: any; one write(2) per line keeps lines whole. logfile changes run
 * on the main thread and swap the fd atomically.
 */
#include "server/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "keel/config.h"
#include "server/config.h"

static char *logfile_path;          /* config "logfile"; NULL = stdout */
static int loglevel = LL_NOTICE;    /* config "loglevel" */
static _Atomic int log_fd = STDOUT_FILENO;
static char log_role = 'M';

static const char *const loglevel_names[] = {"debug", "verbose", "notice", "warning", "nothing",
                                             NULL};

static int log_apply_file(const char *name, char *err, size_t errlen) {
    (void)name;
    return log_reopen(err, errlen);
}

void log_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "logfile", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_EMPTY_OK, .default_value = "", .storage = &logfile_path,
         .apply = log_apply_file},
        {.size = sizeof(KeelConfigOption), .name = "loglevel", .type = KEEL_CFG_ENUM,
         .default_value = "notice", .enum_names = loglevel_names, .storage = &loglevel},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}

int log_reopen(char *err, size_t errlen) {
    int fd = STDOUT_FILENO;
    if (logfile_path && logfile_path[0]) {
        fd = open(logfile_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd == -1) {
            snprintf(err, errlen, "Can't open the log file: %s", strerror(errno));
            return -1;
        }
    }
    /* acq_rel: writers on other threads see the new fd fully opened; the old
     * one is closed only by us, after the swap. */
    int old = atomic_exchange_explicit(&log_fd, fd, memory_order_acq_rel);
    if (old != STDOUT_FILENO && old != fd) close(old);
    return 0;
}

int log_enabled(int level) {
    return (level & 0xff) >= loglevel && loglevel != LL_NOTHING;
}

void log_set_role(char role) {
    log_role = role;
}

void log_vmsg(int level, const char *fmt, va_list ap) {
    if (!log_enabled(level)) return;
    char line[8192];
    size_t off = 0;
    if (!(level & LL_RAW)) {
        static const char marks[] = ".-*#";
        struct timeval tv;
        struct tm tm;
        gettimeofday(&tv, NULL);
        localtime_r(&tv.tv_sec, &tm);
        off = (size_t)snprintf(line, sizeof(line), "%d:%c ", (int)getpid(), log_role);
        off += strftime(line + off, sizeof(line) - off, "%d %b %Y %H:%M:%S.", &tm);
        off += (size_t)snprintf(line + off, sizeof(line) - off, "%03d %c ",
                                (int)(tv.tv_usec / 1000), marks[level & 3]);
    }
    int n = vsnprintf(line + off, sizeof(line) - off - 1, fmt, ap);
    if (n < 0) return;
    off += (size_t)n < sizeof(line) - off - 1 ? (size_t)n : sizeof(line) - off - 2;
    line[off++] = '\n';
    int fd = atomic_load_explicit(&log_fd, memory_order_acquire); /* pairs with log_reopen */
    ssize_t written = write(fd, line, off);
    (void)written; /* nowhere to report a failed log write */
}

void log_msg(int level, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}
