/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/blocking.c: clients blocked on keys (db/blocking.h), as Valkey 7+
 * does it: a blocked command is re-run from the start when one of its keys
 * may hold data, instead of each type serving waiters itself.
 *
 * Per database, a hashtable maps each waited key to a FIFO of waiters (one
 * node per client and key, so leaving is O(1) per key). A write that puts a
 * list or sorted set under a waited key queues the key once on the ready
 * list; after the command, blocking_handle_ready_keys walks each ready
 * key's FIFO (at most the waiters present when the walk began) and re-runs
 * the command of each waiter whose type matches what the key now holds. A
 * re-run that blocks again keeps its node, so its place in every FIFO. The
 * walk stops at the first waiter that finds the key gone: nobody behind it
 * can be served.
 *
 * Timeouts sit in a binary min-heap of deadlines; one event-loop timer is
 * armed for the earliest, so a 0.1 s timeout fires on time rather than on
 * the next cron tick. A client whose wait ends (served, timed out,
 * CLIENT UNBLOCK) gets its pipelined input processed from a zero-delay
 * timer, never from inside another client's command.
 *
 * While blocked, the client's parsed command stays in its parser
 * (command_ready) and its input is read but not executed (net/read.c).
 *
 * Threads: main only.
 */
#include "db/blocking.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/command.h"
#include "net/reply.h"
#include "server/ev.h"
#include "server/mem.h"

/* One client waiting on one key: a node of that key's FIFO. */
typedef struct Waiter {
    struct Waiter *prev, *next; /* FIFO neighbours, oldest first */
    struct BlockedKey *bk;      /* the key's FIFO this node is on */
    Client *client;
} Waiter;

/* A waited key of one database. */
typedef struct BlockedKey {
    Obj *key;           /* bare string; owned reference (also held by ready entries) */
    Waiter *head, *tail;
    Waiter *cursor;     /* the next node of a serve walk in progress, or NULL */
    unsigned long count; /* waiters on the FIFO */
    bool pinned;        /* a serve walk holds it: not freed when it empties */
    bool ready;         /* queued on the ready list */
} BlockedKey;

/* The wait of one blocked client; owned by the client (Client.bstate). */
typedef struct BlockState {
    int btype;          /* BLOCKED_LIST / BLOCKED_ZSET */
    int dbid;
    long long timeout_ms; /* absolute unix ms; 0 = forever */
    size_t heap_pos;    /* index + 1 in the timeout heap; 0 = not there */
    bool reprocessing;  /* its command is being re-run */
    int numkeys;        /* distinct keys: nodes used in waiters[] */
    Waiter waiters[];
} BlockState;

/* A key queued by blocking_signal_key_ready. */
typedef struct ReadyKey {
    int dbid;
    Obj *key; /* one reference */
} ReadyKey;

size_t blocking_ready_pending;

static Ht **maps;             /* per database; NULL until a client waits there */
static unsigned long blocked_count;
static unsigned long waited_keys; /* entries in every map */
static ReadyKey *ready;
static size_t ready_cap;
static bool handling;         /* blocking_handle_ready_keys is running */

static BlockState **heap;     /* timeout min-heap by timeout_ms */
static size_t heap_len, heap_cap;
static long long timer_id;    /* 0 = none armed */
static long long timer_due_ms; /* wall ms the armed timer fires at */

static Client **resume;       /* unblocked clients whose input waits to run */
static size_t resume_len, resume_cap;
static long long resume_timer_id;

/* ---- the per-database maps ---- */

static uint64_t bk_hash(const void *key) {
    size_t len;
    const char *p = obj_key(key, &len);
    return ht_hash(p, len);
}

static int bk_compare(const void *a, const void *b) {
    size_t alen, blen;
    const char *ap = obj_key(a, &alen);
    const char *bp = obj_key(b, &blen);
    return alen != blen || memcmp(ap, bp, alen) != 0;
}

static const void *bk_get_key(const void *entry) {
    return ((const BlockedKey *)entry)->key;
}

static void bk_destroy(void *entry) {
    BlockedKey *bk = entry;
    obj_decr_ref(bk->key);
    mem_free(bk);
    waited_keys--;
}

static const HtType blocked_keys_type = {
    .hash = bk_hash, .key_compare = bk_compare, .entry_get_key = bk_get_key,
    .entry_destructor = bk_destroy};

static Ht *map_for(int dbid, bool create) {
    if (maps == NULL) {
        if (!create) return NULL;
        maps = mem_calloc(sizeof(Ht *) * (size_t)cfg_databases);
    }
    if (maps[dbid] == NULL && create) maps[dbid] = ht_create(&blocked_keys_type);
    return maps[dbid];
}

