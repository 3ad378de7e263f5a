/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/info.c: the INFO command: which sections to print, in which order,
 * and how they are framed.
 *
 * Sections follow Valkey's order and names. keel prints only sections for
 * what it has: no Latencystats (no latency histograms yet); Replication
 * and Cluster hold only facts that are true of a standalone server. The
 * builders live in info_sections.c, info_memory.c and (Persistence)
 * persist/persist_info.c.
 *
 * Threads: main only.
 */
#include "server/info.h"

#include <strings.h>

#include "cmd/procs.h"
#include "net/reply.h"
#include "server/info_internal.h"
#include "server/mem.h"

typedef struct InfoSection {
    unsigned bit;
    const char *title; /* "# <title>" header */
    sds (*build)(sds out);
} InfoSection;

/* Print order. */
static const InfoSection info_sections[] = {
    {INFO_SERVER, "Server", info_section_server},
    {INFO_CLIENTS, "Clients", info_section_clients},
    {INFO_MEMORY, "Memory", info_section_memory},
    {INFO_PERSISTENCE, "Persistence", info_section_persistence},
    {INFO_STATS, "Stats", info_section_stats},
    {INFO_REPLICATION, "Replication", info_section_replication},
    {INFO_CPU, "CPU", info_section_cpu},
    {INFO_MODULES, "Modules", info_section_modules},
    {INFO_COMMANDSTATS, "Commandstats", info_section_commandstats},
    {INFO_ERRORSTATS, "Errorstats", info_section_errorstats},
    {INFO_CLUSTER, "Cluster", info_section_cluster},
    {INFO_KEYSPACE, "Keyspace", info_section_keyspace},
};
#define INFO_SECTION_COUNT (sizeof(info_sections) / sizeof(info_sections[0]))

/* Names a client may ask for. "module_list" is Valkey's internal name for
 * the module list, accepted there too. */
static const struct {
    const char *name;
    unsigned bits;
} info_names[] = {
    {"server", INFO_SERVER},
    {"clients", INFO_CLIENTS},
    {"memory", INFO_MEMORY},
    {"persistence", INFO_PERSISTENCE},
    {"stats", INFO_STATS},
    {"replication", INFO_REPLICATION},
    {"cpu", INFO_CPU},
    {"modules", INFO_MODULES},
    {"module_list", INFO_MODULES},
    {"commandstats", INFO_COMMANDSTATS},
    {"errorstats", INFO_ERRORSTATS},
    {"cluster", INFO_CLUSTER},
    {"keyspace", INFO_KEYSPACE},
    {"default", INFO_DEFAULT},
    {"all", INFO_ALL},
    {"everything", INFO_ALL},
};

unsigned info_sections_from_names(const char *const *names, int count) {
    if (count == 0) return INFO_DEFAULT;
    unsigned bits = 0;
    for (int i = 0; i < count; i++) {
        for (size_t j = 0; j < sizeof(info_names) / sizeof(info_names[0]); j++) {
            if (strcasecmp(names[i], info_names[j].name) == 0) {
                bits |= info_names[j].bits;
                break;
            }
        }
    }
    return bits;
}

sds info_generate(sds out, unsigned sections) {
    int printed = 0;
    for (size_t i = 0; i < INFO_SECTION_COUNT; i++) {
        if (!(sections & info_sections[i].bit)) continue;
        if (printed++) out = sds_cat(out, "\r\n");
        out = sds_cat_printf(out, "# %s\r\n", info_sections[i].title);
        out = info_sections[i].build(out);
    }
    return out;
}

/* INFO [section ...] */
void cmd_info(Client *c) {
    int count = c->argc - 1;
    const char **names = mem_alloc(sizeof(char *) * (size_t)(count + 1));
    for (int i = 0; i < count; i++) names[i] = c->argv[i + 1]->ptr;
    unsigned sections = info_sections_from_names(names, count);
    mem_free(names);
    sds info = info_generate(sds_empty(), sections);
    reply_verbatim(c, info, sds_len(info), "txt");
    sds_free(info);
}
