/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pubsub/pubsub.c: the subscription registries and message delivery of
 * pubsub/pubsub.h.
 *
 * A PubsubChannel is one name with its set of subscribed clients; the
 * global table of each kind owns them, and a client's own tables point at
 * the same records. A record is freed when its last subscriber leaves, so
 * PUBSUB CHANNELS lists only names somebody listens to.
 */
#include "pubsub/pubsub.h"

#include <string.h>

#include "ds/ht.h"
#include "ds/strmatch.h"
#include "net/reply.h"
#include "server/mem.h"

typedef struct NameRef {
    const char *p;
    size_t len;
} NameRef;

typedef struct PubsubChannel {
    NameRef key; /* points at name */
    Ht *subscribers; /* Client * entries */
    char name[];
} PubsubChannel;

typedef struct PubsubClient {
    Ht *subs[3]; /* per kind: PubsubChannel * entries (borrowed), or NULL */
} PubsubClient;

static uint64_t name_hash(const void *key) {
    const NameRef *ref = key;
    return ht_hash(ref->p, ref->len);
}

static int name_compare(const void *a, const void *b) {
    const NameRef *x = a, *y = b;
    return x->len != y->len || memcmp(x->p, y->p, x->len) != 0;
}

static const void *channel_key(const void *entry) {
    return &((const PubsubChannel *)entry)->key;
}

static const HtType channel_table_type = {
    .hash = name_hash, .key_compare = name_compare, .entry_get_key = channel_key};

static uint64_t client_hash(const void *key) {
    return ht_hash(&key, sizeof(key));
}

static const HtType subscriber_table_type = {.hash = client_hash};

static Ht *registry[3];

static const char *const subscribe_word[3] = {"subscribe", "psubscribe", "ssubscribe"};
static const char *const unsubscribe_word[3] = {"unsubscribe", "punsubscribe", "sunsubscribe"};

void pubsub_init(void) {
    for (int kind = 0; kind < 3; kind++) registry[kind] = ht_create(&channel_table_type);
}

long pubsub_client_kind_count(const Client *c, PubsubKind kind) {
    const PubsubClient *pc = c->pubsub;
    return pc && pc->subs[kind] ? (long)ht_size(pc->subs[kind]) : 0;
}

long pubsub_client_count(const Client *c, PubsubKind kind) {
    if (kind == PUBSUB_SHARD) return pubsub_client_kind_count(c, PUBSUB_SHARD);
    return pubsub_client_kind_count(c, PUBSUB_CHANNEL) + pubsub_client_kind_count(c, PUBSUB_PATTERN);
}

/* Sets or clears CLIENT_PUBSUB from c's subscriptions of every kind. */
static void update_flag(Client *c) {
    if (pubsub_client_count(c, PUBSUB_CHANNEL) + pubsub_client_count(c, PUBSUB_SHARD) > 0)
        c->flags |= CLIENT_PUBSUB;
    else
        c->flags &= ~CLIENT_PUBSUB;
}

/* [word, name, count] as a push (a null name when name is NULL). */
static void reply_confirmation(Client *c, const char *word, const char *name, size_t len,
                               long count) {
    reply_push_len(c, 3);
    reply_bulk(c, word, strlen(word));
    if (name)
        reply_bulk(c, name, len);
    else
        reply_null(c);
    reply_ll(c, count);
}

void pubsub_subscribe(Client *c, PubsubKind kind, const Obj *name) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(name, buf, &len);
    NameRef ref = {p, len};
    if (c->pubsub == NULL) c->pubsub = mem_calloc(sizeof(PubsubClient));
    PubsubClient *pc = c->pubsub;
    if (pc->subs[kind] == NULL) pc->subs[kind] = ht_create(&channel_table_type);
    if (ht_find(pc->subs[kind], &ref) == NULL) {
        PubsubChannel *ch = ht_find(registry[kind], &ref);
        if (ch == NULL) {
            ch = mem_alloc(sizeof(PubsubChannel) + len + 1);
            memcpy(ch->name, p, len);
            ch->name[len] = '\0';
            ch->key.p = ch->name;
            ch->key.len = len;
            ch->subscribers = ht_create(&subscriber_table_type);
            ht_add(registry[kind], ch);
        }
        ht_add(ch->subscribers, c);
        ht_add(pc->subs[kind], ch);
        update_flag(c);
    }
    reply_confirmation(c, subscribe_word[kind], p, len, pubsub_client_count(c, kind));
}

/* Removes c from ch (of kind), freeing ch when nobody is left. */
static void leave_channel(Client *c, PubsubKind kind, PubsubChannel *ch) {
    ht_pop(c->pubsub->subs[kind], &ch->key, NULL);
    ht_pop(ch->subscribers, c, NULL);
    if (ht_size(ch->subscribers) == 0) {
        ht_pop(registry[kind], &ch->key, NULL);
        ht_destroy(ch->subscribers);
        mem_free(ch);
    }
}

void pubsub_unsubscribe(Client *c, PubsubKind kind, const Obj *name, int notify) {
    PubsubClient *pc = c->pubsub;
    Ht *mine = pc ? pc->subs[kind] : NULL;
    if (name) {
        char buf[24];
        size_t len;
        const char *p = obj_string_bytes(name, buf, &len);
        NameRef ref = {p, len};
        PubsubChannel *ch = mine ? ht_find(mine, &ref) : NULL;
        if (ch) {
            leave_channel(c, kind, ch);
            update_flag(c);
        }
        if (notify) reply_confirmation(c, unsubscribe_word[kind], p, len, pubsub_client_count(c, kind));
        return;
    }
    if (mine == NULL || ht_size(mine) == 0) {
        if (notify) reply_confirmation(c, unsubscribe_word[kind], NULL, 0, pubsub_client_count(c, kind));
        return;
    }
    /* Leave every name of this kind, confirming each. */
    while (ht_size(mine) > 0) {
        PubsubChannel *ch = ht_random_entry(mine);
        /* Copy the name: leaving may free the record. */
        size_t len = ch->key.len;
        char small[128];
        char *copy = len < sizeof(small) ? small : mem_alloc(len + 1);
        memcpy(copy, ch->key.p, len);
        leave_channel(c, kind, ch);
        update_flag(c);
        if (notify)
            reply_confirmation(c, unsubscribe_word[kind], copy, len, pubsub_client_count(c, kind));
        if (copy != small) mem_free(copy);
    }
}

