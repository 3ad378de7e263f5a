/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/aof_manifest.c: the multi-part AOF's manifest: which base file
 * and which incr files (in order) hold the data, and which old files wait
 * to be deleted; its text form, one line per file as Valkey writes it
 * ("file appendonly.aof.1.base.rdb seq 1 type b"), and saving it safely
 * (temp file, fsync, rename, fsync of the folder).
 *
 * Names: <appendfilename>.<seq>.base.rdb|aof, <appendfilename>.<seq>.incr.aof,
 * <appendfilename>.manifest, all inside dir/appenddirname.
 *
 * Threads: main only (keel-check-aof parses manifests too).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ds/strnum.h"
#include "persist/aof_internal.h"
#include "server/log.h"
#include "server/mem.h"

#define MANIFEST_MAX_LINE 1024

AofManifest *aof_manifest_create(void) {
    AofManifest *m = mem_alloc(sizeof(*m));
    memset(m, 0, sizeof(*m));
    return m;
}

static void info_free(AofFileInfo *info) {
    sds_free(info->name);
}

void aof_manifest_destroy(AofManifest *m) {
    if (m == NULL) return;
    if (m->base) {
        info_free(m->base);
        mem_free(m->base);
    }
    for (int i = 0; i < m->incr_count; i++) info_free(&m->incr[i]);
    for (int i = 0; i < m->history_count; i++) info_free(&m->history[i]);
    mem_free(m->incr);
    mem_free(m->history);
    mem_free(m);
}

static void list_add(AofFileInfo **list, int *count, const char *name, long long seq, char type) {
    *list = mem_realloc(*list, sizeof(**list) * (size_t)(*count + 1));
    (*list)[*count] = (AofFileInfo){.name = sds_new(name), .seq = seq, .type = type};
    (*count)++;
}

AofManifest *aof_manifest_dup(const AofManifest *m) {
    AofManifest *copy = aof_manifest_create();
    if (m->base) {
        copy->base = mem_alloc(sizeof(*copy->base));
        *copy->base = (AofFileInfo){sds_dup(m->base->name), m->base->seq, AOF_FILE_BASE};
    }
    for (int i = 0; i < m->incr_count; i++)
        list_add(&copy->incr, &copy->incr_count, m->incr[i].name, m->incr[i].seq, AOF_FILE_INCR);
    for (int i = 0; i < m->history_count; i++)
        list_add(&copy->history, &copy->history_count, m->history[i].name, m->history[i].seq,
                 AOF_FILE_HISTORY);
    copy->base_seq = m->base_seq;
    copy->incr_seq = m->incr_seq;
    return copy;
}

/* One "file <name> seq <n> type <t>" line (keys in any order; unknown keys
 * are ignored, as Valkey does for forward compatibility). */
static bool parse_line(AofManifest *m, const char *line, size_t len, char *err, size_t errlen) {
    int argc;
    sds *argv = sds_split_args(line, len, &argc);
    if (argv == NULL || argc < 6 || argc % 2 != 0) {
        if (argv) sds_free_split(argv, argc);
        snprintf(err, errlen, "Invalid AOF manifest file format");
        return false;
    }
    const char *name = NULL;
    long long seq = -1;
    char type = 0;
    for (int i = 0; i < argc; i += 2) {
        if (strcmp(argv[i], "file") == 0) {
            name = argv[i + 1];
        } else if (strcmp(argv[i], "seq") == 0) {
            if (strnum_to_ll(argv[i + 1], sds_len(argv[i + 1]), &seq) != 0 || seq < 1) seq = -2;
        } else if (strcmp(argv[i], "type") == 0) {
            type = sds_len(argv[i + 1]) == 1 ? argv[i + 1][0] : '?';
        }
    }
    bool ok = false;
    if (name == NULL || name[0] == '\0' || strchr(name, '/') || seq < 1 || type == 0) {
        snprintf(err, errlen, "Invalid AOF manifest file format");
    } else if (type == AOF_FILE_BASE) {
        if (m->base) {
            snprintf(err, errlen, "Found duplicate base file information");
        } else {
            m->base = mem_alloc(sizeof(*m->base));
            *m->base = (AofFileInfo){sds_new(name), seq, AOF_FILE_BASE};
            m->base_seq = seq;
            ok = true;
        }
    } else if (type == AOF_FILE_INCR) {
        if (seq <= m->incr_seq) {
            snprintf(err, errlen, "Found a non-monotonic sequence number");
        } else {
            list_add(&m->incr, &m->incr_count, name, seq, AOF_FILE_INCR);
            m->incr_seq = seq;
            ok = true;
        }
    } else if (type == AOF_FILE_HISTORY) {
        list_add(&m->history, &m->history_count, name, seq, AOF_FILE_HISTORY);
        ok = true;
    } else {
        snprintf(err, errlen, "Unknown AOF file type '%c'", type);
    }
    sds_free_split(argv, argc);
    return ok;
}

