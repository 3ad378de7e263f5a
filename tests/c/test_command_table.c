/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_command_table.c: the command table (cmd/table.c) is complete
 * and consistent (docs, arity, names, ACL categories, argument docs), lookup
 * is case-insensitive, and key extraction (cmd/keys.c) follows Valkey's key
 * spec rules on synthetic commands: ranges, steps, limits, keywords in both
 * directions, keynum counts, invalid and incomplete specs, getkeys_proc
 * fallback and the legacy first/last/step derivation.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/keys.h"
#include "db/object.h"
#include "test.h"

static void table_ready(void) {
    static int done;
    if (!done) cmd_table_init();
    done = 1;
}

/* ---- table-wide checks, one walk per property ---- */

typedef struct Walk {
    int count;
    int top_level;
    const Command *bad; /* first command that failed the property */
    const char *why;
} Walk;

static void walk_fail(Walk *w, const Command *cmd, const char *why) {
    if (w->bad == NULL) {
        w->bad = cmd;
        w->why = why;
    }
}

static void walk_check(const Walk *w) {
    if (w->bad)
        test_fail(__FILE__, __LINE__, "%s: %s", cmd_full_name(w->bad), w->why);
}

static int is_version(const char *v) {
    int dots = 0;
    if (v == NULL || *v < '0' || *v > '9') return 0;
    for (; *v; v++) {
        if (*v == '.')
            dots++;
        else if (*v < '0' || *v > '9')
            return 0;
    }
    return dots == 2;
}

static const char *const groups[] = {
    "generic", "string",     "list",    "set",         "sorted-set", "hash",
    "pubsub",  "transactions", "connection", "server",  "scripting",  "hyperloglog",
    "cluster", "sentinel",   "geo",     "stream",      "bitmap",     "module",
    NULL,
};

static int known_group(const char *group) {
    for (int i = 0; group && groups[i]; i++)
        if (strcmp(groups[i], group) == 0) return 1;
    return 0;
}

static void check_docs(const Command *cmd, void *ctx) {
    Walk *w = ctx;
    w->count++;
    if (cmd->parent == NULL) w->top_level++;
    if (!is_version(cmd->since)) walk_fail(w, cmd, "since is not x.y.z");
    if (!known_group(cmd->group)) walk_fail(w, cmd, "unknown group");
    if (cmd->summary == NULL || cmd->summary[0] == '\0') walk_fail(w, cmd, "no summary");
    /* MONITOR is the one command Valkey documents without a complexity. */
    bool complexity_optional = strcmp(cmd_full_name(cmd), "monitor") == 0;
    if (!complexity_optional && (cmd->complexity == NULL || cmd->complexity[0] == '\0'))
        walk_fail(w, cmd, "no complexity");
    if (cmd->parent && strcmp(cmd->group, cmd->parent->group) != 0)
        walk_fail(w, cmd, "subcommand group differs from its container's");
    for (const CommandHistory *h = cmd->history; h && h->since; h++)
        if (!is_version(h->since) || h->changes == NULL) walk_fail(w, cmd, "bad history entry");
    if ((cmd->doc_flags & CMD_DOC_DEPRECATED) && cmd->deprecated_since == NULL)
        walk_fail(w, cmd, "deprecated without deprecated_since");
}

TEST(every_command_has_since_group_summary_and_complexity) {
    table_ready();
    Walk w = {0};
    cmd_for_each(check_docs, &w);
    walk_check(&w);
    CHECK(w.count > 30);
    CHECK_EQ_INT(w.top_level, cmd_count());
}

static void check_arity(const Command *cmd, void *ctx) {
    Walk *w = ctx;
    if (cmd->arity == 0) walk_fail(w, cmd, "arity 0");
    if (cmd->parent && cmd->arity > 0 && cmd->arity < 2) walk_fail(w, cmd, "subcommand arity < 2");
    if (cmd->parent && cmd->arity < 0 && cmd->arity > -2)
        walk_fail(w, cmd, "subcommand arity > -2");
    if (cmd->proc == NULL && cmd->subcommands == NULL) walk_fail(w, cmd, "no proc, no subcommands");
    if (cmd->subcommands && cmd->arity != -2 && cmd->proc == NULL)
        walk_fail(w, cmd, "container arity is not -2");
    if (cmd->parent && cmd->subcommands) walk_fail(w, cmd, "nested subcommands");
}

