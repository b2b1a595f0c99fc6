/*
 * diff.c - the differ: picks the two snapshots, computes their changes
 * into temporary tables (diff_sql.h) and streams them back in order.
 * It reads the store through store_db.h and access_set.h.
 */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_set.h"
#include "diff_sql.h"
#include "store_db.h"

#define TXT(s, i) ((const char *)sqlite3_column_text((s), (i)))
/* The tiers of lib/access/PERMISSIONS.md §2. */
#define SFA_DIFF_NTIERS 5

struct sfa_diff {
	sfa_store *st;
	long long from, to;
	long long count[SFA_DIFF_NKINDS];
	long long priv[SFA_DIFF_NTIERS][2]; /* [tier][removed] */
	int in_tx; /* we opened the read transaction */
};

static const char *const kind_names[SFA_DIFF_NKINDS] = {"added",
							"removed",
							"changed",
							"resource_added",
							"resource_removed",
							"permission_added",
							"permission_removed"};

const char *sfa_diff_kind_name(sfa_diff_kind k)
{
	return (unsigned)k < SFA_DIFF_NKINDS ? kind_names[k] : "?";
}

/* ---- picking the snapshots ---- */

struct snap {
	int found;
	char org[64];
	int complete;
};

static int take_snap(void *ud, const sfa_snapshot_info *s)
{
	struct snap *sn = ud;

	sn->found = 1;
	snprintf(sn->org, sizeof(sn->org), "%s", s->org_id ? s->org_id : "");
	sn->complete = s->status && strcmp(s->status, "complete") == 0;
	return 0;
}

/* Reads snapshot id; unknown ids and (unless allowed) incomplete ones are
 * bad input, named by the option they came from. */
static int named_snap(sfa_store *st, long long id, const char *flag,
		      int allow_incomplete, struct snap *out, sfa_err *err)
{
	int rc = sfa_store_get_snapshot(st, id, take_snap, out, err);

	if (rc == SFA_ENOTFOUND)
		return sfa_err_set(err, SFA_EINPUT,
				   "%s %lld: no such snapshot (see `sfaccess "
				   "snapshots`)",
				   flag, id);
	if (rc)
		return rc;
	if (!out->complete && !allow_incomplete)
		return sfa_err_set(err, SFA_EINPUT,
				   "%s %lld: snapshot is incomplete; pass "
				   "--allow-incomplete to compare it anyway",
				   flag, id);
	return 0;
}

/* The complete snapshot of org before snapshot `before`, 0 if none. */
static int previous(sfa_store *st, long long before, const char *org,
		    long long *out, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_DIFF_PREVIOUS, before, &s,
				 "picking snapshots", err)))
		return rc;
	sqlite3_bind_text(s, 2, org, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = sfa_store_sqlerr(st, err, "picking snapshots");
		sqlite3_finalize(s);
		return rc;
	}
	*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int sfa_diff_resolve(sfa_store *st, const sfa_diff_pick *pick, long long *from,
		     long long *to, sfa_err *err)
{
	struct snap f = {0}, t = {0};
	int rc;

	if (pick->from && (rc = named_snap(st, pick->from, "--from",
					   pick->allow_incomplete, &f, err)))
		return rc;
	if (pick->to) {
		if ((rc = named_snap(st, pick->to, "--to",
				     pick->allow_incomplete, &t, err)))
			return rc;
		*to = pick->to;
	} else {
		rc = sfa_store_latest_complete(st, pick->from ? f.org : NULL, 0,
					       to, err);
		if (rc == SFA_ENOTFOUND)
			return sfa_err_set(err, SFA_EINPUT,
					   "no complete snapshot to compare "
					   "(run `sfaccess sync`)");
		if (rc || (rc = named_snap(st, *to, "--to", 1, &t, err)))
			return rc;
	}
	if (pick->from) {
		*from = pick->from;
	} else {
		if ((rc = previous(st, *to, t.org, from, err)))
			return rc;
		if (!*from)
			return sfa_err_set(err, SFA_EINPUT,
					   "no complete snapshot of org %s "
					   "before snapshot %lld to compare "
					   "it with; sync again or pass --from",
					   t.org, *to);
		return 0;
	}
	if (strcmp(f.org, t.org) != 0)
		return sfa_err_set(err, SFA_EINPUT,
				   "snapshots %lld and %lld are of different "
				   "orgs (%s, %s); a diff compares two "
				   "snapshots of one org",
				   *from, *to, f.org, t.org);
	return 0;
}

