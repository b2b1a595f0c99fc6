/*
 * store_policy.c - the store readers of the policy checks and the login
 * history table (store_policy.h).  The login history is per org and
 * outside any snapshot, so neither a snapshot's deletion nor gc touches
 * it.
 */
#include <string.h>

#include "policy_sql.h"
#include "store_db.h"
#include "store_policy.h"

#define TXT(s, i) ((const char *)sqlite3_column_text((s), (i)))

/* sfa_store_each_row() takes the callback as a data pointer; the function
 * pointer travels inside a struct so that no cast between the two kinds
 * of pointer is needed. */
struct fnbox {
	sfa_policy_user_fn user;
	sfa_expired_fn expired;
	sfa_policy_name_fn name;
	sfa_policy_app_fn app;
	sfa_login_fn login;
};

static int user_row(sqlite3_stmt *s, void *fn, void *ud)
{
	const struct fnbox *b = fn;
	sfa_policy_user u;

	u.id = TXT(s, 0);
	u.username = TXT(s, 1);
	u.email = TXT(s, 2);
	u.federation_id = TXT(s, 3);
	u.is_active = sqlite3_column_int(s, 4);
	u.is_frozen = sqlite3_column_int(s, 5);
	u.user_type = TXT(s, 6);
	u.last_login_at = TXT(s, 7);
	u.profile_id = TXT(s, 8);
	u.key = sqlite3_column_int64(s, 9);
	if (!u.id)
		return 0;
	return b->user(ud, &u);
}

int sfa_store_policy_users(sfa_store *st, long long snap,
			   sfa_policy_user_fn fn, void *ud, sfa_err *err)
{
	struct fnbox b = {.user = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_POLICY_USERS, snap, &s,
				 "reading users", err)))
		return rc;
	return sfa_store_each_row(st, s, user_row, &b, ud, "reading users",
				  err);
}

static int expired_row(sqlite3_stmt *s, void *fn, void *ud)
{
	const struct fnbox *b = fn;
	sfa_expired e;

	e.user_id = TXT(s, 0);
	e.assignment_id = TXT(s, 1);
	e.type = TXT(s, 2);
	e.id = TXT(s, 3);
	e.name = TXT(s, 4);
	e.expiration_date = TXT(s, 5);
	if (!e.user_id || !e.id)
		return 0;
	return b->expired(ud, &e);
}

int sfa_store_policy_expired(sfa_store *st, long long snap, const char *before,
			     sfa_expired_fn fn, void *ud, sfa_err *err)
{
	struct fnbox b = {.expired = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_POLICY_EXPIRED, snap, &s,
				 "reading assignments", err)))
		return rc;
	sqlite3_bind_text(s, 2, before, -1, SQLITE_STATIC);
	return sfa_store_each_row(st, s, expired_row, &b, ud,
				  "reading assignments", err);
}

static int name_row(sqlite3_stmt *s, void *fn, void *ud)
{
	const struct fnbox *b = fn;

	if (!TXT(s, 1))
		return 0;
	return b->name(ud, TXT(s, 0), TXT(s, 1), TXT(s, 2) ? TXT(s, 2) : "",
		       TXT(s, 3), sqlite3_column_int64(s, 4));
}

int sfa_store_policy_names(sfa_store *st, long long snap,
			   sfa_policy_name_fn fn, void *ud, sfa_err *err)
{
	struct fnbox b = {.name = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_POLICY_NAMES, snap, &s,
				 "reading names", err)))
		return rc;
	return sfa_store_each_row(st, s, name_row, &b, ud, "reading names",
				  err);
}

static int app_row(sqlite3_stmt *s, void *fn, void *ud)
{
	const struct fnbox *b = fn;

	if (!TXT(s, 0))
		return 0;
	return b->app(ud, TXT(s, 0), TXT(s, 1) ? TXT(s, 1) : "",
		      sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
		      sqlite3_column_int64(s, 4));
}

int sfa_store_policy_apps(sfa_store *st, long long snap, const char *since,
			  sfa_policy_app_fn fn, void *ud, sfa_err *err)
{
	struct fnbox b = {.app = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_POLICY_APPS, snap, &s,
				 "reading connected apps", err)))
		return rc;
	sqlite3_bind_text(s, 2, since, -1, SQLITE_STATIC);
	return sfa_store_each_row(st, s, app_row, &b, ud,
				  "reading connected apps", err);
}

struct sets {
	sfa_policy_set_fn fn;
	sfa_access_set set;
	sfa_err *err;
};

static int set_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct sets *w = fn;
	int rc;

	if ((rc = sfa_access_unpack(sqlite3_column_blob(s, 1),
				    (size_t)sqlite3_column_bytes(s, 1), &w->set,
				    w->err)))
		return rc;
	return w->fn(ud, sqlite3_column_int64(s, 0), &w->set);
}

int sfa_store_policy_each_set(sfa_store *st, long long snap,
			      sfa_policy_set_fn fn, void *ud, sfa_err *err)
{
	struct sets w;
	sqlite3_stmt *s;
	int rc;

	memset(&w, 0, sizeof(w));
	w.fn = fn;
	w.err = err;
	if ((rc = sfa_store_prep(st, SQL_POLICY_SETS, snap, &s,
				 "reading access sets", err)))
		return rc;
	rc = sfa_store_each_row(st, s, set_row, &w, ud, "reading access sets",
				err);
	sfa_access_set_free(&w.set);
	return rc;
}

/* ---- login history ---- */

