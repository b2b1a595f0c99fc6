/*
 * report_csv.h - the one CSV writer (RFC 4180, UTF-8, through libcsv) and the
 * access review CSV built on it.
 */
#ifndef SFA_REPORT_CSV_H
#define SFA_REPORT_CSV_H

#include <stdio.h>

#include "diff.h"
#include "err.h"
#include "report_manifest.h"
#include "store.h"

typedef struct sfa_csv sfa_csv;

/* Starts writing CSV rows to f (borrowed; the caller closes it), each
 * row when it ends. */
int sfa_csv_new(sfa_csv **out, FILE *f, sfa_err *err);
/* The same for a file of its own: rows go to f a block at a time, hashed
 * and written by threads of the writer's (hashwrite.h), so f is not the
 * caller's to use until sfa_csv_finish() or sfa_csv_free(). */
int sfa_csv_new_hashed(sfa_csv **out, FILE *f, sfa_err *err);
void sfa_csv_free(sfa_csv *w);

/* Appends one field to the current row; NULL is written as empty.  A
 * cell that starts with = + - @ tab or CR gets a leading ' so that no
 * spreadsheet runs it as a formula (lib/README.md, "Reports"). */
int sfa_csv_field(sfa_csv *w, const char *s);
/* Ends the current row with CRLF, as RFC 4180 says. */
int sfa_csv_end_row(sfa_csv *w, sfa_err *err);
/* Writes a whole row of n fields. */
int sfa_csv_row(sfa_csv *w, const char *const *fields, int n, sfa_err *err);
/* Rows ended so far. */
long long sfa_csv_rows(const sfa_csv *w);
/* Writes what a writer of sfa_csv_new_hashed() still holds and gives the
 * size and SHA-256 of all it wrote; it takes no more rows.  SFA_EIO when
 * the write fails, SFA_EINTERNAL for a writer that does not hash. */
int sfa_csv_finish(sfa_csv *w, sfa_file_digest *d, sfa_err *err);

/* The access review columns of lib/README.md, in order. */
extern const char *const sfa_access_csv_columns[];
extern const int sfa_access_csv_ncolumns;

/* Writes the fields of one access row (without ending the row), so that
 * the change CSV can put its own columns first.  A row without a user
 * (a resource change) leaves is_active and is_frozen empty. */
int sfa_csv_access_fields(sfa_csv *w, const sfa_access_row *r);

/* Writes the access review CSV of a snapshot to f; *rows gets the data
 * row count, *d (unless NULL) the size and SHA-256 of what was written. */
int sfa_report_access_csv(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *filter, FILE *f,
			  long long *rows, sfa_file_digest *d, sfa_err *err);

/* ---- the Change CSV (lib/README.md "Reports"): change, field, old_value,
 * new_value, then the access review columns ---- */

/* Writes the header row of the Change CSV. */
int sfa_csv_change_header(sfa_csv *w, sfa_err *err);

/* Writes one change as a row of the Change CSV. */
int sfa_csv_change_row(sfa_csv *w, const sfa_diff_change *c, sfa_err *err);

/* Writes the Change CSV of a computed diff to f, in the diff's order;
 * *rows gets the data row count, *fd (unless NULL) the size and SHA-256
 * of what was written. */
int sfa_report_changes_csv(sfa_diff *d, FILE *f, long long *rows,
			   sfa_file_digest *fd, sfa_err *err);

#endif
