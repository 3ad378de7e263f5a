/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof.c: the append-only file's write side: commands fed by the
 * propagation layer are encoded as RESP into one buffer; before the loop
 * sleeps (before replies are sent) the buffer is written to the current
 * incr file and, per appendfsync, fsynced at once (always), by the
 * background thread at most once a second (everysec), or left to the OS
 * (no). Also: write errors (logged, data kept and retried, -MISCONF for
 * writes meanwhile, fatal under always), turning the AOF on and off,
 * shutdown, and INFO's aof_* fields.
 *
 * Hot path: aof_feed_command is one sds append of the RESP encoding (plus
 * a SELECT when the database changes); nothing runs per command while the
 * AOF is off (aof_wants_commands is a load of aof_feeding).
 *
 * Threads: main only; fsyncs run on persist/aof_fsync.c's thread.
 */
#include "persist/aof.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "persist/aof_internal.h"
#include "persist/persist.h"
#include "server/ev.h"
#include "server/log.h"

#define AOF_WRITE_LOG_ERROR_RATE_MS 30000 /* one "Error writing" line per 30 s */
#define AOF_MAX_POSTPONE_MS 2000          /* everysec: longest wait on a busy fsync */
#define AOF_BUF_KEEP 4000                 /* a buffer this big is reused, else freed */

bool aof_feeding;

AofState aof_state = {
    .status = AOF_OFF, .fd = -1, .selected_db = -1, .last_write_ok = true,
    .last_rewrite_ok = true, .last_rewrite_seconds = -1, .child_pid = -1};

static long long last_timestamp; /* the last #TS: second written */

/* ---- encoding ---- */

