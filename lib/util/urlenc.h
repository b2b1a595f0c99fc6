/*
 * urlenc.h - percent-encoding (RFC 3986), the one encoder of every query
 * string and form body sfaccess sends.  RFC 3986 unreserved characters
 * stay as they are, every other byte becomes %XX.
 */
#ifndef SFA_URLENC_H
#define SFA_URLENC_H

#include <stddef.h>

#include "buf.h"

/* A query string (SOQL, locators): space as '+', and ',' kept so that -v
 * traces of SELECT lists stay readable.  Without it, the strict form the
 * OAuth token endpoint expects: space as %20, ',' as %2C. */
#define SFA_URLENC_QUERY 0x1u

/* Bytes s takes once encoded, without the NUL. */
size_t sfa_urlenc_len(const char *s, unsigned flags);

/* Writes s encoded at out, which has room for sfa_urlenc_len(s) + 1
 * bytes, and a NUL; returns the end (the NUL).  Writing into a buffer of
 * the exact size is what lets a secret be encoded without a realloc
 * leaving a copy of it behind. */
char *sfa_urlenc(char *out, const char *s, unsigned flags);

/* Appends s encoded to b.  Returns 0 or SFA_ENOMEM. */
int sfa_urlenc_append(sfa_buf *b, const char *s, unsigned flags);

#endif
