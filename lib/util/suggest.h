/*
 * suggest.h - "did you mean": the known name closest to a mistyped one
 * (configuration keys, commands, options, resource types).
 */
#ifndef SFA_SUGGEST_H
#define SFA_SUGGEST_H

#include <stddef.h>

/* Offer each known name in turn; best is the closest one within reach
 * (a third of its length, at least 2 edits, case ignored), or NULL.
 * Borrows typed and the names offered. */
typedef struct sfa_suggest {
	const char *typed, *best;
	size_t dist;
} sfa_suggest;

void sfa_suggest_init(sfa_suggest *s, const char *typed);
void sfa_suggest_offer(sfa_suggest *s, const char *known);

#endif
