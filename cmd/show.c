/*
 * show.c - `sfaccess show`: the resources and effective access of one
 * snapshot, optionally narrowed to a resource type or a user.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "csv_io.h"
#include "store.h"
#include "store_evidence.h"

static const char usage[] =
    "usage: sfaccess show [--snapshot ID] [--type T] [--user U]\n"
    "                     [--format table|csv|json]\n"
    "       sfaccess show [--snapshot ID] --provenance [--format "
    "table|json]\n\n"
    "Shows the resources and the effective access rows of a snapshot "
    "(default: the\nlatest complete one).  --type narrows both to one "
    "type (user, profile, role,\ngroup, queue, permission_set, "
    "permission_set_group, connected_app, license,\nterritory, "
    "permission_set_license, package_license, custom_permission).\n"
    "--user shows one user's access (Username in any case, or the 15- or "
    "18-character\nId).  Queues are group resources; their members' rows "
    "are of type queue.  The\ntable fits the terminal (COLUMNS); `api "
    "name` is what a change file takes.\n\n"

    "--provenance shows what the snapshot records for an auditor "
    "instead: who took\nit, how and where (provenance), Salesforce's "
    "count and what arrived per object\n(control totals), counts that "
    "moved during the sync (drift) and the org's\nusers by IsActive and "
    "UserType against those in scope (reconciliation).\n";

static const char *const types[] = {"user",
				    "profile",
				    "role",
				    "group",
				    "permission_set",
				    "permission_set_group",
				    "connected_app",
				    "license",
				    "queue",
				    "territory",
				    "permission_set_license",
				    "package_license",
				    "custom_permission"};

static const char *const csv_columns[] = {
    "record",	"type",	  "id",	      "name",	     "username",
    "via_type", "via_id", "via_name", "assigned_at", "expires_at"};

typedef struct shower {
	sfa_format fmt;
	sfa_csv *csv;
	json_t *resources, *access;
	sfa_table table;
	int one_user; /* --user: no username column */
} shower;

static const sfa_table_col resource_cols[] = {
    {"type", 20, 0}, {"id", 18, 1}, {"name", 36, 0}, {"api name", 30, 0}};
/* With --user the username is in the title, not in every row. */
static const sfa_table_col access_cols[] = {{"username", 30, 0},
					    {"access type", 20, 0},
					    {"access", 44, 0},
					    {"via type", 8, 1},
					    {"via", 24, 0}};

/* The name a change file takes for a resource (lib/apply/CHANGEFILE.md): the
 * DeveloperName of roles, groups and permission set groups, a user's
 * Username, the Name of the others.  Copied into buf; "" when the
 * resource has none. */
static const char *api_name(const sfa_resource_row *r, char *buf, size_t n)
{
	json_t *a = json_loads(r->attrs ? r->attrs : "{}", 0, NULL);
	const char *v = json_string_value(json_object_get(a, "DeveloperName"));

	if (!v)
		v = json_string_value(json_object_get(a, "Name"));
	if (strcmp(r->type, "user") == 0)
		v = json_string_value(json_object_get(a, "Username"));
	snprintf(buf, n, "%s", v ? v : "");
	json_decref(a);
	return buf;
}

static int on_resource(void *ud, const sfa_resource_row *r)
{
	shower *s = ud;

	if (s->fmt == SFA_FMT_CSV) {
		const char *v[] = {"resource", r->type, r->id, r->name, NULL,
				   NULL,       NULL,	NULL,  NULL,	NULL};
		return sfa_csv_row(s->csv, v, 10, NULL);
	}
	if (s->fmt == SFA_FMT_JSON) {
		json_t *attrs = json_loads(r->attrs ? r->attrs : "{}", 0, NULL);
		json_t *o = json_pack("{ss ss ss? so*}", "type", r->type, "id",
				      r->id, "name", r->name, "attrs", attrs);
		return o ? json_array_append_new(s->resources, o) : SFA_ENOMEM;
	}
	{
		char api[256];
		const char *v[] = {r->type, r->id, r->name,
				   api_name(r, api, sizeof(api))};

		sfa_table_row(&s->table, v);
	}
	return 0;
}

