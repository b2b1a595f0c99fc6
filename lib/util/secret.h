/*
 * secret.h - wiping secrets (passwords, tokens, session ids) from memory
 * before it is freed, so a later heap read or core dump cannot show them.
 */
#ifndef SFA_SECRET_H
#define SFA_SECRET_H

#include <stddef.h>

/* Overwrites n bytes at p with zeros in a way the compiler cannot drop. */
void sfa_secret_wipe(void *p, size_t n);

/* Wipes the NUL-terminated string s, then frees it (s may be NULL). */
void sfa_secret_free(char *s);

#endif
