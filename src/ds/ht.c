/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/ht.c: the hashtable behind the keyspace (see ht.h for the contract).
 *
 * Workload: millions of keys, lookups dominate, a GET must never wait for a
 * resize, and every byte per key shows up in used_memory. So:
 *
 * Layout. A table is a power-of-two array of 64-byte buckets, one cache line
 * each (the array is aligned to 64):
 *
 *     byte 0      meta: bits 0-6 say slot i holds an entry; bit 7 "chained"
 *     bytes 1-7   tags: the top byte of each entry's hash
 *     bytes 8-63  7 slots of entry pointers
 *
 * An entry with hash h lives in the chain of bucket (h & mask). When a bucket
 * is full, its last slot becomes a pointer to a child bucket (same layout)
 * and the entry that was there moves into the child: a chain is a short list
 * of cache lines. A lookup loads one line, compares the tag byte of each
 * present slot and calls key_compare only on a tag match (a false match once
 * in 256), so a miss usually costs one cache line and no key comparison.
 * The table grows when it averages 5 entries per bucket (71% of the slots)
 * and shrinks below 5/8 of an entry per bucket; at 5 per bucket about 13% of
 * buckets overflow into one child. That is about 13 to 26 bytes per entry
 * (18-22 measured with 1M-10M keys), against a dict's 8-byte bucket pointer
 * plus 24-byte node.
 *
 * Chaining rather than open addressing keeps one fact simple: an entry is
 * always in the chain of its own bucket index. The SCAN cursor argument and
 * bucket-at-a-time rehashing both rest on that.
 *
 * Rehashing. A resize allocates tables[1] and then each add/find/delete (and
 * ht_rehash_ms from the cron) moves the chain at rehash_idx to the new table,
 * stopping after one non-empty chain or HT_REHASH_MAX_VISITS buckets. New
 * entries go straight to tables[1]; lookups check tables[0] (at indexes not
 * yet moved) and tables[1]. When the last bucket is moved, tables[1] becomes
 * tables[0]. A new resize cannot start while one runs.
 *
 * Compaction. Deleting leaves a hole; when rehashing is not paused, the
 * chain is compacted at once (entries pulled forward, empty children freed).
 * While paused (a safe iterator or a scan callback is walking buckets) no
 * entry may move, so holes stay until the next delete in that chain, an
 * insert reuses them, or the rehash rebuilds the chain.
 *
 * SCAN guarantee. For a table of 2^k buckets, read the cursor's low k bits
 * backwards as a number r(c). Each call visits bucket c and advances c so
 * that r(c) grows by one (the carry runs from the high bit of the mask
 * down), and the returned cursor has no bits above k. So when a call returns
 * c, exactly the buckets p with r(p) < r(c) have been visited. Now resize:
 *  - grow to 2^(k+1): bucket p splits into p and p + 2^k, whose reversed
 *    values are 2r(p) and 2r(p)+1, against the cursor's 2r(c) (its bit k is
 *    0). Both halves fall on the same side of the cursor as p did: nothing
 *    visited is revisited and nothing unvisited is skipped;
 *  - shrink to 2^(k-1): bucket q merges p and p + 2^(k-1), and the cursor's
 *    reversed value becomes r(c) / 2 (rounded down). An unvisited p has
 *    r(p) >= r(c), so r(q) = r(p) / 2 >= r(c) / 2: q is still ahead. Some
 *    visited entries may be returned again, none is missed.
 * During a rehash an entry lives in one of two tables. A call then visits
 * the small table's bucket c and every large-table bucket whose low bits
 * equal c (advancing with the large mask until those extra bits wrap to 0),
 * so wherever the entry is, its bucket is covered in the same call, and the
 * returned cursor is a valid small-table cursor. Resizes and rehash steps
 * between calls only move an entry to its own hash's bucket in the other
 * table, so every entry present from the first call to the last is returned
 * at least once. Rehashing is paused while callbacks run, so a callback's
 * deletes or adds never move entries out of the chain being walked.
 *
 * Threads: none of its own; see ht.h.
 */
