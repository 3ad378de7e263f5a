/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_pause.c: the CLIENT PAUSE state machine (net/pause.c): how
 * modes and end times combine, which commands wait, and that held clients
 * resume in the order they were held once the pause ends.
 *
 * Clients here have no connection: their replies stay in c->buf, where the
 * tests read them.
 */
#include "test.h"

#include <string.h>

#include "cmd/command.h"
#include "db/object.h"
#include "ds/sds.h"
#include "net/client.h"
#include "net/pause.h"
#include "server/ev.h"

static void setup(void) {
    static int done;
    if (!done) {
        CHECK_EQ_INT(0, ev_init(1024));
        cmd_table_init();
        done = 1;
    }
    pause_stop();
    ev_process(0); /* run any resumption left by a previous test */
}

/* A client whose argv holds the given words (argv borrowed by the test). */
static Client *client_with_args(Obj **argv, int argc, const char *const *words) {
    Client *c = client_create(NULL);
    for (int i = 0; i < argc; i++) argv[i] = obj_create_string(words[i], strlen(words[i]));
    c->argv = argv;
    c->argc = argc;
    return c;
}

static void client_drop(Client *c, Obj **argv) {
    for (int i = 0; i < c->argc; i++) obj_decr_ref(argv[i]);
    c->argv = NULL;
    c->argc = 0;
    client_free(c);
}

TEST(pause_modes_combine_as_valkey) {
    setup();
    long long now = ev_wall_ms();
    pause_start(PAUSE_WRITE, now + 10000);
    CHECK_EQ_INT(PAUSE_WRITE, pause_current());
    CHECK(pause_writes_paused());
    /* ALL with no time of its own upgrades the running pause. */
    pause_start(PAUSE_ALL, 0);
    CHECK_EQ_INT(PAUSE_ALL, pause_current());
    /* WRITE never weakens a running ALL. */
    pause_start(PAUSE_WRITE, now + 20000);
    CHECK_EQ_INT(PAUSE_ALL, pause_current());
    pause_stop();
    CHECK_EQ_INT(PAUSE_NONE, pause_current());
    CHECK(!pause_writes_paused());
}

TEST(pause_with_no_time_or_a_past_end_pauses_nothing) {
    setup();
    pause_start(PAUSE_ALL, 0);
    CHECK_EQ_INT(PAUSE_NONE, pause_current());
    pause_start(PAUSE_WRITE, ev_wall_ms() - 1);
    CHECK_EQ_INT(PAUSE_NONE, pause_current());
}

TEST(pause_all_holds_valid_commands_only) {
    setup();
    pause_start(PAUSE_ALL, ev_wall_ms() + 10000);
    Obj *argv[3];
    static const char *const ping[] = {"ping"};
    Client *c = client_with_args(argv, 1, ping);
    CHECK(pause_blocks_command(c));
    client_drop(c, argv);

    static const char *const unpause[] = {"client", "unpause"};
    c = client_with_args(argv, 2, unpause);
    CHECK(pause_blocks_command(c)); /* as in Valkey: ALL holds CLIENT UNPAUSE too */
    client_drop(c, argv);

    static const char *const unknown[] = {"nosuchcommand"};
    c = client_with_args(argv, 1, unknown);
    CHECK(!pause_blocks_command(c)); /* its error replies at once */
    client_drop(c, argv);

    static const char *const arity[] = {"echo"};
    c = client_with_args(argv, 1, arity);
    CHECK(!pause_blocks_command(c)); /* wrong arity replies at once */
    client_drop(c, argv);

    static const char *const bad_sub[] = {"client", "nosuchsub"};
    c = client_with_args(argv, 2, bad_sub);
    CHECK(!pause_blocks_command(c));
    client_drop(c, argv);
    pause_stop();
}

static void find_write_command(const Command *cmd, void *ctx) {
    const Command **found = ctx;
    if (*found != NULL || cmd->subcommands != NULL) return;
    if (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) *found = cmd;
}

TEST(pause_write_holds_only_write_and_may_replicate_commands) {
    setup();
    pause_start(PAUSE_WRITE, ev_wall_ms() + 10000);
    Obj *argv[8];
    static const char *const ping[] = {"ping"};
    Client *c = client_with_args(argv, 1, ping);
    CHECK(!pause_blocks_command(c));
    client_drop(c, argv);

    /* Any write command the table has, with as many arguments as it needs. */
    const Command *write = NULL;
    cmd_for_each(find_write_command, &write);
    if (write != NULL && write->parent == NULL) {
        int argc = write->arity > 0 ? write->arity : -write->arity;
        if (argc <= 8) {
            const char *words[8];
            words[0] = write->name;
            for (int i = 1; i < argc; i++) words[i] = "1";
            c = client_with_args(argv, argc, words);
            CHECK(pause_blocks_command(c));
            client_drop(c, argv);
        }
    }
    pause_stop();
}

TEST(pause_forget_unlinks_a_held_client) {
    setup();
    pause_start(PAUSE_ALL, ev_wall_ms() + 10000);
    Obj *argv[1];
    static const char *const ping[] = {"ping"};
    Client *a = client_with_args(argv, 1, ping);
    client_pause_hold(a);
    client_pause_hold(a); /* holding twice is holding once */
    CHECK_EQ_INT(1, pause_held_clients());
    CHECK(a->flags & CLIENT_PAUSED);
    CHECK(pause_blocks_command(a)); /* stays behind until resumed */
    client_drop(a, argv); /* client_free forgets it */
    CHECK_EQ_INT(0, pause_held_clients());
    pause_stop();
}

/* Feeds one inline command to c and runs its input, as the read path does. */
static void feed(Client *c, const char *inline_command) {
    c->querybuf = sds_cat(c->querybuf, inline_command);
    client_process_input(c);
}

static int reply_is(const Client *c, const char *expected) {
    return c->buf_used == strlen(expected) && memcmp(c->buf, expected, c->buf_used) == 0;
}

TEST(held_clients_resume_in_order_when_unpaused) {
    setup();
    pause_start(PAUSE_ALL, ev_wall_ms() + 10000);
    Client *a = client_create(NULL), *b = client_create(NULL);
    feed(a, "ECHO first\r\nECHO second\r\n");
    feed(b, "PING\r\n");
    CHECK_EQ_INT(2, pause_held_clients());
    CHECK_EQ_INT(0, a->buf_used);
    CHECK_EQ_INT(0, b->buf_used);
    CHECK(a->command_ready);

    pause_stop();
    CHECK_EQ_INT(0, a->buf_used); /* not inside the unpausing command */
    ev_process(0);
    CHECK_EQ_INT(0, pause_held_clients());
    CHECK(reply_is(a, "$5\r\nfirst\r\n$6\r\nsecond\r\n"));
    CHECK(reply_is(b, "+PONG\r\n"));
    CHECK(!(a->flags & CLIENT_PAUSED));
    client_free(a);
    client_free(b);
}

TEST(held_clients_resume_when_the_pause_expires) {
    setup();
    pause_start(PAUSE_ALL, ev_wall_ms() + 30);
    Client *a = client_create(NULL);
    feed(a, "PING\r\n");
    CHECK_EQ_INT(1, pause_held_clients());
    long long deadline = ev_wall_ms() + 2000;
    while (pause_held_clients() && ev_wall_ms() < deadline) ev_process(50);
    CHECK_EQ_INT(0, pause_held_clients());
    CHECK(reply_is(a, "+PONG\r\n"));
    client_free(a);
}
