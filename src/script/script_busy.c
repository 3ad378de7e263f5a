/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/script_busy.c: scripts that run long.
 *
 * A run that passes busy-reply-threshold (old name lua-time-limit) is timed
 * out: from then on the engine's periodic check keeps the server answering
 * between script steps. Other clients get -BUSY for everything but the
 * allow-busy commands; SCRIPT KILL or FUNCTION KILL stop a run that has not
 * written, and SHUTDOWN NOSAVE ends the process. The caller's own input
 * waits until its script ends.
 *
 * Threads: main only.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "keel/config.h"
#include "net/reply.h"
#include "script/script.h"
#include "server/config.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/server.h"

long long cfg_busy_reply_threshold; /* ms; 0 = never time out */

ScriptRun *script_timed_out_run; /* the run past the threshold, or NULL */

static const char busy_eval_error[] =
    "-BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
static const char busy_function_error[] =
    "-BUSY Valkey is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

void script_register_config(void) {
    static const KeelConfigOption option = {
        .size = sizeof(KeelConfigOption), .name = "busy-reply-threshold",
        .alias = "lua-time-limit", .type = KEEL_CFG_NUMBER, .default_value = "5000",
        .min = 0, .max = LLONG_MAX, .storage = &cfg_busy_reply_threshold};
    config_register_core(&option);
}

const char *script_busy_error(void) {
    const ScriptRun *run = script_timed_out_run;
    return run && run->is_function ? busy_function_error : busy_eval_error;
}

bool script_run_check(ScriptRun *run) {
    if (script_timed_out_run != run) {
        uint64_t elapsed_ms = (ev_monotonic_us() - run->start_us) / 1000;
        if (cfg_busy_reply_threshold <= 0 || elapsed_ms < (uint64_t)cfg_busy_reply_threshold)
            return false;
        script_timed_out_run = run;
        log_msg(LL_WARNING,
                "Slow script detected: still in execution after %llu milliseconds. You can try "
                "killing the script using the %s command. Script name is: %s.",
                (unsigned long long)elapsed_ms, run->is_function ? "FUNCTION KILL" : "SCRIPT KILL",
                run->name);
    }
    server_process_events_while_busy();
    return run->killed;
}

void script_busy_run_ended(ScriptRun *run) {
    if (script_timed_out_run != run) return;
    script_timed_out_run = NULL;
    log_msg(LL_WARNING, "Slow script finished (%s), after %llu milliseconds.", run->name,
            (unsigned long long)((ev_monotonic_us() - run->start_us) / 1000));
}

void script_kill(Client *c, bool function_kill) {
    ScriptRun *run = script_current_run();
    if (run == NULL || script_timed_out_run == NULL) {
        reply_error(c, "-NOTBUSY No scripts in execution right now.");
        return;
    }
    if (run->wrote) {
        reply_error(c, "-UNKILLABLE Sorry the script already executed write commands against the "
                       "dataset. You can either wait the script termination or kill the server "
                       "in a hard way using the SHUTDOWN NOSAVE command.");
        return;
    }
    /* SCRIPT KILL does not stop a function, nor FUNCTION KILL a script. */
    if (run->is_function != function_kill) {
        reply_error(c, script_busy_error());
        return;
    }
    run->killed = true;
    reply_ok(c);
}
