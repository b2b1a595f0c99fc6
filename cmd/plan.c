/*
 * plan.c - `sfaccess plan --review REVIEWED.csv | --campaign ID |
 * --revert-to ID -o FILE`:
 * writes a change file for a reviewer through lib/plan.  The plan is made
 * in memory and written only when it is whole, so a bad review leaves no
 * half a change file behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plan.h"
#include "store.h"

static const char usage[] =
    "usage: sfaccess plan (--review REVIEWED.csv | --campaign ID |\n"
    "                      --revert-to ID | --findings FINDINGS.csv)\n"
    "                     [-o CHANGES.csv]\n\n"
    "Writes a change file for `sfaccess apply` (standard output without "
    "-o):\n"
    "  --review FILE     the access review CSV (`sfaccess report access "
    "--format csv`)\n"
    "                    with `decision` filled in (keep or revoke): a "
    "revoke per\n"
    "                    revoked row; access through another item (a "
    "permission set\n"
    "                    group, a group, a role, ...) is named in a # "
    "comment, not\n"
    "                    guessed\n"
    "  --campaign ID     the decisions of review campaign ID (`sfaccess "
    "review`), as\n"
    "                    --review writes them\n"
    "  --revert-to ID    the operations that return the org's access to "
    "snapshot ID\n"
    "                    from the latest complete snapshot\n"
    "  --findings FILE   findings of `sfaccess check --format csv` (the "
    "rows chosen):\n"
    "                    leaver -> set_status IsActive=false, "
    "expired-assignment ->\n"
    "                    revoke, sod -> both sides as commented-out "
    "rows to choose from\n"
    "  -o, --out FILE    where to write the change file\n\n"
    "Exit status: 0 written, 2 bad input (nothing written), 1 other "
    "errors.\n";

static int write_out(const char *path, const char *data, size_t len)
{
	FILE *f = path ? fopen(path, "wb") : stdout;

	if (!f) {
		sfa_cli_errorf("cannot write %s", path);
		return -1;
	}
	int bad = fwrite(data, 1, len, f) != len;

	if (path)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	if (bad) {
		sfa_cli_errorf("cannot write %s", path ? path : "stdout");
		return -1;
	}
	return 0;
}

int cmd_plan(sfa_cli *cli, int argc, char **argv)
{
	const char *review = NULL, *revert = NULL, *outp = NULL,
		   *campaign = NULL, *findings = NULL;
	const sfa_opt opts[] = {{"review", SFA_OPT_STRING, &review},
				{"campaign", SFA_OPT_STRING, &campaign},
				{"revert-to", SFA_OPT_STRING, &revert},
				{"out", SFA_OPT_STRING, &outp},
				{"findings", SFA_OPT_STRING, &findings},
				{NULL, 0, NULL}};
	sfa_problems probs = {0};
	sfa_plan_stats stats = {0, 0, 0, 0, 0, 0};
	sfa_store *st = NULL;
	sfa_err err;
	char *buf = NULL;
	size_t len = 0, i;
	long long id = 0;
	FILE *mem;
	int npos, help, rc;

	sfa_err_clear(&err);
	for (i = 1; i < (size_t)argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = "--out";
	if ((rc = sfa_opts_parse("plan", opts, argc, argv, &npos, &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos || !!review + !!revert + !!campaign + !!findings != 1) {
		sfa_cli_errorf(
		    "plan: give one of --review FILE, --campaign ID, "
		    "--revert-to ID or --findings FILE (see "
		    "`sfaccess plan --help`)");
		return SFA_EXIT_USAGE;
	}
	if ((revert && sfa_cli_parse_id("--revert-to", revert, &id)) ||
	    (campaign && sfa_cli_parse_id("--campaign", campaign, &id)))
		return SFA_EXIT_USAGE;
	/* --review needs the review's snapshot too: without it no group
	 * type is known, and group revokes would turn into comments.
	 * --findings needs no store. */
	rc = findings ? 0
		      : sfa_store_open(&st, cli->store_path, SFA_STORE_READONLY,
				       &err);
	if (rc)
		goto fail;
	if (!(mem = open_memstream(&buf, &len))) {
		rc = sfa_err_set(&err, SFA_ENOMEM, "out of memory");
		goto fail;
	}
	rc = review	? sfa_plan_review(st, review, mem, &probs, &stats, &err)
	     : campaign ? sfa_plan_campaign(st, id, mem, &probs, &stats, &err)
	     : findings ? sfa_plan_findings(findings, mem, &probs, &stats, &err)
			: sfa_plan_revert(st, id, mem, &stats, &err);
	fclose(mem);
	if (rc)
		goto fail;
	if (probs.n) {
		sfa_problems_sort(&probs);
		for (i = 0; i < probs.n; i++)
			fprintf(stderr, "sfaccess: %s:%ld: %s\n",
				review	   ? review
				: findings ? findings
					   : "campaign",
				probs.v[i].line, probs.v[i].msg);
		fprintf(stderr,
			"sfaccess: %zu problem%s in %s; no change file was "
			"written\n",
			probs.n, probs.n == 1 ? "" : "s",
			review	   ? review
			: findings ? findings
				   : "the campaign");
		rc = SFA_EXIT_USAGE;
		goto out;
	}
	if (write_out(outp, buf, len)) {
		rc = SFA_EXIT_FAIL;
		goto out;
	}
	if (review)
		sfa_cli_info(cli,
			     "plan: %lld operation%s, %lld row%s left as "
			     "comments, %lld kept, %lld row%s without a "
			     "decision (left as they are)%s%s",
			     stats.ops, stats.ops == 1 ? "" : "s",
			     stats.comments, stats.comments == 1 ? "" : "s",
			     stats.keep, stats.undecided,
			     stats.undecided == 1 ? "" : "s",
			     outp ? " in " : "", outp ? outp : "");
	else
		sfa_cli_info(cli,
			     "plan: %lld operation%s, %lld row%s left as "
			     "comments%s%s",
			     stats.ops, stats.ops == 1 ? "" : "s",
			     stats.comments, stats.comments == 1 ? "" : "s",
			     outp ? " in " : "", outp ? outp : "");
	if (review && stats.latest > stats.snapshot)
		fprintf(stderr,
			"sfaccess: warning: the review is of snapshot %lld, "
			"but snapshot %lld of the org is newer: access may "
			"have changed since it was reviewed\n",
			stats.snapshot, stats.latest);
	rc = SFA_EXIT_OK;
	goto out;
fail:
	sfa_cli_error(cli, &err);
	rc = sfa_cli_exit_for(rc);
out:
	free(buf);
	sfa_problems_free(&probs);
	sfa_store_free(st);
	return rc;
}