/* ---- computing ---- */

/* Records row x of user uid as a change of kind k in snapshot snap. */
static int put_access(sqlite3_stmt *put, sfa_diff_kind k, long long snap,
		      long long uid, const sfa_access_item *x)
{
	int rc;

	sqlite3_bind_int(put, 1, (int)k);
	sqlite3_bind_int64(put, 2, snap);
	sqlite3_bind_int64(put, 3, uid);
	sqlite3_bind_text(put, 4, sfa_access_type_name(x->type), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(put, 5, x->access_id);
	sqlite3_bind_text(put, 6, sfa_access_type_name(x->via_type), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(put, 7, x->via_id);
	sqlite3_bind_text(put, 8, x->assigned_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 9, x->expires_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 10, x->first_seen_at, -1, SQLITE_STATIC);
	rc = sqlite3_step(put);
	sqlite3_reset(put);
	return rc == SQLITE_DONE ? 0 : rc;
}

/* Steps s; *more says whether it has a row.  SQLite errors out. */
static int advance(sqlite3_stmt *s, int *more)
{
	int rc = sqlite3_step(s);

	*more = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rc;
}

/* The access sets of the two snapshots, in user order, with their
 * decoded rows. */
struct sets {
	sqlite3_stmt *s[2];
	int more[2];
	sfa_access_set set[2];
};

/* The rows of user uid in a and not b and the other way round: a merge
 * of both sets in key order.  A user in one snapshot only has an empty
 * set in the other. */
static int merge_user(sfa_diff *d, sqlite3_stmt *put, long long uid,
		      const sfa_access_set *a, const sfa_access_set *b)
{
	size_t i = 0, j = 0;
	int rc = 0;

	while (!rc && (i < a->n || j < b->n)) {
		int c = i == a->n ? 1
			: j == b->n
			    ? -1
			    : sfa_access_key_cmp(&a->items[i], &b->items[j]);

		if (c < 0)
			rc = put_access(put, SFA_DIFF_REMOVED, d->from, uid,
					&a->items[i]);
		else if (c > 0)
			rc = put_access(put, SFA_DIFF_ADDED, d->to, uid,
					&b->items[j]);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	return rc;
}

/* Decodes the current set of side k (the user's rows) into x->set[k]. */
static int decode(struct sets *x, int k, sfa_err *err)
{
	return sfa_access_unpack(sqlite3_column_blob(x->s[k], 1),
				 (size_t)sqlite3_column_bytes(x->s[k], 1),
				 &x->set[k], err);
}

/* Both snapshots' access sets side by side in user order.  Equal digests
 * are equal rows (access_set.c), so a user whose digest is the same in
 * both is skipped undecoded: a diff of two snapshots of a large org where
 * few users changed decodes only the users that did.  A user without a
 * digest (the v4 migration leaves none, but nothing promises one) is
 * compared row by row. */
static int diff_access(sfa_diff *d, sfa_err *err)
{
	const char *what = "comparing access";
	struct sets x = {{NULL, NULL}, {0, 0}, {{0}, {0}}};
	sqlite3_stmt *put = NULL;
	int rc;

	if ((rc = sfa_store_prep(d->st, SQL_DIFF_ACCESS_PUT, 0, &put, what,
				 err)) ||
	    (rc = sfa_store_prep(d->st, SQL_DIFF_SETS, d->from, &x.s[0], what,
				 err)) ||
	    (rc = sfa_store_prep(d->st, SQL_DIFF_SETS, d->to, &x.s[1], what,
				 err)))
		goto out;
	if (advance(x.s[0], &x.more[0]) || advance(x.s[1], &x.more[1]))
		goto sqlfail;
	while (x.more[0] || x.more[1]) {
		sqlite3_int64 ua =
		    x.more[0] ? sqlite3_column_int64(x.s[0], 0) : 0;
		sqlite3_int64 ub =
		    x.more[1] ? sqlite3_column_int64(x.s[1], 0) : 0;
		int c = !x.more[0]   ? 1
			: !x.more[1] ? -1
			: ua < ub    ? -1
				     : ua > ub;
		const void *da = c == 0 ? sqlite3_column_blob(x.s[0], 2) : NULL;
		const void *db = c == 0 ? sqlite3_column_blob(x.s[1], 2) : NULL;

		x.set[0].n = x.set[1].n = 0;
		if (c != 0 || !da || !db ||
		    sqlite3_column_bytes(x.s[0], 2) !=
			sqlite3_column_bytes(x.s[1], 2) ||
		    memcmp(da, db, (size_t)sqlite3_column_bytes(x.s[0], 2)) !=
			0) {
			if ((c <= 0 && (rc = decode(&x, 0, err))) ||
			    (c >= 0 && (rc = decode(&x, 1, err))))
				goto out;
			if ((rc = merge_user(d, put, c > 0 ? ub : ua, &x.set[0],
					     &x.set[1])))
				goto sqlfail;
		}
		if ((c <= 0 && advance(x.s[0], &x.more[0])) ||
		    (c >= 0 && advance(x.s[1], &x.more[1])))
			goto sqlfail;
	}
	goto out;
sqlfail:
	rc = sfa_store_sqlerr(d->st, err, what);
out:
	sqlite3_finalize(x.s[0]);
	sqlite3_finalize(x.s[1]);
	sfa_access_set_free(&x.set[0]);
	sfa_access_set_free(&x.set[1]);
	sqlite3_finalize(put);
	return rc;
}

/* Runs sql bound to (?1, ?2, ?3) = (a, b, kind) to completion. */
static int run3(sfa_diff *d, const char *sql, long long a, long long b,
		int kind, const char *what, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(d->st, sql, a, &s, what, err)))
		return rc;
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, b);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_int(s, 3, kind);
	return sfa_store_run(d->st, s, what, err);
}

