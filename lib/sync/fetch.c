/*
 * fetch.c - the fetcher's record side: the SOQL of each object of the
 * table in objects.c, and each record (REST JSON or Bulk CSV values)
 * flattened into canonical text values and put into the store.  Which
 * scans run when is fetch_scan.c's job.
 *
 * The filters of the User scan (--no-sync-deactivated-users, the
 * Standard-only default) are applied here, record by record, not in
 * SOQL: a user they leave out is recorded as left out (Id, Username and
 * why) instead of being stored, so that asking for one is answered
 * "left out by this option", never with an empty list.  The store derives
 * access only for users it holds.
 */
#include "fetch.h"
#include "fetch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

char *sfa_fetch_soql(const sfa_obj_def *def, const sfa_sync_opts *opts)
{
	sfa_buf b = {0};
	size_t i;
	int rc = sfa_buf_puts(&b, "SELECT ");

	for (i = 0; i < def->nfields && rc == 0; i++)
		rc = sfa_buf_printf(&b, "%s%s", i ? ", " : "", def->fields[i]);
	rc = rc ? rc : sfa_buf_printf(&b, " FROM %s", def->sobject);
	if (rc == 0 && def->where)
		rc = sfa_buf_printf(&b, " WHERE %s", def->where);
	/* No option narrows a scan's SOQL: the User filters apply per
	 * record in put(), so that left-out users are recorded. */
	(void)opts;
	if (rc) {
		sfa_buf_free(&b);
		return NULL;
	}
	return sfa_buf_detach(&b);
}

char *sfa_fetch_options_json(const sfa_sync_opts *o)
{
	sfa_buf b = {0};

	/* The entitlement options appear only when set, so that a snapshot
	 * without them keeps the options text it always had. */
	if (sfa_buf_printf(
		&b,
		"{\"no_sync_deactivated_users\":%s,"
		"\"sync_connected_apps\":%s,%s"
		"\"sync_field_permissions\":%s,"
		"\"sync_non_standard_licenses\":%s,"
		"\"sync_permissions\":%s,%s"
		"\"username_as_email\":%s}",
		o->no_deactivated_users ? "true" : "false",
		o->sync_connected_apps ? "true" : "false",
		o->sync_entitlements ? "\"sync_entitlements\":true," : "",
		o->field_permissions && !o->no_permissions ? "true" : "false",
		o->non_standard_licenses ? "true" : "false",
		o->no_permissions ? "false" : "true",
		o->sync_territories ? "\"sync_territories\":true," : "",
		o->username_as_email ? "true" : "false")) {
		sfa_buf_free(&b);
		return NULL;
	}
	return sfa_buf_detach(&b);
}

/* Follows a dotted path ("Profile.UserLicense.Name") through nested
 * relationship objects; a null lookup anywhere on the way is null. */
static json_t *lookup(json_t *rec, const char *path)
{
	char seg[128];
	const char *dot;
	json_t *v = rec;

	while (v && (dot = strchr(path, '.')) != NULL) {
		size_t n = (size_t)(dot - path);

		if (n >= sizeof(seg))
			return NULL;
		memcpy(seg, path, n);
		seg[n] = '\0';
		v = json_object_get(v, seg);
		if (!json_is_object(v))
			return NULL;
		path = dot + 1;
	}
	return v ? json_object_get(v, path) : NULL;
}

static int canon(json_t *v, char num[32], const char **out)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		*out = json_string_value(v);
		if (**out == '\0')
			*out = NULL;
		else if (sfa_obj_canon_time(*out, num))
			*out = num;
		return 0;
	case JSON_TRUE:
		*out = "true";
		return 0;
	case JSON_FALSE:
		*out = "false";
		return 0;
	case JSON_INTEGER:
		snprintf(num, 32, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		*out = num;
		return 0;
	case JSON_REAL:
		snprintf(num, 32, "%.17g", json_real_value(v));
		*out = num;
		return 0;
	case JSON_NULL:
		*out = NULL;
		return 0;
	default:
		return -1; /* an object or array where a value belongs */
	}
}

static int put(sfa_store *st, const sfa_obj_def *def, const sfa_sync_opts *opts,
	       sfa_fetch_row *r, sfa_err *err)
{
	const char *type, *active;
	size_t i;

	/* A def read without its last fields (fetch_perm.c: what the org's
	 * describe lacks) stores them as NULL. */
	for (i = def->nfields; i < sfa_obj_get(def->obj)->nfields; i++)
		r->vals[i] = NULL;

	if (def->obj == SFA_OBJ_USER) {
		type = r->vals[SFA_USER_TYPE];
		active = r->vals[SFA_USER_IS_ACTIVE];
		if (!opts->non_standard_licenses &&
		    (!type || strcmp(type, "Standard") != 0))
			return sfa_store_put_left_out(
			    st, r->vals[SFA_USER_ID],
			    r->vals[SFA_USER_USERNAME], type,
			    SFA_LEFT_OUT_NON_STANDARD, err);
		if (opts->no_deactivated_users && active &&
		    strcmp(active, "false") == 0)
			return sfa_store_put_left_out(
			    st, r->vals[SFA_USER_ID],
			    r->vals[SFA_USER_USERNAME], type,
			    SFA_LEFT_OUT_DEACTIVATED, err);
	}
	if (def->obj == SFA_OBJ_USER && opts->username_as_email)
		r->vals[SFA_USER_EMAIL] = r->vals[SFA_USER_USERNAME];
	return sfa_store_put(st, def->obj, r->vals, err);
}

static int bad_value(const sfa_obj_def *def, size_t i, sfa_err *err)
{
	sfa_err_where(err, "%s.%s", def->sobject, def->fields[i]);
	return sfa_err_set(err, SFA_EPROTO,
			   "unexpected value for %s.%s in the query response",
			   def->sobject, def->fields[i]);
}

int sfa_fetch__put_json(sfa_store *st, const sfa_obj_def *def,
			const sfa_sync_opts *opts, sfa_fetch_row *r,
			json_t *rec, sfa_err *err)
{
	size_t i;

	for (i = 0; i < def->nfields; i++) {
		json_t *v = lookup(rec, def->fields[i]);

		r->vals[i] = NULL;
		if (v && canon(v, r->num[i], &r->vals[i]))
			return bad_value(def, i, err);
	}
	return put(st, def, opts, r, err);
}

int sfa_fetch__put_text(sfa_store *st, const sfa_obj_def *def,
			const sfa_sync_opts *opts, sfa_fetch_row *r,
			const char *const *vals, sfa_err *err)
{
	size_t i;

	/* Bulk CSV is text already; only dateTimes ("...Z") need the same
	 * canonical form REST values get. */
	for (i = 0; i < def->nfields; i++) {
		r->vals[i] = vals[i];
		if (vals[i] && sfa_obj_canon_time(vals[i], r->num[i]))
			r->vals[i] = r->num[i];
	}
	return put(st, def, opts, r, err);
}
