/*
 * store_evidence.c - the evidence rows of a snapshot (store_evidence.h):
 * JSON in, rows of the v7 tables, JSON out.
 */
#include "store_evidence.h"
#include "store_db.h"
#include "store_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(sfa_err *err, const char *member, size_t i, const char *key)
{
	return sfa_err_set(err, SFA_EINPUT, "evidence %s[%zu]: no %s", member,
			   i, key);
}

static void bind_str(sqlite3_stmt *s, int col, const json_t *v)
{
	if (json_is_string(v))
		sqlite3_bind_text(s, col, json_string_value(v), -1,
				  SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, col);
}

static void bind_int(sqlite3_stmt *s, int col, const json_t *v)
{
	if (json_is_integer(v))
		sqlite3_bind_int64(s, col, json_integer_value(v));
	else
		sqlite3_bind_null(s, col);
}

static int put_control(sfa_store *st, long long snap, const json_t *rows,
		       sfa_err *err)
{
	const json_t *r;
	size_t i;
	int rc = 0;

	json_array_foreach(rows, i, r)
	{
		sqlite3_stmt *s;
		char *excluded;

		if (!json_is_string(json_object_get(r, "object")) ||
		    !json_is_string(json_object_get(r, "soql")))
			return bad(err, "control_totals", i, "object or soql");
		excluded =
		    json_dumps(json_object_get(r, "excluded"),
			       JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		if ((rc = sfa_store_prep(st, SQL_CONTROL_PUT, snap, &s,
					 "recording control totals", err))) {
			free(excluded);
			return rc;
		}
		sqlite3_bind_int64(s, 2, (long long)i);
		bind_str(s, 3, json_object_get(r, "object"));
		bind_str(s, 4, json_object_get(r, "soql"));
		bind_str(s, 5, json_object_get(r, "method"));
		bind_str(s, 6, json_object_get(r, "api_version"));
		bind_int(s, 7, json_object_get(r, "org_count"));
		bind_int(s, 8, json_object_get(r, "received"));
		bind_int(s, 9, json_object_get(r, "stored"));
		sqlite3_bind_text(
		    s, 10,
		    excluded && strcmp(excluded, "null") != 0 ? excluded : "{}", -1,
		    SQLITE_TRANSIENT);
		bind_str(s, 11, json_object_get(r, "started_at"));
		bind_str(s, 12, json_object_get(r, "finished_at"));
		bind_int(s, 13, json_object_get(r, "requests"));
		free(excluded);
		if ((rc =
			 sfa_store_run(st, s, "recording control totals", err)))
			return rc;
	}
	return 0;
}

static int put_drift(sfa_store *st, long long snap, const json_t *rows,
		     sfa_err *err)
{
	const json_t *r;
	size_t i;
	int rc;

	json_array_foreach(rows, i, r)
	{
		sqlite3_stmt *s;

		if (!json_is_string(json_object_get(r, "object")))
			return bad(err, "drift", i, "object");
		if ((rc = sfa_store_prep(st, SQL_DRIFT_PUT, snap, &s,
					 "recording drift", err)))
			return rc;
		bind_str(s, 2, json_object_get(r, "object"));
		bind_int(s, 3, json_object_get(r, "at_scan"));
		bind_int(s, 4, json_object_get(r, "at_end"));
		if ((rc = sfa_store_run(st, s, "recording drift", err)))
			return rc;
	}
	return 0;
}

static int put_recon(sfa_store *st, long long snap, const json_t *rows,
		     sfa_err *err)
{
	const json_t *r;
	size_t i;
	int rc;

	json_array_foreach(rows, i, r)
	{
		sqlite3_stmt *s;

		if (!json_is_boolean(json_object_get(r, "is_active")) ||
		    !json_is_string(json_object_get(r, "user_type")))
			return bad(err, "reconciliation", i,
				   "is_active or user_type");
		if ((rc = sfa_store_prep(st, SQL_RECON_PUT, snap, &s,
					 "recording the reconciliation", err)))
			return rc;
		sqlite3_bind_int(s, 2,
				 json_is_true(json_object_get(r, "is_active")));
		bind_str(s, 3, json_object_get(r, "user_type"));
		bind_int(s, 4, json_object_get(r, "org_count"));
		bind_int(s, 5, json_object_get(r, "in_scope"));
		sqlite3_bind_text(
		    s, 6,
		    json_string_value(json_object_get(r, "reason"))
			? json_string_value(json_object_get(r, "reason"))
			: "",
		    -1, SQLITE_TRANSIENT);
		if ((rc = sfa_store_run(st, s, "recording the reconciliation",
					err)))
			return rc;
	}
	return 0;
}

static int put_provenance(sfa_store *st, long long snap, const json_t *p,
			  sfa_err *err)
{
	sqlite3_stmt *s;
	char *text = json_dumps(p, JSON_COMPACT);
	int rc;

	if (!text)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if ((rc = sfa_store_prep(st, SQL_PROVENANCE_PUT, snap, &s,
				 "recording provenance", err)) == 0) {
		sqlite3_bind_text(s, 2, text, -1, SQLITE_TRANSIENT);
		rc = sfa_store_run(st, s, "recording provenance", err);
	}
	free(text);
	return rc;
}

int sfa_store_put_evidence(sfa_store *st, long long snap, const json_t *ev,
			   sfa_err *err)
{
	const json_t *v;
	int rc = 0;

	if ((v = json_object_get(ev, "control_totals")))
		rc = put_control(st, snap, v, err);
	if (rc == 0 && (v = json_object_get(ev, "drift")))
		rc = put_drift(st, snap, v, err);
	if (rc == 0 && (v = json_object_get(ev, "reconciliation")))
		rc = put_recon(st, snap, v, err);
	if (rc == 0 && (v = json_object_get(ev, "provenance")) &&
	    json_is_object(v))
		rc = put_provenance(st, snap, v, err);
	return rc;
}

/* ---- reading ---- */

static json_t *col_str(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? json_string((const char *)t) : json_null();
}

static json_t *col_int(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL
		   ? json_null()
		   : json_integer(sqlite3_column_int64(s, i));
}

static int control_row(sqlite3_stmt *s, void *fn, void *ud)
{
	json_t *excluded =
	    json_loads((const char *)sqlite3_column_text(s, 7), 0, NULL);
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "object",
	    col_str(s, 0), "soql", col_str(s, 1), "method", col_str(s, 2),
	    "api_version", col_str(s, 3), "org_count", col_int(s, 4),
	    "received", col_int(s, 5), "stored", col_int(s, 6), "excluded",
	    excluded ? excluded : json_object(), "started_at", col_str(s, 8),
	    "finished_at", col_str(s, 9), "requests", col_int(s, 10));

	(void)fn;
	return !o || json_array_append_new(ud, o) ? SFA_ENOMEM : 0;
}

