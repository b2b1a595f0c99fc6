/*
 * perm_report.c - effective permission rows as CSV, JSON and HTML
 * (lib/access/PERMISSIONS.md, "Privileged permissions and the access review").
 * Every text goes through the one CSV writer (formula guard), jansson or
 * the HTML writer's escaping, so hostile names stay text.
 */
#include "report_perm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_evidence.h"
#include "report_html.h"
#include "report_json.h"

const char *const sfa_perm_columns[] = {
    "username", "user_id",  "name",	  "is_active",	"user_type",
    "permission", "via_type", "via_id", "via_name", "granted_by",
    "implied_by", "tier"};
const int sfa_perm_ncolumns = 12;

int sfa_perm_csv_header(sfa_csv *w, sfa_err *err)
{
	return sfa_csv_row(w, sfa_perm_columns, sfa_perm_ncolumns, err);
}

static void tier_text(int tier, char buf[16])
{
	if (tier < 0)
		buf[0] = '\0';
	else
		snprintf(buf, 16, "%d", tier);
}

int sfa_perm_csv_row(sfa_csv *w, const sfa_perm_row *r, sfa_err *err)
{
	char tier[16];
	const char *v[12];

	tier_text(r->tier, tier);
	v[0] = r->username;
	v[1] = r->user_id;
	v[2] = r->name;
	v[3] = r->is_active ? "true" : "false";
	v[4] = r->user_type;
	v[5] = r->permission;
	v[6] = r->via_type;
	v[7] = r->via_id;
	v[8] = r->via_name;
	v[9] = r->granted_by;
	v[10] = r->implied_by;
	v[11] = tier;
	return sfa_csv_row(w, v, 12, err);
}

json_t *sfa_perm_json_row(const sfa_perm_row *r)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= sfa_json_set_str(o, "username", r->username);
	bad |= sfa_json_set_str(o, "user_id", r->user_id);
	bad |= sfa_json_set_str(o, "name", r->name);
	bad |= sfa_json_set(o, "is_active", json_boolean(r->is_active));
	bad |= sfa_json_set_str(o, "user_type", r->user_type);
	bad |= sfa_json_set_str(o, "permission", r->permission);
	bad |= sfa_json_set_str(o, "via_type", r->via_type);
	bad |= sfa_json_set_str(o, "via_id", r->via_id);
	bad |= sfa_json_set_str(o, "via_name", r->via_name);
	bad |= sfa_json_set_str(o, "granted_by", r->granted_by);
	bad |= sfa_json_set_str(o, "implied_by", r->implied_by);
	bad |= sfa_json_set(o, "tier",
			    r->tier < 0 ? json_null() : json_integer(r->tier));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- CSV ---- */

typedef struct csv_pass {
	sfa_csv *w;
	sfa_err *err;
} csv_pass;

static int on_csv(void *ud, const sfa_perm_row *r)
{
	csv_pass *p = ud;

	return sfa_perm_csv_row(p->w, r, p->err);
}

int sfa_report_perm_csv(const sfa_perm_report *r, FILE *f, long long *rows,
			sfa_err *err)
{
	csv_pass p = {NULL, err};
	int rc;

	*rows = 0;
	if ((rc = sfa_csv_new(&p.w, f, err)))
		return rc;
	rc = sfa_perm_csv_header(p.w, err);
	if (rc == 0)
		rc = sfa_perm_each(r->perm, r->all, r->object, on_csv, &p, err);
	if (rc == 0 && (fflush(f) || ferror(f)))
		rc = sfa_err_set(err, SFA_EIO, "cannot write the CSV report");
	*rows = sfa_csv_rows(p.w) - 1;
	sfa_csv_free(p.w);
	return rc;
}

/* ---- JSON ---- */

typedef struct json_pass {
	FILE *f;
	long long rows;
	sfa_err *err;
} json_pass;

static int on_json(void *ud, const sfa_perm_row *r)
{
	json_pass *p = ud;
	json_t *o = sfa_perm_json_row(r);
	int rc;

	if (!o)
		return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	rc = sfa_json_put_row(p->f, p->rows++, o);
	return rc ? sfa_err_set(p->err, SFA_EIO, "cannot write the JSON report")
		  : 0;
}

