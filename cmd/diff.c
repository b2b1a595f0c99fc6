/*
 * diff.c - `sfaccess diff`: the changes between two snapshots of one org
 * (lib/store/diff.h) as a table for people, the Change CSV or JSON; with
 * --exit-code, exit 3 when there are changes.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "output.h"
#include "report_changes.h"
#include "report_csv.h"
#include "store.h"

static const char usage[] =
    "usage: sfaccess diff [--from ID] [--to ID] [--format table|csv|json]\n"
    "                     [--exit-code] [--allow-incomplete]\n\n"
    "Lists the access rows added and removed, the resources added and "
    "removed, the\nchanged user attributes (IsActive, IsFrozen, "
    "ProfileId, UserRoleId, Email,\nManagerId, UserType, License) and the "
    "permissions added to and removed from\nprofiles, permission sets and "
    "groups (with the users each reaches) between\ntwo snapshots of one "
    "org.  Defaults: --to\nthe latest complete "
    "snapshot, --from the complete snapshot before it.\n"
    "Order: added, removed (by username, access type, access name, via), "
    "changed (by\nusername, field), resource_added, resource_removed (by "
    "type, name),\npermission_added, permission_removed (by container, "
    "permission).\n"
    "  --exit-code         exit 3 when there are changes, 0 when none\n"
    "  --allow-incomplete  accept an incomplete snapshot named by id\n";

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

/* Columns: the change, who (or the resource id), what, and the detail:
 * the access and its path, or old -> new. */
static const sfa_table_col table_cols[] = {{"change", 16, 1},
					   {"user / id", 34, 0},
					   {"type / field", 20, 0},
					   {"detail", 60, 0}};

/* A value for people: "Standard User (00e...)" when it names something. */
static const char *named(const char *name, const char *v, char *buf, size_t n)
{
	if (!v || !*v)
		return "-";
	if (!name)
		return v;
	snprintf(buf, n, "%s (%s)", name, v);
	return buf;
}

static int on_table_row(void *ud, const sfa_diff_change *c)
{
	const sfa_access_row *r = &c->row;
	sfa_table *t = ud;
	char detail[1200], a[512], b[512];
	const char *v[4];

	v[0] = sfa_diff_kind_name(c->kind);
	v[1] = r->username;
	v[2] = r->access_type;
	v[3] = detail;
	switch (c->kind) {
	case SFA_DIFF_ADDED:
	case SFA_DIFF_REMOVED:
		snprintf(detail, sizeof(detail), "%s  via %s%s%s",
			 dash(r->access_name ? r->access_name : r->access_id),
			 r->via_type, r->via_id ? " " : "",
			 r->via_id ? dash(r->via_name ? r->via_name : r->via_id)
				   : "");
		break;
	case SFA_DIFF_CHANGED:
		v[2] = c->field;
		snprintf(detail, sizeof(detail), "%s -> %s",
			 named(c->old_name, c->old_value, a, sizeof(a)),
			 named(c->new_name, c->new_value, b, sizeof(b)));
		break;
	case SFA_DIFF_PERMISSION_ADDED:
	case SFA_DIFF_PERMISSION_REMOVED:
		v[1] = dash(r->access_id);
		snprintf(detail, sizeof(detail),
			 "%s  %s %s, reaching %s user%s", c->field,
			 c->kind == SFA_DIFF_PERMISSION_ADDED ? "on" : "off",
			 dash(r->access_name), dash(c->new_value),
			 c->new_value && strcmp(c->new_value, "1") == 0 ? ""
									: "s");
		break;
	default:
		v[1] = dash(r->access_id);
		snprintf(detail, sizeof(detail), "%s", dash(r->access_name));
	}
	sfa_table_row(t, v);
	return ferror(stdout) ? SFA_EIO : 0;
}

static int print_table(sfa_diff *d, sfa_err *err)
{
	sfa_table t;

	printf("Changes from snapshot %lld to snapshot %lld: %lld added, "
	       "%lld removed, %lld changed, %lld resources added, %lld "
	       "resources removed, %lld permissions added, %lld permissions "
	       "removed\n",
	       sfa_diff_from(d), sfa_diff_to(d),
	       sfa_diff_count(d, SFA_DIFF_ADDED),
	       sfa_diff_count(d, SFA_DIFF_REMOVED),
	       sfa_diff_count(d, SFA_DIFF_CHANGED),
	       sfa_diff_count(d, SFA_DIFF_RESOURCE_ADDED),
	       sfa_diff_count(d, SFA_DIFF_RESOURCE_REMOVED),
	       sfa_diff_count(d, SFA_DIFF_PERMISSION_ADDED),
	       sfa_diff_count(d, SFA_DIFF_PERMISSION_REMOVED));
	sfa_table_begin(&t, stdout, table_cols, 4);
	return sfa_diff_each(d, on_table_row, &t, err);
}

/* Parses the --from / --to ids (0 when absent). */
static int parse_ids(const char *from, const char *to, sfa_diff_pick *pick)
{
	return (from && sfa_cli_parse_id("--from", from, &pick->from)) ||
	       (to && sfa_cli_parse_id("--to", to, &pick->to));
}

int cmd_diff(sfa_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *from = NULL, *to = NULL;
	int exit_code = 0, rc;
	sfa_diff_pick pick = {0, 0, 0};
	const sfa_opt opts[] = {
	    {"from", SFA_OPT_STRING, &from},
	    {"to", SFA_OPT_STRING, &to},
	    {"format", SFA_OPT_STRING, &format},
	    {"exit-code", SFA_OPT_FLAG, &exit_code},
	    {"allow-incomplete", SFA_OPT_FLAG, &pick.allow_incomplete},
	    {NULL, 0, NULL}};
	sfa_store *st = NULL;
	sfa_diff *d = NULL;
	sfa_format fmt;
	long long a = 0, b = 0, rows;
	sfa_err err;

	sfa_err_clear(&err);
	if (sfa_opts_parse_only("diff", usage, opts, argc, argv, &rc))
		return rc;
	if (sfa_format_parse("diff", format, &fmt) ||
	    parse_ids(from, to, &pick))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (rc = sfa_diff_resolve(st, &pick, &a, &b, &err)) ||
	    (rc = sfa_diff_open(&d, st, a, b, &err)))
		goto out;
	if (fmt == SFA_FMT_CSV)
		rc = sfa_report_changes_csv(d, stdout, &rows, NULL, &err);
	else if (fmt == SFA_FMT_JSON)
		rc = sfa_report_changes_json(st, d, stdout, &rows, &err);
	else
		rc = print_table(d, &err);
	if (rc == 0 && fflush(stdout) != 0)
		rc = sfa_err_set(&err, SFA_EIO, "cannot write the diff");
	if (rc == SFA_EIO && !err.msg[0])
		sfa_err_set(&err, SFA_EIO, "cannot write the diff");
out:
	if (rc) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	} else if (exit_code && sfa_diff_total(d) > 0) {
		rc = SFA_EXIT_CHANGES;
	}
	sfa_diff_free(d);
	sfa_store_free(st);
	return rc;
}
