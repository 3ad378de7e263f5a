/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_pubsub.c: the Pub/Sub command records (see cmd/groups.h):
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, SSUBSCRIBE,
 * SUNSUBSCRIBE, SPUBLISH and PUBSUB, implemented in pubsub/pubsub_cmd.c.
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_pubsub.h"
#include "cmd/groups.h"
#include "pubsub/pubsub_cmd.h"

#define SUB_FLAGS (CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define INTROSPECT_FLAGS (CMD_PUBSUB | CMD_LOADING | CMD_STALE)

static Command pubsub_subcommands[] = {
    {.name = "channels", .proc = cmd_pubsub_channels, .arity = -2, .flags = INTROSPECT_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "2.8.0", .group = "pubsub",
     .summary = "Returns the active channels.",
     .complexity = "O(N) where N is the number of active channels, and assuming constant time "
                   "pattern matching (relatively short channels and patterns)",
     .args = cmd_docs_pattern_optional_args},
    {.name = "help", .proc = cmd_pubsub_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .since = "6.2.0", .group = "pubsub",
     .summary = "Returns helpful text about the different subcommands.", .complexity = "O(1)"},
    {.name = "numpat", .proc = cmd_pubsub_numpat, .arity = 2, .flags = INTROSPECT_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "2.8.0", .group = "pubsub",
     .summary = "Returns a count of unique pattern subscriptions.", .complexity = "O(1)"},
    {.name = "numsub", .proc = cmd_pubsub_numsub, .arity = -2, .flags = INTROSPECT_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "2.8.0", .group = "pubsub",
     .summary = "Returns a count of subscribers to channels.",
     .complexity = "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
     .args = cmd_docs_channel_optional_args},
    {.name = "shardchannels", .proc = cmd_pubsub_shardchannels, .arity = -2,
     .flags = INTROSPECT_FLAGS, .acl = ACL_PUBSUB | ACL_SLOW, .since = "7.0.0", .group = "pubsub",
     .summary = "Returns the active shard channels.",
     .complexity = "O(N) where N is the number of active shard channels, and assuming constant "
                   "time pattern matching (relatively short shard channels).",
     .args = cmd_docs_pattern_optional_args},
    {.name = "shardnumsub", .proc = cmd_pubsub_shardnumsub, .arity = -2,
     .flags = INTROSPECT_FLAGS, .acl = ACL_PUBSUB | ACL_SLOW, .since = "7.0.0", .group = "pubsub",
     .summary = "Returns the count of subscribers of shard channels.",
     .complexity = "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested "
                   "shard channels",
     .args = cmd_docs_shardchannel_optional_args},
    {0},
};

Command pubsub_commands[] = {
    {.name = "subscribe", .proc = cmd_subscribe, .arity = -2, .flags = SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "2.0.0", .group = "pubsub",
     .summary = "Listens for messages published to channels.",
     .complexity = "O(N) where N is the number of channels to subscribe to.",
     .args = cmd_docs_channel_multiple_args},
    {.name = "unsubscribe", .proc = cmd_unsubscribe, .arity = -1, .flags = SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "2.0.0", .group = "pubsub",
     .summary = "Stops listening to messages posted to channels.",
     .complexity = "O(N) where N is the number of channels to unsubscribe.",
     .args = cmd_docs_channel_optional_args},
    {.name = "psubscribe", .proc = cmd_psubscribe, .arity = -2, .flags = SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "2.0.0", .group = "pubsub",
     .summary = "Listens for messages published to channels that match one or more patterns.",
     .complexity = "O(N) where N is the number of patterns to subscribe to.",
     .args = cmd_docs_pattern_multiple_args},
    {.name = "punsubscribe", .proc = cmd_punsubscribe, .arity = -1, .flags = SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "2.0.0", .group = "pubsub",
     .summary = "Stops listening to messages published to channels that match one or more "
                "patterns.",
     .complexity = "O(N) where N is the number of patterns to unsubscribe.",
     .args = cmd_docs_pattern_optional_args},
    {.name = "publish", .proc = cmd_publish, .arity = 3,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST, .acl = ACL_PUBSUB | ACL_FAST,
     .since = "2.0.0", .group = "pubsub", .summary = "Posts a message to a channel.",
     .complexity = "O(N+M) where N is the number of clients subscribed to the receiving channel "
                   "and M is the total number of subscribed patterns (by any client).",
     .args = cmd_docs_publish_args},
    {.name = "ssubscribe", .proc = cmd_ssubscribe, .arity = -2, .flags = SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "7.0.0", .group = "pubsub",
     .summary = "Listens for messages published to shard channels.",
     .complexity = "O(N) where N is the number of shard channels to subscribe to.",
     .args = cmd_docs_shardchannel_multiple_args, .key_specs = cmd_spec_shard_channels},
    {.name = "sunsubscribe", .proc = cmd_sunsubscribe, .arity = -1, .flags = SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .since = "7.0.0", .group = "pubsub",
     .summary = "Stops listening to messages posted to shard channels.",
     .complexity = "O(N) where N is the number of shard channels to unsubscribe.",
     .args = cmd_docs_shardchannel_optional_args, .key_specs = cmd_spec_shard_channels},
    {.name = "spublish", .proc = cmd_spublish, .arity = 3,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST, .acl = ACL_PUBSUB | ACL_FAST,
     .since = "7.0.0", .group = "pubsub", .summary = "Post a message to a shard channel",
     .complexity = "O(N) where N is the number of clients subscribed to the receiving shard "
                   "channel.",
     .args = cmd_docs_spublish_args, .key_specs = cmd_spec_shard_channel},
    {.name = "pubsub", .arity = -2, .acl = ACL_SLOW, .since = "2.8.0", .group = "pubsub",
     .summary = "A container for Pub/Sub commands.", .complexity = "Depends on subcommand.",
     .subcommands = pubsub_subcommands},
    {0},
};
