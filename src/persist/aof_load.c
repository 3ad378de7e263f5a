/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_load.c: loading the AOF: at start-up with appendonly yes
 * (instead of the RDB file) and for DEBUG LOADAOF. The manifest's base
 * (an RDB image, or commands, possibly after an RDB preamble) and then its
 * incr files are read in order; commands run on an internal client with
 * no connection through the normal command procs, replies discarded. MULTI ... EXEC is queued here and run at EXEC, so a
 * transaction cut by the end of the file is dropped whole.
 *
 * A command cut short at the end of the last file is truncated away with
 * aof-load-truncated yes (logged), else start-up stops; bytes that are not
 * RESP or name an unknown command stop start-up with the file and offset,
 * and so does a file the manifest names that is missing; an empty file is
 * fine.
 * An old single appendonly.aof in dir is loaded and moved into
 * appenddirname as the base of a new manifest (Valkey's upgrade). When no
 * file exists, a base is written from the (empty) dataset and an incr file
 * opened.
 *
 * Threads: main only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/command.h"
#include "db/db.h"
#include "db/notify.h"
#include "persist/aof.h"
#include "persist/aof_internal.h"
#include "persist/persist.h"
#include "persist/persist_state.h"
#include "persist/rdb_file.h"
#include "script/function.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/mem.h"

typedef enum { LOAD_OK, LOAD_EMPTY, LOAD_TRUNCATED, LOAD_FAILED } LoadResult;

/* A command waiting for EXEC. */
typedef struct Queued {
    Obj **argv;
    int argc;
    const Command *cmd;
} Queued;

typedef struct Replay {
    Client *client;
    Queued *queue;
    int queued;
    bool in_multi;
    size_t before_multi; /* offset of the MULTI of the open transaction */
} Replay;

static Client *replay_client(void) {
    static Client *client;
    if (client == NULL) {
        client = client_create(NULL);
        client->authenticated = 1;
        client->flags |= CLIENT_DENY_BLOCKING | CLIENT_REPLY_OFF;
        snprintf(client->peer_id, sizeof(client->peer_id), "aof");
    }
    client->db = 0;
    return client;
}

static void free_objs(Obj **argv, int argc) {
    for (int i = 0; i < argc; i++) obj_decr_ref(argv[i]);
    mem_free(argv);
}

/* The proc itself, as Valkey's loader does: no command statistics, no
 * MONITOR, no propagation (the commands are already in the files). */
static void run_one(Client *c, const Command *cmd, Obj **argv, int argc) {
    c->argv = argv;
    c->argc = argc;
    c->cmd = c->last_cmd = cmd;
    c->flags |= CLIENT_EXECUTING;
    db_time_refresh();
    cmd->proc(c);
    c->flags &= ~CLIENT_EXECUTING;
    c->cmd = NULL;
    c->argv = NULL;
    c->argc = 0;
}

static void drop_queue(Replay *rp) {
    for (int i = 0; i < rp->queued; i++) free_objs(rp->queue[i].argv, rp->queue[i].argc);
    mem_free(rp->queue);
    rp->queue = NULL;
    rp->queued = 0;
    rp->in_multi = false;
}

/* Runs (or queues) one command read at offset `at`. false: fatal, logged. */
static bool replay_command(Replay *rp, const char *file, size_t at, sds *args, int argc) {
    Obj **argv = mem_alloc(sizeof(Obj *) * (size_t)argc);
    for (int i = 0; i < argc; i++) argv[i] = obj_create_string(args[i], sds_len(args[i]));
    const Command *cmd = cmd_lookup(argv, argc);
    if (cmd == NULL || !((cmd->arity > 0 && argc == cmd->arity) ||
                         (cmd->arity < 0 && argc >= -cmd->arity))) {
        log_msg(LL_WARNING, "Unknown command '%s' reading the append only file %s", args[0], file);
        log_msg(LL_WARNING, "AOF %s is damaged at offset %zu: %s '%.64s'", file, at,
                cmd ? "wrong number of arguments for" : "unknown command", args[0]);
        free_objs(argv, argc);
        return false;
    }
    if (strcasecmp(args[0], "multi") == 0) {
        rp->in_multi = true;
        rp->before_multi = at;
        free_objs(argv, argc);
    } else if (strcasecmp(args[0], "exec") == 0 && rp->in_multi) {
        for (int i = 0; i < rp->queued; i++)
            run_one(rp->client, rp->queue[i].cmd, rp->queue[i].argv, rp->queue[i].argc);
        drop_queue(rp);
        free_objs(argv, argc);
    } else if (rp->in_multi) {
        rp->queue = mem_realloc(rp->queue, sizeof(*rp->queue) * (size_t)(rp->queued + 1));
        rp->queue[rp->queued++] = (Queued){argv, argc, cmd};
    } else {
        run_one(rp->client, cmd, argv, argc);
        free_objs(argv, argc);
    }
    return true;
}

/* The bytes are cut short at valid_up_to: truncate them away or fail. */
static LoadResult handle_truncated(const char *file, const char *path, size_t valid_up_to,
                                   bool last_file) {
    if (!last_file || !cfg_aof_load_truncated) {
        if (!last_file)
            log_msg(LL_WARNING, "Fatal error: the truncated file is not the last file");
        else
            log_msg(LL_WARNING, "Unexpected end of file reading the append only file %s. You "
                                "can: 1) Make a backup of your AOF file, then use "
                                "./keel-check-aof --fix <filename.manifest>. 2) Alternatively "
                                "you can set the 'aof-load-truncated' configuration option to "
                                "yes and restart the server.", file);
        return LOAD_FAILED;
    }
    log_msg(LL_WARNING, "!!! Warning: short read while loading the AOF file %s!!!", file);
    log_msg(LL_WARNING, "!!! Truncating the AOF %s at offset %zu !!!", file, valid_up_to);
    if (truncate(path, (off_t)valid_up_to) != 0) {
        log_msg(LL_WARNING, "Error truncating the AOF file %s: %s", file, strerror(errno));
        return LOAD_FAILED;
    }
    log_msg(LL_WARNING, "AOF %s loaded anyway because aof-load-truncated is enabled", file);
    return LOAD_TRUNCATED;
}

/* Replays the commands of bytes [start, len). */
static LoadResult replay_bytes(const char *file, const char *path, const char *p, size_t len,
                               size_t start, bool last_file) {
    Replay rp = {.client = replay_client()};
    AofReader reader;
    aof_reader_init(&reader, p, len);
    reader.pos = start;
    LoadResult result = LOAD_OK;
    for (;;) {
        sds *args;
        int argc;
        size_t at = reader.pos;
        AofParseResult res = aof_reader_next(&reader, &args, &argc);
        if (res == AOF_PARSE_END) break;
        if (res == AOF_PARSE_BAD) {
            log_msg(LL_WARNING, "Bad file format reading the append only file %s: make a backup "
                                "of your AOF file, then use ./keel-check-aof --fix "
                                "<filename.manifest>", file);
            log_msg(LL_WARNING, "AOF %s is damaged at offset %zu: %s", file, reader.pos,
                    reader.err);
            result = LOAD_FAILED;
            break;
        }
        if (res == AOF_PARSE_TRUNCATED) {
            size_t valid = rp.in_multi ? rp.before_multi : reader.pos;
            if (rp.in_multi)
                log_msg(LL_WARNING, "Revert incomplete MULTI/EXEC transaction in AOF file %s",
                        file);
            result = handle_truncated(file, path, valid, last_file);
            break;
        }
        bool ok = replay_command(&rp, file, at, args, argc);
        aof_args_free(args, argc);
        if (!ok) {
            result = LOAD_FAILED;
            break;
        }
    }
    if (result == LOAD_OK && rp.in_multi) {
        log_msg(LL_WARNING, "Revert incomplete MULTI/EXEC transaction in AOF file %s", file);
        result = handle_truncated(file, path, rp.before_multi, last_file);
    }
    drop_queue(&rp);
    return result;
}

/* Loads one file: an RDB image (then commands if any follow: an old
 * preamble AOF), or commands. */
static LoadResult load_one(const char *file, const char *path, bool last_file) {
    struct stat st;
    if (stat(path, &st) != 0) {
        /* A file the manifest names must exist (Valkey stops too). */
        if (errno == ENOENT)
            log_msg(LL_WARNING, "The append log file %s doesn't exist: %s", file, strerror(errno));
        log_msg(LL_WARNING, "Fatal error: can't open the append log file %s for reading: %s", file,
                strerror(errno));
        return LOAD_FAILED;
    }
    size_t len;
    const unsigned char *image = rdb_map_file(path, &len);
    if (image == NULL) {
        log_msg(LL_WARNING, "Fatal error: can't open the append log file %s for reading: %s", file,
                strerror(errno));
        return LOAD_FAILED;
    }
    if (len == 0) {
        rdb_unmap_file(image, len);
        return LOAD_EMPTY;
    }
    size_t start = 0;
    LoadResult result = LOAD_OK;
    if (aof_looks_like_rdb((const char *)image, len)) {
        log_msg(LL_NOTICE, "Reading RDB base file on AOF loading...");
        char err[512];
        if (!persist_load_image(image, len, false, &start, err, sizeof(err))) {
            log_msg(LL_WARNING, "Error reading the RDB base file %s, AOF loading aborted", file);
            log_msg(LL_WARNING, "AOF %s is damaged %s", file, err);
            result = LOAD_FAILED;
        } else {
            log_msg(LL_NOTICE, "Reading the remaining AOF tail...");
        }
    }
    if (result == LOAD_OK)
        result = replay_bytes(file, path, (const char *)image, len, start, last_file);
    rdb_unmap_file(image, len);
    return result;
}

int aof_load_manifest(const AofManifest *m, const char *base_dir) {
    int total = (m->base ? 1 : 0) + m->incr_count;
    if (total == 0) return 0;
    long long all_start = ev_wall_ms();
    bool was_feeding = aof_feeding;
    aof_feeding = false; /* replayed commands are already in the files */
    persist_state.loading = true;
    int done = 0;
    int rc = 1;
    for (int i = -1; i < m->incr_count && rc == 1; i++) {
        const AofFileInfo *info = i < 0 ? m->base : &m->incr[i];
        if (info == NULL) continue;
        done++;
        sds path = base_dir ? sds_cat_printf(sds_empty(), "%s/%s", base_dir, info->name)
                            : sds_new(info->name);
        long long start = ev_wall_ms();
        LoadResult res = load_one(info->name, path, done == total);
        sds_free(path);
        if (res == LOAD_FAILED) rc = -1;
        else if (res == LOAD_OK || res == LOAD_TRUNCATED)
            log_msg(LL_NOTICE, "DB loaded from %s file %s: %.3f seconds", i < 0 ? "base" : "incr",
                    info->name, (double)(ev_wall_ms() - start) / 1000);
    }
    persist_state.loading = false;
    aof_feeding = was_feeding;
    if (rc == 1)
        log_msg(LL_NOTICE, "DB loaded from append only file: %.3f seconds",
                (double)(ev_wall_ms() - all_start) / 1000);
    return rc;
}

/* ---- start-up ---- */

static void fatal(const char *what, const char *err) {
    log_msg(LL_WARNING, "%s: %s", what, err);
    exit(1);
}

/* An old single-file AOF in dir becomes the base of a new manifest in
 * appenddirname (after it loaded). */
static AofManifest *upgrade_prepare(void) {
    AofManifest *m = aof_manifest_create();
    m->base = mem_alloc(sizeof(*m->base));
    *m->base = (AofFileInfo){sds_new(cfg_appendfilename), 1, AOF_FILE_BASE};
    m->base_seq = 1;
    return m;
}

static void upgrade_finish(AofManifest *m) {
    char err[512];
    if (!aof_dir_create(err, sizeof(err))) fatal("Can't upgrade the old AOF", err);
    sds to = aof_file_path(cfg_appendfilename);
    if (rename(cfg_appendfilename, to) != 0) {
        snprintf(err, sizeof(err), "rename %s to %s: %s", cfg_appendfilename, to,
                 strerror(errno));
        fatal("Can't upgrade the old AOF", err);
    }
    sds_free(to);
    if (!aof_manifest_save(m, err, sizeof(err))) fatal("Can't upgrade the old AOF", err);
    log_msg(LL_NOTICE, "Successfully migrated an old-style AOF into the AOF directory");
}

/* Opens the incr file written from now on, creating a base first when
 * there is no file at all. */
static void open_at_startup(AofManifest *m) {
    char err[512];
    if (!aof_dir_create(err, sizeof(err))) fatal("Can't open the AOF", err);
    if (m->base == NULL && m->incr_count == 0) {
        const char *base = aof_manifest_new_base(m, cfg_aof_use_rdb_preamble);
        if (!aof_write_base_now(base, err, sizeof(err))) fatal("Can't create the AOF base", err);
        log_msg(LL_NOTICE, "Creating AOF base file %s on server start", base);
    }
    const char *incr;
    if (m->incr_count == 0) {
        incr = aof_manifest_new_incr(m);
        log_msg(LL_NOTICE, "Creating AOF incr file %s on server start", incr);
    } else {
        incr = m->incr[m->incr_count - 1].name;
        log_msg(LL_NOTICE, "Opening AOF incr file %s on server start", incr);
    }
    if (!aof_open_incr(incr, err, sizeof(err))) fatal("Can't open the AOF", err);
    if (!aof_manifest_save(m, err, sizeof(err))) fatal("Can't persist the AOF manifest", err);
    aof_manifest_delete_history(m);
}

static AofManifest *read_manifest_or_exit(void) {
    char err[512];
    sds path = sds_cat_printf(sds_empty(), "%s/%s.manifest", cfg_appenddirname,
                              cfg_appendfilename);
    AofManifest *m = NULL;
    int found = aof_manifest_load(path, &m, err, sizeof(err));
    sds_free(path);
    if (found < 0) {
        log_msg(LL_WARNING, "Failed to load the AOF manifest %s.manifest: %s", cfg_appendfilename,
                err);
        exit(1);
    }
    return m;
}

/* Valkey refuses these in the config file; keel checks once loaded. */
static void check_names_or_exit(void) {
    char err[256];
    if (aof_config_check_names(err, sizeof(err))) return;
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR ***\n%s\n", err);
    log_msg(LL_WARNING, "%s", err);
    exit(1);
}

bool aof_load_at_startup(void) {
    aof_config_startup_done();
    check_names_or_exit();
    AofState *st = &aof_state;
    if (!cfg_appendonly) {
        /* Still known, so BGREWRITEAOF continues its sequence numbers. */
        char err[512];
        sds path = sds_cat_printf(sds_empty(), "%s/%s.manifest", cfg_appenddirname,
                                  cfg_appendfilename);
        if (aof_manifest_load(path, &st->manifest, err, sizeof(err)) < 0) st->manifest = NULL;
        sds_free(path);
        return false;
    }
    st->status = AOF_ON;
    AofManifest *m = read_manifest_or_exit();
    bool upgrade = false;
    if (m == NULL && access(cfg_appendfilename, F_OK) == 0) {
        m = upgrade_prepare();
        upgrade = true;
    }
    if (m == NULL) m = aof_manifest_create();
    int loaded = aof_load_manifest(m, upgrade ? NULL : cfg_appenddirname);
    if (loaded < 0) {
        log_msg(LL_WARNING, "Fatal error loading the DB, check server logs. Exiting.");
        exit(1);
    }
    if (upgrade) upgrade_finish(m);
    persist_state.changes = 0;
    open_at_startup(m);
    st->manifest = m;
    aof_sizes_refresh();
    st->base_size = aof_total_size();
    aof_feeding = true;
    aof_fsync_thread_start();
    return true;
}

bool aof_debug_loadaof(char *err, size_t errlen) {
    AofState *st = &aof_state;
    if (st->status == AOF_ON) aof_flush(true);
    AofManifest *m = NULL;
    char merr[512];
    sds path = sds_cat_printf(sds_empty(), "%s/%s.manifest", cfg_appenddirname,
                              cfg_appendfilename);
    int found = aof_manifest_load(path, &m, merr, sizeof(merr));
    sds_free(path);
    if (found < 0) {
        log_msg(LL_WARNING, "Failed to load the AOF manifest: %s", merr);
        snprintf(err, errlen, "Error loading the AOF: %s", merr);
        return false;
    }
    function_flush_all(); /* the AOF brings its libraries back */
    for (int id = 0; id < cfg_databases; id++) db_empty(db_get(id), false);
    db_signal_flushed(-1);
    int loaded = m ? aof_load_manifest(m, cfg_appenddirname) : 0;
    aof_manifest_destroy(m);
    if (st->fd != -1) aof_refresh_size();
    if (loaded < 0) {
        snprintf(err, errlen, "Error loading the AOF, check server logs.");
        return false;
    }
    persist_state.changes = 0;
    log_msg(LL_NOTICE, "Append Only File loaded by DEBUG LOADAOF");
    return true;
}