#include "ds/ht.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server/mem.h"

#define HT_SLOTS 7
#define HT_CHILD_SLOT (HT_SLOTS - 1)
#define HT_PRESENCE_BITS 0x7fu
#define HT_CHAINED 0x80u
#define HT_GROW_FILL 5         /* grow above 5 entries per bucket */
#define HT_SHRINK_FILL_EIGHTHS 5 /* shrink below 5/8 entry per bucket */
#define HT_RANDOM_SAMPLE 8     /* ht_random_entry picks among at least this many */

typedef struct HtBucket {
    uint8_t meta;           /* presence bits 0-6, HT_CHAINED */
    uint8_t tags[HT_SLOTS]; /* top byte of the hash of each present entry */
    void *slots[HT_SLOTS];  /* entries; slot 6 is the child when chained */
} HtBucket;

_Static_assert(sizeof(HtBucket) == 64, "a bucket is one cache line");
_Static_assert(sizeof(size_t) == 8, "cursor and index math assumes 64-bit size_t");

typedef struct HtTable {
    HtBucket *buckets; /* 64-aligned view into raw; NULL when exp < 0 */
    void *raw;         /* owned allocation holding buckets */
    int exp;           /* log2 of the bucket count; -1: no buckets */
    size_t used;       /* entries in this table */
    size_t children;   /* child buckets hanging off this table's chains */
} HtTable;

struct Ht {
    const HtType *type; /* borrowed, outlives the table */
    HtTable tables[2];  /* [1] only while rehashing */
    size_t rehash_idx;  /* next tables[0] bucket to move */
    bool rehashing;
    int pause_rehash;      /* > 0: no entry moves (safe iterators, scans) */
    uint64_t rng;          /* splitmix64 state for sampling */
    uint64_t rehash_visits; /* debug counter, see ht_debug_rehash_visits */
};

/* ---- buckets and tables ---- */

static inline size_t table_size(const HtTable *t) {
    return t->exp < 0 ? 0 : (size_t)1 << t->exp;
}

static inline size_t table_mask(const HtTable *t) {
    return table_size(t) - 1; /* callers check exp >= 0 first */
}

static inline uint8_t hash_tag(uint64_t hash) {
    return (uint8_t)(hash >> 56);
}

static inline HtBucket *bucket_child(const HtBucket *b) {
    return (b->meta & HT_CHAINED) ? b->slots[HT_CHILD_SLOT] : NULL;
}

/* Bitmask of slots that may take an entry. */
static inline unsigned bucket_free_slots(const HtBucket *b) {
    unsigned usable = (b->meta & HT_CHAINED) ? (HT_PRESENCE_BITS >> 1) : HT_PRESENCE_BITS;
    return ~(unsigned)b->meta & usable;
}

static inline const void *entry_key(const Ht *ht, const void *entry) {
    return ht->type->entry_get_key ? ht->type->entry_get_key(entry) : entry;
}

static inline bool keys_equal(const Ht *ht, const void *a, const void *b) {
    return ht->type->key_compare ? ht->type->key_compare(a, b) == 0 : a == b;
}

static void table_alloc(HtTable *t, int exp) {
    size_t count = (size_t)1 << exp;
    /* mem_* has no aligned allocation; 63 spare bytes buy the alignment. */
    t->raw = mem_calloc(count * sizeof(HtBucket) + 63);
    t->buckets = (HtBucket *)(((uintptr_t)t->raw + 63) & ~(uintptr_t)63);
    t->exp = exp;
    t->used = 0;
    t->children = 0;
}

/* Frees the children of every chain (and calls destructor on entries when
 * asked) and the bucket array; leaves t empty. */