static int prep_org(sfa_store *st, const char *sql, const char *org_id,
		    sqlite3_stmt **s, const char *what, sfa_err *err)
{
	int rc = sfa_store_prep(st, sql, 0, s, what, err);

	if (rc == 0)
		sqlite3_bind_text(*s, 1, org_id, -1, SQLITE_STATIC);
	return rc;
}

int sfa_store_logins_newest(sfa_store *st, const char *org_id, char out[21],
			    sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	out[0] = '\0';
	if ((rc = prep_org(st, SQL_LOGIN_NEWEST, org_id, &s,
			   "reading the login history", err)))
		return rc;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = TXT(s, 0);

		if (t && strlen(t) < 21)
			memcpy(out, t, strlen(t) + 1);
	} else if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, "reading the login history");
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	return 0;
}

int sfa_store_logins_count(sfa_store *st, const char *org_id, long long *n,
			   sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((rc = prep_org(st, SQL_LOGIN_COUNT, org_id, &s,
			   "counting the login history", err)))
		return rc;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
		 ? 0
		 : sfa_store_sqlerr(st, err, "counting the login history");
	sqlite3_finalize(s);
	return rc;
}

int sfa_store_logins_begin(sfa_store *st, sfa_err *err)
{
	if (sqlite3_exec(sfa_store_sqlite(st), "BEGIN IMMEDIATE", NULL, NULL,
			 NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, "storing the login history");
	return 0;
}

int sfa_store_logins_put(sfa_store *st, const char *org_id, const sfa_login *l,
			 sfa_err *err)
{
	const char *v[] = {org_id,	  l->id,	 l->user_id,
			   l->login_time, l->login_type, l->status,
			   l->source_ip,  l->application, l->browser,
			   l->platform,	  l->auth_method_reference};
	sqlite3_stmt *s;
	int rc, i;

	if ((rc = sfa_store_prep(st, SQL_LOGIN_PUT, 0, &s,
				 "storing the login history", err)))
		return rc;
	for (i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++)
		sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
	return sfa_store_run(st, s, "storing the login history", err);
}

int sfa_store_logins_commit(sfa_store *st, sfa_err *err)
{
	if (sqlite3_exec(sfa_store_sqlite(st), "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return sfa_store_sqlerr(st, err, "storing the login history");
	return 0;
}

void sfa_store_logins_rollback(sfa_store *st)
{
	sqlite3_exec(sfa_store_sqlite(st), "ROLLBACK", NULL, NULL, NULL);
}

static int login_row(sqlite3_stmt *s, void *fn, void *ud)
{
	const struct fnbox *b = fn;
	sfa_login l;

	memset(&l, 0, sizeof(l));
	l.login_time = TXT(s, 0);
	l.login_type = TXT(s, 1);
	l.source_ip = TXT(s, 2);
	l.application = TXT(s, 3);
	return l.login_time ? b->login(ud, &l) : 0;
}

int sfa_store_logins_after(sfa_store *st, const char *org_id,
			   const char *user_id, const char *from,
			   sfa_login_fn fn, void *ud, sfa_err *err)
{
	struct fnbox b = {.login = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = prep_org(st, SQL_LOGIN_AFTER, org_id, &s,
			   "reading the login history", err)))
		return rc;
	sqlite3_bind_text(s, 2, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, from, -1, SQLITE_STATIC);
	return sfa_store_each_row(st, s, login_row, &b, ud,
				  "reading the login history", err);
}

struct latest {
	const struct fnbox *box;
	void *ud;
	sqlite3_stmt *upto; /* SQL_LOGIN_LATEST_UPTO, bound to org and time */
	const char *time;
	sfa_store *st;
	sfa_err *err;
};

static int latest_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct latest *lt = fn;
	sfa_login l;
	int rc;

	(void)ud;
	memset(&l, 0, sizeof(l));
	l.user_id = TXT(s, 0);
	l.login_time = TXT(s, 1);
	if (!l.user_id || !l.login_time)
		return 0;
	if (strcmp(l.login_time, lt->time) <= 0)
		return lt->box->login(lt->ud, &l);
	/* Newer than the time asked for (an older snapshot): the newest
	 * before it, from this user's history. */
	sqlite3_reset(lt->upto);
	sqlite3_bind_text(lt->upto, 2, l.user_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(lt->upto)) != SQLITE_ROW)
		return rc == SQLITE_DONE
			   ? 0
			   : sfa_store_sqlerr(lt->st, lt->err,
					      "reading the login history");
	l.login_time = (const char *)sqlite3_column_text(lt->upto, 0);
	return l.login_time ? lt->box->login(lt->ud, &l) : 0;
}

int sfa_store_logins_latest(sfa_store *st, const char *org_id, const char *upto,
			    sfa_login_fn fn, void *ud, sfa_err *err)
{
	struct fnbox b = {.login = fn};
	struct latest lt = {&b, ud, NULL, upto, st, err};
	sqlite3_stmt *s;
	int rc;

	if ((rc = prep_org(st, SQL_LOGIN_LATEST_UPTO, org_id, &lt.upto,
			   "reading the login history", err)))
		return rc;
	sqlite3_bind_text(lt.upto, 3, upto, -1, SQLITE_STATIC);
	if ((rc = prep_org(st, SQL_LOGIN_LATEST, org_id, &s,
			   "reading the login history", err))) {
		sqlite3_finalize(lt.upto);
		return rc;
	}
	rc = sfa_store_each_row(st, s, latest_row, &lt, NULL,
				"reading the login history", err);
	sqlite3_finalize(lt.upto);
	return rc;
}
