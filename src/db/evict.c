/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/evict.c: access tracking for eviction (see db/evict.h).
 */
#include "db/evict.h"

#include "db/db.h"

unsigned evict_lru_clock(void) {
    return (unsigned)((db_now_ms / 1000) & LRU_CLOCK_MAX);
}

void evict_init_object(Obj *o) {
    o->lru = evict_lru_clock();
}

void evict_touch(Obj *o) {
    o->lru = evict_lru_clock();
}