static void table_free(const Ht *ht, HtTable *t, bool destroy_entries) {
    size_t size = table_size(t);
    for (size_t i = 0; i < size; i++) {
        HtBucket *b = &t->buckets[i];
        bool head = true;
        while (b) {
            HtBucket *child = bucket_child(b);
            if (destroy_entries && ht->type->entry_destructor) {
                for (int s = 0; s < HT_SLOTS; s++)
                    if (b->meta & (1u << s)) ht->type->entry_destructor(b->slots[s]);
            }
            if (!head) mem_free(b);
            head = false;
            b = child;
        }
    }
    mem_free(t->raw);
    t->raw = NULL;
    t->buckets = NULL;
    t->exp = -1;
    t->used = 0;
    t->children = 0;
}

/* Smallest exponent whose table holds entries at HT_GROW_FILL per bucket. */
static int exp_for_entries(size_t entries) {
    int exp = 0;
    while (((size_t)HT_GROW_FILL << exp) < entries) exp++;
    return exp;
}

/* Puts entry into a free slot of the chain at head, growing it by a child
 * bucket when every bucket is full. */
static void chain_insert(HtTable *t, HtBucket *head, void *entry, uint8_t tag) {
    HtBucket *b = head;
    for (;;) {
        unsigned free_slots = bucket_free_slots(b);
        if (free_slots) {
            int s = __builtin_ctz(free_slots);
            b->slots[s] = entry;
            b->tags[s] = tag;
            b->meta |= (uint8_t)(1u << s);
            return;
        }
        HtBucket *child = bucket_child(b);
        if (child == NULL) break;
        b = child;
    }
    /* b is full and last: its slot 6 entry moves to a new child. */
    HtBucket *child = mem_calloc(sizeof(HtBucket));
    t->children++;
    child->slots[0] = b->slots[HT_CHILD_SLOT];
    child->tags[0] = b->tags[HT_CHILD_SLOT];
    child->slots[1] = entry;
    child->tags[1] = tag;
    child->meta = 0x3;
    b->slots[HT_CHILD_SLOT] = child;
    b->tags[HT_CHILD_SLOT] = 0;
    b->meta = (uint8_t)((b->meta & ~(1u << HT_CHILD_SLOT)) | HT_CHAINED);
}

/* Finds a hole in the chain from head up to (not including) stop. */
static bool chain_find_hole(HtBucket *head, const HtBucket *stop, HtBucket **bucket, int *slot) {
    for (HtBucket *b = head; b != stop; b = bucket_child(b)) {
        unsigned free_slots = bucket_free_slots(b);
        if (free_slots) {
            *bucket = b;
            *slot = __builtin_ctz(free_slots);
            return true;
        }
    }
    return false;
}

/* Pulls entries from the last child into holes nearer the head and frees
 * children that end up empty. Moves entries: never while paused. */
static void chain_compact(HtTable *t, HtBucket *head) {
    while (head->meta & HT_CHAINED) {
        HtBucket *parent = head, *last = bucket_child(head);
        while (bucket_child(last)) {
            parent = last;
            last = bucket_child(last);
        }
        unsigned present = last->meta & HT_PRESENCE_BITS;
        while (present) {
            int s = __builtin_ctz(present);
            HtBucket *hole;
            int hole_slot;
            if (!chain_find_hole(head, last, &hole, &hole_slot)) break;
            hole->slots[hole_slot] = last->slots[s];
            hole->tags[hole_slot] = last->tags[s];
            hole->meta |= (uint8_t)(1u << hole_slot);
            last->meta &= (uint8_t)~(1u << s);
            present &= present - 1;
        }
        if (__builtin_popcount(present) > 1) return; /* chain is as short as it gets */
        /* Unlink last; a single remaining entry takes the parent's child slot. */
        parent->meta &= (uint8_t)~HT_CHAINED;
        parent->slots[HT_CHILD_SLOT] = NULL;
        if (present) {
            int s = __builtin_ctz(present);
            parent->slots[HT_CHILD_SLOT] = last->slots[s];
            parent->tags[HT_CHILD_SLOT] = last->tags[s];
            parent->meta |= (uint8_t)(1u << HT_CHILD_SLOT);
        }
        mem_free(last);
        t->children--;
    }
}

