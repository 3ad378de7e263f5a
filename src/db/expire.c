/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/expire.c: the active expire cycle, and active rehashing of the
 * databases' tables from the cron.
 *
 * The cycle walks each database's `expires` table with a cursor (ht_scan),
 * a round of about 20 entries at a time, deleting those whose time has
 * passed. It adapts: while a round finds more than an acceptable share of
 * its sample already expired (10% at effort 1) it goes on, because many
 * more are likely waiting; once rounds come back mostly live it stops,
 * since finding the rest would cost more than the memory they hold. Every
 * cycle has a time budget and checks the clock every few rounds, so a
 * million keys expiring at once are removed over many short slices.
 *
 * Two kinds of cycle share that logic:
 *   - slow, from the cron at hz: up to 25% of a tick (effort adds 2% per
 *     step), over up to 16 databases, resuming where the last one stopped;
 *   - fast, before the event loop sleeps: about 1 ms, at most once per
 *     2 ms, and only when the last cycle ran out of time or the stale share
 *     is above the acceptable one, so an idle server does nothing here.
 *
 * The cursor survives between cycles (Db.expire_cursor), so successive
 * cycles cover the whole table instead of resampling its start; ht_scan's
 * guarantee holds while the table grows or shrinks underneath.
 *
 * Threads: main only. It must not run while writes are paused (CLIENT
 * PAUSE): the data set may not change then.
 */
#include "db/expire.h"

#include <limits.h>

#include "db/db.h"
#include "net/pause.h"
#include "server/config.h"
#include "server/ev.h"
#include "types/hash.h"

long long cfg_active_expire_effort;
int cfg_activerehashing;
bool expire_active_enabled = true;

/* The base tunables (effort 1); cycle_params raises them with the effort. */
#define EXPIRE_KEYS_PER_ROUND 20      /* expires entries sampled per round */
#define EXPIRE_FAST_DURATION_US 1000  /* budget of one fast cycle */
#define EXPIRE_SLOW_TIME_PERCENT 25   /* share of a cron tick for a slow cycle */
#define EXPIRE_ACCEPTABLE_STALE 10    /* % of expired keys in a round that ends the db */
#define EXPIRE_BUCKETS_PER_KEY 20     /* scan steps allowed per wanted sample (sparse tables) */
#define EXPIRE_DBS_PER_CALL 16        /* databases one cycle visits (all after a timeout) */
#define EXPIRE_ROUNDS_PER_CLOCK_CHECK 16
#define EXPIRE_AVG_TTL_DIV 50         /* avg_ttl: a round's estimate weighs 1/50 */

typedef struct CycleParams {
    size_t keys_per_round;
    uint64_t fast_duration_us;
    long long slow_time_percent;
    size_t acceptable_stale; /* percent */
} CycleParams;

/* State carried from one cycle to the next (main thread only). */
static int next_db;                /* the database the next cycle starts with */
static bool last_cycle_timed_out;  /* the previous cycle hit its time limit */
static uint64_t last_fast_start_us; /* monotonic start of the last fast cycle */
static int next_rehash_db;         /* the database active rehashing looks at first */

/* One round's findings, filled by scan_entry. */
typedef struct ExpireRound {
    Db *db;
    size_t sampled;
    size_t expired;
    double ttl_sum; /* ms left, over the live keys sampled (a double: far-off
                     * expire times would overflow a long long sum) */
    size_t ttl_samples;
} ExpireRound;

void expire_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "active-expire-effort", .type = KEEL_CFG_NUMBER,
         .default_value = "1", .min = 1, .max = 10, .storage = &cfg_active_expire_effort},
        {.size = sizeof(KeelConfigOption), .name = "activerehashing", .type = KEEL_CFG_BOOL,
         .default_value = "yes", .storage = &cfg_activerehashing},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}

/* Effort 1 uses the base values; each step above adds a quarter of the base
 * sample size and fast budget, 2% of the tick, and accepts 1% less stale. */
