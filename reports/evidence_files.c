/*
 * evidence_files.c - the files of the quarterly evidence package that are
 * not reports of their own (EVIDENCE.md, "The quarterly package"): the
 * snapshot's control totals, reconciliation and provenance as CSV and
 * JSON, and README.txt.  Each is written from the store alone, so
 * verify --store writes it again byte for byte.
 */
#include "report_evidence.h"
#include "report_files.h"

#include <string.h>

#include "csv_io.h"
#include "store_evidence.h"

/* One cell of a JSON value: strings as they are, numbers and booleans
 * printed, objects (the excluded counts) as compact JSON. */
static int put_cell(sfa_csv *w, const json_t *v)
{
	char buf[32];
	char *text;
	int rc;

	if (json_is_string(v))
		return sfa_csv_field(w, json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return sfa_csv_field(w, buf);
	}
	if (json_is_boolean(v))
		return sfa_csv_field(w, json_is_true(v) ? "true" : "false");
	if (!json_is_object(v))
		return sfa_csv_field(w, NULL);
	text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	rc = sfa_csv_field(w, text);
	free(text);
	return rc;
}

/* rows (an array of objects) as CSV with keys as the columns. */
static int table_csv(FILE *f, const json_t *rows, const char *const *keys,
		     int nkeys, long long *n, sfa_err *err)
{
	sfa_csv *w = NULL;
	const json_t *r;
	size_t i;
	int k, rc;

	if ((rc = sfa_csv_new(&w, f, err)) ||
	    (rc = sfa_csv_row(w, keys, nkeys, err)))
		goto out;
	json_array_foreach(rows, i, r)
	{
		for (k = 0; k < nkeys; k++)
			put_cell(w, json_object_get(r, keys[k]));
		if ((rc = sfa_csv_end_row(w, err)))
			goto out;
	}
	*n = (long long)json_array_size(rows);
out:
	sfa_csv_free(w);
	return rc;
}

static int with_evidence(sfa_report_ctx *c, json_t **ev, sfa_err *err)
{
	return sfa_store_get_evidence(c->st, c->id, ev, err);
}

static int json_member(sfa_report_ctx *c, FILE *f, const char *key,
		       long long *rows, sfa_err *err)
{
	json_t *ev = NULL, *v;
	int rc = with_evidence(c, &ev, err);

	if (rc)
		return rc;
	v = json_object_get(ev, key);
	*rows = json_is_array(v) ? (long long)json_array_size(v) : -1;
	if (json_dumpf(
		v, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) ||
	    fputc('\n', f) == EOF)
		rc = sfa_err_set(err, SFA_EIO, "cannot write %s", key);
	json_decref(ev);
	return rc;
}

static const char *const control_keys[] = {
    "object", "soql",	  "method",	"api_version", "org_count", "received",
    "stored", "excluded", "started_at", "finished_at", "requests"};
static const char *const recon_keys[] = {"is_active", "user_type", "org_count",
					 "in_scope", "reason"};

int sfa_evidence_control_csv(sfa_report_ctx *c, FILE *f, long long *rows,
			     sfa_file_digest *d, sfa_err *err)
{
	json_t *ev = NULL;
	int rc = with_evidence(c, &ev, err);

	(void)d;
	if (rc == 0)
		rc = table_csv(f, json_object_get(ev, "control_totals"),
			       control_keys, 11, rows, err);
	json_decref(ev);
	return rc;
}

int sfa_evidence_control_json(sfa_report_ctx *c, FILE *f, long long *rows,
			      sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return json_member(c, f, "control_totals", rows, err);
}

int sfa_evidence_recon_csv(sfa_report_ctx *c, FILE *f, long long *rows,
			   sfa_file_digest *d, sfa_err *err)
{
	json_t *ev = NULL;
	int rc = with_evidence(c, &ev, err);

	(void)d;
	if (rc == 0)
		rc = table_csv(f, json_object_get(ev, "reconciliation"),
			       recon_keys, 5, rows, err);
	json_decref(ev);
	return rc;
}

int sfa_evidence_recon_json(sfa_report_ctx *c, FILE *f, long long *rows,
			    sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return json_member(c, f, "reconciliation", rows, err);
}

