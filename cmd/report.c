/*
 * report.c - `sfaccess report access`: the access review of a snapshot in
 * any of CSV, HTML, JUnit XML and JSON, written into an output directory
 * with manifest.json; `report changes`: the changes between two
 * snapshots (lib/diff.h) in the same formats, through the same manifest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "report_changes.h"
#include "report_csv.h"
#include "report_html.h"
#include "report_json.h"
#include "report_junit.h"
#include "report_manifest.h"
#include "report_perm.h"
#include "perm_cli.h"
#include "snapinfo.h"
#include "store.h"

static const char usage[] =
    "usage: sfaccess report access [--snapshot ID] [--allow-incomplete]\n"
    "                              --format csv|html|junit|json|all "
    "--out DIR\n"
    "       sfaccess report changes [--from ID] [--to ID] "
    "[--allow-incomplete]\n"
    "                              --format csv|html|junit|json|all "
    "--out DIR\n"
    "                              [--approved CHANGES.csv] "
    "[--fail-on-changes]\n\n"
    "`report access` writes the access review of a snapshot (default: "
    "the latest\ncomplete one): one row per user, access item and path. "
    "--format may be\nrepeated or `all`:\n"
    "  csv    access-review.csv, with empty decision, reviewer and "
    "comment columns\n         for the reviewers (keep or revoke)\n"
    "  html   access-review.html, one self-contained page: summary, "
    "chart, and a\n         table that sorts, filters and pages\n"
    "  junit  access-review.junit.xml, a testsuite per check "
    "(inactive-user-with-\n         access, expired-assignment, "
    "privileged-tier-0 to -4, non-standard-license,\n         "
    "frozen-user-with-access), a failing testcase per finding\n"
    "  json   access-review.json, the snapshot's metadata and the rows\n"
    "Every run also writes DIR/manifest.json (SHA-256 of each file); "
    "check it with\n`sfaccess verify DIR`.  Use a fresh DIR per run: "
    "files the manifest does not\nlist fail verification.\n\n"
    "--allow-incomplete  report on a snapshot that did not finish "
    "(asked for by id)\n\n"
    "`report changes` writes the changes between two snapshots of one "
    "org (defaults\nas for `sfaccess diff`) as changes.csv (the Change "
    "CSV), changes.html,\nchanges.junit.xml (a failing testcase per "
    "change not approved by a grant,\nrevoke or set_status row of "
    "--approved CHANGES.csv) and changes.json.\n"
    "--fail-on-changes  exit 3 when there are changes\n\n"
    "       sfaccess report permissions [--privileged | --all] [--object "
    "O]\n"
    "                              [--snapshot ID] --format "
    "csv|html|json|all --out DIR\n\n"
    "`report permissions` writes the effective permissions of every user "
    "with\nwho-can's columns (permissions.csv, permissions.html, "
    "permissions.json):\nthe privileged ones (the default; the tier list "
    "and [privileged] of the\nconfiguration), or --all; --object narrows "
    "object and field rows to one object.\n";

/* What a format writer is given. */
typedef struct job {
	sfa_store *st;
	long long id;
	const char *hostname;
	long long findings; /* JUnit: failing testcases */
	sfa_diff *diff;	    /* report changes */
	const sfa_approvals *approved;
	const sfa_perm_report *perm; /* report permissions */
} job;

/* A writer that hashes what it writes fills *d; the others leave it. */
typedef int (*write_fn)(job *j, FILE *f, long long *rows, sfa_file_digest *d,
			sfa_err *err);

static int write_csv(job *j, FILE *f, long long *rows, sfa_file_digest *d,
		     sfa_err *err)
{
	return sfa_report_access_csv(j->st, j->id, NULL, f, rows, d, err);
}

static int write_html(job *j, FILE *f, long long *rows, sfa_file_digest *d,
		      sfa_err *err)
{
	(void)d;
	return sfa_report_access_html(j->st, j->id, f, rows, err);
}

static int write_junit(job *j, FILE *f, long long *rows, sfa_file_digest *d,
		       sfa_err *err)
{
	(void)d;
	return sfa_report_access_junit(j->st, j->id, j->hostname, f, rows,
				       &j->findings, err);
}

