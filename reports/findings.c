/*
 * findings.c - writing the findings of a check (report_findings.h) through
 * the one CSV writer, jansson, the JUnit writer and the HTML page writer
 * that the access review uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "csv_io.h"
#include "report_findings.h"
#include "report_html.h"
#include "report_junit.h"

const char *const sfa_findings_columns[] = {
    "rule", "severity", "username", "user_id",
    "what", "via_type", "via_id",   "detail"};
const int sfa_findings_ncolumns = 8;

static void cells(const sfa_finding *x, const char *out[8])
{
	out[0] = sfa_rule_name(x->rule);
	out[1] = sfa_severity_name(x->severity);
	out[2] = x->username;
	out[3] = x->user_id;
	out[4] = x->what;
	out[5] = x->via_type;
	out[6] = x->via_id;
	out[7] = x->detail;
}

int sfa_report_findings_csv(const sfa_findings *fs, FILE *f, sfa_err *err)
{
	sfa_csv *w;
	size_t i;
	int rc;

	if ((rc = sfa_csv_new(&w, f, err)))
		return rc;
	rc = sfa_csv_row(w, sfa_findings_columns, sfa_findings_ncolumns, err);
	for (i = 0; rc == 0 && i < sfa_findings_count(fs); i++) {
		const char *c[8];

		cells(sfa_findings_get(fs, i), c);
		rc = sfa_csv_row(w, c, 8, err);
	}
	sfa_csv_free(w);
	if (rc == 0 && (ferror(f) || fflush(f)))
		rc = sfa_err_set(err, SFA_EIO, "cannot write the findings");
	return rc;
}

int sfa_report_findings_json(const sfa_findings *fs, FILE *f, sfa_err *err)
{
	size_t i;
	int k;

	fputs("[", f);
	for (i = 0; i < sfa_findings_count(fs); i++) {
		const char *c[8];
		json_t *o = json_object();

		cells(sfa_findings_get(fs, i), c);
		for (k = 0; o && k < 8; k++)
			if (json_object_set_new(o, sfa_findings_columns[k],
						json_string(c[k]))) {
				json_decref(o);
				o = NULL;
			}
		if (!o)
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		fputs(i ? ",\n  " : "\n  ", f);
		json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	fputs(sfa_findings_count(fs) ? "\n]\n" : "]\n", f);
	if (ferror(f) || fflush(f))
		return sfa_err_set(err, SFA_EIO, "cannot write the findings");
	return 0;
}

/* What each rule checks, for the suite's `description` property. */
static const char *const meaning[SFA_RULE_COUNT] = {
    [SFA_RULE_DORMANT_PRIVILEGED] =
	("active users holding a tier 0-1 permission who have not logged in "
	"for `days` or never"),
    [SFA_RULE_DORMANT] =
	"active users who have not logged in for `days` or never",
    [SFA_RULE_SOD] = "users holding both sides of a [sod] pair",
    [SFA_RULE_EXTERNAL_PRIVILEGED] =
	"users whose UserType is not Standard holding privileged permissions",
    [SFA_RULE_MFA_WAIVED_PRIVILEGED] =
	"users holding a tier 0-1 permission and BypassMFAForUiLogins",
    [SFA_RULE_EXPIRED_ASSIGNMENT] =
	"assignments past their ExpirationDate that still stand",
    [SFA_RULE_INACTIVE_WITH_ACCESS] =
	"deactivated or frozen users holding access beyond their profile",
    [SFA_RULE_LEAVER] =
	"people the HR file marks terminated whose user is active",
    [SFA_RULE_UNUSED_CONNECTED_APP] =
	"connected apps users can reach that no OAuth token uses",
};