/* Copies a key argument into a bare string object the map can own. */
static Obj *key_copy(Obj *key) {
    char buf[24];
    size_t len;
    const char *p = key->has_key ? obj_key(key, &len) : obj_string_bytes(key, buf, &len);
    return obj_create_string(p, len);
}

static void waiter_append(Ht *map, Obj *key, Waiter *w) {
    BlockedKey *bk = ht_find(map, key);
    if (bk == NULL) {
        bk = mem_calloc(sizeof(*bk));
        bk->key = key_copy(key);
        ht_add(map, bk);
        waited_keys++;
    }
    w->bk = bk;
    w->next = NULL;
    w->prev = bk->tail;
    if (bk->tail)
        bk->tail->next = w;
    else
        bk->head = w;
    bk->tail = w;
    bk->count++;
}

static void waiter_remove(int dbid, Waiter *w) {
    BlockedKey *bk = w->bk;
    if (bk->cursor == w) bk->cursor = w->next; /* a serve walk skips the gone node */
    if (w->prev)
        w->prev->next = w->next;
    else
        bk->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        bk->tail = w->prev;
    w->prev = w->next = NULL;
    w->bk = NULL;
    if (--bk->count == 0 && !bk->pinned) ht_delete(maps[dbid], bk->key);
}

/* ---- the timeout heap ---- */

static void heap_place(size_t i, BlockState *bs) {
    heap[i] = bs;
    bs->heap_pos = i + 1;
}

static void heap_sift_up(size_t i) {
    BlockState *bs = heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (heap[parent]->timeout_ms <= bs->timeout_ms) break;
        heap_place(i, heap[parent]);
        i = parent;
    }
    heap_place(i, bs);
}

static void heap_sift_down(size_t i) {
    BlockState *bs = heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= heap_len) break;
        if (child + 1 < heap_len && heap[child + 1]->timeout_ms < heap[child]->timeout_ms) child++;
        if (heap[child]->timeout_ms >= bs->timeout_ms) break;
        heap_place(i, heap[child]);
        i = child;
    }
    heap_place(i, bs);
}

static void heap_remove(BlockState *bs) {
    if (bs->heap_pos == 0) return;
    size_t i = bs->heap_pos - 1;
    bs->heap_pos = 0;
    BlockState *last = heap[--heap_len];
    if (i == heap_len) return;
    heap_place(i, last);
    heap_sift_up(i);
    heap_sift_down(last->heap_pos - 1);
}

static long long timeout_proc(long long id, void *data);

/* Arms the timer for the earliest deadline if none is armed for it yet. */
static void timer_arm(void) {
    if (heap_len == 0) return;
    long long due = heap[0]->timeout_ms;
    if (timer_id != 0 && timer_due_ms <= due) return;
    if (timer_id != 0) ev_timer_remove(timer_id);
    long long delay = due - ev_wall_ms();
    timer_id = ev_timer_add(delay < 0 ? 0 : delay, timeout_proc, NULL);
    timer_due_ms = due;
}

static void heap_add(BlockState *bs) {
    if (heap_len == heap_cap) {
        heap_cap = heap_cap ? heap_cap * 2 : 16;
        heap = mem_realloc(heap, sizeof(*heap) * heap_cap);
    }
    heap_place(heap_len++, bs);
    heap_sift_up(heap_len - 1);
    timer_arm();
}

/* ---- resuming unblocked clients ---- */

static long long resume_proc(long long id, void *data) {
    (void)id;
    (void)data;
    resume_timer_id = 0;
    /* Only the clients queued now: one that blocks again and is unblocked
     * during this pass waits for the next one. */
    size_t todo = resume_len;
    Client **batch = resume;
    resume = NULL;
    resume_len = resume_cap = 0;
    for (size_t i = 0; i < todo; i++) {
        Client *c = batch[i];
        if (c == NULL) continue;
        c->flags &= ~CLIENT_UNBLOCKED;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        batch[i] = NULL;
        uint32_t in_read = c->flags & CLIENT_IN_READ_HANDLER;
        c->flags |= CLIENT_IN_READ_HANDLER; /* nothing frees c under our feet */
        client_process_input(c);
        if (!in_read) c->flags &= ~CLIENT_IN_READ_HANDLER;
    }
    mem_free(batch);
    return -1;
}

static void resume_queue(Client *c) {
    if (resume_len == resume_cap) {
        resume_cap = resume_cap ? resume_cap * 2 : 8;
        resume = mem_realloc(resume, sizeof(*resume) * resume_cap);
    }
    resume[resume_len++] = c;
    c->flags |= CLIENT_UNBLOCKED; /* no READ job until then: resume_proc parses */
    if (resume_timer_id == 0) resume_timer_id = ev_timer_add(0, resume_proc, NULL);
}

/* ---- blocking and unblocking ---- */