/* Where an entry was found. */
typedef struct HtFound {
    HtBucket *head;   /* chain head */
    HtBucket *bucket; /* bucket holding the entry */
    int table;
    int slot;
} HtFound;

static bool chain_find(const Ht *ht, HtBucket *head, const void *key, uint8_t tag, HtFound *out) {
    for (HtBucket *b = head; b; b = bucket_child(b)) {
        unsigned present = b->meta & HT_PRESENCE_BITS;
        while (present) {
            int s = __builtin_ctz(present);
            present &= present - 1;
            if (b->tags[s] != tag) continue;
            if (!keys_equal(ht, key, entry_key(ht, b->slots[s]))) continue;
            out->head = head;
            out->bucket = b;
            out->slot = s;
            return true;
        }
    }
    return false;
}

static bool locate(const Ht *ht, const void *key, uint64_t hash, HtFound *out) {
    uint8_t tag = hash_tag(hash);
    for (int t = 0; t <= (ht->rehashing ? 1 : 0); t++) {
        const HtTable *table = &ht->tables[t];
        if (table->exp < 0 || table->used == 0) continue;
        size_t idx = hash & table_mask(table);
        if (t == 0 && ht->rehashing && idx < ht->rehash_idx) continue; /* moved already */
        if (chain_find(ht, &table->buckets[idx], key, tag, out)) {
            out->table = t;
            return true;
        }
    }
    return false;
}

/* ---- rehashing ---- */

static void rehash_finish(Ht *ht) {
    HtTable *old = &ht->tables[0];
    assert(old->used == 0 && old->children == 0);
    mem_free(old->raw);
    ht->tables[0] = ht->tables[1];
    ht->tables[1] = (HtTable){.exp = -1};
    ht->rehashing = false;
    ht->rehash_idx = 0;
}

/* Moves every entry of the chain at tables[0][idx] into tables[1]. */
static void rehash_chain(Ht *ht, size_t idx) {
    HtTable *from = &ht->tables[0], *to = &ht->tables[1];
    HtBucket *head = &from->buckets[idx];
    size_t mask = table_mask(to);
    for (HtBucket *b = head; b;) {
        unsigned present = b->meta & HT_PRESENCE_BITS;
        while (present) {
            int s = __builtin_ctz(present);
            present &= present - 1;
            void *entry = b->slots[s];
            uint64_t hash = ht->type->hash(entry_key(ht, entry));
            chain_insert(to, &to->buckets[hash & mask], entry, hash_tag(hash));
            from->used--;
            to->used++;
        }
        HtBucket *child = bucket_child(b);
        if (b != head) {
            mem_free(b);
            from->children--;
        }
        b = child;
    }
    memset(head, 0, sizeof(*head));
}

/* Visits up to max_visits buckets, stopping after the first non-empty one
 * when one_chain is set (the per-operation step). Returns buckets visited. */
static size_t rehash_run(Ht *ht, size_t max_visits, bool one_chain) {
    if (!ht->rehashing || ht->pause_rehash > 0) return 0;
    size_t visits = 0, size = table_size(&ht->tables[0]);
    while (visits < max_visits && ht->rehash_idx < size) {
        HtBucket *b = &ht->tables[0].buckets[ht->rehash_idx];
        bool nonempty = b->meta != 0;
        if (nonempty) rehash_chain(ht, ht->rehash_idx);
        ht->rehash_idx++;
        visits++;
        if (nonempty && one_chain) break;
    }
    ht->rehash_visits += visits;
    if (ht->rehash_idx == size) rehash_finish(ht);
    return visits;
}

static inline void rehash_step(Ht *ht) {
    if (ht->rehashing) rehash_run(ht, HT_REHASH_MAX_VISITS, true);
}

