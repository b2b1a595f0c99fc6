/*
 * html_changes.c - the change report as an HTML page: one pass over the
 * diff feeds the generic writer's table (report_html.h) and counts the
 * figures and the chart of added vs removed access by type.
 */
#include <stdio.h>
#include <string.h>

#include "report_changes.h"
#include "report_html.h"
#include "snapinfo.h"

static const sfa_html_column columns[] = {
    {"change", "Change", SFA_HTML_SELECT},
    {"username", "Username", SFA_HTML_TEXT},
    {"name", "Name", SFA_HTML_TEXT},
    {"access_type", "Type", SFA_HTML_SELECT},
    {"access_name", "Access / resource", SFA_HTML_TEXT},
    {"access_id", "ID", SFA_HTML_MONO},
    {"via_type", "Via type", SFA_HTML_SELECT},
    {"via_name", "Via", SFA_HTML_TEXT},
    {"field", "Field", SFA_HTML_SELECT},
    {"old_value", "Old value", SFA_HTML_MONO},
    {"new_value", "New value", SFA_HTML_MONO},
    {"assigned_at", "Assigned", SFA_HTML_MONO},
    {"first_seen_at", "First seen", SFA_HTML_MONO},
    {"snapshot_id", "Snapshot", SFA_HTML_MONO},
};
#define NCOLS ((int)(sizeof(columns) / sizeof(columns[0])))

/* The access types a row can have (access-model.md), for the chart. */
static const char *const types[] = {"profile",	      "role",
				    "permission_set", "permission_set_group",
				    "group",	      "connected_app"};
#define NTYPES ((int)(sizeof(types) / sizeof(types[0])))

typedef struct pass {
	sfa_html *w;
	sfa_err *err;
	long long by_type[NTYPES * 2]; /* [type * 2 + (removed)] */
	long long by_tier[5][2];       /* privileged rows: [tier][removed] */
} pass;

static int on_change(void *ud, const sfa_diff_change *c)
{
	pass *p = ud;
	const sfa_access_row *r = &c->row;
	char snap[32];
	const char *cells[NCOLS];

	if ((c->kind == SFA_DIFF_ADDED || c->kind == SFA_DIFF_REMOVED) &&
	    r->tier >= 0 && r->tier < 5)
		p->by_tier[r->tier][c->kind == SFA_DIFF_REMOVED]++;
	if (c->kind == SFA_DIFF_ADDED || c->kind == SFA_DIFF_REMOVED)
		for (int t = 0; t < NTYPES; t++)
			if (r->access_type &&
			    strcmp(r->access_type, types[t]) == 0)
				p->by_type[t * 2 +
					   (c->kind == SFA_DIFF_REMOVED)]++;
	snprintf(snap, sizeof(snap), "%lld", r->snapshot_id);
	cells[0] = sfa_diff_kind_name(c->kind);
	cells[1] = r->username;
	cells[2] = r->name;
	cells[3] = r->access_type;
	cells[4] = r->access_name;
	cells[5] = r->access_id;
	cells[6] = r->via_type;
	cells[7] = r->via_name ? r->via_name : r->via_id;
	cells[8] = c->field;
	cells[9] = c->old_value;
	cells[10] = c->new_value;
	cells[11] = r->assigned_at;
	cells[12] = r->first_seen_at;
	cells[13] = snap;
	return sfa_html_row(p->w, cells, p->err);
}

static int summary(pass *p, sfa_diff *d)
{
	static const char *const series[] = {"added", "removed"};
	static const char *const figures[] = {
	    "Access added", "Access removed", "User attributes changed",
	    "Resources added", "Resources removed"};
	sfa_html_chart_def chart = {"Access added and removed, by type",
				    series,
				    2,
				    types,
				    NTYPES,
				    p->by_type};
	int k;

	for (k = 0; k < SFA_DIFF_NKINDS; k++) {
		long long n = sfa_diff_count(d, (sfa_diff_kind)k);
		int rc;

		if ((rc = sfa_html_stat(p->w, figures[k], n,
					n && k != SFA_DIFF_REMOVED ? "warn"
								   : NULL,
					NULL, p->err)))
			return rc;
	}
	/* Privileged changes apart from the rest, by tier (permissions.md,
	 * "Changes"). */
	for (k = 0; k < 5; k++) {
		char label[48], note[64];
		long long *t = p->by_tier[k];
		int rc;

		snprintf(label, sizeof(label), "Privileged changes, tier %d", k);
		snprintf(note, sizeof(note), "%lld added, %lld removed", t[0],
			 t[1]);
		if ((rc = sfa_html_stat(p->w, label, t[0] + t[1],
					t[0] && k <= 1 ? "bad"
					: t[0]	       ? "warn"
						       : NULL,
					note, p->err)))
			return rc;
	}
	return sfa_html_chart(p->w, &chart, p->err);
}

int sfa_report_changes_html(sfa_store *st, sfa_diff *d, FILE *f,
			    long long *rows, sfa_err *err)
{
	sfa_snapinfo a = {0}, b = {0};
	char from[96], to[96], subtitle[160];
	sfa_html_meta meta[5];
	sfa_html_page page;
	pass p = {NULL, err, {0}, {{0}}};
	int rc;

	*rows = 0;
	if ((rc = sfa_snapinfo_load(&a, st, sfa_diff_from(d), err)) ||
	    (rc = sfa_snapinfo_load(&b, st, sfa_diff_to(d), err)))
		goto out;
	snprintf(from, sizeof(from), "%lld (%s)", a.id,
		 a.started_at ? a.started_at : "");
	snprintf(to, sizeof(to), "%lld (%s)", b.id,
		 b.started_at ? b.started_at : "");
	snprintf(subtitle, sizeof(subtitle),
		 "%lld changes from snapshot %lld "
		 "to snapshot %lld",
		 sfa_diff_total(d), a.id, b.id);
	meta[0] = (sfa_html_meta){"Org", b.org_id};
	meta[1] = (sfa_html_meta){"From snapshot", from};
	meta[2] = (sfa_html_meta){"To snapshot", to};
	meta[3] = (sfa_html_meta){"From SHA-256", a.content_hash};
	meta[4] = (sfa_html_meta){"To SHA-256", b.content_hash};
	page = (sfa_html_page){"Access changes", subtitle, meta,     5,
			       columns,		 NCOLS,	   "changes"};
	if ((rc = sfa_html_begin(&p.w, f, &page, err)))
		goto out;
	if ((rc = sfa_diff_each(d, on_change, &p, err)) ||
	    (rc = summary(&p, d)))
		sfa_html_free(p.w);
	else
		rc = sfa_html_end(p.w, rows, err);
out:
	sfa_snapinfo_clear(&a);
	sfa_snapinfo_clear(&b);
	return rc;
}
