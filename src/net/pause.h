/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/pause.h: CLIENT PAUSE state, for the commands that drive it and the
 * rooms that must respect it (INFO counts held clients; expiry and eviction
 * must not delete keys while writes are paused).
 *
 * The hold/resume hooks used by the read path (pause_blocks_command,
 * client_pause_hold, client_pause_forget, client_resume_paused, pause_cron)
 * are declared in net/client.h next to the rest of the client life cycle.
 *
 * Threads: main only.
 */
#ifndef KEEL_NET_PAUSE_H
#define KEEL_NET_PAUSE_H

/* What a pause holds back, from least to most restrictive. */
typedef enum PauseMode {
    PAUSE_NONE = 0,  /* nothing paused */
    PAUSE_WRITE = 1, /* commands flagged write or may-replicate */
    PAUSE_ALL = 2    /* every command of every normal client */
} PauseMode;

/* Starts or extends a pause (CLIENT PAUSE). end_ms is a wall-clock time in
 * milliseconds; 0 or a time already past leaves no pause of its own. As in
 * Valkey, the end time only ever grows, and WRITE does not weaken a running
 * ALL pause. Held clients are resumed if the pause became less restrictive.
 * Cannot fail. */
void pause_start(PauseMode mode, long long end_ms);
/* Ends any pause now (CLIENT UNPAUSE). Held clients resume from a zero-delay
 * event-loop timer (the same loop turn, so their replies leave with the next
 * before-sleep), never inside the command that ended the pause. Cannot
 * fail. */
void pause_stop(void);
/* The pause in force now (an expired one counts as none). */
PauseMode pause_current(void);
/* 1 while any client pause is in force: Valkey then also stops active and
 * lazy expiry from deleting keys, and eviction, so the data set cannot change
 * under a paused primary. */
int pause_writes_paused(void);
/* Clients currently held by a pause (INFO clients counts them as blocked). */
unsigned long pause_held_clients(void);

#endif
