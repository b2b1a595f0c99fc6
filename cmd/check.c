/*
 * check.c - `sfaccess check`: POLICY.md's built-in rules on one snapshot,
 * tuned by a policy file, with leavers from an HR file; findings as a
 * table, CSV, JSON, JUnit or HTML; exit 3 for CI when findings reach
 * --fail-on.  Both input files are read, and every problem in them named,
 * before anything runs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "perm.h"
#include "policy.h"
#include "report_findings.h"
#include "store.h"

static const char usage[] =
    "usage: sfaccess check [--snapshot ID] [--policy FILE] [--hr-file FILE]\n"
    "                      [--format table|csv|json|junit|html] [--out DIR]\n"
    "                      [--fail-on SEVERITY]\n\n"
    "Evaluates the built-in rules on a snapshot (default: the latest "
    "complete one):\n"
    "  dormant-privileged     tier 0-1 permission, no login for `days` "
    "(90) or never\n"
    "  dormant                no login for `days` (90) or never\n"
    "  sod                    both sides of a [sod] pair (`name = A + B`)\n"
    "  external-privileged    UserType not Standard with a privileged "
    "permission\n"
    "  mfa-waived-privileged  tier 0-1 permission and BypassMFAForUiLogins\n"
    "  expired-assignment     assignment past its ExpirationDate\n"
    "  inactive-with-access   deactivated or frozen user holding access "
    "beyond the profile\n"
    "  leaver                 terminated in --hr-file, user still active "
    "(lists later logins)\n"
    "  unused-connected-app   reachable connected app that no OAuth token "
    "names\n\n"
    "The permission rules (and [sod] sides that are permissions) read the "
    "effective\npermissions of a snapshot synced with them (the default), "
    "tiers as the\nconfiguration's [privileged] sets them.\n\n"
    "  --policy FILE     INI: [rule.NAME] enabled = false, severity = high, "
    "days = 60;\n"
    "                    [sod] NAME = A + B\n"
    "  --hr-file FILE    CSV: email|username|federation_id, status, "
    "termination_date\n"
    "  --format FMT      table (default), csv, json, junit or html\n"
    "  --out DIR         write findings.<csv|json|junit.xml|html> into DIR "
    "(all four\n"
    "                    unless --format names one)\n"
    "  --fail-on SEV     exit 3 when a finding is at SEV or above "
    "(info, low, medium,\n"
    "                    high (default), critical)\n\n"
    "Exit status: 0 no findings at --fail-on or above, 3 such findings, 2 "
    "bad policy\nor HR file (every problem named, nothing run), 1 other "
    "errors.\n";

enum { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_JUNIT, OUT_HTML, OUT_N };
static const char *const fmt_names[OUT_N] = {"table", "csv", "json", "junit",
					     "html"};
static const char *const fmt_files[OUT_N] = {NULL, "findings.csv",
					     "findings.json",
					     "findings.junit.xml",
					     "findings.html"};

static void print_problems(const char *path, sfa_problems *p)
{
	size_t i;

	sfa_problems_sort(p);
	for (i = 0; i < p->n; i++)
		fprintf(stderr, "sfaccess: %s:%ld: %s\n", path, p->v[i].line,
			p->v[i].msg);
}

static int print_table(const sfa_findings *fs)
{
	size_t i;

	if (sfa_findings_count(fs) > 0)
		printf("%-8s %-22s %-32s %-28s %s\n", "severity", "rule",
		       "user", "what", "detail");
	for (i = 0; i < sfa_findings_count(fs); i++) {
		const sfa_finding *x = sfa_findings_get(fs, i);

		printf("%-8s %-22s %-32s %-28s %s\n",
		       sfa_severity_name(x->severity), sfa_rule_name(x->rule),
		       x->username[0] ? x->username : "-",
		       x->what[0] ? x->what : "-", x->detail);
	}
	return ferror(stdout) ? SFA_EIO : 0;
}

static int write_one(int fmt, const sfa_findings *fs, unsigned rules,
		     long long snap, FILE *f, sfa_err *err)
{
	switch (fmt) {
	case OUT_CSV:
		return sfa_report_findings_csv(fs, f, err);
	case OUT_JSON:
		return sfa_report_findings_json(fs, f, err);
	case OUT_JUNIT:
		return sfa_report_findings_junit(fs, rules, NULL, f, err);
	case OUT_HTML:
		return sfa_report_findings_html(fs, rules, snap, f, err);
	default:
		return print_table(fs);
	}
}

static int write_dir(const char *dir, int only, const sfa_findings *fs,
		     unsigned rules, long long snap, sfa_err *err)
{
	char path[4096];
	int fmt, rc;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return sfa_err_set(err, SFA_EIO, "--out %s: %s", dir,
				   strerror(errno));
	for (fmt = OUT_CSV; fmt < OUT_N; fmt++) {
		FILE *f;

		if (only != OUT_TABLE && fmt != only)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, fmt_files[fmt]);
		if (!(f = fopen(path, "wb")))
			return sfa_err_set(err, SFA_EIO, "cannot write %s: %s",
					   path, strerror(errno));
		rc = write_one(fmt, fs, rules, snap, f, err);
		if (fclose(f) != 0 && rc == 0)
			rc = sfa_err_set(err, SFA_EIO, "cannot write %s", path);
		if (rc)
			return rc;
	}
	return 0;
}

/* Reads both input files; prints every problem.  Returns 0 or an exit
 * status. */
