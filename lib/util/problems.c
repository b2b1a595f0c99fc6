/*
 * problems.c - the problem list of problems.h.
 */
#include "problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "grow.h"

int sfa_problem_add(sfa_problems *p, long line, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (SFA_GROW(p->v, p->cap, p->n + 1))
		return SFA_ENOMEM;
	if (!(p->v[p->n].msg = strdup(buf)))
		return SFA_ENOMEM;
	p->v[p->n++].line = line;
	return 0;
}

void sfa_problems_sort(sfa_problems *p)
{
	size_t i, j;

	/* Insertion sort: stable, and the lists are short. */
	for (i = 1; i < p->n; i++) {
		sfa_problem x = p->v[i];

		for (j = i; j > 0 && p->v[j - 1].line > x.line; j--)
			p->v[j] = p->v[j - 1];
		p->v[j] = x;
	}
}

void sfa_problems_free(sfa_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].msg);
	free(p->v);
	memset(p, 0, sizeof(*p));
}
