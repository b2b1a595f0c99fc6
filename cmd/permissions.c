/*
 * permissions.c - `sfaccess permissions USER`: every effective permission
 * of one user with its paths (lib/access/PERMISSIONS.md).
 */
#include <stdio.h>

#include "perm_cli.h"

static const char usage[] =
    "usage: sfaccess permissions USER [--object O] [--snapshot ID]\n"
    "                                 [--format table|csv|json]\n\n"
    "Lists every system, object and field permission of USER (Username "
    "or Id),\nonce per path, with who-can's columns, sorted by "
    "permission.  --object narrows\nthe object and field rows to one "
    "object.\n";

int cmd_permissions(sfa_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *snap = NULL, *object = NULL;
	const sfa_opt opts[] = {{"format", SFA_OPT_STRING, &format},
				{"snapshot", SFA_OPT_STRING, &snap},
				{"object", SFA_OPT_STRING, &object},
				{NULL, 0, NULL}};
	sfa_perm_printer pp = {0};
	sfa_perm_cli pc = {0};
	sfa_format fmt;
	sfa_err err;
	int rc, npos, help;

	sfa_err_clear(&err);
	if ((rc =
		 sfa_opts_parse("permissions", opts, argc, argv, &npos, &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1) {
		sfa_cli_errorf("permissions: expected one user (Username or "
			       "Id; see --help)");
		return SFA_EXIT_USAGE;
	}
	if (sfa_format_parse("permissions", format, &fmt))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_perm_cli_open(cli, "permissions", snap, &pc)))
		goto out;
	if ((rc = sfa_perm_print_begin(&pp, fmt, &err)) ||
	    (rc = sfa_perm_of_user(pc.perm, argv[1], object, sfa_perm_print_row,
				   &pp, &err)) ||
	    (rc = sfa_perm_print_end(&pp))) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	} else if (fmt == SFA_FMT_TABLE && pp.printed == 0) {
		/* stdout stays empty, as the spec wants for scripts; a
		 * person at a terminal still learns the answer was none. */
		sfa_cli_info(cli,
			     "permissions: %s holds no system, object or "
			     "field permission%s in snapshot %lld",
			     argv[1], object ? " on that object" : "", pc.id);
	}
out:
	sfa_perm_print_free(&pp);
	sfa_perm_cli_close(&pc);
	return rc;
}
