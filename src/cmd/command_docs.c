/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/command_docs.c: COMMAND DOCS, the documentation map of each command
 * (summary, since, group, complexity, doc flags, history, arguments and
 * subcommands).
 *
 * The shape is Valkey's, field for field and in its order: keys are left out
 * when the record has no value for them (group is always there), and every
 * argument but a oneof/block carries display_text, its name when the record
 * gives none. valkey-cli and redis-cli build their hints from this reply.
 * The docs themselves live with the records (cmd/table.c, cmd/docs_*.c).
 *
 * Threads: main only.
 */
#include <string.h>

#include "cmd/command.h"
#include "cmd/internal.h"
#include "cmd/procs.h"
#include "net/reply.h"

static const CmdFlagName arg_flag_names[] = {
    {CMD_ARG_OPTIONAL, "optional"},
    {CMD_ARG_MULTIPLE, "multiple"},
    {CMD_ARG_MULTIPLE_TOKEN, "multiple_token"},
    {0, NULL},
};

static const CmdFlagName doc_flag_names[] = {
    {CMD_DOC_DEPRECATED, "deprecated"},
    {CMD_DOC_SYSCMD, "syscmd"},
    {0, NULL},
};

static int arg_is_container(const CommandArg *arg) {
    return strcmp(arg->type, "oneof") == 0 || strcmp(arg->type, "block") == 0;
}

/* Adds "key" => text to a map whose length is already counted. */
static void reply_field(Client *c, const char *key, const char *text) {
    reply_bulk_cstr(c, key);
    reply_bulk_cstr(c, text);
}

static void reply_args(Client *c, const CommandArg *args) {
    long count = 0;
    while (args[count].name) count++;
    reply_array_len(c, count);
    for (long i = 0; i < count; i++) {
        const CommandArg *arg = &args[i];
        int container = arg_is_container(arg);
        int is_key = strcmp(arg->type, "key") == 0;
        long fields = 2 + !container /* display_text */ + is_key + (arg->token != NULL) +
                      (arg->summary != NULL) + (arg->since != NULL) +
                      (arg->deprecated_since != NULL) + (arg->flags != 0) + container;
        reply_map_len(c, fields);
        reply_field(c, "name", arg->name);
        reply_field(c, "type", arg->type);
        if (!container)
            reply_field(c, "display_text", arg->display_text ? arg->display_text : arg->name);
        if (is_key) {
            reply_bulk_cstr(c, "key_spec_index");
            reply_ll(c, arg->key_spec_index);
        }
        if (arg->token) reply_field(c, "token", arg->token);
        if (arg->summary) reply_field(c, "summary", arg->summary);
        if (arg->since) reply_field(c, "since", arg->since);
        if (arg->deprecated_since) reply_field(c, "deprecated_since", arg->deprecated_since);
        if (arg->flags) {
            reply_bulk_cstr(c, "flags");
            cmd_reply_flag_set(c, arg->flags, arg_flag_names);
        }
        if (container) {
            reply_bulk_cstr(c, "arguments");
            reply_args(c, arg->subargs);
        }
    }
}

static void reply_history(Client *c, const CommandHistory *history) {
    long count = 0;
    while (history[count].since) count++;
    reply_set_len(c, count);
    for (long i = 0; i < count; i++) {
        reply_array_len(c, 2);
        reply_bulk_cstr(c, history[i].since);
        reply_bulk_cstr(c, history[i].changes);
    }
}

static void reply_docs(Client *c, const Command *cmd);

static void reply_subcommand_docs(Client *c, const Command *cmd) {
    long count = 0;
    while (cmd->subcommands[count].name) count++;
    reply_map_len(c, count);
    for (long i = 0; i < count; i++) {
        reply_bulk_cstr(c, cmd_full_name(&cmd->subcommands[i]));
        reply_docs(c, &cmd->subcommands[i]);
    }
}

/* The documentation map of one command. */
static void reply_docs(Client *c, const Command *cmd) {
    long fields = 1 /* group */ + (cmd->summary != NULL) + (cmd->since != NULL) +
                  (cmd->complexity != NULL) + (cmd->doc_flags != 0) +
                  (cmd->deprecated_since != NULL) + (cmd->replaced_by != NULL) +
                  (cmd->history != NULL) + (cmd->args != NULL) + (cmd->subcommands != NULL);
    reply_map_len(c, fields);
    if (cmd->summary) reply_field(c, "summary", cmd->summary);
    if (cmd->since) reply_field(c, "since", cmd->since);
    reply_field(c, "group", cmd->group);
    if (cmd->complexity) reply_field(c, "complexity", cmd->complexity);
    if (cmd->doc_flags) {
        reply_bulk_cstr(c, "doc_flags");
        cmd_reply_flag_set(c, cmd->doc_flags, doc_flag_names);
    }
    if (cmd->deprecated_since) reply_field(c, "deprecated_since", cmd->deprecated_since);
    if (cmd->replaced_by) reply_field(c, "replaced_by", cmd->replaced_by);
    if (cmd->history) {
        reply_bulk_cstr(c, "history");
        reply_history(c, cmd->history);
    }
    if (cmd->args) {
        reply_bulk_cstr(c, "arguments");
        reply_args(c, cmd->args);
    }
    if (cmd->subcommands) {
        reply_bulk_cstr(c, "subcommands");
        reply_subcommand_docs(c, cmd);
    }
}

static void reply_top_level_docs(const Command *cmd, void *ctx) {
    if (cmd->parent != NULL) return;
    reply_bulk_cstr(ctx, cmd_full_name(cmd));
    reply_docs(ctx, cmd);
}

/* COMMAND DOCS [name ...]: a map of full name to docs; unknown names are
 * left out of the map (not nulls, unlike COMMAND INFO). */
void cmd_command_docs(Client *c) {
    if (c->argc == 2) {
        reply_map_len(c, cmd_count());
        cmd_for_each(reply_top_level_docs, c);
        return;
    }
    void *len = reply_defer_len(c);
    long found = 0;
    for (int i = 2; i < c->argc; i++) {
        const Command *cmd = cmd_lookup_full_name(c->argv[i]->ptr);
        if (cmd == NULL) continue;
        reply_bulk_cstr(c, cmd_full_name(cmd));
        reply_docs(c, cmd);
        found++;
    }
    reply_set_defer_map_len(c, len, found);
}
