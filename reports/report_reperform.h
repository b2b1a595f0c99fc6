/*
 * report_reperform.h - re-performance (EVIDENCE.md, Integrity): every file
 * a report run's manifest lists is written again from the store into a
 * temporary directory and compared byte for byte with the package's.
 */
#ifndef SFA_REPORT_REPERFORM_H
#define SFA_REPORT_REPERFORM_H

#include <stddef.h>

#include "err.h"
#include "store.h"

/* Re-performs the report run of dir (its manifest.json) from st.  0 with
 * diff empty when every file came out the same (*nfiles of them); 0 with
 * diff set to one line naming the first difference ("FILE differs from
 * byte OFFSET", a snapshot the store holds otherwise, a file sfaccess
 * does not write); an error when the manifest, the store or a temporary
 * directory cannot be read or written. */
int sfa_reperform(const char *dir, sfa_store *st, char *diff, size_t n,
		  int *nfiles, sfa_err *err);

#endif
