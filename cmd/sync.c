/*
 * sync.c - `sfaccess sync`: log in, take a snapshot, print a summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "connect.h"
#include "fetch.h"
#include "http.h"
#include "sf.h"
#include "store.h"

static const char usage[] =
	"usage: sfaccess sync [options]\n\n"
	"Logs in to the org and stores a complete, timestamped snapshot of "
	"every user,\nprofile, role, group, permission set, permission set "
	"group, license (and\nconnected app) and every grant.\n\n"
	"Sync options (also in the configuration file's [sync]):\n"
	"  --username-as-email           use the username as the email\n"
	"  --sync-connected-apps         also sync connected apps and who "
	"can use them\n"
	"  --no-sync-deactivated-users   leave deactivated users out\n"
	"  --sync-non-standard-licenses  also sync external, portal, "
	"Chatter and other\n"
	"                                non-Standard users\n\n" SFA_CONNECT_HELP;

typedef struct progress {
	const sfa_cli *cli;
} progress;

static void on_progress(void *ud, const char *sobject, long long rows,
			int done)
{
	const progress *p = ud;

	if (!p->cli->progress || p->cli->quiet)
		return;
	fprintf(stderr, "\r  %-28s %10lld%s", sobject, rows,
		done ? " done\n" : "");
	fflush(stderr);
}

static int sync_flag(const sfa_cli *cli, const char *key, int *v)
{
	const char *s = sfa_config_get(cli->config, "sync", key);

	if (*v || !s)
		return 0;
	if (sfa_config_bool(s, v)) {
		sfa_cli_errorf("configuration [sync] %s: `%s` is not true or "
			       "false",
			       key, s);
		return -1;
	}
	return 0;
}

typedef struct summary {
	long long users, resources, access;
	const char *hash;
} summary;

static int on_snapshot(void *ud, const sfa_snapshot_info *s)
{
	summary *out = ud;

	out->users = s->n_users;
	out->resources = s->n_resources;
	out->access = s->n_access;
	out->hash = s->content_hash ? strdup(s->content_hash) : NULL;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_sync(sfa_cli *cli, int argc, char **argv)
{
	sfa_connect conn = {0};
	sfa_sync_opts so = {0};
	const sfa_opt opts[] = {
		SFA_CONNECT_OPTS(&conn),
		{"username-as-email", SFA_OPT_FLAG, &so.username_as_email},
		{"sync-connected-apps", SFA_OPT_FLAG, &so.sync_connected_apps},
		{"no-sync-deactivated-users", SFA_OPT_FLAG,
		 &so.no_deactivated_users},
		{"sync-non-standard-licenses", SFA_OPT_FLAG,
		 &so.non_standard_licenses},
		{NULL, 0, NULL}};
	sfa_http *http = NULL;
	sfa_sf *sf = NULL;
	sfa_store *st = NULL;
	sfa_err err;
	summary sum = {0};
	progress prog = {cli};
	long long id = 0;
	long used, limit;
	int npos, help, rc;
	double t0 = now_s();

	sfa_err_clear(&err);
	rc = sfa_opts_parse("sync", opts, argc, argv, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos) {
		sfa_cli_errorf("sync: unexpected argument `%s`", argv[1]);
		return SFA_EXIT_USAGE;
	}
	if (sync_flag(cli, "username_as_email", &so.username_as_email) ||
	    sync_flag(cli, "sync_connected_apps", &so.sync_connected_apps) ||
	    sync_flag(cli, "no_sync_deactivated_users",
		      &so.no_deactivated_users) ||
	    sync_flag(cli, "sync_non_standard_licenses",
		      &so.non_standard_licenses))
		return SFA_EXIT_USAGE;
	rc = sfa_connect_resolve(&conn, cli);
	if (rc)
		goto out_conn;
	if ((rc = sfa_connect_http(&conn, cli, &http, &err)) != 0 ||
	    (rc = sfa_store_open(&st, cli->store_path, 0, &err)) != 0 ||
	    (rc = sfa_sf_new(&sf, http, &conn.auth_cfg, &err)) != 0 ||
	    (rc = sfa_sf_login(sf, &err)) != 0)
		goto out;
	sfa_cli_info(cli, "Logged in to org %s at %s", sfa_sf_org_id(sf),
		     sfa_sf_instance_url(sf));
	rc = sfa_fetch_snapshot(sf, st, &so, on_progress, &prog, &id, &err);
	if (rc)
		goto out;
	if ((rc = sfa_store_get_snapshot(st, id, on_snapshot, &sum, &err)))
		goto out;
	printf("snapshot %lld complete: %lld users, %lld resources, %lld "
	       "access rows; %ld API requests in %.1f s",
	       id, sum.users, sum.resources, sum.access,
	       sfa_sf_api_requests(sf), now_s() - t0);
	if (sfa_sf_api_usage(sf, &used, &limit))
		printf("; org API usage %ld/%ld", used, limit);
	printf("\n");
	if (cli->verbose)
		printf("content hash %s\n", sum.hash ? sum.hash : "");
out:
	if (rc) {
		sfa_cli_error(cli, &err);
		if (id)
			fprintf(stderr,
				"sfaccess: snapshot %lld was left incomplete; "
				"earlier snapshots are unchanged\n",
				id);
		rc = sfa_cli_exit_for(rc);
	}
	free((char *)sum.hash);
	sfa_sf_free(sf);
	sfa_store_free(st);
	sfa_http_free(http);
out_conn:
	sfa_connect_clear(&conn);
	return rc;
}
