/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/persist.c: snapshots: SAVE, BGSAVE (a forked child writes the
 * file and _exits; the cron reaps it), LASTSAVE, the save points, saving
 * at shutdown, and the change counter.
 *
 * The child writes temp-<childpid>.rdb and renames it over dbfilename, so
 * the real name never holds half a file. Log lines are Valkey's.
 *
 * Threads: main only; the child is a separate process that only saves.
 */
#include "persist/persist.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/command.h"
#include "db/db.h"
#include "net/reply.h"
#include "persist/aof.h"
#include "persist/persist_state.h"
#include "persist/rdb_file.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/server.h"

#define BGSAVE_RETRY_DELAY_SECONDS 5

PersistState persist_state = {
    .last_bgsave_ok = true, .last_bgsave_seconds = -1, .child_pid = -1};

void persist_count_change(void) {
    persist_state.changes++;
}

bool persist_loading(void) {
    return persist_state.loading;
}

bool persist_child_running(void) {
    return persist_state.child_pid > 0;
}

const char *persist_write_refusal(void) {
    if (!cfg_stop_writes_on_bgsave_error || persist_save_point_count() == 0 ||
        persist_state.last_bgsave_ok)
        return aof_write_refusal(); /* Valkey checks the RDB first, then the AOF */
    return "-MISCONF Valkey is configured to save RDB snapshots, but it's currently unable to "
           "persist to disk. Commands that may modify the data set are disabled, because this "
           "instance is configured to report errors during writes if RDB snapshotting fails "
           "(stop-writes-on-bgsave-error option). Please check the Valkey logs for details about "
           "the RDB error.";
}

static long long now_seconds(void) {
    return (long long)time(NULL);
}

/* A foreground save of dbfilename; counted in rdb_saves unless FLUSHALL
 * made it (as redis 7.0 counts). */
static bool save_in_foreground(bool counted, char *err, size_t errlen) {
    if (!rdb_save_path(cfg_dbfilename, err, errlen)) {
        log_msg(LL_WARNING, "%s", err);
        return false;
    }
    log_msg(LL_NOTICE, "DB saved on disk");
    persist_state.changes = 0;
    persist_state.last_save = now_seconds();
    persist_state.last_bgsave_ok = true;
    if (counted) persist_state.saves++;
    return true;
}

bool persist_save_now(char *err, size_t errlen) {
    return save_in_foreground(true, err, errlen);
}

bool persist_bgsave_start(char *err, size_t errlen) {
    persist_state.last_bgsave_try = now_seconds();
    long long start = ev_wall_ms();
    pid_t pid = fork();
    if (pid < 0) {
        persist_state.last_bgsave_ok = false;
        snprintf(err, errlen, "Can't save in background: fork: %s", strerror(errno));
        log_msg(LL_WARNING, "%s", err);
        return false;
    }
    if (pid == 0) {
        /* The child: only the writer runs here, then _exit (no atexit
         * handlers, no buffers of the parent flushed twice). */
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        char child_err[512];
        bool ok = rdb_save_path(cfg_dbfilename, child_err, sizeof(child_err));
        if (ok)
            log_msg(LL_NOTICE, "DB saved on disk");
        else
            log_msg(LL_WARNING, "%s", child_err);
        _exit(ok ? 0 : 1);
    }
    persist_state.child_pid = pid;
    persist_state.child_start_ms = start;
    persist_state.changes_at_fork = persist_state.changes;
    log_msg(LL_NOTICE, "Background saving started by pid %d", (int)pid);
    return true;
}

/* Handles the child's exit status. */
static void bgsave_done(int status) {
    long long elapsed_ms = ev_wall_ms() - persist_state.child_start_ms;
    persist_state.last_bgsave_seconds = elapsed_ms / 1000;
    persist_state.child_pid = -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        log_msg(LL_NOTICE, "Background saving terminated with success");
        persist_state.changes -= persist_state.changes_at_fork < persist_state.changes
                                     ? persist_state.changes_at_fork
                                     : persist_state.changes;
        persist_state.last_save = now_seconds();
        persist_state.last_bgsave_ok = true;
        persist_state.saves++;
    } else if (WIFSIGNALED(status)) {
        log_msg(LL_WARNING, "Background saving terminated by signal %d", WTERMSIG(status));
        /* SIGUSR1 is how a save is cancelled on purpose: not an error. */
        if (WTERMSIG(status) != SIGUSR1) persist_state.last_bgsave_ok = false;
    } else {
        log_msg(LL_WARNING, "Background saving error");
        persist_state.last_bgsave_ok = false;
    }
}

