/*
 * report.c - `sfaccess report access`: the access review of a snapshot in
 * any of CSV, HTML, JUnit XML and JSON, written into an output directory
 * with manifest.json; `report changes`: the changes between two
 * snapshots (lib/store/diff.h) in the same formats, through the same manifest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "diff.h"
#include "perm_cli.h"
#include "report_changes.h"
#include "report_files.h"
#include "report_manifest.h"
#include "report_perm.h"
#include "report_sign.h"
#include "snapinfo.h"
#include "store.h"
#include "store_evidence.h"
#include "suggest.h"

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
    "check it with\n`sfaccess verify DIR`.  A DIR that already holds a "
    "report is refused:\n--force removes that report's files first.\n\n"
    "--allow-incomplete  report on a snapshot that did not finish "
    "(asked for by id)\n\n"
    "`report changes` writes the changes between two snapshots of one "
    "org (defaults\nas for `sfaccess diff`) as changes.csv (the Change "
    "CSV), changes.html,\nchanges.junit.xml (a failing testcase per "
    "change not approved by a grant,\nrevoke or set_status row of "
    "--approved CHANGES.csv) and changes.json.\n"
    "--fail-on-changes  exit 3 when there are changes (with --approved: "
    "changes\n                   no line approves)\n\n"
    "       sfaccess report permissions [--privileged | --all] [--object "
    "O]\n"
    "                              [--snapshot ID] --format "
    "csv|html|json|all --out DIR\n\n"
    "`report permissions` writes the effective permissions of every user "
    "with\nwho-can's columns (permissions.csv, permissions.html, "
    "permissions.json):\nthe privileged ones (the default; the tier list "
    "and [privileged] of the\nconfiguration), or --all; --object narrows "
    "object and field rows to one object.\n\n"
    "\n       sfaccess report evidence --out DIR [--from ID] [--to ID] "
    "[--sign-key KEY.pem]\n\n"
    "`report evidence` writes the quarterly package under one manifest: "
    "the access\nreview of --to (default: the latest complete snapshot) "
    "in every format, the\nchanges since --from (default: the snapshot "
    "of the previous package, else the\nsnapshot before), the control "
    "totals, reconciliation and provenance (CSV and\nJSON) and a "
    "README.txt saying how to verify it.\n\n"
    "--sign-key KEY.pem  (all three) sign manifest.json with this Ed25519 "
    "private key\n                    (mode 0600 or stricter) into "
    "manifest.json.sig; check it with\n                    `sfaccess "
    "verify DIR --pubkey KEY.pub`\n";

/* The --format values, in the order of each report's files
 * (report_files.h); a value's bit is its index. */
static const char *const format_names[] = {"csv", "html", "junit", "json"};
#define NFORMATS ((int)(sizeof(format_names) / sizeof(format_names[0])))

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
			if (strcmp(l->v[i], format_names[k]) == 0)
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

/* What the manifest in dir says it is ("access_review of snapshot 3"),
 * for the refusal below; "files" when it cannot be read. */
static void describe_report(const char *dir, char *out, size_t n)
{
	char path[4096];
	json_t *doc, *snaps, *sn;
	const char *kind;
	size_t i, k;

	snprintf(out, n, "files");
	snprintf(path, sizeof(path), "%s/%s", dir, SFA_MANIFEST_NAME);
	doc = json_load_file(path, 0, NULL);
	if (!doc)
		return;
	snaps = json_object_get(doc, "snapshots");
	kind = json_string_value(json_object_get(doc, "report"));
	k = (size_t)snprintf(out, n, "%s of snapshot", kind ? kind : "report");
	json_array_foreach(snaps, i, sn)
	{
		if (k >= n)
			break;
		k += (size_t)snprintf(
		    out + k, n - k, "%s %lld", i ? " and" : "",
		    (long long)json_integer_value(json_object_get(sn, "id")));
	}
	json_decref(doc);
}

