/*
 * xlsx.h - a reader of the cells of an .xlsx workbook (ECMA-376 SpreadsheetML)
 * for returned review workbooks: libzip opens the package, libxml2's
 * xmlReader streams the parts.  A sheet is found by name through
 * xl/workbook.xml and its relationships; cells come as text, shared
 * strings (xl/sharedStrings.xml) and inline strings resolved, numbers as
 * written.  Formulas are not evaluated: their cached value is the text.
 */
#ifndef SFA_XLSX_H
#define SFA_XLSX_H

#include <stddef.h>

#include "err.h"

typedef struct sfa_xlsx sfa_xlsx;

/* Opens the workbook at path; name (used in messages) is path.  A file
 * that is not a zip or has no xl/workbook.xml is SFA_EINPUT.  *out is
 * freed with sfa_xlsx_free(). */
int sfa_xlsx_open(sfa_xlsx **out, const char *path, sfa_err *err);
/* The same over bytes in memory (borrowed until sfa_xlsx_free()). */
int sfa_xlsx_open_mem(sfa_xlsx **out, const char *name, const void *data,
		      size_t len, sfa_err *err);
void sfa_xlsx_free(sfa_xlsx *x);

/* The text of the core property `name` (the local name of an element of
 * docProps/core.xml: "title", "subject", "keywords", ...) in *out
 * (malloc'ed, the caller frees), or NULL when the workbook has none. */
int sfa_xlsx_property(sfa_xlsx *x, const char *name, char **out,
		      sfa_err *err);

/* One row: its number (from 1) and cells by column (0 = A), n of them;
 * a cell the row does not have is "".  Borrowed for the call.  A non-zero
 * return stops reading and is returned. */
typedef int (*sfa_xlsx_row_fn)(void *ud, long row, const char *const *cells,
			       size_t n);

/* Calls fn for every row of sheet `sheet` that has a cell, in order.
 * SFA_EINPUT when there is no such sheet or its XML is broken. */
int sfa_xlsx_each_row(sfa_xlsx *x, const char *sheet, sfa_xlsx_row_fn fn,
		      void *ud, sfa_err *err);

/* "K17" for column 10 (0-based) and row 17. */
void sfa_xlsx_cell_name(size_t col, long row, char out[16]);

#endif
