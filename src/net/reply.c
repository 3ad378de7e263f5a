/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/reply.c: appends RESP2/RESP3 replies to a client's output buffers.
 *
 * Bytes go to the fixed 16 KiB buffer while the block list is empty, then to
 * the list's tail block; new blocks are at least 16 KiB so a reply of many
 * small elements costs few allocations. The write path (net/write.c) sends
 * both with one writev.
 *
 * This file never writes to a connection and never reads the keyspace.
 *
 * Threads: main only.
 */
#include "net/reply.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "ds/strnum.h"
#include "server/mem.h"

/* ---- error statistics ---- */

#define ERRORSTATS_MAX 128 /* distinct codes tracked, as Valkey */

typedef struct ErrorStat {
    char code[32];
    unsigned long long count;
} ErrorStat;

static ErrorStat error_stats[ERRORSTATS_MAX];
static int error_stat_count;
static unsigned long long total_errors;

static void errorstats_count(const char *text, size_t len) {
    size_t code_len = 0;
    while (code_len < len && code_len < 31 && text[code_len] != ' ') code_len++;
    total_errors++;
    for (int i = 0; i < error_stat_count; i++) {
        if (strlen(error_stats[i].code) == code_len &&
            memcmp(error_stats[i].code, text, code_len) == 0) {
            error_stats[i].count++;
            return;
        }
    }
    if (error_stat_count == ERRORSTATS_MAX) return;
    ErrorStat *e = &error_stats[error_stat_count++];
    memcpy(e->code, text, code_len);
    e->code[code_len] = '\0';
    e->count = 1;
}

void reply_errorstats_reset(void) {
    error_stat_count = 0;
    total_errors = 0;
}

static int errorstat_cmp(const void *a, const void *b) {
    return strcmp(((const ErrorStat *)a)->code, ((const ErrorStat *)b)->code);
}

/* Sorted by code, as Valkey lists them. */
sds reply_errorstats_info(sds out) {
    ErrorStat sorted[ERRORSTATS_MAX];
    memcpy(sorted, error_stats, sizeof(ErrorStat) * (size_t)error_stat_count);
    qsort(sorted, (size_t)error_stat_count, sizeof(ErrorStat), errorstat_cmp);
    for (int i = 0; i < error_stat_count; i++)
        out = sds_cat_printf(out, "errorstat_%s:count=%llu\r\n", sorted[i].code, sorted[i].count);
    return out;
}

unsigned long long reply_total_errors(void) {
    return total_errors;
}

/* ---- buffers ---- */

static int reply_suppressed(const Client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return 1;
    /* Pub/Sub messages and invalidations arrive even with replies off. */
    return (c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) && !(c->flags & CLIENT_PUSHING);
}

/* Appends a block of at least min_size bytes (at least CLIENT_REPLY_CHUNK
 * unless exact is set). */
static ReplyBlock *reply_block_append(Client *c, size_t min_size, int exact) {
    size_t size = (exact || min_size > CLIENT_REPLY_CHUNK) ? min_size : CLIENT_REPLY_CHUNK;
    ReplyBlock *b = mem_alloc(sizeof(ReplyBlock) + size);
    b->size = mem_size(b) - sizeof(ReplyBlock);
    b->used = 0;
    b->placeholder = 0;
    b->next = NULL;
    if (c->reply_tail)
        c->reply_tail->next = b;
    else
        c->reply_head = b;
    c->reply_tail = b;
    c->reply_blocks++;
    c->reply_bytes += b->size;
    return b;
}

static void reply_append(Client *c, const char *p, size_t len) {
    if (c->reply_head == NULL) {
        size_t room = c->buf_size - c->buf_used;
        size_t take = len < room ? len : room;
        memcpy(c->buf + c->buf_used, p, take);
        c->buf_used += take;
        if (c->buf_used > c->buf_peak) c->buf_peak = c->buf_used;
        p += take;
        len -= take;
        if (len == 0) return;
    }
    ReplyBlock *tail = c->reply_tail;
    if (tail && !tail->placeholder) {
        size_t room = tail->size - tail->used;
        size_t take = len < room ? len : room;
        memcpy(tail->buf + tail->used, p, take);
        tail->used += take;
        p += take;
        len -= take;
    }
    if (len) {
        ReplyBlock *b = reply_block_append(c, len, 0);
        memcpy(b->buf, p, len);
        b->used = len;
    }
}

void reply_raw(Client *c, const char *p, size_t len) {
    if (reply_suppressed(c)) return;
    reply_append(c, p, len);
    client_schedule_write(c);
    if (c->reply_head) client_check_output_limit(c);
}

/* Writes "<prefix><n>\r\n" into buf (at least 24 bytes); returns its length.
 * strnum_from_ll, not snprintf: this frames every bulk and integer reply. */
