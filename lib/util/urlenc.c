/*
 * urlenc.c - percent-encoding; see urlenc.h.
 */
#include "urlenc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* Whether byte c is written as it is. */
static int plain(unsigned char c, unsigned flags)
{
	if (c == '\0')
		return 0;
	if (isalnum(c) || strchr("-._~", c))
		return 1;
	return (flags & SFA_URLENC_QUERY) && c == ',';
}

size_t sfa_urlenc_len(const char *s, unsigned flags)
{
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		n += plain(c, flags) || ((flags & SFA_URLENC_QUERY) && c == ' ')
			 ? 1
			 : 3;
	}
	return n;
}

char *sfa_urlenc(char *out, const char *s, unsigned flags)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (plain(c, flags)) {
			*out++ = (char)c;
		} else if ((flags & SFA_URLENC_QUERY) && c == ' ') {
			*out++ = '+';
		} else {
			*out++ = '%';
			*out++ = hex[c >> 4];
			*out++ = hex[c & 15];
		}
	}
	*out = '\0';
	return out;
}

int sfa_urlenc_append(sfa_buf *b, const char *s, unsigned flags)
{
	char *tmp = malloc(sfa_urlenc_len(s, flags) + 1);
	int rc;

	if (!tmp)
		return SFA_ENOMEM;
	rc = sfa_buf_puts(b, (sfa_urlenc(tmp, s, flags), tmp));
	free(tmp);
	return rc;
}
