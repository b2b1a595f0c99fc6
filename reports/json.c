/*
 * json.c - the access review as JSON.  The document's frame is written by
 * hand so that rows can stream; each row and the metadata go through
 * jansson, which does all the escaping.
 */
#include "report_json.h"

#include <jansson.h>
#include <string.h>

#include "report_evidence.h"
#include "snapinfo.h"
#include "store_evidence.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* json_object_set_new() takes the value even on failure, so a NULL from
 * an allocation is caught once, by the caller's final check. */
int sfa_json_set(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set_new(o, k, v) : -1;
}

int sfa_json_set_str(json_t *o, const char *k, const char *s)
{
	return sfa_json_set(o, k, str_or_null(s));
}

int sfa_json_add_access_row(json_t *o, const sfa_access_row *r)
{
	int bad = 0;

	bad |= sfa_json_set(o, "snapshot_id", json_integer(r->snapshot_id));
	bad |= sfa_json_set_str(o, "captured_at", r->captured_at);
	bad |= sfa_json_set_str(o, "org_id", r->org_id);
	bad |= sfa_json_set_str(o, "user_id", r->user_id);
	bad |= sfa_json_set_str(o, "username", r->username);
	bad |= sfa_json_set_str(o, "name", r->name);
	bad |= sfa_json_set_str(o, "email", r->email);
	bad |= sfa_json_set_str(o, "user_type", r->user_type);
	bad |= sfa_json_set_str(o, "license", r->license);
	bad |=
	    sfa_json_set(o, "is_active",
			 r->user_id ? json_boolean(r->is_active) : json_null());
	bad |=
	    sfa_json_set(o, "is_frozen",
			 r->user_id ? json_boolean(r->is_frozen) : json_null());
	bad |= sfa_json_set_str(o, "last_login_at", r->last_login_at);
	bad |= sfa_json_set_str(o, "manager_username", r->manager_username);
	bad |= sfa_json_set_str(o, "access_type", r->access_type);
	bad |= sfa_json_set_str(o, "access_id", r->access_id);
	bad |= sfa_json_set_str(o, "access_name", r->access_name);
	bad |= sfa_json_set_str(o, "via_type", r->via_type);
	bad |= sfa_json_set_str(o, "via_id", r->via_id);
	bad |= sfa_json_set_str(o, "via_name", r->via_name);
	bad |= sfa_json_set_str(o, "assigned_at", r->assigned_at);
	bad |= sfa_json_set_str(o, "expires_at", r->expires_at);
	bad |= sfa_json_set_str(o, "first_seen_at", r->first_seen_at);
	bad |= sfa_json_set(o, "tier",
			    r->tier < 0 ? json_null() : json_integer(r->tier));
	bad |= sfa_json_set_str(o, "granted_by", r->granted_by);
	bad |= sfa_json_set_str(o, "implied_by", r->implied_by);
	return bad ? -1 : 0;
}

int sfa_json_put_row(FILE *f, long long nth, json_t *o)
{
	int rc;

	fputs(nth ? ",\n    " : "\n    ", f);
	rc = json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return rc || ferror(f) ? -1 : 0;
}

typedef struct pass {
	FILE *f;
	long long rows;
	sfa_err *err;
} pass;

static int on_row(void *ud, const sfa_access_row *r)
{
	pass *p = ud;
	json_t *o = json_object();
	int rc;

	if (!o || sfa_json_add_access_row(o, r)) {
		json_decref(o);
		return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	}
	rc = sfa_json_put_row(p->f, p->rows++, o);
	return rc ? sfa_err_set(p->err, SFA_EIO, "cannot write the JSON report")
		  : 0;
}

