/*
 * store_gc.h - retention for the snapshot store: keep the newest N
 * complete snapshots of each org, delete the rest with their raw and
 * derived rows, drop the Salesforce ids nothing references, VACUUM.
 */
#ifndef SFA_STORE_GC_H
#define SFA_STORE_GC_H

#include "store.h"

/* Called once per snapshot gc deletes, before it goes (s is borrowed). */
typedef sfa_snapshot_fn sfa_gc_fn;

typedef struct sfa_gc_result {
	long long snapshots; /* deleted */
	long long sfids;     /* Salesforce ids no longer referenced, deleted */
	long long bytes_before, bytes_after; /* the store file's size */
} sfa_gc_result;

/* Deletes, in one write transaction, every complete snapshot of an org
 * but its newest `keep` (>= 1, else SFA_EINPUT), and every incomplete
 * snapshot older than the oldest complete one it keeps: an incomplete
 * snapshot newer than that may be a sync in progress (or the evidence of
 * one that failed) and is never touched, nor is anything of an org with
 * no complete snapshot.  Then deletes unreferenced sfid entries, commits
 * and runs VACUUM.  fn (may be NULL) sees each deleted snapshot.  A store
 * that another process is writing gives SFA_EBUSY and nothing changes. */
int sfa_store_gc(sfa_store *st, int keep, sfa_gc_fn fn, void *ud,
		 sfa_gc_result *res, sfa_err *err);

#endif
