/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_propagate.c: how persist/propagate.c groups what commands
 * propagate into units: a write that changed something propagates its argv
 * (or its rewrite), a read or an unchanged write nothing; nested commands
 * join the top-level unit, which is wrapped in MULTI/EXEC only when it
 * holds more than one command (and not under a command that touches
 * arbitrary keys); deletions outside any command are units of their own.
 * Units are caught with a test sink instead of the AOF.
 */
#include <stdio.h>
#include <string.h>

#include "persist/persist.h"
#include "persist/propagate.h"
#include "test.h"

#define MAX_FED 32

/* What the sink received, one "db:word word ..." line per command. */
static char fed[MAX_FED][128];
static int fed_count;

static void record_sink(int dbid, Obj *const *argv, int argc) {
    if (fed_count == MAX_FED) return;
    char *line = fed[fed_count++];
    int used = snprintf(line, 128, "%d:", dbid);
    for (int i = 0; i < argc && used < 120; i++) {
        char buf[24];
        size_t len;
        const char *p = obj_string_bytes(argv[i], buf, &len);
        used += snprintf(line + used, (size_t)(128 - used), "%s%.*s", i ? " " : "", (int)len, p);
    }
}

static Client client;
static Obj *args[4];

/* Points the client at a fresh argv of words (at most 4). */
static void set_argv(int db, int argc, const char *const *words) {
    for (int i = 0; i < 4; i++) {
        if (args[i]) obj_decr_ref(args[i]);
        args[i] = i < argc ? obj_create_string(words[i], strlen(words[i])) : NULL;
    }
    client.db = db;
    client.argc = argc;
    client.argv = args;
}

static void setup(void) {
    fed_count = 0;
    propagate_set_sink(record_sink);
    static const char *const set_words[] = {"SET", "k", "v"};
    set_argv(0, 3, set_words);
}

/* Procs standing in for commands. */
static void proc_change(Client *c) {
    (void)c;
    persist_count_change();
}
static void proc_nothing(Client *c) {
    (void)c;
}
static void proc_rewrite(Client *c) {
    persist_count_change();
    propagate_rewrite_fmt(c, "woowl", "SET", c->argv[1], c->argv[2], "PXAT", 123456789LL);
}
static void proc_forced(Client *c) {
    propagate_force(c);
}
static void proc_prevented(Client *c) {
    persist_count_change();
    propagate_prevent(c);
}
static void proc_expire_then_change(Client *c) {
    Obj *key = obj_create_string("old", 3);
    persist_count_change(); /* what the expired key's signal counts */
    propagate_deletion(2, key, true, true);
    obj_decr_ref(key);
    persist_count_change();
    (void)c;
}
static void proc_expire_only(Client *c) {
    Obj *key = obj_create_string("old", 3);
    persist_count_change();
    propagate_deletion(0, key, false, true);
    obj_decr_ref(key);
    (void)c;
}

static Command cmd_write_change = {.name = "set", .proc = proc_change, .flags = CMD_WRITE};
static Command cmd_write_nothing = {.name = "set", .proc = proc_nothing, .flags = CMD_WRITE};
static Command cmd_read_change = {.name = "get", .proc = proc_change, .flags = CMD_READONLY};
static Command cmd_rewrite = {.name = "set", .proc = proc_rewrite, .flags = CMD_WRITE};
static Command cmd_forced = {.name = "flushall", .proc = proc_forced, .flags = CMD_WRITE};
static Command cmd_prevented = {.name = "spop", .proc = proc_prevented, .flags = CMD_WRITE};
static Command cmd_expire_then_change = {
    .name = "set", .proc = proc_expire_then_change, .flags = CMD_WRITE};
static Command cmd_lpushx_expired = {
    .name = "lpushx", .proc = proc_expire_only, .flags = CMD_WRITE};
static Command cmd_scan_expired = {
    .name = "scan", .proc = proc_expire_only, .flags = CMD_READONLY | CMD_TOUCHES_ARBITRARY_KEYS};

/* A proc that runs two nested commands, like EXEC. */
static const Command *nested[2];
static void proc_exec(Client *c) {
    for (int i = 0; i < 2; i++)
        if (nested[i]) propagate_call(c, nested[i]);
}
static Command cmd_exec = {.name = "exec", .proc = proc_exec};
static void proc_scan_expires_two(Client *c) {
    proc_expire_only(c);
    proc_expire_only(c);
}
static Command cmd_scan_two = {
    .name = "scan", .proc = proc_scan_expires_two, .flags = CMD_TOUCHES_ARBITRARY_KEYS};

