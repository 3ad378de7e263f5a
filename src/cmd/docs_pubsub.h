/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_pubsub.h: COMMAND DOCS data of the Pub/Sub commands, defined in
 * cmd/docs_pubsub.c, used by cmd/table_pubsub.c.
 *
 * Threads: read-only data; any thread.
 */
#ifndef KEEL_CMD_DOCS_PUBSUB_H
#define KEEL_CMD_DOCS_PUBSUB_H

#include "cmd/command.h"

extern const CommandArg cmd_docs_channel_multiple_args[];          /* SUBSCRIBE */
extern const CommandArg cmd_docs_channel_optional_args[];          /* UNSUBSCRIBE, NUMSUB */
extern const CommandArg cmd_docs_pattern_multiple_args[];          /* PSUBSCRIBE */
extern const CommandArg cmd_docs_pattern_optional_args[];          /* PUNSUBSCRIBE, CHANNELS */
extern const CommandArg cmd_docs_shardchannel_multiple_args[];     /* SSUBSCRIBE */
extern const CommandArg cmd_docs_shardchannel_optional_args[];     /* SUNSUBSCRIBE, SHARDNUMSUB */
extern const CommandArg cmd_docs_publish_args[];
extern const CommandArg cmd_docs_spublish_args[];
extern const KeySpec cmd_spec_shard_channels[]; /* SSUBSCRIBE, SUNSUBSCRIBE */
extern const KeySpec cmd_spec_shard_channel[];  /* SPUBLISH */

#endif
