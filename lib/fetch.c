/*
 * fetch.c - the fetcher: for each object of the table in objects.c, one
 * SOQL scan (the REST client follows nextRecordsUrl to the end), each
 * record flattened into canonical text values and put into the store.
 *
 * Filters that shrink the User scan (--no-sync-deactivated-users, the
 * Standard-only default) are applied in SOQL, so filtered users never
 * reach the store; the store derives access only for users it holds.
 */
#include "fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Values of one record, canonicalised in place.  Numbers and booleans are
 * printed into num[]; strings are borrowed from the JSON record. */
typedef struct row {
	const char *vals[32];
	char num[32][32];
} row;

typedef struct scan {
	const sfa_obj_def *def;
	const sfa_sync_opts *opts;
	sfa_store *st;
	sfa_fetch_progress_fn progress;
	void *ud;
	long long rows;
	row r;
} scan;

char *sfa_fetch_soql(const sfa_obj_def *def, const sfa_sync_opts *opts)
{
	sfa_buf b = {0};
	const char *sep = " WHERE ";
	size_t i;
	int rc = sfa_buf_puts(&b, "SELECT ");

	for (i = 0; i < def->nfields && rc == 0; i++)
		rc = sfa_buf_printf(&b, "%s%s", i ? ", " : "", def->fields[i]);
	rc = rc ? rc : sfa_buf_printf(&b, " FROM %s", def->sobject);
	if (rc == 0 && def->where) {
		rc = sfa_buf_printf(&b, "%s%s", sep, def->where);
		sep = " AND ";
	}
	if (rc == 0 && def->obj == SFA_OBJ_USER) {
		if (!opts->non_standard_licenses) {
			rc = sfa_buf_printf(&b, "%sUserType = 'Standard'", sep);
			sep = " AND ";
		}
		if (rc == 0 && opts->no_deactivated_users)
			rc = sfa_buf_printf(&b, "%sIsActive = true", sep);
	}
	if (rc) {
		sfa_buf_free(&b);
		return NULL;
	}
	return sfa_buf_detach(&b);
}

char *sfa_fetch_options_json(const sfa_sync_opts *o)
{
	sfa_buf b = {0};

	if (sfa_buf_printf(&b,
			   "{\"no_sync_deactivated_users\":%s,"
			   "\"sync_connected_apps\":%s,"
			   "\"sync_non_standard_licenses\":%s,"
			   "\"username_as_email\":%s}",
			   o->no_deactivated_users ? "true" : "false",
			   o->sync_connected_apps ? "true" : "false",
			   o->non_standard_licenses ? "true" : "false",
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

static int on_record(void *ud, json_t *rec, sfa_err *err)
{
	scan *s = ud;
	const sfa_obj_def *def = s->def;
	size_t i;
	int rc;

	for (i = 0; i < def->nfields; i++) {
		json_t *v = lookup(rec, def->fields[i]);

		s->r.vals[i] = NULL;
		if (v && canon(v, s->r.num[i], &s->r.vals[i])) {
			sfa_err_where(err, "%s.%s", def->sobject,
				      def->fields[i]);
			return sfa_err_set(err, SFA_EPROTO,
					   "unexpected value for %s.%s in the "
					   "query response",
					   def->sobject, def->fields[i]);
		}
	}
	if (def->obj == SFA_OBJ_USER && s->opts->username_as_email)
		s->r.vals[SFA_USER_EMAIL] = s->r.vals[SFA_USER_USERNAME];
	rc = sfa_store_put(s->st, def->obj, s->r.vals, err);
	if (rc)
		return rc;
	s->rows++;
	if (s->progress && s->rows % 2000 == 0)
		s->progress(s->ud, def->sobject, s->rows, 0);
	return 0;
}

static int scan_object(sfa_sf *sf, scan *s, sfa_err *err)
{
	char *soql = sfa_fetch_soql(s->def, s->opts);
	int rc;

	if (!soql)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	s->rows = 0;
	rc = sfa_sf_query(sf, soql, 0, on_record, s, err);
	free(soql);
	if (rc) {
		if (!err->where[0])
			sfa_err_where(err, "%s", s->def->sobject);
		return rc;
	}
	if (s->progress)
		s->progress(s->ud, s->def->sobject, s->rows, 1);
	return 0;
}

int sfa_fetch_snapshot(sfa_sf *sf, sfa_store *st, const sfa_sync_opts *opts,
		       sfa_fetch_progress_fn progress, void *ud,
		       long long *snapshot_id, sfa_err *err)
{
	char *options = sfa_fetch_options_json(opts);
	scan s;
	int rc, i;

	*snapshot_id = 0;
	if (!options)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	rc = sfa_store_begin_snapshot(st, sfa_sf_org_id(sf),
				      sfa_sf_api_version(sf), options,
				      snapshot_id, err);
	free(options);
	if (rc)
		return rc;
	memset(&s, 0, sizeof(s));
	s.opts = opts;
	s.st = st;
	s.progress = progress;
	s.ud = ud;
	for (i = 0; i < SFA_OBJ_COUNT && rc == 0; i++) {
		s.def = sfa_obj_get((sfa_obj)i);
		if ((s.def->flags & SFA_OBJ_F_CONNECTED_APPS) &&
		    !opts->sync_connected_apps)
			continue;
		rc = scan_object(sf, &s, err);
	}
	if (rc == 0)
		rc = sfa_store_finish_snapshot(st, sfa_sf_api_requests(sf), err);
	if (rc)
		sfa_store_abort_snapshot(st, err->msg);
	return rc;
}
