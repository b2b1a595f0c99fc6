/*
 * soql.c - SOQL string literals.  The escapes are those of the SOQL
 * reference ("Quoted String Escape Sequences"); anything else is copied
 * as is, since SOQL strings are UTF-8 and need no other escaping.
 */
#include "soql.h"

#include <stdlib.h>
#include <string.h>

/* The escape for c, or NULL when c stands for itself. */
static const char *escape(char c)
{
	switch (c) {
	case '\\':
		return "\\\\";
	case '\'':
		return "\\'";
	case '"':
		return "\\\"";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	default:
		return NULL;
	}
}

char *sfa_soql_quote(const char *s)
{
	size_t n = 3, i;
	char *out, *w;

	if (!s)
		s = "";
	for (i = 0; s[i]; i++) {
		if (n > (size_t)-1 / 2) /* cannot overflow below */
			return NULL;
		n += escape(s[i]) ? 2 : 1;
	}
	out = malloc(n);
	if (!out)
		return NULL;
	w = out;
	*w++ = '\'';
	for (i = 0; s[i]; i++) {
		const char *e = escape(s[i]);

		if (e) {
			*w++ = e[0];
			*w++ = e[1];
		} else {
			*w++ = s[i];
		}
	}
	*w++ = '\'';
	*w = '\0';
	return out;
}
