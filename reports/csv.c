/*
 * csv.c - CSV writing.  libcsv quotes a field; we ask it to only when the
 * field needs quoting (a comma, quote, CR, LF), so that plain cells stay
 * plain and the same snapshot always gives byte-identical files.
 */
#include "report_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sfa_csv {
	FILE *f;
	int nfields; /* in the current row */
	int failed;  /* a write error happened in the current row */
	long long rows;
};

int sfa_csv_new(sfa_csv **out, FILE *f, sfa_err *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	(*out)->f = f;
	return 0;
}

void sfa_csv_free(sfa_csv *w)
{
	free(w);
}

static int needs_quotes(const char *s, size_t n)
{
	return strcspn(s, ",\"\r\n") < n || (n && (s[0] == ' ' || s[n - 1] == ' '));
}

int sfa_csv_field(sfa_csv *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *tmp = NULL;

	if (w->nfields++ && fputc(',', w->f) == EOF)
		w->failed = 1;
	if (!n)
		return w->failed ? SFA_EIO : 0;
	if (strchr("=+-@\t\r", s[0])) {
		/* The neutralising quote is part of the cell's value, so a
		 * spreadsheet shows '=... as text whatever the quoting. */
		tmp = malloc(n + 2);
		if (!tmp) {
			w->failed = 1;
			return SFA_ENOMEM;
		}
		tmp[0] = '\'';
		memcpy(tmp + 1, s, n + 1);
		s = tmp;
		n++;
	}
	if (needs_quotes(s, n)) {
		if (csv_fwrite(w->f, s, n) != 0)
			w->failed = 1;
	} else if (fwrite(s, 1, n, w->f) != n) {
		w->failed = 1;
	}
	free(tmp);
	return w->failed ? SFA_EIO : 0;
}

int sfa_csv_end_row(sfa_csv *w, sfa_err *err)
{
	int failed = w->failed || fputs("\r\n", w->f) == EOF;

	w->nfields = 0;
	w->failed = 0;
	if (failed)
		return sfa_err_set(err, SFA_EIO, "cannot write CSV: %s",
				   strerror(errno));
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

const char *const sfa_access_csv_columns[] = {
	"snapshot_id", "captured_at", "org_id", "user_id", "username", "name",
	"email", "user_type", "license", "is_active", "is_frozen",
	"last_login_at", "manager_username", "access_type", "access_id",
	"access_name", "via_type", "via_id", "via_name", "assigned_at",
	"expires_at", "first_seen_at", "decision", "reviewer", "comment"};
const int sfa_access_csv_ncolumns =
	sizeof(sfa_access_csv_columns) / sizeof(sfa_access_csv_columns[0]);

int sfa_csv_access_fields(sfa_csv *w, const sfa_access_row *r)
{
	char id[32];

	snprintf(id, sizeof(id), "%lld", r->snapshot_id);
	sfa_csv_field(w, id);
	sfa_csv_field(w, r->captured_at);
	sfa_csv_field(w, r->org_id);
	sfa_csv_field(w, r->user_id);
	sfa_csv_field(w, r->username);
	sfa_csv_field(w, r->name);
	sfa_csv_field(w, r->email);
	sfa_csv_field(w, r->user_type);
	sfa_csv_field(w, r->license);
	sfa_csv_field(w, !r->user_id ? NULL : r->is_active ? "true" : "false");
	sfa_csv_field(w, !r->user_id ? NULL : r->is_frozen ? "true" : "false");
	sfa_csv_field(w, r->last_login_at);
	sfa_csv_field(w, r->manager_username);
	sfa_csv_field(w, r->access_type);
	sfa_csv_field(w, r->access_id);
	sfa_csv_field(w, r->access_name);
	sfa_csv_field(w, r->via_type);
	sfa_csv_field(w, r->via_id);
	sfa_csv_field(w, r->via_name);
	sfa_csv_field(w, r->assigned_at);
	sfa_csv_field(w, r->expires_at);
	sfa_csv_field(w, r->first_seen_at);
	sfa_csv_field(w, NULL); /* decision, reviewer, comment: for */
	sfa_csv_field(w, NULL); /* the reviewers to fill in */
	return sfa_csv_field(w, NULL);
}

static int write_access_row(void *ud, const sfa_access_row *r)
{
	sfa_csv *w = ud;

	sfa_csv_access_fields(w, r);
	return sfa_csv_end_row(w, NULL) ? SFA_EIO : 0;
}

int sfa_report_access_csv(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *filter, FILE *f,
			  long long *rows, sfa_err *err)
{
	sfa_csv *w;
	int rc;

	if ((rc = sfa_csv_new(&w, f, err)) != 0)
		return rc;
	rc = sfa_csv_row(w, sfa_access_csv_columns, sfa_access_csv_ncolumns,
			 err);
	if (rc == 0)
		rc = sfa_store_each_access(st, snapshot_id, filter,
					   write_access_row, w, err);
	if (rc == SFA_EIO && !err->msg[0])
		sfa_err_set(err, SFA_EIO, "cannot write CSV: %s",
			    strerror(errno));
	*rows = sfa_csv_rows(w) - 1;
	sfa_csv_free(w);
	return rc;
}

int sfa_csv_change_header(sfa_csv *w, sfa_err *err)
{
	static const char *const change_columns[] = {"change", "field",
						     "old_value", "new_value"};
	int i;

	for (i = 0; i < 4; i++)
		sfa_csv_field(w, change_columns[i]);
	for (i = 0; i < sfa_access_csv_ncolumns; i++)
		sfa_csv_field(w, sfa_access_csv_columns[i]);
	return sfa_csv_end_row(w, err);
}

int sfa_csv_change_row(sfa_csv *w, const sfa_diff_change *c, sfa_err *err)
{
	sfa_csv_field(w, sfa_diff_kind_name(c->kind));
	sfa_csv_field(w, c->field);
	sfa_csv_field(w, c->old_value);
	sfa_csv_field(w, c->new_value);
	sfa_csv_access_fields(w, &c->row);
	return sfa_csv_end_row(w, err);
}

static int write_change_row(void *ud, const sfa_diff_change *c)
{
	return sfa_csv_change_row(ud, c, NULL) ? SFA_EIO : 0;
}

int sfa_report_changes_csv(sfa_diff *d, FILE *f, long long *rows, sfa_err *err)
{
	sfa_csv *w;
	int rc;

	if ((rc = sfa_csv_new(&w, f, err)) != 0)
		return rc;
	rc = sfa_csv_change_header(w, err);
	if (rc == 0)
		rc = sfa_diff_each(d, write_change_row, w, err);
	if (rc == SFA_EIO && !err->msg[0])
		sfa_err_set(err, SFA_EIO, "cannot write CSV: %s",
			    strerror(errno));
	*rows = sfa_csv_rows(w) - 1;
	sfa_csv_free(w);
	return rc;
}
