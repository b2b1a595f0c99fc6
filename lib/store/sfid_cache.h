/*
 * sfid_cache.h - a fixed-size cache of Salesforce id -> store key in
 * front of the store's sfid table, so that a repeated id (an assignment's
 * AssigneeId, a membership's GroupId) costs a few shifts instead of an
 * index lookup.
 *
 * Direct-mapped, 2^18 slots of 16 bytes (4 MB, the same at any org
 * size): a 15-character id packed at 6 bits a character, whether it came
 * as 18 characters, and its key.  An 18-character id is cached only when
 * its last 3 characters are the checksum its first 15 give, so that the
 * packed 15 say the whole id.  Any other value (another length, a
 * character outside [0-9A-Za-z], a wrong checksum, a key of 2^33 or more)
 * is never cached: its caller asks sfid each time.
 */
#ifndef SFA_SFID_CACHE_H
#define SFA_SFID_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct sfa_sfid_cache sfa_sfid_cache;

/* An id as the cache sees it: where it goes and what the slot holds;
 * cacheable is 0 for a value that is never cached. */
typedef struct sfa_sfid_ref {
	uint64_t lo, hi;
	size_t at;
	int cacheable;
} sfa_sfid_ref;

/* A new, empty cache; NULL when out of memory.  Free with
 * sfa_sfid_cache_free(). */
sfa_sfid_cache *sfa_sfid_cache_new(void);
void sfa_sfid_cache_free(sfa_sfid_cache *c);

/* Forgets every id (keys of a rolled-back snapshot may be reused). */
void sfa_sfid_cache_clear(sfa_sfid_cache *c);

/* Looks id (n bytes) up: 1 and *key when it is cached, else 0; *ref
 * is filled either way for sfa_sfid_cache_put(). */
int sfa_sfid_cache_get(const sfa_sfid_cache *c, const char *id, size_t n,
		       sfa_sfid_ref *ref, long long *key);

/* Caches ref's id with key (evicting the slot's id), unless it cannot
 * be cached. */
void sfa_sfid_cache_put(sfa_sfid_cache *c, const sfa_sfid_ref *ref,
			long long key);

#endif
