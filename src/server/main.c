/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/main.c: keel-server's entry point: command-line handling, then
 * config loading and the start sequence (server/server.c).
 *
 * Usage, as Valkey's: keel-server [/path/to/keel.conf] [--option value ...]
 * plus -v/--version and -h/--help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/config.h"
#include "server/server.h"
#include "server/version.h"

void server_register_all_config(void);

static void usage(FILE *out) {
    fprintf(out,
            "Usage: ./keel-server [/path/to/keel.conf] [options] [-]\n"
            "       ./keel-server - (read config from stdin)\n"
            "       ./keel-server -v or --version\n"
            "       ./keel-server -h or --help\n\n"
            "Examples:\n"
            "       ./keel-server (run the server with default conf)\n"
            "       ./keel-server /etc/keel/6379.conf\n"
            "       ./keel-server --port 7777\n"
            "       ./keel-server --port 7777 --replicaof 127.0.0.1 8888\n"
            "       ./keel-server /etc/mykeel.conf --loglevel verbose\n"
            "       ./keel-server --loadmodule keel-tls.so --tls-port 6380\n");
}

int main(int argc, char **argv) {
    if (argc == 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
        printf("keel server v=%s (Redis compatible %s)\n", KEEL_VERSION, KEEL_REDIS_COMPAT_VERSION);
        return 0;
    }
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage(stdout);
        return 0;
    }
    server_register_all_config();
    const char *config_path = NULL;
    int first_option = 1;
    if (argc >= 2 && argv[1][0] != '-') { /* "-" alone means stdin, not a file */
        config_path = argv[1];
        first_option = 2;
    }
    if (first_option < argc && strncmp(argv[first_option], "--", 2) != 0 &&
        strcmp(argv[first_option], "-") != 0) {
        fprintf(stderr, "keel: unexpected argument '%s'\n", argv[first_option]);
        usage(stderr);
        return 1;
    }
    config_load(config_path, argc - first_option, argv + first_option);
    server_start();
    return 0;
}
