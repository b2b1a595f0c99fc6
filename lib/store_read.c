/*
 * store_read.c - reading snapshots back: the snapshot list, the latest
 * complete one, access rows with their user and names joined in (the
 * access review's columns and order), and resources.
 */
#include "store_int.h"
#include "store_sql.h"

#define TXT(s, i) ((const char *)sqlite3_column_text((s), (i)))

/* Steps s to the end, calling row(s) per row; finalizes s.  A non-zero
 * row() result stops and is returned. */
static int each_row(sfa_store *st, sqlite3_stmt *s,
		    int (*row)(sqlite3_stmt *, void *, void *), void *fn,
		    void *ud, const char *what, sfa_err *err)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int stop = row(s, fn, ud);

		if (stop) {
			sqlite3_finalize(s);
			return stop;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, what);
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	return 0;
}

struct cb {
	sfa_snapshot_fn snap;
	sfa_access_fn access;
	sfa_resource_fn resource;
	int rows;
};

static int snapshot_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_snapshot_info i;

	cb->rows++;
	i.id = sqlite3_column_int64(s, 0);
	i.org_id = TXT(s, 1);
	i.api_version = TXT(s, 2);
	i.options = TXT(s, 3);
	i.started_at = TXT(s, 4);
	i.finished_at = TXT(s, 5);
	i.status = TXT(s, 6);
	i.content_hash = TXT(s, 7);
	i.error = TXT(s, 8);
	i.n_users = sqlite3_column_int64(s, 9);
	i.n_resources = sqlite3_column_int64(s, 10);
	i.n_access = sqlite3_column_int64(s, 11);
	i.api_requests = sqlite3_column_int64(s, 12);
	return cb->snap(ud, &i);
}

int sfa_store_each_snapshot(sfa_store *st, sfa_snapshot_fn fn, void *ud,
			    sfa_err *err)
{
	struct cb cb = {.snap = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_SNAPSHOT_ALL, 0, &s,
				 "listing snapshots", err)))
		return rc;
	return each_row(st, s, snapshot_row, &cb, ud, "listing snapshots", err);
}

int sfa_store_get_snapshot(sfa_store *st, long long id, sfa_snapshot_fn fn,
			   void *ud, sfa_err *err)
{
	struct cb cb = {.snap = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_SNAPSHOT_ONE, id, &s,
				 "reading a snapshot", err)) ||
	    (rc = each_row(st, s, snapshot_row, &cb, ud, "reading a snapshot",
			   err)))
		return rc;
	if (!cb.rows)
		return sfa_err_set(err, SFA_ENOTFOUND, "no snapshot %lld", id);
	return 0;
}

int sfa_store_latest_complete(sfa_store *st, const char *org_id, int nth,
			      long long *id_out, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_LATEST_COMPLETE, 0, &s,
				 "finding the latest snapshot", err)))
		return rc;
	if (org_id)
		sqlite3_bind_text(s, 1, org_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 1);
	sqlite3_bind_int(s, 2, nth < 0 ? 0 : nth);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sfa_err_set(err, SFA_ENOTFOUND,
				 nth ? "fewer than %d complete snapshots%s%s"
				     : "no complete snapshot%.0d%s%s",
				 nth + 1, org_id ? " of org " : "",
				 org_id ? org_id : "");
	} else
		rc = sfa_store_sqlerr(st, err, "finding the latest snapshot");
	sqlite3_finalize(s);
	return rc;
}

static int access_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_access_row r;

	r.snapshot_id = sqlite3_column_int64(s, 0);
	r.captured_at = TXT(s, 1);
	r.org_id = TXT(s, 2);
	r.user_id = TXT(s, 3);
	r.username = TXT(s, 4);
	r.name = TXT(s, 5);
	r.email = TXT(s, 6);
	r.user_type = TXT(s, 7);
	r.license = TXT(s, 8);
	r.is_active = sqlite3_column_int(s, 9);
	r.is_frozen = sqlite3_column_int(s, 10);
	r.last_login_at = TXT(s, 11);
	r.manager_username = TXT(s, 12);
	r.access_type = TXT(s, 13);
	r.access_id = TXT(s, 14);
	r.access_name = TXT(s, 15);
	r.via_type = TXT(s, 16);
	r.via_id = TXT(s, 17);
	r.via_name = TXT(s, 18);
	r.assigned_at = TXT(s, 19);
	r.expires_at = TXT(s, 20);
	r.first_seen_at = TXT(s, 21);
	return cb->access(ud, &r);
}

int sfa_store_each_access(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *f, sfa_access_fn fn,
			  void *ud, sfa_err *err)
{
	struct cb cb = {.access = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_EACH_ACCESS, snapshot_id, &s,
				 "reading access rows", err)))
		return rc;
	if (f && f->user)
		sqlite3_bind_text(s, 2, f->user, -1, SQLITE_STATIC);
	if (f && f->access_type)
		sqlite3_bind_text(s, 3, f->access_type, -1, SQLITE_STATIC);
	return each_row(st, s, access_row, &cb, ud, "reading access rows", err);
}

static int resource_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_resource_row r;

	r.type = TXT(s, 0);
	r.id = TXT(s, 1);
	r.name = TXT(s, 2);
	r.attrs = TXT(s, 3);
	return cb->resource(ud, &r);
}

int sfa_store_each_resource(sfa_store *st, long long snapshot_id,
			    const char *type, sfa_resource_fn fn, void *ud,
			    sfa_err *err)
{
	struct cb cb = {.resource = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_EACH_RESOURCE, snapshot_id, &s,
				 "reading resources", err)))
		return rc;
	if (type)
		sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	return each_row(st, s, resource_row, &cb, ud, "reading resources", err);
}
