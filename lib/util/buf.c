/*
 * buf.c - growable buffer.  Capacity doubles so appends are amortised O(1).
 */
#include "buf.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(sfa_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (need < b->len) /* overflow */
		return SFA_ENOMEM;
	if (need + 1 <= b->cap)
		return 0;
	while (cap < need + 1) {
		if (cap > (size_t)-1 / 2)
			return SFA_ENOMEM;
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		return SFA_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int sfa_buf_append(sfa_buf *b, const void *p, size_t n)
{
	if (grow(b, b->len + n))
		return SFA_ENOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int sfa_buf_reserve(sfa_buf *b, size_t n)
{
	return grow(b, b->len + n);
}

int sfa_buf_puts(sfa_buf *b, const char *s)
{
	return sfa_buf_append(b, s, strlen(s));
}

int sfa_buf_printf(sfa_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, b->len + (size_t)n))
		return SFA_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void sfa_buf_reset(sfa_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *sfa_buf_detach(sfa_buf *b)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void sfa_buf_free(sfa_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
