/*
 * verify.c - `sfaccess verify DIR`: re-hashes the files a report run's
 * manifest.json lists and names every file that was modified, removed or
 * added since, so that evidence can be checked before it is handed over.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report_manifest.h"
#include "report_reperform.h"
#include "report_sign.h"
#include "store.h"

static const char usage[] =
    "usage: sfaccess verify DIR [--pubkey KEY.pub] [--store DB]\n\n"
    "Checks DIR against DIR/manifest.json, written by `sfaccess report`: "
    "every\nlisted file must have the size and SHA-256 the manifest "
    "records, and DIR\nmust hold no other file.  Prints one line per "
    "modified, missing or extra\nfile.\n\n"
    "--pubkey KEY.pub  first check manifest.json.sig, the Ed25519 "
    "signature of\n                  `report --sign-key`, with this "
    "public key: a missing or wrong\n                  signature (or a "
    "manifest changed since) fails before any file\n"
    "--store DB        then re-perform the report: check the store's "
    "integrity\n                  (SQLite's integrity_check), write "
    "every listed file again from\n                  the snapshots it "
    "holds, and compare byte for byte: `reproduced`,\n                 "
    " or the first file and byte that differ\n\n"
    "Exit status: 0 all match, 1 any does not (or the signature fails), "
    "2 DIR,\nits manifest or the key cannot be read or is malformed.\n";

static int on_file(void *ud, const char *name, sfa_verify_status st,
		   const char *detail)
{
	static const char *const words[] = {"ok", "modified", "missing",
					    "extra"};
	const sfa_cli *cli = ud;

	if (st == SFA_VERIFY_OK) {
		if (cli->verbose)
			printf("ok: %s\n", name);
		return 0;
	}
	printf("%s: %s (%s)\n", words[st], name, detail);
	return 0;
}

/* verify --store: the store's integrity, then the report again. */
static int reperform(const sfa_cli *cli, const char *dir, const char *path)
{
	char report[1024];
	sfa_store *st = NULL;
	sfa_err err;
	int rc, n = 0;

	sfa_err_clear(&err);
	if ((rc = sfa_store_open(&st, path, SFA_STORE_READONLY, &err)) ==
	    SFA_ENOTFOUND) {
		sfa_cli_error(cli, &err);
		return SFA_EXIT_USAGE;
	}
	if (rc == 0)
		rc = sfa_store_integrity(st, report, sizeof(report), &err);
	if (rc || strcmp(report, "ok") != 0) {
		fprintf(stderr, "sfaccess: verify: store %s is damaged: %s\n",
			path, rc ? err.msg : report);
		sfa_store_free(st);
		return SFA_EXIT_FAIL;
	}
	printf("store %s: integrity ok\n", path);
	rc = sfa_reperform(dir, st, report, sizeof(report), &n, &err);
	sfa_store_free(st);
	if (rc) {
		sfa_cli_error(cli, &err);
		return sfa_cli_exit_for(rc);
	}
	if (report[0]) {
		fprintf(stderr, "sfaccess: verify: not reproduced: %s\n",
			report);
		return SFA_EXIT_FAIL;
	}
	printf("reproduced: %d file%s written again from %s are identical\n", n,
	       n == 1 ? "" : "s", path);
	return SFA_EXIT_OK;
}

int cmd_verify(sfa_cli *cli, int argc, char **argv)
{
	const char *pubkey = NULL;
	const sfa_opt opts[] = {{"pubkey", SFA_OPT_STRING, &pubkey},
				{NULL, 0, NULL}};
	char problem[512];
	sfa_err err;
	int npos, help, rc, nok, nbad;

	if ((rc = sfa_opts_parse("verify", opts, argc, argv, &npos, &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1) {
		sfa_cli_errorf("verify: expected one directory (see `sfaccess "
			       "verify --help`)");
		return SFA_EXIT_USAGE;
	}
	sfa_err_clear(&err);
	if (pubkey) {
		if (sfa_manifest_check_signature(argv[1], pubkey, problem,
						 sizeof(problem), &err)) {
			sfa_cli_error(cli, &err);
			return SFA_EXIT_USAGE;
		}
		/* The manifest is what vouches for the files: one that is
		 * not the signer's vouches for nothing. */
		if (problem[0]) {
			fprintf(stderr, "sfaccess: verify: %s\n", problem);
			return SFA_EXIT_FAIL;
		}
		printf("signature ok: %s signed by %s\n", SFA_MANIFEST_NAME,
		       pubkey);
	}
	if (sfa_manifest_verify(argv[1], on_file, cli, &nok, &nbad, &err)) {
		/* Unreadable or malformed evidence is bad input, not a
		 * mismatch: nothing could be checked. */
		sfa_cli_error(cli, &err);
		return SFA_EXIT_USAGE;
	}
	if (nbad) {
		fprintf(stderr,
			"sfaccess: verify: %d file%s of %s do%s not match "
			"%s\n",
			nbad, nbad == 1 ? "" : "s", argv[1],
			nbad == 1 ? "es" : "", SFA_MANIFEST_NAME);
		return SFA_EXIT_FAIL;
	}
	printf("verified %d file%s\n", nok, nok == 1 ? "" : "s");
	/* --store is a global option: only one given on the command line
	 * asks for re-performance, not SFACCESS_STORE. */
	return cli->store_given ? reperform(cli, argv[1], cli->store_path)
				: SFA_EXIT_OK;
}
