/*
 * gc.c - `sfaccess gc --keep N`: keeps the newest N complete snapshots of
 * each org, deletes the others (lib/store/store_gc.h) and prints what went.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "store.h"
#include "store_gc.h"

static const char usage[] =
    "usage: sfaccess gc --keep N\n\n"
    "Deletes all but the newest N (at least 1) complete snapshots of "
    "each org, with\ntheir rows, and incomplete snapshots older than the "
    "oldest one kept; an\nincomplete snapshot newer than that (a sync in "
    "progress, or the record of one\nthat failed) is never deleted.  "
    "Then drops unused ids and compacts the store\n(VACUUM).  Fails "
    "without changing anything while a sync is writing.\n";

static int on_deleted(void *ud, const sfa_snapshot_info *s)
{
	(void)ud;
	printf("deleted snapshot %lld  org %s  started %s  %s  %lld access "
	       "rows\n",
	       s->id, s->org_id, s->started_at, s->status,
	       s->n_access > 0 ? s->n_access : 0);
	return 0;
}

int cmd_gc(sfa_cli *cli, int argc, char **argv)
{
	const char *keep_s = NULL;
	const sfa_opt opts[] = {{"keep", SFA_OPT_STRING, &keep_s},
				{NULL, 0, NULL}};
	sfa_gc_result res = {0, 0, 0, 0};
	sfa_store *st = NULL;
	int rc;
	long keep;
	char *end;
	sfa_err err;

	sfa_err_clear(&err);
	if (sfa_opts_parse_only("gc", usage, opts, argc, argv, &rc))
		return rc;
	if (!keep_s) {
		sfa_cli_errorf("gc: --keep N is required (the number of "
			       "complete snapshots to keep per org)");
		return SFA_EXIT_USAGE;
	}
	errno = 0;
	keep = strtol(keep_s, &end, 10);
	if (errno || end == keep_s || *end || keep < 1 || keep > 1000000) {
		sfa_cli_errorf("gc: --keep `%s` is not a number of snapshots "
			       "of at least 1",
			       keep_s);
		return SFA_EXIT_USAGE;
	}
	if ((rc = sfa_store_open(&st, cli->store_path, 0, &err)) == 0 &&
	    (rc = sfa_store_gc(st, (int)keep, on_deleted, NULL, &res, &err)) ==
		0)
		printf("gc: deleted %lld snapshot%s and %lld unused ids; "
		       "store %lld -> %lld bytes\n",
		       res.snapshots, res.snapshots == 1 ? "" : "s", res.sfids,
		       res.bytes_before, res.bytes_after);
	if (rc) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	}
	sfa_store_free(st);
	return rc;
}
