/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/lazyfree.h: freeing big values and whole databases on a background
 * thread (UNLINK, FLUSHALL ASYNC, and DEL/expiry/eviction when the
 * lazyfree-lazy-* options say so), so a client never waits for millions of
 * frees.
 *
 * The main thread hands over something nothing else references any more;
 * the thread frees it and counts it. Only allocator calls happen there (the
 * allocator is thread-safe; the keyspace is never touched).
 *
 * Threads: the submit functions and counters are for the main thread; the
 * worker is private to db/lazyfree.c.
 */
#ifndef KEEL_DB_LAZYFREE_H
#define KEEL_DB_LAZYFREE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/object.h"
#include "ds/ht.h"

/* The lazyfree-lazy-* options (yes by default, as in Valkey 8). */
extern int cfg_lazyfree_lazy_eviction;
extern int cfg_lazyfree_lazy_expire;
extern int cfg_lazyfree_lazy_server_del;
extern int cfg_lazyfree_lazy_user_del;
extern int cfg_lazyfree_lazy_user_flush;

/* Values whose free costs more than this many allocations go to the
 * thread; cheaper ones are freed at once (the handoff would cost more). */
#define LAZYFREE_THRESHOLD 64

void lazyfree_register_config(void);
/* Starts the thread. Once, at startup. */
void lazyfree_init(void);
/* Roughly how many allocations freeing o's value takes. */
size_t lazyfree_effort(const Obj *o);
/* Frees o now, or on the thread when its effort is above the threshold. */
void lazyfree_free_object(Obj *o);
/* Frees both tables (and every object in keys) on the thread. */
void lazyfree_free_tables(Ht *keys, Ht *expires);
/* Objects (a table counts its entries) handed over and not yet freed. */
size_t lazyfree_pending_objects(void);
/* Objects freed by the thread since start or the last CONFIG RESETSTAT. */
unsigned long long lazyfree_freed_objects(void);
void lazyfree_reset_stats(void);
/* Waits until everything handed over so far is freed (tests, shutdown). */
void lazyfree_drain(void);

#endif