AofManifest *aof_manifest_parse(const char *text, size_t len, char *err, size_t errlen) {
    AofManifest *m = aof_manifest_create();
    size_t pos = 0;
    int lines = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t line_len = end - pos;
        if (line_len > MANIFEST_MAX_LINE) {
            snprintf(err, errlen, "The AOF manifest file contains too long line");
            aof_manifest_destroy(m);
            return NULL;
        }
        const char *line = text + pos;
        if (line_len && line[line_len - 1] == '\r') line_len--;
        pos = end + 1;
        if (line_len == 0 || line[0] == '#') continue;
        if (!parse_line(m, line, line_len, err, errlen)) {
            aof_manifest_destroy(m);
            return NULL;
        }
        lines++;
    }
    if (lines == 0) {
        snprintf(err, errlen, "Found an empty AOF manifest");
        aof_manifest_destroy(m);
        return NULL;
    }
    return m;
}

int aof_manifest_load(const char *path, AofManifest **out, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT) return 0;
        snprintf(err, errlen, "Fail to open AOF manifest %s: %s", path, strerror(errno));
        return -1;
    }
    sds text = sds_empty();
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) text = sds_cat_len(text, chunk, n);
    bool read_error = ferror(f);
    fclose(f);
    if (read_error) {
        snprintf(err, errlen, "Fail to read AOF manifest %s", path);
        sds_free(text);
        return -1;
    }
    *out = aof_manifest_parse(text, sds_len(text), err, errlen);
    sds_free(text);
    return *out ? 1 : -1;
}

static bool needs_quoting(const char *s) {
    for (; *s; s++)
        if (*s <= ' ' || *s == '"' || *s == '\'' || *s == '\\' || *s >= 127) return true;
    return false;
}

static sds format_line(sds out, const AofFileInfo *info) {
    out = sds_cat(out, "file ");
    if (needs_quoting(info->name))
        out = sds_cat_repr(out, info->name, sds_len(info->name));
    else
        out = sds_cat_sds(out, info->name);
    return sds_cat_printf(out, " seq %lld type %c\n", info->seq, info->type);
}

sds aof_manifest_format(const AofManifest *m) {
    sds out = sds_empty();
    if (m->base) out = format_line(out, m->base);
    for (int i = 0; i < m->history_count; i++) out = format_line(out, &m->history[i]);
    for (int i = 0; i < m->incr_count; i++) out = format_line(out, &m->incr[i]);
    return out;
}

sds aof_file_path(const char *name) {
    return sds_cat_printf(sds_empty(), "%s/%s", cfg_appenddirname, name);
}

bool aof_dir_create(char *err, size_t errlen) {
    if (mkdir(cfg_appenddirname, 0755) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(cfg_appenddirname, &st) == 0 && S_ISDIR(st.st_mode)) return true;
        snprintf(err, errlen, "Can't open or create append-only dir %s: %s", cfg_appenddirname,
                 strerror(ENOTDIR));
        return false;
    }
    snprintf(err, errlen, "Can't open or create append-only dir %s: %s", cfg_appenddirname,
             strerror(errno));
    return false;
}

