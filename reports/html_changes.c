/*
 * html_changes.c - the change report as an HTML page: one pass over the
 * diff feeds the generic writer's table (report_html.h) and counts the
 * figures and the chart of added vs removed access by type.
 */
#include <stdio.h>
#include <string.h>

#include "report_changes.h"
#include "report_evidence.h"
#include "report_html.h"
#include "snapinfo.h"
#include "store_evidence.h"

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
    /* EVIDENCE.md: who made it, sfaccess apply or the audit trail; a
     * change with neither is flagged out_of_band. */
    {"origin", "Made by", SFA_HTML_TAGS},
};
#define NCOLS ((int)(sizeof(columns) / sizeof(columns[0])))

/* The access types a row can have (lib/access/ACCESS-MODEL.md), for the chart;
 * the entitlement types (lib/access/ACCESS-MODEL.md) after NBASE are charted
 * only when they changed, so a report without them is as it was. */
static const char *const types[] = {"profile",
				    "role",
				    "permission_set",
				    "permission_set_group",
				    "group",
				    "connected_app",
				    "queue",
				    "territory",
				    "permission_set_license",
				    "package_license",
				    "custom_permission"};
#define NTYPES ((int)(sizeof(types) / sizeof(types[0])))
#define NBASE 6

typedef struct pass {
	sfa_html *w;
	sfa_err *err;
	long long by_type[NTYPES * 2]; /* [type * 2 + (removed)] */
	const sfa_change_evidence *ce;
	long long out_of_band;
	long long by_tier[5][2]; /* privileged rows: [tier][removed] */
} pass;

/* "Standard User (00e...)" for an id that has a name: people read the
 * name, the id stays for the record. */
static const char *named(const char *name, const char *id, char *buf, size_t n)
{
	if (!name || !id)
		return id;
	snprintf(buf, n, "%s (%s)", name, id);
	return buf;
}

static int on_change(void *ud, const sfa_diff_change *c)
{
	pass *p = ud;
	const sfa_access_row *r = &c->row;
	char snap[32], old_buf[512], new_buf[512], origin[512];
	const char *cells[NCOLS];
	sfa_change_origin o;
	size_t i;
	json_t *e;

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
	cells[9] = named(c->old_name, c->old_value, old_buf, sizeof(old_buf));
	cells[10] = named(c->new_name, c->new_value, new_buf, sizeof(new_buf));
	cells[11] = r->assigned_at;
	cells[12] = r->first_seen_at;
	cells[13] = snap;
	/* Tags, space-separated: out_of_band, or applied_by:SHA and
	 * audit:ACTION per entry. */
	if (sfa_change_origin_of(p->ce, c, &o))
		return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	origin[0] = '\0';
	if (o.out_of_band) {
		snprintf(origin, sizeof(origin), "out_of_band");
		p->out_of_band++;
	}
	if (o.applied_by)
		snprintf(origin, sizeof(origin), "applied_by:%s",
			 o.applied_by + strlen("sfaccess apply "));
	json_array_foreach(o.audit_entries, i, e)
	{
		size_t used = strlen(origin);

		snprintf(origin + used, sizeof(origin) - used, "%saudit:%s",
			 used ? " " : "",
			 json_string_value(json_object_get(e, "action"))
			     ? json_string_value(json_object_get(e, "action"))
			     : "entry");
	}
	json_decref(o.audit_entries);
	cells[14] = origin;
	return sfa_html_row(p->w, cells, p->err);
}

static int summary(pass *p, sfa_diff *d)
{
	static const char *const series[] = {"added", "removed"};
	static const char *const figures[] = {
	    "Access added",
	    "Access removed",
	    "User attributes changed",
	    "Resources added",
	    "Resources removed",
	    "Permissions added to containers",
	    "Permissions removed from containers"};
	const char *labels[NTYPES];
	long long values[NTYPES * 2];
	sfa_html_chart_def chart = {
	    "Access added and removed, by type", series, 2, labels, 0, values};
	int k, rc;

	for (k = 0; k < NTYPES; k++) {
		const long long *n = &p->by_type[(size_t)k * 2];
		long long *v = &values[(size_t)chart.nlabels * 2];

		if (k >= NBASE && !n[0] && !n[1])
			continue;
		labels[chart.nlabels++] = types[k];
		v[0] = n[0];
		v[1] = n[1];
	}
	for (k = 0; k < SFA_DIFF_NKINDS; k++) {
		long long n = sfa_diff_count(d, (sfa_diff_kind)k);

		if ((rc = sfa_html_stat(p->w, figures[k], n,
					n && k != SFA_DIFF_REMOVED ? "warn"
								   : NULL,
					NULL, p->err)))
			return rc;
	}
	if ((rc = sfa_html_stat(p->w, "Out of band", p->out_of_band, "bad",
				"made outside sfaccess, with no audit entry",
				p->err)))
		return rc;
	/* Privileged changes apart from the rest, by tier
	 * (lib/access/PERMISSIONS.md, "Changes"). */
	for (k = 0; k < 5; k++) {
		char label[48], note[64];
		long long *t = p->by_tier[k];

		snprintf(label, sizeof(label), "Privileged changes, tier %d",
			 k);
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
	json_t *ev = NULL;
	char from[96], to[96], subtitle[160];
	sfa_html_meta meta[5];
	sfa_html_page page;
	pass p = {NULL, err, {0}, NULL, 0, {{0}}};
	sfa_change_evidence *ce = NULL;
	int rc;

	*rows = 0;
	if ((rc = sfa_change_evidence_load(&ce, st, sfa_diff_from(d),
					   sfa_diff_to(d), err)))
		return rc;
	p.ce = ce;
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
	/* The evidence of the snapshot the changes lead to: what was
	 * read, and by whom, to find them. */
	if ((rc = sfa_diff_each(d, on_change, &p, err)) ||
	    (rc = summary(&p, d)) ||
	    (rc = sfa_store_get_evidence(st, b.id, &ev, err)) ||
	    (rc = sfa_html_evidence(p.w, ev, err)))
		sfa_html_free(p.w);
	else
		rc = sfa_html_end(p.w, rows, err);
out:
	sfa_change_evidence_free(ce);
	json_decref(ev);
	sfa_snapinfo_clear(&a);
	sfa_snapinfo_clear(&b);
	return rc;
}