TEST(arity_is_sane_and_containers_have_subcommands) {
    table_ready();
    Walk w = {0};
    cmd_for_each(check_arity, &w);
    walk_check(&w);
}

static void check_names(const Command *cmd, void *ctx) {
    Walk *w = ctx;
    for (const char *p = cmd->name; *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || *p == '|' || *p == ' ') walk_fail(w, cmd, "bad name char");
    char expected[128];
    if (cmd->parent)
        snprintf(expected, sizeof(expected), "%s|%s", cmd->parent->name, cmd->name);
    else
        snprintf(expected, sizeof(expected), "%s", cmd->name);
    if (strcmp(cmd_full_name(cmd), expected) != 0) walk_fail(w, cmd, "full name");
    if (cmd_lookup_full_name(expected) != cmd) walk_fail(w, cmd, "full name lookup");
    for (const Command *sub = cmd->subcommands; sub && sub->name; sub++) {
        if (sub->parent != cmd) walk_fail(w, cmd, "subcommand parent");
        for (const Command *other = sub + 1; other->name; other++)
            if (strcmp(sub->name, other->name) == 0) walk_fail(w, cmd, "duplicate subcommand");
    }
}

TEST(subcommand_full_names_are_parent_bar_name_and_unique) {
    table_ready();
    Walk w = {0};
    cmd_for_each(check_names, &w);
    walk_check(&w);
    CHECK_EQ_STR("client|list", cmd_full_name(cmd_lookup_full_name("client|list")));
    CHECK_EQ_STR("config|get", cmd_full_name(cmd_lookup_full_name("config|get")));
}

TEST(lookup_is_case_insensitive_and_strict_about_bars) {
    table_ready();
    const Command *ping = cmd_lookup_name("ping", 4);
    CHECK(ping != NULL);
    CHECK(cmd_lookup_name("PiNg", 4) == ping);
    CHECK(cmd_lookup_name("PINGX", 4) == ping); /* length bounds the name */
    CHECK(cmd_lookup_name("pin", 3) == NULL);
    CHECK(cmd_lookup_full_name("PING") == ping);
    const Command *list = cmd_lookup_full_name("client|list");
    CHECK(list != NULL);
    CHECK(cmd_lookup_full_name("CLIENT|LiSt") == list);
    CHECK(cmd_lookup_full_name("client|nosuch") == NULL);
    CHECK(cmd_lookup_full_name("ping|x") == NULL);
    CHECK(cmd_lookup_full_name("config|get|x") == NULL);
    CHECK(cmd_lookup_full_name("|get") == NULL);
    CHECK(cmd_lookup_full_name("client|") == NULL);
    CHECK(cmd_lookup_full_name("nosuch") == NULL);
}

/* Valkey adds these categories from the flags; the records spell them out,
 * so a record that forgets one disagrees with Valkey's COMMAND INFO. */
static void check_acl(const Command *cmd, void *ctx) {
    Walk *w = ctx;
    if ((cmd->flags & CMD_WRITE) && !(cmd->acl & ACL_WRITE)) walk_fail(w, cmd, "write, not @write");
    if ((cmd->flags & CMD_READONLY) && !(cmd->acl & ACL_SCRIPTING) && !(cmd->acl & ACL_READ))
        walk_fail(w, cmd, "readonly, not @read");
    if ((cmd->flags & CMD_ADMIN) && (cmd->acl & (ACL_ADMIN | ACL_DANGEROUS)) !=
                                        (ACL_ADMIN | ACL_DANGEROUS))
        walk_fail(w, cmd, "admin, not @admin @dangerous");
    if ((cmd->flags & CMD_PUBSUB) && !(cmd->acl & ACL_PUBSUB)) walk_fail(w, cmd, "pubsub");
    if ((cmd->flags & CMD_FAST) && !(cmd->acl & ACL_FAST)) walk_fail(w, cmd, "fast, not @fast");
    if ((cmd->flags & CMD_BLOCKING) && !(cmd->acl & ACL_BLOCKING)) walk_fail(w, cmd, "blocking");
    if (!!(cmd->acl & ACL_FAST) == !!(cmd->acl & ACL_SLOW))
        walk_fail(w, cmd, "exactly one of @fast and @slow");
    if ((cmd->flags & CMD_WRITE) && (cmd->flags & CMD_READONLY))
        walk_fail(w, cmd, "write and readonly");
}