/* Provenance as key,value rows: one object has no table shape. */
int sfa_evidence_provenance_csv(sfa_report_ctx *c, FILE *f, long long *rows,
				sfa_file_digest *d, sfa_err *err)
{
	static const char *const head[] = {"key", "value"};
	json_t *ev = NULL, *v;
	const char *key;
	sfa_csv *w = NULL;
	int rc = with_evidence(c, &ev, err);

	(void)d;
	*rows = 0;
	if (rc || (rc = sfa_csv_new(&w, f, err)) ||
	    (rc = sfa_csv_row(w, head, 2, err)))
		goto out;
	json_object_foreach(json_object_get(ev, "provenance"), key, v)
	{
		sfa_csv_field(w, key);
		put_cell(w, v);
		if ((rc = sfa_csv_end_row(w, err)))
			goto out;
		(*rows)++;
	}
out:
	sfa_csv_free(w);
	json_decref(ev);
	return rc;
}

int sfa_evidence_provenance_json(sfa_report_ctx *c, FILE *f, long long *rows,
				 sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	return json_member(c, f, "provenance", rows, err);
}

int sfa_evidence_readme(sfa_report_ctx *c, FILE *f, long long *rows,
			sfa_file_digest *d, sfa_err *err)
{
	(void)d;
	*rows = -1;
	fprintf(f,
		"sfaccess evidence package\r\n"
		"=========================\r\n\r\n"
		"Who has what access in the Salesforce org, as snapshot %lld "
		"read it, with\r\nwhat proves the reading complete, accurate "
		"and unchanged.\r\n\r\n"
		"Files\r\n-----\r\n"
		"access-review.csv / .html / .junit.xml / .json\r\n"
		"    The access review of snapshot %lld: one row per user, "
		"access item and path.\r\n",
		c->id, c->id);
	if (c->diff)
		fprintf(f,
			"changes.csv / .html / .junit.xml / .json\r\n"
			"    The access changes from snapshot %lld to snapshot "
			"%lld.\r\n",
			c->from, c->id);
	else
		fputs("    (No changes files: the store holds no earlier "
		      "snapshot of this org to\r\n    compare with.)\r\n",
		      f);
	if (c->perm)
		fprintf(
		    f,
		    "permissions.csv / .html / .json\r\n"
		    "    The effective privileged permissions of every user of "
		    "snapshot %lld, one\r\n    row per user, permission "
		    "and path (as `sfaccess report permissions`).\r\n",
		    c->id);
	fputs("control-totals.csv / .json\r\n"
	      "    Per object read: the SOQL, Salesforce's own count "
	      "(org_count), the records\r\n    received and stored, those "
	      "excluded by reason, times and requests.\r\n"
	      "reconciliation.csv / .json\r\n"
	      "    Users in the org by IsActive and UserType, how many are "
	      "in scope, and why\r\n    the others are not.\r\n"
	      "provenance.csv / .json\r\n"
	      "    Who took the snapshot, how, from where, with which "
	      "sfaccess and commit,\r\n    when, and the org's API usage "
	      "before and after.\r\n"
	      "manifest.json\r\n"
	      "    Size and SHA-256 of every file above, the snapshots' "
	      "content hashes, the\r\n    same evidence, and the time the "
	      "package was made.\r\n"
	      "manifest.json.sig\r\n"
	      "    When present: the Ed25519 signature of manifest.json.\r\n"
	      "\r\nHow to verify\r\n-------------\r\n"
	      "1. Integrity:  sfaccess verify DIR --pubkey SIGNER.pub\r\n"
	      "   checks the signature, then that every file has the size "
	      "and SHA-256 the\r\n   manifest records and that no file was "
	      "added or removed.\r\n"
	      "2. Re-performance:  sfaccess verify DIR --store STORE.db\r\n"
	      "   checks the store's integrity and writes every file again "
	      "from the store's\r\n   snapshots: `reproduced`, or the first "
	      "file and byte that differ.\r\n"
	      "3. Completeness: in control-totals.csv, received equals "
	      "org_count for every\r\n   object; reconciliation.csv "
	      "accounts for every user of the org.\r\n",
	      f);
	return ferror(f) ? sfa_err_set(err, SFA_EIO, "cannot write README.txt")
			 : 0;
}
