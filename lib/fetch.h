/*
 * fetch.h - taking one snapshot: one paged scan per object of the object
 * table (objects.h), each record streamed into the store as it arrives.
 */
#ifndef SFA_FETCH_H
#define SFA_FETCH_H

#include "err.h"
#include "sf.h"
#include "store.h"

/* The sync options of product.md, "Sync options". */
typedef struct sfa_sync_opts {
	int username_as_email;
	int sync_connected_apps;
	int no_deactivated_users;
	int non_standard_licenses;
} sfa_sync_opts;

/* Progress: called after each page of an object and once when its scan is
 * done (done = 1), with the rows stored so far. */
typedef void (*sfa_fetch_progress_fn)(void *ud, const char *sobject,
				      long long rows, int done);

/* Scans every object into a new snapshot of sf's org (sf must be logged
 * in) and finishes it.  *snapshot_id is set as soon as the snapshot row
 * exists, so a caller can name an incomplete snapshot after a failure.
 * On failure the snapshot is left 'incomplete' with the error recorded. */
int sfa_fetch_snapshot(sfa_sf *sf, sfa_store *st, const sfa_sync_opts *opts,
		       sfa_fetch_progress_fn progress, void *ud,
		       long long *snapshot_id, sfa_err *err);

/* The SOQL of one object's scan under opts, malloc'd (caller frees), or
 * NULL on ENOMEM.  Exposed for tests and for `sync -v`. */
char *sfa_fetch_soql(const sfa_obj_def *def, const sfa_sync_opts *opts);

/* The sync options as canonical JSON text (keys sorted), malloc'd. */
char *sfa_fetch_options_json(const sfa_sync_opts *opts);

#endif
