/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/tracking.h: client-side caching (CLIENT TRACKING): remembering the
 * keys a tracking client read, and sending it invalidation messages when
 * they change (RESP3 push "invalidate", or a message on the
 * __redis__:invalidate channel to a redirect client).
 *
 * The core calls the hooks below; everything else lives in
 * server/tracking.c and server/tracking_cmd.c.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_TRACKING_H
#define KEEL_SERVER_TRACKING_H

#include <stdint.h>

#include "db/object.h"
#include "net/client.h"

/* ---- hooks the core calls ---- */

/* Registers tracking-table-max-keys. */
void tracking_register_config(void);
/* After c's command ran (cmd/call.c calls it only for clients with
 * CLIENT_TRACKING): remembers the keys a read-only command read, ends a
 * CLIENT CACHING override, and sends the invalidations c's own command
 * caused (they follow its reply). */
void tracking_remember_keys(Client *c);
/* key changed (db_signal_modified): invalidates it for every client that
 * may cache it. writer is the client whose command changed it (NULL for
 * the server: expiry, eviction), for NOLOOP. Borrows key. */
void tracking_invalidate_key(Client *writer, const Obj *key);
/* A database was flushed (FLUSHDB, FLUSHALL): every tracking client is told
 * to drop everything (a null invalidation). */
void tracking_invalidate_all(void);
/* c is being freed: forgets its tracking state. Called for every client. */
void tracking_client_free(Client *c);
/* Once per event-loop turn, before the pending writes: sends the BCAST
 * invalidations batched during the turn, any invalidation still queued
 * for a client that was busy, and trims the tracking table to
 * tracking-table-max-keys. */
void tracking_flush_pending(void);
/* INFO stats fields: tracking_total_keys, tracking_total_items,
 * tracking_total_prefixes. */
sds tracking_info(sds out);
/* INFO clients field tracking_clients: clients with tracking on. */
unsigned long tracking_client_count(void);

/* ---- per-client state (CLIENT TRACKING and friends, CLIENT LIST) ---- */

/* Tracking options of a client (TRACKING_*). */
#define TRACKING_BCAST (1u << 0)        /* broadcast mode: prefixes, no key table */
#define TRACKING_OPTIN (1u << 1)        /* keys remembered only after CACHING yes */
#define TRACKING_OPTOUT (1u << 2)       /* keys not remembered after CACHING no */
#define TRACKING_NOLOOP (1u << 3)       /* not told about its own writes */
#define TRACKING_CACHING (1u << 4)      /* CLIENT CACHING given for the next command */
#define TRACKING_BROKEN_REDIR (1u << 5) /* the redirect client is gone */

/* c's TRACKING_* options; 0 when tracking is off. */
unsigned tracking_client_options(const Client *c);
/* The REDIRECT client id of c (0: none), or -1 when tracking is off
 * (CLIENT GETREDIR, CLIENT LIST redir=). */
long long tracking_client_redirect(const Client *c);
/* c's BCAST prefixes in byte order (borrowed; valid until c's tracking
 * changes); returns how many. */
size_t tracking_client_prefixes(const Client *c, const sds **prefixes);
/* Writes CLIENT LIST's tracking flag letters for c at p (t, R, B in
 * Valkey's order) and returns the position after them. */
char *tracking_client_flag_letters(const Client *c, char *p);

/* The existing prefix of c (a borrowed sds) that overlaps prefix (one of
 * them starts with the other), or NULL. */
const char *tracking_client_prefix_overlap(const Client *c, const char *prefix, size_t len);
/* Turns tracking on for c (or changes its options, as CLIENT TRACKING on
 * does: options not given are cleared, prefixes are added to those c
 * has). redirect is a client id (0: none) that must exist now. options is
 * TRACKING_BCAST|OPTIN|OPTOUT|NOLOOP; prefixes (borrowed) only with BCAST,
 * none meaning every key. The caller has checked the combination. */
void tracking_enable(Client *c, uint64_t redirect, unsigned options, Obj *const *prefixes,
                     int prefix_count);
/* Turns tracking off for c (no-op when off). */
void tracking_disable(Client *c);
/* CLIENT CACHING yes|no: the next command (or transaction) of c follows
 * the other rule of its OPTIN/OPTOUT mode. */
void tracking_set_caching(Client *c);

#endif
