/*
 * fuzz_soql_quote.c - sfa_soql_quote() is the only thing standing between
 * a resource name in a change file and the WHERE clause apply sends, so
 * this checks a property, not just "no crash": the literal, read back the
 * way a SOQL lexer reads it, ends exactly at its closing quote and equals
 * the input.  An unescaped quote inside would end it early (injection).
 * sfa_soql_from() is fuzzed on the same bytes since it scans SOQL text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "soql.h"

/* The value of the literal starting at q[0] == '\'' in SOQL lexer
 * terms; *end is set to the index just past the closing quote.  NULL
 * when the literal is malformed (no closing quote, unknown escape). */
static char *unquote(const char *q, size_t *end)
{
	size_t i = 1, n = 0, len = strlen(q);
	char *out = malloc(len + 1);

	if (!out || q[0] != '\'')
		goto bad;
	while (i < len && q[i] != '\'') {
		if (q[i] == '\\') {
			if (i + 1 >= len)
				goto bad;
			switch (q[i + 1]) {
			case 'n': out[n++] = '\n'; break;
			case 'r': out[n++] = '\r'; break;
			case 't': out[n++] = '\t'; break;
			case 'b': out[n++] = '\b'; break;
			case 'f': out[n++] = '\f'; break;
			case '"': out[n++] = '"'; break;
			case '\'': out[n++] = '\''; break;
			case '\\': out[n++] = '\\'; break;
			default: goto bad;
			}
			i += 2;
		} else {
			out[n++] = q[i++];
		}
	}
	if (i >= len)
		goto bad;
	out[n] = '\0';
	*end = i + 1;
	return out;
bad:
	free(out);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *q, *back;
	char from[128];
	size_t end = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0'; /* the input is a C string: bytes after a NUL are cut */
	q = sfa_soql_quote(s);
	if (!q)
		abort();
	back = unquote(q, &end);
	/* Well formed, ends at the last byte, and means the input. */
	if (!back || end != strlen(q) || strcmp(back, s))
		abort();
	/* No raw control character that SOQL would reject or that could
	 * break a log line survives inside the literal. */
	if (strpbrk(q, "\n\r\t\b\f"))
		abort();
	free(back);
	free(q);

	from[0] = 'x';
	if (sfa_soql_from(s, from, sizeof(from)) == 0 && from[0] != '\0')
		abort();
	if (strlen(from) >= sizeof(from))
		abort();
	free(s);
	return 0;
}