TEST(acl_categories_include_the_ones_implied_by_flags) {
    table_ready();
    Walk w = {0};
    cmd_for_each(check_acl, &w);
    walk_check(&w);
}

static const char *const arg_types[] = {"string", "integer", "double",     "key",   "pattern",
                                        "unix-time", "pure-token", "oneof", "block", NULL};

static int known_arg_type(const char *type) {
    for (int i = 0; type && arg_types[i]; i++)
        if (strcmp(arg_types[i], type) == 0) return 1;
    return 0;
}

static const char *check_args(const Command *cmd, const CommandArg *args, int key_specs) {
    for (const CommandArg *a = args; a->name; a++) {
        if (!known_arg_type(a->type)) return "unknown argument type";
        int container = strcmp(a->type, "oneof") == 0 || strcmp(a->type, "block") == 0;
        if (container != (a->subargs != NULL)) return "subargs exactly on oneof/block";
        if (strcmp(a->type, "pure-token") == 0 && a->token == NULL) return "pure-token, no token";
        int is_key = strcmp(a->type, "key") == 0;
        if (is_key && (a->key_spec_index < 0 || a->key_spec_index >= key_specs))
            return "key argument with a bad key_spec_index";
        if (a->since && !is_version(a->since)) return "argument since is not x.y.z";
        if (a->flags & ~(unsigned)(CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE | CMD_ARG_MULTIPLE_TOKEN))
            return "unknown argument flag";
        for (const CommandArg *b = a + 1; b->name; b++)
            if (strcmp(a->name, b->name) == 0) return "sibling arguments share a name";
        if (container) {
            const char *why = check_args(cmd, a->subargs, key_specs);
            if (why) return why;
        }
    }
    return NULL;
}

static void check_arg_docs(const Command *cmd, void *ctx) {
    Walk *w = ctx;
    int specs = 0;
    while (cmd->key_specs && cmd->key_specs[specs].begin_search != KSPEC_BS_INVALID) specs++;
    if (cmd->args) {
        const char *why = check_args(cmd, cmd->args, specs);
        if (why) walk_fail(w, cmd, why);
    }
    /* A command that takes arguments documents them (the container's own
     * arguments are its subcommands). */
    int base = cmd->parent ? 2 : 1; /* the name words */
    int takes_args = (cmd->arity < 0 ? -cmd->arity : cmd->arity) > base;
    if (cmd->subcommands == NULL && takes_args && cmd->args == NULL &&
        !(cmd->doc_flags & CMD_DOC_SYSCMD))
        walk_fail(w, cmd, "takes arguments but documents none");
    for (int i = 0; cmd->tips && cmd->tips[i]; i++)
        for (const char *p = cmd->tips[i]; *p; p++)
            if (*p >= 'A' && *p <= 'Z') walk_fail(w, cmd, "tips are lower case");
}

TEST(argument_docs_are_well_formed) {
    table_ready();
    Walk w = {0};
    cmd_for_each(check_arg_docs, &w);
    walk_check(&w);
    const Command *kill = cmd_lookup_full_name("client|kill");
    CHECK(kill->args != NULL);
    CHECK_EQ_STR("filter", kill->args[0].name);
    CHECK_EQ_STR("oneof", kill->args[0].type);
    CHECK(cmd_lookup_full_name("debug")->doc_flags & CMD_DOC_SYSCMD);
}

static void check_key_range(const Command *cmd, void *ctx) {
    Walk *w = ctx;
    if (cmd->first_key == 0 && (cmd->last_key != 0 || cmd->key_step != 0))
        walk_fail(w, cmd, "last/step without first key");
    if (cmd->first_key > 0 && cmd->key_step <= 0) walk_fail(w, cmd, "first key without step");
    if (cmd->first_key > 0 && cmd->arity > 0 && cmd->last_key >= cmd->arity)
        walk_fail(w, cmd, "last key past the arity");
    if (cmd->first_key == 0 && cmd->key_specs == NULL && (cmd->flags & CMD_MOVABLE_KEYS) &&
        cmd->getkeys_proc == NULL)
        walk_fail(w, cmd, "movablekeys without a way to find keys");
}

