/*
 * junit_access.c - the access review's checks (review.h) as JUnit suites:
 * one suite per check, all open during one pass over the access rows.
 * Row checks fail one testcase per row; user checks gather a user's rows
 * (consecutive, as rows come sorted by username) into one testcase.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "report_evidence.h"
#include "report_junit.h"
#include "review.h"
#include "snapinfo.h"
#include "store_evidence.h"

enum { MAX_CHECKS = 12 };

/* A user check's findings for the current user; owns its buffer. */
typedef struct pending {
	sfa_buf text;
	long long items;
} pending;

/* One pass's state; owns the pending buffers and the user copies. */
typedef struct pass {
	const sfa_review *rv;
	sfa_err *err;
	sfa_junit_suite *suite[MAX_CHECKS];
	char classname[MAX_CHECKS][64];
	pending user[MAX_CHECKS];
	char *user_id, *username, *user_line; /* the current user */
} pass;

static const char *s_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* "permission_set Admin Tools (0PS...) via permission_set_group Admins
 * (0PG...)", or "... direct": unique per row, as rows are. */
static int describe(sfa_buf *b, const sfa_access_row *r)
{
	int rc =
	    sfa_buf_printf(b, "%s \"%s\" (%s)", s_or(r->access_type, "?"),
			   s_or(r->access_name, ""), s_or(r->access_id, ""));

	if (rc == 0 && r->via_type && strcmp(r->via_type, "direct") != 0)
		rc = sfa_buf_printf(b, " via %s \"%s\" (%s)", r->via_type,
				    s_or(r->via_name, ""), s_or(r->via_id, ""));
	else if (rc == 0)
		rc = sfa_buf_puts(b, " direct");
	return rc;
}

static int row_finding(pass *p, int k, const sfa_access_row *r)
{
	const sfa_review_check *c = &sfa_review_checks[k];
	sfa_buf name = {0}, msg = {0}, text = {0};
	const char *privs =
	    r->tier >= 0 ? r->access_name
			 : sfa_review_privileges(p->rv, r->access_type,
						 r->access_id);
	int rc;

	rc = sfa_buf_printf(&name, "%s: ", s_or(r->username, "?"));
	rc = rc ? rc : describe(&name, r);
	if (c->flag == SFA_REVIEW_EXPIRED)
		rc = rc ? rc
			: sfa_buf_printf(&msg,
					 "%s holds %s \"%s\" through an "
					 "assignment that expired at %s",
					 s_or(r->username, "?"),
					 s_or(r->access_type, "?"),
					 s_or(r->access_name, ""),
					 s_or(r->expires_at, ""));
	else
		rc = rc ? rc
			: sfa_buf_printf(&msg, "%s holds %s (%s \"%s\")",
					 s_or(r->username, "?"),
					 s_or(privs, "privileged access"),
					 s_or(r->access_type, "?"),
					 s_or(r->access_name, ""));
	rc = rc ? rc
		: sfa_buf_printf(&text, "user: %s (%s), %s, %s%s\naccess: ",
				 s_or(r->username, "?"), s_or(r->user_id, ""),
				 s_or(r->name, ""),
				 r->is_active ? "active" : "inactive",
				 r->is_frozen ? ", frozen" : "");
	rc = rc ? rc : describe(&text, r);
	rc = rc ? rc
		: sfa_buf_printf(&text,
				 "\nassigned: %s\nexpires: %s\ncaptured: "
				 "%s\n",
				 s_or(r->assigned_at, "-"),
				 s_or(r->expires_at, "-"),
				 s_or(r->captured_at, "-"));
	if (rc)
		rc = sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	else
		rc = sfa_junit_fail(p->suite[k], p->classname[k], name.data,
				    0.0, c->name, msg.data, text.data, p->err);
	sfa_buf_free(&name);
	sfa_buf_free(&msg);
	sfa_buf_free(&text);
	return rc;
}

static void forget_user(pass *p)
{
	int k;

	for (k = 0; k < MAX_CHECKS; k++) {
		sfa_buf_reset(&p->user[k].text);
		p->user[k].items = 0;
	}
	free(p->user_id);
	free(p->username);
	free(p->user_line);
	p->user_id = p->username = p->user_line = NULL;
}

/* Writes the current user's pending findings and forgets the user. */
static int flush_user(pass *p)
{
	int k, rc = 0;

	for (k = 0; k < sfa_review_nchecks && rc == 0; k++) {
		const sfa_review_check *c = &sfa_review_checks[k];
		pending *u = &p->user[k];
		sfa_buf msg = {0};

		if (!u->items)
			continue;
		if (sfa_buf_printf(&msg, "%s: %s (%lld access item%s)",
				   s_or(p->username, "?"), c->summary, u->items,
				   u->items == 1 ? "" : "s"))
			rc = sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
		else
			rc = sfa_junit_fail(p->suite[k], p->classname[k],
					    p->username, 0.0, c->name, msg.data,
					    u->text.data, p->err);
		sfa_buf_free(&msg);
	}
	forget_user(p);
	return rc;
}

