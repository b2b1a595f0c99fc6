/*
 * html_access.c - the access review as an HTML page: one pass over the
 * snapshot's access rows feeds the generic writer's table and, at the
 * same time, the summary figures and the chart of access by type.
 */
#include <stdlib.h>
#include <string.h>

#include "report_evidence.h"
#include "report_html.h"
#include "review.h"
#include "snapinfo.h"
#include "store_evidence.h"

static const sfa_html_column columns[] = {
    {"username", "Username", SFA_HTML_TEXT},
    {"name", "Name", SFA_HTML_TEXT},
    {"status", "Status", SFA_HTML_SELECT},
    {"user_type", "User type", SFA_HTML_SELECT},
    {"license", "License", SFA_HTML_SELECT},
    {"last_login_at", "Last login", SFA_HTML_MONO},
    {"access_type", "Access type", SFA_HTML_SELECT},
    {"access_name", "Access", SFA_HTML_TEXT},
    {"access_id", "Access ID", SFA_HTML_MONO},
    {"via_type", "Via type", SFA_HTML_SELECT},
    {"via_name", "Via", SFA_HTML_TEXT},
    {"assigned_at", "Assigned", SFA_HTML_MONO},
    {"expires_at", "Expires", SFA_HTML_MONO},
    {"first_seen_at", "First seen", SFA_HTML_MONO},
    {"flags", "Review flags", SFA_HTML_TAGS},
};
#define NCOLS ((int)(sizeof(columns) / sizeof(columns[0])))

enum { MAX_TYPES = 16 };

/* One pass's state; owns the type names. */
typedef struct pass {
	sfa_html *w;
	const sfa_review *rv;
	sfa_err *err;
	char *types[MAX_TYPES];
	long long type_rows[MAX_TYPES];
	int ntypes;
	char last_user[32];  /* Salesforce ids are 18 characters */
	unsigned user_flags; /* flags seen on last_user's rows */
	long long users, rows, expired, privileged, privileged_users,
	    inactive_users, frozen_users, nonstandard_users;
	sfa_left_out_counts left_out; /* what the sync's options left out */
	long long tier_rows[SFA_REVIEW_TIERS], tier_users[SFA_REVIEW_TIERS];
} pass;

static void end_user(pass *p)
{
	if (!p->last_user[0])
		return;
	p->inactive_users += !!(p->user_flags & SFA_REVIEW_INACTIVE);
	p->frozen_users += !!(p->user_flags & SFA_REVIEW_FROZEN);
	p->nonstandard_users += !!(p->user_flags & SFA_REVIEW_NONSTANDARD);
	p->privileged_users += !!(p->user_flags & SFA_REVIEW_PRIVILEGED);
	for (int t = 0; t < SFA_REVIEW_TIERS; t++)
		p->tier_users[t] +=
		    !!(p->user_flags & ((unsigned)SFA_REVIEW_TIER0 << t));
}

static int count_type(pass *p, const char *type)
{
	int i;

	for (i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i], type) == 0)
			break;
	if (i == p->ntypes) {
		if (p->ntypes == MAX_TYPES)
			return 0; /* the access model has fewer; never hit */
		p->types[i] = strdup(type);
		if (!p->types[i])
			return SFA_ENOMEM;
		p->ntypes++;
	}
	p->type_rows[i]++;
	return 0;
}

static int on_row(void *ud, const sfa_access_row *r)
{
	pass *p = ud;
	unsigned f = sfa_review_flags(p->rv, r);
	char flags[96], status[32];
	const char *cells[NCOLS];

	if (strcmp(p->last_user, r->user_id ? r->user_id : "") != 0) {
		end_user(p);
		snprintf(p->last_user, sizeof(p->last_user), "%s",
			 r->user_id ? r->user_id : "");
		p->user_flags = 0;
		p->users++;
	}
	p->user_flags |= f;
	p->rows++;
	p->expired += !!(f & SFA_REVIEW_EXPIRED);
	p->privileged += !!(f & SFA_REVIEW_PRIVILEGED);
	for (int t = 0; t < SFA_REVIEW_TIERS; t++)
		p->tier_rows[t] += !!(f & ((unsigned)SFA_REVIEW_TIER0 << t));
	if (count_type(p, r->access_type ? r->access_type : "?"))
		return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	sfa_review_flag_names(f, flags, sizeof(flags));
	snprintf(status, sizeof(status), "%s%s",
		 r->is_active ? "active" : "inactive",
		 r->is_frozen ? ", frozen" : "");
	cells[0] = r->username;
	cells[1] = r->name;
	cells[2] = status;
	cells[3] = r->user_type;
	cells[4] = r->license;
	cells[5] = r->last_login_at;
	cells[6] = r->access_type;
	cells[7] = r->access_name;
	cells[8] = r->access_id;
	cells[9] = r->via_type;
	cells[10] = r->via_name;
	cells[11] = r->assigned_at;
	cells[12] = r->expires_at;
	cells[13] = r->first_seen_at;
	cells[14] = flags;
	return sfa_html_row(p->w, cells, p->err);
}