void pubsub_client_free(Client *c) {
    if (c->pubsub == NULL) return;
    for (int kind = 0; kind < 3; kind++) {
        if (c->pubsub->subs[kind] == NULL) continue;
        pubsub_unsubscribe(c, (PubsubKind)kind, NULL, 0);
        ht_destroy(c->pubsub->subs[kind]);
        c->pubsub->subs[kind] = NULL; /* the next kinds' counts read it */
    }
    mem_free(c->pubsub);
    c->pubsub = NULL;
    c->flags &= ~CLIENT_PUBSUB;
}

/* Appends one bulk string to frame. */
static sds frame_bulk(sds frame, const char *p, size_t len) {
    frame = sds_cat_printf(frame, "$%zu\r\n", len);
    frame = sds_cat_len(frame, p, len);
    return sds_cat_len(frame, "\r\n", 2);
}

/* The whole message as one RESP frame: a push (RESP3) or an array (RESP2)
 * of word, [pattern,] channel, message. */
static sds build_frame(int resp3, const char *word, size_t word_len, const char *pattern,
                       size_t pattern_len, const char *channel, size_t channel_len,
                       const char *message, size_t message_len) {
    sds frame = sds_with_capacity(64 + pattern_len + channel_len + message_len);
    frame = sds_cat_printf(frame, "%c%d\r\n", resp3 ? '>' : '*', pattern ? 4 : 3);
    frame = frame_bulk(frame, word, word_len);
    if (pattern) frame = frame_bulk(frame, pattern, pattern_len);
    frame = frame_bulk(frame, channel, channel_len);
    return frame_bulk(frame, message, message_len);
}

/* Sends one message to every subscriber of ch; returns how many. The frame
 * is built once per protocol version and copied to each subscriber. */
static long long deliver(PubsubChannel *ch, const char *word, size_t word_len,
                         const char *pattern, size_t pattern_len, const char *channel,
                         size_t channel_len, const char *message, size_t message_len) {
    long long receivers = 0;
    sds frames[2] = {NULL, NULL}; /* RESP2, RESP3 */
    HtIter it;
    void *entry;
    ht_iter_init(&it, ch->subscribers, 0);
    while (ht_iter_next(&it, &entry)) {
        Client *sub = entry;
        int resp3 = sub->resp >= 3;
        if (frames[resp3] == NULL)
            frames[resp3] = build_frame(resp3, word, word_len, pattern, pattern_len, channel,
                                        channel_len, message, message_len);
        /* Messages go through CLIENT REPLY OFF/SKIP, as in Valkey. */
        uint32_t pushing = sub->flags & CLIENT_PUSHING;
        sub->flags |= CLIENT_PUSHING;
        reply_raw(sub, frames[resp3], sds_len(frames[resp3]));
        sub->flags = (sub->flags & ~CLIENT_PUSHING) | pushing;
        receivers++;
    }
    ht_iter_deinit(&it);
    sds_free(frames[0]);
    sds_free(frames[1]);
    return receivers;
}

long long pubsub_publish(PubsubKind kind, const char *channel, size_t channel_len,
                         const char *message, size_t message_len) {
    long long receivers = 0;
    NameRef ref = {channel, channel_len};
    PubsubChannel *ch = ht_find(registry[kind], &ref);
    if (kind == PUBSUB_SHARD) {
        if (ch) receivers += deliver(ch, "smessage", 8, NULL, 0, channel, channel_len, message,
                                     message_len);
        return receivers;
    }
    if (ch) receivers += deliver(ch, "message", 7, NULL, 0, channel, channel_len, message, message_len);
    if (ht_size(registry[PUBSUB_PATTERN]) == 0) return receivers;
    HtIter it;
    void *entry;
    ht_iter_init(&it, registry[PUBSUB_PATTERN], 0);
    while (ht_iter_next(&it, &entry)) {
        PubsubChannel *pat = entry;
        if (!strmatch_len(pat->key.p, pat->key.len, channel, channel_len, 0)) continue;
        receivers += deliver(pat, "pmessage", 8, pat->key.p, pat->key.len, channel, channel_len,
                             message, message_len);
    }
    ht_iter_deinit(&it);
    return receivers;
}

void pubsub_for_each_channel(PubsubKind kind, void (*fn)(void *arg, const char *name, size_t len),
                             void *arg) {
    HtIter it;
    void *entry;
    ht_iter_init(&it, registry[kind], 0);
    while (ht_iter_next(&it, &entry)) {
        PubsubChannel *ch = entry;
        fn(arg, ch->key.p, ch->key.len);
    }
    ht_iter_deinit(&it);
}

size_t pubsub_subscriber_count(PubsubKind kind, const char *name, size_t len) {
    NameRef ref = {name, len};
    PubsubChannel *ch = ht_find(registry[kind], &ref);
    return ch ? ht_size(ch->subscribers) : 0;
}

size_t pubsub_name_count(PubsubKind kind) {
    return ht_size(registry[kind]);
}
