/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/tracking_cmd.h: the CLIENT subcommands of client-side caching
 * (TRACKING, CACHING, GETREDIR, TRACKINGINFO), for the command table.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_TRACKING_CMD_H
#define KEEL_SERVER_TRACKING_CMD_H

#include "net/client.h"

void cmd_client_tracking(Client *c);
void cmd_client_caching(Client *c);
void cmd_client_getredir(Client *c);
void cmd_client_trackinginfo(Client *c);

#endif