/* Starts moving to a table of 2^exp buckets. The first table is simply
 * allocated; a same-size request does nothing. */
static void resize_start(Ht *ht, int exp) {
    assert(!ht->rehashing);
    if (ht->tables[0].exp < 0) {
        table_alloc(&ht->tables[0], exp);
        return;
    }
    if (exp == ht->tables[0].exp) return;
    table_alloc(&ht->tables[1], exp);
    ht->rehashing = true;
    ht->rehash_idx = 0;
}

static void grow_if_needed(Ht *ht) {
    if (ht->rehashing) return;
    size_t entries = ht->tables[0].used + 1;
    if (ht->tables[0].exp < 0 || entries > ((size_t)HT_GROW_FILL << ht->tables[0].exp))
        resize_start(ht, exp_for_entries(entries));
}

static void shrink_if_needed(Ht *ht) {
    if (ht->rehashing || ht->tables[0].exp <= 0) return;
    if (ht->tables[0].used * 8 < table_size(&ht->tables[0]) * HT_SHRINK_FILL_EIGHTHS)
        resize_start(ht, exp_for_entries(ht->tables[0].used));
}

int ht_resize(Ht *ht, size_t entries) {
    if (ht->rehashing) return -1;
    if (entries < ht->tables[0].used) entries = ht->tables[0].used;
    resize_start(ht, exp_for_entries(entries));
    return 0;
}

bool ht_is_rehashing(const Ht *ht) {
    return ht->rehashing;
}

bool ht_rehash_buckets(Ht *ht, size_t buckets) {
    rehash_run(ht, buckets, false);
    return ht->rehashing;
}

static uint64_t monotonic_us(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
}

size_t ht_rehash_ms(Ht *ht, int ms) {
    uint64_t deadline = monotonic_us() + (uint64_t)(ms > 0 ? ms : 0) * 1000;
    size_t visits = 0;
    while (ht->rehashing && ht->pause_rehash == 0) {
        visits += rehash_run(ht, 128, false); /* check the clock every 128 buckets */
        if (monotonic_us() >= deadline) break;
    }
    return visits;
}

void ht_rehash_pause(Ht *ht) {
    ht->pause_rehash++;
}

void ht_rehash_resume(Ht *ht) {
    assert(ht->pause_rehash > 0);
    ht->pause_rehash--;
}

/* ---- lifetime ---- */

Ht *ht_create(const HtType *type) {
    assert(type && type->hash);
    Ht *ht = mem_calloc(sizeof(*ht));
    ht->type = type;
    ht->tables[0].exp = -1;
    ht->tables[1].exp = -1;
    ht->rng = ht_hash(&ht, sizeof(ht)); /* seeded: differs per table and per run */
    return ht;
}

void ht_clear(Ht *ht) {
    assert(ht->pause_rehash == 0);
    if (ht->tables[0].exp >= 0) table_free(ht, &ht->tables[0], true);
    if (ht->tables[1].exp >= 0) table_free(ht, &ht->tables[1], true);
    ht->rehashing = false;
    ht->rehash_idx = 0;
}

void ht_destroy(Ht *ht) {
    if (ht == NULL) return;
    ht->pause_rehash = 0;
    ht_clear(ht);
    mem_free(ht);
}

size_t ht_size(const Ht *ht) {
    return ht->tables[0].used + ht->tables[1].used;
}

size_t ht_memory_usage(const Ht *ht) {
    size_t bytes = mem_size((void *)ht);
    for (int t = 0; t < 2; t++) {
        const HtTable *table = &ht->tables[t];
        if (table->raw) bytes += mem_size(table->raw);
        bytes += table->children * sizeof(HtBucket);
    }
    return bytes;
}

/* ---- lookups and changes ---- */

