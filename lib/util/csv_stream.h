/*
 * csv_stream.h - an incremental RFC 4180 reader over libcsv: bytes are
 * pushed in as they arrive (a curl write callback) and every complete row
 * is handed to a callback, so a result of any size is read in constant
 * memory.  Used for Bulk API 2.0 results (bulk.c).
 */
#ifndef SFA_CSV_STREAM_H
#define SFA_CSV_STREAM_H

#include <stddef.h>

#include "err.h"

typedef struct sfa_csv_stream sfa_csv_stream;

/* One row: n fields, each NUL-terminated ("" for an empty field), borrowed
 * for the call.  A non-zero return (err set) stops the reading. */
typedef int (*sfa_csv_row_cb)(void *ud, const char *const *fields, size_t n,
			      sfa_err *err);

int sfa_csv_stream_new(sfa_csv_stream **out, sfa_csv_row_cb fn, void *ud,
		       sfa_err *err);
void sfa_csv_stream_free(sfa_csv_stream *s);

/* Reads n more bytes.  Returns 0, the callback's error, SFA_EPROTO for
 * text that is not CSV, or SFA_ENOMEM; after an error the stream refuses
 * more input until sfa_csv_stream_reset(). */
int sfa_csv_stream_feed(sfa_csv_stream *s, const char *p, size_t n,
			sfa_err *err);

/* The input is over: hands over a last row that had no line end.
 * SFA_EPROTO when the input stopped inside a quoted field. */
int sfa_csv_stream_end(sfa_csv_stream *s, sfa_err *err);

/* Forgets everything read, to read a new input from its start. */
void sfa_csv_stream_reset(sfa_csv_stream *s);

/* Rows handed over since the last reset. */
long long sfa_csv_stream_rows(const sfa_csv_stream *s);

#endif
