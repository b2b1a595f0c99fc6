/*
 * store_perm.c - writing a snapshot's system permissions: the catalogue
 * the describe calls gave, and each container's true Permissions* fields
 * (lib/access/PERMISSIONS.md, "What sync reads").  ObjectPermissions and
 * FieldPermissions are ordinary raw records (sfa_store_put()).
 */
#include "store_int.h"
#include "store_sql.h"

int sfa_store_put_perm_name(sfa_store *st, int perm, const char *name,
			    const char *label, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (!st->snap)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "store: put without an open snapshot");
	if ((rc = sfa_store_prep(st, SQL_INS_PERM_NAME, st->snap, &s,
				 "storing a permission name", err)))
		return rc;
	sqlite3_bind_int(s, 2, perm);
	sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, label, -1, SQLITE_STATIC);
	return sfa_store_run(st, s, "storing a permission name", err);
}

int sfa_store_put_perms(sfa_store *st, sfa_obj obj, const char *id,
			const int *perms, size_t n, sfa_err *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 key;
	size_t i;
	int rc;

	if (!st->snap)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "store: put without an open snapshot");
	if ((obj != SFA_OBJ_PERMISSION_SET_PERMS && obj != SFA_OBJ_MUTING_PERMS) ||
	    !id)
		return sfa_err_set(err, SFA_EINTERNAL, "store: bad put");
	if (n == 0)
		return 0;
	if ((rc = sfa_store_intern(st, id, 1, &st->likely_new[obj][0], &key,
				   err)))
		return rc;
	s = st->ins[obj];
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, st->snap);
		sqlite3_bind_int64(s, 2, key);
		sqlite3_bind_int(s, 3, perms[i]);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			rc = sfa_store_sqlerr(st, err, "storing a permission");
			sfa_err_where(err, "%s %s", sfa_obj_get(obj)->sobject,
				      id);
			return rc;
		}
	}
	return 0;
}
