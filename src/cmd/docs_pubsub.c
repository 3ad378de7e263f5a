/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/docs_pubsub.c: argument lists and key specs of the Pub/Sub commands
 * (cmd/docs_pubsub.h).
 */
#include "cmd/docs_pubsub.h"

const CommandArg cmd_docs_channel_multiple_args[] = {
    {.name = "channel", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_channel_optional_args[] = {
    {.name = "channel", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_pattern_multiple_args[] = {
    {.name = "pattern", .type = "pattern", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_pattern_optional_args[] = {
    {.name = "pattern", .type = "pattern", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_shardchannel_multiple_args[] = {
    {.name = "shardchannel", .type = "string", .flags = CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_shardchannel_optional_args[] = {
    {.name = "shardchannel", .type = "string", .flags = CMD_ARG_OPTIONAL | CMD_ARG_MULTIPLE},
    {0},
};

const CommandArg cmd_docs_publish_args[] = {
    {.name = "channel", .type = "string"},
    {.name = "message", .type = "string"},
    {0},
};

const CommandArg cmd_docs_spublish_args[] = {
    {.name = "shardchannel", .type = "string"},
    {.name = "message", .type = "string"},
    {0},
};

const KeySpec cmd_spec_shard_channels[] = {
    {.flags = CMD_KEY_NOT_KEY, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {-1, 1, 0}},
    {0},
};

const KeySpec cmd_spec_shard_channel[] = {
    {.flags = CMD_KEY_NOT_KEY, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0},
};
