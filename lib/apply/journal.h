/*
 * journal.h - the apply journal in the store (lib/apply/CHANGEFILE.md step 4):
 * each operation's outcome, keyed by the change file's SHA-256 and line,
 * written as the operation finishes, and its runs.  A run of a change file
 * on an org lasts until it has visited every operation: a killed run is
 * resumed by the next apply, which skips what that run settled and retries
 * what failed; a finished run settles nothing, so a later apply compares
 * every line with the org again (lib/apply/CHANGEFILE.md, The journal).
 */
#ifndef SFA_JOURNAL_H
#define SFA_JOURNAL_H

#include "err.h"
#include "store.h"

typedef enum {
	SFA_OUTCOME_NONE = 0, /* not performed yet */
	SFA_OUTCOME_DONE,     /* changed the org */
	SFA_OUTCOME_ALREADY,  /* the org already was that way */
	SFA_OUTCOME_FAILED
} sfa_outcome;

/* One journal row; strings may be NULL (stored as NULL). */
typedef struct sfa_journal_rec {
	const char *sha256;
	long line;
	const char *op, *resource_type, *resource, *user;
	sfa_outcome outcome;
	const char *org_id, *user_id, *resource_id, *record_id;
	const char *error_code, *error, *comment;
	long long run_id;	 /* the run that wrote it (0: none) */
	long attempts;		 /* read only: how many runs tried the line */
	const char *finished_at; /* read only: UTC ISO 8601 */
} sfa_journal_rec;

/* Records r (insert, or replace an earlier attempt of the same line and
 * count it) in its own transaction, so it is durable when this returns. */
int sfa_journal_put(sfa_store *st, const sfa_journal_rec *r, sfa_err *err);

typedef int (*sfa_journal_fn)(void *ud, const sfa_journal_rec *r);

/* The rows of one change file, by line; strings are borrowed for the
 * call.  A non-zero return of fn stops and is returned. */
int sfa_journal_each(sfa_store *st, const char *sha256, sfa_journal_fn fn,
		     void *ud, sfa_err *err);

/* The rows one run wrote, by line (as sfa_journal_each()). */
int sfa_journal_each_in_run(sfa_store *st, long long run_id,
			    sfa_journal_fn fn, void *ud, sfa_err *err);

/* One run of a change file on an org. */
typedef struct sfa_journal_run {
	long long id; /* 0: no run */
	char started_at[32];
	int finished; /* it visited every operation */
} sfa_journal_run;

/* The latest run of the file sha256 on org_id into *run (run->id 0 when
 * there is none). */
int sfa_journal_run_latest(sfa_store *st, const char *sha256,
			   const char *org_id, sfa_journal_run *run,
			   sfa_err *err);

/* Records the start of a new run (committed) and fills *run. */
int sfa_journal_run_start(sfa_store *st, const char *sha256,
			  const char *org_id, sfa_journal_run *run,
			  sfa_err *err);

/* Marks run id finished: from now on its rows settle nothing. */
int sfa_journal_run_finish(sfa_store *st, long long id, sfa_err *err);

/* "done", "already", "failed" ("pending" for SFA_OUTCOME_NONE). */
const char *sfa_outcome_name(sfa_outcome o);

#endif
