/*
 * campaign_report.c - the closed campaign's report.  Each format reads the
 * campaign from the store on its own (rows in issue order), so no format
 * holds the rows in memory; the manifest hashes the files at the end.
 */
#include "campaign_report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "csv_io.h"
#include "report_html.h"
#include "report_junit.h"
#include "report_manifest.h"

/* The report's row columns: the issued cells, then who decided what. */
static const char *const columns[] = {
    "reviewer",	    "username",	   "user_id",	  "name",
    "status",	    "last_login_at", "access_type", "access_id",
    "access_name",  "via_type",	   "via_id",	  "via_name",
    "tier",	    "expires_at",	   "decision",	  "comment",
    "decided_by",   "collected_at",  "workbook_sha256", "row_token"};
#define NCOLS ((int)(sizeof(columns) / sizeof(columns[0])))

static void row_cells(const sfa_campaign_row *r, const char *out[NCOLS])
{
	int c;

	out[0] = r->reviewer;
	for (c = 0; c < SFA_CC_DECISION; c++)
		out[1 + c] = r->cell[c];
	out[14] = *r->cell[SFA_CC_DECISION] ? r->cell[SFA_CC_DECISION]
					     : "pending";
	out[15] = r->cell[SFA_CC_COMMENT];
	out[16] = r->decided_by;
	out[17] = r->collected_at;
	out[18] = r->file_sha256;
	out[19] = r->cell[SFA_CC_ROW_TOKEN];
}

typedef struct info {
	long long id, snapshot_id;
	char name[256], hash[65], org[32], created[32], closed[32],
	    routing[16], scope[256];
} info;

static int on_info(void *ud, const sfa_campaign_info *c)
{
	info *i = ud;

	i->id = c->id;
	i->snapshot_id = c->snapshot_id;
	snprintf(i->name, sizeof(i->name), "%s", c->name ? c->name : "");
	snprintf(i->hash, sizeof(i->hash), "%s",
		 c->snapshot_hash ? c->snapshot_hash : "");
	snprintf(i->org, sizeof(i->org), "%s", c->org_id ? c->org_id : "");
	snprintf(i->created, sizeof(i->created), "%s",
		 c->created_at ? c->created_at : "");
	snprintf(i->closed, sizeof(i->closed), "%s",
		 c->closed_at ? c->closed_at : "");
	snprintf(i->routing, sizeof(i->routing), "%s",
		 c->routing ? c->routing : "");
	snprintf(i->scope, sizeof(i->scope), "%s", c->scope ? c->scope : "");
	return 0;
}

static FILE *open_in(const char *dir, const char *name, sfa_err *err)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")))
		sfa_err_set(err, SFA_EIO, "cannot write %s", path);
	return f;
}

static int close_file(FILE *f, const char *dir, const char *name, int rc,
		      sfa_err *err)
{
	if (fclose(f) != 0 && !rc)
		return sfa_err_set(err, SFA_EIO, "cannot write %s/%s", dir,
				   name);
	return rc;
}

/* ---- CSV ---- */

static int csv_row(void *ud, const sfa_campaign_row *r)
{
	const char *cells[NCOLS];

	row_cells(r, cells);
	return sfa_csv_row(ud, cells, NCOLS, NULL) ? SFA_EIO : 0;
}

static int csv_refusal(void *ud, const sfa_campaign_refusal *r)
{
	const char *cells[] = {r->kind,	 r->file_name,	  r->file_sha256,
			       r->cell,	 r->reason, r->collected_at};

	return sfa_csv_row(ud, cells, 6, NULL) ? SFA_EIO : 0;
}

