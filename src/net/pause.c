/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/pause.c: the CLIENT PAUSE state machine and the clients it holds.
 *
 * A pause is a mode (WRITE or ALL) and a wall-clock end. The read path asks
 * pause_blocks_command before running each parsed command; a client whose
 * command must wait keeps it parsed (c->command_ready) and joins a FIFO of
 * held clients. When the pause ends (CLIENT UNPAUSE, expiry, or a switch to a
 * less restrictive mode) the held clients are replayed in the order they
 * were held, each through client_process_input, where the check runs again.
 *
 * Which commands wait follows Valkey's processCommand: commands that fail
 * lookup, arity or authentication reply at once (their errors never touch the
 * data set); under WRITE only commands flagged write or may-replicate wait;
 * under ALL every command waits, CLIENT UNPAUSE included, so an ALL pause
 * of a server without replicas ends by expiry. Replicas never wait.
 *
 * Resumption is never run inside a command (CLIENT UNPAUSE, or a command that
 * stumbles on an expired pause): replaying other clients' commands there
 * would nest command execution. A zero-delay event-loop timer runs it
 * instead: in the same loop turn when a command ended the pause, so the
 * replies leave with the next before-sleep. Expiry has its own timer, so a
 * pause ends on time rather than on the next cron tick (pause_cron is only a
 * safety net).
 *
 * Threads: main only.
 */
#include "net/pause.h"

#include <stddef.h>

#include "cmd/command.h"
#include "net/client.h"
#include "server/ev.h"

/* Longest single wait of the expiry timer; longer pauses re-arm it. Keeps
 * end - now far from the overflow ev_timer_add would hit converting huge
 * millisecond counts to microseconds. */
#define PAUSE_TIMER_MAX_MS (3600LL * 1000)

static PauseMode pause_mode;        /* in force until pause_end_ms */
static long long pause_end_ms;      /* wall clock; 0 when no pause */
static long long expiry_timer_id;   /* 0 = none armed */
static long long resume_timer_id;   /* 0 = none armed */

/* Held clients, oldest first, linked through Client.paused_next. A client is
 * on this list exactly while it carries CLIENT_PAUSED. */
static Client *held_head, *held_tail;
static unsigned long held_count;

/* ---- resumption ---- */

static long long pause_resume_proc(long long id, void *data) {
    (void)id;
    (void)data;
    resume_timer_id = 0;
    client_resume_paused();
    return -1;
}

static void pause_schedule_resume(void) {
    if (resume_timer_id != 0 || held_count == 0) return;
    resume_timer_id = ev_timer_add(0, pause_resume_proc, NULL);
}

static Client *held_pop(void) {
    Client *c = held_head;
    if (c == NULL) return NULL;
    held_head = c->paused_next;
    if (held_head == NULL) held_tail = NULL;
    c->paused_next = NULL;
    c->flags &= ~CLIENT_PAUSED;
    held_count--;
    return c;
}

void client_resume_paused(void) {
    /* Only the clients held now: one that is held again while replaying (a
     * new pause began) goes to the tail and waits for the next resumption. */
    unsigned long todo = held_count;
    while (todo-- > 0) {
        Client *c = held_pop();
        if (c == NULL) break;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        /* Same guard as the read handler: nothing frees c under our feet. */
        uint32_t in_read = c->flags & CLIENT_IN_READ_HANDLER;
        c->flags |= CLIENT_IN_READ_HANDLER;
        client_process_input(c);
        if (!in_read) c->flags &= ~CLIENT_IN_READ_HANDLER;
    }
}

/* ---- state ---- */

/* Drops a pause whose end has passed, and resumes held clients whenever the
 * mode got less restrictive (Valkey re-runs them; some may be held again). */
static void pause_set(PauseMode mode, long long end_ms) {
    PauseMode before = pause_mode;
    pause_mode = mode;
    pause_end_ms = end_ms;
    if (pause_mode != PAUSE_NONE && pause_end_ms <= ev_wall_ms()) {
        pause_mode = PAUSE_NONE;
        pause_end_ms = 0;
    }
    if (pause_mode < before) pause_schedule_resume();
}

static void pause_refresh(void) {
    if (pause_mode != PAUSE_NONE) pause_set(pause_mode, pause_end_ms);
}