static size_t format_prefixed_ll(char *buf, char prefix, long long n) {
    buf[0] = prefix;
    size_t len = 1 + strnum_from_ll(buf + 1, n);
    buf[len++] = '\r';
    buf[len++] = '\n';
    return len;
}

static void reply_prefixed_ll(Client *c, char prefix, long long n) {
    char buf[32];
    reply_raw(c, buf, format_prefixed_ll(buf, prefix, n));
}

void reply_status(Client *c, const char *text) {
    size_t len = strlen(text);
    if (reply_suppressed(c)) return;
    reply_append(c, "+", 1);
    reply_append(c, text, len);
    reply_raw(c, "\r\n", 2);
}

void reply_ok(Client *c) {
    reply_raw(c, "+OK\r\n", 5);
}

static void reply_error_line(Client *c, const char *text, bool count_in_stats) {
    size_t len = strlen(text);
    sds line = sds_with_capacity(len + 8);
    if (text[0] == '-') {
        line = sds_cat_len(line, text, len);
    } else {
        line = sds_cat_len(line, "-ERR ", 5);
        line = sds_cat_len(line, text, len);
    }
    for (size_t i = 0; i < sds_len(line); i++)
        if (line[i] == '\r' || line[i] == '\n') line[i] = ' ';
    if (count_in_stats) errorstats_count(line + 1, sds_len(line) - 1);
    cmd_note_error(c);
    line = sds_cat_len(line, "\r\n", 2);
    reply_raw(c, line, sds_len(line));
    sds_free(line);
}

void reply_error(Client *c, const char *text) {
    reply_error_line(c, text, true);
}

void reply_error_uncounted(Client *c, const char *text) {
    reply_error_line(c, text, false);
}

void reply_error_format(Client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sds text = sds_cat_vprintf(sds_empty(), fmt, ap);
    va_end(ap);
    reply_error(c, text);
    sds_free(text);
}

void reply_error_arity(Client *c) {
    reply_error_format(c, "wrong number of arguments for '%s' command",
                       c->cmd ? cmd_full_name(c->cmd) : (const char *)c->argv[0]->ptr);
}

void reply_error_syntax(Client *c) {
    reply_error(c, "syntax error");
}

/* The command's name in upper case, as Valkey's help hints write it. */
static sds command_name_upper(const Client *c) {
    sds name = sds_new((const char *)c->argv[0]->ptr);
    sds_to_upper(name);
    return name;
}

void reply_error_subcommand(Client *c) {
    sds cmd = command_name_upper(c);
    reply_error_format(c, "unknown subcommand '%.128s'. Try %s HELP.",
                       (const char *)c->argv[1]->ptr, cmd);
    sds_free(cmd);
}

void reply_error_subcommand_args(Client *c) {
    sds cmd = command_name_upper(c);
    reply_error_format(c,
                       "unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP.",
                       (const char *)c->argv[1]->ptr, cmd);
    sds_free(cmd);
}

void reply_bulk(Client *c, const char *p, size_t len) {
    if (reply_suppressed(c)) return;
    char header[32];
    size_t hlen = format_prefixed_ll(header, '$', (long long)len);
    if (c->reply_head == NULL && c->buf_size - c->buf_used >= hlen + len + 2) {
        /* The common case (GET): the whole reply fits the fixed buffer. */
        char *dst = c->buf + c->buf_used;
        memcpy(dst, header, hlen);
        memcpy(dst + hlen, p, len);
        memcpy(dst + hlen + len, "\r\n", 2);
        c->buf_used += hlen + len + 2;
        if (c->buf_used > c->buf_peak) c->buf_peak = c->buf_used;
        client_schedule_write(c);
        return;
    }
    reply_append(c, header, hlen);
    reply_append(c, p, len);
    reply_raw(c, "\r\n", 2);
}

void reply_bulk_cstr(Client *c, const char *s) {
    if (s == NULL)
        reply_null(c);
    else
        reply_bulk(c, s, strlen(s));
}

void reply_bulk_sds(Client *c, sds s) {
    reply_bulk(c, s, sds_len(s));
}

void reply_bulk_obj(Client *c, const Obj *o) {
    if (o->encoding == OBJ_ENCODING_INT) {
        reply_bulk_ll(c, (long long)(intptr_t)o->ptr);
        return;
    }
    reply_bulk(c, o->ptr, obj_string_len(o));
}

void reply_bulk_ll(Client *c, long long value) {
    char buf[24];
    reply_bulk(c, buf, strnum_from_ll(buf, value));
}

void reply_ll(Client *c, long long value) {
    if (value == 0) {
        reply_raw(c, ":0\r\n", 4);
        return;
    }
    if (value == 1) {
        reply_raw(c, ":1\r\n", 4);
        return;
    }
    reply_prefixed_ll(c, ':', value);
}