static int write_json(job *j, FILE *f, long long *rows, sfa_file_digest *d,
		      sfa_err *err)
{
	(void)d;
	return sfa_report_access_json(j->st, j->id, NULL, f, rows, err);
}

static int write_changes_csv(job *j, FILE *f, long long *rows,
			     sfa_file_digest *d, sfa_err *err)
{
	return sfa_report_changes_csv(j->diff, f, rows, d, err);
}

static int write_changes_html(job *j, FILE *f, long long *rows,
			      sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_changes_html(j->st, j->diff, f, rows, err);
}

static int write_changes_junit(job *j, FILE *f, long long *rows,
			       sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_changes_junit(j->st, j->diff, j->approved,
					j->hostname, f, rows, &j->findings,
					err);
}

static int write_changes_json(job *j, FILE *f, long long *rows,
			      sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_changes_json(j->st, j->diff, f, rows, err);
}

static int write_perm_csv(job *j, FILE *f, long long *rows,
			  sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_perm_csv(j->perm, f, rows, err);
}

static int write_perm_html(job *j, FILE *f, long long *rows,
			   sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_perm_html(j->perm, f, rows, err);
}

static int write_perm_json(job *j, FILE *f, long long *rows,
			   sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_perm_json(j->perm, f, rows, err);
}

/* The formats in the order they are written; the bit is the --format
 * value's.  rows_noun says what the row count of the file counts. */
static const struct format {
	const char *name, *file, *rows_noun;
	write_fn write;
} formats[] = {
    {"csv", "access-review.csv", "access rows", write_csv},
    {"html", "access-review.html", "access rows", write_html},
    {"junit", "access-review.junit.xml", "testcases", write_junit},
    {"json", "access-review.json", "access rows", write_json},
};
#define NFORMATS ((int)(sizeof(formats) / sizeof(formats[0])))

/* The change report's files, in the same order as formats[]. */
static const struct format change_formats[] = {
    {"csv", "changes.csv", "changes", write_changes_csv},
    {"html", "changes.html", "changes", write_changes_html},
    {"junit", "changes.junit.xml", "testcases", write_changes_junit},
    {"json", "changes.json", "changes", write_changes_json},
};

/* The permission report's files; it has no JUnit form. */
#define JUNIT_BIT (1u << 2)
static const struct format perm_formats[] = {
    {"csv", "permissions.csv", "permission rows", write_perm_csv},
    {"html", "permissions.html", "permission rows", write_perm_html},
    {"junit", NULL, NULL, NULL}, /* never picked: JUNIT_BIT */
    {"json", "permissions.json", "permission rows", write_perm_json},
};

/* Turns the --format values into bits of formats[]; 0 after an error. */
static unsigned parse_formats(const sfa_optlist *l)
{
	unsigned bits = 0;
	int i, k;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], "all") == 0) {
			bits |= (1u << NFORMATS) - 1;
			continue;
		}
		for (k = 0; k < NFORMATS; k++)
			if (strcmp(l->v[i], formats[k].name) == 0)
				break;
		if (k == NFORMATS) {
			sfa_cli_errorf("report: --format `%s` is not one of "
				       "csv, html, junit, json, all",
				       l->v[i]);
			return 0;
		}
		bits |= 1u << k;
	}
	return bits;
}

static int make_dir(const char *dir)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	sfa_cli_errorf("report: --out %s: %s", dir, strerror(errno));
	return -1;
}

/* Writes one format into dir and adds it to the manifest. */
static int write_one(const struct format *fmt, job *j, const char *dir,
		     sfa_manifest *m, sfa_err *err)
{
	char path[4096];
	long long rows = 0;
	sfa_file_digest d = {0, ""};
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, fmt->file);
	f = fopen(path, "wb");
	if (!f)
		return sfa_err_set(err, SFA_EIO, "cannot write %s: %s", path,
				   strerror(errno));
	rc = fmt->write(j, f, &rows, &d, err);
	if (fclose(f) != 0 && rc == 0)
		rc = sfa_err_set(err, SFA_EIO, "cannot write %s: %s", path,
				 strerror(errno));
	if (rc) {
		remove(path); /* no half-written evidence */
		return rc;
	}
	rc = d.sha256[0] ? sfa_manifest_add_hashed(m, fmt->file, rows, d.bytes,
						   d.sha256, err)
			 : sfa_manifest_add_file(m, dir, fmt->file, rows, err);
	if (rc)
		return rc;
	if (fmt->write == write_junit || fmt->write == write_changes_junit)
		printf("%s: %lld %s, %lld finding%s\n", path, rows,
		       fmt->rows_noun, j->findings,
		       j->findings == 1 ? "" : "s");
	else
		printf("%s: %lld %s\n", path, rows, fmt->rows_noun);
	return 0;
}

