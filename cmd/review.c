/*
 * review.c - `sfaccess review start|collect|status|close`: review
 * campaigns (REVIEW.md).  The campaign lives in the store
 * (lib/review/campaign.h); workbooks are written by reports/workbook.h and the
 * closing report by reports/campaign_report.h.
 *
 * Configuration read here: [review] fallback, escalation, contact; and
 * every key of [review.owners].
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign.h"
#include "campaign_report.h"
#include "cli.h"
#include "output.h"
#include "csv_io.h"
#include "store.h"
#include "workbook.h"

static const char usage[] =
    "usage: sfaccess review start [--snapshot ID] [--by manager|owner] "
    "[--name NAME]\n"
    "                             [--due DATE] [--csv] [--privileged-only]\n"
    "                             [--access-type T,...] [--changed-since "
    "ID]\n"
    "                             [--include-inherited] --out DIR\n"
    "       sfaccess review collect CAMPAIGN FILE...\n"
    "       sfaccess review status CAMPAIGN [--format table|csv|json]\n"
    "       sfaccess review close CAMPAIGN [--out DIR]\n\n"
    "A review campaign sends each reviewer the access they answer for, in "
    "a workbook\n(DIR/<reviewer username>.xlsx), and takes the decisions "
    "back:\n"
    "  start     route the access rows of the snapshot (default: the "
    "latest\n"
    "            complete one) to the user's manager (--by manager, the "
    "default)\n"
    "            or to the resource's owner (--by owner, [review.owners]); "
    "--csv\n"
    "            also writes DIR/<reviewer>.csv.  Scope: "
    "--privileged-only,\n"
    "            --access-type (e.g. permission_set,profile), "
    "--changed-since ID\n"
    "            (only rows added since snapshot ID).  Inherited rows "
    "(groups\n"
    "            through a role or group, permission sets through their "
    "group)\n"
    "            follow from another row and are left out unless "
    "--include-inherited\n"    "  collect   read returned workbooks (.xlsx) or CSV files and record "
    "their\n"
    "            decisions; a tampered, foreign or invalid row, or a "
    "decision on\n"
    "            one's own access, refuses its file\n"
    "  status    rows, decided, keep, revoke and pending per reviewer\n"
    "  close     freeze the campaign and write its report (CSV, HTML, "
    "JUnit, JSON\n"
    "            and manifest.json) into DIR (default: campaign-CAMPAIGN)\n\n"
    "Configuration ([review]): fallback = USERNAME (users without a "
    "manager who\ncan review), escalation = USERNAME (rows the fallback or "
    "an owner would\nreview of themselves), contact = TEXT (on the "
    "Instructions sheet).\n[review.owners]: permission_set:Name = "
    "USERNAME, group:DeveloperName = ...,\nprofile:Name = ..., "
    "connected_app:Name = ..., * = USERNAME (everything else).\n\n"
    "Exit status: 0 done, 2 bad input or a refused file (nothing of it "
    "recorded),\n1 other errors.\n";

static int make_dir(const char *dir)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	sfa_cli_errorf("review: --out %s: %s", dir, strerror(errno));
	return -1;
}

/* Before the campaign is stored: --out must be a writable directory or
 * one that can be made, so that a mistyped path leaves nothing behind
 * (make_dir() makes it only once the campaign is stored). */
static int check_out_dir(const char *dir)
{
	struct stat sb;
	char parent[4096];
	const char *slash;

	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode)) {
			sfa_cli_errorf("review start: --out %s: not a "
				       "directory",
				       dir);
			return -1;
		}
		if (access(dir, W_OK) != 0) {
			sfa_cli_errorf("review start: --out %s: %s", dir,
				       strerror(errno));
			return -1;
		}
		return 0;
	}
	if (errno != ENOENT) {
		sfa_cli_errorf("review start: --out %s: %s", dir,
			       strerror(errno));
		return -1;
	}
	slash = strrchr(dir, '/');
	snprintf(parent, sizeof(parent), "%.*s",
		 slash ? (slash == dir ? 1 : (int)(slash - dir)) : 1,
		 slash ? dir : ".");
	if (access(parent, W_OK) != 0) {
		sfa_cli_errorf("review start: --out %s: cannot be made in "
			       "%s: %s",
			       dir, parent, strerror(errno));
		return -1;
	}
	return 0;
}

