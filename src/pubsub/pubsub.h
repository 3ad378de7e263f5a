/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pubsub/pubsub.h: publish/subscribe: who listens to which channel, pattern
 * or shard channel, and delivering a message to them.
 *
 * Three registries, each a hashtable from a name to the set of clients
 * subscribed to it: channels (SUBSCRIBE), patterns (PSUBSCRIBE, matched
 * with the same glob as KEYS) and shard channels (SSUBSCRIBE; on a server
 * without cluster mode they behave as a separate set of channels). Each
 * client keeps its own table of what it subscribed to (Client.pubsub), so
 * unsubscribing and disconnecting cost one lookup per subscription.
 *
 * Messages are pushed with reply_push_len: RESP3 clients get push frames
 * (">"), RESP2 clients arrays. A subscribed client is in the "pubsub"
 * output-buffer class (client_type), so a subscriber that stops reading
 * is disconnected by client-output-buffer-limit and the publisher never
 * waits.
 *
 * Threads: main only.
 */
#ifndef KEEL_PUBSUB_PUBSUB_H
#define KEEL_PUBSUB_PUBSUB_H

#include <stddef.h>

#include "db/object.h"
#include "net/client.h"

/* The three kinds of subscription. */
typedef enum PubsubKind {
    PUBSUB_CHANNEL = 0,
    PUBSUB_PATTERN = 1,
    PUBSUB_SHARD = 2,
} PubsubKind;

/* Creates the registries. Once, at startup. */
void pubsub_init(void);

/* Subscribes c to name (a channel, pattern or shard channel) and replies
 * the confirmation. */
void pubsub_subscribe(Client *c, PubsubKind kind, const Obj *name);
/* Unsubscribes c from name (NULL: from every name of that kind, replying
 * one confirmation each, or one with a null name when there were none).
 * With notify, replies the confirmations (a disconnecting client gets
 * none). */
void pubsub_unsubscribe(Client *c, PubsubKind kind, const Obj *name, int notify);
/* Drops every subscription of c without replying (client free). */
void pubsub_client_free(Client *c);

/* Delivers message to the subscribers of channel (kind CHANNEL: also to
 * matching patterns; kind SHARD: shard subscribers only). Returns how many
 * clients received it. */
long long pubsub_publish(PubsubKind kind, const char *channel, size_t channel_len,
                         const char *message, size_t message_len);

/* Subscriptions of c counted as Valkey's replies count them: channels plus
 * patterns, or shard channels. */
long pubsub_client_count(const Client *c, PubsubKind kind);

/* Subscriptions of c of exactly one kind (CLIENT LIST sub=, psub=, ssub=). */
long pubsub_client_kind_count(const Client *c, PubsubKind kind);

/* ---- introspection (PUBSUB, INFO) ---- */

/* Calls fn for every channel (CHANNEL or SHARD) with at least one
 * subscriber. */
void pubsub_for_each_channel(PubsubKind kind, void (*fn)(void *arg, const char *name, size_t len),
                             void *arg);
/* Subscribers of one channel (CHANNEL or SHARD). */
size_t pubsub_subscriber_count(PubsubKind kind, const char *name, size_t len);
/* Distinct names of a kind with subscribers (NUMPAT, INFO pubsub_*). */
size_t pubsub_name_count(PubsubKind kind);

#endif