/* Stops a running child (SHUTDOWN, DEBUG RELOAD, a foreground SAVE is
 * refused instead). Its temp file is removed. */
static void bgsave_kill(void) {
    if (persist_state.child_pid <= 0) return;
    pid_t pid = persist_state.child_pid;
    log_msg(LL_WARNING, "There is a child saving an .rdb. Killing it!");
    kill(pid, SIGUSR1);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)pid);
    unlink(tmp);
    persist_state.child_pid = -1;
}

void persist_cron(void) {
    aof_cron(); /* the AOF's child, writes, fsyncs and rewrites */
    if (persist_state.child_pid > 0) {
        int status;
        pid_t got = waitpid(persist_state.child_pid, &status, WNOHANG);
        if (got == persist_state.child_pid) bgsave_done(status);
        return;
    }
    if (aof_rewrite_in_progress()) return; /* one child at a time */
    char err[256];
    if (persist_state.bgsave_scheduled) {
        persist_state.bgsave_scheduled = false;
        persist_bgsave_start(err, sizeof(err));
        return;
    }
    long long now = now_seconds();
    for (int i = 0; i < persist_save_point_count(); i++) {
        const PersistSavePoint *sp = persist_save_point_at(i);
        if (persist_state.changes < (unsigned long long)sp->changes ||
            now - persist_state.last_save <= sp->seconds)
            continue;
        if (!persist_state.last_bgsave_ok &&
            now - persist_state.last_bgsave_try <= BGSAVE_RETRY_DELAY_SECONDS)
            continue;
        log_msg(LL_NOTICE, "%lld changes in %lld seconds. Saving...",
                (long long)sp->changes, (long long)sp->seconds);
        persist_bgsave_start(err, sizeof(err));
        return;
    }
}

void persist_count_changes(unsigned long long n) {
    persist_state.changes += n;
}

void persist_after_flushall(void) {
    if (persist_save_point_count() == 0) return;
    /* The child's snapshot is of the data just dropped. */
    bgsave_kill();
    char err[512];
    save_in_foreground(false, err, sizeof(err)); /* a failure is logged */
}

int persist_shutdown_save(int flags) {
    bool wanted = (flags & SHUTDOWN_SAVE) ||
                  (persist_save_point_count() > 0 && !(flags & SHUTDOWN_NOSAVE));
    bgsave_kill();
    aof_shutdown(); /* kill a rewrite child, write and fsync the AOF */
    if (!wanted) return 0;
    log_msg(LL_NOTICE, "Saving the final RDB snapshot before exiting.");
    char err[512];
    if (!persist_save_now(err, sizeof(err))) {
        log_msg(LL_WARNING, "Error trying to save the DB, can't exit.");
        return -1;
    }
    return 0;
}

/* ---- commands ---- */

void cmd_save(Client *c) {
    if (persist_state.child_pid > 0) {
        reply_error(c, "Background save already in progress");
        return;
    }
    char err[512];
    if (persist_save_now(err, sizeof(err)))
        reply_ok(c);
    else
        reply_error(c, "-ERR");
}

void cmd_bgsave(Client *c) {
    if (c->argc > 2 || (c->argc == 2 && strcasecmp(c->argv[1]->ptr, "schedule") != 0)) {
        reply_error_syntax(c);
        return;
    }
    if (persist_state.child_pid > 0) {
        reply_error(c, "Background save already in progress");
        return;
    }
    if (aof_rewrite_in_progress()) {
        if (c->argc == 2) {
            persist_state.bgsave_scheduled = true;
            reply_status(c, "Background saving scheduled");
        } else {
            reply_error(c, "Another child process is active (AOF?): can't BGSAVE right now. Use "
                           "BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
        return;
    }
    char err[512];
    if (persist_bgsave_start(err, sizeof(err)))
        reply_status(c, "Background saving started");
    else
        reply_error(c, "-ERR");
}

void cmd_lastsave(Client *c) {
    reply_ll(c, persist_state.last_save);
}
