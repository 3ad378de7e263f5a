/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/server.c: the start sequence, the loop hooks (before-sleep and
 * serverCron) and shutdown.
 *
 * Start order matters: config is read, modules load (they register options
 * and connection types), deferred config lines are applied, the process
 * daemonizes, and only then do listeners open. Any failure exits with
 * status 1 before a single client is served: the server never half-starts.
 *
 * Threads: main only.
 */
#include "server/server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/command.h"
#include "db/db.h"
#include "db/expire.h"
#include "net/client.h"
#include "net/conn.h"
#include "net/io_threads.h"
#include "persist/aof.h"
#include "persist/persist.h"
#include "pubsub/pubsub.h"
#include "script/script.h"
#include "server/auth.h"
#include "server/config.h"
#include "server/ev.h"
#include "server/info.h"
#include "server/log.h"
#include "server/mem.h"
#include "server/module.h"
#include "server/multi.h"
#include "server/protected.h"
#include "server/tracking.h"
#include "server/version.h"

long long cfg_hz;
int cfg_dynamic_hz;
int cfg_daemonize;
char *cfg_pidfile;
int cfg_enable_debug;
long long cfg_io_threads;
ServerInfo server_info;

static volatile sig_atomic_t shutdown_signal; /* set by the signal handler */
static int pidfile_written;


static const char *const debug_command_names[] = {"no", "yes", "local", NULL};

/* dir changes the working directory at once, as in Valkey, so later
 * relative paths (logfile, pidfile, unixsocket) resolve inside it; CONFIG
 * GET shows the absolute directory. */
static int dir_set(const char *value, char *err, size_t errlen) {
    if (chdir(value) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

static sds dir_get(sds out) {
    char cwd[4096];
    return sds_cat(out, getcwd(cwd, sizeof(cwd)) ? cwd : "");
}

static void dir_rewrite(ConfigRewrite *rw, const char *name) {
    sds line = sds_cat(sds_new(name), " ");
    sds value = dir_get(sds_empty());
    line = sds_cat_repr(line, value, sds_len(value));
    sds_free(value);
    config_rewrite_line(rw, name, line, 1);
}

void server_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "hz", .type = KEEL_CFG_NUMBER,
         .default_value = "10", .min = 1, .max = 500, .storage = &cfg_hz},
        {.size = sizeof(KeelConfigOption), .name = "dynamic-hz", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_dynamic_hz},
        {.size = sizeof(KeelConfigOption), .name = "daemonize", .type = KEEL_CFG_BOOL,
         .flags = KEEL_CFG_IMMUTABLE, .default_value = "no", .storage = &cfg_daemonize},
        {.size = sizeof(KeelConfigOption), .name = "pidfile", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_IMMUTABLE | KEEL_CFG_EMPTY_OK, .default_value = "",
         .storage = &cfg_pidfile},
        {.size = sizeof(KeelConfigOption), .name = "enable-debug-command", .type = KEEL_CFG_ENUM,
         .flags = KEEL_CFG_IMMUTABLE, .default_value = "no", .enum_names = debug_command_names,
         .storage = &cfg_enable_debug},
        /* Mutable, beyond Valkey: net/io_threads.c resizes the pool at a
         * quiet point of the loop, loading keel-iothreads.so if needed. */
        {.size = sizeof(KeelConfigOption), .name = "io-threads", .type = KEEL_CFG_NUMBER,
         .default_value = "1", .min = 1, .max = 256, .storage = &cfg_io_threads,
         .apply = io_threads_apply},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
    static const ConfigSpecialOps dir_ops = {.set = dir_set, .get = dir_get,
                                             .rewrite = dir_rewrite};
    config_register_special("dir", KEEL_CFG_PROTECTED, "./", &dir_ops, NULL);
}

/* Every room's options, in the order CONFIG GET * lists them. */
void server_register_all_config(void) {
    server_register_config();
    log_register_config();
    listener_register_config();
    client_register_config();
    io_register_config();
    auth_register_config();
    protected_register_config();
    db_register_config();
    persist_register_config();
    script_register_config();
}

/* ---- signals ---- */

static void on_shutdown_signal(int signal_number) {
    shutdown_signal = signal_number;
}

static void install_signal_handlers(void) {
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    sigemptyset(&act.sa_mask);
    act.sa_handler = on_shutdown_signal;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
}

/* ---- daemon and pidfile ---- */

