/*
 * fnv.c - FNV-1a (fnv.h).
 */
#include "fnv.h"

#define FNV_PRIME 1099511628211ULL

uint64_t sfa_fnv1a_add(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

uint64_t sfa_fnv1a(const char *s)
{
	return sfa_fnv1a_add(SFA_FNV_BASIS, s);
}