/* Whether dir/name exists: refused unless force, which removes it.
 * *found counts the files met; returns -1 after printing an error. */
static int clear_one(const char *dir, const char *name, int force, int *found)
{
	char path[4096], what[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, F_OK) != 0)
		return 0;
	if (!(*found)++ && !force) {
		describe_report(dir, what, sizeof(what));
		sfa_cli_errorf("report: --out %s already holds a report (%s, "
			       "e.g. %s); use a new directory, or --force to "
			       "replace it",
			       dir, what, name);
		return -1;
	}
	if (force && remove(path) != 0) {
		sfa_cli_errorf("report: --force: cannot remove %s: %s", path,
			       strerror(errno));
		return -1;
	}
	return 0;
}

/* A report's files already in dir would sit beside the new ones, two
 * snapshots' evidence mixed under one manifest: refused, unless --force,
 * which removes them first (the files of every report, the manifest and
 * its signature).  Other files are left alone. */
static int check_out_dir(const char *dir, int force)
{
	static const char *const reports[] = {"access_review", "changes",
					      "permissions", "evidence"};
	size_t r;
	int i, n, found = 0;

	for (r = 0; r < sizeof(reports) / sizeof(reports[0]); r++) {
		const sfa_report_file *rf = sfa_report_files(reports[r], &n);

		for (i = 0; i < n; i++)
			if (clear_one(dir, rf[i].name, force, &found))
				return -1;
	}
	if (clear_one(dir, SFA_MANIFEST_NAME, force, &found) ||
	    clear_one(dir, SFA_SIGNATURE_NAME, force, &found))
		return -1;
	return 0;
}

/* The --format bit of a file of format name. */
static unsigned format_bit(const char *name)
{
	int k;

	for (k = 0; k < NFORMATS; k++)
		if (strcmp(name, format_names[k]) == 0)
			return 1u << k;
	return 0;
}

/* Writes the files of report picked in bits into dir and the manifest,
 * stopping at the first failure; *files counts those attempted. */
