/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pubsub/pubsub_cmd.c: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
 * PUBLISH, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and the PUBSUB introspection
 * subcommands.
 */
#include "pubsub/pubsub_cmd.h"

#include "ds/strmatch.h"
#include "net/reply.h"
#include "pubsub/pubsub.h"

static void subscribe_each(Client *c, PubsubKind kind) {
    for (int j = 1; j < c->argc; j++) pubsub_subscribe(c, kind, c->argv[j]);
}

static void unsubscribe_each(Client *c, PubsubKind kind) {
    if (c->argc == 1) {
        pubsub_unsubscribe(c, kind, NULL, 1);
        return;
    }
    for (int j = 1; j < c->argc; j++) pubsub_unsubscribe(c, kind, c->argv[j], 1);
}

void cmd_subscribe(Client *c) {
    subscribe_each(c, PUBSUB_CHANNEL);
}

void cmd_unsubscribe(Client *c) {
    unsubscribe_each(c, PUBSUB_CHANNEL);
}

void cmd_psubscribe(Client *c) {
    subscribe_each(c, PUBSUB_PATTERN);
}

void cmd_punsubscribe(Client *c) {
    unsubscribe_each(c, PUBSUB_PATTERN);
}

void cmd_ssubscribe(Client *c) {
    subscribe_each(c, PUBSUB_SHARD);
}

void cmd_sunsubscribe(Client *c) {
    unsubscribe_each(c, PUBSUB_SHARD);
}

static void publish(Client *c, PubsubKind kind) {
    char cbuf[24], mbuf[24];
    size_t clen, mlen;
    const char *channel = obj_string_bytes(c->argv[1], cbuf, &clen);
    const char *message = obj_string_bytes(c->argv[2], mbuf, &mlen);
    reply_ll(c, pubsub_publish(kind, channel, clen, message, mlen));
}

void cmd_publish(Client *c) {
    publish(c, PUBSUB_CHANNEL);
}

void cmd_spublish(Client *c) {
    publish(c, PUBSUB_SHARD);
}

/* ---- PUBSUB ---- */

typedef struct ChannelList {
    Client *c;
    const char *pattern; /* NULL: all */
    size_t pattern_len;
    long count;
} ChannelList;

static void add_channel(void *arg, const char *name, size_t len) {
    ChannelList *list = arg;
    if (list->pattern && !strmatch_len(list->pattern, list->pattern_len, name, len, 0)) return;
    reply_bulk(list->c, name, len);
    list->count++;
}

static void reply_channels(Client *c, PubsubKind kind) {
    if (c->argc > 3) {
        reply_error_arity(c);
        return;
    }
    ChannelList list = {.c = c};
    if (c->argc == 3) {
        list.pattern = c->argv[2]->ptr;
        list.pattern_len = obj_string_len(c->argv[2]);
    }
    void *len = reply_defer_len(c);
    pubsub_for_each_channel(kind, add_channel, &list);
    reply_set_defer_array_len(c, len, list.count);
}

static void reply_numsub(Client *c, PubsubKind kind) {
    /* A flat array of name, count pairs, in RESP3 too (as Valkey). */
    reply_array_len(c, (long)(c->argc - 2) * 2);
    for (int j = 2; j < c->argc; j++) {
        char buf[24];
        size_t len;
        const char *name = obj_string_bytes(c->argv[j], buf, &len);
        reply_bulk(c, name, len);
        reply_ll(c, (long long)pubsub_subscriber_count(kind, name, len));
    }
}

void cmd_pubsub_channels(Client *c) {
    reply_channels(c, PUBSUB_CHANNEL);
}

void cmd_pubsub_shardchannels(Client *c) {
    reply_channels(c, PUBSUB_SHARD);
}

void cmd_pubsub_numsub(Client *c) {
    reply_numsub(c, PUBSUB_CHANNEL);
}

void cmd_pubsub_shardnumsub(Client *c) {
    reply_numsub(c, PUBSUB_SHARD);
}

void cmd_pubsub_numpat(Client *c) {
    reply_ll(c, (long long)pubsub_name_count(PUBSUB_PATTERN));
}

void cmd_pubsub_help(Client *c) {
    static const char *const lines[] = {
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        NULL,
    };
    reply_help(c, lines);
}
