/*
 * fetch.h - taking one snapshot: one scan per object of the object table
 * (objects.h), REST pages or a Bulk API 2.0 job, all running at once,
 * each record streamed into the store as it arrives.
 */
#ifndef SFA_FETCH_H
#define SFA_FETCH_H

#include "err.h"
#include "perm.h"
#include "sf.h"
#include "snapshot_finish.h"
#include "store.h"

/* The sync options of lib/README.md, "Sync options". */
typedef struct sfa_sync_opts {
	int username_as_email;
	int sync_connected_apps;
	int no_deactivated_users;
	int non_standard_licenses;
	int sync_territories;  /* Territory2 of the active model */
	int sync_entitlements; /* licences and custom permissions */
	int no_permissions;    /* --no-sync-permissions */
	int field_permissions; /* --sync-field-permissions */
	/* Not an option of the snapshot's JSON: the [privileged] list the
	 * access review's privileged rows are stored by (perm.h), borrowed
	 * for the sync; NULL for the defaults. */
	const sfa_priv *privileged;
} sfa_sync_opts;

/* Progress: called after each page of an object and once when its scan is
 * done (done = 1), with the rows stored so far. */
typedef void (*sfa_fetch_progress_fn)(void *ud, const char *sobject,
				      long long rows, int done);

/* How a sync spends API requests and time.  Not part of the snapshot's
 * options: these change how the org is read, never what is stored.  A
 * zeroed struct gives the defaults. */
typedef struct sfa_fetch_tuning {
	int max_connections;	  /* requests at once; 0: 4, 1: sequential */
	long long bulk_threshold; /* Bulk API 2.0 for objects with more rows
				     than this; 0: the default; < 0: never */
	long bulk_page;		  /* Bulk rows per result page; 0: 50000 */
	long max_api_requests;	  /* stop before spending more; 0: no cap */
	double max_api_percent;	  /* ... more than this % of the org's daily
				     limit (Sforce-Limit-Info); 0: no cap */
} sfa_fetch_tuning;

/* Chosen from tests/bench (README.md, "run.sh"): a Bulk read costs the
 * first REST page, the job's create and polls and a result page per
 * 50,000 rows, 5 requests up to 50,000 rows; REST costs one per 2,000.
 * From 8,001 rows Bulk costs no more requests, and its CSV takes about a
 * quarter of the CPU of REST's JSON (User and UserLogin at 10,000 users:
 * fetch CPU 0.35 -> 0.19 s).  Below, a job's fixed cost (its queue time
 * at Salesforce) outweighs the pages it saves. */
#define SFA_FETCH_BULK_THRESHOLD 8000

/* What one object's scan cost, and its control totals (EVIDENCE.md). */
typedef struct sfa_fetch_scan_stats {
	const char *sobject;
	long long rows;
	int bulk;      /* read with Bulk API 2.0 */
	long requests; /* API requests of this scan */
	long ms;       /* its own time: first page, then the rest */
	int missing;   /* an optional object the org does not have */
	/* Control totals: the query (borrowed, valid during the run),
	 * Salesforce's count (totalSize or the Bulk job's processed count,
	 * -1 until it said; rows is what was received) and UTC times. */
	const char *soql;
	long long org_count;
	char started_at[21], finished_at[21];
} sfa_fetch_scan_stats;

/* The most scans of one sync: one per object, and the extra parts of a
 * permission field list too long for one query (fetch_perm.c). */
#define SFA_FETCH_MAX_SCANS (SFA_OBJ_COUNT + 16)
#define SFA_FETCH_MAX_NOTES 8

/* What a sync cost, filled as far as it got (also on failure). */
typedef struct sfa_fetch_stats {
	sfa_fetch_scan_stats scans[SFA_FETCH_MAX_SCANS];
	int nscans;
	long planned;	/* API requests the plan said the sync needs */
	long allowed;	/* the budget the plan was held to; 0: none */
	long fetch_ms;	/* every scan, first request to last row */
	long finish_ms; /* deriving access, hashing, committing */
	long fetch_cpu_ms, finish_cpu_ms;    /* CPU time of the same */
	sfa_snapshot_finish_times finish_steps; /* the finish's steps */
	long long audit_new; /* SetupAuditTrail entries newly copied */
	/* Why the audit trail was not read (Salesforce's error: the
	 * connecting user may not read SetupAuditTrail, or the org lacks
	 * it), "" when it was: the sync goes on without it
	 * (reports/EVIDENCE.md). */
	char audit_error[320];
	/* What the sync skipped because the org lacks it (a permission
	 * object or field), one line each, for `sync -v`. */
	char notes[SFA_FETCH_MAX_NOTES][160];
	int nnotes;
} sfa_fetch_stats;

/* Scans every object into a new snapshot of sf's org (sf must be logged
 * in) and finishes it.  Scans run concurrently over one connection pool;
 * the first page of each object tells its size, after which the whole
 * plan (REST pages, Bulk jobs) is checked against the API budget before
 * any more is spent: over budget is SFA_ELIMIT with the needed and
 * allowed counts in the message.  tune and stats may be NULL.
 * *snapshot_id is set as soon as the snapshot row exists, so a caller can
 * name an incomplete snapshot after a failure.  On failure the snapshot
 * is left 'incomplete' with the error recorded. */
int sfa_fetch_run(sfa_sf *sf, sfa_store *st, const sfa_sync_opts *opts,
		  const sfa_fetch_tuning *tune, sfa_fetch_progress_fn progress,
		  void *ud, sfa_fetch_stats *stats, long long *snapshot_id,
		  sfa_err *err);

/* The SOQL of one object's scan under opts, malloc'd (caller frees), or
 * NULL on ENOMEM.  Exposed for tests and for `sync -v`. */
char *sfa_fetch_soql(const sfa_obj_def *def, const sfa_sync_opts *opts);

/* The sync options as canonical JSON text (keys sorted), malloc'd. */
char *sfa_fetch_options_json(const sfa_sync_opts *opts);

#endif