static int count(sfa_diff *d, const char *sql, int kind, long long *out,
		 sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc =
		 sfa_store_prep(d->st, sql, kind, &s, "counting changes", err)))
		return rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = sfa_store_sqlerr(d->st, err, "counting changes");
		sqlite3_finalize(s);
		return rc;
	}
	*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

/* Privileged rows are compared only between two snapshots that have
 * them: against a snapshot synced without permissions every privileged
 * row would look new. */
static int diff_privileged(sfa_diff *d, sfa_err *err)
{
	int a, b, rc;

	if ((rc = sfa_store_has_privileged(d->st, d->from, &a, err)) ||
	    (rc = sfa_store_has_privileged(d->st, d->to, &b, err)) || !a || !b)
		return rc;
	if ((rc = run3(d, SQL_DIFF_PRIVILEGED, d->from, d->to, SFA_DIFF_ADDED,
		       "comparing privileged rows", err)))
		return rc;
	return run3(d, SQL_DIFF_PRIVILEGED, d->to, d->from, SFA_DIFF_REMOVED,
		    "comparing privileged rows", err);
}

/* Privileged changes by tier, for the reports' counts. */
static int count_privileged(sfa_diff *d, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(d->st, SQL_DIFF_COUNT_PRIVILEGED, 0, &s,
				 "counting changes", err)))
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int tier = sqlite3_column_int(s, 0);
		int kind = sqlite3_column_int(s, 1);

		if (tier >= 0 && tier < SFA_DIFF_NTIERS)
			d->priv[tier][kind == SFA_DIFF_REMOVED] +=
			    sqlite3_column_int64(s, 2);
	}
	if (rc != SQLITE_DONE)
		rc = sfa_store_sqlerr(d->st, err, "counting changes");
	else
		rc = 0;
	sqlite3_finalize(s);
	return rc;
}

/* A container's own permissions, both ways, then the containers the
 * changes belong to with the users they reach. */
static int diff_permissions(sfa_diff *d, sfa_err *err)
{
	static const char *const sql[] = {
	    SQL_DIFF_PERM_SYSTEM, SQL_DIFF_PERM_OBJECT, SQL_DIFF_PERM_FIELD};
	const char *what = "comparing permissions";
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < sizeof(sql) / sizeof(sql[0]); i++)
		if ((rc = run3(d, sql[i], d->from, d->to,
			       SFA_DIFF_PERMISSION_ADDED, what, err)) == 0)
			rc = run3(d, sql[i], d->to, d->from,
				  SFA_DIFF_PERMISSION_REMOVED, what, err);
	if (rc)
		return rc;
	return run3(d, SQL_DIFF_PERM_CONTAINERS, d->from, d->to, 0, what, err);
}

