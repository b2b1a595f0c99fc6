/*
 * fetch_int.h - what fetch.c (records to canonical values) gives
 * fetch_scan.c (the scheduler of scans).  Internal to lib/fetch*.c.
 */
#ifndef SFA_FETCH_INT_H
#define SFA_FETCH_INT_H

#include <jansson.h>

#include "fetch.h"

/* Values of one record, canonicalised; numbers, booleans and dateTimes
 * are printed into num[], strings borrowed from the record. */
typedef struct sfa_fetch_row {
	const char *vals[32];
	char num[32][32];
} sfa_fetch_row;

/* Puts one REST record (JSON) of def into the store. */
int sfa_fetch__put_json(sfa_store *st, const sfa_obj_def *def,
			const sfa_sync_opts *opts, sfa_fetch_row *r,
			json_t *rec, sfa_err *err);

/* Puts one Bulk record (text values in def->fields order, NULL for
 * empty) of def into the store. */
int sfa_fetch__put_text(sfa_store *st, const sfa_obj_def *def,
			const sfa_sync_opts *opts, sfa_fetch_row *r,
			const char *const *vals, sfa_err *err);

/* ---- permissions (fetch_perm.c) ---- */

/* One scan of a described object (objects.h SFA_OBJ_F_DESCRIBED): def's
 * fields are Id and a part of the Permissions* booleans, perm[i] the
 * catalogue number of fields[i] (i >= 1). */
typedef struct sfa_fetch_described {
	sfa_obj_def def;
	const char **fields; /* def.fields, writable while planned */
	int *perm;
} sfa_fetch_described;

/* At most this many scans of described objects; each holds a few
 * hundred fields. */
#define SFA_FETCH_MAX_PARTS 16

/* What the describe calls planned: the described scans, ObjectPermissions'
 * def (without PermissionsViewAllFields when the org lacks it), and
 * whether the org has ObjectPermissions and FieldPermissions. */
typedef struct sfa_fetch_perms {
	sfa_fetch_described parts[SFA_FETCH_MAX_PARTS];
	int nparts;
	sfa_obj_def object_perms;
	sfa_obj_def permission_set; /* without the flags, when described */
	int have_object_perms, have_field_perms, have_described_ps;
	json_t *describes[2]; /* the field names are theirs */
	int ndescribes;
	const char **names; /* the catalogue, by number */
	int nnames, cap_names;
	char **strings;
	size_t nstrings, cap_strings;
} sfa_fetch_perms;

/* The describe calls a sync with opts makes. */
#define SFA_FETCH_DESCRIBES(opts)                                              \
	((opts)->no_permissions ? 0 : (opts)->field_permissions ? 4 : 3)

/* Reads the describes (unless opts->no_permissions) and stores the
 * catalogue in the open snapshot; a missing object or field is a note in
 * stats, not an error.  *p is freed with sfa_fetch__perms_free(), also
 * after a failure. */
int sfa_fetch__perms_prepare(sfa_fetch_perms *p, sfa_sf *sf, sfa_store *st,
			     const sfa_sync_opts *opts, sfa_fetch_stats *stats,
			     sfa_err *err);
void sfa_fetch__perms_free(sfa_fetch_perms *p);

/* Puts one record of a described scan; scratch holds a number per
 * permission of the catalogue. */
int sfa_fetch__put_perms_json(sfa_store *st, const sfa_fetch_described *d,
			      int *scratch, json_t *rec, sfa_err *err);
int sfa_fetch__put_perms_text(sfa_store *st, const sfa_fetch_described *d,
			      int *scratch, const char *const *vals,
			      sfa_err *err);

#endif