static void daemonize(void) {
    pid_t pid = fork();
    if (pid < 0) {
        log_msg(LL_WARNING, "Can't daemonize: fork: %s", strerror(errno));
        exit(1);
    }
    if (pid > 0) exit(0); /* the parent returns to the shell */
    setsid();
    int fd = open("/dev/null", O_RDWR);
    if (fd != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

static void pidfile_write(void) {
    const char *path = cfg_pidfile;
    if (path == NULL && cfg_daemonize) path = "/var/run/keel.pid";
    if (path == NULL) return;
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        log_msg(LL_WARNING, "Failed to write PID file: %s", strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
    pidfile_written = 1;
}

static void pidfile_remove(void) {
    if (!pidfile_written) return;
    const char *path = cfg_pidfile ? cfg_pidfile : "/var/run/keel.pid";
    log_msg(LL_NOTICE, "Removing the pid file.");
    unlink(path);
}

/* ---- loop hooks ---- */

static void before_sleep(void) {
    io_before_sleep_first(); /* completions of IO-thread jobs */
    client_evict_run();      /* maxmemory-clients: victims are freed just below */
    client_free_pending();
    expire_before_sleep(); /* fast active expire cycle, when keys pile up */
    if (conn_types_have_pending_data()) {
        conn_types_process_pending_data();
        ev_dont_wait();
    }
    tracking_flush_pending(); /* BCAST invalidations batched this turn */
    aof_before_sleep();       /* the AOF is written (and fsynced) before replies leave */
    client_write_pending();
    client_free_pending();
    io_before_sleep_last(); /* commit submissions, scaling */
}

void server_process_events_while_busy(void) {
    /* Commands served meanwhile must not move the running script's clock. */
    long long script_now_ms = db_now_ms;
    io_before_sleep_first(); /* completions: their commands get -BUSY */
    if (conn_types_have_pending_data()) conn_types_process_pending_data();
    ev_process_ready_files();
    /* Replies of commands that ran before the script may be pending: the
     * AOF holding their writes goes first, as in before_sleep (the
     * script's own writes are fed only when it ends). */
    aof_before_sleep();
    client_write_pending();
    io_before_sleep_last();
    db_now_ms = script_now_ms;
}

static void after_sleep(void) {
    io_after_sleep(ev_fired_count());
}

static void server_check_shutdown_signal(void) {
    if (!shutdown_signal) return;
    int sig = shutdown_signal;
    shutdown_signal = 0;
    log_msg(LL_WARNING, "Received %s scheduling shutdown...", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_shutdown(0);
    log_msg(LL_WARNING, "SIGTERM received but errors trying to shut down the server, check the logs "
                        "for more information");
}

static long long server_cron(long long id, void *data) {
    (void)id;
    (void)data;
    server_info.cron_loops++;
    mem_update_peak();
    info_cron();
    server_check_shutdown_signal();
    client_cron();
    pause_cron();
    /* dynamic-hz: scale up with the number of clients so per-client cron
     * work stays small per tick, as Valkey does. */
    int hz = (int)cfg_hz;
    if (cfg_dynamic_hz) {
        while (client_count() / (unsigned long)hz > 200 && hz < 500) hz *= 2;
        if (hz > 500) hz = 500;
    }
    server_info.effective_hz = hz;
    expire_cron(hz); /* slow active expire cycle, active rehashing */
    persist_cron();  /* reap the BGSAVE child, save points */
    return 1000 / hz;
}

/* ---- start ---- */

static void make_run_id(void) {
    unsigned char bytes[20];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd == -1 ? -1 : read(fd, bytes, sizeof(bytes));
    if (fd != -1) close(fd);
    if (got != (ssize_t)sizeof(bytes)) {
        srand((unsigned)(ev_wall_us() ^ getpid()));
        for (size_t i = 0; i < sizeof(bytes); i++) bytes[i] = (unsigned char)rand();
    }
    for (size_t i = 0; i < sizeof(bytes); i++)
        snprintf(server_info.run_id + i * 2, 3, "%02x", bytes[i]);
}

/* Raises the fd limit to fit maxclients, lowering maxclients if the OS
 * refuses, as Valkey does. */
static void adjust_open_files_limit(void) {
    rlim_t wanted = (rlim_t)cfg_maxclients + SERVER_RESERVED_FDS;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur >= wanted) return;
    rlim_t attempt = wanted;
    while (attempt > limit.rlim_cur) {
        struct rlimit want = {.rlim_cur = attempt, .rlim_max = attempt > limit.rlim_max ? attempt : limit.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) return;
        want.rlim_max = limit.rlim_max;
        if (attempt <= limit.rlim_max && setrlimit(RLIMIT_NOFILE, &want) == 0) return;
        attempt -= attempt > 1024 ? 1024 : 16;
    }
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < wanted) {
        long long lowered = (long long)limit.rlim_cur - SERVER_RESERVED_FDS;
        if (lowered < 1) lowered = 1;
        log_msg(LL_WARNING,
                "You requested maxclients of %lld requiring at least %llu max file descriptors. "
                "Server can't set maximum open files to %llu because of OS error: %s. Current "
                "maximum open files is %llu. maxclients has been reduced to %lld to compensate for "
                "low ulimit. If you need higher maxclients increase 'ulimit -n'.",
                cfg_maxclients, (unsigned long long)wanted, (unsigned long long)wanted,
                strerror(errno), (unsigned long long)limit.rlim_cur, lowered);
        cfg_maxclients = lowered;
    }
}

static void exit_startup_failure(void) {
    log_msg(LL_WARNING, "keel failed to start, exiting.");
    exit(1);
}

void server_start(void) {
    core_api_mark_main_thread();
    char err[512];
    if (log_reopen(err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    server_info.start_wall_ms = ev_wall_ms();
    server_info.start_monotonic_us = ev_monotonic_us();
    ssize_t len = readlink("/proc/self/exe", server_info.executable, sizeof(server_info.executable) - 1);
    if (len > 0) server_info.executable[len] = '\0';
    make_run_id();
    if (cfg_daemonize) daemonize();
    log_msg(LL_NOTICE, "oO0OoO0OoO0Oo keel is starting oO0OoO0OoO0Oo");
    log_msg(LL_NOTICE, "keel version=%s, bits=%d, pid=%d, just started", KEEL_VERSION,
            (int)(sizeof(long) * 8), (int)getpid());
    if (config_file_path())
        log_msg(LL_NOTICE, "Configuration loaded");
    else
        log_msg(LL_WARNING, "Warning: no config file specified, using the default config. In order "
                            "to specify a config file use keel-server /path/to/keel.conf");
    adjust_open_files_limit();
    if (ev_init((int)cfg_maxclients + SERVER_RESERVED_FDS) != 0) {
        log_msg(LL_WARNING, "Failed creating the event loop. Error message: '%s'", strerror(errno));
        exit(1);
    }
    cmd_table_init();
    db_init();
    pubsub_init();
    multi_init();
    script_init();
    if (module_load_startup() != 0) exit_startup_failure();
    /* Before the deferred lines: the module declares the io-threads-*
     * tuning options they may set. */
    if (cfg_io_threads > 1 && !io_engine_loaded()) {
        if (module_load("keel-iothreads.so", 0, NULL, "loaded automatically for io-threads > 1") != 0)
            exit_startup_failure();
    }
    config_apply_deferred();
    persist_load_at_startup(); /* exits on a damaged RDB file */
    if (io_start() != 0) exit_startup_failure();
    for (int i = 0; i < conn_type_count(); i++) {
        const KeelConnType *type = conn_type_at(i);
        if (type->configure && type->configure(0, err, sizeof(err)) != 0) {
            log_msg(LL_WARNING, "Failed to configure connection type %s: %s", type->name, err);
            exit_startup_failure();
        }
    }
    if (listener_open_all() != 0) exit(1);
    if (listener_count() == 0) {
        /* Valkey's answer to port 0 without any other listener: a server
         * nobody can reach is a configuration mistake, not a service. */
        log_msg(LL_WARNING, "Configured to not listen anywhere, exiting.");
        exit(1);
    }
    install_signal_handlers();
    pidfile_write();
    server_info.effective_hz = (int)cfg_hz;
    ev_timer_add(1, server_cron, NULL);
    ev_set_before_sleep(before_sleep);
    ev_set_after_sleep(after_sleep);
    log_msg(LL_NOTICE, "Server initialized");
    log_msg(LL_NOTICE, "Ready to accept connections");
    ev_run();
}

/* ---- shutdown ---- */

int server_shutdown(int flags) {
    log_msg(LL_WARNING, "User requested shutdown...");
    if (persist_shutdown_save(flags) != 0 && !(flags & SHUTDOWN_FORCE)) return -1;
    pidfile_remove();
    const char *unix_path = listener_unix_path();
    if (unix_path) log_msg(LL_NOTICE, "Removing the unix socket file.");
    io_stop(); /* no IO thread touches a connection past this point */
    listener_close_all();
    conn_types_cleanup();
    log_msg(LL_WARNING, "keel is now ready to exit, bye bye...");
    exit(0);
}
