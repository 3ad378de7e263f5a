/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/auth.h: password authentication (requirepass, AUTH, HELLO AUTH)
 * for the default user, until ACLs land.
 *
 * Threads: main only.
 */
#ifndef KEEL_SERVER_AUTH_H
#define KEEL_SERVER_AUTH_H

#include <stddef.h>

void auth_register_config(void);
/* 1 if requirepass is set: new clients start unauthenticated. */
int auth_password_required(void);
/* Checks a user/password pair. Returns 1 if valid. */
int auth_check(const char *user, size_t user_len, const char *password, size_t password_len);

#endif