static CycleParams cycle_params(void) {
    long long effort = cfg_active_expire_effort - 1; /* 0..9 */
    CycleParams p = {
        .keys_per_round = EXPIRE_KEYS_PER_ROUND + (size_t)effort * EXPIRE_KEYS_PER_ROUND / 4,
        .fast_duration_us =
            EXPIRE_FAST_DURATION_US + (uint64_t)effort * EXPIRE_FAST_DURATION_US / 4,
        .slow_time_percent = EXPIRE_SLOW_TIME_PERCENT + 2 * effort,
        .acceptable_stale = (size_t)(EXPIRE_ACCEPTABLE_STALE - effort),
    };
    return p;
}

/* ht_scan callback: deletes an expired entry (the scan allows deleting from
 * the table being walked), or adds a live one's remaining time to the TTL
 * estimate. */
static void scan_entry(void *privdata, void *entry) {
    ExpireRound *round = privdata;
    Obj *o = entry;
    round->sampled++;
    if (db_key_is_expired(o)) {
        db_delete_expired(round->db, o); /* o is freed (or handed to lazyfree) */
        round->expired++;
        return;
    }
    long long left = obj_get_expire(o) - db_now_ms;
    if (left > 0) {
        round->ttl_sum += (double)left;
        round->ttl_samples++;
    }
}

/* Folds a round's live TTLs into the database's running average, weighting
 * the new figure 1/EXPIRE_AVG_TTL_DIV so one odd sample moves it little. */
static void update_avg_ttl(Db *db, const ExpireRound *round) {
    if (round->ttl_samples == 0) return;
    double average = round->ttl_sum / (double)round->ttl_samples;
    long long sample = average >= (double)LLONG_MAX ? LLONG_MAX : (long long)average;
    if (db->avg_ttl == 0)
        db->avg_ttl = sample;
    else
        db->avg_ttl = db->avg_ttl / EXPIRE_AVG_TTL_DIV * (EXPIRE_AVG_TTL_DIV - 1) +
                      sample / EXPIRE_AVG_TTL_DIV;
}

/* Totals of one cycle, across databases. */
typedef struct CycleTotals {
    size_t sampled;
    size_t expired;
    unsigned rounds;
} CycleTotals;

/* Runs rounds on db until one finds an acceptable stale share or the time
 * limit passes. Returns true when it stopped for time. */
static bool expire_db(Db *db, const CycleParams *p, uint64_t start_us, uint64_t limit_us,
                      CycleTotals *totals) {
    for (;;) {
        size_t wanted = ht_size(db->expires);
        if (wanted == 0) {
            db->avg_ttl = 0;
            return false;
        }
        if (wanted > p->keys_per_round) wanted = p->keys_per_round;
        ExpireRound round = {.db = db};
        size_t max_steps = wanted * EXPIRE_BUCKETS_PER_KEY;
        for (size_t steps = 0; round.sampled < wanted && steps < max_steps; steps++) {
            db->expire_cursor = ht_scan(db->expires, db->expire_cursor, scan_entry, &round);
            if (db->expire_cursor == 0) break; /* a full pass: let the stale share decide */
        }
        totals->sampled += round.sampled;
        totals->expired += round.expired;
        update_avg_ttl(db, &round);
        if (++totals->rounds % EXPIRE_ROUNDS_PER_CLOCK_CHECK == 0 &&
            ev_monotonic_us() - start_us >= limit_us)
            return true;
        if (round.sampled > 0 && round.expired * 100 / round.sampled <= p->acceptable_stale)
            return false;
    }
}

/* True when the last cycles left work behind: the last one timed out, or
 * the stale estimate is above the acceptable share. Cheap: no clock read. */
static bool fast_cycle_has_work(const CycleParams *p) {
    return last_cycle_timed_out ||
           db_stats.expired_stale_perc_x100 >= (unsigned long long)p->acceptable_stale * 100;
}