static int write_csv(sfa_store *st, const info *in, const char *dir,
		     long long *rows, long long *refusals, sfa_err *err)
{
	static const char *const rcols[] = {"kind", "file",   "file_sha256",
					    "cell", "reason", "collected_at"};
	sfa_csv *w = NULL;
	FILE *f;
	int rc;

	if (!(f = open_in(dir, "campaign.csv", err)))
		return SFA_EIO;
	if (!(rc = sfa_csv_new(&w, f, err)) &&
	    !(rc = sfa_csv_row(w, columns, NCOLS, err)))
		rc = sfa_campaign_each_row(st, in->id, NULL, csv_row, w, err);
	if (rc == SFA_EIO)
		rc = sfa_err_set(err, rc, "cannot write %s/campaign.csv", dir);
	*rows = w ? sfa_csv_rows(w) - 1 : 0;
	sfa_csv_free(w);
	w = NULL;
	if ((rc = close_file(f, dir, "campaign.csv", rc, err)))
		return rc;
	if (!(f = open_in(dir, "campaign-refusals.csv", err)))
		return SFA_EIO;
	if (!(rc = sfa_csv_new(&w, f, err)) &&
	    !(rc = sfa_csv_row(w, rcols, 6, err)))
		rc = sfa_campaign_each_refusal(st, in->id, csv_refusal, w,
					       err);
	if (rc == SFA_EIO)
		rc = sfa_err_set(err, rc, "cannot write %s/campaign-refusals.csv",
				 dir);
	*refusals = w ? sfa_csv_rows(w) - 1 : 0;
	sfa_csv_free(w);
	return close_file(f, dir, "campaign-refusals.csv", rc, err);
}

/* ---- totals, for HTML, JUnit and JSON ---- */

typedef struct totals {
	long long rows, decided, keep, revoke, pending, reviewers;
} totals;

static int on_total(void *ud, const sfa_campaign_status *s)
{
	totals *t = ud;

	t->rows += s->rows;
	t->decided += s->decided;
	t->keep += s->keep;
	t->revoke += s->revoke;
	t->pending += s->pending;
	t->reviewers++;
	return 0;
}

/* ---- HTML ---- */

typedef struct html_ctx {
	sfa_html *h;
	sfa_err *err;
} html_ctx;

static int html_row(void *ud, const sfa_campaign_row *r)
{
	html_ctx *x = ud;
	const char *cells[NCOLS];

	row_cells(r, cells);
	return sfa_html_row(x->h, cells, x->err);
}

static int write_html(sfa_store *st, const info *in, const totals *t,
		      long long refusals, const char *dir, sfa_err *err)
{
	sfa_html_column cols[NCOLS];
	char title[320], snap[32];
	sfa_html_meta meta[5];
	sfa_html_page page;
	sfa_html *h = NULL;
	FILE *f;
	int c, rc;

	for (c = 0; c < NCOLS; c++) {
		cols[c].key = columns[c];
		cols[c].title = columns[c];
		cols[c].kind = !strcmp(columns[c], "decision") ||
				       !strcmp(columns[c], "reviewer") ||
				       !strcmp(columns[c], "access_type") ||
				       !strcmp(columns[c], "tier")
				   ? SFA_HTML_SELECT
			       : strstr(columns[c], "_id") ||
				       strstr(columns[c], "_at") ||
				       strstr(columns[c], "sha256") ||
				       strstr(columns[c], "token")
				   ? SFA_HTML_MONO
				   : SFA_HTML_TEXT;
	}
	snprintf(title, sizeof(title), "Review campaign %lld: %s", in->id,
		 in->name);
	snprintf(snap, sizeof(snap), "%lld", in->snapshot_id);
	meta[0] = (sfa_html_meta){"Org", in->org};
	meta[1] = (sfa_html_meta){"Snapshot", snap};
	meta[2] = (sfa_html_meta){"Routing", in->routing};
	meta[3] = (sfa_html_meta){"Started", in->created};
	meta[4] = (sfa_html_meta){"Closed", in->closed};
	memset(&page, 0, sizeof(page));
	page.title = title;
	page.subtitle = in->scope;
	page.meta = meta;
	page.nmeta = 5;
	page.columns = cols;
	page.ncolumns = NCOLS;
	page.row_noun = "rows";
	if (!(f = open_in(dir, "campaign.html", err)))
		return SFA_EIO;
	/* Rows first: the page's data block comes before its figures. */
	if (!(rc = sfa_html_begin(&h, f, &page, err)) &&
	    !(rc = sfa_campaign_each_row(st, in->id, NULL, html_row,
					 &(html_ctx){h, err}, err)) &&
	    !(rc = sfa_html_stat(h, "rows", t->rows, NULL, NULL, err)) &&
	    !(rc = sfa_html_stat(h, "keep", t->keep, NULL, NULL, err)) &&
	    !(rc = sfa_html_stat(h, "revoke", t->revoke,
				 t->revoke ? "warn" : NULL, NULL, err)) &&
	    !(rc = sfa_html_stat(h, "pending", t->pending,
				 t->pending ? "bad" : NULL, NULL, err)) &&
	    !(rc = sfa_html_stat(h, "refused or self-review", refusals,
				 refusals ? "bad" : NULL,
				 "campaign-refusals.csv", err)))
		rc = sfa_html_end(h, NULL, err); /* frees h */
	else
		sfa_html_free(h);
	return close_file(f, dir, "campaign.html", rc, err);
}