/* Writes the formats of fmts (formats[] or change_formats[]) picked in
 * bits, stopping at the first failure; *files counts those attempted. */
static int write_all(const struct format *fmts, unsigned bits, job *j,
		     const char *dir, sfa_manifest *m, int *files, sfa_err *err)
{
	int k, rc = 0;

	for (k = 0; k < NFORMATS && rc == 0; k++)
		if (bits & (1u << k)) {
			rc = write_one(&fmts[k], j, dir, m, err);
			(*files)++;
		}
	return rc;
}

/* Resolves the snapshot (id 0: the latest complete one) and refuses an
 * incomplete one unless allowed. */
static int pick_snapshot(sfa_store *st, long long id, int allow,
			 sfa_snapinfo *si, sfa_err *err)
{
	int rc;

	if (!id && (rc = sfa_store_latest_complete(st, NULL, 0, &id, err)))
		return rc;
	if ((rc = sfa_snapinfo_load(si, st, id, err)))
		return rc;
	if (!sfa_snapinfo_complete(si) && !allow)
		return sfa_err_set(err, SFA_EINPUT,
				   "snapshot %lld is %s (it did not finish); "
				   "pass --allow-incomplete to report on it "
				   "anyway",
				   id, si->status ? si->status : "incomplete");
	return 0;
}

static int report_access(sfa_cli *cli, long long snap, int allow, unsigned bits,
			 const char *dir)
{
	sfa_store *st = NULL;
	sfa_manifest *m = NULL;
	sfa_snapinfo si = {0};
	sfa_err err;
	char host[256] = "";
	job j = {0};
	int rc, files = 0;

	sfa_err_clear(&err);
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (rc = pick_snapshot(st, snap, allow, &si, &err)))
		goto out;
	if (make_dir(dir)) {
		rc = SFA_EINPUT;
		goto quiet;
	}
	if (!sfa_snapinfo_complete(&si))
		sfa_cli_info(cli,
			     "report: snapshot %lld is incomplete; the "
			     "report may miss access",
			     si.id);
	if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	j = (job){st, si.id, host, 0, NULL, NULL, NULL};
	if ((rc = sfa_manifest_new(&m, "access_review", &err)) ||
	    (rc = sfa_manifest_add_snapshot(m, &si, "reviewed", &err)))
		goto out;
	rc = write_all(formats, bits, &j, dir, m, &files, &err);
	if (rc == 0 && (rc = sfa_manifest_write(m, dir, &err)) == 0)
		printf("%s/%s: %d file%s of snapshot %lld\n", dir,
		       SFA_MANIFEST_NAME, files, files == 1 ? "" : "s", si.id);
out:
	if (rc)
		sfa_cli_error(cli, &err);
quiet:
	if (rc)
		rc = sfa_cli_exit_for(rc);
	sfa_manifest_free(m);
	sfa_snapinfo_clear(&si);
	sfa_store_free(st);
	return rc;
}

/* Options of `report permissions`. */
typedef struct perm_opts {
	const char *snap, *object;
	int privileged, all;
} perm_opts;

