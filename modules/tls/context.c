/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls/context.c: builds the SSL_CTX objects from the tls-* options and owns
 * the live ones: the server context (accepted connections) and the client
 * context (outgoing replication / cluster links; the server context's
 * certificate unless tls-client-cert-file is set).
 *
 * tls_configure is all or nothing: both contexts are built first, and only
 * when both succeeded do they replace the old ones, so a bad file given to
 * CONFIG SET leaves the server serving with what it had. Connections hold
 * their own reference on the context they were made from (SSL_new), so
 * freeing ours never pulls a context from under a live connection.
 *
 * Threads: main only, except tls_error_text (any thread; OpenSSL's error
 * queue is per thread).
 */
#include "internal.h"

#include <errno.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static SSL_CTX *server_ctx; /* main thread only */
static SSL_CTX *client_ctx; /* main thread only */

void tls_error_text(char *buf, size_t len, const char *fallback) {
    unsigned long code = ERR_get_error();
    if (code == 0)
        snprintf(buf, len, "%s", fallback);
    else
        ERR_error_string_n(code, buf, len);
    ERR_clear_error();
}

SSL_CTX *tls_server_ctx(void) {
    return server_ctx;
}

SSL_CTX *tls_client_ctx(void) {
    return client_ctx;
}

void tls_contexts_release(void) {
    SSL_CTX_free(server_ctx); /* NULL is fine */
    SSL_CTX_free(client_ctx);
    server_ctx = client_ctx = NULL;
}

/* Turns tls-protocols into SSL_OP_NO_* options. Returns 0, or -1 with err
 * naming the unknown word. NULL or "" means TLSv1.2 and TLSv1.3. */
static int tls_protocol_options(const char *text, long *options, char *err, size_t errlen) {
    static const struct {
        const char *name;
        long no_flag;
    } versions[] = {{"TLSv1", SSL_OP_NO_TLSv1},
                    {"TLSv1.1", SSL_OP_NO_TLSv1_1},
                    {"TLSv1.2", SSL_OP_NO_TLSv1_2},
                    {"TLSv1.3", SSL_OP_NO_TLSv1_3}};
    const size_t count = sizeof versions / sizeof versions[0];
    long all_off = 0;
    for (size_t i = 0; i < count; i++) all_off |= versions[i].no_flag;
    if (text == NULL || text[0] == '\0') {
        *options = SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
        return 0;
    }
    long wanted_off = all_off;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", text);
    char *save = NULL;
    for (char *word = strtok_r(copy, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
        size_t i = 0;
        while (i < count && strcasecmp(word, versions[i].name) != 0) i++;
        if (i == count) {
            snprintf(err, errlen, "Invalid tls-protocols specified. Use a combination of "
                                  "'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
            return -1;
        }
        wanted_off &= ~versions[i].no_flag;
    }
    if (wanted_off == all_off) {
        snprintf(err, errlen, "Invalid tls-protocols: no protocol enabled");
        return -1;
    }
    *options = wanted_off;
    return 0;
}

/* Gives OpenSSL the key password (tls-key-file-pass) when the key asks. */
static int tls_password_cb(char *buf, int size, int rwflag, void *userdata) {
    (void)rwflag;
    const char *pass = userdata;
    if (pass == NULL || size <= 0) return 0;
    size_t len = strlen(pass);
    if (len > (size_t)size) len = (size_t)size;
    memcpy(buf, pass, len);
    return (int)len;
}

/* Loads DH parameters with OpenSSL 3's decoder API. */
static int tls_load_dh(SSL_CTX *ctx, const char *path, char *err, size_t errlen) {
    char why[200];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errlen, "Failed to load %s: %s", path, strerror(errno));
        return -1;
    }
    EVP_PKEY *params = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
        &params, "PEM", NULL, "DH", OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS, NULL, NULL);
    int ok = dctx != NULL && OSSL_DECODER_from_fp(dctx, f) == 1 && params != NULL;
    OSSL_DECODER_CTX_free(dctx);
    fclose(f);
    if (!ok || SSL_CTX_set0_tmp_dh_pkey(ctx, params) != 1) {
        tls_error_text(why, sizeof why, "no DH parameters found");
        snprintf(err, errlen, "Failed to load DH parameters from %s: %s", path, why);
        EVP_PKEY_free(params); /* set0 took it only on success; NULL is fine */
        return -1;
    }
    return 0;
}

/* The certificate and key of a context. Returns 0, or -1 with err. */
static int tls_load_identity(SSL_CTX *ctx, const char *cert, const char *key, const char *pass,
                             char *err, size_t errlen) {
    char why[200];
    SSL_CTX_set_default_passwd_cb(ctx, tls_password_cb);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)pass);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) <= 0) {
        tls_error_text(why, sizeof why, "unknown error");
        snprintf(err, errlen, "Failed to load certificate: %s: %s", cert, why);
        return -1;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) <= 0) {
        tls_error_text(why, sizeof why, "unknown error");
        snprintf(err, errlen, "Failed to load private key: %s: %s", key, why);
        return -1;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        tls_error_text(why, sizeof why, "key does not match the certificate");
        snprintf(err, errlen, "Failed to load private key: %s: %s", key, why);
        return -1;
    }
    /* The password is only needed while loading: keep no pointer to a string
     * the core may free on the next CONFIG SET. */
    SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
    return 0;
}