static int start_user(pass *p, const sfa_access_row *r)
{
	sfa_buf line = {0};

	if (sfa_buf_printf(
		&line,
		"user: %s (%s), %s, %s%s, user type %s, "
		"license %s, last login %s\n",
		s_or(r->username, "?"), s_or(r->user_id, ""), s_or(r->name, ""),
		r->is_active ? "active" : "inactive",
		r->is_frozen ? ", frozen" : "", s_or(r->user_type, "-"),
		s_or(r->license, "-"), s_or(r->last_login_at, "never")))
		return SFA_ENOMEM;
	p->user_line = sfa_buf_detach(&line);
	p->user_id = strdup(s_or(r->user_id, ""));
	p->username = strdup(s_or(r->username, "?"));
	return p->user_line && p->user_id && p->username ? 0 : SFA_ENOMEM;
}

static int on_row(void *ud, const sfa_access_row *r)
{
	pass *p = ud;
	unsigned f = sfa_review_flags(p->rv, r);
	int k, rc = 0;

	if (!p->user_id || strcmp(p->user_id, s_or(r->user_id, "")) != 0) {
		if ((rc = flush_user(p)))
			return rc;
		if (start_user(p, r))
			return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	}
	for (k = 0; k < sfa_review_nchecks && rc == 0; k++) {
		const sfa_review_check *c = &sfa_review_checks[k];
		pending *u = &p->user[k];

		if (!(f & c->flag))
			continue;
		if (!c->per_user) {
			rc = row_finding(p, k, r);
			continue;
		}
		if ((!u->items && sfa_buf_puts(&u->text, p->user_line)) ||
		    sfa_buf_puts(&u->text, "access: ") ||
		    describe(&u->text, r) || sfa_buf_puts(&u->text, "\n"))
			return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
		u->items++;
	}
	return rc;
}

static int run(pass *p, sfa_junit *j, sfa_store *st, long long id)
{
	int k, rc = 0;

	for (k = 0; k < sfa_review_nchecks && rc == 0; k++) {
		snprintf(p->classname[k], sizeof(p->classname[k]),
			 "sfaccess.access_review.%s",
			 sfa_review_checks[k].name);
		rc = sfa_junit_suite_begin(j, &p->suite[k],
					   sfa_review_checks[k].name,
					   "sfaccess.access_review", p->err);
		if (rc == 0)
			rc = sfa_junit_suite_prop(p->suite[k], "check",
						  sfa_review_checks[k].summary,
						  p->err);
	}
	if (rc == 0)
		rc = sfa_store_each_access(st, id, NULL, on_row, p, p->err);
	if (rc == 0)
		rc = flush_user(p);
	/* Every suite gets a testcase, so a clean check shows as passed. */
	for (k = 0; k < sfa_review_nchecks && rc == 0; k++) {
		if (sfa_junit_suite_tests(p->suite[k]) == 0)
			rc = sfa_junit_pass(p->suite[k], p->classname[k],
					    "no findings", 0.0, p->err);
		if (rc == 0)
			rc = sfa_junit_suite_end(p->suite[k], p->err);
		p->suite[k] = NULL;
	}
	return rc;
}

int sfa_report_access_junit(sfa_store *st, long long snapshot_id,
			    const char *hostname, FILE *f, long long *tests,
			    long long *findings, sfa_err *err)
{
	sfa_snapinfo si;
	sfa_review *rv = NULL;
	sfa_junit *j = NULL;
	json_t *ev = NULL;
	pass p;
	int rc, k;

	memset(&p, 0, sizeof(p));
	p.err = err;
	if ((rc = sfa_snapinfo_load(&si, st, snapshot_id, err)) == 0 &&
	    (rc = sfa_review_new(&rv, st, snapshot_id, err)) == 0) {
		char id[32];
		sfa_junit_prop props[] = {
		    {"snapshot_id", id},
		    {"org_id", si.org_id},
		    {"api_version", si.api_version},
		    {"captured_at", si.started_at},
		    {"content_hash", si.content_hash},
		    {"tool", "sfaccess"},
		    {"tool_version", SFA_VERSION},
		};
		sfa_evidence_props ep;
		sfa_junit_opts o = {hostname, si.started_at, NULL, 0};

		snprintf(id, sizeof(id), "%lld", si.id);
		p.rv = rv;
		if ((rc = sfa_store_get_evidence(st, snapshot_id, &ev, err)) ==
		    0) {
			sfa_evidence_props_fill(
			    &ep, props, (int)(sizeof(props) / sizeof(props[0])),
			    ev);
			o.props = ep.p;
			o.nprops = ep.n;
			rc = sfa_junit_new(&j, f, &o, err);
		}
	}
	if (rc == 0)
		rc = run(&p, j, st, snapshot_id);
	if (rc == 0) {
		rc = sfa_junit_finish(j, tests, findings, err);
		j = NULL;
	}
	sfa_junit_free(j); /* frees the suites left open by an error */
	forget_user(&p);
	for (k = 0; k < MAX_CHECKS; k++)
		sfa_buf_free(&p.user[k].text);
	json_decref(ev);
	sfa_review_free(rv);
	sfa_snapinfo_clear(&si);
	return rc;
}