TEST(propagate_write_that_changed_propagates_its_argv) {
    setup();
    propagate_call(&client, &cmd_write_change);
    CHECK_EQ_INT(1, fed_count);
    CHECK_EQ_STR("0:SET k v", fed[0]);
}

TEST(propagate_unchanged_write_and_reads_propagate_nothing) {
    setup();
    propagate_call(&client, &cmd_write_nothing);
    propagate_call(&client, &cmd_read_change);
    CHECK_EQ_INT(0, fed_count);
}

TEST(propagate_rewrite_replaces_argv) {
    setup();
    client.db = 3;
    propagate_call(&client, &cmd_rewrite);
    CHECK_EQ_INT(1, fed_count);
    CHECK_EQ_STR("3:SET k v PXAT 123456789", fed[0]);
}

TEST(propagate_force_and_prevent) {
    setup();
    propagate_call(&client, &cmd_forced);
    propagate_call(&client, &cmd_prevented);
    CHECK_EQ_INT(1, fed_count);
    CHECK_EQ_STR("0:SET k v", fed[0]);
}

TEST(propagate_nested_units_wrap_only_when_more_than_one) {
    setup();
    nested[0] = &cmd_write_change;
    nested[1] = &cmd_write_nothing;
    propagate_call(&client, &cmd_exec);
    CHECK_EQ_INT(1, fed_count); /* a single write: no MULTI/EXEC (Valkey 7+) */
    CHECK_EQ_STR("0:SET k v", fed[0]);

    fed_count = 0;
    nested[1] = &cmd_rewrite;
    propagate_call(&client, &cmd_exec);
    CHECK_EQ_INT(4, fed_count);
    CHECK_EQ_STR("0:MULTI", fed[0]);
    CHECK_EQ_STR("0:SET k v", fed[1]);
    CHECK_EQ_STR("0:SET k v PXAT 123456789", fed[2]);
    CHECK_EQ_STR("0:EXEC", fed[3]);
}

TEST(propagate_expired_key_joins_the_command_unit_first) {
    setup();
    propagate_call(&client, &cmd_expire_then_change);
    CHECK_EQ_INT(4, fed_count);
    CHECK_EQ_STR("2:MULTI", fed[0]);
    CHECK_EQ_STR("2:UNLINK old", fed[1]);
    CHECK_EQ_STR("0:SET k v", fed[2]);
    CHECK_EQ_STR("0:EXEC", fed[3]);
}

TEST(propagate_expiry_is_not_the_command_own_change) {
    setup();
    propagate_call(&client, &cmd_lpushx_expired);
    CHECK_EQ_INT(1, fed_count);
    CHECK_EQ_STR("0:DEL old", fed[0]);
}

TEST(propagate_arbitrary_keys_commands_are_not_wrapped) {
    setup();
    propagate_call(&client, &cmd_scan_expired);
    propagate_call(&client, &cmd_scan_two);
    CHECK_EQ_INT(3, fed_count);
    CHECK_EQ_STR("0:DEL old", fed[0]);
    CHECK_EQ_STR("0:DEL old", fed[1]);
    CHECK_EQ_STR("0:DEL old", fed[2]);
}

TEST(propagate_outside_commands_each_deletion_is_a_unit) {
    setup();
    Obj *key = obj_create_string("gone", 4);
    propagate_deletion(5, key, true, false);
    propagate_deletion(5, key, false, false);
    obj_decr_ref(key);
    CHECK_EQ_INT(0, fed_count); /* the AOF is off: nothing recorded */
    CHECK(!propagate_recording());
}

TEST(propagate_batches_split_at_the_limit) {
    setup();
    static const char *const spop_words[] = {"SPOP", "s", "2000"};
    set_argv(1, 3, spop_words);
    PropagateBatch batch;
    propagate_batch_init(&batch, 1, "SREM", client.argv[1]);
    for (int i = 0; i < PROPAGATE_BATCH_MAX + 1; i++) propagate_batch_add(&batch, "m", 1);
    propagate_batch_finish(&batch);
    /* Outside a frame each batch is a unit of its own. */
    CHECK_EQ_INT(2, fed_count);
    CHECK(strncmp(fed[0], "1:SREM s m m", 12) == 0);
    CHECK_EQ_STR("1:SREM s m", fed[1]);
    propagate_set_sink(NULL);
}