static int compute(sfa_diff *d, sfa_err *err)
{
	long long *n = d->count;
	int rc;

	if ((rc = sfa_store_exec(d->st, SQL_DIFF_TEMP, "preparing the diff",
				 err)))
		return rc;
	if (d->from == d->to)
		return 0;
	if ((rc = diff_access(d, err)) || (rc = diff_privileged(d, err)) ||
	    (rc = run3(d, SQL_DIFF_USERS, d->from, d->to, 0, "comparing users",
		       err)) ||
	    (rc = run3(d, SQL_DIFF_RESOURCES, d->from, d->to,
		       SFA_DIFF_RESOURCE_ADDED, "comparing resources", err)) ||
	    (rc =
		 run3(d, SQL_DIFF_RESOURCES, d->to, d->from,
		      SFA_DIFF_RESOURCE_REMOVED, "comparing resources", err)) ||
	    (rc = diff_permissions(d, err)) || (rc = count_privileged(d, err)))
		return rc;
	if ((rc = count(d, SQL_DIFF_COUNT_ACCESS, SFA_DIFF_ADDED,
			&n[SFA_DIFF_ADDED], err)) ||
	    (rc = count(d, SQL_DIFF_COUNT_ACCESS, SFA_DIFF_REMOVED,
			&n[SFA_DIFF_REMOVED], err)) ||
	    (rc = count(d, SQL_DIFF_USERS_COUNT, 0, &n[SFA_DIFF_CHANGED],
			err)) ||
	    (rc = count(d, SQL_DIFF_COUNT_RESOURCES, SFA_DIFF_RESOURCE_ADDED,
			&n[SFA_DIFF_RESOURCE_ADDED], err)) ||
	    (rc = count(d, SQL_DIFF_COUNT_RESOURCES, SFA_DIFF_RESOURCE_REMOVED,
			&n[SFA_DIFF_RESOURCE_REMOVED], err)) ||
	    (rc = count(d, SQL_DIFF_COUNT_PERMS, SFA_DIFF_PERMISSION_ADDED,
			&n[SFA_DIFF_PERMISSION_ADDED], err)))
		return rc;
	return count(d, SQL_DIFF_COUNT_PERMS, SFA_DIFF_PERMISSION_REMOVED,
		     &n[SFA_DIFF_PERMISSION_REMOVED], err);
}

