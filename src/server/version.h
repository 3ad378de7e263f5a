/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/version.h: keel's own version and the Redis version it reports for
 * compatibility (clients and tools gate features on redis_version, as they
 * do with Valkey, which reports 7.2.4 there too).
 */
#ifndef KEEL_SERVER_VERSION_H
#define KEEL_SERVER_VERSION_H

#define KEEL_VERSION "0.1.0"
#define KEEL_VERSION_NUM 0x000100
#define KEEL_REDIS_COMPAT_VERSION "7.2.4"

#endif
