/*
 * utf8.c - the UTF-8 decoder of utf8.h (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
#include "utf8.h"

size_t sfa_utf8_next(const unsigned char *s, unsigned *cp)
{
	unsigned c = s[0], min, n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		min = 0x80;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		min = 0x800;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		goto bad;
	}
	/* A NUL ends the loop too: it is not a continuation byte. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xFFFD;
	return 1;
}
