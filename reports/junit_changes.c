/*
 * junit_changes.c - the change report as JUnit XML: a testcase per change,
 * failing unless the --approved change file approves it (approvals.c), so
 * a CI job fails on unreviewed access changes and passes on approved ones.
 */
#include <stdio.h>
#include <string.h>

#include "report_changes.h"
#include "report_evidence.h"
#include "report_junit.h"
#include "snapinfo.h"
#include "store_evidence.h"

typedef struct pass {
	sfa_junit_suite *suite;
	const sfa_approvals *ap;
	sfa_err *err;
	const sfa_change_evidence *ce;
} pass;

static const char *z(const char *s)
{
	return s && *s ? s : "";
}

/* A testcase name unique within the report: the change's key. */
static void case_name(const sfa_diff_change *c, char *out, size_t n)
{
	const sfa_access_row *r = &c->row;

	if (c->kind == SFA_DIFF_CHANGED)
		snprintf(out, n, "%s of %s (%s): %s -> %s", c->field,
			 z(r->username), z(r->user_id), z(c->old_value),
			 z(c->new_value));
	else if (c->kind == SFA_DIFF_PERMISSION_ADDED ||
		 c->kind == SFA_DIFF_PERMISSION_REMOVED)
		snprintf(out, n, "%s on %s %s (%s), reaching %s users",
			 z(c->field), z(r->access_type), z(r->access_name),
			 z(r->access_id), z(c->new_value));
	else if (c->kind >= SFA_DIFF_RESOURCE_ADDED)
		snprintf(out, n, "%s %s (%s)", z(r->access_type),
			 z(r->access_name), z(r->access_id));
	else
		snprintf(out, n, "%s %s (%s) for %s (%s) via %s%s%s",
			 z(r->access_type), z(r->access_name), z(r->access_id),
			 z(r->username), z(r->user_id), z(r->via_type),
			 r->via_id ? " " : "", z(r->via_id));
}

static int on_change(void *ud, const sfa_diff_change *c)
{
	pass *p = ud;
	char cls[64], name[1024], msg[1400];
	long line = sfa_approvals_match(p->ap, c);
	sfa_change_origin o;
	size_t n;

	/* Privileged rows are counted apart, by tier. */
	if (c->row.tier >= 0)
		snprintf(cls, sizeof(cls), "sfaccess.changes.privileged-tier-%d",
			 c->row.tier);
	else
		snprintf(cls, sizeof(cls), "sfaccess.changes.%s",
			 sfa_diff_kind_name(c->kind));
	case_name(c, name, sizeof(name));
	if (line)
		return sfa_junit_pass(p->suite, cls, name, 0, p->err);
	snprintf(msg, sizeof(msg), "%s: %s is not approved%s%s",
		 sfa_diff_kind_name(c->kind), name,
		 p->ap ? " in " : " (no --approved change file)",
		 p->ap ? sfa_approvals_file(p->ap) : "");
	/* EVIDENCE.md: made outside sfaccess with no audit entry either. */
	if (sfa_change_origin_of(p->ce, c, &o))
		return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	n = strlen(msg);
	if (o.out_of_band)
		snprintf(msg + n, sizeof(msg) - n,
			 "; out_of_band: no sfaccess apply made it and the "
			 "audit trail has no entry for it");
	else if (o.applied_by)
		snprintf(msg + n, sizeof(msg) - n, "; applied by %s",
			 o.applied_by);
	else
		snprintf(msg + n, sizeof(msg) - n, "; %zu audit entr%s",
			 json_array_size(o.audit_entries),
			 json_array_size(o.audit_entries) == 1 ? "y" : "ies");
	json_decref(o.audit_entries);
	return sfa_junit_fail(p->suite, cls, name, 0,
			      o.out_of_band ? "out-of-band-change"
					    : "unapproved-change",
			      msg, NULL, p->err);
}

int sfa_report_changes_junit(sfa_store *st, sfa_diff *d,
			     const sfa_approvals *ap, const char *hostname,
			     FILE *f, long long *tests, long long *failures,
			     sfa_err *err)
{
	sfa_snapinfo a = {0}, b = {0};
	sfa_junit *j = NULL;
	json_t *ev = NULL;
	pass p = {NULL, ap, err, NULL};
	sfa_change_evidence *ce = NULL;
	int rc;

	if ((rc = sfa_change_evidence_load(&ce, st, sfa_diff_from(d),
					   sfa_diff_to(d), err)))
		return rc;
	p.ce = ce;
	if ((rc = sfa_snapinfo_load(&a, st, sfa_diff_from(d), err)) == 0 &&
	    (rc = sfa_snapinfo_load(&b, st, sfa_diff_to(d), err)) == 0) {
		char fid[32], tid[32];
		sfa_junit_prop props[] = {
		    {"org_id", b.org_id},
		    {"from_snapshot_id", fid},
		    {"from_captured_at", a.started_at},
		    {"from_content_hash", a.content_hash},
		    {"to_snapshot_id", tid},
		    {"to_captured_at", b.started_at},
		    {"to_content_hash", b.content_hash},
		    {"approved_file", ap ? sfa_approvals_file(ap) : NULL},
		    {"approved_sha256", ap ? sfa_approvals_sha256(ap) : NULL},
		    {"tool", "sfaccess"},
		    {"tool_version", SFA_VERSION},
		};
		sfa_evidence_props ep;
		sfa_junit_opts o = {hostname, b.started_at, NULL, 0};

		snprintf(fid, sizeof(fid), "%lld", a.id);
		snprintf(tid, sizeof(tid), "%lld", b.id);
		if ((rc = sfa_store_get_evidence(st, b.id, &ev, err)) == 0) {
			sfa_evidence_props_fill(
			    &ep, props, (int)(sizeof(props) / sizeof(props[0])),
			    ev);
			o.props = ep.p;
			o.nprops = ep.n;
			rc = sfa_junit_new(&j, f, &o, err);
		}
	}
	if (rc == 0)
		rc = sfa_junit_suite_begin(j, &p.suite, "changes",
					   "sfaccess.changes", err);
	if (rc == 0)
		rc = sfa_diff_each(d, on_change, &p, err);
	if (rc == 0 && sfa_junit_suite_tests(p.suite) == 0) {
		char name[96];

		snprintf(name, sizeof(name),
			 "no changes from snapshot %lld to snapshot %lld", a.id,
			 b.id);
		rc = sfa_junit_pass(p.suite, "sfaccess.changes", name, 0, err);
	}
	if (rc == 0) {
		rc = sfa_junit_suite_end(p.suite, err);
		p.suite = NULL;
	}
	if (rc == 0) {
		rc = sfa_junit_finish(j, tests, failures, err);
		j = NULL;
	}
	sfa_junit_free(j);
	sfa_change_evidence_free(ce);
	json_decref(ev);
	sfa_snapinfo_clear(&a);
	sfa_snapinfo_clear(&b);
	return rc;
}