static int read_inputs(const char *policy_path, const char *hr_path,
		       sfa_policy **policy, sfa_hr **hr)
{
	sfa_problems pp = {0}, hp = {0};
	sfa_err e1, e2;
	int r1 = 0, r2 = 0;

	sfa_err_clear(&e1);
	sfa_err_clear(&e2);
	*policy = NULL;
	*hr = NULL;
	if (policy_path)
		r1 = sfa_policy_load(policy, policy_path, &pp, &e1);
	if (hr_path)
		r2 = sfa_hr_load(hr, hr_path, &hp, &e2);
	if (pp.n)
		print_problems(policy_path, &pp);
	else if (r1)
		sfa_cli_errorf("--policy: %s", e1.msg);
	if (hp.n)
		print_problems(hr_path, &hp);
	else if (r2)
		sfa_cli_errorf("--hr-file: %s", e2.msg);
	if (pp.n + hp.n)
		fprintf(stderr, "sfaccess: %zu problem%s; nothing was run\n",
			pp.n + hp.n, pp.n + hp.n == 1 ? "" : "s");
	sfa_problems_free(&pp);
	sfa_problems_free(&hp);
	if (r1 || r2) {
		sfa_policy_free(*policy);
		sfa_hr_free(*hr);
		*policy = NULL;
		*hr = NULL;
		return (r1 && r1 != SFA_EINPUT && r1 != SFA_ENOTFOUND) ||
			       (r2 && r2 != SFA_EINPUT && r2 != SFA_ENOTFOUND)
			   ? SFA_EXIT_FAIL
			   : SFA_EXIT_USAGE;
	}
	return 0;
}

static int is_complete(void *ud, const sfa_snapshot_info *s)
{
	*(int *)ud = strcmp(s->status, "complete") == 0;
	return 0;
}

/* --snapshot ID (a complete one: an incomplete snapshot lacks users and
 * grants, and every rule would answer wrongly), else the latest. */
static int pick_snapshot(sfa_store *st, const char *opt, long long *snap,
			 sfa_err *err)
{
	int complete = 0, rc;

	if (!opt)
		return sfa_store_latest_complete(st, NULL, 0, snap, err);
	if ((rc = sfa_store_get_snapshot(st, *snap, is_complete, &complete,
					 err)))
		return rc;
	if (!complete) {
		sfa_err_where(err, "--snapshot");
		return sfa_err_set(err, SFA_EINPUT,
				   "snapshot %lld is incomplete: check a "
				   "complete one (see `sfaccess snapshots`)",
				   *snap);
	}
	return 0;
}