/* True when a fast cycle should run now: there is work, and the previous
 * fast cycle started at least two budgets ago (so fast cycles take at most
 * half of the loop's time). */
static bool fast_cycle_due(const CycleParams *p, uint64_t now_us) {
    return fast_cycle_has_work(p) && now_us >= last_fast_start_us + 2 * p->fast_duration_us;
}

/* Moves the stale estimate (percent x 100) a twentieth of the way towards
 * this cycle's share of expired keys among those sampled. Integer
 * truncation lets it decay to exactly 0 once cycles find nothing. */
static void update_stale_estimate(const CycleTotals *totals) {
    unsigned long long current =
        totals->sampled ? (unsigned long long)totals->expired * 10000 / totals->sampled : 0;
    db_stats.expired_stale_perc_x100 = (current + db_stats.expired_stale_perc_x100 * 19) / 20;
}

void expire_cycle(ExpireCycleType type, int hz) {
    if (!expire_active_enabled || pause_writes_paused()) return;
    CycleParams p = cycle_params();
    uint64_t start_us = ev_monotonic_us();
    if (type == EXPIRE_CYCLE_FAST) {
        if (!fast_cycle_due(&p, start_us)) return;
        last_fast_start_us = start_us;
    }
    if (hz < 1) hz = 1;
    uint64_t limit_us = type == EXPIRE_CYCLE_FAST
                            ? p.fast_duration_us
                            : (uint64_t)(1000000 * p.slow_time_percent / hz / 100);
    if (limit_us == 0) limit_us = 1;

    int dbs = (int)cfg_databases;
    if (dbs > EXPIRE_DBS_PER_CALL && !last_cycle_timed_out) dbs = EXPIRE_DBS_PER_CALL;
    last_cycle_timed_out = false;
    CycleTotals totals = {0};
    for (int i = 0; i < dbs && !last_cycle_timed_out; i++) {
        /* Advance first: a timeout here makes the next cycle start with the
         * following database, so no database starves the others. */
        Db *db = db_get(next_db);
        next_db = (next_db + 1) % (int)cfg_databases;
        if (expire_db(db, &p, start_us, limit_us, &totals)) {
            last_cycle_timed_out = true;
            db_stats.expired_time_cap_reached_count++;
        }
    }
    db_stats.expire_cycle_time_used_us += ev_monotonic_us() - start_us;
    update_stale_estimate(&totals);
}

/* activerehashing: gives about 1 ms per cron tick to the first table being
 * resized, looking at up to 16 databases from where it last stopped, so big
 * tables finish their resize even when no command touches them. */
static void rehash_cron(void) {
    if (!cfg_activerehashing) return;
    int dbs = cfg_databases < EXPIRE_DBS_PER_CALL ? (int)cfg_databases : EXPIRE_DBS_PER_CALL;
    for (int i = 0; i < dbs; i++) {
        Db *db = db_get(next_rehash_db);
        if (ht_is_rehashing(db->keys)) {
            ht_rehash_ms(db->keys, 1);
            return;
        }
        if (ht_is_rehashing(db->expires)) {
            ht_rehash_ms(db->expires, 1);
            return;
        }
        next_rehash_db = (next_rehash_db + 1) % (int)cfg_databases;
    }
}

void expire_cron(int hz) {
    db_time_refresh();
    expire_cycle(EXPIRE_CYCLE_SLOW, hz);
    /* Hash fields with their own expiry (types/hash.h). */
    if (expire_active_enabled) hash_active_expire_fields(1000);
    rehash_cron();
}

void expire_before_sleep(void) {
    if (!expire_active_enabled) return;
    CycleParams p = cycle_params();
    if (!fast_cycle_has_work(&p)) return; /* the common case, checked without a clock read */
    db_time_refresh();
    expire_cycle(EXPIRE_CYCLE_FAST, 0);
}
