/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/log.h: the server log, in Valkey's line format
 * ("pid:M 25 Nov 2026 14:00:00.123 * message").
 *
 * Threads: any. Each line is written with one write(2), so lines from
 * different threads never interleave.
 */
#ifndef KEEL_SERVER_LOG_H
#define KEEL_SERVER_LOG_H

#include <stdarg.h>
#include <stddef.h>

#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3
#define LL_NOTHING 4
#define LL_RAW (1 << 10) /* OR with a level: no timestamp prefix */

/* Registers logfile and loglevel options. */
void log_register_config(void);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap);
/* 1 if a message at level would be written. */
int log_enabled(int level);
/* Role character in each line: 'M' main server, 'C' child process. */
void log_set_role(char role);
/* Opens the configured log file (called at startup and on CONFIG SET);
 * returns 0, or -1 with err filled. */
int log_reopen(char *err, size_t errlen);

#endif
