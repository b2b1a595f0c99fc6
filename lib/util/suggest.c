/*
 * suggest.c - the closest known name by edit distance.
 */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

/* Edit distance (insert, delete, substitute, swap two neighbours; case
 * ignored: the typos people make), on names of at most 64 characters. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t r0[65] = {0}, r1[65], r2[65], *pp = r0, *p = r1, *c = r2, *t;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		c[0] = i;
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t v = p[j - 1] + (ca != cb);

			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 &&
			    ca == tolower((unsigned char)b[j - 2]) &&
			    cb == tolower((unsigned char)a[i - 2]) &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
		}
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

void sfa_suggest_init(sfa_suggest *s, const char *typed)
{
	s->typed = typed;
	s->best = NULL;
	s->dist = (size_t)-1;
}

void sfa_suggest_offer(sfa_suggest *s, const char *known)
{
	size_t d = distance(s->typed, known), len = strlen(known);
	size_t cap = len / 3 > 2 ? len / 3 : 2;

	/* Within a third of its length: further off is a different word. */
	if (d <= cap && d < s->dist) {
		s->best = known;
		s->dist = d;
	}
}