static int on_access(void *ud, const sfa_access_row *r)
{
	shower *s = ud;

	if (s->fmt == SFA_FMT_CSV) {
		const char *v[] = {"access",	   r->access_type,
				   r->access_id,   r->access_name,
				   r->username,	   r->via_type,
				   r->via_id,	   r->via_name,
				   r->assigned_at, r->expires_at};
		return sfa_csv_row(s->csv, v, 10, NULL);
	}
	if (s->fmt == SFA_FMT_JSON) {
		json_t *o = json_pack(
		    "{ss ss ss ss ss? ss ss? ss? ss? ss?}", "username",
		    r->username, "user_id", r->user_id, "access_type",
		    r->access_type, "access_id", r->access_id, "access_name",
		    r->access_name, "via_type", r->via_type, "via_id",
		    r->via_id, "via_name", r->via_name, "assigned_at",
		    r->assigned_at, "expires_at", r->expires_at);
		return o ? json_array_append_new(s->access, o) : SFA_ENOMEM;
	}
	{
		const char *v[] = {
		    r->username, r->access_type,
		    r->access_name ? r->access_name : r->access_id, r->via_type,
		    r->via_name ? r->via_name : r->via_id};

		sfa_table_row(&s->table, s->one_user ? v + 1 : v);
	}
	return 0;
}

static int known_type(const char *t)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i], t) == 0)
			return 1;
	return 0;
}

static int exists(void *ud, const sfa_snapshot_info *s)
{
	(void)ud;
	(void)s;
	return 0;
}

/* An unknown snapshot is an error, never empty sections. */
static int resolve_snapshot(const char *snap, sfa_store *st, long long *id,
			    sfa_err *err)
{
	int rc;

	if (!snap)
		return sfa_store_latest_complete(st, NULL, 0, id, err);
	if (sfa_cli_parse_id("--snapshot", snap, id))
		return SFA_EINPUT;
	rc = sfa_store_get_snapshot(st, *id, exists, NULL, err);
	if (rc == SFA_ENOTFOUND)
		sfa_err_set(err, SFA_ENOTFOUND,
			    "--snapshot %s: no such snapshot (see `sfaccess "
			    "snapshots`)",
			    snap);
	return rc;
}