static int parse_campaign(const char *s, long long *id)
{
	return sfa_cli_parse_id("CAMPAIGN", s, id);
}

/* [review.owners] in file order; borrowed from the configuration. */
typedef struct owners {
	sfa_campaign_owner v[256];
	size_t n;
} owners;

static int on_owner(void *ud, const char *key, const char *value)
{
	owners *o = ud;

	if (o->n == sizeof(o->v) / sizeof(o->v[0]))
		return -1;
	o->v[o->n].key = key;
	o->v[o->n].reviewer = value;
	o->n++;
	return 0;
}

static int split_types(char *list, const char **out, size_t max, size_t *n)
{
	char *p = list, *comma;

	*n = 0;
	while (p && *p) {
		if (*n == max)
			return -1;
		comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		out[(*n)++] = p;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int review_start(sfa_cli *cli, int argc, char **argv)
{
	const char *snap = NULL, *by = NULL, *name = NULL, *due = NULL,
		   *types = NULL, *since = NULL, *out = NULL;
	int csv = 0, priv = 0, inherited = 0, npos, help, rc;
	const sfa_opt opts[] = {{"snapshot", SFA_OPT_STRING, &snap},
				{"by", SFA_OPT_STRING, &by},
				{"name", SFA_OPT_STRING, &name},
				{"due", SFA_OPT_STRING, &due},
				{"csv", SFA_OPT_FLAG, &csv},
				{"privileged-only", SFA_OPT_FLAG, &priv},
				{"access-type", SFA_OPT_STRING, &types},
				{"changed-since", SFA_OPT_STRING, &since},
				{"include-inherited", SFA_OPT_FLAG, &inherited},
				{"out", SFA_OPT_STRING, &out},
				{NULL, 0, NULL}};
	const char *type_v[16];
	char *type_buf = NULL;
	sfa_campaign_spec sp;
	owners own = {.n = 0};
	sfa_store *st = NULL;
	sfa_err err;
	long long id = 0, files = 0;

	sfa_err_clear(&err);
	memset(&sp, 0, sizeof(sp));
	if ((rc = sfa_opts_parse("review start", opts, argc, argv, &npos,
				 &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos || !out) {
		sfa_cli_errorf("review start: --out DIR is required (see "
			       "`sfaccess review --help`)");
		return SFA_EXIT_USAGE;
	}
	sp.routing = by ? by : "manager";
	if (strcmp(sp.routing, "manager") != 0 &&
	    strcmp(sp.routing, "owner") != 0) {
		sfa_cli_errorf("review start: --by %s: manager or owner", by);
		return SFA_EXIT_USAGE;
	}
	if ((snap && sfa_cli_parse_id("--snapshot", snap, &sp.snapshot_id)) ||
	    (since &&
	     sfa_cli_parse_id("--changed-since", since, &sp.changed_since)))
		return SFA_EXIT_USAGE;
	if (types) {
		if (!(type_buf = strdup(types)))
			return SFA_EXIT_FAIL;
		if (split_types(type_buf, type_v, 16, &sp.naccess_types) ||
		    !sp.naccess_types) {
			sfa_cli_errorf("review start: --access-type %s: one to "
				       "sixteen types, comma-separated",
				       types);
			free(type_buf);
			return SFA_EXIT_USAGE;
		}
		sp.access_types = type_v;
	}
	if (sfa_config_each(cli->config, "review.owners", on_owner, &own)) {
		sfa_cli_errorf("review start: [review.owners] has more than "
			       "256 entries");
		free(type_buf);
		return SFA_EXIT_USAGE;
	}
	if (!strcmp(sp.routing, "owner") && !own.n) {
		sfa_cli_errorf("review start: --by owner needs a "
			       "[review.owners] section in the configuration");
		free(type_buf);
		return SFA_EXIT_USAGE;
	}
	sp.name = name;
	sp.due = due;
	sp.privileged_only = priv;
	sp.include_inherited = inherited;
	sp.owners = own.v;
	sp.nowners = own.n;
	sp.fallback = sfa_config_get(cli->config, "review", "fallback");
	sp.escalation = sfa_config_get(cli->config, "review", "escalation");
	if (check_out_dir(out)) {
		free(type_buf);
		return SFA_EXIT_USAGE;
	}
	if ((rc = sfa_store_open(&st, cli->store_path, 0, &err)))
		goto fail;
	if (!sp.snapshot_id && (rc = sfa_store_latest_complete(
				    st, NULL, 0, &sp.snapshot_id, &err)))
		goto fail;
	if ((rc = sfa_campaign_start(st, &sp, &id, &err)))
		goto fail;
	if (make_dir(out)) {
		sfa_cli_errorf("review: campaign %lld is stored; its "
			       "workbooks were not written",
			       id);
		rc = SFA_EXIT_FAIL;
		goto out;
	}
	if (sfa_workbook_write_all(
		st, cli->store_path, id, out,
		sfa_config_get(cli->config, "review", "contact"), csv, &files,
		&err)) {
		sfa_cli_error(cli, &err);
		sfa_cli_errorf("review: campaign %lld is stored; its "
			       "workbooks are not all written",
			       id);
		rc = SFA_EXIT_FAIL;
		goto out;
	}
	printf("campaign %lld: %lld file%s in %s\n", id, files,
	       files == 1 ? "" : "s", out);
	rc = SFA_EXIT_OK;
	goto out;
fail:
	sfa_cli_error(cli, &err);
	rc = sfa_cli_exit_for(rc);
out:
	free(type_buf);
	sfa_store_free(st);
	return rc;
}

typedef struct head {
	char state[16], name[256];
} head;

static int on_head(void *ud, const sfa_campaign_info *c)
{
	head *h = ud;

	snprintf(h->state, sizeof(h->state), "%s", c->state);
	snprintf(h->name, sizeof(h->name), "%s", c->name);
	return 0;
}

static int review_collect(sfa_cli *cli, int argc, char **argv)
{
	const sfa_opt opts[] = {{NULL, 0, NULL}};
	sfa_store *st = NULL;
	sfa_err err;
	long long id;
	int npos, help, rc, i, refused = 0;
	size_t k;
	head h;

	sfa_err_clear(&err);
	if ((rc = sfa_opts_parse("review collect", opts, argc, argv, &npos,
				 &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos < 2) {
		sfa_cli_errorf("review collect: give CAMPAIGN and the "
			       "returned FILE...");
		return SFA_EXIT_USAGE;
	}
	if (parse_campaign(argv[1], &id))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_store_open(&st, cli->store_path, 0, &err)) ||
	    (rc = sfa_campaign_get(st, id, on_head, &h, &err))) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
		goto out;
	}
	if (strcmp(h.state, "open") != 0) {
		sfa_cli_errorf("review collect: campaign %lld is closed; "
			       "nothing more is collected",
			       id);
		rc = SFA_EXIT_USAGE;
		goto out;
	}
	for (i = 2; i <= npos; i++) {
		sfa_collect_result res;

		sfa_err_clear(&err);
		if ((rc = sfa_campaign_collect(st, id, argv[i], &res, &err))) {
			/* A file that is not a campaign's: refused, the
			 * others are still read. */
			sfa_cli_error(cli, &err);
			sfa_collect_result_free(&res);
			if (sfa_cli_exit_for(rc) != SFA_EXIT_USAGE) {
				rc = SFA_EXIT_FAIL;
				goto out;
			}
			refused = 1;
			continue;
		}
		for (k = 0; k < res.refused.n; k++)
			fprintf(stderr, "sfaccess: refused: %s\n",
				res.refused.v[k].msg);
		for (k = 0; k < res.self_review.n; k++)
			fprintf(stderr, "sfaccess: self-review: %s\n",
				res.self_review.v[k].msg);
		if (res.already)
			printf("%s: already collected (SHA-256 %.12s); "
			       "nothing changed\n",
			       argv[i], res.sha256);
		else if (res.refused.n || res.self_review.n) {
			size_t nref = res.refused.n + res.self_review.n;

			fprintf(stderr,
				"sfaccess: %s: %zu row%s refused; nothing of "
				"this file was recorded\n",
				argv[i], nref, nref == 1 ? "" : "s");
			refused = 1;
		} else
			printf("%s: %lld decision%s of %s recorded (%lld "
			       "rows, SHA-256 %.12s)\n",
			       argv[i], res.decided,
			       res.decided == 1 ? "" : "s", res.reviewer,
			       res.rows, res.sha256);
		sfa_collect_result_free(&res);
	}
	rc = refused ? SFA_EXIT_USAGE : SFA_EXIT_OK;
out:
	sfa_store_free(st);
	return rc;
}

typedef struct status {
	sfa_format fmt;
	sfa_csv *csv;
	json_t *arr;
	sfa_campaign_status total;
} status;

static int on_status(void *ud, const sfa_campaign_status *s)
{
	status *l = ud;
	char n[5][24];

	l->total.rows += s->rows;
	l->total.decided += s->decided;
	l->total.keep += s->keep;
	l->total.revoke += s->revoke;
	l->total.pending += s->pending;
	if (l->fmt == SFA_FMT_JSON) {
		json_t *o = json_pack(
		    "{s:s, s:I, s:I, s:I, s:I, s:I}", "reviewer", s->reviewer,
		    "rows", (json_int_t)s->rows, "decided",
		    (json_int_t)s->decided, "keep", (json_int_t)s->keep,
		    "revoke", (json_int_t)s->revoke, "pending",
		    (json_int_t)s->pending);

		return o ? json_array_append_new(l->arr, o) : SFA_ENOMEM;
	}
	snprintf(n[0], sizeof(n[0]), "%lld", s->rows);
	snprintf(n[1], sizeof(n[1]), "%lld", s->decided);
	snprintf(n[2], sizeof(n[2]), "%lld", s->keep);
	snprintf(n[3], sizeof(n[3]), "%lld", s->revoke);
	snprintf(n[4], sizeof(n[4]), "%lld", s->pending);
	if (l->fmt == SFA_FMT_CSV) {
		const char *row[] = {s->reviewer, n[0], n[1], n[2], n[3], n[4]};

		return sfa_csv_row(l->csv, row, 6, NULL);
	}
	printf("%-40s %8s %8s %8s %8s %8s\n", s->reviewer, n[0], n[1], n[2],
	       n[3], n[4]);
	return 0;
}

static int review_status(sfa_cli *cli, int argc, char **argv)
{
	static const char *const cols[] = {"reviewer", "rows",	 "decided",
					   "keep",     "revoke", "pending"};
	const char *format = NULL;
	const sfa_opt opts[] = {{"format", SFA_OPT_STRING, &format},
				{NULL, 0, NULL}};
	status l;
	head h;
	sfa_store *st = NULL;
	sfa_err err;
	long long id;
	int npos, help, rc;

	memset(&l, 0, sizeof(l));
	sfa_err_clear(&err);
	if ((rc = sfa_opts_parse("review status", opts, argc, argv, &npos,
				 &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1) {
		sfa_cli_errorf("review status: give one CAMPAIGN");
		return SFA_EXIT_USAGE;
	}
	if (parse_campaign(argv[1], &id) ||
	    sfa_format_parse("review status", format, &l.fmt))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (rc = sfa_campaign_get(st, id, on_head, &h, &err)))
		goto out;
	if (l.fmt == SFA_FMT_CSV) {
		if ((rc = sfa_csv_new(&l.csv, stdout, &err)) ||
		    (rc = sfa_csv_row(l.csv, cols, 6, &err)))
			goto out;
	} else if (l.fmt == SFA_FMT_JSON) {
		l.arr = json_array();
	} else {
		printf("campaign %lld (%s): %s\n", id, h.name, h.state);
		printf("%-40s %8s %8s %8s %8s %8s\n", "REVIEWER", "ROWS",
		       "DECIDED", "KEEP", "REVOKE", "PENDING");
	}
	if ((rc = sfa_campaign_each_status(st, id, on_status, &l, &err)))
		goto out;
	if (l.fmt == SFA_FMT_JSON) {
		json_t *o = json_pack(
		    "{s:I, s:s, s:s, s:O, s:{s:I, s:I, s:I, s:I, s:I}}",
		    "campaign", (json_int_t)id, "name", h.name, "state",
		    h.state, "reviewers", l.arr, "total", "rows",
		    (json_int_t)l.total.rows, "decided",
		    (json_int_t)l.total.decided, "keep",
		    (json_int_t)l.total.keep, "revoke",
		    (json_int_t)l.total.revoke, "pending",
		    (json_int_t)l.total.pending);

		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
	} else if (l.fmt == SFA_FMT_TABLE) {
		printf("%-40s %8lld %8lld %8lld %8lld %8lld\n", "total",
		       l.total.rows, l.total.decided, l.total.keep,
		       l.total.revoke, l.total.pending);
	}
out:
	if (rc) {
		if (rc == SFA_ENOMEM)
			sfa_err_set(&err, rc, "out of memory");
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	}
	json_decref(l.arr);
	sfa_csv_free(l.csv);
	sfa_store_free(st);
	return rc;
}

static int review_close(sfa_cli *cli, int argc, char **argv)
{
	const char *out = NULL;
	const sfa_opt opts[] = {{"out", SFA_OPT_STRING, &out}, {NULL, 0, NULL}};
	sfa_store *st = NULL;
	sfa_err err;
	long long id;
	int npos, help, rc, nfiles = 0;
	char now[32], dflt[48];
	head h;

	sfa_err_clear(&err);
	if ((rc = sfa_opts_parse("review close", opts, argc, argv, &npos,
				 &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1) {
		sfa_cli_errorf("review close: give one CAMPAIGN");
		return SFA_EXIT_USAGE;
	}
	if (parse_campaign(argv[1], &id))
		return SFA_EXIT_USAGE;
	if (!out) {
		snprintf(dflt, sizeof(dflt), "campaign-%lld", id);
		out = dflt;
	}
	if ((rc = sfa_store_open(&st, cli->store_path, 0, &err)) ||
	    (rc = sfa_campaign_get(st, id, on_head, &h, &err)))
		goto fail;
	if (strcmp(h.state, "open") != 0) {
		sfa_cli_errorf("review close: campaign %lld is already closed",
			       id);
		rc = SFA_EXIT_USAGE;
		goto out;
	}
	if (make_dir(out)) {
		rc = SFA_EXIT_FAIL;
		goto out;
	}
	/* The report first: a campaign is closed only with its report. */
	sfa_campaign_now(now);
	if ((rc = sfa_campaign_report_write(st, id, out, now, &nfiles, &err)) ||
	    (rc = sfa_campaign_close(st, id, now, &err)))
		goto fail;
	printf("campaign %lld closed: %d report files and %s in %s\n", id,
	       nfiles, "manifest.json", out);
	rc = SFA_EXIT_OK;
	goto out;
fail:
	sfa_cli_error(cli, &err);
	rc = sfa_cli_exit_for(rc);
out:
	sfa_store_free(st);
	return rc;
}

int cmd_review(sfa_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(sfa_cli *, int, char **);
	} subs[] = {{"start", review_start},
		    {"collect", review_collect},
		    {"status", review_status},
		    {"close", review_close}};
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? SFA_EXIT_USAGE : SFA_EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(cli, argc - 1, argv + 1);
	sfa_cli_errorf("review: unknown subcommand `%s` (start, collect, "
		       "status, close)",
		       argv[1]);
	return SFA_EXIT_USAGE;
}
