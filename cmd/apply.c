/*
 * apply.c - `sfaccess apply CHANGES.csv`: the five steps of
 * lib/apply/CHANGEFILE.md.  Validate the whole file against the org, show it
 * with its SHA-256, confirm, execute through lib/apply (journalled), report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "apply.h"
#include "cli.h"
#include "connect.h"
#include "http.h"
#include "report_junit.h"

static const char usage[] =
    "usage: sfaccess apply CHANGES.csv [--dry-run] [--yes] [--recheck]\n"
    "                      [--sha256 HEX]\n"
    "                      [--junit FILE] [--license-profile "
    "\"LICENSE=PROFILE\"]...\n\n"
    "Performs a reviewed change file against the org (see "
    "CHANGEFILE.md):\nvalidates every row first (nothing changes when "
    "one is wrong), shows the\noperations and the file's SHA-256, asks "
    "for confirmation, then runs them\nin the order create_user, grant, "
    "revoke, set_status, each compared with the\norg first: what "
    "differs is written, what matches is `already`.  Every\noutcome is "
    "journalled in the store: a run that was interrupted is resumed\nby "
    "the next apply of the same file, which skips the lines it settled "
    "and\nretries what failed; after a run that finished, every line is "
    "compared\nwith the org again.\n\n"
    "  --dry-run            validate and show, change nothing\n"
    "  --yes                do not ask for confirmation (required "
    "without a terminal)\n"
    "  --recheck            do not resume an interrupted run: compare "
    "every line with\n"
    "                       the org\n"
    "  --sha256 HEX         refuse the file unless its SHA-256 is HEX "
    "(the reviewed file)\n"
    "  --junit FILE         write a JUnit XML testcase per operation\n"
    "  --license-profile \"LICENSE=PROFILE\"\n"
    "                       the least-privileged profile of a license, "
    "for profile\n"
    "                       revokes (repeatable; also "
    "[license_profiles])\n\n"
    "Exit status: 0 every operation done or already so, 1 one failed, "
    "2 the file\nis invalid or not confirmed (nothing was "
    "changed).\n\n" SFA_CONNECT_HELP;

typedef struct run {
	const sfa_cli *cli;
	const char *path;
	long done, already, failed, earlier;
	/* transient failures: operations retried, extra attempts, and
	 * retries whose re-read found the earlier write had taken effect */
	long retried, retries, found;
} run;

static int add_config_profile(void *ud, const char *key, const char *value)
{
	sfa_err err;

	sfa_err_clear(&err);
	if (sfa_license_map_add(ud, key, value, &err)) {
		sfa_cli_errorf("[license_profiles]: %s", err.msg);
		return -1;
	}
	return 0;
}

/* --license-profile values first, so they win over the configuration. */
static int license_map(const sfa_cli *cli, const sfa_optlist *l,
		       sfa_license_map *m, char **owned)
{
	sfa_err err;
	int i;

	sfa_err_clear(&err);
	for (i = 0; i < l->n; i++) {
		char *eq;

		if (!(owned[i] = strdup(l->v[i])))
			return -1;
		eq = strchr(owned[i], '=');
		if (!eq || eq == owned[i] || !eq[1]) {
			sfa_cli_errorf("--license-profile `%s`: expected "
				       "\"LICENSE=PROFILE\", e.g. "
				       "\"Salesforce=Minimum Access - "
				       "Salesforce\"",
				       l->v[i]);
			return -1;
		}
		*eq = '\0';
		if (sfa_license_map_add(m, owned[i], eq + 1, &err)) {
			sfa_cli_errorf("--license-profile: %s", err.msg);
			return -1;
		}
	}
	return sfa_config_each(cli->config, "license_profiles",
			       add_config_profile, m)
		   ? -1
		   : 0;
}

static void print_problems(const char *path, sfa_problems *probs)
{
	size_t i;

	sfa_problems_sort(probs);
	for (i = 0; i < probs->n; i++)
		fprintf(stderr, "sfaccess: %s:%ld: %s\n", path,
			probs->v[i].line, probs->v[i].msg);
	fprintf(stderr, "sfaccess: %zu problem%s in %s; nothing was changed\n",
		probs->n, probs->n == 1 ? "" : "s", path);
}

