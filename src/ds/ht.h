/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/ht.h: keel's hashtable of opaque entries (the keyspace, and any set of
 * objects that carry their own key).
 *
 * The table stores entry pointers only: the entry is the object (a key's
 * robj, a set member), and the type says how to get its key. There is no
 * per-entry node, which is where the memory saving over a chained dict comes
 * from. Buckets are 64-byte cache lines of 7 slots with one-byte hash tags,
 * so a lookup usually reads one line and compares keys only on tag matches
 * (layout and reasons in ht.c).
 *
 * Resizing is incremental: a grow or shrink allocates the new table and then
 * every add/find/delete moves at most HT_REHASH_MAX_VISITS buckets (and the
 * cron may call ht_rehash_ms), so no single request pays for a whole-table
 * rehash. ht_scan gives Valkey's SCAN guarantee across resizes; ht_random_entry
 * and ht_sample_entries serve eviction and active expiry.
 *
 * Threads: none of its own. A table belongs to one thread at a time; even
 * ht_find may move buckets (incremental rehash), so concurrent readers need a
 * lock or must pause rehashing first. The hash seed is process-wide: set it
 * once at startup, before any table exists, from the main thread.
 */
#ifndef KEEL_DS_HT_H
#define KEEL_DS_HT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most buckets one add/find/delete/pop visits while rehashing: it stops
 * after moving one non-empty bucket (with its child chain) or after visiting
 * this many, whichever comes first. Tests check the bound with
 * ht_debug_rehash_visits. */
#define HT_REHASH_MAX_VISITS 16

/* How a table treats its entries. Called only from table operations on the
 * owning thread; none may touch the table they are called for. */
typedef struct HtType {
    /* Required. 64-bit hash of a key; use ht_hash / ht_hash_nocase (seeded)
     * for bytes. The low bits pick the bucket and the top byte is the tag,
     * so both must be well mixed. */
    uint64_t (*hash)(const void *key);
    /* Optional (NULL: keys are equal when the pointers are). Returns 0 when
     * the keys are equal, nonzero otherwise. */
    int (*key_compare)(const void *key1, const void *key2);
    /* Optional (NULL: the entry is its own key). Borrowed pointer to the key
     * inside the entry. */
    const void *(*entry_get_key)(const void *entry);
    /* Optional (NULL: entries are not freed by the table). Called by
     * ht_delete, ht_clear and ht_destroy for each entry they drop. */
    void (*entry_destructor)(void *entry);
} HtType;

typedef struct Ht Ht;

/* Where ht_find_position_for_insert found room (or the present entry);
 * valid until the next call on the table (any call, even ht_find). Fields
 * are private except existing_ref. */
typedef struct HtPosition {
    void *bucket;
    int table;
    int slot; /* -1: the bucket is full, insertion adds a child bucket */
    uint8_t tag;
    /* When the key is present (the call returned false): the slot holding
     * its entry, so the caller can replace it without a second lookup. */
    void **existing_ref;
} HtPosition;

/* Iterator over all entries; caller-provided storage. Fields are private. */
typedef struct HtIter {
    Ht *ht;
    void *bucket; /* bucket being walked, NULL between chains */
    size_t index; /* bucket index in the current table */
    uint64_t fingerprint;
    int table;
    int slot;
    bool safe;
} HtIter;

/* Flag for ht_iter_init. */
#define HT_ITER_SAFE 1

/* Called by ht_scan for each entry of the visited buckets. privdata is
 * ht_scan's. The callback may delete or add entries in the table. */
typedef void (*HtScanFn)(void *privdata, void *entry);

/* ---- hashing ---- */

/* Sets the process-wide 128-bit hash seed. Until called, a random seed from
 * getrandom() chosen at program start is used. Changing it while a table
 * holds entries corrupts that table. Main thread, at startup. */
void ht_hash_seed_set(const uint8_t seed[16]);
/* Seeded 64-bit hash of len bytes (keel's own multiply-fold construction,
 * see ht.c). Never fails; any thread once the seed is set. */
uint64_t ht_hash(const void *buf, size_t len);
/* As ht_hash, with ASCII letters folded to lower case first: "Foo" and "FOO"
 * hash alike. */
uint64_t ht_hash_nocase(const void *buf, size_t len);

/* ---- lifetime ---- */

/* Returns a new empty table (no buckets until the first add); caller frees
 * with ht_destroy. Borrows type, which must outlive the table. Never fails
 * (allocation failure aborts, see server/mem.h). */
Ht *ht_create(const HtType *type);
/* Frees the table, calling entry_destructor (if any) on every entry. */
void ht_destroy(Ht *ht);
/* Drops every entry (entry_destructor on each) and all buckets; the table
 * stays usable and empty. Not allowed while an iterator is open. */
void ht_clear(Ht *ht);

/* Number of entries. */
size_t ht_size(const Ht *ht);
/* Bytes held by the table itself (struct and buckets), not the entries. */
size_t ht_memory_usage(const Ht *ht);