static int drift_row(sqlite3_stmt *s, void *fn, void *ud)
{
	json_t *o =
	    json_pack("{s:o, s:o, s:o}", "object", col_str(s, 0), "at_scan",
		      col_int(s, 1), "at_end", col_int(s, 2));

	(void)fn;
	return !o || json_array_append_new(ud, o) ? SFA_ENOMEM : 0;
}

static int recon_row(sqlite3_stmt *s, void *fn, void *ud)
{
	json_t *o = json_pack(
	    "{s:b, s:o, s:o, s:o, s:o}", "is_active", sqlite3_column_int(s, 0),
	    "user_type", col_str(s, 1), "org_count", col_int(s, 2), "in_scope",
	    col_int(s, 3), "reason", col_str(s, 4));

	(void)fn;
	return !o || json_array_append_new(ud, o) ? SFA_ENOMEM : 0;
}

static int provenance_row(sqlite3_stmt *s, void *fn, void *ud)
{
	json_t **p = ud;

	(void)fn;
	json_decref(*p);
	*p = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL);
	return *p ? 0 : SFA_ENOMEM;
}

static int rows(sfa_store *st, long long snap, const char *sql,
		int (*row)(sqlite3_stmt *, void *, void *), void *ud,
		sfa_err *err)
{
	sqlite3_stmt *s;
	int rc = sfa_store_prep(st, sql, snap, &s, "reading evidence", err);

	if (rc == 0)
		rc = sfa_store_each_row(st, s, row, NULL, ud,
					"reading evidence", err);
	if (rc == SFA_ENOMEM && !err->code)
		sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return rc;
}