static json_t *snapshot_object(const sfa_snapinfo *s)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= sfa_json_set(o, "id", json_integer(s->id));
	bad |= sfa_json_set_str(o, "org_id", s->org_id);
	bad |= sfa_json_set_str(o, "api_version", s->api_version);
	bad |= sfa_json_set_str(o, "started_at", s->started_at);
	bad |= sfa_json_set_str(o, "finished_at", s->finished_at);
	bad |= sfa_json_set_str(o, "status", s->status);
	bad |= sfa_json_set_str(o, "content_hash", s->content_hash);
	bad |= sfa_json_set(o, "users", json_integer(s->n_users));
	bad |= sfa_json_set(o, "resources", json_integer(s->n_resources));
	bad |= sfa_json_set(o, "access_rows", json_integer(s->n_access));
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
	    "expires_at",	"first_seen_at", "tier", "granted_by",
	    "implied_by"};
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
		if (json_array_append_new(a, json_string(names[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* One licence's seats (lib/access/ACCESS-MODEL.md, "Licence seats"):
 * total null when the org gave none, -1 unlimited; free only when the
 * total is a number of seats. */
static int on_seat(void *ud, const sfa_license_seat *x)
{
	json_t *a = ud, *o = json_object();
	int bad = !o;

	if (o) {
		bad |= sfa_json_set_str(o, "type", x->type);
		bad |= sfa_json_set_str(o, "id", x->id);
		bad |= sfa_json_set_str(o, "name", x->name);
		bad |= sfa_json_set(o, "total",
				    x->total_known ? json_integer(x->total)
						   : json_null());
		bad |= sfa_json_set(o, "used",
				    x->used_known ? json_integer(x->used)
						  : json_null());
		bad |= sfa_json_set(o, "free",
				    x->total_known && x->used_known &&
					    x->total >= 0
					? json_integer(x->total - x->used)
					: json_null());
		bad |= sfa_json_set(o, "assigned", json_integer(x->assigned));
		bad |= sfa_json_set(o, "assigned_to_inactive_users",
				    json_integer(x->assigned_inactive));
	}
	if (bad || json_array_append_new(a, o)) {
		json_decref(o);
		return SFA_ENOMEM;
	}
	return 0;
}

/* One territory association with its role (lib/access/ACCESS-MODEL.md,
 * E1): the attribute the access row of the territory cannot carry. */
static int on_member(void *ud, const sfa_territory_member *m)
{
	json_t *o = json_pack("{s:s?, s:s?, s:s?}", "user_id", m->user_id,
			      "territory_id", m->territory_id,
			      "role_in_territory", m->role);

	if (!o || json_array_append_new(ud, o)) {
		json_decref(o);
		return SFA_ENOMEM;
	}
	return 0;
}

int sfa_report_access_json(sfa_store *st, long long snapshot_id,
			   const sfa_access_filter *filter, FILE *f,
			   long long *rows, sfa_err *err)
{
	sfa_snapinfo si;
	json_t *snap = NULL, *tool = NULL, *cols = NULL, *seats = json_array();
	json_t *ev = NULL;
	json_t *members = json_array();
	pass p = {f, 0, err};
	int rc;

	*rows = 0;
	if ((rc = sfa_snapinfo_load(&si, st, snapshot_id, err)))
		goto out;
	snap = snapshot_object(&si);
	tool =
	    json_pack("{s:s, s:s}", "name", "sfaccess", "version", SFA_VERSION);
	cols = columns();
	if (!snap || !tool || !cols || !seats || !members) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	fputs("{\n  \"report\": \"access_review\",\n  \"tool\": ", f);
	json_dumpf(tool, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputs(",\n  \"snapshot\": ", f);
	json_dumpf(snap, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if ((rc = sfa_store_get_evidence(st, snapshot_id, &ev, err)) ||
	    (rc = sfa_report_evidence_json(f, ev, err)))
		goto out;
	fputs(",\n  \"columns\": ", f);
	json_dumpf(cols, f, JSON_COMPACT);
	fputs(",\n  \"rows\": [", f);
	rc = sfa_store_each_access(st, snapshot_id, filter, on_row, &p, err);
	if (rc == 0 && ((rc = sfa_store_each_license_seat(
			     st, snapshot_id, on_seat, seats, err)) ||
			(rc = sfa_store_each_territory_member(
			     st, snapshot_id, on_member, members, err))))
		rc = rc == SFA_ENOMEM
			 ? sfa_err_set(err, SFA_ENOMEM, "out of memory")
			 : rc;
	if (rc == 0) {
		fprintf(f, "%s],\n  \"row_count\": %lld", p.rows ? "\n  " : "",
			p.rows);
		/* Only a snapshot with licences has seats to show. */
		if (json_array_size(seats)) {
			fputs(",\n  \"license_seats\": ", f);
			json_dumpf(seats, f,
				   JSON_COMPACT | JSON_PRESERVE_ORDER);
		}
		if (json_array_size(members)) {
			fputs(",\n  \"territory_members\": ", f);
			json_dumpf(members, f,
				   JSON_COMPACT | JSON_PRESERVE_ORDER);
		}
		fputs("\n}\n", f);
		if (ferror(f) || fflush(f))
			rc = sfa_err_set(err, SFA_EIO,
					 "cannot write the JSON report");
	}
	*rows = p.rows;
out:
	json_decref(snap);
	json_decref(tool);
	json_decref(cols);
	json_decref(seats);
	json_decref(members);
	json_decref(ev);
	sfa_snapinfo_clear(&si);
	return rc;
}