static sds cat_count(sds out, char prefix, size_t n) {
    char tmp[24];
    int i = (int)sizeof(tmp);
    tmp[--i] = '\n';
    tmp[--i] = '\r';
    do {
        tmp[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    tmp[--i] = prefix;
    return sds_cat_len(out, tmp + i, sizeof(tmp) - (size_t)i);
}

static sds cat_bulk(sds out, const char *p, size_t len) {
    out = cat_count(out, '$', len);
    out = sds_cat_len(out, p, len);
    return sds_cat_len(out, "\r\n", 2);
}

sds aof_cat_command(sds out, int argc, const sds *argv) {
    out = cat_count(out, '*', (size_t)argc);
    for (int i = 0; i < argc; i++) out = cat_bulk(out, argv[i], sds_len(argv[i]));
    return out;
}

void aof_feed_command(int dbid, Obj *const *argv, int argc) {
    AofState *st = &aof_state;
    sds buf = st->buf ? st->buf : sds_empty();
    if (cfg_aof_timestamp_enabled) {
        long long now = (long long)time(NULL);
        if (now > last_timestamp) {
            buf = sds_cat_printf(buf, "#TS:%lld\r\n", now);
            last_timestamp = now;
        }
    }
    if (dbid != st->selected_db) {
        char db[24];
        int len = snprintf(db, sizeof(db), "%d", dbid);
        buf = sds_cat_len(buf, "*2\r\n$6\r\nSELECT\r\n", 16);
        buf = cat_bulk(buf, db, (size_t)len);
        st->selected_db = dbid;
    }
    buf = cat_count(buf, '*', (size_t)argc);
    for (int i = 0; i < argc; i++) {
        char num[32];
        size_t len;
        const char *p = obj_string_bytes(argv[i], num, &len);
        buf = cat_bulk(buf, p, len);
    }
    st->buf = buf;
}

/* ---- writing ---- */

int aof_open_file(const char *name, bool truncate, char *err, size_t errlen) {
    sds path = aof_file_path(name);
    int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0);
    int fd = open(path, flags, 0644);
    if (fd < 0)
        snprintf(err, errlen, "Can't open the append-only file %s: %s", name, strerror(errno));
    sds_free(path);
    return fd;
}

void aof_use_fd(int fd) {
    struct stat info;
    long long size = fstat(fd, &info) == 0 ? (long long)info.st_size : 0;
    if (aof_state.fd != -1) aof_close_post(aof_state.fd);
    aof_state.fd = fd;
    aof_state.current_size = size;
    aof_state.fsync_requested_size = size;
    aof_state.selected_db = -1; /* every file starts with its own SELECT */
    last_timestamp = 0;
}

void aof_refresh_size(void) {
    struct stat info;
    if (aof_state.fd != -1 && fstat(aof_state.fd, &info) == 0) {
        aof_state.current_size = (long long)info.st_size;
        aof_state.fsync_requested_size = aof_state.current_size;
    }
}

bool aof_open_incr(const char *name, char *err, size_t errlen) {
    int fd = aof_open_file(name, false, err, errlen);
    if (fd < 0) return false;
    aof_use_fd(fd);
    return true;
}

static void write_failed(int err) {
    AofState *st = &aof_state;
    long long now = ev_wall_ms();
    if (now - st->last_write_error_log_ms > AOF_WRITE_LOG_ERROR_RATE_MS || st->last_write_ok) {
        log_msg(LL_WARNING, "Error writing to the AOF file: %s", strerror(err));
        st->last_write_error_log_ms = now;
    }
    st->last_write_ok = false;
    st->last_write_errno = err;
    if (cfg_appendfsync == AOF_FSYNC_ALWAYS) {
        /* The reply of a command already executed could otherwise leave
         * without its data on disk. */
        log_msg(LL_WARNING, "Can't recover from AOF write error when the AOF fsync policy is "
                            "'always'. Exiting...");
        exit(1);
    }
}

/* Writes the whole buffer. On failure keeps what did not reach the file
 * (a partial write is cut off again when possible). */
static bool write_buffer(void) {
    AofState *st = &aof_state;
    size_t total = sds_len(st->buf), done = 0;
    int err = 0;
    while (done < total) {
        ssize_t n = write(st->fd, st->buf + done, total - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            err = n < 0 ? errno : ENOSPC;
            break;
        }
        done += (size_t)n;
    }
    if (done < total) {
        if (done > 0) {
            if (ftruncate(st->fd, st->current_size) == 0) {
                done = 0;
            } else {
                st->current_size += (long long)done;
                sds_consume(st->buf, done);
            }
        }
        write_failed(err);
        return false;
    }
    st->current_size += (long long)total;
    if (sds_avail(st->buf) + total <= AOF_BUF_KEEP) {
        sds_clear(st->buf);
    } else {
        sds_free(st->buf);
        st->buf = NULL;
    }
    if (!st->last_write_ok) {
        log_msg(LL_WARNING, "AOF write error looks solved, Valkey can write again.");
        st->last_write_ok = true;
    }
    return true;
}

/* fsync per policy after a write (or when earlier writes are unsynced). */
static void fsync_per_policy(long long now) {
    AofState *st = &aof_state;
    if (st->fsync_requested_size == st->current_size) return;
    if (cfg_no_appendfsync_on_rewrite && st->child_pid > 0) return;
    if (cfg_appendfsync == AOF_FSYNC_ALWAYS) {
        if (fdatasync(st->fd) != 0 && errno != EINVAL) {
            log_msg(LL_WARNING, "Can't persist AOF for fsync error when the AOF fsync policy is "
                                "'always': %s. Exiting...", strerror(errno));
            exit(1);
        }
        st->fsync_requested_size = st->current_size;
        st->last_fsync_ms = now;
    } else if (cfg_appendfsync == AOF_FSYNC_EVERYSEC && now - st->last_fsync_ms >= 1000 &&
               aof_fsync_pending() == 0) {
        aof_fsync_post(st->fd);
        st->fsync_requested_size = st->current_size;
        st->last_fsync_ms = now;
    }
}

void aof_flush(bool force) {
    AofState *st = &aof_state;
    if (st->fd == -1) return;
    long long now = ev_wall_ms();
    if (st->buf == NULL || sds_len(st->buf) == 0) {
        fsync_per_policy(now);
        return;
    }
    if (cfg_appendfsync == AOF_FSYNC_EVERYSEC && !force && aof_fsync_pending() > 0) {
        /* A write now could block behind the running fsync: hold it back
         * a little, as Valkey does, but never past two seconds. */
        if (st->postponed_since_ms == 0) {
            st->postponed_since_ms = now;
            return;
        }
        if (now - st->postponed_since_ms < AOF_MAX_POSTPONE_MS) return;
        st->delayed_fsync++;
        log_msg(LL_NOTICE, "Asynchronous AOF fsync is taking too long (disk is busy?). Writing "
                           "the AOF buffer without waiting for fsync to complete, this may slow "
                           "down Valkey.");
    }
    st->postponed_since_ms = 0;
    if (!write_buffer()) return;
    fsync_per_policy(now);
}

void aof_flush_and_fsync(void) {
    AofState *st = &aof_state;
    if (st->fd == -1) return;
    aof_flush(true);
    aof_fsync_drain();
    if (fdatasync(st->fd) != 0 && errno != EINVAL)
        log_msg(LL_WARNING, "Fail to fsync the AOF file: %s.", strerror(errno));
    st->fsync_requested_size = st->current_size;
    st->last_fsync_ms = ev_wall_ms();
}

void aof_close(void) {
    AofState *st = &aof_state;
    if (st->fd == -1) return;
    aof_flush_and_fsync();
    aof_close_post(st->fd);
    st->fd = -1;
    if (st->buf) sds_clear(st->buf);
}

void aof_before_sleep(void) {
    if (aof_state.fd != -1) aof_flush(false);
}

/* ---- state ---- */

bool aof_enabled(void) {
    return aof_state.status != AOF_OFF;
}

bool aof_rewrite_in_progress(void) {
    return aof_state.child_pid > 0;
}

bool aof_rewrite_is_scheduled(void) {
    return aof_state.rewrite_scheduled;
}

bool aof_needs_write_barrier(void) {
    return aof_state.fd != -1 && cfg_appendfsync == AOF_FSYNC_ALWAYS;
}

const char *aof_write_refusal(void) {
    static char text[256];
    if (aof_state.status == AOF_OFF) return NULL;
    int err = aof_state.last_write_ok ? aof_fsync_last_error() : aof_state.last_write_errno;
    if (err == 0) return NULL;
    snprintf(text, sizeof(text), "-MISCONF Errors writing to the AOF file: %s", strerror(err));
    return text;
}

void aof_cron(void) {
    aof_rewrite_cron();
    /* A failed write is retried here too, and everysec fsyncs happen
     * even when no command arrives. */
    if (aof_state.fd != -1) aof_flush(false);
}

bool aof_start(char *err, size_t errlen) {
    aof_state.status = AOF_WAIT_REWRITE;
    if (aof_state.child_pid > 0) {
        log_msg(LL_NOTICE, "AOF was enabled but there is already an AOF rewriting in "
                           "background. Stopping background AOF and starting a rewrite now.");
        aof_rewrite_kill();
    }
    if (!aof_rewrite_in_progress() && persist_child_running()) {
        aof_state.rewrite_scheduled = true;
        log_msg(LL_NOTICE, "AOF was enabled but there is already another background operation. "
                           "An AOF background was scheduled to start when possible.");
        return true;
    }
    if (!aof_rewrite_start(err, errlen)) {
        aof_state.status = AOF_OFF;
        log_msg(LL_WARNING, "Valkey needs to enable the AOF but can't trigger a background AOF "
                            "rewrite operation. Check the above logs for more info about the "
                            "error.");
        return false;
    }
    return true;
}

void aof_stop(void) {
    aof_close();
    aof_state.status = AOF_OFF;
    aof_feeding = false;
    aof_state.rewrite_scheduled = false;
    if (aof_state.child_pid > 0) aof_rewrite_kill();
    if (aof_state.temp_incr_name) {
        sds path = aof_file_path(aof_state.temp_incr_name);
        unlink(path);
        sds_free(path);
        sds_free(aof_state.temp_incr_name);
        aof_state.temp_incr_name = NULL;
    }
}

void aof_shutdown(void) {
    if (aof_state.child_pid > 0) {
        log_msg(LL_WARNING, "There is a child rewriting the AOF. Killing it!");
        aof_rewrite_kill();
    }
    if (aof_state.fd != -1) {
        log_msg(LL_NOTICE, "Calling fsync() on the AOF file.");
        aof_flush_and_fsync();
    }
}

/* ---- INFO ---- */

size_t aof_buffer_memory(void) {
    return aof_state.buf ? sds_len(aof_state.buf) + sds_avail(aof_state.buf) : 0;
}

void aof_sizes_refresh(void) {
    AofState *st = &aof_state;
    const AofManifest *m = st->manifest;
    st->other_files_size = 0;
    if (m == NULL) return;
    if (m->base) st->other_files_size += aof_file_size(m->base->name);
    for (int i = 0; i + 1 < m->incr_count; i++)
        st->other_files_size += aof_file_size(m->incr[i].name);
}

static long long total_size(void) {
    return aof_state.current_size + aof_state.other_files_size;
}

long long aof_total_size(void) {
    return total_size();
}

sds aof_info_fields(sds out) {
    const AofState *st = &aof_state;
    bool child = st->child_pid > 0;
    out = sds_cat_printf(out,
                         "aof_enabled:%d\r\n"
                         "aof_rewrite_in_progress:%d\r\n"
                         "aof_rewrite_scheduled:%d\r\n"
                         "aof_last_rewrite_time_sec:%lld\r\n"
                         "aof_current_rewrite_time_sec:%lld\r\n"
                         "aof_last_bgrewrite_status:%s\r\n"
                         "aof_rewrites:%llu\r\n"
                         "aof_rewrites_consecutive_failures:%llu\r\n"
                         "aof_last_write_status:%s\r\n"
                         "aof_last_cow_size:0\r\n"
                         "module_fork_in_progress:0\r\n"
                         "module_fork_last_cow_size:0\r\n",
                         st->status != AOF_OFF ? 1 : 0, child ? 1 : 0,
                         st->rewrite_scheduled ? 1 : 0, st->last_rewrite_seconds,
                         child ? (ev_wall_ms() - st->child_start_ms) / 1000 : -1,
                         st->last_rewrite_ok ? "ok" : "err", st->rewrites, st->rewrite_failures,
                         aof_write_refusal() ? "err" : "ok");
    if (st->status == AOF_OFF) return out;
    out = sds_cat_printf(out,
                         "aof_current_size:%lld\r\n"
                         "aof_base_size:%lld\r\n"
                         "aof_pending_rewrite:%d\r\n"
                         "aof_buffer_length:%zu\r\n"
                         "aof_pending_bio_fsync:%d\r\n"
                         "aof_delayed_fsync:%llu\r\n",
                         total_size(), st->base_size, st->rewrite_scheduled ? 1 : 0,
                         st->buf ? sds_len(st->buf) : 0, aof_fsync_pending(), st->delayed_fsync);
    return out;
}
