/*
 * report_files.c - the table of report files and their writers
 * (report_files.h).
 */
#include "report_files.h"

#include <errno.h>
#include <string.h>

#include "report_csv.h"
#include "report_html.h"
#include "report_json.h"
#include "report_junit.h"
#include "report_perm.h"
#include "snapinfo.h"
#include "store_evidence.h"

int sfa_report_ctx_init(sfa_report_ctx *c, sfa_store *st, long long id,
			sfa_err *err)
{
	json_t *ev = NULL;
	const char *host;
	int rc;

	memset(c, 0, sizeof(*c));
	c->st = st;
	c->id = id;
	if ((rc = sfa_store_get_evidence(st, id, &ev, err)))
		return rc;
	host = json_string_value(
	    json_object_get(json_object_get(ev, "provenance"), "host"));
	snprintf(c->hostname, sizeof(c->hostname), "%s",
		 host && *host ? host : "localhost");
	json_decref(ev);
	return 0;
}

static int access_csv(sfa_report_ctx *c, FILE *f, long long *rows,
		      sfa_file_digest *d, sfa_err *err)
{
	return sfa_report_access_csv(c->st, c->id, NULL, f, rows, d, err);
}

static int access_html(sfa_report_ctx *c, FILE *f, long long *rows,
		       sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_access_html(c->st, c->id, f, rows, err);
}

static int access_junit(sfa_report_ctx *c, FILE *f, long long *rows,
			sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_access_junit(c->st, c->id, c->hostname, f, rows,
				       &c->findings, err);
}

static int access_json(sfa_report_ctx *c, FILE *f, long long *rows,
		       sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_access_json(c->st, c->id, NULL, f, rows, err);
}

static int changes_csv(sfa_report_ctx *c, FILE *f, long long *rows,
		       sfa_file_digest *d, sfa_err *err)
{
	return sfa_report_changes_csv(c->diff, f, rows, d, err);
}

static int changes_html(sfa_report_ctx *c, FILE *f, long long *rows,
			sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_changes_html(c->st, c->diff, f, rows, err);
}

static int changes_junit(sfa_report_ctx *c, FILE *f, long long *rows,
			 sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_changes_junit(c->st, c->diff, c->approved,
					c->hostname, f, rows, &c->findings,
					err);
}

static int changes_json(sfa_report_ctx *c, FILE *f, long long *rows,
			sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return sfa_report_changes_json(c->st, c->diff, f, rows, err);
}

int sfa_report_ctx_open_perm(sfa_report_ctx *c, const sfa_report_perm_opts *o,
			     sfa_err *err)
{
	int rc;

	c->perm_opts = *o;
	if ((rc = sfa_priv_new(&c->priv, err)) ||
	    (rc = sfa_priv_configure(c->priv, o->priv_add, o->priv_ignore,
				     err)) ||
	    (rc = sfa_perm_open(&c->perm, c->st, c->id, c->priv, err))) {
		sfa_report_ctx_close_perm(c);
		return rc;
	}
	if (!sfa_perm_synced(c->perm)) {
		sfa_perm_free(c->perm);
		c->perm = NULL;
	}
	return 0;
}