static void show(const sfa_apply *a, const sfa_changefile *cf)
{
	size_t i, n = sfa_apply_nops(a), settled = 0;
	char desc[512], org[512];

	sfa_apply_org(a, org, sizeof(org));
	printf("Change file %s\nSHA-256 %s\nOrg %s: %zu operation%s, in "
	       "execution order:\n",
	       cf->path, cf->sha256, org, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const sfa_apply_op *op = sfa_apply_op_at(a, i);

		sfa_apply_describe(op, desc, sizeof(desc));
		printf("  line %-5ld %s%s%s%s\n", op->c->line, desc,
		       op->from_journal ? " [" : "",
		       op->from_journal ? op->note : "",
		       op->from_journal ? "]" : "");
		settled += op->from_journal != 0;
	}
	if (sfa_apply_resumed(a))
		printf("Resuming the interrupted run started %s: the %zu "
		       "line%s it settled (marked above) will not run again; "
		       "--recheck compares them with the org\n",
		       sfa_apply_resumed(a), settled, settled == 1 ? "" : "s");
	fflush(stdout);
}

static int confirm(const char *org, size_t pending)
{
	char line[32];

	if (!isatty(STDIN_FILENO)) {
		sfa_cli_errorf("no terminal to confirm on: review the "
			       "operations above and run again with --yes "
			       "(nothing was changed)");
		return -1;
	}
	fprintf(stderr, "Apply %zu operation%s to %s? [y/N] ", pending,
		pending == 1 ? "" : "s", org);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin) ||
	    (strcasecmp(line, "y\n") != 0 && strcasecmp(line, "yes\n") != 0)) {
		sfa_cli_errorf("not confirmed; nothing was changed");
		return -1;
	}
	return 0;
}

static void on_op(void *ud, const sfa_apply_op *op)
{
	run *r = ud;
	char desc[512];

	sfa_apply_describe(op, desc, sizeof(desc));
	/* Not this run's doing: never counted or shown as done. */
	if (op->from_journal) {
		r->earlier++;
		printf("  line %-5ld %-7s %s%s%s; %s\n", op->c->line, "settled",
		       desc, op->record_id[0] ? " " : "", op->record_id,
		       op->note);
		fflush(stdout);
		return;
	}
	if (op->attempts > 1) {
		r->retried++;
		r->retries += op->attempts - 1;
	}
	r->found += op->found_on_reread != 0;
	if (op->outcome == SFA_OUTCOME_DONE)
		r->done++;
	else if (op->outcome == SFA_OUTCOME_ALREADY)
		r->already++;
	else
		r->failed++;
	if (op->outcome == SFA_OUTCOME_FAILED) {
		printf("  line %-5ld %-7s %s\n", op->c->line, "FAILED", desc);
		/* The row, the user (in desc) and Salesforce's words. */
		fprintf(stderr, "sfaccess: %s:%ld: %s: %s\n", r->path,
			op->c->line, desc, op->err.msg);
	} else {
		printf("  line %-5ld %-7s %s%s%s%s%s\n", op->c->line,
		       sfa_outcome_name(op->outcome), desc,
		       op->record_id[0] ? " " : "", op->record_id,
		       op->note[0] ? "; " : "", op->note);
	}
	fflush(stdout);
}

