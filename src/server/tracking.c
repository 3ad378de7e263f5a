/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/tracking.c: client-side caching state and invalidation messages
 * (server/tracking.h); the CLIENT subcommands that drive it are in
 * server/tracking_cmd.c.
 *
 * Three tables, all created on first use so a server nobody tracks pays one
 * load and branch per write:
 *
 * - the registry: TrackingClient by client id, for every client that turned
 *   tracking on or is some client's REDIRECT target. Ids are what the key
 *   table stores, and client_find_by_id walks every client, so ids are
 *   resolved here instead; tracking_client_free drops a client, which is
 *   how a freed redirect target shows up as a broken redirect.
 * - the key table (default mode): key name -> sorted ids of the clients
 *   that read it. Like Valkey, ids are not removed when a client turns
 *   tracking off or goes away: the entry is dropped whole when the key
 *   changes, and stale ids are skipped then. The table is kept under
 *   tracking-table-max-keys by invalidating random keys.
 * - the prefix table (BCAST): prefixes in byte order, each with its
 *   subscribed clients and the keys under it changed in this event-loop
 *   turn (with their last writer, for NOLOOP); tracking_flush_pending sends
 *   them as one message per prefix and client, keys in byte order.
 *
 * An invalidation caused by a tracking client's own command is held until
 * its reply is complete (Valkey's rule): tracking_remember_keys, which runs
 * after each of its commands, sends it.
 *
 * Threads: main only.
 */
#include "server/tracking.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/keys.h"
#include "ds/ht.h"
#include "net/reply.h"
#include "server/config.h"
#include "server/mem.h"

#define INVALIDATE_CHANNEL "__redis__:invalidate"

/* A borrowed byte string: the key of the key and pending-key tables. */
typedef struct KeyName {
    const char *p;
    size_t len;
} KeyName;

/* Tracking state of one client (Client.tracking), also the registry entry. */
typedef struct TrackingClient {
    uint64_t id;     /* the client's id: the registry key */
    Client *client;  /* back pointer; the entry dies with the client */
    uint64_t redirect; /* REDIRECT client id, 0 for none */
    unsigned options;  /* TRACKING_* */
    sds *prefixes;     /* BCAST prefixes in byte order; owned */
    size_t prefix_count;
} TrackingClient;

/* One key of the key table: who may cache it. */
typedef struct TrackedKey {
    KeyName name;       /* points at bytes */
    uint64_t *ids;      /* sorted client ids: &one, or an owned array */
    uint32_t count;
    uint32_t capacity;
    uint64_t one;       /* storage for the first id: most keys have one reader */
    char bytes[];
} TrackedKey;

/* A key changed under a BCAST prefix since the last flush. */
typedef struct PendingKey {
    KeyName name;       /* points at bytes */
    uint64_t writer_id; /* last client that changed it, 0 for the server */
    char bytes[];
} PendingKey;

/* One BCAST prefix and its subscribers. */
typedef struct BcastPrefix {
    sds prefix;
    Client **clients; /* subscribed clients (borrowed; removed on disable) */
    size_t client_count, client_capacity;
    Ht *changed;      /* PendingKey entries; owned */
} BcastPrefix;

/* An invalidation held until the target's command has replied. */
typedef struct HeldMessage {
    uint64_t client_id;
    sds key; /* NULL: a flush (null invalidation) */
} HeldMessage;

typedef enum PayloadKind {
    PAYLOAD_KEY,   /* one key: an array of one bulk */
    PAYLOAD_NULL,  /* everything: a null */
    PAYLOAD_ARRAY, /* keys already framed as a RESP array */
} PayloadKind;

static long long cfg_tracking_table_max_keys; /* tracking-table-max-keys; 0 = no limit */

static Ht *registry;     /* TrackingClient by id; NULL until first use */
static Ht *tracked_keys; /* TrackedKey by name; NULL until first use */
static unsigned long long tracked_items; /* ids summed over tracked_keys */
static unsigned long tracking_clients;   /* clients with CLIENT_TRACKING */

static BcastPrefix **prefix_table; /* sorted by prefix bytes */
static size_t prefix_table_count, prefix_table_capacity;

static HeldMessage *held;
static size_t held_count, held_capacity;

static unsigned limit_rounds; /* turns the key table stayed over its limit */

/* ---- small helpers ---- */

static int bytes_compare(const char *a, size_t alen, const char *b, size_t blen) {
    size_t min = alen < blen ? alen : blen;
    int r = min ? memcmp(a, b, min) : 0;
    if (r != 0) return r;
    return alen < blen ? -1 : alen > blen;
}

static uint64_t name_hash(const void *key) {
    const KeyName *name = key;
    return ht_hash(name->p, name->len);
}

static int name_compare(const void *a, const void *b) {
    const KeyName *x = a, *y = b;
    return x->len != y->len || memcmp(x->p, y->p, x->len) != 0;
}

static const void *entry_name(const void *entry) {
    /* TrackedKey and PendingKey both start with their KeyName. */
    return entry;
}

static void tracked_key_free(void *entry) {
    TrackedKey *tk = entry;
    if (tk->ids != &tk->one) mem_free(tk->ids);
    mem_free(tk);
}

static const HtType tracked_key_type = {
    .hash = name_hash,
    .key_compare = name_compare,
    .entry_get_key = entry_name,
    .entry_destructor = tracked_key_free,
};

static const HtType pending_key_type = {
    .hash = name_hash,
    .key_compare = name_compare,
    .entry_get_key = entry_name,
    .entry_destructor = mem_free,
};

static uint64_t id_hash(const void *key) {
    return ht_hash(key, sizeof(uint64_t));
}

static int id_compare(const void *a, const void *b) {
    return *(const uint64_t *)a != *(const uint64_t *)b;
}

static const void *registry_entry_id(const void *entry) {
    return &((const TrackingClient *)entry)->id;
}

static const HtType registry_type = {
    .hash = id_hash,
    .key_compare = id_compare,
    .entry_get_key = registry_entry_id,
    .entry_destructor = NULL, /* tracking_client_free frees entries */
};

/* The bytes of a key object: keyed, or a bare argument (INT ones too). */
static const char *key_bytes(const Obj *key, char *buf, size_t *len) {
    if (!key->has_key && key->encoding == OBJ_ENCODING_INT) return obj_string_bytes(key, buf, len);
    return obj_key(key, len);
}

/* ---- the registry ---- */

static TrackingClient *registry_add(Client *c) {
    if (c->tracking) return c->tracking;
    if (registry == NULL) registry = ht_create(&registry_type);
    TrackingClient *tc = mem_calloc(sizeof(*tc));
    tc->id = c->id;
    tc->client = c;
    ht_add(registry, tc);
    c->tracking = tc;
    return tc;
}

static Client *registry_find(uint64_t id) {
    if (registry == NULL) return NULL;
    TrackingClient *tc = ht_find(registry, &id);
    return tc ? tc->client : NULL;
}

/* ---- sending ---- */

static void reply_payload(Client *to, PayloadKind kind, const char *p, size_t len) {
    switch (kind) {
    case PAYLOAD_KEY:
        reply_array_len(to, 1);
        reply_bulk(to, p, len);
        break;
    case PAYLOAD_NULL:
        reply_null(to);
        break;
    case PAYLOAD_ARRAY:
        reply_raw(to, p, len);
        break;
    }
}

/* Writes one push-like message to c even under CLIENT REPLY OFF/SKIP, as
 * Valkey lets pushes through: the header, then whatever the caller adds
 * before push_end. */
static uint32_t push_begin(Client *c) {
    uint32_t was = c->flags & CLIENT_PUSHING;
    c->flags |= CLIENT_PUSHING;
    return was;
}

static void push_end(Client *c, uint32_t was) {
    c->flags = (c->flags & ~CLIENT_PUSHING) | was;
}

/* Tells tracking client target to drop the payload's keys: a RESP3 push
 * "invalidate" to whoever receives its messages, or a __redis__:invalidate
 * message to a RESP2 redirect client in Pub/Sub mode. A RESP2 client
 * without redirection cannot be told anything. A redirect client that is
 * gone marks target's redirect broken and (RESP3) tells target so. */
static void send_invalidation(Client *target, PayloadKind kind, const char *p, size_t len) {
    TrackingClient *tc = target->tracking;
    Client *to = target;
    if (tc->redirect != 0) {
        to = registry_find(tc->redirect);
        if (to == NULL) {
            tc->options |= TRACKING_BROKEN_REDIR;
            if (target->resp >= 3) {
                uint32_t was = push_begin(target);
                reply_push_len(target, 2);
                reply_bulk(target, "tracking-redir-broken", 21);
                reply_ll(target, (long long)tc->redirect);
                push_end(target, was);
            }
            return;
        }
    }
    if (to->resp < 3 && !(tc->redirect != 0 && (to->flags & CLIENT_PUBSUB))) return;
    uint32_t was = push_begin(to);
    if (to->resp >= 3) {
        reply_push_len(to, 2);
        reply_bulk(to, "invalidate", 10);
    } else {
        reply_array_len(to, 3);
        reply_bulk(to, "message", 7);
        reply_bulk(to, INVALIDATE_CHANNEL, sizeof(INVALIDATE_CHANNEL) - 1);
    }
    reply_payload(to, kind, p, len);
    push_end(to, was);
}

/* Holds an invalidation for a client whose command is still running. key
 * NULL: a flush. */
static void hold_message(Client *target, const char *key, size_t len) {
    if (held_count == held_capacity) {
        held_capacity = held_capacity ? held_capacity * 2 : 8;
        held = mem_realloc(held, held_capacity * sizeof(*held));
    }
    held[held_count].client_id = target->id;
    held[held_count].key = key ? sds_new_len(key, len) : NULL;
    held_count++;
}

static void send_held_messages(void) {
    for (size_t i = 0; i < held_count; i++) {
        Client *c = registry_find(held[i].client_id);
        sds key = held[i].key;
        if (c && (c->flags & CLIENT_TRACKING))
            send_invalidation(c, key ? PAYLOAD_KEY : PAYLOAD_NULL, key, key ? sds_len(key) : 0);
        sds_free(key);
    }
    held_count = 0;
}

/* ---- the key table ---- */

/* Adds id to tk's sorted ids; returns 1, or 0 if it was there. */
static int tracked_key_add_id(TrackedKey *tk, uint64_t id) {
    uint32_t lo = 0, hi = tk->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (tk->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < tk->count && tk->ids[lo] == id) return 0;
    if (tk->count == tk->capacity) {
        uint32_t capacity = tk->capacity < 2 ? 4 : tk->capacity * 2;
        if (tk->ids == &tk->one) {
            uint64_t *ids = mem_alloc(capacity * sizeof(uint64_t));
            ids[0] = tk->one;
            tk->ids = ids;
        } else {
            tk->ids = mem_realloc(tk->ids, capacity * sizeof(uint64_t));
        }
        tk->capacity = capacity;
    }
    memmove(tk->ids + lo + 1, tk->ids + lo, (tk->count - lo) * sizeof(uint64_t));
    tk->ids[lo] = id;
    tk->count++;
    return 1;
}

static void remember_key(uint64_t id, const char *p, size_t len) {
    KeyName name = {p, len};
    HtPosition pos;
    void *existing;
    if (!ht_find_position_for_insert(tracked_keys, &name, &pos, &existing)) {
        tracked_items += (unsigned long long)tracked_key_add_id(existing, id);
        return;
    }
    TrackedKey *tk = mem_alloc(sizeof(*tk) + len + 1);
    memcpy(tk->bytes, p, len);
    tk->bytes[len] = '\0';
    tk->name.p = tk->bytes;
    tk->name.len = len;
    tk->one = id;
    tk->ids = &tk->one;
    tk->count = tk->capacity = 1;
    ht_insert_at_position(tracked_keys, tk, &pos);
    tracked_items++;
}

/* Drops key from the key table, telling every client that read it (except
 * writer under NOLOOP; writer itself later if it is mid-command). */
static void invalidate_tracked(Client *writer, const char *p, size_t len) {
    KeyName name = {p, len};
    void *popped;
    if (tracked_keys == NULL || !ht_pop(tracked_keys, &name, &popped)) return;
    TrackedKey *tk = popped;
    for (uint32_t i = 0; i < tk->count; i++) {
        Client *target = registry_find(tk->ids[i]);
        /* Gone, tracking off, or switched to BCAST since it read the key. */
        if (target == NULL || !(target->flags & CLIENT_TRACKING) ||
            (target->tracking->options & TRACKING_BCAST))
            continue;
        if (target == writer) {
            if (target->tracking->options & TRACKING_NOLOOP) continue;
            if (target->flags & CLIENT_EXECUTING) {
                hold_message(target, tk->bytes, tk->name.len);
                continue;
            }
        }
        send_invalidation(target, PAYLOAD_KEY, tk->bytes, tk->name.len);
    }
    tracked_items -= tk->count;
    tracked_key_free(tk);
}

/* Invalidates random keys while the key table is over its limit, with an
 * effort that grows each turn it stays over (as Valkey does). */
static void limit_tracked_keys(void) {
    if (tracked_keys == NULL || cfg_tracking_table_max_keys == 0 ||
        ht_size(tracked_keys) <= (size_t)cfg_tracking_table_max_keys) {
        limit_rounds = 0;
        return;
    }
    long effort = 100L * (long)(limit_rounds + 1);
    while (effort-- > 0) {
        TrackedKey *tk = ht_random_entry(tracked_keys);
        if (tk == NULL) break;
        invalidate_tracked(NULL, tk->name.p, tk->name.len);
        if (ht_size(tracked_keys) <= (size_t)cfg_tracking_table_max_keys) {
            limit_rounds = 0;
            return;
        }
    }
    limit_rounds++;
}

/* ---- the prefix table (BCAST) ---- */

/* Index of prefix p in the table, or where it would go (*found 0). */
static size_t prefix_table_search(const char *p, size_t len, int *found) {
    size_t lo = 0, hi = prefix_table_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        sds q = prefix_table[mid]->prefix;
        int r = bytes_compare(q, sds_len(q), p, len);
        if (r == 0) {
            *found = 1;
            return mid;
        }
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

/* Index of prefix p among sorted, or where it would go (*found 0). */
static size_t sorted_sds_search(sds *sorted, size_t count, const char *p, size_t len, int *found) {
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = bytes_compare(sorted[mid], sds_len(sorted[mid]), p, len);
        if (r == 0) {
            *found = 1;
            return mid;
        }
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

static BcastPrefix *prefix_table_get(const char *p, size_t len) {
    int found;
    size_t idx = prefix_table_search(p, len, &found);
    if (found) return prefix_table[idx];
    BcastPrefix *bp = mem_calloc(sizeof(*bp));
    bp->prefix = sds_new_len(p, len);
    bp->changed = ht_create(&pending_key_type);
    if (prefix_table_count == prefix_table_capacity) {
        prefix_table_capacity = prefix_table_capacity ? prefix_table_capacity * 2 : 8;
        prefix_table = mem_realloc(prefix_table, prefix_table_capacity * sizeof(*prefix_table));
    }
    memmove(prefix_table + idx + 1, prefix_table + idx,
            (prefix_table_count - idx) * sizeof(*prefix_table));
    prefix_table[idx] = bp;
    prefix_table_count++;
    return bp;
}

/* Subscribes c (tracking in BCAST mode) to prefix p; no-op if it is. */
static void prefix_subscribe(Client *c, const char *p, size_t len) {
    TrackingClient *tc = c->tracking;
    int found;
    size_t idx = sorted_sds_search(tc->prefixes, tc->prefix_count, p, len, &found);
    if (found) return;
    tc->prefixes = mem_realloc(tc->prefixes, (tc->prefix_count + 1) * sizeof(sds));
    memmove(tc->prefixes + idx + 1, tc->prefixes + idx, (tc->prefix_count - idx) * sizeof(sds));
    tc->prefixes[idx] = sds_new_len(p, len);
    tc->prefix_count++;

    BcastPrefix *bp = prefix_table_get(p, len);
    if (bp->client_count == bp->client_capacity) {
        bp->client_capacity = bp->client_capacity ? bp->client_capacity * 2 : 4;
        bp->clients = mem_realloc(bp->clients, bp->client_capacity * sizeof(Client *));
    }
    bp->clients[bp->client_count++] = c;
}

/* Removes c from prefix p's subscribers; the prefix goes with its last. */
static void prefix_unsubscribe(Client *c, const char *p, size_t len) {
    int found;
    size_t idx = prefix_table_search(p, len, &found);
    if (!found) return;
    BcastPrefix *bp = prefix_table[idx];
    for (size_t i = 0; i < bp->client_count; i++) {
        if (bp->clients[i] != c) continue;
        bp->clients[i] = bp->clients[--bp->client_count];
        break;
    }
    if (bp->client_count > 0) return;
    ht_destroy(bp->changed);
    sds_free(bp->prefix);
    mem_free(bp->clients);
    mem_free(bp);
    prefix_table_count--;
    memmove(prefix_table + idx, prefix_table + idx + 1,
            (prefix_table_count - idx) * sizeof(*prefix_table));
}

/* Notes a changed key under every prefix it starts with. */
static void bcast_note_key(Client *writer, const char *p, size_t len) {
    for (size_t i = 0; i < prefix_table_count; i++) {
        BcastPrefix *bp = prefix_table[i];
        size_t plen = sds_len(bp->prefix);
        if (plen > len || (plen && memcmp(bp->prefix, p, plen) != 0)) continue;
        KeyName name = {p, len};
        HtPosition pos;
        void *existing;
        PendingKey *pk;
        if (ht_find_position_for_insert(bp->changed, &name, &pos, &existing)) {
            pk = mem_alloc(sizeof(*pk) + len + 1);
            memcpy(pk->bytes, p, len);
            pk->bytes[len] = '\0';
            pk->name.p = pk->bytes;
            pk->name.len = len;
            ht_insert_at_position(bp->changed, pk, &pos);
        } else {
            pk = existing;
        }
        pk->writer_id = writer ? writer->id : 0;
    }
}

static int pending_key_order(const void *a, const void *b) {
    const PendingKey *x = *(PendingKey *const *)a, *y = *(PendingKey *const *)b;
    return bytes_compare(x->name.p, x->name.len, y->name.p, y->name.len);
}

/* The keys as a RESP array, leaving out those last changed by skip_id
 * (0: none); NULL when nothing is left. Returns a new sds. */
static sds build_key_array(PendingKey **keys, size_t count, uint64_t skip_id) {
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (skip_id == 0 || keys[i]->writer_id != skip_id) kept++;
    if (kept == 0) return NULL;
    sds out = sds_cat_printf(sds_empty(), "*%zu\r\n", kept);
    for (size_t i = 0; i < count; i++) {
        if (skip_id != 0 && keys[i]->writer_id == skip_id) continue;
        out = sds_cat_printf(out, "$%zu\r\n", keys[i]->name.len);
        out = sds_cat_len(out, keys[i]->name.p, keys[i]->name.len);
        out = sds_cat_len(out, "\r\n", 2);
    }
    return out;
}

/* Sends one prefix's changed keys to its subscribers and forgets them. */
static void bcast_flush_prefix(BcastPrefix *bp) {
    size_t count = ht_size(bp->changed);
    PendingKey **keys = mem_alloc(count * sizeof(*keys));
    size_t n = 0;
    HtIter it;
    void *entry;
    ht_iter_init(&it, bp->changed, 0);
    while (ht_iter_next(&it, &entry)) keys[n++] = entry;
    ht_iter_deinit(&it);
    qsort(keys, n, sizeof(*keys), pending_key_order);

    sds all = build_key_array(keys, n, 0);
    for (size_t i = 0; i < bp->client_count; i++) {
        Client *c = bp->clients[i];
        if (c->tracking->options & TRACKING_NOLOOP) {
            sds mine = build_key_array(keys, n, c->id);
            if (mine) send_invalidation(c, PAYLOAD_ARRAY, mine, sds_len(mine));
            sds_free(mine);
        } else {
            send_invalidation(c, PAYLOAD_ARRAY, all, sds_len(all));
        }
    }
    sds_free(all);
    mem_free(keys);
    ht_clear(bp->changed);
}

/* ---- hooks ---- */

void tracking_register_config(void) {
    static const KeelConfigOption option = {
        .size = sizeof(KeelConfigOption),
        .name = "tracking-table-max-keys",
        .type = KEEL_CFG_NUMBER,
        .default_value = "1000000",
        .min = 0,
        .max = LONG_MAX,
        .storage = &cfg_tracking_table_max_keys,
    };
    config_register_core(&option);
}

/* OPTIN remembers only after CACHING yes, OPTOUT all but after CACHING no. */
static int caching_allows(unsigned options) {
    if (options & TRACKING_OPTIN) return (options & TRACKING_CACHING) != 0;
    if (options & TRACKING_OPTOUT) return (options & TRACKING_CACHING) == 0;
    return 1;
}

static void remember_command_keys(Client *c) {
    KeyRefs refs;
    cmd_keys_init(&refs);
    int count = cmd_keys_get(c->cmd, c->argv, c->argc, &refs);
    if (count > 0 && tracked_keys == NULL) tracked_keys = ht_create(&tracked_key_type);
    for (int i = 0; i < count; i++) {
        char buf[32];
        size_t len;
        const char *p = key_bytes(c->argv[refs.keys[i].pos], buf, &len);
        remember_key(c->id, p, len);
    }
    cmd_keys_deinit(&refs);
}

static int is_client_subcommand(const Command *cmd) {
    return cmd && cmd->parent && strcmp(cmd->parent->name, "client") == 0;
}

void tracking_remember_keys(Client *c) {
    TrackingClient *tc = c->tracking;
    const Command *cmd = c->cmd;
    /* Inside EXEC the client is still executing: each queued command is
     * remembered, and the transaction ends as one command. */
    int in_exec = (c->flags & CLIENT_EXECUTING) != 0;
    int queued = (c->flags & CLIENT_MULTI) && !in_exec;
    if (tc == NULL || cmd == NULL) return;
    if ((cmd->flags & CMD_READONLY) && !(cmd->flags & CMD_PUBSUB) && !queued &&
        !(tc->options & TRACKING_BCAST) && caching_allows(tc->options))
        remember_command_keys(c);
    if (in_exec) return;
    /* CLIENT CACHING covers the next command or transaction; CLIENT
     * subcommands in between do not use it up. */
    if (!(c->flags & CLIENT_MULTI) && !is_client_subcommand(cmd)) tc->options &= ~TRACKING_CACHING;
    if (held_count) send_held_messages();
    if (tracked_keys && cfg_tracking_table_max_keys &&
        ht_size(tracked_keys) > (size_t)cfg_tracking_table_max_keys)
        limit_tracked_keys();
}

void tracking_invalidate_key(Client *writer, const Obj *key) {
    if (prefix_table_count == 0 && (tracked_keys == NULL || ht_size(tracked_keys) == 0)) return;
    char buf[32];
    size_t len;
    const char *p = key_bytes(key, buf, &len);
    if (prefix_table_count) bcast_note_key(writer, p, len);
    invalidate_tracked(writer, p, len);
}

void tracking_invalidate_all(void) {
    if (registry && tracking_clients) {
        HtIter it;
        void *entry;
        ht_iter_init(&it, registry, HT_ITER_SAFE); /* send_invalidation looks ids up */
        while (ht_iter_next(&it, &entry)) {
            Client *c = ((TrackingClient *)entry)->client;
            if (!(c->flags & CLIENT_TRACKING)) continue;
            if (c->flags & CLIENT_EXECUTING)
                hold_message(c, NULL, 0); /* its own FLUSHALL: after the reply */
            else
                send_invalidation(c, PAYLOAD_NULL, NULL, 0);
        }
        ht_iter_deinit(&it);
    }
    if (tracked_keys) ht_clear(tracked_keys);
    tracked_items = 0;
}

void tracking_client_free(Client *c) {
    TrackingClient *tc = c->tracking;
    if (tc == NULL) return;
    tracking_disable(c);
    ht_pop(registry, &tc->id, NULL);
    mem_free(tc);
    c->tracking = NULL;
}

void tracking_flush_pending(void) {
    for (size_t i = 0; i < prefix_table_count; i++)
        if (ht_size(prefix_table[i]->changed) > 0) bcast_flush_prefix(prefix_table[i]);
    if (held_count) send_held_messages();
    limit_tracked_keys();
}

sds tracking_info(sds out) {
    return sds_cat_printf(out,
                          "tracking_total_keys:%zu\r\n"
                          "tracking_total_items:%llu\r\n"
                          "tracking_total_prefixes:%zu\r\n",
                          tracked_keys ? ht_size(tracked_keys) : 0, tracked_items,
                          prefix_table_count);
}

unsigned long tracking_client_count(void) {
    return tracking_clients;
}

/* ---- per-client state ---- */

unsigned tracking_client_options(const Client *c) {
    return (c->flags & CLIENT_TRACKING) ? c->tracking->options : 0;
}

long long tracking_client_redirect(const Client *c) {
    return (c->flags & CLIENT_TRACKING) ? (long long)c->tracking->redirect : -1;
}

size_t tracking_client_prefixes(const Client *c, const sds **prefixes) {
    if (c->tracking == NULL) {
        *prefixes = NULL;
        return 0;
    }
    *prefixes = c->tracking->prefixes;
    return c->tracking->prefix_count;
}

char *tracking_client_flag_letters(const Client *c, char *p) {
    if (!(c->flags & CLIENT_TRACKING)) return p;
    *p++ = 't';
    if (c->tracking->options & TRACKING_BROKEN_REDIR) *p++ = 'R';
    if (c->tracking->options & TRACKING_BCAST) *p++ = 'B';
    return p;
}

const char *tracking_client_prefix_overlap(const Client *c, const char *prefix, size_t len) {
    const TrackingClient *tc = c->tracking;
    if (tc == NULL) return NULL;
    for (size_t i = 0; i < tc->prefix_count; i++) {
        size_t plen = sds_len(tc->prefixes[i]);
        size_t min = plen < len ? plen : len;
        if (min == 0 || memcmp(tc->prefixes[i], prefix, min) == 0) return tc->prefixes[i];
    }
    return NULL;
}

void tracking_enable(Client *c, uint64_t redirect, unsigned options, Obj *const *prefixes,
                     int prefix_count) {
    TrackingClient *tc = registry_add(c);
    if (!(c->flags & CLIENT_TRACKING)) {
        c->flags |= CLIENT_TRACKING;
        tracking_clients++;
    }
    tc->options &= TRACKING_CACHING; /* everything else is set again below */
    tc->redirect = redirect;
    if (redirect != 0) {
        Client *target = client_find_by_id(redirect);
        if (target) registry_add(target); /* so its freeing is noticed */
    }
    if (options & TRACKING_BCAST) {
        tc->options |= TRACKING_BCAST;
        if (prefix_count == 0) prefix_subscribe(c, "", 0);
        for (int i = 0; i < prefix_count; i++) {
            char buf[32];
            size_t len;
            const char *p = key_bytes(prefixes[i], buf, &len);
            prefix_subscribe(c, p, len);
        }
    }
    tc->options |= options & (TRACKING_OPTIN | TRACKING_OPTOUT | TRACKING_NOLOOP);
}

void tracking_disable(Client *c) {
    TrackingClient *tc = c->tracking;
    if (tc == NULL) return;
    for (size_t i = 0; i < tc->prefix_count; i++) {
        prefix_unsubscribe(c, tc->prefixes[i], sds_len(tc->prefixes[i]));
        sds_free(tc->prefixes[i]);
    }
    mem_free(tc->prefixes);
    tc->prefixes = NULL;
    tc->prefix_count = 0;
    if (c->flags & CLIENT_TRACKING) {
        c->flags &= ~CLIENT_TRACKING;
        tracking_clients--;
    }
    tc->options = 0;
    tc->redirect = 0;
}

void tracking_set_caching(Client *c) {
    if (c->tracking) c->tracking->options |= TRACKING_CACHING;
}
