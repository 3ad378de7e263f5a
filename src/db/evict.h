/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/evict.h: access tracking (LRU clock / LFU counter in each object's lru
 * field) and eviction under maxmemory.
 *
 * Threads: main only.
 */
#ifndef KEEL_DB_EVICT_H
#define KEEL_DB_EVICT_H

#include "db/object.h"

/* Seconds-resolution clock in 24 bits, as stored in Obj.lru (LRU policies). */
#define LRU_CLOCK_MAX ((1u << 24) - 1)
unsigned evict_lru_clock(void);

/* Sets a new object's lru field (LRU clock, or LFU initial counter). */
void evict_init_object(Obj *o);
/* Records an access to o (LRU clock, or LFU counter bump). */
void evict_touch(Obj *o);

#endif
