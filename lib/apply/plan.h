/*
 * plan.h - change files made for a reviewer (lib/apply/CHANGEFILE.md, "Plan"):
 * from a reviewed access review CSV (decision = revoke) or from the drift since
 * a snapshot (revert to it).  Only what apply can do directly becomes an
 * operation; the rest becomes a `#` comment naming why, never a guess.
 */
#ifndef SFA_PLAN_H
#define SFA_PLAN_H

#include <stdio.h>

#include "changefile.h"
#include "err.h"
#include "store.h"

typedef struct sfa_plan_stats {
	long long ops;	     /* operation rows written */
	long long comments;  /* rows left as comments */
	long long keep;	     /* review rows decided keep */
	long long undecided; /* review rows without a decision (kept) */
	/* plan --review: the review's snapshot, and the latest complete
	 * snapshot of its org (they differ when the org was synced since) */
	long long snapshot, latest;
} sfa_plan_stats;

/* Writes the change file of the reviewed access review CSV at path to
 * out.  st holds the review's snapshot, whose group types decide what is
 * provisioned (only Regular and Queue groups): a snapshot_id not in st
 * is SFA_ENOTFOUND naming the line.  A decision other than keep, revoke
 * or empty, or a missing column, is a problem with its line in probs; the
 * caller must then discard out.  Returns 0 (check probs->n) or an error
 * that stopped reading or writing. */
int sfa_plan_review(sfa_store *st, const char *path, FILE *out,
		    sfa_problems *probs, sfa_plan_stats *stats, sfa_err *err);

/* Writes the change file of review campaign id's decisions to out: the
 * same operations and comments as sfa_plan_review() writes for a reviewed
 * CSV with the same rows and decisions (pending rows are kept).  Unknown
 * campaign: SFA_ENOTFOUND. */
int sfa_plan_campaign(sfa_store *st, long long id, FILE *out,
		      sfa_problems *probs, sfa_plan_stats *stats, sfa_err *err);

/* Writes to out the operations that return the org's access to snapshot
 * `to` from the latest complete snapshot of its org: grants added since
 * are revoked, grants removed since are granted again, users activated
 * or deactivated since get set_status.  Computed with the diff engine
 * (lib/store/diff.h). */
int sfa_plan_revert(sfa_store *st, long long to, FILE *out,
		    sfa_plan_stats *stats, sfa_err *err);

/* Writes the change file of the findings CSV at path (`sfaccess check
 * --format csv`, rows the reviewer chose) to out: leaver -> set_status
 * IsActive=false, expired-assignment -> revoke, sod -> both sides as
 * commented-out revoke rows; other findings as comments.  Problems (a
 * missing column) go to probs with their line; the caller then discards
 * out (plan_findings.c). */
int sfa_plan_findings(const char *path, FILE *out, sfa_problems *probs,
		      sfa_plan_stats *stats, sfa_err *err);

#endif
