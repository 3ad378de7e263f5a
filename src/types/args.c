/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/args.c: the shared argument parsers and number formats of
 * types/args.h.
 */
#include "types/args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ds/strnum.h"
#include "net/reply.h"

bool type_reply_if_wrongtype(Client *c, const Obj *o, int type) {
    if (o == NULL || (int)o->type == type) return false;
    reply_error(c, TYPE_ERR_WRONGTYPE);
    return true;
}

bool type_arg_is(const Obj *arg, const char *word) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(arg, buf, &len);
    return len == strlen(word) && strncasecmp(p, word, len) == 0;
}

bool type_arg_ll(Client *c, const Obj *arg, long long *value) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(arg, buf, &len);
    if (strnum_to_ll(p, len, value) == 0) return true;
    reply_error(c, TYPE_ERR_NOT_INTEGER);
    return false;
}

bool type_arg_ll_range(Client *c, const Obj *arg, long long min, long long max,
                       long long *value, const char *err) {
    long long v;
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(arg, buf, &len);
    if (strnum_to_ll(p, len, &v) != 0 || v < min || v > max) {
        reply_error(c, err ? err : TYPE_ERR_NOT_INTEGER);
        return false;
    }
    *value = v;
    return true;
}

int type_parse_double(const char *p, size_t len, double *value) {
    char buf[LONG_DOUBLE_TEXT_MAX];
    if (len == 0 || len >= sizeof(buf)) return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0])) return -1;
    errno = 0;
    char *end;
    double v = strtod(buf, &end);
    if ((size_t)(end - buf) != len || isnan(v)) return -1;
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) {
        /* overflow of a finite number; a literal inf never sets ERANGE */
        return -1;
    }
    *value = v;
    return 0;
}

bool type_arg_double(Client *c, const Obj *arg, double *value) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(arg, buf, &len);
    if (type_parse_double(p, len, value) == 0) return true;
    reply_error(c, TYPE_ERR_NOT_FLOAT);
    return false;
}

int type_parse_long_double(const char *p, size_t len, long double *value) {
    char buf[LONG_DOUBLE_TEXT_MAX];
    if (len == 0 || len >= sizeof(buf)) return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0])) return -1;
    errno = 0;
    char *end;
    long double v = strtold(buf, &end);
    if ((size_t)(end - buf) != len || isnan(v) || errno == EINVAL) return -1;
    if (errno == ERANGE && (isinf(v) || v == 0)) return -1; /* overflow or underflow */
    *value = v;
    return 0;
}

size_t type_format_double(char *buf, double value) {
    if (isinf(value)) return (size_t)snprintf(buf, DOUBLE_TEXT_MAX, "%s", value > 0 ? "inf" : "-inf");
    if (isnan(value)) return (size_t)snprintf(buf, DOUBLE_TEXT_MAX, "nan");
    int len = 0;
    for (int precision = 15; precision <= 17; precision++) {
        len = snprintf(buf, DOUBLE_TEXT_MAX, "%.*g", precision, value);
        if (strtod(buf, NULL) == value) break;
    }
    return (size_t)len;
}

size_t type_format_long_double(char *buf, size_t size, long double value) {
    int written = snprintf(buf, size, "%.17Lf", value);
    if (written < 0 || (size_t)written >= size) return 0;
    size_t len = (size_t)written;
    if (memchr(buf, '.', len)) {
        while (buf[len - 1] == '0') len--;
        if (buf[len - 1] == '.') len--;
    }
    if (len == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        len = 1;
    }
    return len;
}

bool type_arg_cursor(Client *c, const Obj *arg, uint64_t *cursor) {
    char numbuf[24];
    size_t len;
    const char *text = obj_string_bytes(arg, numbuf, &len);
    long long strict;
    if (strnum_to_ll(text, len, &strict) == 0) {
        if (strict >= 0) {
            *cursor = (uint64_t)strict;
            return true;
        }
    } else if (len > 0 && len < 64 && memchr(text, '\0', len) == NULL) {
        char buf[64];
        memcpy(buf, text, len);
        buf[len] = '\0';
        char *end;
        errno = 0;
        unsigned long long value = strtoull(buf, &end, 10);
        if (errno == 0 && *end == '\0') {
            *cursor = value;
            return true;
        }
    }
    reply_error(c, "-ERR invalid cursor");
    return false;
}
