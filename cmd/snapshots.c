/*
 * snapshots.c - `sfaccess snapshots`: list the snapshots in the store.
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
    "usage: sfaccess snapshots [--format table|csv|json]\n\n"
    "Lists every snapshot in the store, oldest first: id, org, started "
    "and finished\n(UTC), status, counts and content hash.  With "
    "--verbose (table and json),\neach snapshot's provenance too: who "
    "took it, how, from where, with which\nsfaccess.\n";

static const char *const columns[] = {
    "id",    "org_id",	  "started_at",	 "finished_at",	 "status",
    "users", "resources", "access_rows", "api_requests", "content_hash"};

typedef struct lister {
	sfa_store *st;
	int verbose; /* with each snapshot's provenance */
	sfa_format fmt;
	sfa_csv *csv;
	json_t *arr;
	int n;
	sfa_table table;
} lister;

/* Counts keep their width (a cut number misleads); the rest shrinks.
 * 7 and 9 digits hold a large org's resources and access rows. */
static const sfa_table_col table_cols[] = {
    {"ID", 4, 1},	 {"ORG", 18, 0},    {"STARTED", 20, 0},
    {"FINISHED", 20, 0}, {"STATUS", 10, 1}, {"USERS", 6, 1},
    {"RES", 7, 1},	 {"ROWS", 9, 1},    {"HASH", 12, 0}};

static int on_snapshot(void *ud, const sfa_snapshot_info *s)
{
	lister *l = ud;
	char id[24], u[24], r[24], a[24], q[24];
	json_t *ev = NULL;
	sfa_err err;

	l->n++;
	if (l->verbose && sfa_store_get_evidence(l->st, s->id, &ev, &err))
		return err.code;
	snprintf(id, sizeof(id), "%lld", s->id);
	snprintf(u, sizeof(u), "%lld", s->n_users);
	snprintf(r, sizeof(r), "%lld", s->n_resources);
	snprintf(a, sizeof(a), "%lld", s->n_access);
	snprintf(q, sizeof(q), "%lld", s->api_requests);
	if (l->fmt == SFA_FMT_CSV) {
		const char *v[] = {id,
				   s->org_id,
				   s->started_at,
				   s->finished_at,
				   s->status,
				   u,
				   r,
				   a,
				   q,
				   s->content_hash};
		json_decref(ev);
		return sfa_csv_row(l->csv, v, 10, NULL);
	}
	if (l->fmt == SFA_FMT_JSON) {
		json_t *o = json_pack(
		    "{sI ss ss ss? ss sI sI sI sI ss? ss?}", "id",
		    (json_int_t)s->id, "org_id", s->org_id, "started_at",
		    s->started_at, "finished_at", s->finished_at, "status",
		    s->status, "users", (json_int_t)s->n_users, "resources",
		    (json_int_t)s->n_resources, "access_rows",
		    (json_int_t)s->n_access, "api_requests",
		    (json_int_t)s->api_requests, "content_hash",
		    s->content_hash, "error", s->error);
		if (o && l->verbose)
			json_object_set_new(
			    o, "provenance",
			    json_incref(json_object_get(ev, "provenance")));
		json_decref(ev);
		return o ? json_array_append_new(l->arr, o) : SFA_ENOMEM;
	}
	{
		char hash[13];
		const char *v[] = {id,
				   s->org_id,
				   s->started_at,
				   s->finished_at ? s->finished_at : "-",
				   s->status,
				   u,
				   r,
				   a,
				   hash};

		snprintf(hash, sizeof(hash), "%s",
			 s->content_hash ? s->content_hash : "-");
		sfa_table_row(&l->table, v);
	}
	if (l->verbose)
		sfa_print_provenance(json_object_get(ev, "provenance"), 7);
	json_decref(ev);
	return 0;
}

int cmd_snapshots(sfa_cli *cli, int argc, char **argv)
{
	const char *format = NULL;
	const sfa_opt opts[] = {{"format", SFA_OPT_STRING, &format},
				{NULL, 0, NULL}};
	lister l = {0};
	sfa_store *st = NULL;
	sfa_err err;
	int rc;

	sfa_err_clear(&err);
	if (sfa_opts_parse_only("snapshots", usage, opts, argc, argv, &rc))
		return rc;
	if (sfa_format_parse("snapshots", format, &l.fmt))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)))
		goto out;
	l.st = st;
	l.verbose = cli->verbose > 0 && l.fmt != SFA_FMT_CSV;
	if (l.fmt == SFA_FMT_CSV) {
		if ((rc = sfa_csv_new(&l.csv, stdout, &err)) ||
		    (rc = sfa_csv_row(l.csv, columns, 10, &err)))
			goto out;
	} else if (l.fmt == SFA_FMT_JSON) {
		l.arr = json_array();
	} else {
		sfa_table_begin(&l.table, stdout, table_cols, 9);
	}
	rc = sfa_store_each_snapshot(st, on_snapshot, &l, &err);
	if (rc == 0 && l.fmt == SFA_FMT_JSON) {
		json_dumpf(l.arr, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
out:
	if (rc) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	}
	json_decref(l.arr);
	sfa_csv_free(l.csv);
	sfa_store_free(st);
	return rc;
}