void **ht_find_ref(Ht *ht, const void *key) {
    if (ht_size(ht) == 0) return NULL;
    rehash_step(ht);
    HtFound found;
    if (!locate(ht, key, ht->type->hash(key), &found)) return NULL;
    return &found.bucket->slots[found.slot];
}

void *ht_find(Ht *ht, const void *key) {
    void **ref = ht_find_ref(ht, key);
    return ref ? *ref : NULL;
}

bool ht_find_position_for_insert(Ht *ht, const void *key, HtPosition *pos, void **existing) {
    rehash_step(ht);
    grow_if_needed(ht);
    uint64_t hash = ht->type->hash(key);
    HtFound found;
    if (locate(ht, key, hash, &found)) {
        pos->existing_ref = &found.bucket->slots[found.slot];
        if (existing) *existing = *pos->existing_ref;
        return false;
    }
    int t = ht->rehashing ? 1 : 0;
    HtTable *table = &ht->tables[t];
    HtBucket *b = &table->buckets[hash & table_mask(table)];
    pos->table = t;
    pos->tag = hash_tag(hash);
    pos->slot = -1;
    for (;;) {
        unsigned free_slots = bucket_free_slots(b);
        if (free_slots) {
            pos->slot = __builtin_ctz(free_slots);
            break;
        }
        if (bucket_child(b) == NULL) break;
        b = bucket_child(b);
    }
    pos->bucket = b;
    return true;
}

void ht_insert_at_position(Ht *ht, void *entry, const HtPosition *pos) {
    HtTable *table = &ht->tables[pos->table];
    HtBucket *b = pos->bucket;
    if (pos->slot >= 0) {
        b->slots[pos->slot] = entry;
        b->tags[pos->slot] = pos->tag;
        b->meta |= (uint8_t)(1u << pos->slot);
    } else {
        chain_insert(table, b, entry, pos->tag); /* b is full and last: adds a child */
    }
    table->used++;
}

bool ht_add_or_find(Ht *ht, void *entry, void **existing) {
    HtPosition pos;
    if (!ht_find_position_for_insert(ht, entry_key(ht, entry), &pos, existing)) return false;
    ht_insert_at_position(ht, entry, &pos);
    return true;
}

bool ht_add(Ht *ht, void *entry) {
    return ht_add_or_find(ht, entry, NULL);
}

bool ht_pop(Ht *ht, const void *key, void **popped) {
    if (ht_size(ht) == 0) return false;
    rehash_step(ht);
    HtFound found;
    if (!locate(ht, key, ht->type->hash(key), &found)) return false;
    HtTable *table = &ht->tables[found.table];
    if (popped) *popped = found.bucket->slots[found.slot];
    found.bucket->meta &= (uint8_t)~(1u << found.slot);
    found.bucket->slots[found.slot] = NULL;
    table->used--;
    if (ht->pause_rehash == 0) chain_compact(table, found.head);
    shrink_if_needed(ht);
    return true;
}

bool ht_delete(Ht *ht, const void *key) {
    void *entry;
    if (!ht_pop(ht, key, &entry)) return false;
    if (ht->type->entry_destructor) ht->type->entry_destructor(entry);
    return true;
}

/* ---- iteration ---- */

static uint64_t ht_fingerprint(const Ht *ht) {
    uint64_t parts[6] = {
        (uint64_t)(uintptr_t)ht->tables[0].buckets, ht->tables[0].used,
        (uint64_t)(uintptr_t)ht->tables[1].buckets, ht->tables[1].used,
        ht->rehash_idx, ht->tables[0].children + ht->tables[1].children,
    };
    return ht_hash(parts, sizeof(parts));
}

void ht_iter_init(HtIter *it, Ht *ht, int flags) {
    *it = (HtIter){.ht = ht, .safe = (flags & HT_ITER_SAFE) != 0};
    if (it->safe)
        ht_rehash_pause(ht);
    else
        it->fingerprint = ht_fingerprint(ht);
}

