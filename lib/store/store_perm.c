/*
 * store_perm.c - writing a snapshot's system permissions: the catalogue
 * the describe calls gave, and each container's true Permissions* fields
 * (lib/access/PERMISSIONS.md, "What sync reads").  ObjectPermissions and
 * FieldPermissions are ordinary raw records (sfa_store_put()).
 */
#include "fnv.h"
#include "store_int.h"
#include "store_sql.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The field names of the snapshot being written and their numbers: an
 * open-addressing table, a few thousand names against hundreds of
 * thousands of FieldPermissions rows. */
struct sfa_field_names {
	long long snap;
	sqlite3_stmt *put; /* SQL_INS_PERM_FIELD_NAME */
	char **name;
	sqlite3_int64 *no;
	size_t n, cap; /* cap a power of two */
};

void sfa_store_field_names_free(sfa_store *st)
{
	struct sfa_field_names *f = st->fields;
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->cap; i++)
		free(f->name[i]);
	free(f->name);
	free(f->no);
	sqlite3_finalize(f->put);
	free(f);
	st->fields = NULL;
}

static int grow_names(struct sfa_field_names *f)
{
	size_t cap = f->cap ? 2 * f->cap : 1024, i;
	char **name = calloc(cap, sizeof(*name));
	sqlite3_int64 *no = calloc(cap, sizeof(*no));

	if (!name || !no) {
		free(name);
		free(no);
		return -1;
	}
	for (i = 0; i < f->cap; i++) {
		size_t j;

		if (!f->name[i])
			continue;
		for (j = sfa_fnv1a(f->name[i]) & (cap - 1); name[j];
		     j = (j + 1) & (cap - 1))
			;
		name[j] = f->name[i];
		no[j] = f->no[i];
	}
	free(f->name);
	free(f->no);
	f->name = name;
	f->no = no;
	f->cap = cap;
	return 0;
}

int sfa_store_field_number(sfa_store *st, const char *field,
			   sqlite3_int64 *out, sfa_err *err)
{
	struct sfa_field_names *f = st->fields;
	size_t i;
	int rc;

	if (f && f->snap != st->snap) {
		sfa_store_field_names_free(st);
		f = NULL;
	}
	if (!f) {
		if (!(f = calloc(1, sizeof(*f))))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		st->fields = f;
		f->snap = st->snap;
		if ((rc = sfa_store_prep(st, SQL_INS_PERM_FIELD_NAME, st->snap,
					 &f->put, "storing a field name", err)))
			return rc;
	}
	if (2 * (f->n + 1) > f->cap && grow_names(f))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	for (i = sfa_fnv1a(field) & (f->cap - 1); f->name[i];
	     i = (i + 1) & (f->cap - 1))
		if (strcmp(f->name[i], field) == 0) {
			*out = f->no[i];
			return 0;
		}
	if (!(f->name[i] = strdup(field)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	f->no[i] = (sqlite3_int64)++f->n;
	sqlite3_bind_int64(f->put, 2, f->no[i]);
	sqlite3_bind_text(f->put, 3, field, -1, SQLITE_STATIC);
	rc = sqlite3_step(f->put);
	sqlite3_reset(f->put);
	if (rc != SQLITE_DONE)
		return sfa_store_sqlerr(st, err, "storing a field name");
	*out = f->no[i];
	return 0;
}

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