/* ---- lookups and changes (each may do one bounded rehash step) ---- */

/* Returns the entry with this key (borrowed), or NULL. */
void *ht_find(Ht *ht, const void *key);
/* Returns the address of the slot holding the entry with this key, or NULL;
 * the caller may store a replacement entry with the same key through it.
 * Valid until the next call on the table. */
void **ht_find_ref(Ht *ht, const void *key);
/* Adds entry (the table takes it). Returns false, changing nothing, if an
 * entry with the same key exists. */
bool ht_add(Ht *ht, void *entry);
/* Adds entry and returns true, or returns false and stores the entry already
 * holding that key in *existing (when existing is not NULL). */
bool ht_add_or_find(Ht *ht, void *entry, void **existing);
/* First half of an insert that hashes once: returns true and fills pos when
 * key is absent, or returns false (storing the present entry in *existing
 * when not NULL, and its slot in pos->existing_ref). After true, the caller
 * builds the entry and calls ht_insert_at_position with no other table call
 * in between. */
bool ht_find_position_for_insert(Ht *ht, const void *key, HtPosition *pos, void **existing);
/* Second half: stores entry, whose key must be the one given to
 * ht_find_position_for_insert. Never fails. */
void ht_insert_at_position(Ht *ht, void *entry, const HtPosition *pos);
/* Removes the entry with this key and calls entry_destructor on it. Returns
 * false if there is none. */
bool ht_delete(Ht *ht, const void *key);
/* Removes the entry with this key without freeing it; stores it in *popped
 * (when not NULL) and returns true, or returns false if there is none. */
bool ht_pop(Ht *ht, const void *key, void **popped);

/* ---- resizing ---- */

/* Starts a resize to a table sized for max(entries, ht_size) entries (used to
 * presize before a bulk load, and by tests to force grows and shrinks).
 * Returns 0 when a resize started or none was needed, -1 (nothing changed)
 * while a rehash is already in progress. */
int ht_resize(Ht *ht, size_t entries);
/* True while entries are being moved to a new table. */
bool ht_is_rehashing(const Ht *ht);
/* Visits up to buckets buckets of the rehash (unless paused). Returns true
 * when rehashing still has work left. */
bool ht_rehash_buckets(Ht *ht, size_t buckets);
/* Rehashes for about ms milliseconds (for the cron), unless paused. Returns
 * the number of buckets visited. */
size_t ht_rehash_ms(Ht *ht, int ms);
/* Pause and resume incremental rehashing (counted; pairs nest). While paused
 * no entry moves between or within buckets, so a walk stays valid across
 * deletes; resizes may still start. */
void ht_rehash_pause(Ht *ht);
void ht_rehash_resume(Ht *ht);

/* ---- iteration ---- */

/* Starts an iterator. With HT_ITER_SAFE rehashing is paused until
 * ht_iter_deinit, and the caller may delete any entry (including the one just
 * returned) and add entries (which may or may not be returned). Without it
 * the table must not change at all, including ht_find (checked by a
 * fingerprint assert in ht_iter_deinit). Every entry present for the whole
 * walk is returned exactly once. */
void ht_iter_init(HtIter *it, Ht *ht, int flags);
/* Stores the next entry in *entry and returns true, or returns false at the
 * end. */
bool ht_iter_next(HtIter *it, void **entry);
void ht_iter_deinit(HtIter *it);

/* SCAN: visits the buckets at cursor and returns the next cursor, 0 when the
 * scan is complete (start with 0). Every entry present from the first call to
 * the last is passed to fn at least once, whatever grows, shrinks and rehash
 * steps happen between calls; entries may be passed more than once, and
 * entries added or deleted mid-scan may or may not be. */
uint64_t ht_scan(Ht *ht, uint64_t cursor, HtScanFn fn, void *privdata);

/* ---- random sampling ---- */

/* A random entry (borrowed), close to uniform: picked among a small sample
 * of neighbouring buckets. NULL only when the table is empty. */
void *ht_random_entry(Ht *ht);
/* Stores up to count distinct entries, a uniform pick among those of a random
 * run of buckets, in out and returns how many (possibly fewer than count,
 * even 0 for a sparse table; 0 for an empty one). Reads at most about
 * 10 * count buckets, plus the rest of the last chain. */
size_t ht_sample_entries(Ht *ht, void **out, size_t count);

/* ---- debugging and tests ---- */

/* Buckets visited by rehashing since creation. */
uint64_t ht_debug_rehash_visits(const Ht *ht);
/* Number of buckets in the main and (while rehashing) the new table. */
size_t ht_debug_bucket_count(const Ht *ht);
/* Checks every invariant (tags, bucket placement, counts, chains). Returns 0,
 * or -1 with the first broken one in err. O(size). */
int ht_debug_verify(const Ht *ht, char *err, size_t errlen);

#endif
