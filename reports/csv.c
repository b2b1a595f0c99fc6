/*
 * csv.c - the access review CSV and the Change CSV, written with the CSV
 * writer of csv_io.h.  A report file goes out a block of rows at a time
 * through hashwrite.h, hashed on the way, so that its manifest entry does
 * not read gigabytes back.
 */
#include "report_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

/* A hashing writer's block: large enough that a hand-over costs little
 * per row, small enough to stay in cache until it is hashed. */
#define BLOCK ((size_t)256 * 1024)

static int put_block(void *ud, char **buf, size_t len, size_t *cap,
		     sfa_err *err)
{
	return sfa_hashwrite_put(ud, buf, len, cap, err);
}

int sfa_report_csv_new(sfa_csv **w, sfa_hashwrite **h, FILE *f, sfa_err *err)
{
	int rc;

	*w = NULL;
	if ((rc = sfa_hashwrite_new(h, f, err)))
		return rc;
	if ((rc = sfa_csv_new_blocks(w, BLOCK, put_block, *h, err))) {
		sfa_hashwrite_free(*h);
		*h = NULL;
	}
	return rc;
}

int sfa_report_csv_finish(sfa_csv *w, sfa_hashwrite *h, sfa_file_digest *d,
			  sfa_err *err)
{
	int rc;

	if ((rc = sfa_csv_flush(w, err)))
		return rc;
	return sfa_hashwrite_finish(h, d, err);
}

/* A writer for f: hashed on the way when d is wanted (*h set), else
 * plain (*h NULL). */
static int open_csv(sfa_csv **w, sfa_hashwrite **h, FILE *f,
		    const sfa_file_digest *d, sfa_err *err)
{
	*h = NULL;
	return d ? sfa_report_csv_new(w, h, f, err) : sfa_csv_new(w, f, err);
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

/* The fields of one access row (without ending the row), so that the
 * change CSV can put its own columns first.  A row without a user (a
 * resource change) leaves is_active and is_frozen empty. */
static int access_fields(sfa_csv *w, const sfa_access_row *r)
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

/* Remembers the user cells just written to a->w since mark, the row's
 * start; without memory it just remembers nothing. */
static void keep_user_cells(access_csv *a, const sfa_access_row *r, size_t mark)
{
	size_t n = 0;
	const char *p = sfa_csv_since(a->w, mark, &n);

	free(a->user_id);
	a->user_id = NULL;
	if (!p || !r->user_id || SFA_GROW(a->cells, a->cap, n) ||
	    !(a->user_id = strdup(r->user_id)))
		return;
	memcpy(a->cells, p, n);
	a->len = n;
	a->snapshot_id = r->snapshot_id;
}

/* Remembers the n bytes at p as the cells of resource ref; without
 * memory it just remembers nothing. */
static void keep_resource_cells(access_csv *a, int ref, const char *p, size_t n)
{
	size_t i = (size_t)ref;

	if (i >= a->nspans) {
		size_t count = a->nspans;

		if (SFA_GROW(a->spans, count, i + 1))
			return;
		memset(a->spans + a->nspans, 0,
		       (count - a->nspans) * sizeof(*a->spans));
		a->nspans = count;
	}
	if (SFA_GROW(a->text, a->tcap, a->tlen + n))
		return;
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
	size_t mark = sfa_csv_mark(w), n = 0;
	const char *p;

	if (ref > 0 && (size_t)ref < a->nspans && a->spans[ref].len) {
		sfa_csv_cells(w, a->text + a->spans[ref].at, a->spans[ref].len,
			      3);
		return;
	}
	sfa_csv_field(w, type);
	sfa_csv_field(w, id);
	sfa_csv_field(w, name);
	if (ref > 0 && (p = sfa_csv_since(w, mark, &n)))
		keep_resource_cells(a, ref, p, n);
}

static int write_access_row(void *ud, const sfa_access_row *r)
{
	access_csv *a = ud;
	sfa_csv *w = a->w;
	size_t mark = sfa_csv_mark(w);

	if (a->user_id && r->user_id && r->snapshot_id == a->snapshot_id &&
	    strcmp(r->user_id, a->user_id) == 0) {
		sfa_csv_cells(w, a->cells, a->len, USER_COLUMNS);
	} else {
		user_fields(w, r);
		keep_user_cells(a, r, mark);
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
	sfa_hashwrite *h;
	int rc;

	if ((rc = open_csv(&w, &h, f, d, err)))
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
		rc = sfa_report_csv_finish(w, h, d, err);
	*rows = sfa_csv_rows(w) - 1;
	sfa_csv_free(w);
	sfa_hashwrite_free(h);
	return rc;
}

/* The header row of the Change CSV. */
static int change_header(sfa_csv *w, sfa_err *err)
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

/* One change as a row of the Change CSV. */
static int change_row(sfa_csv *w, const sfa_diff_change *c, sfa_err *err)
{
	sfa_csv_field(w, sfa_diff_kind_name(c->kind));
	sfa_csv_field(w, c->field);
	sfa_csv_field(w, c->old_value);
	sfa_csv_field(w, c->new_value);
	access_fields(w, &c->row);
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

	return change_row(cc->w, c, cc->err);
}

int sfa_report_changes_csv(sfa_diff *d, FILE *f, long long *rows,
			   sfa_file_digest *fd, sfa_err *err)
{
	change_csv cc = {NULL, err};
	sfa_csv *w;
	sfa_hashwrite *h;
	int rc;

	if ((rc = open_csv(&w, &h, f, fd, err)))
		return rc;
	cc.w = w;
	rc = change_header(w, err);
	if (rc == 0)
		rc = sfa_diff_each(d, write_change_row, &cc, err);
	if (rc == 0 && fd)
		rc = sfa_report_csv_finish(w, h, fd, err);
	*rows = sfa_csv_rows(w) - 1;
	sfa_csv_free(w);
	sfa_hashwrite_free(h);
	return rc;
}
