/*
 * csv_io.h - the one CSV module (RFC 4180, UTF-8, through libcsv): writing
 * rows (reports, change files), reading a whole text with line numbers
 * (change files, reviewed access reviews, findings) and reading a stream
 * in constant memory (Bulk API results, HR files).  Named csv_io, not
 * csv: libcsv's own header is <csv.h>.
 */
#ifndef SFA_CSV_IO_H
#define SFA_CSV_IO_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "problems.h"

/* ---- writing ---- */

typedef struct sfa_csv sfa_csv;

/* Starts writing CSV rows to f (borrowed; the caller closes it), each
 * row when it ends. */
int sfa_csv_new(sfa_csv **out, FILE *f, sfa_err *err);

/* Where a writer of sfa_csv_new_blocks() sends its rows: takes the first
 * len bytes of *buf (a malloc'ed buffer of *cap bytes) and may put
 * another buffer in its place (NULL with *cap 0 allowed), which the
 * writer owns from then on.  A non-zero return (err set) is the write's
 * error. */
typedef int (*sfa_csv_block_fn)(void *ud, char **buf, size_t len, size_t *cap,
				sfa_err *err);

/* Starts writing CSV rows that go to fn a block at a time: whenever the
 * ended rows held reach block bytes, and at sfa_csv_flush(). */
int sfa_csv_new_blocks(sfa_csv **out, size_t block, sfa_csv_block_fn fn,
		       void *ud, sfa_err *err);
void sfa_csv_free(sfa_csv *w);

/* Appends one field to the current row; NULL is written as empty.  A
 * cell that starts with = + - @ tab or CR gets a leading ' so that no
 * spreadsheet runs it as a formula (lib/README.md, "Reports"). */
int sfa_csv_field(sfa_csv *w, const char *s);
/* Ends the current row with CRLF, as RFC 4180 says. */
int sfa_csv_end_row(sfa_csv *w, sfa_err *err);
/* Writes a whole row of n fields. */
int sfa_csv_row(sfa_csv *w, const char *const *fields, int n, sfa_err *err);
/* Rows ended so far. */
long long sfa_csv_rows(const sfa_csv *w);
/* Hands the ended rows a writer of sfa_csv_new_blocks() still holds to
 * its fn (a writer of sfa_csv_new() holds none). */
int sfa_csv_flush(sfa_csv *w, sfa_err *err);

/* Cells written once and copied into later rows, for a writer whose rows
 * repeat many cells (the access review, one row per user and item).
 * sfa_csv_mark() is where the current row has got to; sfa_csv_since()
 * the len bytes written since that mark in the same row (NULL when memory
 * ran out in the row); sfa_csv_cells() appends such bytes again, counting
 * them as nfields fields. */
size_t sfa_csv_mark(const sfa_csv *w);
const char *sfa_csv_since(const sfa_csv *w, size_t mark, size_t *len);
int sfa_csv_cells(sfa_csv *w, const char *cells, size_t len, int nfields);

/* ---- reading a whole text with line numbers (the change file, the
 * reviewed access review) ---- */

#define SFA_CSVR_COMMENTS 0x1u /* skip lines starting with '#' between rows */

/* Called once per row with its cells (NUL-terminated, borrowed for the
 * call; a leading ' that neutralised a formula is removed) and the line
 * the row starts on.  A non-zero return stops reading and is returned. */
typedef int (*sfa_csv_read_fn)(void *ud, long line, char **cells, int n);

/* Reads RFC 4180 CSV through libcsv's parser (a UTF-8 BOM is skipped).
 * The separator is the header's: `,`, or `;` (or a tab) when the first
 * row has no comma outside quotes, as spreadsheets in many locales save.
 * Rows whose cells are all empty (a blank spreadsheet row) are skipped.
 * Data that is not UTF-8 is one problem (its first line), and not read.
 * Malformed CSV is added to probs with its line and reading goes on at
 * the next line.  Returns 0, SFA_ENOMEM, or what fn returned. */
int sfa_csv_read(const char *data, size_t len, unsigned flags,
		 sfa_csv_read_fn fn, void *ud, sfa_problems *probs);

/* ---- reading a stream: bytes are pushed in as they arrive (a curl
 * write callback) and every complete row is handed to a callback, so a
 * result of any size is read in constant memory ---- */

typedef struct sfa_csv_stream sfa_csv_stream;

/* One row: n fields, each NUL-terminated ("" for an empty field), borrowed
 * for the call.  A non-zero return (err set) stops the reading. */
typedef int (*sfa_csv_stream_fn)(void *ud, const char *const *fields, size_t n,
				 sfa_err *err);

int sfa_csv_stream_new(sfa_csv_stream **out, sfa_csv_stream_fn fn, void *ud,
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