TEST(key_ranges_are_consistent) {
    table_ready();
    Walk w = {0};
    cmd_for_each(check_key_range, &w);
    walk_check(&w);
    const Command *ping = cmd_lookup_name("ping", 4);
    CHECK(!cmd_keys_has_keys(ping));
    CHECK(!(ping->flags & CMD_MOVABLE_KEYS));
}

/* ---- key extraction on synthetic commands ---- */

#define MAX_ARGV 64

typedef struct Argv {
    Obj *argv[MAX_ARGV];
    int argc;
} Argv;

/* Splits words on spaces into string objects. */
static void argv_make(Argv *a, const char *words) {
    a->argc = 0;
    const char *p = words;
    while (*p) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        a->argv[a->argc++] = obj_create_string(p, len);
        p += len;
        while (*p == ' ') p++;
    }
}

static void argv_free(Argv *a) {
    for (int i = 0; i < a->argc; i++) obj_decr_ref(a->argv[i]);
    a->argc = 0;
}

/* Runs extraction and renders "pos:flags pos:flags", or "" for none. */
static const char *keys_of(const Command *cmd, const char *words) {
    static char out[512];
    Argv a;
    KeyRefs refs;
    argv_make(&a, words);
    cmd_keys_init(&refs);
    int found = cmd_keys_get(cmd, a.argv, a.argc, &refs);
    out[0] = '\0';
    for (int i = 0; i < refs.count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof(out) - used, "%s%d:%llx", i ? " " : "", refs.keys[i].pos,
                 (unsigned long long)refs.keys[i].flags);
    }
    if (found != refs.count) snprintf(out, sizeof(out), "count mismatch %d", found);
    cmd_keys_deinit(&refs);
    argv_free(&a);
    return out;
}

#define RO_ACCESS (CMD_KEY_RO | CMD_KEY_ACCESS)
#define OW_UPDATE (CMD_KEY_OW | CMD_KEY_UPDATE)

static Command synthetic(const char *name, int arity, const KeySpec *specs) {
    Command cmd = {.name = name, .arity = arity, .key_specs = specs};
    cmd_keys_prepare(&cmd);
    return cmd;
}

TEST(getkeys_single_key_range) {
    static const KeySpec specs[] = {
        {.flags = RO_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {0},
    };
    Command get = synthetic("get", 2, specs);
    CHECK_EQ_INT(1, get.first_key);
    CHECK_EQ_INT(1, get.last_key);
    CHECK_EQ_INT(1, get.key_step);
    CHECK(!(get.flags & CMD_MOVABLE_KEYS));
    CHECK(cmd_keys_has_keys(&get));
    CHECK_EQ_STR("1:11", keys_of(&get, "get k"));
}

TEST(getkeys_range_to_the_end_with_step) {
    static const KeySpec specs[] = {
        {.flags = OW_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 2, 0}},
        {0},
    };
    Command mset = synthetic("mset", -3, specs);
    CHECK_EQ_INT(1, mset.first_key);
    CHECK_EQ_INT(-1, mset.last_key);
    CHECK_EQ_INT(2, mset.key_step);
    CHECK_EQ_STR("1:24 3:24", keys_of(&mset, "mset a 1 b 2"));
    CHECK_EQ_STR("1:24", keys_of(&mset, "mset a 1"));
}

TEST(getkeys_many_keys_grow_past_the_inline_buffer) {
    static const KeySpec specs[] = {
        {.flags = CMD_KEY_RM | CMD_KEY_DELETE, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 1, 0}},
        {0},
    };
    Command del = synthetic("del", -2, specs);
    char words[256] = "del";
    for (int i = 0; i < 40; i++) strcat(words, " k");
    const char *got = keys_of(&del, words);
    CHECK(strncmp(got, "1:88 2:88", 9) == 0);
    CHECK(strstr(got, "40:88") != NULL);
}

