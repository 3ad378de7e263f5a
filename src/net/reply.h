/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/reply.h: appends RESP2/RESP3 replies to a client's output buffers.
 *
 * All reply framing lives here. These functions only fill buffers: they never
 * write to a connection (net/write.c does) and never read the keyspace.
 * Aggregate types (map, set, attribute) fall back to RESP2 arrays when the
 * client speaks RESP2, as Valkey does.
 *
 * Threads: main only.
 */
#ifndef KEEL_NET_REPLY_H
#define KEEL_NET_REPLY_H

#include <stddef.h>

#include "db/object.h"
#include "ds/sds.h"
#include "net/client.h"

/* Appends bytes that are already RESP-framed. */
void reply_raw(Client *c, const char *p, size_t len);
/* +text\r\n (text must not contain \r or \n). */
void reply_status(Client *c, const char *text);
/* "+OK\r\n". */
void reply_ok(Client *c);
/* Error reply. text starting with '-' carries its own code
 * ("-NOAUTH Authentication required."); any other text gets "-ERR " in front
 * ("syntax error" -> "-ERR syntax error"). \r and \n become spaces. Counted
 * in errorstats by code. */
void reply_error(Client *c, const char *text);
/* The same, for an error already counted in errorstats when a command
 * replied it (a script passing on its redis.call's error). */
void reply_error_uncounted(Client *c, const char *text);
void reply_error_format(Client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "-ERR wrong number of arguments for '<cmd>' command". */
void reply_error_arity(Client *c);
/* "-ERR syntax error". */
void reply_error_syntax(Client *c);
/* "-ERR unknown subcommand '<sub>'. Try <CMD> HELP." */
void reply_error_subcommand(Client *c);
/* "-ERR unknown subcommand or wrong number of arguments for '<sub>'. Try
 * <CMD> HELP.": Valkey's reply when a command parses its own subcommands
 * (DEBUG) or a subcommand checks its own argument count. */
void reply_error_subcommand_args(Client *c);

void reply_bulk(Client *c, const char *p, size_t len);
void reply_bulk_cstr(Client *c, const char *s); /* NULL gives a null reply */
void reply_bulk_sds(Client *c, sds s);          /* borrows s */
/* Any string object, INT-encoded ones included (formatted as decimal). */
void reply_bulk_obj(Client *c, const Obj *o);
void reply_bulk_ll(Client *c, long long value);
void reply_ll(Client *c, long long value);
void reply_double(Client *c, double value);
void reply_bool(Client *c, int value);
/* RESP3 big number ((digits); a bulk string in RESP2. */
void reply_bignum(Client *c, const char *digits);
/* RESP3 attribute header (|count, then count key/value pairs); RESP2 has
 * no attributes, so callers skip the pairs there. */
void reply_attribute_len(Client *c, long count);
/* RESP3 null (_), or RESP2 null bulk ($-1). */
void reply_null(Client *c);
/* RESP3 null, or RESP2 null array (*-1). */
void reply_null_array(Client *c);
/* RESP3 verbatim string with a 3-letter format ("txt"), bulk in RESP2. */
void reply_verbatim(Client *c, const char *p, size_t len, const char *format);

void reply_array_len(Client *c, long count);
/* RESP3 %count, RESP2 *(2*count). */
void reply_map_len(Client *c, long count);
/* RESP3 ~count, RESP2 *count. */
void reply_set_len(Client *c, long count);
/* RESP3 >count (push); RESP2 *count. */
void reply_push_len(Client *c, long count);

/* Help reply: an array of status lines, introduced by "<CMD> <subcommand>
 * [<arg> ...]. Subcommands are:" and closed by HELP's own line. lines is
 * NULL-terminated. */
void reply_help(Client *c, const char *const *lines);

/* Deferred aggregate length, for replies whose size is known only at the
 * end: reply_defer_len returns a handle; reply_set_defer_* fills it. */
void *reply_defer_len(Client *c);
void reply_set_defer_array_len(Client *c, void *handle, long count);
void reply_set_defer_map_len(Client *c, void *handle, long count);
void reply_set_defer_set_len(Client *c, void *handle, long count);

/* Error statistics (INFO errorstats). */
void reply_errorstats_reset(void);
/* Appends "errorstat_<CODE>:count=N\r\n" lines. */
sds reply_errorstats_info(sds out);
/* Total errors replied (INFO stats total_error_replies). */
unsigned long long reply_total_errors(void);

#endif
