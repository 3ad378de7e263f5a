/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof.h: the append-only file as the rest of the server sees it:
 * whether it wants commands, the call that hands it one command, and the
 * hooks the server loop, start-up, shutdown, INFO and the commands call.
 *
 * The AOF is Valkey 7+'s multi-part one: dir/appenddirname holds a base
 * file (RDB or commands), incr files of commands and a manifest naming
 * them (persist/aof_manifest.c). See docs/persistence.md.
 *
 * Threads: main only.
 */
#ifndef KEEL_PERSIST_AOF_H
#define KEEL_PERSIST_AOF_H

#include <stdbool.h>
#include <stddef.h>

#include "db/object.h"
#include "ds/sds.h"
#include "net/client.h"

/* True while commands must be fed (appendonly on, or a rewrite started by
 * turning it on). Written by persist/aof*.c only. */
extern bool aof_feeding;

/* Whether commands must be fed now. Checked before any propagation work,
 * so the hot path costs one branch when the AOF is off. */
static inline bool aof_wants_commands(void) {
    return aof_feeding;
}

/* Appends one command, executed against database dbid, to the AOF buffer
 * (written and fsynced per appendfsync before replies leave). The AOF adds
 * SELECT itself when dbid differs from the previous command's. MULTI/EXEC
 * around a unit arrive as ordinary commands. argv is only read. */
void aof_feed_command(int dbid, Obj *const *argv, int argc);

/* Registers the AOF options (persist/aof_config.c). */
void aof_register_config(void);
/* Start-up, with appendonly yes: loads the manifest's files (or upgrades
 * an old single appendonly.aof), then opens the incr file, creating a base
 * first when there is none. Exits 1 on damage. Returns true when the AOF
 * was on (the RDB file is then not loaded). */
bool aof_load_at_startup(void);
/* CONFIG SET appendonly yes / no. */
bool aof_start(char *err, size_t errlen);
void aof_stop(void);
/* Before-sleep: writes the buffer (fsync per appendfsync) before replies
 * are sent. */
void aof_before_sleep(void);
/* Cron: reaps the rewrite child, retries failed writes, everysec fsyncs,
 * scheduled and automatic rewrites. */
void aof_cron(void);
/* Shutdown: kills a rewrite child, writes and fsyncs the buffer. */
void aof_shutdown(void);
/* Whether the AOF is on (for SHUTDOWN's "save only with save points"). */
bool aof_enabled(void);
/* Whether an AOF rewrite child runs (BGSAVE refuses then). */
bool aof_rewrite_in_progress(void);
/* Whether a rewrite waits for a BGSAVE to end. */
bool aof_rewrite_is_scheduled(void);
/* Whether a reply must not leave before the AOF's before-sleep write even
 * when the client's writable handler fires in the same loop turn
 * (appendfsync always): write handlers should then be installed with the
 * barrier flag, as Valkey does. */
bool aof_needs_write_barrier(void);
/* The -MISCONF error while the AOF cannot be written, else NULL. */
const char *aof_write_refusal(void);
/* Bytes held by the AOF's write buffer (for INFO memory's mem_aof_buffer). */
size_t aof_buffer_memory(void);
/* INFO persistence's aof_* fields. */
sds aof_info_fields(sds out);
/* DEBUG LOADAOF: write the buffer, empty the databases, load the AOF
 * again. Returns false with the reason in err. */
bool aof_debug_loadaof(char *err, size_t errlen);

/* BGREWRITEAOF. */
void cmd_bgrewriteaof(Client *c);

#endif
