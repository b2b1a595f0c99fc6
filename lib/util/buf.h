/*
 * buf.h - a growable byte buffer, always NUL-terminated, for HTTP bodies,
 * XML and JSON text.  The owner calls sfa_buf_free(); a zeroed sfa_buf is
 * a valid empty buffer.
 */
#ifndef SFA_BUF_H
#define SFA_BUF_H

#include <stddef.h>

typedef struct sfa_buf {
	char *data; /* NULL or NUL-terminated */
	size_t len;
	size_t cap;
} sfa_buf;

/* Each returns 0 or SFA_ENOMEM (leaving the buffer as it was). */
int sfa_buf_append(sfa_buf *b, const void *p, size_t n);
int sfa_buf_puts(sfa_buf *b, const char *s);
/* Makes room for n more bytes (and the NUL) without changing len, for a
 * writer that measures first and then copies into data + len. */
int sfa_buf_reserve(sfa_buf *b, size_t n);
int sfa_buf_printf(sfa_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sfa_buf_reset(sfa_buf *b);
/* Hands the bytes to the caller (free() them); the buffer becomes empty.
 * Returns "" as a fresh allocation when empty, NULL only on ENOMEM. */
char *sfa_buf_detach(sfa_buf *b);
void sfa_buf_free(sfa_buf *b);

#endif
