/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/client_cmd.h: helpers shared by the files that implement the CLIENT
 * subcommands (net/client_cmd.c, net/client_kill.c). Net room only.
 *
 * Threads: main only.
 */
#ifndef KEEL_NET_CLIENT_CMD_H
#define KEEL_NET_CLIENT_CMD_H

#include "db/object.h"

/* Parses a whole argument as a base-10 long long, as strictly as Valkey:
 * optional '-', digits, no spaces, no '+', no leading zeros, no "-0", no
 * overflow. Returns 0 and sets *value, or -1 (value untouched). */
int client_arg_ll(const Obj *arg, long long *value);

/* 1 if the argument equals word, ignoring ASCII case (whole string). */
int client_arg_is(const Obj *arg, const char *word);

#endif
