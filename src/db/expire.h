/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/expire.h: active expiry (the adaptive cycle that deletes keys nobody
 * reads once their time has passed), active rehashing of the databases'
 * tables, and the expire commands.
 *
 * Lazy expiry (a key found expired on access) lives in db/db.c; this unit
 * finds the keys nobody asks for. Its work is always bounded in time: a
 * million keys expiring at the same instant are deleted over many cron ticks
 * and event-loop turns, never in one long stall.
 *
 * Threads: main only.
 */
#ifndef KEEL_DB_EXPIRE_H
#define KEEL_DB_EXPIRE_H

#include <stdbool.h>

#include "net/client.h"

/* active-expire-effort (1..10, default 1): more effort spends more time per
 * cycle and accepts fewer already-expired keys still in memory. */
extern long long cfg_active_expire_effort;
/* activerehashing (default yes): the cron spends about 1 ms per tick moving
 * the buckets of a database table that is being resized. */
extern int cfg_activerehashing;
/* DEBUG SET-ACTIVE-EXPIRE: false stops the active cycle (lazy expiry on
 * access still happens). Main thread only. */
extern bool expire_active_enabled;

typedef enum ExpireCycleType {
    EXPIRE_CYCLE_SLOW, /* from the cron: a share of each tick (25% at effort 1) */
    EXPIRE_CYCLE_FAST, /* before sleeping: about 1 ms, only while expired keys pile up */
} ExpireCycleType;

/* Registers active-expire-effort and activerehashing (called by
 * db_register_config). */
void expire_register_config(void);

/* Runs one cycle of the given type against db_now_ms (the caller refreshes
 * it; tests set it by hand). hz is the cron frequency, which sizes the slow
 * cycle's time budget. Updates each database's avg_ttl and db_stats
 * (expired_keys through db_delete_expired, expired_stale_perc_x100,
 * expired_time_cap_reached_count, expire_cycle_time_used_us). Does nothing
 * when expire_active_enabled is false or writes are paused. */
void expire_cycle(ExpireCycleType type, int hz);

/* The server cron's share: refreshes db_now_ms, runs the slow cycle, then
 * (activerehashing) rehashes a resizing database table for about 1 ms. */
void expire_cron(int hz);
/* The before-sleep hook's share: refreshes db_now_ms and runs the fast
 * cycle (which returns at once unless the last cycles left work). */
void expire_before_sleep(void);

/* ---- commands (db/expire_cmd.c) ---- */

void cmd_expire(Client *c);
void cmd_pexpire(Client *c);
void cmd_expireat(Client *c);
void cmd_pexpireat(Client *c);
void cmd_ttl(Client *c);
void cmd_pttl(Client *c);
void cmd_expiretime(Client *c);
void cmd_pexpiretime(Client *c);
void cmd_persist(Client *c);

#endif
