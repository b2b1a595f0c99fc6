/*
 * utf8.h - one UTF-8 decoder for the writers that must never emit invalid
 * text (HTML, JSON inside HTML, XML): each replaces what it cannot decode
 * with U+FFFD instead of passing broken bytes on.
 */
#ifndef SFA_UTF8_H
#define SFA_UTF8_H

#include <stddef.h>

/* Decodes the sequence at s (NUL-terminated); returns its length and sets
 * *cp, or returns 1 with *cp = 0xFFFD for a byte that starts no valid
 * sequence (overlong forms and surrogates included). */
size_t sfa_utf8_next(const unsigned char *s, unsigned *cp);

#endif
