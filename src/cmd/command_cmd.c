/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/command_cmd.c: the COMMAND command and its subcommands COUNT, INFO,
 * LIST, GETKEYS, GETKEYSANDFLAGS and HELP (DOCS is cmd/command_docs.c).
 *
 * Replies are shaped exactly as Valkey's, element for element, because
 * client libraries parse them to route and validate commands: a COMMAND
 * INFO entry is always 10 elements, sets are RESP3 sets (arrays in RESP2),
 * and hidden flags (sentinel, protected, may_replicate...) stay hidden.
 * Entries come in table order; Valkey's order is its hash order, which
 * clients do not rely on.
 *
 * Reads the command table only; never the keyspace.
 *
 * Threads: main only.
 */
#include <string.h>
#include <strings.h>

#include "cmd/command.h"
#include "cmd/internal.h"
#include "cmd/keys.h"
#include "cmd/procs.h"
#include "ds/strmatch.h"
#include "net/reply.h"

/* Command flags COMMAND INFO shows, in Valkey's order. sentinel,
 * only_sentinel, protected, may_replicate and touches_arbitrary_keys are
 * internal and never shown. */
static const CmdFlagName command_flag_names[] = {
    {CMD_WRITE, "write"},
    {CMD_READONLY, "readonly"},
    {CMD_DENYOOM, "denyoom"},
    {CMD_MODULE, "module"},
    {CMD_ADMIN, "admin"},
    {CMD_PUBSUB, "pubsub"},
    {CMD_NOSCRIPT, "noscript"},
    {CMD_BLOCKING, "blocking"},
    {CMD_LOADING, "loading"},
    {CMD_STALE, "stale"},
    {CMD_SKIP_MONITOR, "skip_monitor"},
    {CMD_SKIP_SLOWLOG, "skip_slowlog"},
    {CMD_ASKING, "asking"},
    {CMD_FAST, "fast"},
    {CMD_NO_AUTH, "no_auth"},
    {CMD_NO_MANDATORY_KEYS, "no_mandatory_keys"},
    {CMD_NO_ASYNC_LOADING, "no_async_loading"},
    {CMD_NO_MULTI, "no_multi"},
    {CMD_MOVABLE_KEYS, "movablekeys"},
    {CMD_ALLOW_BUSY, "allow_busy"},
    {0, NULL},
};

static const CmdFlagName key_flag_names[] = {
    {CMD_KEY_RO, "RO"},
    {CMD_KEY_RW, "RW"},
    {CMD_KEY_OW, "OW"},
    {CMD_KEY_RM, "RM"},
    {CMD_KEY_ACCESS, "access"},
    {CMD_KEY_UPDATE, "update"},
    {CMD_KEY_INSERT, "insert"},
    {CMD_KEY_DELETE, "delete"},
    {CMD_KEY_NOT_KEY, "not_key"},
    {CMD_KEY_INCOMPLETE, "incomplete"},
    {CMD_KEY_VARIABLE_FLAGS, "variable_flags"},
    {0, NULL},
};

/* ACL categories, with the '@' COMMAND INFO shows; COMMAND LIST FILTERBY
 * ACLCAT matches the name after it. */
static const CmdFlagName acl_category_names[] = {
    {ACL_KEYSPACE, "@keyspace"},
    {ACL_READ, "@read"},
    {ACL_WRITE, "@write"},
    {ACL_SET, "@set"},
    {ACL_SORTEDSET, "@sortedset"},
    {ACL_LIST, "@list"},
    {ACL_HASH, "@hash"},
    {ACL_STRING, "@string"},
    {ACL_BITMAP, "@bitmap"},
    {ACL_HYPERLOGLOG, "@hyperloglog"},
    {ACL_GEO, "@geo"},
    {ACL_STREAM, "@stream"},
    {ACL_PUBSUB, "@pubsub"},
    {ACL_ADMIN, "@admin"},
    {ACL_FAST, "@fast"},
    {ACL_SLOW, "@slow"},
    {ACL_BLOCKING, "@blocking"},
    {ACL_DANGEROUS, "@dangerous"},
    {ACL_CONNECTION, "@connection"},
    {ACL_TRANSACTION, "@transaction"},
    {ACL_SCRIPTING, "@scripting"},
    {0, NULL},
};

