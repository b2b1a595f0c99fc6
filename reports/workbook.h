/*
 * workbook.h - the review campaign's workbooks (REVIEW.md "The
 * workbook"): one .xlsx per reviewer, written with libxlsxwriter in
 * constant-memory mode, and the same rows as CSV.
 */
#ifndef SFA_WORKBOOK_H
#define SFA_WORKBOOK_H

#include "campaign.h"
#include "err.h"
#include "store.h"

/* Writes DIR/<reviewer>.xlsx for every reviewer of campaign id (and
 * DIR/<reviewer>.csv with csv), DIR already existing.  contact (may be
 * NULL) goes on the Instructions sheet.  *files gets the number of files
 * written.  A reviewer name that cannot be a file name is SFA_EINPUT,
 * before any file is written.  With store_path (st's file) and more than
 * one core, a forked second process writes every other workbook through
 * a connection of its own. */
int sfa_workbook_write_all(sfa_store *st, const char *store_path, long long id,
			   const char *dir, const char *contact, int csv,
			   long long *files, sfa_err *err);

#endif
