/*
 * json.c - the access review as JSON.  The document's frame is written by
 * hand so that rows can stream; each row and the metadata go through
 * jansson, which does all the escaping.
 */
#include "report_json.h"

#include <jansson.h>
#include <string.h>

#include "snapinfo.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* json_object_set_new() takes the value even on failure, so a NULL from
 * an allocation is caught once, by the caller's final check. */
static int set(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set_new(o, k, v) : -1;
}

json_t *sfa_json_access_row(const sfa_access_row *r)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= set(o, "snapshot_id", json_integer(r->snapshot_id));
	bad |= set(o, "captured_at", str_or_null(r->captured_at));
	bad |= set(o, "org_id", str_or_null(r->org_id));
	bad |= set(o, "user_id", str_or_null(r->user_id));
	bad |= set(o, "username", str_or_null(r->username));
	bad |= set(o, "name", str_or_null(r->name));
	bad |= set(o, "email", str_or_null(r->email));
	bad |= set(o, "user_type", str_or_null(r->user_type));
	bad |= set(o, "license", str_or_null(r->license));
	bad |= set(o, "is_active", json_boolean(r->is_active));
	bad |= set(o, "is_frozen", json_boolean(r->is_frozen));
	bad |= set(o, "last_login_at", str_or_null(r->last_login_at));
	bad |= set(o, "manager_username", str_or_null(r->manager_username));
	bad |= set(o, "access_type", str_or_null(r->access_type));
	bad |= set(o, "access_id", str_or_null(r->access_id));
	bad |= set(o, "access_name", str_or_null(r->access_name));
	bad |= set(o, "via_type", str_or_null(r->via_type));
	bad |= set(o, "via_id", str_or_null(r->via_id));
	bad |= set(o, "via_name", str_or_null(r->via_name));
	bad |= set(o, "assigned_at", str_or_null(r->assigned_at));
	bad |= set(o, "expires_at", str_or_null(r->expires_at));
	bad |= set(o, "first_seen_at", str_or_null(r->first_seen_at));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

typedef struct pass {
	FILE *f;
	long long rows;
	sfa_err *err;
} pass;

static int on_row(void *ud, const sfa_access_row *r)
{
	pass *p = ud;
	json_t *o = sfa_json_access_row(r);
	int rc;

	if (!o)
		return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	fputs(p->rows ? ",\n    " : "\n    ", p->f);
	rc = json_dumpf(o, p->f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	p->rows++;
	return rc || ferror(p->f) ? sfa_err_set(p->err, SFA_EIO,
						"cannot write the JSON report")
				  : 0;
}

static json_t *snapshot_object(const sfa_snapinfo *s)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= set(o, "id", json_integer(s->id));
	bad |= set(o, "org_id", str_or_null(s->org_id));
	bad |= set(o, "api_version", str_or_null(s->api_version));
	bad |= set(o, "started_at", str_or_null(s->started_at));
	bad |= set(o, "finished_at", str_or_null(s->finished_at));
	bad |= set(o, "status", str_or_null(s->status));
	bad |= set(o, "content_hash", str_or_null(s->content_hash));
	bad |= set(o, "users", json_integer(s->n_users));
	bad |= set(o, "resources", json_integer(s->n_resources));
	bad |= set(o, "access_rows", json_integer(s->n_access));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The columns in CSV order, without the reviewers' three. */
static json_t *columns(void)
{
	static const char *const names[] = {
	    "snapshot_id",	"captured_at",	"org_id",    "user_id",
	    "username",		"name",		"email",     "user_type",
	    "license",		"is_active",	"is_frozen", "last_login_at",
	    "manager_username", "access_type",	"access_id", "access_name",
	    "via_type",		"via_id",	"via_name",  "assigned_at",
	    "expires_at",	"first_seen_at"};
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
		if (json_array_append_new(a, json_string(names[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int sfa_report_access_json(sfa_store *st, long long snapshot_id,
			   const sfa_access_filter *filter, FILE *f,
			   long long *rows, sfa_err *err)
{
	sfa_snapinfo si;
	json_t *snap = NULL, *tool = NULL, *cols = NULL;
	pass p = {f, 0, err};
	int rc;

	*rows = 0;
	if ((rc = sfa_snapinfo_load(&si, st, snapshot_id, err)))
		goto out;
	snap = snapshot_object(&si);
	tool =
	    json_pack("{s:s, s:s}", "name", "sfaccess", "version", SFA_VERSION);
	cols = columns();
	if (!snap || !tool || !cols) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	fputs("{\n  \"report\": \"access_review\",\n  \"tool\": ", f);
	json_dumpf(tool, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputs(",\n  \"snapshot\": ", f);
	json_dumpf(snap, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputs(",\n  \"columns\": ", f);
	json_dumpf(cols, f, JSON_COMPACT);
	fputs(",\n  \"rows\": [", f);
	rc = sfa_store_each_access(st, snapshot_id, filter, on_row, &p, err);
	if (rc == 0) {
		fprintf(f, "%s],\n  \"row_count\": %lld\n}\n",
			p.rows ? "\n  " : "", p.rows);
		if (ferror(f) || fflush(f))
			rc = sfa_err_set(err, SFA_EIO,
					 "cannot write the JSON report");
	}
	*rows = p.rows;
out:
	json_decref(snap);
	json_decref(tool);
	json_decref(cols);
	sfa_snapinfo_clear(&si);
	return rc;
}
