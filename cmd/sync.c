/*
 * sync.c - `sfaccess sync`: log in, take a snapshot, print a summary.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "connect.h"
#include "fetch.h"
#include "fetch_logins.h"
#include "http.h"
#include "perm.h"
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
    "                                non-Standard users\n"
    "  --sync-territories            also sync the active territory "
    "model's territories\n"
    "                                and who is in them\n"
    "  --sync-entitlements           also sync permission set and "
    "package licences and\n"
    "                                custom permissions\n"
    "  --no-login-history            do not copy LoginHistory (copied by "
    "default, new\n"
    "                                rows only, for `sfaccess check`; "
    "config\n"
    "                                login_history = false)\n"
    "  --login-history-days N        how far back the first copy reaches "
    "(default 90)\n"
    "  --login-history               the default; accepted for older "
    "scripts\n"
    "  --no-sync-permissions         leave system, object and field "
    "permissions\n"
    "                                out (config sync_permissions = "
    "false)\n"
    "  --sync-field-permissions      also sync field permissions "
    "(FieldPermissions)\n\n"
    "Cost and speed:\n"
    "  --max-connections N    requests at once (default 4; 1 reads one "
    "object\n"
    "                         after the other)\n"
    "  --bulk-threshold N     read objects of more than N rows with Bulk "
    "API 2.0\n"
    "                         (default 8000; 0 never uses Bulk)\n"
    "  --bulk-page-size N     Bulk result rows per request (default "
    "50000)\n"
    "  --max-api-requests N   stop, before spending more, a sync that "
    "needs more\n"
    "                         than N API requests\n"
    "  --max-api-percent P    the same for P percent of the org's daily "
    "API limit\n\n" SFA_CONNECT_HELP;

typedef struct progress {
	const sfa_cli *cli;
	int done;	  /* objects read in full, for Ctrl-C */
	const char *last; /* the object last heard of (static text) */
} progress;

static void on_progress(void *ud, const char *sobject, long long rows, int done)
{
	progress *p = ud;

	p->last = sobject;
	p->done += done;
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

/* [sync] login_history = false is --no-login-history (unless the
 * command line asked for the copy). */
static int login_history_flag(const sfa_cli *cli, int asked, int *no_logins)
{
	const char *s = sfa_config_get(cli->config, "sync", "login_history");
	int on;

	if (*no_logins || asked || !s)
		return 0;
	if (sfa_config_bool(s, &on)) {
		sfa_cli_errorf("configuration [sync] login_history: `%s` is "
			       "not true or false",
			       s);
		return -1;
	}
	*no_logins = !on;
	return 0;
}

/* [sync] sync_permissions = false is --no-sync-permissions. */
static int permissions_flag(const sfa_cli *cli, int *no_permissions)
{
	const char *s = sfa_config_get(cli->config, "sync", "sync_permissions");
	int on;

	if (*no_permissions || !s)
		return 0;
	if (sfa_config_bool(s, &on)) {
		sfa_cli_errorf("configuration [sync] sync_permissions: `%s` is "
			       "not true or false",
			       s);
		return -1;
	}
	*no_permissions = !on;
	return 0;
}

/* A whole number option >= min; -1 (message printed) when it is not. */
static int num_opt(const char *flag, const char *s, long long min,
		   long long *out)
{
	char *end;
	long long v;

	if (!s)
		return 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 1000000000000LL) {
		sfa_cli_errorf("sync: --%s `%s` is not a whole number of at "
			       "least %lld",
			       flag, s, min);
		return -1;
	}
	*out = v;
	return 0;
}

static int tuning(const char *const raw[5], sfa_fetch_tuning *t)
{
	long long v;
	char *end;

	if (raw[0]) {
		if (num_opt("max-connections", raw[0], 1, &v))
			return -1;
		t->max_connections = (int)(v > 64 ? 64 : v);
	}
	if (raw[1]) {
		if (num_opt("bulk-threshold", raw[1], 0, &v))
			return -1;
		t->bulk_threshold = v == 0 ? -1 : v; /* 0: never */
	}
	if (raw[2]) {
		if (num_opt("bulk-page-size", raw[2], 1, &v))
			return -1;
		t->bulk_page = (long)v;
	}
	if (raw[3]) {
		if (num_opt("max-api-requests", raw[3], 1, &v))
			return -1;
		t->max_api_requests = (long)v;
	}
	if (raw[4]) {
		t->max_api_percent = strtod(raw[4], &end);
		if (*raw[4] == '\0' || *end != '\0' ||
		    !(t->max_api_percent > 0 && t->max_api_percent <= 100)) {
			sfa_cli_errorf("sync: --max-api-percent `%s` is not a "
				       "percentage above 0 and at most 100",
				       raw[4]);
			return -1;
		}
	}
	return 0;
}