/* ---- JUnit: a testcase per reviewer (failing while rows are pending)
 * and per refusal ---- */

typedef struct junit_ctx {
	sfa_junit_suite *s;
	sfa_err *err;
} junit_ctx;

static int junit_reviewer(void *ud, const sfa_campaign_status *s)
{
	junit_ctx *j = ud;
	char msg[256];

	if (!s->pending)
		return sfa_junit_pass(j->s, "review.reviewer", s->reviewer, 0,
				      j->err);
	snprintf(msg, sizeof(msg),
		 "%lld of %lld rows pending (%lld keep, %lld revoke)",
		 s->pending, s->rows, s->keep, s->revoke);
	return sfa_junit_fail(j->s, "review.reviewer", s->reviewer, 0,
			      "pending", msg, NULL, j->err);
}

static int junit_refusal(void *ud, const sfa_campaign_refusal *r)
{
	junit_ctx *j = ud;

	return sfa_junit_fail(j->s, "review.refusal", r->cell, 0, r->kind,
			      r->reason, r->file_sha256, j->err);
}

static int write_junit(sfa_store *st, const info *in, const char *dir,
		       sfa_err *err)
{
	char snap[32], id[32];
	sfa_junit_prop props[4];
	sfa_junit_opts o;
	sfa_junit *j = NULL;
	junit_ctx ctx = {NULL, err};
	FILE *f;
	int rc;

	snprintf(snap, sizeof(snap), "%lld", in->snapshot_id);
	snprintf(id, sizeof(id), "%lld", in->id);
	props[0] = (sfa_junit_prop){"campaign", id};
	props[1] = (sfa_junit_prop){"snapshot", snap};
	props[2] = (sfa_junit_prop){"snapshot_hash", in->hash};
	props[3] = (sfa_junit_prop){"org", in->org};
	memset(&o, 0, sizeof(o));
	o.timestamp = in->closed;
	o.props = props;
	o.nprops = 4;
	if (!(f = open_in(dir, "campaign-junit.xml", err)))
		return SFA_EIO;
	if (!(rc = sfa_junit_new(&j, f, &o, err)) &&
	    !(rc = sfa_junit_suite_begin(j, &ctx.s, "reviewers", "review",
					 err)) &&
	    !(rc = sfa_campaign_each_status(st, in->id, junit_reviewer, &ctx,
					    err)) &&
	    !(rc = sfa_junit_suite_end(ctx.s, err)) &&
	    !(rc = sfa_junit_suite_begin(j, &ctx.s, "refusals", "review",
					 err)) &&
	    !(rc = sfa_campaign_each_refusal(st, in->id, junit_refusal, &ctx,
					     err)) &&
	    !(rc = sfa_junit_suite_end(ctx.s, err)))
		rc = sfa_junit_finish(j, NULL, NULL, err); /* frees j */
	else
		sfa_junit_free(j);
	return close_file(f, dir, "campaign-junit.xml", rc, err);
}

/* ---- JSON: written a row at a time ---- */

typedef struct json_ctx {
	FILE *f;
	int n;
} json_ctx;

static int json_put(json_ctx *j, json_t *o)
{
	int rc;

	if (!o)
		return SFA_ENOMEM;
	fputs(j->n++ ? ",\n    " : "\n    ", j->f);
	rc = json_dumpf(o, j->f, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return rc ? SFA_EIO : 0;
}

static int json_row(void *ud, const sfa_campaign_row *r)
{
	const char *cells[NCOLS];
	json_t *o = json_object();
	int c;

	row_cells(r, cells);
	for (c = 0; o && c < NCOLS; c++)
		json_object_set_new(o, columns[c], json_string(cells[c]));
	return json_put(ud, o);
}

static int json_status(void *ud, const sfa_campaign_status *s)
{
	return json_put(ud, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}",
				      "reviewer", s->reviewer, "rows",
				      (json_int_t)s->rows, "decided",
				      (json_int_t)s->decided, "keep",
				      (json_int_t)s->keep, "revoke",
				      (json_int_t)s->revoke, "pending",
				      (json_int_t)s->pending));
}