static int write_chart(pass *p)
{
	const char *labels[MAX_TYPES];
	char pretty[MAX_TYPES][48];
	const char *series[] = {"access rows"};
	sfa_html_chart_def c = {
	    "Access rows by type", series, 1, labels, p->ntypes, p->type_rows};
	int i, j;

	/* Largest first; insertion sort on at most MAX_TYPES entries. */
	for (i = 0; i < p->ntypes; i++) {
		long long v = p->type_rows[i];
		char *t = p->types[i];

		for (j = i; j > 0 && p->type_rows[j - 1] < v; j--) {
			p->type_rows[j] = p->type_rows[j - 1];
			p->types[j] = p->types[j - 1];
		}
		p->type_rows[j] = v;
		p->types[j] = t;
	}
	for (i = 0; i < p->ntypes; i++) {
		char *u;

		snprintf(pretty[i], sizeof(pretty[i]), "%s", p->types[i]);
		for (u = pretty[i]; *u; u++)
			if (*u == '_')
				*u = ' ';
		labels[i] = pretty[i];
	}
	return p->ntypes ? sfa_html_chart(p->w, &c, p->err) : 0;
}

/* The users (and their tokens) the sync's options left out, as the sync
 * summary says it: a reviewer must not read their absence as "no
 * access". */
static int write_left_out(pass *p)
{
	char label[64], note[96];
	int r, rc;

	for (r = 0; r < SFA_LEFT_OUT_N; r++) {
		if (!p->left_out.users[r])
			continue;
		snprintf(label, sizeof(label), "Users left out: %s",
			 sfa_left_out_why((sfa_left_out)r));
		snprintf(note, sizeof(note),
			 r == SFA_LEFT_OUT_NON_STANDARD ? "not in this review; "
							  "use %s"
							: "not in this review; "
							  "because of %s",
			 sfa_left_out_option((sfa_left_out)r));
		if ((rc = sfa_html_stat(p->w, label, p->left_out.users[r],
					"warn", note, p->err)))
			return rc;
	}
	if (p->left_out.oauth_tokens &&
	    (rc = sfa_html_stat(p->w, "OAuth tokens left out",
				p->left_out.oauth_tokens, "warn",
				"tokens of the users left out", p->err)))
		return rc;
	return 0;
}

/* The privileged card's breakdown: rows and users per tier. */
static int tier_stats(pass *p)
{
	static const char *const meaning[SFA_REVIEW_TIERS] = {
	    "full org compromise", "identity takeover", "sharing model bypass",
	    "data theft", "control weakening"};
	char label[64], note[96];
	int t, rc = 0;

	for (t = 0; t < SFA_REVIEW_TIERS && rc == 0; t++) {
		snprintf(label, sizeof(label), "Privileged tier %d", t);
		snprintf(note, sizeof(note), "%s; held by %lld user%s",
			 meaning[t], p->tier_users[t],
			 p->tier_users[t] == 1 ? "" : "s");
		rc = sfa_html_stat(p->w, label, p->tier_rows[t],
				   t <= 1 && p->tier_rows[t] ? "bad" : NULL,
				   note, p->err);
	}
	return rc;
}

static int write_summary(pass *p)
{
	char note[64];
	int rc;

	snprintf(note, sizeof(note), "held by %lld user%s", p->privileged_users,
		 p->privileged_users == 1 ? "" : "s");
	if ((rc = sfa_html_stat(p->w, "Users", p->users, NULL,
				"with at least one access row", p->err)) ||
	    (rc = sfa_html_stat(p->w, "Access rows", p->rows, NULL,
				"user, access item and path", p->err)) ||
	    (rc = sfa_html_stat(p->w, "Privileged access", p->privileged,
				"warn", note, p->err)) ||
	    (rc = tier_stats(p)) ||
	    (rc = sfa_html_stat(p->w, "Inactive users with access",
				p->inactive_users, "bad",
				"access beyond their profile", p->err)) ||
	    (rc = sfa_html_stat(p->w, "Frozen users with access",
				p->frozen_users, "warn",
				"access beyond their profile", p->err)) ||
	    (rc = sfa_html_stat(p->w, "Expired assignments", p->expired, "bad",
				"expired before the snapshot", p->err)) ||
	    (rc = sfa_html_stat(p->w, "Non-standard users",
				p->nonstandard_users, "warn",
				"user type other than Standard", p->err)))
		return rc;
	return write_left_out(p);
}