static int write_junit(const char *file, const sfa_apply *a,
		       const sfa_changefile *cf, sfa_err *err)
{
	sfa_junit_prop props[] = {{"change_file", cf->path},
				  {"sha256", cf->sha256}};
	sfa_junit_opts o = {NULL, NULL, props, 2};
	sfa_junit *j = NULL;
	sfa_junit_suite *s = NULL;
	FILE *f = fopen(file, "w");
	size_t i;
	int rc;

	if (!f)
		return sfa_err_set(err, SFA_EIO, "cannot write %s", file);
	if ((rc = sfa_junit_new(&j, f, &o, err)) ||
	    (rc = sfa_junit_suite_begin(j, &s, "apply", "sfaccess.apply", err)))
		goto out;
	for (i = 0; i < sfa_apply_nops(a) && !rc; i++) {
		const sfa_apply_op *op = sfa_apply_op_at(a, i);
		char cls[64], name[600], desc[512];

		sfa_apply_describe(op, desc, sizeof(desc));
		snprintf(cls, sizeof(cls), "sfaccess.apply.%s",
			 sfa_op_name(op->c->op));
		snprintf(name, sizeof(name), "line %ld: %s", op->c->line, desc);
		if (op->outcome == SFA_OUTCOME_FAILED)
			rc = sfa_junit_fail(s, cls, name, op->seconds,
					    op->err.sf_code[0]
						? op->err.sf_code
						: sfa_err_name(op->err.code),
					    op->err.msg, NULL, err);
		else if (op->outcome == SFA_OUTCOME_NONE)
			rc = sfa_junit_skip(s, cls, name, "not run", err);
		else
			rc = sfa_junit_pass(s, cls, name, op->seconds, err);
	}
	if (!rc) {
		rc = sfa_junit_suite_end(s, err);
		s = NULL;
	}
	if (!rc) {
		rc = sfa_junit_finish(j, NULL, NULL, err);
		j = NULL;
	}
out:
	if (s)
		sfa_junit_suite_end(s, NULL);
	sfa_junit_free(j);
	if (fclose(f) && !rc)
		rc = sfa_err_set(err, SFA_EIO, "cannot write %s", file);
	return rc;
}

