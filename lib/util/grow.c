/*
 * grow.c - the array growth of grow.h.
 */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int sfa_grow(void *arrayp, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 16;
	void *old, *p;

	if (need <= *cap)
		return 0;
	if (elem == 0 || need > SIZE_MAX / elem)
		return SFA_ENOMEM;
	while (c < need && c <= SIZE_MAX / 2 / elem)
		c *= 2;
	if (c < need || c > SIZE_MAX / elem)
		c = need;
	/* arrayp is a T **: its pointer is read and written as bytes, so
	 * that no caller needs a cast to void **. */
	memcpy(&old, arrayp, sizeof(old));
	if (!(p = realloc(old, c * elem)))
		return SFA_ENOMEM;
	memcpy(arrayp, &p, sizeof(p));
	*cap = c;
	return 0;
}
