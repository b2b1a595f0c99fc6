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

/* The user's columns of r from a row of SQL_EACH_ACCESS_USERS (or of
 * SQL_EACH_ACCESS_NAMED, which has them at the same places, the
 * snapshot id first instead of the user's key). */
static void user_cols(sqlite3_stmt *u, long long snapshot_id, sfa_access_row *r)
{
	r->snapshot_id = snapshot_id;
	r->captured_at = TXT(u, 1);
	r->org_id = TXT(u, 2);
	r->user_id = TXT(u, 3);
	r->username = TXT(u, 4);
	r->name = TXT(u, 5);
	r->email = TXT(u, 6);
	r->user_type = TXT(u, 7);
	r->license = TXT(u, 8);
	r->is_active = sqlite3_column_int(u, 9);
	r->is_frozen = sqlite3_column_int(u, 10);
	r->last_login_at = TXT(u, 11);
	r->manager_username = TXT(u, 12);
}

/* The access columns of r from SQL_ACCESS_ITEM_COLS starting at column
 * i0 of s. */
static void item_cols(sqlite3_stmt *s, int i0, sfa_access_row *r)
{
	r->access_type = TXT(s, i0);
	r->access_id = TXT(s, i0 + 1);
	r->access_name = TXT(s, i0 + 2);
	r->via_type = TXT(s, i0 + 3);
	r->via_id = TXT(s, i0 + 4);
	r->via_name = TXT(s, i0 + 5);
	r->assigned_at = TXT(s, i0 + 6);
	r->expires_at = TXT(s, i0 + 7);
	r->first_seen_at = TXT(s, i0 + 8);
}

/* Steps s (bound and ready) to the end, handing fn each row: user columns
 * from u when set (one user's rows), else from s itself.  Resets s; a
 * non-zero fn() result stops and is returned. */
static int emit_rows(sfa_store *st, sqlite3_stmt *s, sqlite3_stmt *u,
		     long long snapshot_id, sfa_access_fn fn, void *ud,
		     sfa_err *err)
{
	sfa_access_row r;
	int rc, stop = 0;

	if (u)
		user_cols(u, snapshot_id, &r);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!u)
			user_cols(s, snapshot_id, &r);
		item_cols(s, u ? 0 : 13, &r);
		stop = fn(ud, &r);
	}
	if (!stop && rc != SQLITE_DONE)
		stop = sfa_store_sqlerr(st, err, "reading access rows");
	sqlite3_reset(s);
	return stop;
}

static void bind_filter(sqlite3_stmt *s, const sfa_access_filter *f)
{
	if (f && f->user)
		sqlite3_bind_text(s, 2, f->user, -1, SQLITE_STATIC);
	if (f && f->access_type)
		sqlite3_bind_text(s, 3, f->access_type, -1, SQLITE_STATIC);
}

/* Users in username order, each user's rows read by the access key prefix
 * and sorted on their own (store_sql.h); users sharing a username are
 * read together so that their rows interleave as one sort would. */
int sfa_store_each_access(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *f, sfa_access_fn fn,
			  void *ud, sfa_err *err)
{
	const char *what = "reading access rows";
	sqlite3_stmt *users = NULL, *one = NULL, *named = NULL;
	long long skip = 0;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_EACH_ACCESS_USERS, snapshot_id, &users,
				 what, err)) ||
	    (rc = sfa_store_prep(st, SQL_EACH_ACCESS_OF_USER, snapshot_id, &one,
				 what, err)) ||
	    (rc = sfa_store_prep(st, SQL_EACH_ACCESS_NAMED, snapshot_id, &named,
				 what, err)))
		goto out;
	bind_filter(users, f);
	bind_filter(one, f);
	bind_filter(named, f);
	while ((rc = sqlite3_step(users)) == SQLITE_ROW) {
		long long same = sqlite3_column_int64(users, 13);

		if (skip > 0) { /* the rest of a group already read */
			skip--;
			continue;
		}
		if (same > 1) {
			sqlite3_bind_value(named, 4,
					   sqlite3_column_value(users, 4));
			skip = same - 1;
			rc = emit_rows(st, named, NULL, snapshot_id, fn, ud,
				       err);
		} else {
			sqlite3_bind_int64(one, 4,
					   sqlite3_column_int64(users, 0));
			rc =
			    emit_rows(st, one, users, snapshot_id, fn, ud, err);
		}
		if (rc)
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : sfa_store_sqlerr(st, err, what);
out:
	sqlite3_finalize(named);
	sqlite3_finalize(one);
	sqlite3_finalize(users);
	return rc;
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