static bool key_seen(Obj **keys, int upto, Obj *key) {
    for (int i = 0; i < upto; i++)
        if (bk_compare(keys[i], key) == 0) return true;
    return false;
}

/* The reply of a client that may not block: the timeout reply, except that
 * Valkey's BLMOVE and BRPOPLPUSH answer a null bulk there. */
static void reply_cannot_block(Client *c) {
    const char *name = c->cmd ? c->cmd->name : "";
    if (!strcasecmp(name, "blmove") || !strcasecmp(name, "brpoplpush"))
        reply_null(c);
    else
        reply_null_array(c);
}

void block_for_keys(Client *c, int btype, Obj **keys, int numkeys, long long timeout_ms) {
    if (c->flags & CLIENT_DENY_BLOCKING) {
        reply_cannot_block(c);
        return;
    }
    BlockState *bs = c->bstate;
    if (bs && bs->reprocessing) {
        /* A re-run found nothing again: the wait goes on where it was, with
         * its first timeout (Valkey keeps the original deadline too). */
        c->flags |= CLIENT_BLOCKED;
        return;
    }
    bs = mem_calloc(sizeof(*bs) + sizeof(Waiter) * (size_t)numkeys);
    bs->btype = btype;
    bs->dbid = c->db;
    bs->timeout_ms = timeout_ms;
    c->bstate = bs;
    Ht *map = map_for(c->db, true);
    for (int i = 0; i < numkeys; i++) {
        if (key_seen(keys, i, keys[i])) continue; /* BLPOP k k: one place in k's FIFO */
        Waiter *w = &bs->waiters[bs->numkeys++];
        w->client = c;
        waiter_append(map, keys[i], w);
    }
    if (timeout_ms > 0) heap_add(bs);
    c->flags |= CLIENT_BLOCKED;
    blocked_count++;
}

/* Removes c's wait (keys, heap) and frees it. No reply. */
static void unblock_forget(Client *c) {
    BlockState *bs = c->bstate;
    if (bs == NULL) return;
    for (int i = 0; i < bs->numkeys; i++)
        if (bs->waiters[i].bk) waiter_remove(bs->dbid, &bs->waiters[i]);
    heap_remove(bs);
    mem_free(bs);
    c->bstate = NULL;
    c->flags &= ~CLIENT_BLOCKED;
    blocked_count--;
}

/* c's blocked command is over (its reply given): free its arguments and
 * let its next commands run. */
static void unblock_finish(Client *c) {
    unblock_forget(c);
    client_blocked_command_done(c);
    resume_queue(c);
}

void blocking_client_gone(Client *c) {
    if (c->bstate) unblock_forget(c);
    for (size_t i = 0; i < resume_len; i++)
        if (resume[i] == c) resume[i] = NULL;
}

