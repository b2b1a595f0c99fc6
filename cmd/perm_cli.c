/*
 * perm_cli.c - the shared part of the permission commands (perm_cli.h).
 */
#include "perm_cli.h"

#include <stdio.h>

#include "report_perm.h"

int sfa_perm_cli_open(sfa_cli *cli, const char *cmd, const char *snap,
		      sfa_perm_cli *pc)
{
	sfa_err err;
	int rc;

	sfa_err_clear(&err);
	if (snap && sfa_cli_parse_id("--snapshot", snap, &pc->id))
		return SFA_EXIT_USAGE;
	if ((rc = sfa_priv_new(&pc->pv, &err)) ||
	    (rc = sfa_priv_configure(
		 pc->pv, sfa_config_get(cli->config, "privileged", "add"),
		 sfa_config_get(cli->config, "privileged", "ignore"), &err)) ||
	    (rc = sfa_store_open(&pc->st, cli->store_path, SFA_STORE_READONLY,
				 &err)) ||
	    (!snap && (rc = sfa_store_latest_complete(pc->st, NULL, 0, &pc->id,
						      &err))) ||
	    (rc = sfa_perm_open(&pc->perm, pc->st, pc->id, pc->pv, &err))) {
		sfa_cli_error(cli, &err);
		return sfa_cli_exit_for(rc);
	}
	if (!sfa_perm_synced(pc->perm)) {
		sfa_cli_errorf("%s: snapshot %lld holds no permissions (synced "
			       "with --no-sync-permissions, or by an older "
			       "sfaccess); sync again to ask about them",
			       cmd, pc->id);
		return SFA_EXIT_FAIL;
	}
	return 0;
}

void sfa_perm_cli_close(sfa_perm_cli *pc)
{
	sfa_perm_free(pc->perm);
	sfa_store_free(pc->st);
	sfa_priv_free(pc->pv);
}

int sfa_perm_print_begin(sfa_perm_printer *pp, sfa_format fmt, sfa_err *err)
{
	int rc;

	pp->fmt = fmt;
	pp->err = err;
	if (fmt == SFA_FMT_CSV) {
		if ((rc = sfa_csv_new(&pp->csv, stdout, err)))
			return rc;
		return sfa_perm_csv_header(pp->csv, err);
	}
	if (fmt == SFA_FMT_JSON && !(pp->rows = json_array()))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return 0;
}

int sfa_perm_print_row(void *ud, const sfa_perm_row *r)
{
	sfa_perm_printer *pp = ud;
	char tier[16] = "";
	json_t *o;

	if (pp->fmt == SFA_FMT_CSV)
		return sfa_perm_csv_row(pp->csv, r, pp->err);
	if (pp->fmt == SFA_FMT_JSON) {
		if (!(o = sfa_perm_json_row(r)) ||
		    json_array_append_new(pp->rows, o))
			return sfa_err_set(pp->err, SFA_ENOMEM,
					   "out of memory");
		return 0;
	}
	if (r->tier >= 0)
		snprintf(tier, sizeof(tier), "tier %d", r->tier);
	if (pp->printed++ == 0)
		printf("%-32s %-36s %-20s %-32s %s\n", "user", "permission",
		       "via type", "via", "path, tier");
	printf("%-32s %-36s %-20s %-32s%s%s%s%s %s\n", r->username,
	       r->permission, r->via_type, r->via_name,
	       r->granted_by[0] ? " granted_by " : "", r->granted_by,
	       r->implied_by[0] ? " implied_by " : "", r->implied_by, tier);
	return 0;
}

int sfa_perm_print_end(sfa_perm_printer *pp)
{
	if (pp->fmt == SFA_FMT_JSON) {
		if (json_dumpf(pp->rows, stdout,
			       JSON_INDENT(2) | JSON_PRESERVE_ORDER))
			return sfa_err_set(pp->err, SFA_EIO,
					   "cannot write to stdout");
		fputc('\n', stdout);
	}
	if (fflush(stdout))
		return sfa_err_set(pp->err, SFA_EIO, "cannot write to stdout");
	return 0;
}

void sfa_perm_print_free(sfa_perm_printer *pp)
{
	sfa_csv_free(pp->csv);
	json_decref(pp->rows);
}