long long aof_file_size(const char *name) {
    sds path = aof_file_path(name);
    struct stat st;
    long long size = stat(path, &st) == 0 ? (long long)st.st_size : 0;
    sds_free(path);
    return size;
}

static void fsync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd);
    close(fd);
}

bool aof_manifest_save(const AofManifest *m, char *err, size_t errlen) {
    sds text = aof_manifest_format(m);
    sds tmp = sds_cat_printf(sds_empty(), "%s/temp-%s.manifest", cfg_appenddirname,
                             cfg_appendfilename);
    sds path = sds_cat_printf(sds_empty(), "%s/%s.manifest", cfg_appenddirname,
                              cfg_appendfilename);
    bool ok = false;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "Can't open the AOF manifest file %s: %s", tmp, strerror(errno));
        goto done;
    }
    size_t off = 0, len = sds_len(text);
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        off += (size_t)n;
    }
    if (off < len || fsync(fd) != 0) {
        snprintf(err, errlen, "Can't persist the AOF manifest file %s: %s", tmp,
                 strerror(errno ? errno : EIO));
        close(fd);
        unlink(tmp);
        goto done;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "Can't rename the AOF manifest file %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto done;
    }
    fsync_dir(cfg_appenddirname);
    ok = true;
done:
    sds_free(text);
    sds_free(tmp);
    sds_free(path);
    return ok;
}

const char *aof_manifest_new_base(AofManifest *m, bool rdb) {
    if (m->base) {
        list_add(&m->history, &m->history_count, m->base->name, m->base->seq, AOF_FILE_HISTORY);
        info_free(m->base);
    } else {
        m->base = mem_alloc(sizeof(*m->base));
    }
    m->base_seq++;
    sds name = sds_cat_printf(sds_empty(), "%s.%lld.base.%s", cfg_appendfilename, m->base_seq,
                              rdb ? "rdb" : "aof");
    *m->base = (AofFileInfo){name, m->base_seq, AOF_FILE_BASE};
    return name;
}

const char *aof_manifest_new_incr(AofManifest *m) {
    m->incr_seq++;
    sds name = sds_cat_printf(sds_empty(), "%s.%lld.incr.aof", cfg_appendfilename, m->incr_seq);
    list_add(&m->incr, &m->incr_count, name, m->incr_seq, AOF_FILE_INCR);
    sds_free(name);
    return m->incr[m->incr_count - 1].name;
}

void aof_manifest_incr_to_history(AofManifest *m, int keep) {
    int moved = m->incr_count - keep;
    if (moved <= 0) return;
    for (int i = 0; i < moved; i++) {
        list_add(&m->history, &m->history_count, m->incr[i].name, m->incr[i].seq,
                 AOF_FILE_HISTORY);
        info_free(&m->incr[i]);
    }
    memmove(m->incr, m->incr + moved, sizeof(*m->incr) * (size_t)keep);
    m->incr_count = keep;
}

void aof_manifest_delete_history(AofManifest *m) {
    if (m->history_count == 0) return;
    for (int i = 0; i < m->history_count; i++) {
        sds path = aof_file_path(m->history[i].name);
        /* Unlinked here, on the main thread (Valkey hands it to a
         * background thread and says so in this line). */
        log_msg(LL_NOTICE, "Removing the history file %s", m->history[i].name);
        if (unlink(path) != 0 && errno != ENOENT)
            log_msg(LL_WARNING, "Can't remove the history file %s: %s", m->history[i].name,
                    strerror(errno));
        sds_free(path);
        info_free(&m->history[i]);
    }
    m->history_count = 0;
    /* The manifest forgets them too (it was saved naming them history). */
    char err[512];
    if (!aof_manifest_save(m, err, sizeof(err))) log_msg(LL_WARNING, "%s", err);
}
