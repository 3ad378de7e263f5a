/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/persist_info.c: the body of INFO's Persistence section, with
 * Valkey 8's fields in Valkey's order; the aof_* ones come from
 * persist/aof.c. keel has no module forks: those fields show what Valkey
 * shows without them.
 *
 * Threads: main only.
 */
#include "persist/persist.h"

#include "persist/aof.h"
#include "persist/persist_state.h"
#include "server/ev.h"

sds persist_info_section(sds out) {
    const PersistState *st = &persist_state;
    bool child = st->child_pid > 0;
    long long current = child ? (ev_wall_ms() - st->child_start_ms) / 1000 : -1;
    out = sds_cat_printf(out,
                         "loading:%d\r\n"
                         "async_loading:0\r\n"
                         "current_cow_peak:0\r\n"
                         "current_cow_size:0\r\n"
                         "current_cow_size_age:0\r\n"
                         "current_fork_perc:0.00\r\n"
                         "current_save_keys_processed:0\r\n"
                         "current_save_keys_total:0\r\n"
                         "rdb_changes_since_last_save:%llu\r\n"
                         "rdb_bgsave_in_progress:%d\r\n"
                         "rdb_last_save_time:%lld\r\n"
                         "rdb_last_bgsave_status:%s\r\n"
                         "rdb_last_bgsave_time_sec:%lld\r\n"
                         "rdb_current_bgsave_time_sec:%lld\r\n"
                         "rdb_saves:%llu\r\n"
                         "rdb_last_cow_size:0\r\n"
                         "rdb_last_load_keys_expired:%llu\r\n"
                         "rdb_last_load_keys_loaded:%llu\r\n",
                         st->loading ? 1 : 0, st->changes, child ? 1 : 0, st->last_save,
                         st->last_bgsave_ok ? "ok" : "err", st->last_bgsave_seconds, current,
                         st->saves, st->last_load_expired, st->last_load_keys);
    return aof_info_fields(out);
}
