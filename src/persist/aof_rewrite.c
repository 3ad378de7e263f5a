/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_rewrite.c: BGREWRITEAOF and the automatic rewrite: a new
 * incr file is opened when the rewrite starts (so commands that arrive
 * meanwhile need no rewrite buffer), a forked child writes the dataset as
 * a new base (an RDB image, or commands with aof-use-rdb-preamble no) to
 * temp-rewriteaof-bg-<pid>.aof, and the parent, once the child succeeded,
 * renames it to the next base name, writes the manifest (new base + the
 * incr opened at the start) and deletes the files that became history.
 *
 * Turning appendonly on at run time is a rewrite too: commands go to a
 * temporary incr file until the base exists, then both enter the manifest
 * and the AOF is on.
 *
 * Threads: main only; the child only writes its file and _exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/reply.h"
#include "persist/aof.h"
#include "persist/aof_internal.h"
#include "persist/persist.h"
#include "persist/rdb_file.h"
#include "server/ev.h"
#include "server/log.h"

#define REWRITE_RETRY_DELAY_MS 5000

static sds temp_base_path(pid_t pid) {
    return sds_cat_printf(sds_empty(), "%s/temp-rewriteaof-bg-%d.aof", cfg_appenddirname,
                          (int)pid);
}

static bool write_base_file(const char *path, bool rdb, char *err, size_t errlen) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): "
                 "%s", strerror(errno));
        return false;
    }
    bool ok = rdb ? rdb_save_aof_base_fd(fd, err, errlen)
                  : aof_rewrite_commands_fd(fd, err, errlen);
    if (ok && fsync(fd) != 0) {
        snprintf(err, errlen, "fsync: %s", strerror(errno));
        ok = false;
    }
    close(fd);
    if (!ok) unlink(path);
    return ok;
}

bool aof_write_base_now(const char *name, char *err, size_t errlen) {
    sds tmp = temp_base_path(getpid());
    sds path = aof_file_path(name);
    bool ok = write_base_file(tmp, cfg_aof_use_rdb_preamble, err, errlen);
    if (ok && rename(tmp, path) != 0) {
        snprintf(err, errlen, "Error trying to rename the temporary AOF base file %s into %s: %s",
                 tmp, name, strerror(errno));
        unlink(tmp);
        ok = false;
    }
    sds_free(tmp);
    sds_free(path);
    return ok;
}

/* Where commands go while the child runs: a new incr file in the manifest
 * (AOF on), a temporary one (turning on), nowhere (AOF off). */
static bool open_incr_for_rewrite(char *err, size_t errlen) {
    AofState *st = &aof_state;
    if (st->status == AOF_ON) {
        AofManifest *m = aof_manifest_dup(st->manifest);
        const char *name = aof_manifest_new_incr(m);
        int fd = aof_open_file(name, false, err, errlen);
        if (fd < 0 || !aof_manifest_save(m, err, errlen)) {
            if (fd >= 0) {
                close(fd);
                sds path = aof_file_path(name);
                unlink(path);
                sds_free(path);
            }
            aof_manifest_destroy(m);
            return false;
        }
        aof_flush_and_fsync(); /* the old incr is complete before it is left */
        aof_use_fd(fd);
        log_msg(LL_NOTICE, "Creating AOF incr file %s on background rewrite", name);
        aof_manifest_destroy(st->manifest);
        st->manifest = m;
        aof_sizes_refresh();
    } else if (st->status == AOF_WAIT_REWRITE) {
        if (st->temp_incr_name == NULL)
            st->temp_incr_name = sds_cat_printf(sds_empty(), "temp-%s.incr", cfg_appendfilename);
        int fd = aof_open_file(st->temp_incr_name, true, err, errlen);
        if (fd < 0) return false;
        if (st->buf) sds_clear(st->buf); /* the child's snapshot holds it */
        aof_use_fd(fd);
    }
    return true;
}

bool aof_rewrite_start(char *err, size_t errlen) {
    AofState *st = &aof_state;
    if (st->child_pid > 0) {
        snprintf(err, errlen, "Background append only file rewriting already in progress");
        return false;
    }
    st->last_rewrite_try_ms = ev_wall_ms();
    if (!aof_dir_create(err, errlen)) {
        log_msg(LL_WARNING, "%s", err);
        st->last_rewrite_ok = false;
        return false;
    }
    if (st->manifest == NULL) st->manifest = aof_manifest_create();
    if (!open_incr_for_rewrite(err, errlen)) {
        log_msg(LL_WARNING, "%s", err);
        return false;
    }
    bool rdb = cfg_aof_use_rdb_preamble != 0;
    long long start = ev_wall_ms();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "Can't rewrite append only file in background: fork: %s",
                 strerror(errno));
        log_msg(LL_WARNING, "%s", err);
        st->last_rewrite_ok = false;
        return false;
    }
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGUSR1, SIG_DFL);
        char child_err[512];
        sds tmp = temp_base_path(getpid());
        bool ok = write_base_file(tmp, rdb, child_err, sizeof(child_err));
        if (ok)
            log_msg(LL_NOTICE, "Successfully created the temporary AOF base file %s",
                    tmp + strlen(cfg_appenddirname) + 1);
        else
            log_msg(LL_WARNING, "%s", child_err);
        _exit(ok ? 0 : 1);
    }
    st->child_pid = pid;
    st->child_start_ms = start;
    st->child_writes_rdb = rdb;
    st->rewrite_scheduled = false;
    aof_feeding = st->status != AOF_OFF;
    log_msg(LL_NOTICE, "Background append only file rewriting started by pid %d", (int)pid);
    return true;
}

