/*
 * fuzz_xlsx.c - a returned review workbook is whatever a reviewer's
 * spreadsheet (or an attacker) saved.  The reader (libzip, then libxml2's
 * xmlReader over workbook, relationships, shared strings and the sheet)
 * must refuse what it cannot read with SFA_EINPUT and never crash; every
 * row it hands over is numbered upwards from 1 and has its cells set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

static int on_row(void *ud, long row, const char *const *cells, size_t n)
{
	long *last = ud;
	size_t i;

	if (row <= *last || n == 0)
		abort();
	*last = row;
	for (i = 0; i < n; i++)
		if (!cells[i])
			abort();
		else
			(void)strlen(cells[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sfa_xlsx *x = NULL;
	sfa_err err;
	char *kw = NULL;
	long last = 0;
	int rc;

	sfa_err_clear(&err);
	if (sfa_xlsx_open_mem(&x, "fuzz.xlsx", data, size, &err)) {
		if (err.code != SFA_EINPUT && err.code != SFA_ENOMEM)
			abort();
		return 0;
	}
	if (sfa_xlsx_property(x, "keywords", &kw, &err) == 0)
		free(kw);
	sfa_err_clear(&err);
	rc = sfa_xlsx_each_row(x, "Review", on_row, &last, &err);
	if (rc && rc != SFA_EINPUT && rc != SFA_ENOMEM)
		abort();
	sfa_xlsx_free(x);
	return 0;
}