void sfa_report_ctx_close_perm(sfa_report_ctx *c)
{
	sfa_perm_free(c->perm);
	sfa_priv_free(c->priv);
	c->perm = NULL;
	c->priv = NULL;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

int sfa_report_perm_opts_record(sfa_manifest *m, const sfa_report_perm_opts *o,
				sfa_err *err)
{
	json_t *v = json_pack(
	    "{ss so so so}", "rows", o->all ? "all" : "privileged", "object",
	    str_or_null(o->object), "privileged_add", str_or_null(o->priv_add),
	    "privileged_ignore", str_or_null(o->priv_ignore));

	if (!v)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return sfa_manifest_set(m, "permissions", v, err);
}

void sfa_report_perm_opts_read(json_t *man, sfa_report_perm_opts *o)
{
	json_t *p = json_object_get(man, "permissions");
	const char *rows = json_string_value(json_object_get(p, "rows"));

	o->all = rows && strcmp(rows, "all") == 0;
	o->object = json_string_value(json_object_get(p, "object"));
	o->priv_add = json_string_value(json_object_get(p, "privileged_add"));
	o->priv_ignore =
	    json_string_value(json_object_get(p, "privileged_ignore"));
}

typedef int (*perm_writer)(const sfa_perm_report *r, FILE *f, long long *rows,
			   sfa_err *err);

static int perm_file(sfa_report_ctx *c, FILE *f, long long *rows,
		     perm_writer write, sfa_err *err)
{
	sfa_snapinfo si = {0};
	sfa_perm_report pr;
	json_t *ev = NULL;
	int rc;

	if (!c->perm)
		return sfa_err_set(err, SFA_EINPUT,
				   "snapshot %lld holds no permissions", c->id);
	if ((rc = sfa_snapinfo_load(&si, c->st, c->id, err)) == 0 &&
	    (rc = sfa_store_get_evidence(c->st, c->id, &ev, err)) == 0) {
		pr = (sfa_perm_report){c->perm, &si, c->perm_opts.all,
				       c->perm_opts.object, ev};
		rc = write(&pr, f, rows, err);
	}
	json_decref(ev);
	sfa_snapinfo_clear(&si);
	return rc;
}

static int perm_csv(sfa_report_ctx *c, FILE *f, long long *rows,
		    sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return perm_file(c, f, rows, sfa_report_perm_csv, err);
}

static int perm_html(sfa_report_ctx *c, FILE *f, long long *rows,
		     sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return perm_file(c, f, rows, sfa_report_perm_html, err);
}

static int perm_json(sfa_report_ctx *c, FILE *f, long long *rows,
		     sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return perm_file(c, f, rows, sfa_report_perm_json, err);
}

static const sfa_report_file files[] = {
    {"access_review", "csv", "access-review.csv", "access rows", access_csv},
    {"access_review", "html", "access-review.html", "access rows", access_html},
    {"access_review", "junit", "access-review.junit.xml", "testcases",
     access_junit},
    {"access_review", "json", "access-review.json", "access rows", access_json},
    {"changes", "csv", "changes.csv", "changes", changes_csv},
    {"changes", "html", "changes.html", "changes", changes_html},
    {"changes", "junit", "changes.junit.xml", "testcases", changes_junit},
    {"changes", "json", "changes.json", "changes", changes_json},
    /* lib/access/PERMISSIONS.md: no JUnit form. */
    {"permissions", "csv", "permissions.csv", "permission rows", perm_csv},
    {"permissions", "html", "permissions.html", "permission rows", perm_html},
    {"permissions", "json", "permissions.json", "permission rows", perm_json},
    /* The quarterly package (EVIDENCE.md): the access review of "to",
     * the changes since "from" (only when there is one), the permission
     * report of "to" (only when it has permissions), the evidence of
     * "to", and README.txt. */
    {"evidence", "csv", "access-review.csv", "access rows", access_csv},
    {"evidence", "html", "access-review.html", "access rows", access_html},
    {"evidence", "junit", "access-review.junit.xml", "testcases", access_junit},
    {"evidence", "json", "access-review.json", "access rows", access_json},
    {"evidence", "changes", "changes.csv", "changes", changes_csv},
    {"evidence", "changes", "changes.html", "changes", changes_html},
    {"evidence", "changes", "changes.junit.xml", "testcases", changes_junit},
    {"evidence", "changes", "changes.json", "changes", changes_json},
    {"evidence", "permissions", "permissions.csv", "permission rows", perm_csv},
    {"evidence", "permissions", "permissions.html", "permission rows",
     perm_html},
    {"evidence", "permissions", "permissions.json", "permission rows",
     perm_json},
    {"evidence", "evidence", "control-totals.csv", "objects",
     sfa_evidence_control_csv},
    {"evidence", "evidence", "control-totals.json", "objects",
     sfa_evidence_control_json},
    {"evidence", "evidence", "reconciliation.csv", "groups",
     sfa_evidence_recon_csv},
    {"evidence", "evidence", "reconciliation.json", "groups",
     sfa_evidence_recon_json},
    {"evidence", "evidence", "provenance.csv", "values",
     sfa_evidence_provenance_csv},
    {"evidence", "evidence", "provenance.json", "values",
     sfa_evidence_provenance_json},
    {"evidence", "readme", "README.txt", "lines", sfa_evidence_readme},
};
#define NFILES ((int)(sizeof(files) / sizeof(files[0])))

const sfa_report_file *sfa_report_files(const char *report, int *n)
{
	int i, k;

	for (i = 0; i < NFILES && strcmp(files[i].report, report) != 0; i++)
		;
	for (k = i; k < NFILES && strcmp(files[k].report, report) == 0; k++)
		;
	*n = k - i;
	return i < NFILES ? &files[i] : NULL;
}

const sfa_report_file *sfa_report_file_find(const char *report,
					    const char *name)
{
	int i;

	for (i = 0; i < NFILES; i++)
		if (strcmp(files[i].report, report) == 0 &&
		    strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

int sfa_report_file_write(const sfa_report_file *rf, sfa_report_ctx *c,
			  const char *dir, sfa_manifest *m, long long *rows,
			  sfa_err *err)
{
	char path[4096];
	sfa_file_digest d = {0, ""};
	FILE *f;
	int rc;

	*rows = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, rf->name);
	f = fopen(path, "wb");
	if (!f)
		return sfa_err_set(err, SFA_EIO, "cannot write %s: %s", path,
				   strerror(errno));
	rc = rf->write(c, f, rows, &d, err);
	if (fclose(f) != 0 && rc == 0)
		rc = sfa_err_set(err, SFA_EIO, "cannot write %s: %s", path,
				 strerror(errno));
	if (rc) {
		remove(path); /* no half-written evidence */
		return rc;
	}
	if (!m)
		return 0;
	return d.sha256[0]
		   ? sfa_manifest_add_hashed(m, rf->name, *rows, d.bytes,
					     d.sha256, err)
		   : sfa_manifest_add_file(m, dir, rf->name, *rows, err);
}
