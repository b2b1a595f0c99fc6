/*
 * snapshot_finish.c - the finish of a snapshot, orchestrated above the
 * store so that the store never calls the access model (see
 * snapshot_finish.h for the layers).
 */
#include "snapshot_finish.h"
#include "access.h"
#include "clock.h"
#include "store_db.h"

#include <string.h>

int sfa_snapshot_finish(sfa_store *st, const sfa_priv *pv,
			long long api_requests, sfa_snapshot_finish_times *cpu,
			sfa_err *err)
{
	sfa_snapshot_finish_times steps = {0, 0, 0};
	sfa_snapshot_totals t;
	long c0;
	int rc;

	if (!sfa_store_writing(st))
		return sfa_err_set(err, SFA_EINTERNAL,
				   "store: finish without an open snapshot");
	memset(&t, 0, sizeof(t));
	t.api_requests = api_requests;
	sfa_store_end_puts(st);
	c0 = sfa_clock_cpu_ms();
	if ((rc = sfa_access_derive(st, err)) ||
	    (rc = sfa_perm_store_review(st, pv, err)))
		goto fail;
	steps.derive_ms = sfa_clock_cpu_ms() - c0;
	c0 += steps.derive_ms;
	if ((rc = sfa_store_count(st, &t.n_users, &t.n_access, err)) ||
	    (rc = sfa_store_content_hash(st, sfa_store_writing(st),
					 t.content_hash, &t.n_resources, err)))
		goto fail;
	steps.hash_ms = sfa_clock_cpu_ms() - c0;
	c0 += steps.hash_ms;
	if ((rc = sfa_store_commit_snapshot(st, &t, err)))
		goto fail;
	steps.commit_ms = sfa_clock_cpu_ms() - c0;
	if (cpu)
		*cpu = steps;
	return 0;
fail:
	/* A snapshot that cannot finish is not left half-open. */
	sfa_store_abort_snapshot(st, err ? err->msg : "finishing failed");
	if (cpu)
		*cpu = steps;
	return rc;
}