void cmd_reply_flag_set(Client *c, uint64_t flags, const CmdFlagName *names) {
    long count = 0;
    for (const CmdFlagName *n = names; n->name; n++)
        if (flags & n->flag) count++;
    reply_set_len(c, count);
    for (const CmdFlagName *n = names; n->name; n++)
        if (flags & n->flag) reply_status(c, n->name);
}

/* ---- COMMAND INFO entries ---- */

static void reply_tips(Client *c, const Command *cmd) {
    long count = 0;
    while (cmd->tips && cmd->tips[count]) count++;
    reply_set_len(c, count);
    for (long i = 0; i < count; i++) reply_bulk_cstr(c, cmd->tips[i]);
}

static void reply_begin_search(Client *c, const KeySpec *spec) {
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "type");
    if (spec->begin_search == KSPEC_BS_INDEX) {
        reply_bulk_cstr(c, "index");
        reply_bulk_cstr(c, "spec");
        reply_map_len(c, 1);
        reply_bulk_cstr(c, "index");
        reply_ll(c, spec->bs.index.pos);
    } else if (spec->begin_search == KSPEC_BS_KEYWORD) {
        reply_bulk_cstr(c, "keyword");
        reply_bulk_cstr(c, "spec");
        reply_map_len(c, 2);
        reply_bulk_cstr(c, "keyword");
        reply_bulk_cstr(c, spec->bs.keyword.keyword);
        reply_bulk_cstr(c, "startfrom");
        reply_ll(c, spec->bs.keyword.startfrom);
    } else {
        reply_bulk_cstr(c, "unknown");
        reply_bulk_cstr(c, "spec");
        reply_map_len(c, 0);
    }
}

static void reply_find_keys(Client *c, const KeySpec *spec) {
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "type");
    if (spec->find_keys == KSPEC_FK_RANGE) {
        reply_bulk_cstr(c, "range");
        reply_bulk_cstr(c, "spec");
        reply_map_len(c, 3);
        reply_bulk_cstr(c, "lastkey");
        reply_ll(c, spec->fk.range.lastkey);
        reply_bulk_cstr(c, "keystep");
        reply_ll(c, spec->fk.range.keystep);
        reply_bulk_cstr(c, "limit");
        reply_ll(c, spec->fk.range.limit);
    } else if (spec->find_keys == KSPEC_FK_KEYNUM) {
        reply_bulk_cstr(c, "keynum");
        reply_bulk_cstr(c, "spec");
        reply_map_len(c, 3);
        reply_bulk_cstr(c, "keynumidx");
        reply_ll(c, spec->fk.keynum.keynumidx);
        reply_bulk_cstr(c, "firstkey");
        reply_ll(c, spec->fk.keynum.firstkey);
        reply_bulk_cstr(c, "keystep");
        reply_ll(c, spec->fk.keynum.keystep);
    } else {
        reply_bulk_cstr(c, "unknown");
        reply_bulk_cstr(c, "spec");
        reply_map_len(c, 0);
    }
}

static void reply_key_specs(Client *c, const Command *cmd) {
    long count = 0;
    while (cmd->key_specs && cmd->key_specs[count].begin_search != KSPEC_BS_INVALID) count++;
    reply_set_len(c, count);
    for (long i = 0; i < count; i++) {
        const KeySpec *spec = &cmd->key_specs[i];
        reply_map_len(c, spec->notes ? 4 : 3);
        if (spec->notes) {
            reply_bulk_cstr(c, "notes");
            reply_bulk_cstr(c, spec->notes);
        }
        reply_bulk_cstr(c, "flags");
        cmd_reply_flag_set(c, spec->flags, key_flag_names);
        reply_bulk_cstr(c, "begin_search");
        reply_begin_search(c, spec);
        reply_bulk_cstr(c, "find_keys");
        reply_find_keys(c, spec);
    }
}

