/*
 * who_can.c - `sfaccess who-can WHAT`: every user and path that holds one
 * permission (lib/access/PERMISSIONS.md).
 */
#include <stdio.h>

#include "perm_cli.h"

static const char usage[] =
    "usage: sfaccess who-can WHAT [--snapshot ID] [--format "
    "table|csv|json]\n\n"
    "Lists every user who holds WHAT, once per path (profile, permission "
    "set, or\npermission set group with the component that grants it), "
    "muting applied.\nWHAT is a system permission (ModifyAllData, "
    "PermissionsModifyAllData or its\nlabel in quotes), Object:action "
    "(read, create, edit, delete, viewall,\nmodifyall, viewallfields) or "
    "Object.Field:read|edit; any case.  Rows are\nsorted by username, "
    "via_type and via_id.  An unknown name exits 2 with the\nclosest "
    "names; a known one that nobody holds prints nothing.\n";

int cmd_who_can(sfa_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *snap = NULL;
	const sfa_opt opts[] = {{"format", SFA_OPT_STRING, &format},
				{"snapshot", SFA_OPT_STRING, &snap},
				{NULL, 0, NULL}};
	sfa_perm_printer pp = {0};
	sfa_perm_cli pc = {0};
	sfa_format fmt;
	sfa_err err;
	int rc, npos, help;

	sfa_err_clear(&err);
	if ((rc = sfa_opts_parse("who-can", opts, argc, argv, &npos, &help)))
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1) {
		sfa_cli_errorf("who-can: expected one permission, e.g. "
			       "`sfaccess who-can ModifyAllData` (see "
			       "--help)");
		return SFA_EXIT_USAGE;
	}
	if (sfa_format_parse("who-can", format, &fmt))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_perm_cli_open(cli, "who-can", snap, &pc)))
		goto out;
	if ((rc = sfa_perm_print_begin(&pp, fmt, &err)) ||
	    (rc = sfa_perm_who_can(pc.perm, argv[1], sfa_perm_print_row, &pp,
				   &err)) ||
	    (rc = sfa_perm_print_end(&pp))) {
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	} else if (fmt == SFA_FMT_TABLE && pp.printed == 0) {
		/* stdout stays empty, as the spec wants for scripts; a
		 * person at a terminal still learns the answer was none. */
		sfa_cli_info(cli, "who-can: nobody holds %s in snapshot %lld",
			     argv[1], pc.id);
	}
out:
	sfa_perm_print_free(&pp);
	sfa_perm_cli_close(&pc);
	return rc;
}