static long long pause_timer_delay_ms(void) {
    long long left = pause_end_ms - ev_wall_ms();
    if (left < 0) return 0;
    return left > PAUSE_TIMER_MAX_MS ? PAUSE_TIMER_MAX_MS : left;
}

static long long pause_expiry_proc(long long id, void *data) {
    (void)id;
    (void)data;
    pause_refresh();
    if (pause_mode == PAUSE_NONE) {
        expiry_timer_id = 0;
        return -1;
    }
    return pause_timer_delay_ms();
}

static void pause_disarm_expiry(void) {
    if (expiry_timer_id != 0) ev_timer_remove(expiry_timer_id);
    expiry_timer_id = 0;
}

void pause_start(PauseMode mode, long long end_ms) {
    pause_refresh();
    /* A WRITE request never weakens an ALL pause still in force. */
    if (mode == PAUSE_WRITE && pause_mode == PAUSE_ALL) mode = PAUSE_ALL;
    pause_set(mode, end_ms > pause_end_ms ? end_ms : pause_end_ms);
    pause_disarm_expiry();
    if (pause_mode != PAUSE_NONE)
        expiry_timer_id = ev_timer_add(pause_timer_delay_ms(), pause_expiry_proc, NULL);
}

void pause_stop(void) {
    pause_disarm_expiry();
    pause_set(PAUSE_NONE, 0);
    /* pause_set resumes only on a change; an expired pause the cron has not
     * seen yet may still have clients waiting. */
    pause_schedule_resume();
}

PauseMode pause_current(void) {
    pause_refresh();
    return pause_mode;
}

int pause_writes_paused(void) {
    return pause_current() != PAUSE_NONE;
}

unsigned long pause_held_clients(void) {
    return held_count;
}

void pause_cron(void) {
    pause_refresh();
    if (pause_mode == PAUSE_NONE) pause_schedule_resume();
}

/* ---- the read path's hooks ---- */

/* The command in argv, if it would pass the checks that run before the pause
 * check in Valkey (lookup, arity, authentication); NULL if it fails one and
 * must get its error at once. */
static const Command *pause_runnable_command(const Client *c) {
    const Command *cmd = cmd_lookup(c->argv, c->argc);
    if (cmd == NULL) return NULL;
    if (cmd->arity > 0 ? c->argc != cmd->arity : c->argc < -cmd->arity) return NULL;
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) return NULL;
    return cmd;
}

int pause_blocks_command(const Client *c) {
    /* A held client stays behind the clients held before it until the
     * resumption replays it, even if the pause ended meanwhile. */
    if (c->flags & CLIENT_PAUSED) return 1;
    if (pause_current() == PAUSE_NONE) return 0;
    if (client_type(c) == CLIENT_TYPE_REPLICA) return 0;
    const Command *cmd = pause_runnable_command(c);
    if (cmd == NULL) return 0;
    if (pause_mode == PAUSE_ALL) return 1;
    /* Transactions do not exist yet; when they do, EXEC must also wait if
     * any queued command would (Valkey checks the queued commands' flags). */
    return (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0;
}

void client_pause_hold(Client *c) {
    if (c->flags & CLIENT_PAUSED) return;
    /* Valkey records the command before deciding to hold it, so CLIENT LIST
     * shows the waiting command as cmd=. */
    const Command *cmd = cmd_lookup(c->argv, c->argc);
    if (cmd != NULL) c->last_cmd = cmd;
    c->flags |= CLIENT_PAUSED;
    c->paused_next = NULL;
    if (held_tail)
        held_tail->paused_next = c;
    else
        held_head = c;
    held_tail = c;
    held_count++;
}

void client_pause_forget(Client *c) {
    if (!(c->flags & CLIENT_PAUSED)) return;
    Client *prev = NULL;
    for (Client *it = held_head; it; prev = it, it = it->paused_next) {
        if (it != c) continue;
        if (prev)
            prev->paused_next = c->paused_next;
        else
            held_head = c->paused_next;
        if (held_tail == c) held_tail = prev;
        held_count--;
        break;
    }
    c->paused_next = NULL;
    c->flags &= ~CLIENT_PAUSED;
}