/* What both kinds of context share: protocols, ciphers, CA, modes. */
static int tls_ctx_common(SSL_CTX *ctx, char *err, size_t errlen) {
    char why[200];
    long protocol_off = 0;
    if (tls_protocol_options(tls_opts.protocols, &protocol_off, err, errlen) != 0) return -1;
    /* No renegotiation at all: a client could otherwise make the server
     * redo expensive handshakes on demand. TLS 1.3 key updates still work.
     * An EOF without close_notify counts as a close, not an error: clients
     * that just drop the connection are the common case. */
    long options = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_SSLv2 |
                   SSL_OP_NO_SSLv3 | SSL_OP_IGNORE_UNEXPECTED_EOF | protocol_off;
    if (tls_opts.prefer_server_ciphers) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
    SSL_CTX_set_options(ctx, (uint64_t)options);
    /* The core retries a short write with the same bytes at possibly another
     * address (its buffers move), and takes partial writes. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (tls_opts.ciphers && SSL_CTX_set_cipher_list(ctx, tls_opts.ciphers) != 1) {
        tls_error_text(why, sizeof why, "no cipher matches");
        snprintf(err, errlen, "Failed to configure ciphers: %s: %s", tls_opts.ciphers, why);
        return -1;
    }
    if (tls_opts.ciphersuites && SSL_CTX_set_ciphersuites(ctx, tls_opts.ciphersuites) != 1) {
        tls_error_text(why, sizeof why, "no ciphersuite matches");
        snprintf(err, errlen, "Failed to configure ciphersuites: %s: %s", tls_opts.ciphersuites,
                 why);
        return -1;
    }
    if ((tls_opts.ca_cert_file || tls_opts.ca_cert_dir) &&
        SSL_CTX_load_verify_locations(ctx, tls_opts.ca_cert_file, tls_opts.ca_cert_dir) != 1) {
        tls_error_text(why, sizeof why, "unknown error");
        snprintf(err, errlen, "Failed to configure CA certificate(s) file/directory: %s", why);
        return -1;
    }
    return 0;
}

static SSL_CTX *tls_server_ctx_build(char *err, size_t errlen) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) {
        tls_error_text(err, errlen, "SSL_CTX_new failed");
        return NULL;
    }
    if (tls_ctx_common(ctx, err, errlen) != 0) goto err_free;
    if (tls_opts.session_caching) {
        static const unsigned char sid_ctx[] = "keel";
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
        SSL_CTX_sess_set_cache_size(ctx, tls_opts.session_cache_size);
        SSL_CTX_set_timeout(ctx, (long)tls_opts.session_cache_timeout);
        SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1);
    } else {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    }
    /* Per connection, tls-auth-clients decides (conn_tls.c); this default
     * matters only for a connection made before that is read. */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    if (tls_opts.dh_params_file) {
        if (tls_load_dh(ctx, tls_opts.dh_params_file, err, errlen) != 0) goto err_free;
    } else {
        SSL_CTX_set_dh_auto(ctx, 1);
    }
    if (tls_load_identity(ctx, tls_opts.cert_file, tls_opts.key_file, tls_opts.key_file_pass, err,
                          errlen) != 0)
        goto err_free;
    return ctx;

err_free:
    SSL_CTX_free(ctx);
    return NULL;
}

static SSL_CTX *tls_client_ctx_build(char *err, size_t errlen) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) {
        tls_error_text(err, errlen, "SSL_CTX_new failed");
        return NULL;
    }
    if (tls_ctx_common(ctx, err, errlen) != 0) goto err_free;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    const char *cert = tls_opts.client_cert_file ? tls_opts.client_cert_file : tls_opts.cert_file;
    const char *key = tls_opts.client_cert_file ? tls_opts.client_key_file : tls_opts.key_file;
    const char *pass =
        tls_opts.client_cert_file ? tls_opts.client_key_file_pass : tls_opts.key_file_pass;
    if (tls_load_identity(ctx, cert, key, pass, err, errlen) != 0) goto err_free;
    return ctx;

err_free:
    SSL_CTX_free(ctx);
    return NULL;
}

/* The option checks Valkey makes before touching OpenSSL. */
static int tls_options_check(char *err, size_t errlen) {
    if (tls_opts.cert_file == NULL) {
        snprintf(err, errlen, "No tls-cert-file configured!");
        return -1;
    }
    if (tls_opts.key_file == NULL) {
        snprintf(err, errlen, "No tls-key-file configured!");
        return -1;
    }
    if (tls_opts.client_cert_file && tls_opts.client_key_file == NULL) {
        snprintf(err, errlen, "No tls-client-key-file configured!");
        return -1;
    }
    int need_ca = tls_opts.auth_clients != TLS_AUTH_NO || tls_opts.replication || tls_opts.cluster;
    if (need_ca && tls_opts.ca_cert_file == NULL && tls_opts.ca_cert_dir == NULL) {
        snprintf(err, errlen, "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when "
                              "tls-cluster, tls-replication or tls-auth-clients are enabled!");
        return -1;
    }
    return 0;
}

int tls_configure(int reconfigure, char *err, size_t errlen) {
    ERR_clear_error();
    if (tls_options_check(err, errlen) != 0) return -1;
    SSL_CTX *new_server = tls_server_ctx_build(err, errlen);
    if (new_server == NULL) return -1;
    SSL_CTX *new_client = tls_client_ctx_build(err, errlen);
    if (new_client == NULL) {
        SSL_CTX_free(new_server);
        return -1;
    }
    tls_contexts_release();
    server_ctx = new_server;
    client_ctx = new_client;
    if (reconfigure) tls_core->log(KEEL_LOG_NOTICE, "TLS configuration reloaded");
    return 0;
}
