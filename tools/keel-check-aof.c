/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tools/keel-check-aof.c: keel-check-aof [--fix] <file.manifest|file.aof>:
 * checks an append-only file with the server's own readers
 * (persist/aof_internal.h, persist/rdb_file.h), as valkey-check-aof does.
 *
 * Given a manifest it checks every file it names (the base, then the incr
 * files in order); given one file (an incr or old single-file AOF, or a
 * base .rdb) only that file. A file starting with "REDIS" is an RDB image,
 * possibly followed by commands (an old AOF with an RDB preamble). For each
 * file it prints "AOF analyzed: filename=..., size=..., ok_up_to=...,
 * ok_up_to_line=..., diff=..." and either that the file is valid or, at
 * the damaged offset, the reason. Exit status 0 when everything is valid.
 *
 * --fix truncates a damaged file at its last good command, after asking
 * "Continue? [y/N]:" on stdin (as Valkey's checker; pipe "y" in to answer
 * without a terminal). In a manifest only the last file can be truncated.
 *
 * Threads: one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "persist/aof_internal.h"
#include "persist/rdb_file.h"

/* Every room's options (server/server.c; main.c declares it the same way). */
void server_register_all_config(void);

typedef struct Check {
    size_t ok_up_to;  /* bytes known good */
    size_t len;
    bool failed;
} Check;

static bool count_key(void *ctx, RdbIn *in, int dbid, sds key, Obj *val,
                      const RdbKeyMeta *meta) {
    (void)in;
    (void)dbid;
    (void)meta;
    (*(unsigned long long *)ctx)++;
    obj_decr_ref(val);
    sds_free(key);
    return true;
}

/* The RDB part; returns its length, or 0 with the damage printed. */
static size_t check_rdb(const char *p, size_t len, Check *check) {
    unsigned long long keys = 0;
    RdbIn in;
    rdb_in_init(&in, p, len);
    RdbLoadCallbacks cb = {.key = count_key};
    RdbLoadResult result;
    if (!rdb_load_image(&in, &cb, &keys, 1 << 20, true, true, &result)) {
        printf("0x%16zx: RDB preamble is damaged %s\n", in.pos, in.err);
        check->failed = true;
        return 0;
    }
    printf("[info] RDB version %d, %llu keys read\n", result.version, keys);
    printf("RDB preamble is OK, proceeding with AOF tail...\n");
    return in.pos;
}

/* The commands from start on: sets ok_up_to past the last complete one
 * (or before an unfinished MULTI). */
static void check_commands(const char *p, size_t len, size_t start, Check *check) {
    AofReader reader;
    aof_reader_init(&reader, p, len);
    reader.pos = start;
    bool in_multi = false;
    size_t before_multi = start;
    check->ok_up_to = start;
    for (;;) {
        sds *argv;
        int argc;
        size_t at = reader.pos;
        AofParseResult res = aof_reader_next(&reader, &argv, &argc);
        if (res == AOF_PARSE_END) break;
        if (res == AOF_PARSE_TRUNCATED) {
            printf("0x%16zx: Unexpected end of file: the command is truncated\n", at);
            check->failed = true;
            break;
        }
        if (res == AOF_PARSE_BAD) {
            printf("0x%16zx: %s\n", reader.pos, reader.err);
            check->failed = true;
            break;
        }
        bool multi = strcasecmp(argv[0], "multi") == 0;
        bool exec = strcasecmp(argv[0], "exec") == 0;
        aof_args_free(argv, argc);
        if (multi && in_multi) {
            printf("0x%16zx: Unexpected MULTI\n", at);
            check->failed = true;
            break;
        }
        if (exec && !in_multi) {
            printf("0x%16zx: Unexpected EXEC\n", at);
            check->failed = true;
            break;
        }
        if (multi) {
            in_multi = true;
            before_multi = at;
        } else if (exec) {
            in_multi = false;
        }
        if (!in_multi) check->ok_up_to = reader.pos;
    }
    if (in_multi && !check->failed) {
        printf("0x%16zx: Reached EOF before reading EXEC for MULTI\n", before_multi);
        check->failed = true;
    }
    if (in_multi) check->ok_up_to = before_multi;
}

static long long line_of(const char *p, size_t upto) {
    long long lines = 1;
    for (size_t i = 0; i < upto; i++)
        if (p[i] == '\n') lines++;
    return lines;
}

static bool ask_yes(void) {
    printf("Continue? [y/N]: ");
    fflush(stdout);
    char answer[16];
    return fgets(answer, sizeof(answer), stdin) != NULL && strncasecmp(answer, "y", 1) == 0;
}