bool ht_iter_next(HtIter *it, void **entry) {
    Ht *ht = it->ht;
    for (;;) {
        if (it->bucket == NULL) {
            HtTable *t = &ht->tables[it->table];
            if (it->index >= table_size(t)) {
                if (it->table == 0 && ht->rehashing) {
                    it->table = 1;
                    it->index = 0;
                    continue;
                }
                return false;
            }
            it->bucket = &t->buckets[it->index];
            it->slot = 0;
        }
        HtBucket *b = it->bucket;
        while (it->slot < HT_SLOTS) {
            int s = it->slot++;
            if (b->meta & (1u << s)) {
                *entry = b->slots[s];
                return true;
            }
        }
        it->bucket = bucket_child(b);
        it->slot = 0;
        if (it->bucket == NULL) it->index++;
    }
}

void ht_iter_deinit(HtIter *it) {
    if (it->safe)
        ht_rehash_resume(it->ht);
    else
        assert(it->fingerprint == ht_fingerprint(it->ht) && "table changed under an unsafe iterator");
    it->ht = NULL;
}

/* ---- SCAN ---- */

static uint64_t reverse_bits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(v);
}

/* Increments the masked bits of cursor starting from the top bit. */
static uint64_t cursor_next(uint64_t cursor, uint64_t mask) {
    cursor |= ~mask;
    cursor = reverse_bits(cursor);
    cursor++;
    return reverse_bits(cursor);
}

static void scan_chain(Ht *ht, HtTable *t, size_t idx, HtScanFn fn, void *privdata) {
    HtBucket *head = &t->buckets[idx];
    /* Read meta and child afresh each time: fn may have deleted entries or
     * added a child (rehashing is paused, so nothing moves or is freed). */
    for (HtBucket *b = head; b; b = bucket_child(b))
        for (int s = 0; s < HT_SLOTS; s++)
            if (b->meta & (1u << s)) fn(privdata, b->slots[s]);
    if (ht->pause_rehash == 1) chain_compact(t, head); /* only our pause: safe to move */
}

uint64_t ht_scan(Ht *ht, uint64_t cursor, HtScanFn fn, void *privdata) {
    if (ht_size(ht) == 0) return 0;
    ht_rehash_pause(ht);
    if (!ht->rehashing) {
        HtTable *t = &ht->tables[0];
        uint64_t mask = table_mask(t);
        scan_chain(ht, t, cursor & mask, fn, privdata);
        cursor = cursor_next(cursor, mask);
    } else {
        HtTable *small = &ht->tables[0], *large = &ht->tables[1];
        if (small->exp > large->exp) {
            small = &ht->tables[1];
            large = &ht->tables[0];
        }
        uint64_t small_mask = table_mask(small), large_mask = table_mask(large);
        scan_chain(ht, small, cursor & small_mask, fn, privdata);
        /* Then every large-table bucket that splits from that small one. */
        do {
            scan_chain(ht, large, cursor & large_mask, fn, privdata);
            cursor = cursor_next(cursor, large_mask);
        } while (cursor & (small_mask ^ large_mask));
    }
    ht_rehash_resume(ht);
    return cursor;
}

/* ---- random sampling ---- */