static int report_permissions(sfa_cli *cli, const perm_opts *o, unsigned bits,
			      const char *dir)
{
	sfa_perm_cli pc = {0};
	sfa_manifest *m = NULL;
	sfa_snapinfo si = {0};
	sfa_perm_report pr = {0};
	sfa_err err;
	job j = {0};
	int rc, files = 0;

	sfa_err_clear(&err);
	if ((rc = sfa_perm_cli_open(cli, "report permissions", o->snap, &pc)))
		goto done;
	if ((rc = sfa_snapinfo_load(&si, pc.st, pc.id, &err)))
		goto out;
	if (make_dir(dir)) {
		rc = SFA_EINPUT;
		goto quiet;
	}
	pr = (sfa_perm_report){pc.perm, &si, o->all, o->object};
	j.st = pc.st;
	j.id = si.id;
	j.perm = &pr;
	if ((rc = sfa_manifest_new(&m, "permissions", &err)) ||
	    (rc = sfa_manifest_add_snapshot(m, &si, "reviewed", &err)))
		goto out;
	rc = write_all(perm_formats, bits & ~JUNIT_BIT, &j, dir, m, &files,
		       &err);
	if (rc == 0 && (rc = sfa_manifest_write(m, dir, &err)) == 0)
		printf("%s/%s: %d file%s of snapshot %lld\n", dir,
		       SFA_MANIFEST_NAME, files, files == 1 ? "" : "s", si.id);
out:
	if (rc)
		sfa_cli_error(cli, &err);
quiet:
	if (rc)
		rc = sfa_cli_exit_for(rc);
done:
	sfa_manifest_free(m);
	sfa_snapinfo_clear(&si);
	sfa_perm_cli_close(&pc);
	return rc;
}

/* Options of `report changes`. */
typedef struct change_opts {
	sfa_diff_pick pick;
	const char *approved;
	int fail_on_changes;
} change_opts;

static int report_changes(sfa_cli *cli, const change_opts *o, unsigned bits,
			  const char *dir)
{
	sfa_store *st = NULL;
	sfa_manifest *m = NULL;
	sfa_snapinfo a = {0}, b = {0};
	sfa_approvals *ap = NULL;
	sfa_diff *d = NULL;
	long long from = 0, to = 0;
	char host[256] = "";
	sfa_err err;
	job j = {0};
	int rc, files = 0;

	sfa_err_clear(&err);
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (rc = sfa_diff_resolve(st, &o->pick, &from, &to, &err)) ||
	    (rc = sfa_snapinfo_load(&a, st, from, &err)) ||
	    (rc = sfa_snapinfo_load(&b, st, to, &err)) ||
	    (rc = sfa_diff_open(&d, st, from, to, &err)) ||
	    (o->approved &&
	     (rc = sfa_approvals_load(&ap, st, d, o->approved, &err))))
		goto out;
	if (make_dir(dir)) {
		rc = SFA_EINPUT;
		goto quiet;
	}
	if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	j = (job){st, to, host, 0, d, ap, NULL};
	if ((rc = sfa_manifest_new(&m, "changes", &err)) ||
	    (rc = sfa_manifest_add_snapshot(m, &a, "from", &err)) ||
	    (rc = sfa_manifest_add_snapshot(m, &b, "to", &err)))
		goto out;
	rc = write_all(change_formats, bits, &j, dir, m, &files, &err);
	if (rc == 0 && (rc = sfa_manifest_write(m, dir, &err)) == 0)
		printf("%s/%s: %d file%s, %lld changes from snapshot %lld to "
		       "snapshot %lld\n",
		       dir, SFA_MANIFEST_NAME, files, files == 1 ? "" : "s",
		       sfa_diff_total(d), from, to);
out:
	if (rc)
		sfa_cli_error(cli, &err);
quiet:
	if (rc)
		rc = sfa_cli_exit_for(rc);
	else if (o->fail_on_changes && sfa_diff_total(d) > 0)
		rc = SFA_EXIT_CHANGES;
	sfa_manifest_free(m);
	sfa_approvals_free(ap);
	sfa_diff_free(d);
	sfa_snapinfo_clear(&a);
	sfa_snapinfo_clear(&b);
	sfa_store_free(st);
	return rc;
}

