/*
 * access.c - deriving a snapshot's effective access at finish time: drops
 * the logins and tokens of users the sync left out (access_sql.h), then
 * has access_rules.c apply rules 1-9 user by user into access sets (and
 * drop those users' assignments and memberships), with first_seen_at
 * carried over from the org's previous complete snapshot.
 */
#include "access.h"
#include "access_set.h"
#include "access_sql.h"
#include "store_db.h"

static const char *const drops[] = {
    SQL_DROP_UNSYNCED_LOGIN,	       SQL_DROP_UNSYNCED_TOKEN,
    SQL_DROP_UNSYNCED_TERRITORY,       SQL_DROP_UNSYNCED_PS_LICENSE,
    SQL_DROP_UNSYNCED_PACKAGE_LICENSE,
};

/* The org's latest complete snapshot before this one, or 0. */
static int previous(sfa_store *st, long long *prev, sfa_err *err)
{
	const char *what = "storing access rows";
	sqlite3_stmt *s;
	int rc;

	*prev = 0;
	if ((rc = sfa_store_prep(st, SQL_PREV_COMPLETE, sfa_store_writing(st),
				 &s, what, err)))
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*prev = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sfa_store_sqlerr(st, err, what);
	return 0;
}

int sfa_access_derive(sfa_store *st, sfa_err *err)
{
	const char *what = "dropping rows of unsynced users";
	sfa_access_writer *w = NULL;
	sqlite3_stmt *s;
	long long prev;
	size_t i;
	int rc;

	if (!sfa_store_writing(st))
		return sfa_err_set(err, SFA_EINTERNAL,
				   "access: no open snapshot");
	for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++)
		if ((rc = sfa_store_prep(st, drops[i], sfa_store_writing(st),
					 &s, what, err)) ||
		    (rc = sfa_store_run(st, s, what, err)))
			return rc;
	if ((rc = previous(st, &prev, err)) ||
	    (rc = sfa_access_writer_new(st, sfa_store_writing(st), prev, &w,
					err)))
		return rc;
	rc = sfa_access_rules_run(st, w, err);
	sfa_access_writer_free(w);
	return rc;
}