TEST(getkeys_adjacent_specs_merge_into_one_legacy_range) {
    static const KeySpec specs[] = {
        {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE, .begin_search = KSPEC_BS_INDEX,
         .bs.index = {1}, .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {.flags = OW_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {2},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {0},
    };
    Command rename = synthetic("rename", 3, specs);
    CHECK_EQ_INT(1, rename.first_key);
    CHECK_EQ_INT(2, rename.last_key);
    CHECK_EQ_INT(1, rename.key_step);
    CHECK(!(rename.flags & CMD_MOVABLE_KEYS));
    CHECK_EQ_STR("1:92 2:24", keys_of(&rename, "rename a b"));
}

TEST(getkeys_gap_between_specs_makes_keys_movable) {
    static const KeySpec specs[] = {
        {.flags = RO_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {.flags = OW_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {3},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {0},
    };
    Command cmd = synthetic("gap", 4, specs);
    CHECK_EQ_INT(1, cmd.first_key);
    CHECK_EQ_INT(1, cmd.last_key);
    CHECK(cmd.flags & CMD_MOVABLE_KEYS);
    CHECK_EQ_STR("1:11 3:24", keys_of(&cmd, "gap a x b"));
}

TEST(getkeys_keynum_counts_and_rejects_bad_counts) {
    static const KeySpec specs[] = {
        {.flags = OW_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {.flags = RO_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {2},
         .find_keys = KSPEC_FK_KEYNUM, .fk.keynum = {0, 1, 1}},
        {0},
    };
    Command zs = synthetic("zunionstore", -4, specs);
    CHECK_EQ_INT(1, zs.first_key);
    CHECK_EQ_INT(1, zs.last_key);
    CHECK(zs.flags & CMD_MOVABLE_KEYS);
    CHECK_EQ_STR("1:24 3:11 4:11", keys_of(&zs, "zunionstore d 2 a b"));
    CHECK_EQ_STR("1:24 3:11", keys_of(&zs, "zunionstore d 1 a b"));
    CHECK_EQ_STR("", keys_of(&zs, "zunionstore d 3 a b")); /* count past the end */
    CHECK_EQ_STR("", keys_of(&zs, "zunionstore d 0 a"));   /* no keys: invalid */
    CHECK_EQ_STR("", keys_of(&zs, "zunionstore d -1 a"));
    CHECK_EQ_STR("", keys_of(&zs, "zunionstore d x a"));
    CHECK_EQ_STR("", keys_of(&zs, "zunionstore d 01 a"));
    CHECK_EQ_STR("", keys_of(&zs, "zunionstore d +1 a"));
}

TEST(getkeys_keyword_forward_with_limit) {
    static const KeySpec specs[] = {
        {.flags = RO_ACCESS, .begin_search = KSPEC_BS_KEYWORD, .bs.keyword = {"STREAMS", 1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 1, 2}},
        {0},
    };
    Command xread = synthetic("xread", -4, specs);
    CHECK(xread.flags & CMD_MOVABLE_KEYS);
    CHECK_EQ_INT(0, xread.first_key);
    CHECK_EQ_STR("4:11 5:11", keys_of(&xread, "xread count 2 streams a b 0 0"));
    CHECK_EQ_STR("2:11", keys_of(&xread, "xread StReAmS a 0"));
    CHECK_EQ_STR("", keys_of(&xread, "xread count 2 block 0")); /* keyword absent */
}

TEST(getkeys_keyword_backward_never_checks_argv1) {
    static const KeySpec specs[] = {
        {.flags = OW_UPDATE, .begin_search = KSPEC_BS_KEYWORD, .bs.keyword = {"STORE", -2},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {0},
    };
    Command cmd = synthetic("cmd", -2, specs);
    CHECK_EQ_STR("3:24", keys_of(&cmd, "cmd x store k"));
    CHECK_EQ_STR("", keys_of(&cmd, "cmd store k"));   /* argv[1] is the search's end */
    CHECK_EQ_STR("", keys_of(&cmd, "cmd x y store")); /* key would be past the end */
}

static int fixed_getkeys(const Command *cmd, Obj **argv, int argc, KeyRefs *refs) {
    (void)cmd;
    (void)argv;
    if (argc > 1) cmd_keys_add(refs, argc - 1, CMD_KEY_RW);
    return argc > 1 ? 1 : 0;
}

TEST(getkeys_incomplete_spec_falls_back_to_getkeys_proc) {
    static const KeySpec specs[] = {
        {.flags = RO_ACCESS | CMD_KEY_INCOMPLETE, .begin_search = KSPEC_BS_INDEX,
         .bs.index = {1}, .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {0},
    };
    Command with_proc = {.name = "sortish", .arity = -2, .key_specs = specs,
                         .getkeys_proc = fixed_getkeys};
    cmd_keys_prepare(&with_proc);
    CHECK(with_proc.flags & CMD_MOVABLE_KEYS);
    CHECK_EQ_INT(1, with_proc.first_key);
    CHECK_EQ_STR("3:2", keys_of(&with_proc, "sortish a b c"));
    Command without = synthetic("sortish", -2, specs);
    CHECK(without.flags & CMD_MOVABLE_KEYS); /* incomplete */
    CHECK_EQ_STR("", keys_of(&without, "sortish a b c"));
}

TEST(getkeys_variable_flags_and_unknown_specs_use_getkeys_proc) {
    static const KeySpec variable[] = {
        {.flags = CMD_KEY_RW | CMD_KEY_VARIABLE_FLAGS, .begin_search = KSPEC_BS_INDEX,
         .bs.index = {1}, .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {0},
    };
    static const KeySpec unknown[] = {
        {.flags = CMD_KEY_RW, .begin_search = KSPEC_BS_UNKNOWN, .find_keys = KSPEC_FK_UNKNOWN},
        {0},
    };
    Command var = {.name = "bitfield", .arity = -2, .key_specs = variable,
                   .getkeys_proc = fixed_getkeys};
    cmd_keys_prepare(&var);
    CHECK_EQ_STR("2:2", keys_of(&var, "bitfield k x"));
    Command unk = {.name = "migrate", .arity = -2, .key_specs = unknown,
                   .getkeys_proc = fixed_getkeys};
    cmd_keys_prepare(&unk);
    CHECK(unk.flags & CMD_MOVABLE_KEYS);
    CHECK_EQ_INT(0, unk.first_key);
    CHECK_EQ_STR("2:2", keys_of(&unk, "migrate a b"));
}

TEST(getkeys_not_key_specs_are_not_keys) {
    static const KeySpec specs[] = {
        {.flags = CMD_KEY_NOT_KEY, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
        {0},
    };
    Command cmd = synthetic("slotish", 2, specs);
    CHECK(!cmd_keys_has_keys(&cmd));
    CHECK_EQ_STR("", keys_of(&cmd, "slotish k"));
}

TEST(getkeys_range_past_the_arguments_is_invalid) {
    static const KeySpec specs[] = {
        {.flags = RO_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
         .find_keys = KSPEC_FK_RANGE, .fk.range = {1, 1, 0}},
        {0},
    };
    Command cmd = synthetic("pair", -2, specs);
    CHECK_EQ_INT(2, cmd.last_key);
    CHECK_EQ_STR("1:11 2:11", keys_of(&cmd, "pair a b"));
    CHECK_EQ_STR("", keys_of(&cmd, "pair a"));
}

TEST(legacy_range_without_specs_derives_one_spec) {
    Command del = {.name = "del", .arity = -2, .first_key = 1, .last_key = -1, .key_step = 1};
    cmd_keys_prepare(&del);
    CHECK(del.key_specs == del.derived_specs);
    CHECK_EQ_INT(KSPEC_BS_INDEX, del.key_specs[0].begin_search);
    CHECK_EQ_INT(1, del.key_specs[0].bs.index.pos);
    CHECK_EQ_INT(KSPEC_FK_RANGE, del.key_specs[0].find_keys);
    CHECK_EQ_INT(-1, del.key_specs[0].fk.range.lastkey);
    CHECK_EQ_INT(KSPEC_BS_INVALID, del.key_specs[1].begin_search);
    CHECK_EQ_INT(1, del.first_key);
    CHECK_EQ_INT(-1, del.last_key);
    CHECK_EQ_INT(1, del.key_step);
    CHECK(!(del.flags & CMD_MOVABLE_KEYS));
    CHECK(cmd_keys_has_keys(&del));
    CHECK_EQ_STR("1:0 2:0 3:0", keys_of(&del, "del a b c"));

    Command two = {.name = "smove", .arity = 4, .first_key = 1, .last_key = 2, .key_step = 1};
    cmd_keys_prepare(&two);
    CHECK_EQ_INT(1, two.key_specs[0].fk.range.lastkey); /* relative to the first key */
    CHECK_EQ_INT(2, two.last_key);
    CHECK_EQ_STR("1:0 2:0", keys_of(&two, "smove a b m"));

    Command none = {.name = "ping", .arity = -1};
    cmd_keys_prepare(&none);
    CHECK(none.key_specs == NULL);
    CHECK(!cmd_keys_has_keys(&none));
}