/* One COMMAND INFO entry (10 elements), or a null for an unknown name. */
static void reply_command_info(Client *c, const Command *cmd) {
    if (cmd == NULL) {
        reply_null(c);
        return;
    }
    reply_array_len(c, 10);
    reply_bulk_cstr(c, cmd_full_name(cmd));
    reply_ll(c, cmd->arity);
    cmd_reply_flag_set(c, cmd->flags, command_flag_names);
    reply_ll(c, cmd->first_key);
    reply_ll(c, cmd->last_key);
    reply_ll(c, cmd->key_step);
    cmd_reply_flag_set(c, cmd->acl, acl_category_names);
    reply_tips(c, cmd);
    reply_key_specs(c, cmd);
    if (cmd->subcommands == NULL) {
        reply_set_len(c, 0); /* Valkey: an empty set, but an array when present */
        return;
    }
    long count = 0;
    while (cmd->subcommands[count].name) count++;
    reply_array_len(c, count);
    for (long i = 0; i < count; i++) reply_command_info(c, &cmd->subcommands[i]);
}

static void reply_top_level_info(const Command *cmd, void *ctx) {
    if (cmd->parent == NULL) reply_command_info(ctx, cmd);
}

/* COMMAND */
void cmd_command(Client *c) {
    reply_array_len(c, cmd_count());
    cmd_for_each(reply_top_level_info, c);
}

/* COMMAND COUNT */
void cmd_command_count(Client *c) {
    reply_ll(c, cmd_count());
}

/* COMMAND INFO [name ...]: "name" or "container|sub", case-insensitive. */
void cmd_command_info(Client *c) {
    if (c->argc == 2) {
        cmd_command(c);
        return;
    }
    reply_array_len(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) reply_command_info(c, cmd_lookup_full_name(c->argv[i]->ptr));
}

/* ---- COMMAND LIST ---- */

typedef enum ListFilterType {
    LIST_FILTER_NONE,
    LIST_FILTER_MODULE,
    LIST_FILTER_ACLCAT,
    LIST_FILTER_PATTERN,
} ListFilterType;

typedef struct ListFilter {
    Client *client;
    ListFilterType type;
    const Obj *arg;
    uint64_t acl_category; /* LIST_FILTER_ACLCAT: 0 when the name is unknown */
    long count;
} ListFilter;

static uint64_t acl_category_find(const char *name) {
    for (const CmdFlagName *n = acl_category_names; n->name; n++)
        if (strcasecmp(n->name + 1, name) == 0) return n->flag;
    return 0;
}

static int list_filter_matches(const ListFilter *filter, const Command *cmd) {
    switch (filter->type) {
    case LIST_FILTER_NONE:
        return 1;
    case LIST_FILTER_MODULE:
        return 0; /* modules register no commands yet, so none belongs to one */
    case LIST_FILTER_ACLCAT:
        return (cmd->acl & filter->acl_category) != 0;
    case LIST_FILTER_PATTERN: {
        const char *name = cmd_full_name(cmd);
        return strmatch_len(filter->arg->ptr, obj_string_len(filter->arg), name, strlen(name), 1);
    }
    }
    return 0;
}

static void list_one(const Command *cmd, void *ctx) {
    ListFilter *filter = ctx;
    if (!list_filter_matches(filter, cmd)) return;
    reply_bulk_cstr(filter->client, cmd_full_name(cmd));
    filter->count++;
}

/* COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
void cmd_command_list(Client *c) {
    ListFilter filter = {.client = c, .type = LIST_FILTER_NONE};
    for (int i = 2; i < c->argc; i++) {
        int more = c->argc - 1 - i;
        if (strcasecmp(c->argv[i]->ptr, "filterby") != 0 || more != 2) {
            reply_error_syntax(c);
            return;
        }
        const char *type = c->argv[i + 1]->ptr;
        if (strcasecmp(type, "module") == 0) {
            filter.type = LIST_FILTER_MODULE;
        } else if (strcasecmp(type, "aclcat") == 0) {
            filter.type = LIST_FILTER_ACLCAT;
            filter.acl_category = acl_category_find(c->argv[i + 2]->ptr);
        } else if (strcasecmp(type, "pattern") == 0) {
            filter.type = LIST_FILTER_PATTERN;
        } else {
            reply_error_syntax(c);
            return;
        }
        filter.arg = c->argv[i + 2];
        i += 2;
    }
    void *len = reply_defer_len(c);
    cmd_for_each(list_one, &filter);
    reply_set_defer_array_len(c, len, filter.count);
}

/* ---- COMMAND GETKEYS / GETKEYSANDFLAGS ---- */

/* The command argv names, as the dispatcher would resolve it: a container
 * alone is itself (and has no keys); with a second argument, its
 * subcommand or nothing. */
static const Command *lookup_target(Obj **argv, int argc) {
    const Command *base = cmd_lookup_name(argv[0]->ptr, obj_string_len(argv[0]));
    if (base == NULL || argc == 1 || base->subcommands == NULL) return base;
    size_t len = obj_string_len(argv[1]);
    for (const Command *sub = base->subcommands; sub->name; sub++)
        if (strlen(sub->name) == len && strncasecmp(sub->name, argv[1]->ptr, len) == 0) return sub;
    return NULL;
}

static int arity_fits(const Command *cmd, int argc) {
    return cmd->arity > 0 ? argc == cmd->arity : argc >= -cmd->arity;
}

static void getkeys(Client *c, int with_flags) {
    Obj **argv = c->argv + 2;
    int argc = c->argc - 2;
    const Command *cmd = lookup_target(argv, argc);
    if (cmd == NULL) {
        reply_error(c, "Invalid command specified");
        return;
    }
    if (!cmd_keys_has_keys(cmd)) {
        reply_error(c, "The command has no key arguments");
        return;
    }
    if (!arity_fits(cmd, argc)) {
        reply_error(c, "Invalid number of arguments specified for command");
        return;
    }
    KeyRefs refs;
    cmd_keys_init(&refs);
    if (cmd_keys_get(cmd, argv, argc, &refs) == 0) {
        if (cmd->flags & CMD_NO_MANDATORY_KEYS)
            reply_array_len(c, 0);
        else
            reply_error(c, "Invalid arguments specified for command");
        cmd_keys_deinit(&refs);
        return;
    }
    reply_array_len(c, refs.count);
    for (int i = 0; i < refs.count; i++) {
        if (with_flags) reply_array_len(c, 2);
        reply_bulk_obj(c, argv[refs.keys[i].pos]);
        if (with_flags) cmd_reply_flag_set(c, refs.keys[i].flags, key_flag_names);
    }
    cmd_keys_deinit(&refs);
}

/* COMMAND GETKEYS command [arg ...] */
void cmd_command_getkeys(Client *c) {
    getkeys(c, 0);
}

/* COMMAND GETKEYSANDFLAGS command [arg ...] */
void cmd_command_getkeysandflags(Client *c) {
    getkeys(c, 1);
}

/* COMMAND HELP */
void cmd_command_help(Client *c) {
    static const char *const lines[] = {
        "(no subcommand)",
        "    Return details about all commands.",
        "COUNT",
        "    Return the total number of commands in this server.",
        "LIST",
        "    Return a list of all commands in this server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full command.",
        NULL,
    };
    reply_help(c, lines);
}