static uint64_t rng_next(Ht *ht) {
    uint64_t z = (ht->rng += 0x9e3779b97f4a7c15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Walks buckets from a random index, whole chains at a time, until it has
 * seen at least min_seen entries (or read about 10 * min_seen buckets), and
 * keeps a uniform reservoir sample of count of them in out. Whole chains and
 * the reservoir mean no entry is structurally unreachable: an entry deep in
 * a long chain is as likely to be kept as one in the head bucket. Returns
 * how many were stored (min(count, seen)). */
static size_t sample_walk(Ht *ht, void **out, size_t count, size_t min_seen) {
    size_t size0 = table_size(&ht->tables[0]), size1 = table_size(&ht->tables[1]);
    size_t largest = size0 > size1 ? size0 : size1;
    size_t max_steps = min_seen * 10 < largest ? min_seen * 10 : largest; /* never wrap */
    uint64_t start = rng_next(ht);
    size_t seen = 0;
    for (size_t i = 0; i < max_steps && seen < min_seen; i++) {
        for (int t = 0; t < 2; t++) {
            HtTable *table = &ht->tables[t];
            if (i >= table_size(table) || table->used == 0) continue;
            size_t idx = (start + i) & table_mask(table);
            if (t == 0 && ht->rehashing && idx < ht->rehash_idx) continue;
            for (HtBucket *b = &table->buckets[idx]; b; b = bucket_child(b)) {
                unsigned present = b->meta & HT_PRESENCE_BITS;
                for (; present; present &= present - 1) {
                    void *entry = b->slots[__builtin_ctz(present)];
                    seen++;
                    if (seen <= count) {
                        out[seen - 1] = entry;
                    } else {
                        uint64_t pick = rng_next(ht) % seen; /* keep with odds count/seen */
                        if (pick < count) out[pick] = entry;
                    }
                }
            }
        }
    }
    return seen < count ? seen : count;
}

size_t ht_sample_entries(Ht *ht, void **out, size_t count) {
    if (ht_size(ht) == 0 || count == 0) return 0;
    return sample_walk(ht, out, count, count);
}

void *ht_random_entry(Ht *ht) {
    if (ht_size(ht) == 0) return NULL;
    for (;;) {
        void *entry;
        if (sample_walk(ht, &entry, 1, HT_RANDOM_SAMPLE)) return entry;
    }
}

/* ---- debugging ---- */

uint64_t ht_debug_rehash_visits(const Ht *ht) {
    return ht->rehash_visits;
}

size_t ht_debug_bucket_count(const Ht *ht) {
    return table_size(&ht->tables[0]) + table_size(&ht->tables[1]);
}

static int verify_chain(const Ht *ht, int t, size_t idx, size_t *entries, size_t *children,
                        char *err, size_t errlen) {
    const HtTable *table = &ht->tables[t];
    for (const HtBucket *b = &table->buckets[idx]; b; b = bucket_child(b)) {
        if (b != &table->buckets[idx]) (*children)++;
        if ((b->meta & HT_CHAINED) && (b->meta & (1u << HT_CHILD_SLOT))) {
            snprintf(err, errlen, "table %d bucket %zu: chained with slot 6 marked present", t, idx);
            return -1;
        }
        for (int s = 0; s < HT_SLOTS; s++) {
            if (!(b->meta & (1u << s))) continue;
            uint64_t hash = ht->type->hash(entry_key(ht, b->slots[s]));
            if ((hash & table_mask(table)) != idx || hash_tag(hash) != b->tags[s]) {
                snprintf(err, errlen, "table %d bucket %zu slot %d: wrong bucket or tag", t, idx, s);
                return -1;
            }
            (*entries)++;
        }
    }
    return 0;
}

int ht_debug_verify(const Ht *ht, char *err, size_t errlen) {
    if (ht->rehashing != (ht->tables[1].exp >= 0)) {
        snprintf(err, errlen, "rehashing flag disagrees with the second table");
        return -1;
    }
    for (int t = 0; t < 2; t++) {
        const HtTable *table = &ht->tables[t];
        size_t entries = 0, children = 0, size = table_size(table);
        for (size_t i = 0; i < size; i++) {
            if (t == 0 && ht->rehashing && i < ht->rehash_idx && table->buckets[i].meta != 0) {
                snprintf(err, errlen, "table 0 bucket %zu: not empty after being moved", i);
                return -1;
            }
            if (verify_chain(ht, t, i, &entries, &children, err, errlen) != 0) return -1;
        }
        if (entries != table->used || children != table->children) {
            snprintf(err, errlen, "table %d: counted %zu entries %zu children, recorded %zu %zu",
                     t, entries, children, table->used, table->children);
            return -1;
        }
    }
    return 0;
}