int sfa_report_perm_json(const sfa_perm_report *r, FILE *f, long long *rows,
			 sfa_err *err)
{
	json_pass p = {f, 0, err};
	json_t *head = json_pack(
	    "{s:s, s:{s:s, s:s}, s:{s:I, s:s?, s:s?, s:s?}, s:s, s:s?}",
	    "report", "permissions", "tool", "name", "sfaccess", "version",
	    SFA_VERSION, "snapshot", "id", (json_int_t)r->si->id, "org_id",
	    r->si->org_id, "started_at", r->si->started_at, "content_hash",
	    r->si->content_hash, "rows_of", r->all ? "all" : "privileged",
	    "object", r->object);
	int rc;
	char *text;
	size_t n;

	*rows = 0;
	if (!head || !(text = json_dumps(head, JSON_PRESERVE_ORDER |
						   JSON_COMPACT))) {
		json_decref(head);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	json_decref(head);
	/* The frame is the head object, its closing brace replaced by the
	 * streamed rows. */
	n = strlen(text);
	fwrite(text, 1, n - 1, f);
	free(text);
	if (r->ev && (rc = sfa_report_evidence_json(f, r->ev, err)))
		return rc;
	fputs(",\"rows\": [", f);
	rc = sfa_perm_each(r->perm, r->all, r->object, on_json, &p, err);
	if (rc == 0) {
		fprintf(f, "%s],\n  \"row_count\": %lld\n}\n",
			p.rows ? "\n  " : "", p.rows);
		if (ferror(f) || fflush(f))
			rc = sfa_err_set(err, SFA_EIO,
					 "cannot write the JSON report");
	}
	*rows = p.rows;
	return rc;
}

/* ---- HTML ---- */

static const sfa_html_column html_columns[] = {
    {"username", "Username", SFA_HTML_TEXT},
    {"name", "Name", SFA_HTML_TEXT},
    {"is_active", "Active", SFA_HTML_SELECT},
    {"permission", "Permission", SFA_HTML_TEXT},
    {"tier", "Tier", SFA_HTML_SELECT},
    {"via_type", "Via", SFA_HTML_SELECT},
    {"via_name", "Via name", SFA_HTML_TEXT},
    {"via_id", "Via Id", SFA_HTML_MONO},
    {"granted_by", "Granted by", SFA_HTML_MONO},
    {"implied_by", "Implied by", SFA_HTML_TEXT},
    {"user_id", "User Id", SFA_HTML_MONO},
};

typedef struct html_pass {
	sfa_html *w;
	sfa_err *err;
	long long by_tier[10], other;
} html_pass;

static int on_html(void *ud, const sfa_perm_row *r)
{
	html_pass *p = ud;
	char tier[16];
	const char *cells[11];

	tier_text(r->tier, tier);
	cells[0] = r->username;
	cells[1] = r->name;
	cells[2] = r->is_active ? "true" : "false";
	cells[3] = r->permission;
	cells[4] = tier;
	cells[5] = r->via_type;
	cells[6] = r->via_name;
	cells[7] = r->via_id;
	cells[8] = r->granted_by;
	cells[9] = r->implied_by;
	cells[10] = r->user_id;
	if (r->tier >= 0 && r->tier < 10)
		p->by_tier[r->tier]++;
	else
		p->other++;
	return sfa_html_row(p->w, cells, p->err);
}

int sfa_report_perm_html(const sfa_perm_report *r, FILE *f, long long *rows,
			 sfa_err *err)
{
	char snap[32];
	sfa_html_meta meta[3];
	sfa_html_page page = {0};
	html_pass p = {NULL, err, {0}, 0};
	int rc, t;

	*rows = 0;
	snprintf(snap, sizeof(snap), "%lld", r->si->id);
	meta[0] = (sfa_html_meta){"Org", r->si->org_id ? r->si->org_id : ""};
	meta[1] = (sfa_html_meta){"Snapshot", snap};
	meta[2] = (sfa_html_meta){"Object", r->object ? r->object : "all"};
	page.title = r->all ? "Effective permissions"
			    : "Privileged permissions";
	page.subtitle = "One row per user, permission and path (profile, "
			"permission set, or permission set group with the "
			"component that grants it)";
	page.meta = meta;
	page.nmeta = 3;
	page.columns = html_columns;
	page.ncolumns = (int)(sizeof(html_columns) / sizeof(html_columns[0]));
	page.row_noun = "permission rows";
	if ((rc = sfa_html_begin(&p.w, f, &page, err)))
		return rc;
	rc = sfa_perm_each(r->perm, r->all, r->object, on_html, &p, err);
	for (t = 0; rc == 0 && t < 5; t++) {
		char label[32];

		snprintf(label, sizeof(label), "Tier %d rows", t);
		rc = sfa_html_stat(p.w, label, p.by_tier[t],
				   t <= 1 && p.by_tier[t] ? "bad" : NULL, NULL,
				   err);
	}
	if (rc == 0 && r->ev)
		rc = sfa_html_evidence(p.w, r->ev, err);
	if (rc == 0) {
		rc = sfa_html_end(p.w, rows, err);
		p.w = NULL; /* sfa_html_end() freed it */
	}
	sfa_html_free(p.w);
	return rc;
}