int cmd_check(sfa_cli *cli, int argc, char **argv)
{
	const char *snapshot = NULL, *policy_path = NULL, *hr_path = NULL,
		   *format = NULL, *out = NULL, *fail_on = NULL;
	const sfa_opt opts[] = {{"snapshot", SFA_OPT_STRING, &snapshot},
				{"policy", SFA_OPT_STRING, &policy_path},
				{"hr-file", SFA_OPT_STRING, &hr_path},
				{"format", SFA_OPT_STRING, &format},
				{"out", SFA_OPT_STRING, &out},
				{"fail-on", SFA_OPT_STRING, &fail_on},
				{NULL, 0, NULL}};
	sfa_severity threshold = SFA_SEV_HIGH;
	sfa_policy *policy = NULL, *defaults = NULL;
	sfa_hr *hr = NULL;
	sfa_store *st = NULL;
	sfa_priv *pv = NULL;
	sfa_findings *fs = NULL;
	sfa_check_opts co = {NULL, NULL, NULL, NULL};
	long long snap = 0;
	unsigned rules = 0;
	int fmt = OUT_TABLE, rc, r;
	sfa_err err;

	sfa_err_clear(&err);
	if (sfa_opts_parse_only("check", usage, opts, argc, argv, &rc))
		return rc;
	if (format) {
		for (fmt = 0; fmt < OUT_N; fmt++)
			if (strcmp(format, fmt_names[fmt]) == 0)
				break;
		if (fmt == OUT_N) {
			sfa_cli_errorf("check: --format `%s` is not one of "
				       "table, csv, json, junit, html",
				       format);
			return SFA_EXIT_USAGE;
		}
		if (fmt == OUT_TABLE && out) {
			sfa_cli_errorf("check: --format table is for the "
				       "terminal; --out writes csv, json, "
				       "junit or html");
			return SFA_EXIT_USAGE;
		}
	}
	if (fail_on && sfa_severity_parse(fail_on, &threshold)) {
		sfa_cli_errorf("check: --fail-on `%s` is not one of info, low, "
			       "medium, high, critical",
			       fail_on);
		return SFA_EXIT_USAGE;
	}
	if (snapshot && sfa_cli_parse_id("--snapshot", snapshot, &snap))
		return SFA_EXIT_USAGE;
	if ((rc = read_inputs(policy_path, hr_path, &policy, &hr)))
		return rc;
	if (!policy && (rc = sfa_policy_default(&defaults, &err)))
		goto out;
	co.policy = policy ? policy : defaults;
	co.hr = hr;
	for (r = 0; r < SFA_RULE_COUNT; r++)
		if (sfa_policy_enabled(co.policy, (sfa_rule)r) &&
		    (r != SFA_RULE_LEAVER || hr))
			rules |= 1u << r;
	/* Tiers as the access review and who-can rank them. */
	if ((rc = sfa_priv_new(&pv, &err)) ||
	    (rc = sfa_priv_configure(
		 pv, sfa_config_get(cli->config, "privileged", "add"),
		 sfa_config_get(cli->config, "privileged", "ignore"), &err)))
		goto out;
	co.privileged = pv;
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (rc = pick_snapshot(st, snapshot, &snap, &err)) ||
	    (rc = sfa_policy_check(st, snap, &co, &fs, &err)))
		goto out;
	if (out)
		rc = write_dir(out, fmt, fs, rules, snap, &err);
	else
		rc = write_one(fmt, fs, rules, snap, stdout, &err);
	if (rc == 0 && fflush(stdout) != 0)
		rc = sfa_err_set(&err, SFA_EIO, "cannot write the findings");
	if (rc == SFA_EIO && !err.msg[0])
		sfa_err_set(&err, SFA_EIO, "cannot write the findings");
	if (rc == 0)
		sfa_cli_info(cli,
			     "snapshot %lld: %zu findings, %zu at %s or "
			     "above",
			     snap, sfa_findings_count(fs),
			     sfa_findings_at_least(fs, threshold),
			     sfa_severity_name(threshold));
out:
	if (rc) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	} else if (sfa_findings_at_least(fs, threshold) > 0) {
		rc = SFA_EXIT_CHANGES;
	}
	sfa_findings_free(fs);
	sfa_store_free(st);
	sfa_priv_free(pv);
	sfa_policy_free(policy);
	sfa_policy_free(defaults);
	sfa_hr_free(hr);
	return rc;
}