/* show --provenance: the snapshot's evidence (EVIDENCE.md). */
static int show_evidence(sfa_store *st, long long id, sfa_format fmt,
			 sfa_err *err)
{
	json_t *ev = NULL, *r, *rows;
	size_t i;
	int rc = sfa_store_get_snapshot(st, id, exists, NULL, err);

	if (rc || (rc = sfa_store_get_evidence(st, id, &ev, err)))
		return rc;
	if (fmt == SFA_FMT_JSON) {
		json_object_set_new(ev, "snapshot_id", json_integer(id));
		json_dumpf(ev, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(ev);
		return 0;
	}
	printf("Provenance of snapshot %lld\n", id);
	sfa_print_provenance(json_object_get(ev, "provenance"), 2);
	printf("\nControl totals\n  %-28s %-6s %10s %10s %10s  %s\n", "OBJECT",
	       "METHOD", "ORG_COUNT", "RECEIVED", "STORED", "EXCLUDED");
	rows = json_object_get(ev, "control_totals");
	json_array_foreach(rows, i, r)
	{
		char *ex = json_dumps(json_object_get(r, "excluded"),
				      JSON_COMPACT | JSON_SORT_KEYS);

		printf("  %-28s %-6s %10" JSON_INTEGER_FORMAT
		       " %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
		       "  %s\n",
		       json_string_value(json_object_get(r, "object")),
		       json_string_value(json_object_get(r, "method")),
		       json_integer_value(json_object_get(r, "org_count")),
		       json_integer_value(json_object_get(r, "received")),
		       json_integer_value(json_object_get(r, "stored")),
		       ex ? ex : "{}");
		free(ex);
	}
	printf("\nDrift%s\n", json_array_size(json_object_get(ev, "drift"))
				  ? ""
				  : ": none (no count moved during the sync)");
	rows = json_object_get(ev, "drift");
	json_array_foreach(rows, i, r)
	{
		printf("  %-28s %" JSON_INTEGER_FORMAT " at the scan, "
		       "%" JSON_INTEGER_FORMAT " at the end\n",
		       json_string_value(json_object_get(r, "object")),
		       json_integer_value(json_object_get(r, "at_scan")),
		       json_integer_value(json_object_get(r, "at_end")));
	}
	printf("\nReconciliation\n  %-9s %-20s %10s %10s  %s\n", "ACTIVE",
	       "USER_TYPE", "ORG_COUNT", "IN_SCOPE", "REASON");
	rows = json_object_get(ev, "reconciliation");
	json_array_foreach(rows, i, r)
	{
		printf("  %-9s %-20s %10" JSON_INTEGER_FORMAT
		       " %10" JSON_INTEGER_FORMAT "  %s\n",
		       json_is_true(json_object_get(r, "is_active")) ? "true"
								     : "false",
		       json_string_value(json_object_get(r, "user_type")),
		       json_integer_value(json_object_get(r, "org_count")),
		       json_integer_value(json_object_get(r, "in_scope")),
		       json_string_value(json_object_get(r, "reason")));
	}
	json_decref(ev);
	return 0;
}

int cmd_show(sfa_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *snap = NULL, *type = NULL, *user = NULL;
	int provenance = 0;
	const sfa_opt opts[] = {{"format", SFA_OPT_STRING, &format},
				{"snapshot", SFA_OPT_STRING, &snap},
				{"type", SFA_OPT_STRING, &type},
				{"user", SFA_OPT_STRING, &user},
				{"provenance", SFA_OPT_FLAG, &provenance},
				{NULL, 0, NULL}};
	sfa_access_filter filter = {0};
	char user_id[19];
	shower s = {0};
	sfa_store *st = NULL;
	sfa_err err;
	long long id = 0;
	int rc;

	sfa_err_clear(&err);
	if (sfa_opts_parse_only("show", usage, opts, argc, argv, &rc))
		return rc;
	if (sfa_format_parse("show", format, &s.fmt))
		return SFA_EXIT_USAGE;
	if (provenance && (type || user || s.fmt == SFA_FMT_CSV)) {
		sfa_cli_errorf("show: --provenance takes neither --type, "
			       "--user nor --format csv");
		return SFA_EXIT_USAGE;
	}
	if (type && !known_type(type)) {
		sfa_cli_errorf(
		    "show: --type `%s` is not a resource type (user, "
		    "profile, role, group, queue, permission_set, "
		    "permission_set_group, connected_app, license, "
		    "territory, permission_set_license, package_license, "
		    "custom_permission)",
		    type);
		return SFA_EXIT_USAGE;
	}
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (rc = resolve_snapshot(snap, st, &id, &err)))
		goto out;
	if (provenance) {
		rc = show_evidence(st, id, s.fmt, &err);
		goto out;
	}
	/* The one lookup every command uses: Id (15 or 18), Username in any
	 * case; a user the sync left out is named as such. */
	if (user && (rc = sfa_store_find_user(st, id, user, user_id, &err)))
		goto out;
	filter.user = user ? user_id : NULL;
	filter.access_type = type;
	if (s.fmt == SFA_FMT_CSV) {
		if ((rc = sfa_csv_new(&s.csv, stdout, &err)) ||
		    (rc = sfa_csv_row(s.csv, csv_columns, 10, &err)))
			goto out;
	} else if (s.fmt == SFA_FMT_JSON) {
		s.resources = json_array();
		s.access = json_array();
	} else if (!user) {
		printf("Resources of snapshot %lld\n", id);
		sfa_table_begin(&s.table, stdout, resource_cols, 4);
	}
	if (!user)
		rc = sfa_store_each_resource(st, id, type, on_resource, &s,
					     &err);
	if (rc == 0 && s.fmt == SFA_FMT_TABLE && user) {
		printf("Effective access of %s, snapshot %lld\n", user_id, id);
		s.one_user = 1;
		sfa_table_begin(&s.table, stdout, access_cols + 1, 4);
	} else if (rc == 0 && s.fmt == SFA_FMT_TABLE) {
		printf("\nEffective access of snapshot %lld\n", id);
		sfa_table_begin(&s.table, stdout, access_cols, 5);
	}
	if (rc == 0)
		rc =
		    sfa_store_each_access(st, id, &filter, on_access, &s, &err);
	if (rc == 0 && s.fmt == SFA_FMT_JSON) {
		json_t *doc =
		    json_pack("{sI sO sO}", "snapshot_id", (json_int_t)id,
			      "resources", s.resources, "access", s.access);

		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(doc);
	}
out:
	if (rc) {
		if (rc != SFA_EINPUT || err.msg[0])
			sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	}
	json_decref(s.resources);
	json_decref(s.access);
	sfa_csv_free(s.csv);
	sfa_store_free(st);
	return rc;
}
