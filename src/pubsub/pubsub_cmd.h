/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pubsub/pubsub_cmd.h: the Pub/Sub command procs (pubsub/pubsub_cmd.c),
 * listed in cmd/table_pubsub.c.
 *
 * Threads: main only.
 */
#ifndef KEEL_PUBSUB_PUBSUB_CMD_H
#define KEEL_PUBSUB_PUBSUB_CMD_H

#include "net/client.h"

void cmd_subscribe(Client *c);
void cmd_unsubscribe(Client *c);
void cmd_psubscribe(Client *c);
void cmd_punsubscribe(Client *c);
void cmd_ssubscribe(Client *c);
void cmd_sunsubscribe(Client *c);
void cmd_publish(Client *c);
void cmd_spublish(Client *c);
void cmd_pubsub_channels(Client *c);
void cmd_pubsub_shardchannels(Client *c);
void cmd_pubsub_numsub(Client *c);
void cmd_pubsub_shardnumsub(Client *c);
void cmd_pubsub_numpat(Client *c);
void cmd_pubsub_help(Client *c);

#endif