static int write_all(const char *report, unsigned bits, sfa_report_ctx *c,
		     const char *dir, sfa_manifest *m, int *files, sfa_err *err)
{
	int k, n, rc = 0;
	const sfa_report_file *rf = sfa_report_files(report, &n);

	for (k = 0; k < n && rc == 0; k++) {
		char path[4096];
		long long rows = 0;

		if (!(bits & format_bit(rf[k].format)))
			continue;
		(*files)++;
		if ((rc = sfa_report_file_write(&rf[k], c, dir, m, &rows, err)))
			break;
		snprintf(path, sizeof(path), "%s/%s", dir, rf[k].name);
		if (strcmp(rf[k].format, "junit") == 0)
			printf("%s: %lld %s, %lld finding%s\n", path, rows,
			       rf[k].rows_noun, c->findings,
			       c->findings == 1 ? "" : "s");
		else
			printf("%s: %lld %s\n", path, rows, rf[k].rows_noun);
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

/* Writes the manifest, then (with a key) its signature. */
static int finish_manifest(sfa_manifest *m, const sfa_sign_key *key,
			   const char *dir, sfa_err *err)
{
	int rc;

	if (key && (rc = sfa_manifest_set_signer(m, sfa_sign_key_id(key), err)))
		return rc;
	if ((rc = sfa_manifest_write(m, dir, err)))
		return rc;
	return key ? sfa_manifest_sign(dir, key, err) : 0;
}

static int report_access(sfa_cli *cli, long long snap, int allow, unsigned bits,
			 const char *dir, int force, const sfa_sign_key *key)
{
	sfa_store *st = NULL;
	sfa_manifest *m = NULL;
	sfa_snapinfo si = {0};
	json_t *ev = NULL;
	sfa_err err;
	sfa_report_ctx c;
	int rc, files = 0;

	sfa_err_clear(&err);
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (rc = pick_snapshot(st, snap, allow, &si, &err)))
		goto out;
	if (make_dir(dir) || check_out_dir(dir, force)) {
		rc = SFA_EINPUT;
		goto quiet;
	}
	if (!sfa_snapinfo_complete(&si))
		sfa_cli_info(cli,
			     "report: snapshot %lld is incomplete; the "
			     "report may miss access",
			     si.id);
	if ((rc = sfa_report_ctx_init(&c, st, si.id, &err)) ||
	    (rc = sfa_manifest_new(&m, "access_review", &err)) ||
	    (rc = sfa_manifest_add_snapshot(m, &si, "reviewed", &err)) ||
	    (rc = sfa_store_get_evidence(st, si.id, &ev, &err)) ||
	    (rc = sfa_manifest_set_evidence(m, ev, &err)))
		goto out;
	rc = write_all("access_review", bits, &c, dir, m, &files, &err);
	if (rc == 0 && (rc = finish_manifest(m, key, dir, &err)) == 0)
		printf("%s/%s: %d file%s of snapshot %lld\n", dir,
		       SFA_MANIFEST_NAME, files, files == 1 ? "" : "s", si.id);
out:
	if (rc)
		sfa_cli_error(cli, &err);
quiet:
	if (rc)
		rc = sfa_cli_exit_for(rc);
	sfa_manifest_free(m);
	json_decref(ev);
	sfa_snapinfo_clear(&si);
	sfa_store_free(st);
	return rc;
}

/* Options of `report changes`. */
typedef struct change_opts {
	sfa_diff_pick pick;
	const char *approved;
	int fail_on_changes;
	int force; /* --force: replace a report already in --out */
} change_opts;

/* Counts the changes that no line of the approvals approves: with
 * --approved, --fail-on-changes is a CI gate on what nobody reviewed, the
 * same changes the JUnit report fails. */
struct unapproved {
	const sfa_approvals *ap;
	long long n;
};

static int count_unapproved(void *ud, const sfa_diff_change *c)
{
	struct unapproved *u = ud;

	if (!sfa_approvals_match(u->ap, c))
		u->n++;
	return 0;
}

static int report_changes(sfa_cli *cli, const change_opts *o, unsigned bits,
			  const char *dir, const sfa_sign_key *key)
{
	sfa_store *st = NULL;
	sfa_manifest *m = NULL;
	sfa_snapinfo a = {0}, b = {0};
	sfa_approvals *ap = NULL;
	sfa_diff *d = NULL;
	long long from = 0, to = 0;
	json_t *ev = NULL;
	sfa_report_ctx c;
	sfa_err err;
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
	if (make_dir(dir) || check_out_dir(dir, o->force)) {
		rc = SFA_EINPUT;
		goto quiet;
	}
	if ((rc = sfa_report_ctx_init(&c, st, to, &err)))
		goto out;
	c.diff = d;
	c.approved = ap;
	if ((rc = sfa_manifest_new(&m, "changes", &err)) ||
	    (o->approved &&
	     (rc = sfa_manifest_set_approved(m, o->approved, &err))) ||
	    (rc = sfa_manifest_add_snapshot(m, &a, "from", &err)) ||
	    (rc = sfa_manifest_add_snapshot(m, &b, "to", &err)) ||
	    (rc = sfa_store_get_evidence(st, to, &ev, &err)) ||
	    (rc = sfa_manifest_set_evidence(m, ev, &err)))
		goto out;
	rc = write_all("changes", bits, &c, dir, m, &files, &err);
	if (rc == 0 && (rc = finish_manifest(m, key, dir, &err)) == 0)
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
	else if (o->fail_on_changes && sfa_diff_total(d) > 0) {
		struct unapproved u = {ap, 0};

		if (ap && (rc = sfa_diff_each(d, count_unapproved, &u, &err))) {
			sfa_cli_error(cli, &err);
			rc = sfa_cli_exit_for(rc);
		} else if (!ap || u.n > 0) {
			rc = SFA_EXIT_CHANGES;
		}
	}
	sfa_manifest_free(m);
	json_decref(ev);
	sfa_approvals_free(ap);
	sfa_diff_free(d);
	sfa_snapinfo_clear(&a);
	sfa_snapinfo_clear(&b);
	sfa_store_free(st);
	return rc;
}

/* The snapshots of a package: to (default the latest complete), from
 * (default the last package's snapshot, else the complete snapshot
 * before to; 0 when there is none: the package has no changes). */
static int package_snapshots(sfa_store *st, long long *from, long long *to,
			     sfa_snapinfo *b, sfa_err *err)
{
	sfa_diff_pick pick = {0, 0, 0};
	long long to2 = 0;
	int rc;

	if (!*to && (rc = sfa_store_latest_complete(st, NULL, 0, to, err)))
		return rc;
	if ((rc = pick_snapshot(st, *to, 0, b, err)))
		return rc;
	if (!*from &&
	    (rc = sfa_store_package_last(st, b->org_id, *to, from, err)))
		return rc;
	pick.from = *from;
	pick.to = *to;
	rc = sfa_diff_resolve(st, &pick, from, &to2, err);
	if (rc == SFA_EINPUT && !pick.from) {
		/* The first snapshot of its org: nothing to compare with. */
		sfa_err_clear(err);
		*from = 0;
		return 0;
	}
	return rc;
}

/* The [privileged] list of the configuration, for the permission files. */
static sfa_report_perm_opts config_perm_opts(const sfa_cli *cli, int all,
					     const char *object)
{
	sfa_report_perm_opts o = {all, object, NULL, NULL};

	o.priv_add = sfa_config_get(cli->config, "privileged", "add");
	o.priv_ignore = sfa_config_get(cli->config, "privileged", "ignore");
	return o;
}

/* report evidence: the quarterly package (EVIDENCE.md). */
static int report_evidence(sfa_cli *cli, long long from, long long to,
			   const char *dir, int force, const sfa_sign_key *key)
{
	sfa_store *st = NULL;
	sfa_manifest *m = NULL;
	sfa_snapinfo a = {0}, b = {0};
	sfa_diff *d = NULL;
	json_t *ev = NULL;
	sfa_report_ctx c;
	sfa_report_perm_opts po = config_perm_opts(cli, 0, NULL);
	const sfa_report_file *rf;
	char mpath[4096], sha[65];
	long long bytes = 0;
	sfa_err err;
	int rc, k, n, files = 0;

	sfa_err_clear(&err);
	memset(&c, 0, sizeof(c));
	if ((rc = sfa_store_open(&st, cli->store_path, 0, &err)) ||
	    (rc = package_snapshots(st, &from, &to, &b, &err)) ||
	    (from && (rc = sfa_snapinfo_load(&a, st, from, &err))) ||
	    (from && (rc = sfa_diff_open(&d, st, from, to, &err))))
		goto out;
	if (make_dir(dir) || check_out_dir(dir, force)) {
		rc = SFA_EINPUT;
		goto quiet;
	}
	if ((rc = sfa_report_ctx_init(&c, st, to, &err)))
		goto out;
	c.diff = d;
	c.from = from;
	if ((rc = sfa_report_ctx_open_perm(&c, &po, &err)) ||
	    (rc = sfa_manifest_new(&m, "evidence", &err)) ||
	    (from && (rc = sfa_manifest_add_snapshot(m, &a, "from", &err))) ||
	    (rc = sfa_manifest_add_snapshot(m, &b, "to", &err)) ||
	    (c.perm && (rc = sfa_report_perm_opts_record(m, &po, &err))) ||
	    (rc = sfa_store_get_evidence(st, to, &ev, &err)) ||
	    (rc = sfa_manifest_set_evidence(m, ev, &err)))
		goto out;
	rf = sfa_report_files("evidence", &n);
	for (k = 0; k < n && rc == 0; k++) {
		long long rows = 0;

		if ((!d && strcmp(rf[k].format, "changes") == 0) ||
		    (!c.perm && strcmp(rf[k].format, "permissions") == 0))
			continue;
		rc = sfa_report_file_write(&rf[k], &c, dir, m, &rows, &err);
		files++;
	}
	/* The diff's read transaction ends before the store records the
	 * package. */
	sfa_diff_free(d);
	d = NULL;
	snprintf(mpath, sizeof(mpath), "%s/%s", dir, SFA_MANIFEST_NAME);
	if (rc || (rc = finish_manifest(m, key, dir, &err)) ||
	    (rc = sfa_sha256_file(mpath, sha, &bytes, &err)) ||
	    (rc = sfa_store_package_put(st, b.org_id, to, from, sha, &err)))
		goto out;
	printf("%s/%s: evidence package of snapshot %lld, %d files", dir,
	       SFA_MANIFEST_NAME, to, files);
	if (from)
		printf(", changes since snapshot %lld", from);
	printf("%s\n", key ? ", signed" : "");
out:
	if (rc)
		sfa_cli_error(cli, &err);
quiet:
	if (rc)
		rc = sfa_cli_exit_for(rc);
	sfa_diff_free(d);
	sfa_manifest_free(m);
	json_decref(ev);
	sfa_snapinfo_clear(&a);
	sfa_snapinfo_clear(&b);
	sfa_report_ctx_close_perm(&c);
	sfa_store_free(st);
	return rc;
}

/* Options of `report permissions`. */
typedef struct perm_opts {
	const char *snap, *object;
	int privileged, all;
} perm_opts;

static int report_permissions(sfa_cli *cli, const perm_opts *o, unsigned bits,
			      const char *dir, int force,
			      const sfa_sign_key *key)
{
	sfa_perm_cli pc = {0};
	sfa_manifest *m = NULL;
	sfa_snapinfo si = {0};
	sfa_report_perm_opts po = config_perm_opts(cli, o->all, o->object);
	sfa_report_ctx c;
	json_t *ev = NULL;
	sfa_err err;
	int rc, files = 0;

	sfa_err_clear(&err);
	memset(&c, 0, sizeof(c));
	if ((rc = sfa_perm_cli_open(cli, "report permissions", o->snap, &pc)))
		goto done;
	if ((rc = sfa_snapinfo_load(&si, pc.st, pc.id, &err)))
		goto out;
	if (make_dir(dir) || check_out_dir(dir, force)) {
		rc = SFA_EINPUT;
		goto quiet;
	}
	if ((rc = sfa_report_ctx_init(&c, pc.st, pc.id, &err)) ||
	    (rc = sfa_report_ctx_open_perm(&c, &po, &err)) ||
	    (rc = sfa_manifest_new(&m, "permissions", &err)) ||
	    (rc = sfa_manifest_add_snapshot(m, &si, "reviewed", &err)) ||
	    (rc = sfa_report_perm_opts_record(m, &po, &err)) ||
	    (rc = sfa_store_get_evidence(pc.st, si.id, &ev, &err)) ||
	    (rc = sfa_manifest_set_evidence(m, ev, &err)))
		goto out;
	rc = write_all("permissions", bits, &c, dir, m, &files, &err);
	if (rc == 0 && (rc = finish_manifest(m, key, dir, &err)) == 0)
		printf("%s/%s: %d file%s of snapshot %lld\n", dir,
		       SFA_MANIFEST_NAME, files, files == 1 ? "" : "s", si.id);
out:
	if (rc)
		sfa_cli_error(cli, &err);
quiet:
	if (rc)
		rc = sfa_cli_exit_for(rc);
done:
	sfa_report_ctx_close_perm(&c);
	json_decref(ev);
	sfa_manifest_free(m);
	sfa_snapinfo_clear(&si);
	sfa_perm_cli_close(&pc);
	return rc;
}

int cmd_report(sfa_cli *cli, int argc, char **argv)
{
	const char *snap = NULL, *out = NULL, *from = NULL, *to = NULL,
		   *sign_key = NULL;
	sfa_optlist fmts = {0};
	int allow = 0;
	change_opts co = {{0, 0, 0}, NULL, 0, 0};
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
	    {"sign-key", SFA_OPT_STRING, &sign_key},
	    {"force", SFA_OPT_FLAG, &co.force},
	    {"privileged", SFA_OPT_FLAG, &po.privileged},
	    {"all", SFA_OPT_FLAG, &po.all},
	    {"object", SFA_OPT_STRING, &po.object},
	    {NULL, 0, NULL}};
	unsigned bits = 0;
	sfa_sign_key *key = NULL;
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
			  strcmp(argv[1], "evidence") != 0 &&
			  strcmp(argv[1], "permissions") != 0)) {
		sfa_suggest sg;

		sfa_suggest_init(&sg, npos ? argv[1] : "");
		sfa_suggest_offer(&sg, "access");
		sfa_suggest_offer(&sg, "changes");
		sfa_suggest_offer(&sg, "evidence");
		sfa_suggest_offer(&sg, "permissions");
		if (npos == 1 && sg.best) {
			sfa_cli_errorf("report: unknown report `%s`; did you "
				       "mean `report %s`?",
				       argv[1], sg.best);
			return SFA_EXIT_USAGE;
		}
		sfa_cli_errorf("report: expected `report access`, `report "
			       "changes`, `report evidence` or `report "
			       "permissions` (see `sfaccess report --help`)");
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
		if (co.approved || co.fail_on_changes || from || to || allow) {
			sfa_cli_errorf("report permissions: takes --snapshot, "
				       "--privileged, --all, --object, "
				       "--format, --out, --force and "
				       "--sign-key only");
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
	if (strcmp(argv[1], "evidence") == 0 &&
	    (snap || fmts.n || co.approved || co.fail_on_changes || allow)) {
		sfa_cli_errorf("report evidence: takes --out, --from, --to and "
			       "--sign-key only (it writes every format)");
		return SFA_EXIT_USAGE;
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
	if (fmts.n == 0 && strcmp(argv[1], "evidence") != 0) {
		sfa_cli_errorf("report: --format is required (csv, html, "
			       "junit, json or all)");
		return SFA_EXIT_USAGE;
	}
	if (fmts.n && !(bits = parse_formats(&fmts)))
		return SFA_EXIT_USAGE;
	if (strcmp(argv[1], "access") != 0) {
		co.pick.allow_incomplete = allow;
		if ((from && sfa_cli_parse_id("--from", from, &co.pick.from)) ||
		    (to && sfa_cli_parse_id("--to", to, &co.pick.to)))
			return SFA_EXIT_USAGE;
	} else if (snap && sfa_cli_parse_id("--snapshot", snap, &id)) {
		return SFA_EXIT_USAGE;
	}
	/* A key that cannot sign is refused before anything is written. */
	if (sign_key) {
		sfa_err err;

		sfa_err_clear(&err);
		if ((rc = sfa_sign_key_load(&key, sign_key, &err))) {
			sfa_cli_error(cli, &err);
			return sfa_cli_exit_for(rc);
		}
	}
	po.snap = snap;
	if (strcmp(argv[1], "permissions") == 0)
		rc = report_permissions(cli, &po, bits, out, co.force, key);
	else if (strcmp(argv[1], "evidence") == 0)
		rc = report_evidence(cli, co.pick.from, co.pick.to, out,
				     co.force, key);
	else if (strcmp(argv[1], "changes") == 0)
		rc = report_changes(cli, &co, bits, out, key);
	else
		rc = report_access(cli, id, allow, bits, out, co.force, key);
	sfa_sign_key_free(key);
	return rc;
}
