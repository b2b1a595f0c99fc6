/*
 * csv_stream.c - libcsv fed chunk by chunk.  libcsv calls back per field
 * and per row end; fields of the current row are packed into one growing
 * buffer (offsets, not pointers, since the buffer moves), so a row costs
 * no allocation once the buffer has grown to the widest row.
 */
#include "csv_io.h"

#include "buf.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

/* As bulk.c's MAX_COLS: a described scan's few hundred fields. */
#define MAX_FIELDS 1024

struct sfa_csv_stream {
	struct csv_parser p;
	sfa_csv_stream_fn fn;
	void *ud;
	sfa_buf fields;		/* NUL-separated fields of the row */
	size_t off[MAX_FIELDS]; /* where each field starts */
	const char *ptr[MAX_FIELDS];
	size_t n; /* fields in the current row */
	long long rows;
	int rc;	      /* first error, sticky until reset */
	sfa_err *err; /* the caller's, during feed/end */
};

int sfa_csv_stream_new(sfa_csv_stream **out, sfa_csv_stream_fn fn, void *ud,
		       sfa_err *err)
{
	sfa_csv_stream *s = calloc(1, sizeof(*s));

	*out = NULL;
	/* Strict: a stray quote is an error, not data. */
	if (!s || csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI)) {
		free(s);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	s->fn = fn;
	s->ud = ud;
	*out = s;
	return 0;
}

void sfa_csv_stream_free(sfa_csv_stream *s)
{
	if (!s)
		return;
	csv_free(&s->p);
	sfa_buf_free(&s->fields);
	free(s);
}

static void on_field(void *data, size_t len, void *ud)
{
	sfa_csv_stream *s = ud;

	if (s->rc)
		return;
	if (s->n == MAX_FIELDS) {
		s->rc = sfa_err_set(s->err, SFA_EPROTO,
				    "a CSV row has more than %d fields",
				    MAX_FIELDS);
		return;
	}
	s->off[s->n++] = s->fields.len;
	if (sfa_buf_append(&s->fields, data ? data : "", len) ||
	    sfa_buf_append(&s->fields, "", 1))
		s->rc = sfa_err_set(s->err, SFA_ENOMEM, "out of memory");
}

static void on_row(int c, void *ud)
{
	sfa_csv_stream *s = ud;
	size_t i;

	(void)c;
	if (!s->rc) {
		for (i = 0; i < s->n; i++)
			s->ptr[i] = s->fields.data + s->off[i];
		s->rows++;
		s->rc = s->fn(s->ud, s->ptr, s->n, s->err);
	}
	s->n = 0;
	s->fields.len = 0;
}

int sfa_csv_stream_feed(sfa_csv_stream *s, const char *p, size_t n,
			sfa_err *err)
{
	if (s->rc)
		return s->rc;
	s->err = err;
	if (csv_parse(&s->p, p, n, on_field, on_row, s) != n && !s->rc)
		s->rc = csv_error(&s->p) == CSV_ENOMEM
			    ? sfa_err_set(err, SFA_ENOMEM, "out of memory")
			    : sfa_err_set(err, SFA_EPROTO, "malformed CSV: %s",
					  csv_strerror(csv_error(&s->p)));
	s->err = NULL;
	return s->rc;
}

int sfa_csv_stream_end(sfa_csv_stream *s, sfa_err *err)
{
	if (s->rc)
		return s->rc;
	s->err = err;
	if (csv_fini(&s->p, on_field, on_row, s) && !s->rc)
		s->rc = sfa_err_set(err, SFA_EPROTO,
				    "CSV ends inside a quoted field");
	s->err = NULL;
	return s->rc;
}

void sfa_csv_stream_reset(sfa_csv_stream *s)
{
	/* csv_fini without callbacks drops a half-read row and rearms the
	 * parser, keeping its buffer; strict-fini would refuse (and not
	 * rearm) inside an open quote, so it is off for this call. */
	csv_set_opts(&s->p, CSV_STRICT);
	csv_fini(&s->p, NULL, NULL, NULL);
	csv_set_opts(&s->p, CSV_STRICT | CSV_STRICT_FINI);
	s->n = 0;
	s->fields.len = 0;
	s->rows = 0;
	s->rc = 0;
}

long long sfa_csv_stream_rows(const sfa_csv_stream *s)
{
	return s->rows;
}
