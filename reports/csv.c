/*
 * csv.c - CSV writing.  libcsv quotes a field; we ask it to only when the
 * field needs quoting (a comma, quote, CR, LF), so that plain cells stay
 * plain and the same snapshot always gives byte-identical files.  A row is
 * built in memory and written with one fwrite: millions of rows of 25
 * fields would otherwise cost a locked stdio call per field.  A report
 * file goes out a block of rows at a time through hashwrite.h, hashed on
 * the way, so that its manifest entry does not read gigabytes back.
 */
#include "report_csv.h"

#include "hashwrite.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A hashing writer's block: large enough that a hand-over costs little
 * per row, small enough to stay in cache until it is hashed. */
#define BLOCK ((size_t)256 * 1024)

/* Owns row and writer; f is borrowed. */
struct sfa_csv {
	FILE *f;
	sfa_hashwrite *writer; /* set: rows go out a block at a time */
	int nfields;	       /* in the current row */
	int failed;	       /* out of memory in the current row */
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

int sfa_csv_new_hashed(sfa_csv **out, FILE *f, sfa_err *err)
{
	int rc;

	if ((rc = sfa_csv_new(out, f, err)))
		return rc;
	if ((rc = sfa_hashwrite_new(&(*out)->writer, f, err))) {
		sfa_csv_free(*out);
		*out = NULL;
	}
	return rc;
}

void sfa_csv_free(sfa_csv *w)
{
	if (w) {
		sfa_hashwrite_free(w->writer);
		free(w->row);
	}
	free(w);
}

/* Makes room for n more bytes of the row; 0 or -1 (out of memory). */
static int reserve(sfa_csv *w, size_t n)
{
	char *p;
	size_t cap = w->cap ? w->cap : 1024;

	if (w->len + n <= w->cap)
		return 0;
	while (cap < w->len + n)
		cap *= 2;
	if (!(p = realloc(w->row, cap)))
		return -1;
	w->row = p;
	w->cap = cap;
	return 0;
}

static void put(sfa_csv *w, const char *s, size_t n)
{
	if (w->failed || reserve(w, n)) {
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

	if (w->failed || reserve(w, need)) {
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

	if (w->writer)
		rc = sfa_hashwrite_put(w->writer, &w->row, w->start, &w->cap,
				       err);
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
	if ((!w->writer || w->len >= BLOCK) && (failed = flush(w, err)))
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

int sfa_csv_finish(sfa_csv *w, sfa_file_digest *d, sfa_err *err)
{
	int rc;

	if (!w->writer)
		return sfa_err_set(
		    err, SFA_EINTERNAL,
		    "CSV: finish on a writer that does not hash");
	if ((rc = flush(w, err)))
		return rc;
	return sfa_hashwrite_finish(w->writer, d, err);
}

const char *const sfa_access_csv_columns[] = {
    "snapshot_id",	"captured_at",	 "org_id",    "user_id",
    "username",		"name",		 "email",     "user_type",
    "license",		"is_active",	 "is_frozen", "last_login_at",
    "manager_username", "access_type",	 "access_id", "access_name",
    "via_type",		"via_id",	 "via_name",  "assigned_at",
    "expires_at",	"first_seen_at", "decision",  "reviewer",
    "comment",		"tier",		 "granted_by", "implied_by"};
const int sfa_access_csv_ncolumns =
    sizeof(sfa_access_csv_columns) / sizeof(sfa_access_csv_columns[0]);

/* The columns of r's user and snapshot, snapshot_id to manager_username. */
#define USER_COLUMNS 13
static void user_fields(sfa_csv *w, const sfa_access_row *r)
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
}

/* The columns of r's access item after its resources, assigned_at to the
 * end. */
static int dates_fields(sfa_csv *w, const sfa_access_row *r)
{
	char tier[16] = "";

	if (r->tier >= 0)
		snprintf(tier, sizeof(tier), "%d", r->tier);
	sfa_csv_field(w, r->assigned_at);
	sfa_csv_field(w, r->expires_at);
	sfa_csv_field(w, r->first_seen_at);
	sfa_csv_field(w, NULL); /* decision, reviewer, comment: for */
	sfa_csv_field(w, NULL); /* the reviewers to fill in */
	sfa_csv_field(w, NULL);
	/* Privileged rows (lib/access/PERMISSIONS.md): after the 25 columns. */
	sfa_csv_field(w, tier);
	sfa_csv_field(w, r->granted_by);
	return sfa_csv_field(w, r->implied_by);
}

/* The columns of r's access item, access_type to the end. */
static int item_fields(sfa_csv *w, const sfa_access_row *r)
{
	sfa_csv_field(w, r->access_type);
	sfa_csv_field(w, r->access_id);
	sfa_csv_field(w, r->access_name);
	sfa_csv_field(w, r->via_type);
	sfa_csv_field(w, r->via_id);
	sfa_csv_field(w, r->via_name);
	return dates_fields(w, r);
}

int sfa_csv_access_fields(sfa_csv *w, const sfa_access_row *r)
{
	user_fields(w, r);
	return item_fields(w, r);
}

/* The cells of a resource as written once, with their leading comma. */
typedef struct span {
	size_t at, len; /* in access_csv's text; len 0 for not yet */
} span;

/* The access review's writer.  A user's rows come one after another and
 * share their first USER_COLUMNS cells: a user's columns are a function
 * of the snapshot and the user's Id (the store's key), so those cells
 * are written once per user and copied for the user's other rows.  The
 * access and via cells of a resource the store numbers (access_ref,
 * via_ref) are written once for the whole review.  Owns user_id, cells,
 * spans and text. */
typedef struct access_csv {
	sfa_csv *w;
	sfa_err *err;
	long long snapshot_id;
	char *user_id; /* whose cells are in cells; NULL for none */
	char *cells;   /* len bytes, the commas between them included */
	size_t len, cap;
	span *spans; /* by ref, nspans of them */
	size_t nspans;
	char *text; /* the resources' cells, tlen of tcap bytes used */
	size_t tlen, tcap;
} access_csv;

/* Remembers the user cells just written to a->w, from the row's start;
 * without memory it just remembers nothing. */
static void keep_user_cells(access_csv *a, const sfa_access_row *r)
{
	sfa_csv *w = a->w;
	size_t n = w->len - w->start;

	free(a->user_id);
	a->user_id = NULL;
	if (w->failed || !r->user_id)
		return;
	if (n > a->cap) {
		char *p = realloc(a->cells, n);

		if (!p)
			return;
		a->cells = p;
		a->cap = n;
	}
	if (!(a->user_id = strdup(r->user_id)))
		return;
	memcpy(a->cells, w->row + w->start, n);
	a->len = n;
	a->snapshot_id = r->snapshot_id;
}

/* Remembers the n bytes at p as the cells of resource ref; without
 * memory it just remembers nothing. */
static void keep_resource_cells(access_csv *a, int ref, const char *p, size_t n)
{
	size_t i = (size_t)ref;

	if (i >= a->nspans) {
		size_t count = a->nspans ? a->nspans : 1024;
		span *s;

		while (count <= i)
			count *= 2;
		if (!(s = realloc(a->spans, count * sizeof(*s))))
			return;
		memset(s + a->nspans, 0, (count - a->nspans) * sizeof(*s));
		a->spans = s;
		a->nspans = count;
	}
	if (a->tlen + n > a->tcap) {
		size_t cap = a->tcap ? a->tcap : 65536;
		char *t;

		while (cap < a->tlen + n)
			cap *= 2;
		if (!(t = realloc(a->text, cap)))
			return;
		a->text = t;
		a->tcap = cap;
	}
	memcpy(a->text + a->tlen, p, n);
	a->spans[i].at = a->tlen;
	a->spans[i].len = n;
	a->tlen += n;
}

/* The type, id and name cells of resource ref (0: not numbered). */
static void resource_fields(access_csv *a, int ref, const char *type,
			    const char *id, const char *name)
{
	sfa_csv *w = a->w;
	size_t from = w->len;

	if (ref > 0 && (size_t)ref < a->nspans && a->spans[ref].len) {
		put(w, a->text + a->spans[ref].at, a->spans[ref].len);
		w->nfields += 3;
		return;
	}
	sfa_csv_field(w, type);
	sfa_csv_field(w, id);
	sfa_csv_field(w, name);
	if (ref > 0 && !w->failed)
		keep_resource_cells(a, ref, w->row + from, w->len - from);
}

static int write_access_row(void *ud, const sfa_access_row *r)
{
	access_csv *a = ud;
	sfa_csv *w = a->w;

	if (a->user_id && r->user_id && r->snapshot_id == a->snapshot_id &&
	    strcmp(r->user_id, a->user_id) == 0) {
		put(w, a->cells, a->len);
		w->nfields = USER_COLUMNS;
	} else {
		user_fields(w, r);
		keep_user_cells(a, r);
	}
	resource_fields(a, r->access_ref, r->access_type, r->access_id,
			r->access_name);
	resource_fields(a, r->via_ref, r->via_type, r->via_id, r->via_name);
	dates_fields(w, r);
	return sfa_csv_end_row(w, a->err);
}

int sfa_report_access_csv(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *filter, FILE *f,
			  long long *rows, sfa_file_digest *d, sfa_err *err)
{
	access_csv a = {NULL, err, 0, NULL, NULL, 0, 0, NULL, 0, NULL, 0, 0};
	sfa_csv *w;
	int rc;

	if ((rc = d ? sfa_csv_new_hashed(&w, f, err) : sfa_csv_new(&w, f, err)))
		return rc;
	a.w = w;
	rc = sfa_csv_row(w, sfa_access_csv_columns, sfa_access_csv_ncolumns,
			 err);
	if (rc == 0)
		rc = sfa_store_each_access(st, snapshot_id, filter,
					   write_access_row, &a, err);
	free(a.user_id);
	free(a.cells);
	free(a.spans);
	free(a.text);
	if (rc == 0 && d)
		rc = sfa_csv_finish(w, d, err);
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
	/* After the documented columns, so that readers by position keep
	 * working: the names of the profile, role or manager ids. */
	sfa_csv_field(w, "old_name");
	sfa_csv_field(w, "new_name");
	return sfa_csv_end_row(w, err);
}

int sfa_csv_change_row(sfa_csv *w, const sfa_diff_change *c, sfa_err *err)
{
	sfa_csv_field(w, sfa_diff_kind_name(c->kind));
	sfa_csv_field(w, c->field);
	sfa_csv_field(w, c->old_value);
	sfa_csv_field(w, c->new_value);
	sfa_csv_access_fields(w, &c->row);
	sfa_csv_field(w, c->old_name);
	sfa_csv_field(w, c->new_name);
	return sfa_csv_end_row(w, err);
}

/* What write_change_row() is given; borrows both. */
typedef struct change_csv {
	sfa_csv *w;
	sfa_err *err;
} change_csv;

static int write_change_row(void *ud, const sfa_diff_change *c)
{
	const change_csv *cc = ud;

	return sfa_csv_change_row(cc->w, c, cc->err);
}

int sfa_report_changes_csv(sfa_diff *d, FILE *f, long long *rows,
			   sfa_file_digest *fd, sfa_err *err)
{
	change_csv cc = {NULL, err};
	sfa_csv *w;
	int rc;

	if ((rc =
		 fd ? sfa_csv_new_hashed(&w, f, err) : sfa_csv_new(&w, f, err)))
		return rc;
	cc.w = w;
	rc = sfa_csv_change_header(w, err);
	if (rc == 0)
		rc = sfa_diff_each(d, write_change_row, &cc, err);
	if (rc == 0 && fd)
		rc = sfa_csv_finish(w, fd, err);
	*rows = sfa_csv_rows(w) - 1;
	sfa_csv_free(w);
	return rc;
}
