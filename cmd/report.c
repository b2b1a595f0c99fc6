/*
 * report.c - `sfaccess report access`: the access review of a snapshot,
 * written into an output directory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "report_csv.h"
#include "store.h"

static const char usage[] =
	"usage: sfaccess report access [--snapshot ID] --format csv --out DIR\n\n"
	"Writes the access review of a snapshot (default: the latest "
	"complete one):\none row per user, access item and path, with "
	"empty decision, reviewer and\ncomment columns for the reviewers "
	"(keep or revoke).\n";

static int make_dir(const char *dir)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	sfa_cli_errorf("report: --out %s: %s", dir, strerror(errno));
	return -1;
}

static int report_access(sfa_cli *cli, const char *snap, const char *dir)
{
	sfa_store *st = NULL;
	sfa_err err;
	char path[4096];
	long long id = 0, rows = 0;
	FILE *f = NULL;
	int rc;

	sfa_err_clear(&err);
	if (snap && sfa_cli_parse_id("--snapshot", snap, &id))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (!snap && (rc = sfa_store_latest_complete(st, NULL, 0, &id, &err))))
		goto out;
	if (make_dir(dir)) {
		sfa_store_free(st);
		return SFA_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/access-review.csv", dir);
	f = fopen(path, "wb");
	if (!f) {
		rc = sfa_err_set(&err, SFA_EIO, "cannot write %s: %s", path,
				 strerror(errno));
		goto out;
	}
	rc = sfa_report_access_csv(st, id, NULL, f, &rows, &err);
	if (fclose(f) != 0 && rc == 0)
		rc = sfa_err_set(&err, SFA_EIO, "cannot write %s: %s", path,
				 strerror(errno));
	if (rc == 0)
		printf("%s: %lld access rows of snapshot %lld\n", path, rows,
		       id);
out:
	if (rc) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	}
	sfa_store_free(st);
	return rc;
}

int cmd_report(sfa_cli *cli, int argc, char **argv)
{
	const char *snap = NULL, *out = NULL;
	sfa_optlist formats = {0};
	const sfa_opt opts[] = {{"snapshot", SFA_OPT_STRING, &snap},
				{"format", SFA_OPT_LIST, &formats},
				{"out", SFA_OPT_STRING, &out},
				{NULL, 0, NULL}};
	int npos, help, rc, i;

	if ((rc = sfa_opts_parse("report", opts, argc, argv, &npos, &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1 || strcmp(argv[1], "access") != 0) {
		sfa_cli_errorf("report: expected `report access` (see `sfaccess "
			       "report --help`)");
		return SFA_EXIT_USAGE;
	}
	if (!out) {
		sfa_cli_errorf("report: --out DIR is required");
		return SFA_EXIT_USAGE;
	}
	if (formats.n == 0) {
		sfa_cli_errorf("report: --format is required (csv)");
		return SFA_EXIT_USAGE;
	}
	for (i = 0; i < formats.n; i++)
		if (strcmp(formats.v[i], "csv") != 0 &&
		    strcmp(formats.v[i], "all") != 0) {
			sfa_cli_errorf("report: --format `%s` is not supported "
				       "yet (csv)",
				       formats.v[i]);
			return SFA_EXIT_USAGE;
		}
	return report_access(cli, snap, out);
}