/* The shortest decimal text that reads back as exactly value (3.141, not
 * 3.1410000000000000), as Valkey prints doubles. */
static int format_double(char *buf, size_t size, double value) {
    int len = 0;
    for (int precision = 15; precision <= 17; precision++) {
        len = snprintf(buf, size, "%.*g", precision, value);
        if (strtod(buf, NULL) == value) break;
    }
    return len;
}

void reply_double(Client *c, double value) {
    char buf[64];
    int len;
    if (isinf(value))
        len = snprintf(buf, sizeof(buf), "%s", value > 0 ? "inf" : "-inf");
    else if (isnan(value))
        len = snprintf(buf, sizeof(buf), "nan");
    else
        len = format_double(buf, sizeof(buf), value);
    if (c->resp >= 3) {
        reply_raw(c, ",", 1);
        reply_raw(c, buf, (size_t)len);
        reply_raw(c, "\r\n", 2);
    } else {
        reply_bulk(c, buf, (size_t)len);
    }
}

void reply_bool(Client *c, int value) {
    if (c->resp >= 3)
        reply_raw(c, value ? "#t\r\n" : "#f\r\n", 4);
    else
        reply_raw(c, value ? ":1\r\n" : ":0\r\n", 4);
}

void reply_bignum(Client *c, const char *digits) {
    if (c->resp < 3) {
        reply_bulk_cstr(c, digits);
        return;
    }
    if (reply_suppressed(c)) return;
    reply_append(c, "(", 1);
    reply_append(c, digits, strlen(digits));
    reply_raw(c, "\r\n", 2);
}

void reply_attribute_len(Client *c, long count) {
    if (c->resp >= 3) reply_prefixed_ll(c, '|', count);
}

void reply_null(Client *c) {
    if (c->resp >= 3)
        reply_raw(c, "_\r\n", 3);
    else
        reply_raw(c, "$-1\r\n", 5);
}

void reply_null_array(Client *c) {
    if (c->resp >= 3)
        reply_raw(c, "_\r\n", 3);
    else
        reply_raw(c, "*-1\r\n", 5);
}

void reply_verbatim(Client *c, const char *p, size_t len, const char *format) {
    if (c->resp < 3) {
        reply_bulk(c, p, len);
        return;
    }
    if (reply_suppressed(c)) return;
    char header[48];
    int hlen = snprintf(header, sizeof(header), "=%zu\r\n%.3s:", len + 4, format);
    reply_append(c, header, (size_t)hlen);
    reply_append(c, p, len);
    reply_raw(c, "\r\n", 2);
}

void reply_array_len(Client *c, long count) {
    reply_prefixed_ll(c, '*', count);
}

void reply_map_len(Client *c, long count) {
    if (c->resp >= 3)
        reply_prefixed_ll(c, '%', count);
    else
        reply_prefixed_ll(c, '*', count * 2);
}

void reply_set_len(Client *c, long count) {
    reply_prefixed_ll(c, c->resp >= 3 ? '~' : '*', count);
}

void reply_push_len(Client *c, long count) {
    reply_prefixed_ll(c, c->resp >= 3 ? '>' : '*', count);
}

void reply_help(Client *c, const char *const *lines) {
    sds cmd = command_name_upper(c);
    long count = 0;
    while (lines[count]) count++;
    reply_array_len(c, count + 3);
    sds first = sds_cat_printf(sds_empty(),
                               "%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", cmd);
    reply_status(c, first);
    for (long i = 0; i < count; i++) reply_status(c, lines[i]);
    reply_status(c, "HELP");
    reply_status(c, "    Print this help.");
    sds_free(first);
    sds_free(cmd);
}

/* ---- deferred lengths ---- */

void *reply_defer_len(Client *c) {
    if (reply_suppressed(c)) return NULL;
    ReplyBlock *b = reply_block_append(c, 32, 1); /* room for "*<long>\r\n" */
    b->placeholder = 1;
    return b;
}

static void reply_fill_defer(Client *c, void *handle, char prefix, long count) {
    if (handle == NULL) return;
    ReplyBlock *b = handle;
    int len = snprintf(b->buf, b->size, "%c%ld\r\n", prefix, count);
    b->used = (size_t)len;
    b->placeholder = 0;
    client_schedule_write(c);
}

void reply_set_defer_array_len(Client *c, void *handle, long count) {
    reply_fill_defer(c, handle, '*', count);
}

void reply_set_defer_map_len(Client *c, void *handle, long count) {
    if (c->resp >= 3)
        reply_fill_defer(c, handle, '%', count);
    else
        reply_fill_defer(c, handle, '*', count * 2);
}

void reply_set_defer_set_len(Client *c, void *handle, long count) {
    reply_fill_defer(c, handle, c->resp >= 3 ? '~' : '*', count);
}
