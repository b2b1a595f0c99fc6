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

/* ---- evidence (fetch_evidence.c, EVIDENCE.md) ---- */

/* The control totals of the run's scans, EVIDENCE.md's JSON array, with
 * `stored` from st and `excluded` empty (sfa_fetch__recount() fills
 * User's).  NULL on ENOMEM. */
json_t *sfa_fetch__control_totals(const sfa_store *st,
				  const sfa_fetch_stats *stats,
				  const char *api_version);

/* SFA_EPROTO naming the object and both numbers when a scan received
 * other than the count Salesforce gave for it. */
int sfa_fetch__control_check(const sfa_fetch_stats *stats, sfa_err *err);

/* After the scans, in one batch on b: SELECT COUNT() of the User,
 * PermissionSetAssignment and GroupMember scans' queries and the grouped
 * user count (4 requests; /services/oauth2/userinfo for flows whose
 * configuration does not name the user), and the SetupAuditTrail entries
 * newer than the store holds, copied into its audit trail for snapshot
 * snap (its pages; *audit_new counts the new entries).  Salesforce
 * refusing the audit trail (INSUFFICIENT_ACCESS, INVALID_TYPE) does not
 * fail the sync: audit_error (audit_error_n bytes) gets its error code
 * and message, "" when the trail was read.  Adds "drift" and
 * "reconciliation" to ev and counts User's excluded users by reason in
 * ev's control totals.  *username is userinfo's, malloc'd, or NULL. */
int sfa_fetch__recount(sfa_sf *sf, sfa_sf_batch *b, sfa_store *st,
		       long long snap, const sfa_sync_opts *opts,
		       const sfa_fetch_stats *stats, json_t *ev,
		       char **username, long long *audit_new, char *audit_error,
		       size_t audit_error_n, sfa_err *err);

/* The provenance object of EVIDENCE.md for a run on sf; username NULL
 * takes the one the configuration logs in as.  NULL on ENOMEM. */
json_t *sfa_fetch__provenance(const sfa_sf *sf, const char *username,
			      const char *started_at, const char *finished_at);

/* ---- permissions (fetch_perm.c) ---- */

/* One scan of a described object (objects.h SFA_OBJ_F_DESCRIBED): def's
 * fields are Id, or the fields of base when it is set, then a part of the
 * Permissions* booleans from fields[first_perm] on; perm[i] is the
 * catalogue number of fields[i].  PermissionSet's first part carries the
 * object's own fields (base), so that the object is read once: each
 * record is stored as base's scan would store it, and its permissions. */
typedef struct sfa_fetch_described {
	sfa_obj_def def;
	const char **fields; /* def.fields, writable while planned */
	int *perm;
	const sfa_obj_def *base; /* NULL: Id only */
	size_t first_perm;
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
	int nnames;
	size_t cap_names;
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
