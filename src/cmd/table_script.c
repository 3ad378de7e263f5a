/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_script.c: the scripting command records (see cmd/groups.h):
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL, FCALL_RO, SCRIPT and FUNCTION
 * with their subcommands, implemented in script/. Flags, ACL categories
 * and key specs are redis-server 7.0's. SCRIPT DEBUG is not registered
 * (keel has no Lua debugger).
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_script.h"
#include "cmd/groups.h"
#include "script/script.h"

#define RUN_FLAGS (CMD_NOSCRIPT | CMD_STALE | CMD_SKIP_MONITOR | CMD_NO_MANDATORY_KEYS)
#define RUN_ACL (ACL_SLOW | ACL_SCRIPTING)

static const char rw_note[] =
    "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE";
static const char ro_note[] =
    "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS";

/* numkeys at argv[2], keys after it. */
static const KeySpec run_rw_noted_spec[] = {
    {.notes = rw_note, .flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE,
     .begin_search = KSPEC_BS_INDEX, .bs.index = {2}, .find_keys = KSPEC_FK_KEYNUM,
     .fk.keynum = {0, 1, 1}},
    {0},
};
static const KeySpec run_rw_spec[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_INDEX,
     .bs.index = {2}, .find_keys = KSPEC_FK_KEYNUM, .fk.keynum = {0, 1, 1}},
    {0},
};
static const KeySpec run_ro_noted_spec[] = {
    {.notes = ro_note, .flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX,
     .bs.index = {2}, .find_keys = KSPEC_FK_KEYNUM, .fk.keynum = {0, 1, 1}},
    {0},
};
static const KeySpec run_ro_spec[] = {
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {2},
     .find_keys = KSPEC_FK_KEYNUM, .fk.keynum = {0, 1, 1}},
    {0},
};

static const char *const tips_all_nodes[] = {"request_policy:all_nodes",
                                             "response_policy:all_succeeded", NULL};
static const char *const tips_all_shards[] = {"request_policy:all_shards",
                                              "response_policy:all_succeeded", NULL};
static const char *const tips_exists[] = {"request_policy:all_shards",
                                          "response_policy:agg_logical_and", NULL};
static const char *const tips_kill[] = {"request_policy:all_shards",
                                        "response_policy:one_succeeded", NULL};
static const char *const tips_stats[] = {"nondeterministic_output", "request_policy:all_shards",
                                         "response_policy:special", NULL};

static Command script_subcommands[] = {
    {.name = "help", .proc = cmd_script_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = RUN_ACL, .since = "5.0.0", .group = "scripting",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = "flush", .proc = cmd_script_flush, .arity = -2, .flags = CMD_NOSCRIPT,
     .acl = RUN_ACL, .since = "2.6.0", .group = "scripting",
     .summary = "Remove all the scripts from the script cache.",
     .complexity = "O(N) with N being the number of scripts in cache",
     .args = cmd_docs_script_flush_args, .history = cmd_docs_script_flush_history,
     .tips = tips_all_nodes},
    {.name = "exists", .proc = cmd_script_exists, .arity = -3, .flags = CMD_NOSCRIPT,
     .acl = RUN_ACL, .since = "2.6.0", .group = "scripting",
     .summary = "Check existence of scripts in the script cache.",
     .complexity = "O(N) with N being the number of scripts to check (so checking a single "
                   "script is an O(1) operation).",
     .args = cmd_docs_script_exists_args, .tips = tips_exists},
    {.name = "load", .proc = cmd_script_load, .arity = 3, .flags = CMD_NOSCRIPT | CMD_STALE,
     .acl = RUN_ACL, .since = "2.6.0", .group = "scripting",
     .summary = "Load the specified Lua script into the script cache.",
     .complexity = "O(N) with N being the length in bytes of the script body.",
     .args = cmd_docs_script_load_args, .tips = tips_all_nodes},
    {.name = "kill", .proc = cmd_script_kill, .arity = 2, .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY,
     .acl = RUN_ACL, .since = "2.6.0", .group = "scripting",
     .summary = "Kill the script currently in execution.", .complexity = "O(1)",
     .tips = tips_kill},
    {0},
};