static int json_refusal(void *ud, const sfa_campaign_refusal *r)
{
	return json_put(ud, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind",
				      r->kind, "file", r->file_name,
				      "file_sha256", r->file_sha256, "cell",
				      r->cell, "reason", r->reason,
				      "collected_at", r->collected_at));
}

static int write_json(sfa_store *st, const info *in, const char *dir,
		      sfa_err *err)
{
	json_ctx j = {NULL, 0};
	json_t *head;
	int rc;

	if (!(j.f = open_in(dir, "campaign.json", err)))
		return SFA_EIO;
	head = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "campaign", (json_int_t)in->id, "name", in->name,
			 "snapshot", (json_int_t)in->snapshot_id,
			 "snapshot_hash", in->hash, "org_id", in->org,
			 "routing", in->routing, "scope", in->scope,
			 "created_at", in->created, "closed_at", in->closed);
	if (!head)
		return close_file(j.f, dir, "campaign.json",
				  sfa_err_set(err, SFA_ENOMEM, "out of memory"),
				  err);
	fputs("{\n  \"campaign\": ", j.f);
	rc = json_dumpf(head, j.f, JSON_COMPACT | JSON_SORT_KEYS) ? SFA_EIO : 0;
	json_decref(head);
	if (!rc) {
		fputs(",\n  \"reviewers\": [", j.f);
		j.n = 0;
		rc = sfa_campaign_each_status(st, in->id, json_status, &j, err);
	}
	if (!rc) {
		fputs("\n  ],\n  \"refusals\": [", j.f);
		j.n = 0;
		rc = sfa_campaign_each_refusal(st, in->id, json_refusal, &j,
					       err);
	}
	if (!rc) {
		fputs("\n  ],\n  \"rows\": [", j.f);
		j.n = 0;
		rc = sfa_campaign_each_row(st, in->id, NULL, json_row, &j, err);
	}
	if (!rc)
		fputs("\n  ]\n}\n", j.f);
	if (rc == SFA_ENOMEM || rc == SFA_EIO)
		rc = sfa_err_set(err, rc, "cannot write %s/campaign.json", dir);
	return close_file(j.f, dir, "campaign.json", rc, err);
}

int sfa_campaign_report_write(sfa_store *st, long long id, const char *dir,
			      const char *closed_at, int *files, sfa_err *err)
{
	static const char *const names[] = {
	    "campaign.csv", "campaign-refusals.csv", "campaign.html",
	    "campaign-junit.xml", "campaign.json"};
	sfa_manifest *m = NULL;
	totals t;
	info in;
	long long rows = 0, refusals = 0;
	size_t i;
	int rc;

	memset(&t, 0, sizeof(t));
	*files = 0;
	if ((rc = sfa_campaign_get(st, id, on_info, &in, err)))
		goto out;
	if (!*in.closed)
		snprintf(in.closed, sizeof(in.closed), "%s", closed_at);
	if ((rc = sfa_campaign_each_status(st, id, on_total, &t, err)) ||
	    (rc = write_csv(st, &in, dir, &rows, &refusals, err)) ||
	    (rc = write_html(st, &in, &t, refusals, dir, err)) ||
	    (rc = write_junit(st, &in, dir, err)) ||
	    (rc = write_json(st, &in, dir, err)) ||
	    (rc = sfa_manifest_new(&m, "review_campaign", err)))
		goto out;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if ((rc = sfa_manifest_add_file(
			 m, dir, names[i],
			 i == 0 ? rows : i == 1 ? refusals : -1, err)))
			goto out;
	if ((rc = sfa_manifest_write(m, dir, err)))
		goto out;
	*files = (int)(sizeof(names) / sizeof(*names));
out:
	sfa_manifest_free(m);
	return rc;
}