int sfa_store_get_evidence(sfa_store *st, long long snap, json_t **out,
			   sfa_err *err)
{
	json_t *ev = json_pack("{s:n, s:[], s:[], s:[]}", "provenance",
			       "control_totals", "drift", "reconciliation");
	json_t *prov = NULL;
	int rc;

	*out = NULL;
	if (!ev)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	rc = rows(st, snap, SQL_PROVENANCE_GET, provenance_row, &prov, err);
	if (rc == 0 && prov)
		rc = json_object_set_new(ev, "provenance", prov)
			 ? sfa_err_set(err, SFA_ENOMEM, "out of memory")
			 : 0;
	else
		json_decref(prov);
	if (rc == 0)
		rc = rows(st, snap, SQL_CONTROL_GET, control_row,
			  json_object_get(ev, "control_totals"), err);
	if (rc == 0)
		rc = rows(st, snap, SQL_DRIFT_GET, drift_row,
			  json_object_get(ev, "drift"), err);
	if (rc == 0)
		rc = rows(st, snap, SQL_RECON_GET, recon_row,
			  json_object_get(ev, "reconciliation"), err);
	if (rc) {
		json_decref(ev);
		return rc;
	}
	*out = ev;
	return 0;
}

/* ---- the audit trail ---- */

int sfa_store_audit_newest(sfa_store *st, const char *org_id, char out[21],
			   sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	out[0] = '\0';
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_AUDIT_NEWEST, -1, &s,
			       NULL))
		return sfa_store_sqlerr(st, err, "reading the audit trail");
	sqlite3_bind_text(s, 1, org_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, 21, "%s",
			 (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		   ? 0
		   : sfa_store_sqlerr(st, err, "reading the audit trail");
}

int sfa_store_audit_put(sfa_store *st, const char *org_id, long long snap,
			const char *const vals[9], int *added, sfa_err *err)
{
	sqlite3_stmt *s;
	int i, rc;

	*added = 0;
	if (!vals[0] || !vals[4])
		return sfa_err_set(err, SFA_EPROTO,
				   "a SetupAuditTrail entry came without Id "
				   "or CreatedDate");
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_AUDIT_PUT, -1, &s,
			       NULL))
		return sfa_store_sqlerr(st, err, "copying the audit trail");
	sqlite3_bind_text(s, 1, vals[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, org_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, vals[4], -1, SQLITE_STATIC);
	for (i = 1; i < 9; i++) {
		/* Columns after created_at: the values but CreatedDate. */
		int col = i < 4 ? i + 3 : i + 2;

		if (i == 4)
			continue;
		if (vals[i])
			sqlite3_bind_text(s, col, vals[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, col);
	}
	sqlite3_bind_int64(s, 11, snap);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sfa_store_sqlerr(st, err, "copying the audit trail");
	*added = sqlite3_changes(sfa_store_sqlite(st)) > 0;
	return 0;
}

/* ---- evidence packages ---- */

int sfa_store_package_put(sfa_store *st, const char *org_id, long long to,
			  long long from, const char *manifest_sha256,
			  sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_PACKAGE_PUT, -1, &s,
			       NULL))
		return sfa_store_sqlerr(st, err, "recording the package");
	sqlite3_bind_text(s, 1, org_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, to);
	if (from)
		sqlite3_bind_int64(s, 3, from);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_text(s, 4, manifest_sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE
		   ? 0
		   : sfa_store_sqlerr(st, err, "recording the package");
}

int sfa_store_package_last(sfa_store *st, const char *org_id, long long before,
			   long long *id, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*id = 0;
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_PACKAGE_LAST, -1, &s,
			       NULL))
		return sfa_store_sqlerr(st, err, "reading the packages");
	sqlite3_bind_text(s, 1, org_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, before);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		   ? 0
		   : sfa_store_sqlerr(st, err, "reading the packages");
}

/* ---- what explains a change ---- */

struct sfa_change_evidence {
	json_t *audit;	 /* [{"id", "created_at", "action", "display",
			    "created_by", "created_by_id"}] */
	json_t *applied; /* [["sfaccess apply SHA", user_id], ...] */
};

void sfa_change_evidence_free(sfa_change_evidence *ce)
{
	if (!ce)
		return;
	json_decref(ce->audit);
	json_decref(ce->applied);
	free(ce);
}

static int audit_row(sqlite3_stmt *s, void *fn, void *ud)
{
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o}", "id", col_str(s, 0), "created_at",
	    col_str(s, 1), "action", col_str(s, 2), "display", col_str(s, 3),
	    "created_by", col_str(s, 5), "created_by_id", col_str(s, 4));

	(void)fn;
	return !o || json_array_append_new(ud, o) ? SFA_ENOMEM : 0;
}

