/*
 * csv_write.c - CSV writing.  libcsv quotes a field; we ask it to only when
 * the field needs quoting (a comma, quote, CR, LF), so that plain cells
 * stay plain and the same snapshot always gives byte-identical files.  A
 * row is built in memory and written with one fwrite: millions of rows of
 * 25 fields would otherwise cost a locked stdio call per field.  A writer
 * of blocks hands many rows over at once (a report file hashed on the
 * way, reports/hashwrite.h).
 */
#include "csv_io.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

/* Owns row; f is borrowed. */
struct sfa_csv {
	FILE *f;
	sfa_csv_block_fn block_fn; /* set: rows go out a block at a time */
	void *block_ud;
	size_t block;
	int nfields; /* in the current row */
	int failed;  /* out of memory in the current row */
	long long rows;
	char *row; /* rows not yet written, len of cap bytes used */
	size_t len, cap;
	size_t start; /* where the current row starts in row */
};

int sfa_csv_new(sfa_csv **out, FILE *f, sfa_err *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	(*out)->f = f;
	return 0;
}

int sfa_csv_new_blocks(sfa_csv **out, size_t block, sfa_csv_block_fn fn,
		       void *ud, sfa_err *err)
{
	sfa_csv *w = calloc(1, sizeof(*w));

	*out = w;
	if (!w)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	w->block_fn = fn;
	w->block_ud = ud;
	w->block = block;
	return 0;
}

void sfa_csv_free(sfa_csv *w)
{
	if (w)
		free(w->row);
	free(w);
}

static void put(sfa_csv *w, const char *s, size_t n)
{
	if (w->failed || SFA_GROW(w->row, w->cap, w->len + n)) {
		w->failed = 1;
		return;
	}
	memcpy(w->row + w->len, s, n);
	w->len += n;
}

/* s quoted as libcsv's csv_fwrite() writes it: in double quotes, each
 * quote doubled. */
static void put_quoted(sfa_csv *w, const char *s, size_t n)
{
	size_t need = csv_write(NULL, 0, s, n);

	if (w->failed || SFA_GROW(w->row, w->cap, w->len + need)) {
		w->failed = 1;
		return;
	}
	w->len += csv_write(w->row + w->len, need, s, n);
}

static int needs_quotes(const char *s, size_t n)
{
	return strcspn(s, ",\"\r\n") < n ||
	       (n && (s[0] == ' ' || s[n - 1] == ' '));
}

/* A first byte that makes a spreadsheet read the cell as a formula. */
static int starts_formula(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

int sfa_csv_field(sfa_csv *w, const char *s)
{
	size_t k, n;

	if (w->nfields++)
		put(w, ",", 1);
	if (!s || !*s)
		return w->failed ? SFA_ENOMEM : 0;
	/* One pass finds the first byte that needs quotes or, in most
	 * cells, the end. */
	k = strcspn(s, ",\"\r\n");
	n = s[k] ? k + strlen(s + k) : k;
	if (starts_formula(s[0])) {
		/* The neutralising quote is part of the cell's value, so a
		 * spreadsheet shows '=... as text whatever the quoting. */
		char *cell = malloc(n + 2);

		if (!cell) {
			w->failed = 1;
			return SFA_ENOMEM;
		}
		cell[0] = '\'';
		memcpy(cell + 1, s, n + 1);
		if (needs_quotes(cell, n + 1))
			put_quoted(w, cell, n + 1);
		else
			put(w, cell, n + 1);
		free(cell);
	} else if (s[k] || s[0] == ' ' || s[n - 1] == ' ') {
		put_quoted(w, s, n);
	} else {
		put(w, s, n);
	}
	return w->failed ? SFA_ENOMEM : 0;
}

/* Writes (or hands over) the rows held in w->row, all ended: flush() is
 * called between rows. */
static int flush(sfa_csv *w, sfa_err *err)
{
	int rc = 0;

	if (w->block_fn)
		rc = w->block_fn(w->block_ud, &w->row, w->start, &w->cap, err);
	else if (fwrite(w->row, 1, w->start, w->f) != w->start)
		rc = sfa_err_set(err, SFA_EIO, "cannot write CSV: %s",
				 strerror(errno));
	w->len = w->start = 0;
	return rc;
}

int sfa_csv_end_row(sfa_csv *w, sfa_err *err)
{
	int failed = w->failed;

	put(w, "\r\n", 2);
	if (!failed && w->failed)
		failed = 1;
	w->nfields = 0;
	w->failed = 0;
	if (failed) {
		w->len = w->start;
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	w->start = w->len;
	if ((!w->block_fn || w->len >= w->block) && (failed = flush(w, err)))
		return failed;
	w->rows++;
	return 0;
}

int sfa_csv_row(sfa_csv *w, const char *const *fields, int n, sfa_err *err)
{
	int i;

	for (i = 0; i < n; i++)
		sfa_csv_field(w, fields[i]);
	return sfa_csv_end_row(w, err);
}

long long sfa_csv_rows(const sfa_csv *w)
{
	return w->rows;
}

int sfa_csv_flush(sfa_csv *w, sfa_err *err)
{
	return w->block_fn ? flush(w, err) : 0;
}

size_t sfa_csv_mark(const sfa_csv *w)
{
	return w->len;
}

const char *sfa_csv_since(const sfa_csv *w, size_t mark, size_t *len)
{
	if (w->failed || mark < w->start || mark > w->len)
		return NULL;
	*len = w->len - mark;
	return w->row + mark;
}

int sfa_csv_cells(sfa_csv *w, const char *cells, size_t len, int nfields)
{
	put(w, cells, len);
	w->nfields += nfields;
	return w->failed ? SFA_ENOMEM : 0;
}