int sfa_diff_open(sfa_diff **out, sfa_store *st, long long from, long long to,
		  sfa_err *err)
{
	sfa_diff *d;
	int rc;

	*out = NULL;
	if (sfa_store_writing(st))
		return sfa_err_set(err, SFA_EINTERNAL,
				   "diff while a snapshot is being written");
	if (!(d = calloc(1, sizeof(*d))))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	d->st = st;
	d->from = from;
	d->to = to;
	/* One read transaction for the whole diff: a gc or sync running
	 * meanwhile cannot change what the readers see. */
	if (sqlite3_get_autocommit(sfa_store_sqlite(st))) {
		if ((rc = sfa_store_exec(st, "BEGIN", "starting the diff",
					 err))) {
			free(d);
			return rc;
		}
		d->in_tx = 1;
	}
	if ((rc = compute(d, err))) {
		sfa_diff_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void sfa_diff_free(sfa_diff *d)
{
	if (!d)
		return;
	sqlite3_exec(sfa_store_sqlite(d->st), SQL_DIFF_DROP, NULL, NULL, NULL);
	if (d->in_tx)
		sqlite3_exec(sfa_store_sqlite(d->st), "COMMIT", NULL, NULL,
			     NULL);
	free(d);
}

long long sfa_diff_from(const sfa_diff *d)
{
	return d->from;
}

long long sfa_diff_to(const sfa_diff *d)
{
	return d->to;
}

long long sfa_diff_count(const sfa_diff *d, sfa_diff_kind k)
{
	return (unsigned)k < SFA_DIFF_NKINDS ? d->count[k] : 0;
}

long long sfa_diff_privileged_count(const sfa_diff *d, int tier,
				    sfa_diff_kind k)
{
	if (tier < 0 || tier >= SFA_DIFF_NTIERS ||
	    (k != SFA_DIFF_ADDED && k != SFA_DIFF_REMOVED))
		return 0;
	return d->priv[tier][k == SFA_DIFF_REMOVED];
}

long long sfa_diff_total(const sfa_diff *d)
{
	long long n = 0;
	int k;

	for (k = 0; k < SFA_DIFF_NKINDS; k++)
		n += d->count[k];
	return n;
}

/* ---- reading ---- */

/* The caller's callback, as sfa_store_each_row() passes it on. */
struct emit_cb {
	sfa_diff_fn fn;
};

/* Hands the change in the current row of s to the emit_cb's function. */
static int emit(sqlite3_stmt *s, void *cb, void *ud)
{
	sfa_diff_change c;
	sfa_access_row *r = &c.row;

	c.kind = (sfa_diff_kind)sqlite3_column_int(s, 0);
	r->snapshot_id = sqlite3_column_int64(s, 1);
	r->captured_at = TXT(s, 2);
	r->org_id = TXT(s, 3);
	r->user_id = TXT(s, 4);
	r->username = TXT(s, 5);
	r->name = TXT(s, 6);
	r->email = TXT(s, 7);
	r->user_type = TXT(s, 8);
	r->license = TXT(s, 9);
	r->is_active = sqlite3_column_int(s, 10);
	r->is_frozen = sqlite3_column_int(s, 11);
	r->last_login_at = TXT(s, 12);
	r->manager_username = TXT(s, 13);
	r->access_type = TXT(s, 14);
	r->access_id = TXT(s, 15);
	r->access_name = TXT(s, 16);
	r->via_type = TXT(s, 17);
	r->via_id = TXT(s, 18);
	r->via_name = TXT(s, 19);
	r->assigned_at = TXT(s, 20);
	r->expires_at = TXT(s, 21);
	r->first_seen_at = TXT(s, 22);
	r->access_ref = r->via_ref = 0;
	r->tier = -1;
	r->granted_by = r->implied_by = NULL;
	c.field = TXT(s, 23);
	c.old_value = TXT(s, 24);
	c.new_value = TXT(s, 25);
	c.old_name = c.new_name = NULL;
	if (sqlite3_column_count(s) > 28) { /* SQL_DIFF_EACH_PRIVILEGED */
		r->tier = sqlite3_column_int(s, 26);
		r->granted_by = TXT(s, 27);
		r->implied_by = TXT(s, 28);
	} else {
		c.old_name = TXT(s, 26);
		c.new_name = TXT(s, 27);
	}
	return ((struct emit_cb *)cb)->fn(ud, &c);
}

/* Runs reader sql (bound: ?1 from, ?2 to, ?3 kind when it has one). */
static int each(sfa_diff *d, const char *sql, int kind, sfa_diff_fn fn,
		void *ud, sfa_err *err)
{
	struct emit_cb cb = {fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(d->st, sql, d->from, &s, "reading changes",
				 err)))
		return rc;
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, d->to);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_int(s, 3, kind);
	return sfa_store_each_row(d->st, s, emit, &cb, ud, "reading changes",
				  err);
}

int sfa_diff_each(sfa_diff *d, sfa_diff_fn fn, void *ud, sfa_err *err)
{
	int rc;

	/* Every change of a kind before the next kind (the JSON report's
	 * arrays stream so): the added access rows, then the added
	 * privileged rows; the removed ones likewise. */
	if ((rc = each(d, SQL_DIFF_EACH_ACCESS, SFA_DIFF_ADDED, fn, ud, err)) ||
	    (rc = each(d, SQL_DIFF_EACH_PRIVILEGED, SFA_DIFF_ADDED, fn, ud,
		       err)) ||
	    (rc = each(d, SQL_DIFF_EACH_ACCESS, SFA_DIFF_REMOVED, fn, ud,
		       err)) ||
	    (rc = each(d, SQL_DIFF_EACH_PRIVILEGED, SFA_DIFF_REMOVED, fn, ud,
		       err)) ||
	    (rc = each(d, SQL_DIFF_EACH_CHANGED, 0, fn, ud, err)) ||
	    (rc = each(d, SQL_DIFF_EACH_RESOURCE, 0, fn, ud, err)))
		return rc;
	return each(d, SQL_DIFF_EACH_PERMISSION, 0, fn, ud, err);
}