/* Ends c's wait with the timeout reply (or CLIENT UNBLOCK's error). */
static void unblock_with_reply(Client *c, bool error) {
    if (error)
        reply_error(c, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else
        reply_null_array(c);
    cmd_count_unblocked_call(c, error);
    unblock_finish(c);
}

bool blocking_unblock_client(Client *c, bool error) {
    if (!(c->flags & CLIENT_BLOCKED) || c->bstate == NULL) return false;
    unblock_with_reply(c, error);
    return true;
}

static long long timeout_proc(long long id, void *data) {
    (void)id;
    (void)data;
    long long now = ev_wall_ms();
    while (heap_len > 0 && heap[0]->timeout_ms <= now) {
        BlockState *bs = heap[0];
        Client *c = bs->waiters[0].client;
        unblock_with_reply(c, false); /* removes bs from the heap */
    }
    if (heap_len == 0) {
        timer_id = 0;
        return -1;
    }
    timer_due_ms = heap[0]->timeout_ms;
    return timer_due_ms - now;
}

/* ---- serving ready keys ---- */

void blocking_signal_key_ready(Db *db, Obj *key) {
    if (blocked_count == 0 || maps == NULL || maps[db->id] == NULL) return;
    BlockedKey *bk = ht_find(maps[db->id], key);
    if (bk == NULL || bk->ready) return;
    bk->ready = true;
    if (blocking_ready_pending == ready_cap) {
        ready_cap = ready_cap ? ready_cap * 2 : 8;
        ready = mem_realloc(ready, sizeof(*ready) * ready_cap);
    }
    obj_incr_ref(bk->key);
    ready[blocking_ready_pending++] = (ReadyKey){.dbid = db->id, .key = bk->key};
}

static bool type_serves(int btype, int type) {
    return (btype == BLOCKED_LIST && type == OBJ_LIST) ||
           (btype == BLOCKED_ZSET && type == OBJ_ZSET);
}

/* Re-runs c's blocked command as if it had just arrived. */
static void rerun(Client *c) {
    BlockState *bs = c->bstate;
    c->argc = c->parser.argc;
    c->argv = c->parser.argv;
    if (pause_blocks_command(c)) {
        /* A paused write is not served: the client leaves its keys and
         * waits for the pause like any new command (Valkey does the same). */
        unblock_forget(c);
        client_pause_hold(c);
        c->argc = 0;
        c->argv = NULL;
        return;
    }
    bs->reprocessing = true;
    c->flags &= ~CLIENT_BLOCKED; /* set again by block_for_keys if it waits on */
    uint32_t in_read = c->flags & CLIENT_IN_READ_HANDLER;
    c->flags |= CLIENT_IN_READ_HANDLER; /* nothing frees c under our feet */
    cmd_process(c);
    if (!in_read) c->flags &= ~CLIENT_IN_READ_HANDLER;
    c->argc = 0;
    c->argv = NULL;
    if (c->flags & CLIENT_BLOCKED) {
        bs->reprocessing = false;
        return;
    }
    unblock_finish(c);
}

static void serve_key(const ReadyKey *rk) {
    Ht *map = maps ? maps[rk->dbid] : NULL;
    BlockedKey *bk = map ? ht_find(map, rk->key) : NULL;
    if (bk == NULL) return;
    bk->ready = false;
    Db *db = db_get(rk->dbid);
    /* Only the waiters present now: a re-run that blocks again keeps its
     * node, so the walk cannot loop. */
    unsigned long todo = bk->count;
    bk->pinned = true;
    bk->cursor = bk->head;
    while (bk->cursor && todo-- > 0) {
        Waiter *w = bk->cursor;
        bk->cursor = w->next;
        Client *c = w->client;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        Obj *o = db_lookup_read(db, bk->key, LOOKUP_NOTOUCH | LOOKUP_NOSTATS | LOOKUP_NOEXPIRE);
        if (o == NULL) break; /* emptied: nobody behind can be served */
        if (!type_serves(c->bstate->btype, o->type)) continue;
        rerun(c);
    }
    bk->pinned = false;
    bk->cursor = NULL;
    if (bk->count == 0) ht_delete(map, bk->key);
}

void blocking_handle_ready_keys(void) {
    if (handling) return;
    handling = true;
    while (blocking_ready_pending > 0) {
        ReadyKey *batch = ready;
        size_t n = blocking_ready_pending;
        ready = NULL;
        ready_cap = 0;
        blocking_ready_pending = 0;
        for (size_t i = 0; i < n; i++) {
            serve_key(&batch[i]);
            obj_decr_ref(batch[i].key);
        }
        mem_free(batch);
    }
    handling = false;
}

static void signal_if_filled(void *privdata, void *entry) {
    Db *db = privdata;
    BlockedKey *bk = entry;
    Obj *o = db_lookup_read(db, bk->key, LOOKUP_NOTOUCH | LOOKUP_NOSTATS | LOOKUP_NOEXPIRE);
    if (o != NULL) blocking_signal_key_ready(db, bk->key);
}

void blocking_signal_db_keys(Db *db) {
    Ht *map = map_for(db->id, false);
    if (map == NULL || ht_size(map) == 0) return;
    unsigned long long cursor = 0;
    do {
        cursor = ht_scan(map, cursor, signal_if_filled, db);
    } while (cursor != 0);
}

/* ---- counters ---- */

unsigned long blocking_blocked_clients(void) {
    return blocked_count;
}

unsigned long blocking_total_keys(void) {
    return waited_keys;
}

unsigned long blocking_clients_with_timeout(void) {
    return heap_len;
}

/* ---- the timeout argument ---- */

bool blocking_parse_timeout(Client *c, Obj *arg, long long *timeout_ms) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(arg, buf, &len);
    char tmp[64];
    /* Valkey parses a long double: no leading space, no NaN; infinity
     * passes the parse and fails the range check below. */
    if (len == 0 || len >= sizeof(tmp) || p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r')) {
        reply_error(c, "timeout is not a float or out of range");
        return false;
    }
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    char *end;
    long double seconds = strtold(tmp, &end);
    if (*end != '\0' || isnan(seconds)) {
        reply_error(c, "timeout is not a float or out of range");
        return false;
    }
    long double ms = seconds * 1000.0L;
    if (ms > (long double)LLONG_MAX) {
        reply_error(c, "timeout is out of range");
        return false;
    }
    long double rounded = ceill(ms);
    if (rounded < 0) {
        reply_error(c, "timeout is negative");
        return false;
    }
    long long whole = (long long)rounded;
    if (whole > 0 && whole > LLONG_MAX - db_now_ms) {
        reply_error(c, "timeout is out of range");
        return false;
    }
    *timeout_ms = whole == 0 ? 0 : db_now_ms + whole;
    return true;
}
