/*
 * soql.c - SOQL string literals.  The escapes are those of the SOQL
 * reference ("Quoted String Escape Sequences"); anything else is copied
 * as is, since SOQL strings are UTF-8 and need no other escaping.
 */
#include "soql.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int sfa_soql_from(const char *soql, char *out, size_t outsz)
{
	const char *p = soql;
	int depth = 0;
	size_t n = 0;

	if (outsz)
		out[0] = '\0';
	for (; p && *p; p++) {
		if (*p == '\'') { /* skip a literal, minding \' escapes */
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				break;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (depth == 0 && !strncasecmp(p, "FROM", 4) &&
			   (p == soql || !word_char(p[-1])) &&
			   isspace((unsigned char)p[4])) {
			p += 4;
			while (isspace((unsigned char)*p))
				p++;
			while (word_char(p[n]) && n + 1 < outsz) {
				out[n] = p[n];
				n++;
			}
			if (outsz)
				out[n] = '\0';
			return n > 0;
		}
	}
	return 0;
}
