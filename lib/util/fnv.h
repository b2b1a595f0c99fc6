/*
 * fnv.h - FNV-1a, the 64-bit string hash of the in-memory tables (interned
 * strings, tokens, reviewers, field names) and of the apply lock's file
 * name.  Not for anything an attacker chooses to collide on purpose where
 * that would matter: the tables it keys compare the strings too.
 */
#ifndef SFA_FNV_H
#define SFA_FNV_H

#include <stdint.h>

#define SFA_FNV_BASIS 14695981039346656037ULL

/* h advanced over the bytes of s (NULL: none); start from SFA_FNV_BASIS. */
uint64_t sfa_fnv1a_add(uint64_t h, const char *s);

/* The FNV-1a hash of s. */
uint64_t sfa_fnv1a(const char *s);

#endif