static void rewrite_failed(void) {
    AofState *st = &aof_state;
    st->last_rewrite_ok = false;
    st->rewrite_failures++;
    if (st->status == AOF_WAIT_REWRITE) {
        st->rewrite_scheduled = true; /* the AOF is still to be turned on */
        aof_feeding = false;
    }
}

/* WAIT_REWRITE: the temporary incr joins the manifest under its real name. */
static bool adopt_temp_incr(AofManifest *m) {
    AofState *st = &aof_state;
    const char *name = aof_manifest_new_incr(m);
    sds from = aof_file_path(st->temp_incr_name);
    sds to = aof_file_path(name);
    bool ok = rename(from, to) == 0;
    if (!ok)
        log_msg(LL_WARNING, "Error trying to rename the temporary AOF incr file %s into %s: %s",
                st->temp_incr_name, name, strerror(errno));
    sds_free(from);
    sds_free(to);
    return ok;
}

static void rewrite_done(pid_t pid, int status) {
    AofState *st = &aof_state;
    st->child_pid = -1;
    st->last_rewrite_seconds = (ev_wall_ms() - st->child_start_ms) / 1000;
    sds tmp = temp_base_path(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            log_msg(LL_WARNING, "Background AOF rewrite terminated by signal %d",
                    WTERMSIG(status));
        else
            log_msg(LL_WARNING, "Background AOF rewrite terminated with error");
        unlink(tmp);
        sds_free(tmp);
        rewrite_failed();
        return;
    }
    log_msg(LL_NOTICE, "Background AOF rewrite terminated with success");
    AofManifest *m = aof_manifest_dup(st->manifest);
    const char *base = aof_manifest_new_base(m, st->child_writes_rdb);
    sds base_path = aof_file_path(base);
    char err[512];
    bool ok = rename(tmp, base_path) == 0;
    if (!ok) {
        log_msg(LL_WARNING, "Error trying to rename the temporary AOF base file %s into %s: %s",
                tmp, base, strerror(errno));
        unlink(tmp);
    } else {
        log_msg(LL_NOTICE, "Successfully renamed the temporary AOF base file %s into %s",
                tmp + strlen(cfg_appenddirname) + 1, base);
        aof_manifest_incr_to_history(m, st->status == AOF_ON ? 1 : 0);
        if (st->status == AOF_WAIT_REWRITE) ok = adopt_temp_incr(m);
        if (ok && !aof_manifest_save(m, err, sizeof(err))) {
            log_msg(LL_WARNING, "%s", err);
            ok = false;
        }
        if (!ok) unlink(base_path);
    }
    sds_free(tmp);
    sds_free(base_path);
    if (!ok) {
        aof_manifest_destroy(m);
        rewrite_failed();
        return;
    }
    aof_manifest_destroy(st->manifest);
    st->manifest = m;
    aof_manifest_delete_history(m);
    if (st->status == AOF_WAIT_REWRITE) {
        st->status = AOF_ON;
        sds_free(st->temp_incr_name);
        st->temp_incr_name = NULL;
    }
    aof_feeding = st->status == AOF_ON;
    aof_sizes_refresh();
    st->base_size = aof_total_size();
    st->rewrites++;
    st->rewrite_failures = 0;
    st->last_rewrite_ok = true;
    log_msg(LL_NOTICE, "Background AOF rewrite finished successfully");
}

void aof_rewrite_kill(void) {
    AofState *st = &aof_state;
    if (st->child_pid <= 0) return;
    pid_t pid = st->child_pid;
    kill(pid, SIGUSR1);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    sds tmp = temp_base_path(pid);
    unlink(tmp);
    sds_free(tmp);
    st->child_pid = -1;
    if (st->status == AOF_WAIT_REWRITE) aof_feeding = false;
}

/* auto-aof-rewrite-percentage / min-size. */
static bool rewrite_due(void) {
    const AofState *st = &aof_state;
    if (st->status != AOF_ON || cfg_auto_aof_rewrite_percentage == 0) return false;
    long long size = aof_total_size();
    if (size <= cfg_auto_aof_rewrite_min_size) return false;
    long long base = st->base_size ? st->base_size : 1;
    long long growth = (size * 100 / base) - 100;
    if (growth < cfg_auto_aof_rewrite_percentage) return false;
    log_msg(LL_NOTICE, "Starting automatic rewriting of AOF on %lld%% growth", growth);
    return true;
}

void aof_rewrite_cron(void) {
    AofState *st = &aof_state;
    if (st->child_pid > 0) {
        int status;
        pid_t pid = st->child_pid;
        if (waitpid(pid, &status, WNOHANG) == pid) rewrite_done(pid, status);
        return;
    }
    if (persist_child_running()) return;
    long long now = ev_wall_ms();
    if (st->rewrite_failures > 0 && now - st->last_rewrite_try_ms < REWRITE_RETRY_DELAY_MS)
        return;
    if (st->rewrite_scheduled || rewrite_due()) {
        char err[512];
        aof_rewrite_start(err, sizeof(err));
    }
}

void cmd_bgrewriteaof(Client *c) {
    AofState *st = &aof_state;
    if (st->child_pid > 0) {
        reply_error(c, "Background append only file rewriting already in progress");
        return;
    }
    if (persist_child_running()) {
        st->rewrite_scheduled = true;
        st->rewrite_failures = 0;
        reply_status(c, "Background append only file rewriting scheduled");
        return;
    }
    char err[512];
    if (aof_rewrite_start(err, sizeof(err)))
        reply_status(c, "Background append only file rewriting started");
    else
        reply_error(c, "Can't execute an AOF background rewriting. Please check the server logs "
                       "for more information.");
}
