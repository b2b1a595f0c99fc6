/*
 * report_csv.h - the access review CSV and the Change CSV, built on the CSV
 * writer of csv_io.h.
 */
#ifndef SFA_REPORT_CSV_H
#define SFA_REPORT_CSV_H

#include <stdio.h>

#include "csv_io.h"
#include "diff.h"
#include "err.h"
#include "hashwrite.h"
#include "report_manifest.h"
#include "store.h"

/* Starts a CSV writer for a report file of its own: rows go to f a block
 * at a time, hashed and written by the threads of *h (hashwrite.h), so f
 * is not the caller's to use until sfa_report_csv_finish() or both are
 * freed. */
int sfa_report_csv_new(sfa_csv **w, sfa_hashwrite **h, FILE *f, sfa_err *err);
/* Writes what w still holds and gives the size and SHA-256 of all it
 * wrote; w takes no more rows.  SFA_EIO when the write fails. */
int sfa_report_csv_finish(sfa_csv *w, sfa_hashwrite *h, sfa_file_digest *d,
			  sfa_err *err);

/* The access review columns of lib/README.md, in order. */
extern const char *const sfa_access_csv_columns[];
extern const int sfa_access_csv_ncolumns;

/* Writes the access review CSV of a snapshot to f; *rows gets the data
 * row count, *d (unless NULL) the size and SHA-256 of what was written. */
int sfa_report_access_csv(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *filter, FILE *f,
			  long long *rows, sfa_file_digest *d, sfa_err *err);

/* ---- the Change CSV (lib/README.md "Reports"): change, field, old_value,
 * new_value, then the access review columns ---- */

/* Writes the Change CSV of a computed diff to f, in the diff's order;
 * *rows gets the data row count, *fd (unless NULL) the size and SHA-256
 * of what was written. */
int sfa_report_changes_csv(sfa_diff *d, FILE *f, long long *rows,
			   sfa_file_digest *fd, sfa_err *err);

#endif