int cmd_apply(sfa_cli *cli, int argc, char **argv)
{
	sfa_connect conn = {0};
	sfa_optlist lp = {{0}, 0};
	int dry_run = 0, yes = 0, recheck = 0;
	const char *sha = NULL, *junit = NULL;
	const sfa_opt opts[] = {SFA_CONNECT_OPTS(&conn),
				{"dry-run", SFA_OPT_FLAG, &dry_run},
				{"yes", SFA_OPT_FLAG, &yes},
				{"recheck", SFA_OPT_FLAG, &recheck},
				{"sha256", SFA_OPT_STRING, &sha},
				{"junit", SFA_OPT_STRING, &junit},
				{"license-profile", SFA_OPT_LIST, &lp},
				{NULL, 0, NULL}};
	char *owned[32] = {0};
	sfa_license_map map = {{0}, {0}, 0};
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_http *http = NULL;
	sfa_sf *sf = NULL;
	sfa_store *st = NULL;
	sfa_apply *a = NULL;
	sfa_apply_lock *lock = NULL;
	sfa_err err;
	run r;
	long validating;
	char org[512];
	size_t i, pending = 0;
	int npos, help, rc;

	sfa_err_clear(&err);
	memset(&r, 0, sizeof(r));
	rc = sfa_opts_parse("apply", opts, argc, argv, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1) {
		sfa_cli_errorf("apply: give one change file (see `sfaccess "
			       "apply --help`)");
		return SFA_EXIT_USAGE;
	}
	r.cli = cli;
	r.path = argv[1];
	rc = SFA_EXIT_USAGE;
	if (license_map(cli, &lp, &map, owned))
		goto out_conn;
	if (sfa_changefile_load(&cf, argv[1], &probs, &err)) {
		sfa_cli_error(cli, &err);
		rc = err.code == SFA_ENOMEM ? SFA_EXIT_FAIL : SFA_EXIT_USAGE;
		goto out_conn;
	}
	if (sha && strcasecmp(sha, cf->sha256) != 0) {
		sfa_cli_errorf("refusing %s: its SHA-256 is %s, not the "
			       "reviewed %s (nothing was changed)",
			       argv[1], cf->sha256, sha);
		goto out_conn;
	}
	/* Without a usable header nothing can be resolved. */
	if (probs.n && !cf->n) {
		print_problems(argv[1], &probs);
		goto out_conn;
	}
	if ((rc = sfa_connect_resolve(&conn, cli)))
		goto out_conn;
	if ((rc = sfa_store_open(&st, cli->store_path, 0, &err)) ||
	    (rc = sfa_connect_http(&conn, cli, &http, &err)) ||
	    (rc = sfa_sf_new(&sf, http, &conn.auth_cfg, &err)) ||
	    (rc = sfa_sf_login(sf, &err)) ||
	    (rc = sfa_apply_lock_take(&lock, cli->store_path, sfa_sf_org_id(sf),
				      sfa_sf_instance_url(sf), &err)) ||
	    (rc = sfa_apply_prepare(&a, sf, cf, &map, &probs, &err)))
		goto out_err;
	validating = sfa_sf_api_requests(sf);
	/* Step 1: every problem, then stop. */
	if (probs.n) {
		print_problems(argv[1], &probs);
		rc = SFA_EXIT_USAGE;
		goto out;
	}
	if ((rc = sfa_apply_load_journal(a, st, recheck, &err)))
		goto out_err;
	/* Step 2: show and confirm. */
	show(a, cf);
	for (i = 0; i < sfa_apply_nops(a); i++)
		pending += !sfa_apply_op_at(a, i)->from_journal;
	if (dry_run) {
		printf("dry run: nothing was changed\n");
		rc = SFA_EXIT_OK;
		goto out;
	}
	sfa_apply_org(a, org, sizeof(org));
	if (pending && !yes && confirm(org, pending)) {
		rc = SFA_EXIT_USAGE;
		goto out;
	}
	/* Steps 3 and 4. */
	printf("Applying:\n");
	rc = sfa_apply_execute(a, st, on_op, &r, &err);
	/* Step 5. */
	printf("apply %s: %zu operations: %ld done, %ld already, %ld "
	       "failed",
	       cf->sha256, sfa_apply_nops(a), r.done, r.already, r.failed);
	if (r.earlier)
		printf(", %ld settled by the interrupted run started %s "
		       "(--recheck compares them with the org)",
		       r.earlier, sfa_apply_resumed(a));
	printf("\n");
	/* What the org's daily API limit was charged, by step. */
	printf("API requests: %ld (%ld to validate, %ld to read the state "
	       "before executing, %ld for the operations)\n",
	       sfa_sf_api_requests(sf), validating,
	       sfa_apply_prefetch_requests(a),
	       sfa_sf_api_requests(sf) - validating -
		   sfa_apply_prefetch_requests(a));
	if (sfa_sf_other_requests(sf))
		printf("not charged to the org's API limit: %ld (logins, "
		       "expired sessions, retries)\n",
		       sfa_sf_other_requests(sf));
	if (r.retried)
		printf("transient failures: %ld operation%s retried (%ld "
		       "retr%s, each after a re-read); %ld re-read%s found "
		       "the change already made\n",
		       r.retried, r.retried == 1 ? "" : "s", r.retries,
		       r.retries == 1 ? "y" : "ies", r.found,
		       r.found == 1 ? "" : "s");
	if (junit) {
		sfa_err jerr;

		sfa_err_clear(&jerr);
		if (write_junit(junit, a, cf, &jerr)) {
			sfa_cli_error(cli, &jerr);
			if (!rc)
				rc = SFA_EXIT_FAIL;
		}
	}
	if (rc)
		goto out_err;
	rc = r.failed ? SFA_EXIT_FAIL : SFA_EXIT_OK;
	goto out;
out_err:
	sfa_cli_error(cli, &err);
	rc = sfa_cli_exit_for(rc);
out:
	sfa_apply_free(a);
	sfa_apply_lock_free(lock);
	sfa_sf_free(sf);
	sfa_http_free(http);
	sfa_store_free(st);
out_conn:
	sfa_connect_clear(&conn);
	sfa_changefile_free(cf);
	sfa_problems_free(&probs);
	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		free(owned[i]);
	return rc;
}