static void print_scans(const sfa_fetch_stats *fs)
{
	int i;

	for (i = 0; i < fs->nnotes; i++)
		printf("skipped: %s\n", fs->notes[i]);
	for (i = 0; i < fs->nscans; i++) {
		const sfa_fetch_scan_stats *s = &fs->scans[i];

		if (s->missing) {
			printf("scan %-28s skipped: the org does not have it "
			       "(feature not enabled)\n",
			       s->sobject);
			continue;
		}
		printf("scan %-28s %9lld rows  %-4s %5ld requests %7ld ms\n",
		       s->sobject, s->rows, s->bulk ? "bulk" : "rest",
		       s->requests, s->ms);
	}
	if (!fs->audit_error[0])
		printf("audit trail: %lld new entries copied\n", fs->audit_new);
	printf("fetch %ld ms (CPU %ld ms), store finish %ld ms (CPU %ld ms:"
	       " derive %ld, hash %ld, commit %ld)\n",
	       fs->fetch_ms, fs->fetch_cpu_ms, fs->finish_ms, fs->finish_cpu_ms,
	       fs->finish_steps.derive_ms, fs->finish_steps.hash_ms,
	       fs->finish_steps.commit_ms);
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

/* What the options left out, counted, with the option that would bring
 * it in: an auditor must not read an absence as "no access". */
static void print_left_out(const sfa_left_out_counts *lo,
			   const sfa_sync_opts *so)
{
	int r;

	for (r = 0; r < SFA_LEFT_OUT_N; r++) {
		if (!lo->users[r])
			continue;
		printf("%lld user%s left out: %s; ", lo->users[r],
		       lo->users[r] == 1 ? "" : "s",
		       sfa_left_out_why((sfa_left_out)r));
		printf(r == SFA_LEFT_OUT_NON_STANDARD ? "use %s\n"
						      : "because of %s\n",
		       sfa_left_out_option((sfa_left_out)r));
	}
	if (lo->oauth_tokens)
		printf("%lld OAuth token%s left out with %s users\n",
		       lo->oauth_tokens, lo->oauth_tokens == 1 ? "" : "s",
		       lo->oauth_tokens == 1 ? "its" : "their");
	if (!so->sync_connected_apps)
		printf("connected apps and OAuth tokens left out; use "
		       "--sync-connected-apps\n");
}

/* Ctrl-C and SIGTERM: the transfers stop at their next step and the
 * snapshot is rolled back and marked incomplete with the reason
 * "interrupted", instead of the process dying mid-write.  A second
 * signal kills at once (SA_RESETHAND). */
static void on_signal(int signo)
{
	sfa_http_interrupt(signo);
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void print_interrupted(const sfa_sf *sf, const progress *prog,
			      long long id)
{
	int sig = sfa_http_interrupted();

	fprintf(stderr,
		"\nsfaccess: sync interrupted by %s after %ld API requests "
		"(%d object%s read in full%s%s)\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT (Ctrl-C)",
		sf ? sfa_sf_api_requests(sf) : 0L, prog->done,
		prog->done == 1 ? "" : "s", prog->last ? "; reading " : "",
		prog->last ? prog->last : "");
	if (id)
		fprintf(stderr,
			"sfaccess: snapshot %lld is marked incomplete (reason: "
			"interrupted); earlier snapshots are unchanged\n",
			id);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int on_disagreement(void *ud, const sfa_perm_disagreement *d)
{
	(void)ud;
	printf("permission set group %s (%s), Status %s: its aggregate "
	       "permission set %s %s, which its components and muting sets "
	       "%s\n",
	       d->group_name, d->group_id, d->status,
	       d->extra ? "has" : "lacks", d->permission,
	       d->extra ? "do not grant" : "grant");
	return 0;
}

/* sync -v: where a group's aggregate disagrees with the rule
 * (lib/access/PERMISSIONS.md, Sources), while its Status says it is up to
 * date. */
static int check_aggregates(sfa_store *st, long long id, const sfa_priv *pv,
			    sfa_err *err)
{
	sfa_perm *p = NULL;
	int rc = sfa_perm_open(&p, st, id, pv, err);

	if (rc == 0)
		rc = sfa_perm_check_aggregates(p, on_disagreement, NULL, err);
	sfa_perm_free(p);
	return rc;
}

/* The line that says the snapshot is complete, with every request the
 * org charged for this sync, and apart from them the ones it did not. */
static void print_summary(sfa_sf *sf, long long id, const summary *sum,
			  double seconds)
{
	long used, limit;

	printf("snapshot %lld complete: %lld users, %lld resources, %lld "
	       "access rows; %ld API requests in %.1f s",
	       id, sum->users, sum->resources, sum->access,
	       sfa_sf_api_requests(sf), seconds);
	if (sfa_sf_other_requests(sf))
		printf(" (and %ld not charged: logins, expired sessions, "
		       "retries)",
		       sfa_sf_other_requests(sf));
	if (sfa_sf_api_usage(sf, &used, &limit))
		printf("; org API usage %ld/%ld", used, limit);
	printf("\n");
}

int cmd_sync(sfa_cli *cli, int argc, char **argv)
{
	sfa_connect conn = {0};
	sfa_sync_opts so = {0};
	sfa_fetch_tuning tune = {0};
	sfa_fetch_stats fstats;
	const char *raw[5] = {NULL}, *login_days = NULL;
	int logins = 0, no_logins = 0;
	const sfa_opt opts[] = {
	    SFA_CONNECT_OPTS(&conn),
	    {"username-as-email", SFA_OPT_FLAG, &so.username_as_email},
	    {"sync-connected-apps", SFA_OPT_FLAG, &so.sync_connected_apps},
	    {"no-sync-deactivated-users", SFA_OPT_FLAG,
	     &so.no_deactivated_users},
	    {"sync-non-standard-licenses", SFA_OPT_FLAG,
	     &so.non_standard_licenses},
	    {"sync-territories", SFA_OPT_FLAG, &so.sync_territories},
	    {"sync-entitlements", SFA_OPT_FLAG, &so.sync_entitlements},
	    {"no-sync-permissions", SFA_OPT_FLAG, &so.no_permissions},
	    {"sync-field-permissions", SFA_OPT_FLAG, &so.field_permissions},
	    {"max-connections", SFA_OPT_STRING, &raw[0]},
	    {"bulk-threshold", SFA_OPT_STRING, &raw[1]},
	    {"bulk-page-size", SFA_OPT_STRING, &raw[2]},
	    {"max-api-requests", SFA_OPT_STRING, &raw[3]},
	    {"max-api-percent", SFA_OPT_STRING, &raw[4]},
	    /* The default since LoginHistory is copied unless turned off;
	     * kept so that existing scripts still run. */
	    {"login-history", SFA_OPT_FLAG, &logins},
	    {"no-login-history", SFA_OPT_FLAG, &no_logins},
	    {"login-history-days", SFA_OPT_STRING, &login_days},
	    {NULL, 0, NULL}};
	sfa_login_sync_stats lstats;
	long long days = SFA_LOGIN_HISTORY_DAYS;
	sfa_http *http = NULL;
	sfa_priv *pv = NULL;
	sfa_sf *sf = NULL;
	sfa_store *st = NULL;
	sfa_err err;
	summary sum = {0};
	sfa_left_out_counts lo;
	progress prog = {cli, 0, NULL};
	long long id = 0;
	long used, limit;
	int rc, complete = 0;
	double t0 = now_s();

	sfa_err_clear(&err);
	if (sfa_opts_parse_only("sync", usage, opts, argc, argv, &rc))
		return rc;
	if (tuning(raw, &tune) ||
	    num_opt("login-history-days", login_days, 1, &days))
		return SFA_EXIT_USAGE;
	if (days > 36500) {
		sfa_cli_errorf("sync: --login-history-days %lld is more than "
			       "a century",
			       days);
		return SFA_EXIT_USAGE;
	}
	if (no_logins && (logins || login_days)) {
		sfa_cli_errorf("sync: --no-login-history contradicts %s",
			       logins ? "--login-history"
				      : "--login-history-days");
		return SFA_EXIT_USAGE;
	}
	memset(&fstats, 0, sizeof(fstats));
	if (sync_flag(cli, "username_as_email", &so.username_as_email) ||
	    sync_flag(cli, "sync_connected_apps", &so.sync_connected_apps) ||
	    sync_flag(cli, "no_sync_deactivated_users",
		      &so.no_deactivated_users) ||
	    sync_flag(cli, "sync_non_standard_licenses",
		      &so.non_standard_licenses) ||
	    sync_flag(cli, "sync_territories", &so.sync_territories) ||
	    sync_flag(cli, "sync_entitlements", &so.sync_entitlements) ||
	    login_history_flag(cli, logins || login_days, &no_logins) ||
	    sync_flag(cli, "sync_field_permissions", &so.field_permissions) ||
	    permissions_flag(cli, &so.no_permissions))
		return SFA_EXIT_USAGE;
	/* The access review's privileged rows are stored by the sync. */
	if (sfa_priv_new(&pv, &err) ||
	    sfa_priv_configure(
		pv, sfa_config_get(cli->config, "privileged", "add"),
		sfa_config_get(cli->config, "privileged", "ignore"), &err)) {
		sfa_cli_error(cli, &err);
		sfa_priv_free(pv);
		return sfa_cli_exit_for(err.code);
	}
	rc = sfa_connect_resolve(&conn, cli);
	if (rc)
		goto out_conn;
	catch_signals();
	if ((rc = sfa_connect_http(&conn, cli, &http, &err)) != 0 ||
	    (rc = sfa_store_open(&st, cli->store_path, 0, &err)) != 0 ||
	    (rc = sfa_sf_new(&sf, http, &conn.auth_cfg, &err)) != 0 ||
	    (rc = sfa_sf_login(sf, &err)) != 0)
		goto out;
	sfa_cli_info(cli, "Logged in to org %s at %s", sfa_sf_org_id(sf),
		     sfa_sf_instance_url(sf));
	so.privileged = pv;
	rc = sfa_fetch_run(sf, st, &so, &tune, on_progress, &prog, &fstats, &id,
			   &err);
	if (cli->verbose)
		print_scans(&fstats);
	if (rc)
		goto out;
	if ((rc = sfa_store_get_snapshot(st, id, on_snapshot, &sum, &err)))
		goto out;
	complete = 1;
	if ((rc = sfa_store_left_out_counts(st, id, &lo, &err)))
		goto out;
	/* The login history copy runs after the snapshot is complete (a
	 * failure keeps nothing of it and leaves the snapshot standing), but
	 * before the summary, so that the requests printed are all the org
	 * charged for this sync. */
	if (!no_logins)
		rc = sfa_fetch_login_history(sf, st, (int)days, NULL, &lstats,
					     &err);
	print_summary(sf, id, &sum, now_s() - t0);
	if (fstats.audit_error[0])
		printf("audit trail not read (%s); the snapshot is complete "
		       "without its new entries%s\n",
		       fstats.audit_error,
		       strstr(fstats.audit_error, "INSUFFICIENT_ACCESS")
			   ? ": the sync user needs View Setup and "
			     "Configuration to read SetupAuditTrail"
			   : "");
	print_left_out(&lo, &so);
	if (cli->verbose)
		printf("content hash %s\n", sum.hash ? sum.hash : "");
	if (rc)
		goto out;
	if (cli->verbose && !so.no_permissions &&
	    (rc = check_aggregates(st, id, pv, &err)))
		goto out;
	if (!no_logins) {
		if (lstats.denied[0])
			printf("login history: not copied, the org refused "
			       "LoginHistory (%s: %s); dormant users are "
			       "judged by LastLoginDate alone and leavers list "
			       "no logins. Give the sync user Manage Users, or "
			       "sync --no-login-history\n",
			       lstats.denied, lstats.denied_msg);
		else
			printf("login history: %lld rows from %s in %ld "
			       "request%s; %lld "
			       "held\n",
			       lstats.fetched, lstats.since, lstats.requests,
			       lstats.requests == 1 ? "" : "s", lstats.stored);
	}
out:
	if (rc && complete) {
		/* What failed came after the snapshot (the login history
		 * copy, which keeps nothing of a failed run): the snapshot
		 * stands. */
		sfa_cli_error(cli, &err);
		fprintf(
		    stderr,
		    "sfaccess: snapshot %lld is complete; the step after it "
		    "failed and the next sync runs it again\n",
		    id);
		rc = rc == SFA_EINTR ? SFA_EXIT_FAIL : sfa_cli_exit_for(rc);
	} else if (rc == SFA_EINTR) {
		print_interrupted(sf, &prog, id);
		rc = SFA_EXIT_FAIL;
	} else if (rc) {
		sfa_cli_error(cli, &err);
		if (sf && rc == SFA_ELIMIT)
			fprintf(stderr,
				"sfaccess: this sync used %ld API "
				"requests\n",
				sfa_sf_api_requests(sf));
		/* Whoever stopped the sync (the org's limit or our budget),
		 * the admin deciding when to run again needs the org's
		 * figures, from the last Sforce-Limit-Info. */
		if (sf &&
		    (rc == SFA_ELIMIT ||
		     strcmp(err.sf_code, "REQUEST_LIMIT_EXCEEDED") == 0) &&
		    sfa_sf_api_usage(sf, &used, &limit))
			fprintf(stderr, "sfaccess: org API usage %ld/%ld\n",
				used, limit);
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
	sfa_priv_free(pv);
	return rc;
}