/* ---- the licence card: seat use against the total per licence ---- */

typedef struct seat_card {
	sfa_html *w;
	sfa_err *err;
	long long inactive; /* seats on inactive users, every licence */
	int n;
} seat_card;

static int on_seat(void *ud, const sfa_license_seat *x)
{
	seat_card *c = ud;
	char label[160], note[160], total[32];

	c->n++;
	c->inactive += x->assigned_inactive;
	if (!x->total_known)
		snprintf(total, sizeof(total), "an unknown number of");
	else if (x->total < 0)
		snprintf(total, sizeof(total), "unlimited");
	else
		snprintf(total, sizeof(total), "%lld", x->total);
	snprintf(label, sizeof(label), "%s %s seats", x->name ? x->name : "",
		 strcmp(x->type, "package_license") == 0 ? "package"
							 : "licence");
	snprintf(note, sizeof(note),
		 "used of %s; %lld assigned, %lld to inactive users", total,
		 x->assigned, x->assigned_inactive);
	return sfa_html_stat(c->w, label, x->used_known ? x->used : x->assigned,
			     x->assigned_inactive ? "bad" : NULL, note, c->err);
}

/* After the summary: one figure per licence, then the seats of inactive
 * users over all of them (money to recover).  Nothing for a snapshot
 * without licences. */
static int write_licences(pass *p, sfa_store *st, long long snapshot_id)
{
	seat_card c = {p->w, p->err, 0, 0};
	int rc =
	    sfa_store_each_license_seat(st, snapshot_id, on_seat, &c, p->err);

	if (rc || !c.n)
		return rc;
	return sfa_html_stat(p->w, "Licence seats on inactive users",
			     c.inactive, c.inactive ? "bad" : NULL,
			     "assigned seats that cost without use", p->err);
}

int sfa_report_access_html(sfa_store *st, long long snapshot_id, FILE *f,
			   long long *rows, sfa_err *err)
{
	sfa_snapinfo si;
	sfa_review *rv = NULL;
	json_t *ev = NULL;
	pass p;
	char id[32], subtitle[160];
	sfa_html_meta meta[6];
	sfa_html_page page;
	int rc, i;

	memset(&p, 0, sizeof(p));
	*rows = 0;
	if ((rc = sfa_snapinfo_load(&si, st, snapshot_id, err)) ||
	    (rc = sfa_review_new(&rv, st, snapshot_id, err)) ||
	    (rc = sfa_store_left_out_counts(st, snapshot_id, &p.left_out, err)))
		goto out;
	snprintf(id, sizeof(id), "%lld", si.id);
	snprintf(subtitle, sizeof(subtitle),
		 "Every user's effective access, one row per user, access "
		 "item and path, as of %s.",
		 si.started_at ? si.started_at : "the snapshot");
	meta[0] = (sfa_html_meta){"Org", si.org_id};
	meta[1] = (sfa_html_meta){"Snapshot", id};
	meta[2] = (sfa_html_meta){"Captured", si.started_at};
	meta[3] = (sfa_html_meta){"Status", si.status};
	meta[4] = (sfa_html_meta){"API", si.api_version};
	meta[5] = (sfa_html_meta){"Content SHA-256", si.content_hash};
	page = (sfa_html_page){"Access review", subtitle, meta,		6,
			       columns,		NCOLS,	  "access rows"};
	p.rv = rv;
	p.err = err;
	if ((rc = sfa_html_begin(&p.w, f, &page, err)))
		goto out;
	rc = sfa_store_each_access(st, snapshot_id, NULL, on_row, &p, err);
	end_user(&p);
	if (rc == 0)
		rc = write_summary(&p);
	if (rc == 0)
		rc = write_licences(&p, st, snapshot_id);
	if (rc == 0)
		rc = write_chart(&p);
	if (rc == 0 &&
	    (rc = sfa_store_get_evidence(st, snapshot_id, &ev, err)) == 0)
		rc = sfa_html_evidence(p.w, ev, err);
	if (rc == 0) {
		rc = sfa_html_end(p.w, rows, err);
		p.w = NULL;
	}
out:
	sfa_html_free(p.w);
	for (i = 0; i < p.ntypes; i++)
		free(p.types[i]);
	json_decref(ev);
	sfa_review_free(rv);
	sfa_snapinfo_clear(&si);
	return rc;
}
