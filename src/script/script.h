/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/script.h: the engine-independent part of scripting: the script
 * client, the checks a script's commands go through, shebang flags, and the
 * commands' entry points (for the command table).
 *
 * Threads: main only.
 */
#ifndef KEEL_SCRIPT_SCRIPT_H
#define KEEL_SCRIPT_SCRIPT_H

#include "script/script_engine.h"

/* Creates the script client. Call once at startup, after the command table. */
void script_init(void);

/* Shows c's EVAL/EVALSHA/FCALL line to MONITOR clients before it runs. */
void script_feed_monitors(Client *c);

/* Prepares run for caller (script client reset to the caller's database and
 * RESP 2) and makes it the current run. Returns 0, or -1 after replying the
 * error that refuses the run (write flag with *_RO, OOM). */
int script_run_begin(ScriptRun *run, Client *caller, const char *name, unsigned flags,
                     bool ro_command);
void script_run_end(ScriptRun *run);
/* The run in progress, or NULL. */
ScriptRun *script_current_run(void);

/* ---- long runs (script/script_busy.c) ---- */
extern long long cfg_busy_reply_threshold; /* busy-reply-threshold, ms */
/* Registers busy-reply-threshold (alias lua-time-limit). */
void script_register_config(void);
/* The run that passed the threshold, or NULL (script_busy.c owns it). */
extern ScriptRun *script_timed_out_run;
/* Whether a run passed the threshold: other clients' commands then get
 * script_busy_error() unless they are allow-busy. Inline: the command
 * dispatcher asks before every command. */
static inline bool script_is_busy(void) {
    return script_timed_out_run != NULL;
}
/* The -BUSY text for the run in progress (SCRIPT KILL or FUNCTION KILL). */
const char *script_busy_error(void);
/* Called by an engine every so many steps of a run: past the threshold it
 * serves other clients once. Returns true when the run must stop now
 * (killed); the engine then raises SCRIPT_KILLED_ERROR. */
bool script_run_check(ScriptRun *run);
/* The error a killed run ends with. */
#define SCRIPT_KILLED_ERROR "-ERR Script killed by user with SCRIPT KILL..."
/* The end of a run (script_run_end): it is no longer busy. */
void script_busy_run_ended(ScriptRun *run);
/* SCRIPT KILL (function_kill false) / FUNCTION KILL: replies. */
void script_kill(Client *c, bool function_kill);

/* Runs argv on the script client with the checks a script gets. Returns 0
 * with the reply in the script client's buffers (script_client_take_reply),
 * or -1 with *err set ("-CODE text" or plain text meaning ERR). */
int script_call(ScriptRun *run, Obj **argv, int argc, sds *err);
/* Moves the script client's reply bytes into one sds and empties it. */
sds script_client_take_reply(Client *sc);

/* Parses a "#!<engine> ..." first line: *skip gets its length (0 when the
 * body has none), *flags the flags. For a library, "name=<lib>" is
 * accepted (libraries) and stored into *name. Returns 0, or -1 with *err. */
int script_parse_shebang(const char *body, size_t len, bool library, size_t *skip,
                         unsigned *flags, sds *name, sds *err);
/* Parses one flag word ("no-writes"); returns its SCRIPT_FLAG_* or 0. */
unsigned script_flag_by_name(const char *name, size_t len);
/* Fills names (room for 8) with the names of flags, in Valkey's order;
 * returns how many. */
int script_flag_names(unsigned flags, const char **names);

/* Reads EVAL/FCALL's numkeys (argv[2]); -1 after replying the error. */
int script_parse_numkeys(Client *c, long long *numkeys);
/* Checks FLUSH's optional ASYNC|SYNC (argv[2]); 0, or -1 when bad. */
int script_parse_flush_mode(Client *c);

/* Commands. */
void cmd_eval(Client *c);
void cmd_evalsha(Client *c);
void cmd_eval_ro(Client *c);
void cmd_evalsha_ro(Client *c);
void cmd_script_load(Client *c);
void cmd_script_exists(Client *c);
void cmd_script_flush(Client *c);
void cmd_script_kill(Client *c);
void cmd_script_help(Client *c);
void cmd_function_load(Client *c);
void cmd_function_delete(Client *c);
void cmd_function_flush(Client *c);
void cmd_function_list(Client *c);
void cmd_function_stats(Client *c);
void cmd_function_kill(Client *c);
void cmd_function_help(Client *c);
void cmd_function_dump(Client *c);
void cmd_function_restore(Client *c);
void cmd_fcall(Client *c);
void cmd_fcall_ro(Client *c);

#endif
