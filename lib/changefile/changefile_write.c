/*
 * changefile_write.c - writing a change file (plan): the header, one row
 * per operation through the one CSV writer, and `#` comment lines.
 */
#include "changefile.h"

#include <stdlib.h>

#include "changefile_int.h"
#include "csv_io.h"

struct sfa_changefile_writer {
	FILE *f;
	sfa_csv *csv;
	long long rows;
};

int sfa_changefile_writer_new(sfa_changefile_writer **out, FILE *f,
			      sfa_err *err)
{
	sfa_changefile_writer *w = calloc(1, sizeof(*w));
	int rc;

	*out = NULL;
	if (!w)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	w->f = f;
	if ((rc = sfa_csv_new(&w->csv, f, err)) ||
	    (rc = sfa_csv_row(w->csv, col_names, NCOLS, err))) {
		sfa_changefile_writer_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int sfa_changefile_write(sfa_changefile_writer *w, sfa_op op, sfa_rtype t,
			 const char *resource, const char *user,
			 const char *fields, const char *comment, sfa_err *err)
{
	const char *row[NCOLS];
	int rc;

	row[COL_OP] = sfa_op_name(op);
	row[COL_TYPE] = sfa_rtype_name(t);
	row[COL_RESOURCE] = resource;
	row[COL_USER] = user;
	row[COL_FIELDS] = fields;
	row[COL_COMMENT] = comment;
	if ((rc = sfa_csv_row(w->csv, row, NCOLS, err)))
		return rc;
	w->rows++;
	return 0;
}

int sfa_changefile_comment(sfa_changefile_writer *w, const char *text,
			   sfa_err *err)
{
	const char *s;

	if (fputs("# ", w->f) == EOF)
		goto fail;
	for (s = text; *s; s++)
		if (fputc(*s == '\r' || *s == '\n' ? ' ' : *s, w->f) == EOF)
			goto fail;
	if (fputs("\r\n", w->f) == EOF)
		goto fail;
	return 0;
fail:
	return sfa_err_set(err, SFA_EIO, "cannot write the change file");
}

long long sfa_changefile_rows(const sfa_changefile_writer *w)
{
	return w->rows;
}

void sfa_changefile_writer_free(sfa_changefile_writer *w)
{
	if (!w)
		return;
	sfa_csv_free(w->csv);
	free(w);
}
