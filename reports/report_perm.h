/*
 * report_perm.h - effective permission rows (lib/access/perm.h) as CSV, JSON
 * and HTML: the rows of `who-can`, `permissions USER` and `report
 * permissions`, with the columns of lib/access/PERMISSIONS.md in order.
 */
#ifndef SFA_REPORT_PERM_H
#define SFA_REPORT_PERM_H

#include <jansson.h>
#include <stdio.h>

#include "perm.h"
#include "csv_io.h"
#include "snapinfo.h"

/* username, user_id, name, is_active, user_type, permission, via_type,
 * via_id, via_name, granted_by, implied_by, tier. */
extern const char *const sfa_perm_columns[];
extern const int sfa_perm_ncolumns;

int sfa_perm_csv_header(sfa_csv *w, sfa_err *err);
int sfa_perm_csv_row(sfa_csv *w, const sfa_perm_row *r, sfa_err *err);

/* One row as a JSON object with the columns as keys, in order: is_active
 * a boolean, tier a number, empty values null.  NULL on ENOMEM. */
json_t *sfa_perm_json_row(const sfa_perm_row *r);

/* What `report permissions` writes: the rows of sfa_perm_each(p, all,
 * object) for snapshot si, with si's evidence (store_evidence.h; NULL for
 * none) as every report carries it (reports/EVIDENCE.md). */
typedef struct sfa_perm_report {
	sfa_perm *perm;
	const sfa_snapinfo *si;
	int all;
	const char *object;
	const json_t *ev;
} sfa_perm_report;

int sfa_report_perm_csv(const sfa_perm_report *r, FILE *f, long long *rows,
			sfa_err *err);
int sfa_report_perm_json(const sfa_perm_report *r, FILE *f, long long *rows,
			 sfa_err *err);
int sfa_report_perm_html(const sfa_perm_report *r, FILE *f, long long *rows,
			 sfa_err *err);

#endif
