/*
 * problems.h - a list of problems in an input file, each with its line, so
 * that every one is reported at once instead of the first alone.
 */
#ifndef SFA_PROBLEMS_H
#define SFA_PROBLEMS_H

#include <stddef.h>

/* CHANGEFILE.md step 1: every problem is reported, not the first.  A
 * zeroed list is empty. */
typedef struct sfa_problem {
	long line; /* 0: about the whole file */
	char *msg;
} sfa_problem;

typedef struct sfa_problems {
	sfa_problem *v;
	size_t n, cap;
} sfa_problems;

/* Appends a problem (printf-style).  Returns 0 or SFA_ENOMEM. */
int sfa_problem_add(sfa_problems *p, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sorts by line (stable for one line). */
void sfa_problems_sort(sfa_problems *p);
void sfa_problems_free(sfa_problems *p);

#endif