/* Checks one file; with fix (and when it may: the last file) truncates a
 * damaged tail. Returns true when the file is (now) valid. */
static bool check_file(const char *path, const char *label, bool fix, bool may_fix) {
    size_t len;
    const unsigned char *image = rdb_map_file(path, &len);
    if (image == NULL) {
        printf("Cannot open file %s: %s\n", path, strerror(errno));
        return false;
    }
    const char *p = (const char *)image;
    Check check = {.len = len};
    size_t start = 0;
    if (aof_looks_like_rdb(p, len)) start = check_rdb(p, len, &check);
    if (!check.failed) check_commands(p, len, start, &check);
    long long lines = line_of(p + start, check.ok_up_to > start ? check.ok_up_to - start : 0);
    rdb_unmap_file(image, len);
    size_t diff = len - check.ok_up_to;
    printf("AOF analyzed: filename=%s, size=%zu, ok_up_to=%zu, ok_up_to_line=%lld, diff=%zu\n",
           label, len, check.ok_up_to, lines, diff);
    if (!check.failed) return true;
    printf("AOF %s is damaged at offset %zu\n", label, check.ok_up_to);
    if (!fix) {
        printf("AOF %s is not valid. Use the --fix option to try fixing it.\n", label);
        return false;
    }
    if (!may_fix) {
        printf("Failed to truncate AOF %s because it is not the last file\n", label);
        return false;
    }
    printf("This will shrink the AOF %s from %zu bytes, with %zu bytes, to %zu bytes\n", label, len,
           diff, check.ok_up_to);
    if (!ask_yes()) {
        printf("Aborting...\n");
        return false;
    }
    if (truncate(path, (off_t)check.ok_up_to) != 0) {
        printf("Failed to truncate AOF %s: %s\n", label, strerror(errno));
        return false;
    }
    printf("Successfully truncated AOF %s\n", label);
    return true;
}

/* dir of path, with a trailing slash ("" for none). */
static sds dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? sds_new_len(path, (size_t)(slash - path + 1)) : sds_empty();
}

static int check_manifest(const char *path, bool fix) {
    printf("Start checking Multi Part AOF\n");
    AofManifest *m = NULL;
    char err[512];
    if (aof_manifest_load(path, &m, err, sizeof(err)) <= 0) {
        printf("Invalid AOF manifest file %s: %s\n", path, m == NULL && err[0] ? err : "missing");
        return 1;
    }
    sds dir = dir_of(path);
    int total = (m->base ? 1 : 0) + m->incr_count, seen = 0;
    bool ok = true;
    if (m->base) {
        sds file = sds_cat(sds_dup(dir), m->base->name);
        bool rdb = strstr(m->base->name, ".rdb") != NULL;
        printf("Start to check BASE AOF (%s format).\n", rdb ? "RDB" : "AOF");
        seen++;
        if (check_file(file, m->base->name, fix, seen == total))
            printf("BASE AOF %s is valid\n", m->base->name);
        else
            ok = false;
        sds_free(file);
    }
    if (ok && m->incr_count) printf("Start to check INCR files.\n");
    for (int i = 0; ok && i < m->incr_count; i++) {
        sds file = sds_cat(sds_dup(dir), m->incr[i].name);
        seen++;
        if (check_file(file, m->incr[i].name, fix, seen == total))
            printf("INCR AOF %s is valid\n", m->incr[i].name);
        else
            ok = false;
        sds_free(file);
    }
    sds_free(dir);
    aof_manifest_destroy(m);
    if (!ok) return 1;
    printf("All AOF files and manifest are valid\n");
    return 0;
}

int main(int argc, char **argv) {
    bool fix = false;
    const char *path = NULL;
    if (argc == 2) {
        path = argv[1];
    } else if (argc == 3 && strcmp(argv[1], "--fix") == 0) {
        fix = true;
        path = argv[2];
    } else {
        fprintf(stderr, "Usage: %s [--fix] <file.manifest|file.aof>\n", argv[0]);
        return 1;
    }
    server_register_all_config(); /* the encoding thresholds, at their defaults */
    if (access(path, R_OK) != 0) {
        printf("Cannot open file %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t n = strlen(path);
    if (n > 9 && strcmp(path + n - 9, ".manifest") == 0) return check_manifest(path, fix);
    printf("Start checking Old-Style AOF\n");
    if (!check_file(path, path, fix, true)) return 1;
    printf("AOF %s is valid\n", path);
    return 0;
}
