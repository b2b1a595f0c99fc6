/*
 * snapshot_finish.h - finishing the snapshot a sync wrote, one layer above
 * the store: deriving effective access (access.h,
 * lib/access/ACCESS-MODEL.md rules 1-9) and the access review's privileged
 * rows (perm.h), counting and hashing (store.h), then the commit.
 *
 * The layers, each calling only those below it (tests/lint/layering.sh):
 * the store (store.h, store_db.h, access_set.h) keeps raw records and
 * access sets and calls nothing above it; the access model reads the raw
 * records through store_db.h and writes access sets; this finish runs
 * their steps in order inside the snapshot's open transaction.
 */
#ifndef SFA_SNAPSHOT_FINISH_H
#define SFA_SNAPSHOT_FINISH_H

#include "err.h"
#include "perm.h"
#include "store.h"

/* CPU milliseconds of a finish's steps: deriving effective access (with
 * the privileged rows), the counts and content hash, the commit. */
typedef struct sfa_snapshot_finish_times {
	long derive_ms, hash_ms, commit_ms;
} sfa_snapshot_finish_times;

/* Derives, counts, hashes and commits st's open snapshot with status
 * 'complete', recording api_requests.  pv is the privileged list the
 * review's privileged rows are stored by (NULL: the defaults); cpu, when
 * set, gets what the steps cost.  On failure the snapshot is aborted
 * (left 'incomplete' with the error recorded). */
int sfa_snapshot_finish(sfa_store *st, const sfa_priv *pv,
			long long api_requests, sfa_snapshot_finish_times *cpu,
			sfa_err *err);

#endif
