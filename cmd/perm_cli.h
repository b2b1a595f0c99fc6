/*
 * perm_cli.h - what `who-can`, `permissions` and `report permissions`
 * share: the snapshot opened for permission questions with the
 * configured privileged list, and the rows printed as a table, CSV or
 * JSON.
 */
#ifndef SFA_PERM_CLI_H
#define SFA_PERM_CLI_H

#include <jansson.h>

#include "cli.h"
#include "output.h"
#include "perm.h"
#include "csv_io.h"
#include "store.h"

typedef struct sfa_perm_cli {
	sfa_store *st;
	sfa_priv *pv;
	sfa_perm *perm;
	long long id;
} sfa_perm_cli;

/* Opens the store read-only, the snapshot (snap: an id, or NULL for the
 * latest complete one) and the [privileged] list of the configuration.
 * Returns 0, or an exit status after printing why. */
int sfa_perm_cli_open(sfa_cli *cli, const char *cmd, const char *snap,
		      sfa_perm_cli *pc);
void sfa_perm_cli_close(sfa_perm_cli *pc);

/* Rows to stdout in fmt. */
typedef struct sfa_perm_printer {
	sfa_format fmt;
	sfa_csv *csv;
	json_t *rows;
	sfa_err *err;
	long long
	    printed; /* rows so far: a table's header goes before the first */
} sfa_perm_printer;

int sfa_perm_print_begin(sfa_perm_printer *pp, sfa_format fmt, sfa_err *err);
int sfa_perm_print_row(void *ud, const sfa_perm_row *r);
int sfa_perm_print_end(sfa_perm_printer *pp);
void sfa_perm_print_free(sfa_perm_printer *pp);

#endif
