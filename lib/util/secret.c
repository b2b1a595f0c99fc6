/*
 * secret.c - memset through a volatile function pointer: the store to
 * memory that is about to be freed would otherwise be a dead store that
 * the optimiser may remove (C11 has no memset_s guarantee here).
 */
#include "secret.h"

#include <stdlib.h>
#include <string.h>

static void *(*const volatile wipe_fn)(void *, int, size_t) = memset;

void sfa_secret_wipe(void *p, size_t n)
{
	if (p && n)
		wipe_fn(p, 0, n);
}

void sfa_secret_free(char *s)
{
	if (!s)
		return;
	sfa_secret_wipe(s, strlen(s));
	free(s);
}