int sfa_report_findings_junit(const sfa_findings *fs, unsigned rules,
			      const char *hostname, FILE *f, sfa_err *err)
{
	sfa_junit_opts o = {hostname, sfa_findings_as_of(fs)[0]
					  ? sfa_findings_as_of(fs)
					  : NULL,
			    NULL, 0};
	sfa_junit *j;
	size_t i = 0;
	int r, rc;

	if ((rc = sfa_junit_new(&j, f, &o, err)))
		return rc;
	for (r = 0; r < SFA_RULE_COUNT; r++) {
		const char *name = sfa_rule_name((sfa_rule)r);
		sfa_junit_suite *s;
		int found = 0;

		if (!(rules & (1u << r)))
			continue;
		if ((rc = sfa_junit_suite_begin(j, &s, name, "sfaccess.policy",
						err)) ||
		    (rc = sfa_junit_suite_prop(s, "description", meaning[r],
					       err)))
			goto fail;
		/* Findings are sorted by rule name, not by rule number: look
		 * at all of them. */
		for (i = 0; i < sfa_findings_count(fs); i++) {
			const sfa_finding *x = sfa_findings_get(fs, i);
			char tc[1024], msg[1200];

			if ((int)x->rule != r)
				continue;
			found++;
			snprintf(tc, sizeof(tc), "%s%s%s%s%s",
				 x->username[0] ? x->username : "(no user)",
				 x->what[0] ? " " : "", x->what,
				 x->via_id[0] ? " via " : "", x->via_id);
			snprintf(msg, sizeof(msg), "%s: %s",
				 sfa_severity_name(x->severity), x->detail);
			if ((rc = sfa_junit_fail(s, name, tc, 0, name, msg,
						 x->detail, err))) {
				sfa_junit_suite_end(s, err);
				goto fail;
			}
		}
		if (!found &&
		    (rc = sfa_junit_pass(s, name, "no findings", 0, err))) {
			sfa_junit_suite_end(s, err);
			goto fail;
		}
		if ((rc = sfa_junit_suite_end(s, err)))
			goto fail;
	}
	return sfa_junit_finish(j, NULL, NULL, err);
fail:
	sfa_junit_free(j);
	return rc;
}

static const sfa_html_column columns[] = {
    {"rule", "Rule", SFA_HTML_SELECT},
    {"severity", "Severity", SFA_HTML_SELECT},
    {"username", "Username", SFA_HTML_TEXT},
    {"user_id", "User Id", SFA_HTML_MONO},
    {"what", "What", SFA_HTML_TEXT},
    {"via_type", "Via", SFA_HTML_SELECT},
    {"via_id", "Via Id", SFA_HTML_MONO},
    {"detail", "Detail", SFA_HTML_TEXT},
};

int sfa_report_findings_html(const sfa_findings *fs, unsigned rules,
			     long long snapshot, FILE *f, sfa_err *err)
{
	static const char *const sevs[] = {"critical", "high", "medium", "low",
					   "info"};
	char snap[32], note[64];
	sfa_html_meta meta[2] = {{"Snapshot", snap},
				 {"Measured at", sfa_findings_as_of(fs)}};
	sfa_html_page page = {"Policy findings",
			      "Built-in policy rules on one snapshot",
			      meta,
			      2,
			      columns,
			      8,
			      "findings"};
	long long per[SFA_RULE_COUNT][5];
	sfa_html *w;
	size_t i;
	int r, k, rc;

	snprintf(snap, sizeof(snap), "%lld", snapshot);
	memset(per, 0, sizeof(per));
	if ((rc = sfa_html_begin(&w, f, &page, err)))
		return rc;
	for (i = 0; i < sfa_findings_count(fs); i++) {
		const sfa_finding *x = sfa_findings_get(fs, i);
		const char *c[8];

		cells(x, c);
		per[x->rule][SFA_SEV_CRITICAL - x->severity]++;
		if ((rc = sfa_html_row(w, c, err))) {
			sfa_html_free(w);
			return rc;
		}
	}
	for (r = 0; r < SFA_RULE_COUNT; r++) {
		long long total = 0;
		int worst = -1;

		if (!(rules & (1u << r)))
			continue;
		for (k = 0; k < 5; k++) {
			total += per[r][k];
			if (per[r][k] && worst < 0)
				worst = k;
		}
		snprintf(note, sizeof(note), "%s", worst < 0 ? "none"
						  : sevs[worst]);
		/* Cards: red for high and critical, amber for medium. */
		if ((rc = sfa_html_stat(w, sfa_rule_name((sfa_rule)r), total,
					worst < 0   ? NULL
					: worst < 2 ? "bad"
					: worst < 3 ? "warn"
						    : NULL,
					note, err))) {
			sfa_html_free(w);
			return rc;
		}
	}
	for (k = 0; k < 5; k++) {
		long long total = 0;

		for (r = 0; r < SFA_RULE_COUNT; r++)
			total += per[r][k];
		if ((rc = sfa_html_stat(w, sevs[k], total,
					total && k < 2	 ? "bad"
					: total && k < 3 ? "warn"
							 : NULL,
					"findings of this severity", err))) {
			sfa_html_free(w);
			return rc;
		}
	}
	return sfa_html_end(w, NULL, err);
}