int cmd_report(sfa_cli *cli, int argc, char **argv)
{
	const char *snap = NULL, *out = NULL, *from = NULL, *to = NULL;
	sfa_optlist fmts = {0};
	int allow = 0;
	change_opts co = {{0, 0, 0}, NULL, 0};
	perm_opts po = {NULL, NULL, 0, 0};
	const sfa_opt opts[] = {
	    {"snapshot", SFA_OPT_STRING, &snap},
	    {"approved", SFA_OPT_STRING, &co.approved},
	    {"fail-on-changes", SFA_OPT_FLAG, &co.fail_on_changes},
	    {"format", SFA_OPT_LIST, &fmts},
	    {"out", SFA_OPT_STRING, &out},
	    {"allow-incomplete", SFA_OPT_FLAG, &allow},
	    {"from", SFA_OPT_STRING, &from},
	    {"to", SFA_OPT_STRING, &to},
	    {"privileged", SFA_OPT_FLAG, &po.privileged},
	    {"all", SFA_OPT_FLAG, &po.all},
	    {"object", SFA_OPT_STRING, &po.object},
	    {NULL, 0, NULL}};
	unsigned bits;
	long long id = 0;
	int npos, help, rc;

	if ((rc = sfa_opts_parse("report", opts, argc, argv, &npos, &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1 || (strcmp(argv[1], "access") != 0 &&
			  strcmp(argv[1], "changes") != 0 &&
			  strcmp(argv[1], "permissions") != 0)) {
		sfa_cli_errorf("report: expected `report access`, `report "
			       "changes` or `report permissions` (see "
			       "`sfaccess report --help`)");
		return SFA_EXIT_USAGE;
	}
	if (strcmp(argv[1], "permissions") != 0 &&
	    (po.privileged || po.all || po.object)) {
		sfa_cli_errorf("report %s: --privileged, --all and --object "
			       "belong to `report permissions`",
			       argv[1]);
		return SFA_EXIT_USAGE;
	}
	if (strcmp(argv[1], "permissions") == 0) {
		int i;

		if (po.privileged && po.all) {
			sfa_cli_errorf("report permissions: --privileged and "
				       "--all exclude each other");
			return SFA_EXIT_USAGE;
		}
		if (co.approved || co.fail_on_changes || from || to ||
		    allow) {
			sfa_cli_errorf("report permissions: takes --snapshot, "
				       "--privileged, --all, --object, "
				       "--format and --out only");
			return SFA_EXIT_USAGE;
		}
		for (i = 0; i < fmts.n; i++)
			if (strcmp(fmts.v[i], "junit") == 0) {
				sfa_cli_errorf("report permissions: --format "
					       "junit is not one of csv, "
					       "html, json, all");
				return SFA_EXIT_USAGE;
			}
	}
	if (strcmp(argv[1], "changes") == 0 && snap) {
		sfa_cli_errorf("report changes: --snapshot belongs to `report "
			       "access`; use --from ID and --to ID");
		return SFA_EXIT_USAGE;
	}
	if (strcmp(argv[1], "access") == 0 &&
	    (co.approved || co.fail_on_changes)) {
		sfa_cli_errorf("report access: --approved and "
			       "--fail-on-changes belong to `report changes`");
		return SFA_EXIT_USAGE;
	}
	if (strcmp(argv[1], "access") == 0 && (from || to)) {
		sfa_cli_errorf("report access: --from/--to belong to `report "
			       "changes`; use --snapshot ID");
		return SFA_EXIT_USAGE;
	}
	if (!out) {
		sfa_cli_errorf("report: --out DIR is required");
		return SFA_EXIT_USAGE;
	}
	if (fmts.n == 0) {
		sfa_cli_errorf("report: --format is required (csv, html, "
			       "junit, json or all)");
		return SFA_EXIT_USAGE;
	}
	if (!(bits = parse_formats(&fmts)))
		return SFA_EXIT_USAGE;
	if (strcmp(argv[1], "changes") == 0) {
		co.pick.allow_incomplete = allow;
		if ((from && sfa_cli_parse_id("--from", from, &co.pick.from)) ||
		    (to && sfa_cli_parse_id("--to", to, &co.pick.to)))
			return SFA_EXIT_USAGE;
		return report_changes(cli, &co, bits, out);
	}
	if (strcmp(argv[1], "permissions") == 0) {
		po.snap = snap;
		return report_permissions(cli, &po, bits, out);
	}
	if (snap && sfa_cli_parse_id("--snapshot", snap, &id))
		return SFA_EXIT_USAGE;
	return report_access(cli, id, allow, bits, out);
}
