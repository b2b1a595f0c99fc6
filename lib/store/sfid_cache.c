/*
 * sfid_cache.c - the id cache of sfid_cache.h.
 *
 * A slot: lo holds characters 0-9 of the 15-character id (6 bits each,
 * the first highest), hi characters 10-14 in bits 0-29, bit 30 set for
 * an id that came with its checksum, and the key in bits 31-63.  An
 * empty slot is all zero: keys start at 1.
 */
#include "sfid_cache.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS (1u << 18)
#define WITH_CHECKSUM (1ull << 30)
#define ID_BITS 31
#define KEY_LIMIT (1ll << 33)

struct sfa_sfid_cache {
	struct slot {
		uint64_t lo, hi;
	} slot[SLOTS];
};

sfa_sfid_cache *sfa_sfid_cache_new(void)
{
	return calloc(1, sizeof(sfa_sfid_cache));
}

void sfa_sfid_cache_free(sfa_sfid_cache *c)
{
	free(c);
}

void sfa_sfid_cache_clear(sfa_sfid_cache *c)
{
	memset(c->slot, 0, sizeof(c->slot));
}

/* 0-61 for [0-9A-Za-z] (in that order), -1 for any other byte. */
static int digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 36;
	return -1;
}

/* Whether the last 3 characters of 18-character id are Salesforce's
 * checksum of the first 15: per run of 5, a bit for each upper-case
 * letter (the first the lowest), as a letter of A-Z then 0-5. */
static int checksum_ok(const char *id)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
	int run, i;

	for (run = 0; run < 3; run++) {
		unsigned bits = 0;

		for (i = 0; i < 5; i++) {
			char c = id[run * 5 + i];

			if (c >= 'A' && c <= 'Z')
				bits |= 1u << i;
		}
		if (id[15 + run] != alphabet[bits])
			return 0;
	}
	return 1;
}

int sfa_sfid_cache_get(const sfa_sfid_cache *c, const char *id, size_t n,
		       sfa_sfid_ref *ref, long long *key)
{
	const struct slot *s;
	uint64_t h;
	int i;

	memset(ref, 0, sizeof(*ref));
	if ((n != 15 && n != 18) || (n == 18 && !checksum_ok(id)))
		return 0;
	for (i = 0; i < 15; i++) {
		int d = digit((unsigned char)id[i]);

		if (d < 0)
			return 0;
		if (i < 10)
			ref->lo = ref->lo << 6 | (uint64_t)d;
		else
			ref->hi = ref->hi << 6 | (uint64_t)d;
	}
	if (n == 18)
		ref->hi |= WITH_CHECKSUM;
	ref->cacheable = 1;
	/* The last characters vary most; the multiply mixes them up into
	 * the bits that pick the slot. */
	h = (ref->lo ^ ref->hi * 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
	ref->at = (size_t)(h >> 40) & (SLOTS - 1);
	s = &c->slot[ref->at];
	if (s->lo != ref->lo || (s->hi & ((1ull << ID_BITS) - 1)) != ref->hi ||
	    !(s->hi >> ID_BITS))
		return 0;
	*key = (long long)(s->hi >> ID_BITS);
	return 1;
}

void sfa_sfid_cache_put(sfa_sfid_cache *c, const sfa_sfid_ref *ref,
			long long key)
{
	if (!ref->cacheable || key <= 0 || key >= KEY_LIMIT)
		return;
	c->slot[ref->at].lo = ref->lo;
	c->slot[ref->at].hi = ref->hi | (uint64_t)key << ID_BITS;
}