static int apply_row(sqlite3_stmt *s, void *fn, void *ud)
{
	char by[96];
	json_t *o;

	(void)fn;
	snprintf(by, sizeof(by), "sfaccess apply %s",
		 (const char *)sqlite3_column_text(s, 0));
	o = json_pack("[s, o]", by, col_str(s, 1));
	return !o || json_array_append_new(ud, o) ? SFA_ENOMEM : 0;
}

static int window(sfa_store *st, const char *sql, const char *org,
		  const char *t0, const char *t1,
		  int (*row)(sqlite3_stmt *, void *, void *), json_t *out,
		  sfa_err *err)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(sfa_store_sqlite(st), sql, -1, &s, NULL))
		return sfa_store_sqlerr(st, err, "reading the audit trail");
	sqlite3_bind_text(s, 1, org, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, t0, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, t1, -1, SQLITE_TRANSIENT);
	return sfa_store_each_row(st, s, row, NULL, out,
				  "reading the audit trail", err);
}

static int take_time(void *ud, const sfa_snapshot_info *s)
{
	char **out = ud;

	out[0] = strdup(s->org_id);
	out[1] = strdup(s->started_at);
	return !out[0] || !out[1] ? SFA_ENOMEM : 0;
}

int sfa_change_evidence_load(sfa_change_evidence **out, sfa_store *st,
			     long long from, long long to, sfa_err *err)
{
	sfa_change_evidence *ce = calloc(1, sizeof(*ce));
	char *a[2] = {NULL, NULL}, *b[2] = {NULL, NULL};
	int rc;

	*out = NULL;
	if (!ce || !(ce->audit = json_array()) ||
	    !(ce->applied = json_array())) {
		sfa_change_evidence_free(ce);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	if ((rc = sfa_store_get_snapshot(st, from, take_time, a, err)) == 0 &&
	    (rc = sfa_store_get_snapshot(st, to, take_time, b, err)) == 0 &&
	    (rc = window(st, SQL_AUDIT_WINDOW, b[0], a[1], b[1], audit_row,
			 ce->audit, err)) == 0)
		rc = window(st, SQL_APPLY_WINDOW, b[0], a[1], b[1], apply_row,
			    ce->applied, err);
	free(a[0]);
	free(a[1]);
	free(b[0]);
	free(b[1]);
	if (rc) {
		if (rc == SFA_ENOMEM && !err->code)
			sfa_err_set(err, SFA_ENOMEM, "out of memory");
		sfa_change_evidence_free(ce);
		return rc;
	}
	*out = ce;
	return 0;
}

/* Whether text holds s (a non-empty mention). */
static int mentions(const char *text, const char *s)
{
	return text && s && *s && strstr(text, s) != NULL;
}

json_t *sfa_change_evidence_audit(const sfa_change_evidence *ce,
				  const char *user_id, const char *username,
				  const char *name, const char *access_id,
				  const char *access_name)
{
	json_t *out = json_array(), *e;
	size_t i;

	json_array_foreach(ce->audit, i, e)
	{
		const char *d =
		    json_string_value(json_object_get(e, "display"));
		const char *by =
		    json_string_value(json_object_get(e, "created_by"));
		const char *by_id =
		    json_string_value(json_object_get(e, "created_by_id"));
		int hit;

		if (user_id)
			hit = mentions(d, username) || mentions(d, name) ||
			      mentions(d, user_id) ||
			      (by_id && strcmp(by_id, user_id) == 0) ||
			      (by && username && strcmp(by, username) == 0);
		else
			hit =
			    mentions(d, access_name) || mentions(d, access_id);
		if (hit && out &&
		    json_array_append_new(
			out,
			json_pack("{s:O, s:O, s:O, s:O, s:O}", "id",
				  json_object_get(e, "id"), "created_at",
				  json_object_get(e, "created_at"), "action",
				  json_object_get(e, "action"), "display",
				  json_object_get(e, "display"), "created_by",
				  json_object_get(e, "created_by")))) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

const char *sfa_change_evidence_applied_by(const sfa_change_evidence *ce,
					   const char *user_id)
{
	json_t *e;
	size_t i;

	if (!user_id)
		return NULL;
	json_array_foreach(ce->applied, i, e)
	{
		const char *u = json_string_value(json_array_get(e, 1));

		if (u && strcmp(u, user_id) == 0)
			return json_string_value(json_array_get(e, 0));
	}
	return NULL;
}