static Command function_subcommands[] = {
    {.name = "stats", .proc = cmd_function_stats, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY, .acl = RUN_ACL, .since = "7.0.0",
     .group = "scripting",
     .summary = "Return information about the function currently running (name, description, "
                "duration)",
     .complexity = "O(1)", .tips = tips_stats},
    {.name = "load", .proc = cmd_function_load, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_NOSCRIPT, .acl = ACL_WRITE | RUN_ACL,
     .since = "7.0.0", .group = "scripting",
     .summary = "Create a function with the given arguments (name, code, description)",
     .complexity = "O(1) (considering compilation time is redundant)",
     .args = cmd_docs_function_load_args, .tips = tips_all_shards},
    {.name = "flush", .proc = cmd_function_flush, .arity = -2, .flags = CMD_WRITE | CMD_NOSCRIPT,
     .acl = ACL_WRITE | RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "Deleting all functions",
     .complexity = "O(N) where N is the number of functions deleted",
     .args = cmd_docs_function_flush_args, .tips = tips_all_shards},
    {.name = "list", .proc = cmd_function_list, .arity = -2, .flags = CMD_NOSCRIPT,
     .acl = RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "List information about all the functions",
     .complexity = "O(N) where N is the number of functions",
     .args = cmd_docs_function_list_args, .tips = cmd_tips_nondeterministic_output_order},
    {.name = "help", .proc = cmd_function_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = "delete", .proc = cmd_function_delete, .arity = 3, .flags = CMD_WRITE | CMD_NOSCRIPT,
     .acl = ACL_WRITE | RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "Delete a function by name", .complexity = "O(1)",
     .args = cmd_docs_function_delete_args, .tips = tips_all_shards},
    {.name = "restore", .proc = cmd_function_restore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_NOSCRIPT, .acl = ACL_WRITE | RUN_ACL,
     .since = "7.0.0", .group = "scripting",
     .summary = "Restore all the functions on the given payload",
     .complexity = "O(N) where N is the number of functions on the payload",
     .args = cmd_docs_function_restore_args, .tips = tips_all_shards},
    {.name = "dump", .proc = cmd_function_dump, .arity = 2, .flags = CMD_NOSCRIPT,
     .acl = RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "Dump all functions into a serialized binary payload",
     .complexity = "O(N) where N is the number of functions"},
    {.name = "kill", .proc = cmd_function_kill, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY, .acl = RUN_ACL, .since = "7.0.0",
     .group = "scripting", .summary = "Kill the function currently in execution.",
     .complexity = "O(1)", .tips = tips_kill},
    {0},
};

Command script_commands[] = {
    {.name = "eval", .proc = cmd_eval, .arity = -3, .flags = RUN_FLAGS, .acl = RUN_ACL,
     .since = "2.6.0", .group = "scripting", .summary = "Execute a Lua script server side",
     .complexity = "Depends on the script that is executed.", .args = cmd_docs_eval_args,
     .key_specs = run_rw_noted_spec},
    {.name = "evalsha", .proc = cmd_evalsha, .arity = -3, .flags = RUN_FLAGS, .acl = RUN_ACL,
     .since = "2.6.0", .group = "scripting", .summary = "Execute a Lua script server side",
     .complexity = "Depends on the script that is executed.", .args = cmd_docs_evalsha_args,
     .key_specs = run_rw_spec},
    {.name = "eval_ro", .proc = cmd_eval_ro, .arity = -3, .flags = RUN_FLAGS | CMD_READONLY,
     .acl = RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "Execute a read-only Lua script server side",
     .complexity = "Depends on the script that is executed.", .args = cmd_docs_eval_args,
     .key_specs = run_ro_noted_spec},
    {.name = "evalsha_ro", .proc = cmd_evalsha_ro, .arity = -3,
     .flags = RUN_FLAGS | CMD_READONLY, .acl = RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "Execute a read-only Lua script server side",
     .complexity = "Depends on the script that is executed.", .args = cmd_docs_evalsha_args,
     .key_specs = run_ro_spec},
    {.name = "fcall", .proc = cmd_fcall, .arity = -3, .flags = RUN_FLAGS, .acl = RUN_ACL,
     .since = "7.0.0", .group = "scripting", .summary = "Invoke a function",
     .complexity = "Depends on the function that is executed.", .args = cmd_docs_fcall_args,
     .key_specs = run_rw_noted_spec},
    {.name = "fcall_ro", .proc = cmd_fcall_ro, .arity = -3, .flags = RUN_FLAGS | CMD_READONLY,
     .acl = RUN_ACL, .since = "7.0.0", .group = "scripting",
     .summary = "Invoke a read-only function",
     .complexity = "Depends on the function that is executed.", .args = cmd_docs_fcall_args,
     .key_specs = run_ro_noted_spec},
    {.name = "script", .arity = -2, .acl = ACL_SLOW, .since = "2.6.0", .group = "scripting",
     .summary = "A container for Lua scripts management commands",
     .complexity = "Depends on subcommand.", .subcommands = script_subcommands},
    {.name = "function", .arity = -2, .acl = ACL_SLOW, .since = "7.0.0", .group = "scripting",
     .summary = "A container for function commands", .complexity = "Depends on subcommand.",
     .subcommands = function_subcommands},
    {0},
};
