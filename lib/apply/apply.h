/*
 * apply.h - performing a change file against the org (lib/apply/CHANGEFILE.md):
 * sfa_apply_prepare() is step 1 (parse done by changefile.c; every user
 * and resource resolved with batched live lookups, every problem listed),
 * sfa_apply_execute() steps 3 and 4 (the operations in order, each
 * idempotent, each journalled as it finishes).  Showing, confirming and
 * reporting (steps 2 and 5) are cmd/apply.c's.
 */
#ifndef SFA_APPLY_H
#define SFA_APPLY_H

#include <stddef.h>

#include "changefile.h"
#include "err.h"
#include "journal.h"
#include "sf.h"
#include "store.h"

#define SFA_LICENSE_MAP_MAX 64

/* License Name -> least-privileged profile Name (lib/README.md: config
 * [license_profiles] and --license-profile).  Strings are borrowed. */
typedef struct sfa_license_map {
	const char *license[SFA_LICENSE_MAP_MAX];
	const char *profile[SFA_LICENSE_MAP_MAX];
	int n;
} sfa_license_map;

/* Adds license -> profile unless license is already mapped (so the
 * command line, added first, wins over the configuration).  SFA_EINPUT
 * when the map is full. */
int sfa_license_map_add(sfa_license_map *m, const char *license,
			const char *profile, sfa_err *err);
/* The profile mapped for license (exact match), or NULL. */
const char *sfa_license_map_get(const sfa_license_map *m, const char *license);

/* One operation, resolved, in execution order.  Ids are 18 characters
 * as the org answered them ("" when not known). */
typedef struct sfa_apply_op {
	const sfa_change *c;
	char user_id[19]; /* "" when a create_user row of the file makes it */
	char *user_name;  /* the Username, for messages */
	char resource_id[19];
	char *resource_name; /* API name as the org spells it */
	/* profile revoke: the least-privileged profile; create_user: the
	 * profile of the new user */
	char target_id[19];
	char *target_name;
	const struct sfa_apply_op *creator; /* the create_user op, or NULL */

	/* filled by sfa_apply_execute() */
	sfa_outcome outcome;
	int from_journal;   /* not run: the interrupted run resumed did it */
	char record_id[19]; /* the assignment, membership or user */
	char note[160];	    /* e.g. "reactivated", "moved to profile ..." */
	sfa_err err;	    /* why it failed */
	double seconds;
	/* Transient failures (5xx, network, an answer cut short) leave the
	 * org's state unknown: the operation is performed again, re-reading
	 * first (apply_retry.c).  attempts counts the performances,
	 * writes_sent the writes put on the wire, found_on_reread is set
	 * when a re-read found an earlier write had taken effect. */
	int attempts;
	int writes_sent;
	int found_on_reread;
} sfa_apply_op;

typedef struct sfa_apply sfa_apply;

/* Resolves every row of cf against the org through sf (borrowed, logged
 * in; cf and map must outlive *out), and reads the org's Name.  Every unknown or ambiguous name,
 * unprovisionable resource and unmapped license is added to probs with
 * its line; *out is still returned so the caller can show what was
 * resolved.  Returns 0 (check probs->n) or an error of the org
 * (network, Salesforce), nothing changed either way. */
int sfa_apply_prepare(sfa_apply **out, sfa_sf *sf, const sfa_changefile *cf,
		      const sfa_license_map *map, sfa_problems *probs,
		      sfa_err *err);
void sfa_apply_free(sfa_apply *a);

size_t sfa_apply_nops(const sfa_apply *a);
const sfa_apply_op *sfa_apply_op_at(const sfa_apply *a, size_t i);

/* Reads the journal of cf's hash on the org.  When the latest run of the
 * file was interrupted (it never visited every operation) and recheck is
 * 0, this execution resumes it: the lines it did or found already done
 * are marked from_journal and will not run again.  Otherwise (no run, a
 * finished one, or recheck) nothing is settled and every line is
 * compared with the org. */
int sfa_apply_load_journal(sfa_apply *a, sfa_store *st, int recheck,
			   sfa_err *err);

/* The org as a person knows it, into buf: "Acme (acme.my.salesforce.com,
 * production, org 00D...)" -- its Name, My Domain host, kind and Id. */
void sfa_apply_org(const sfa_apply *a, char *buf, size_t size);

/* When the execution resumes an interrupted run: when that run started
 * (UTC ISO 8601); else NULL. */
const char *sfa_apply_resumed(const sfa_apply *a);

/* Called after each operation (or skip) with its outcome. */
typedef void (*sfa_apply_fn)(void *ud, const sfa_apply_op *op);

/* Runs every operation not settled (loading the journal first unless
 * sfa_apply_load_journal() was called), in order, writing each outcome to
 * the journal as it finishes; a failed operation does not stop the
 * others.  The state the operations start from is read first, in a few
 * batched queries, so most cost one request (their write) or none.
 * Returns 0 when every operation ran (look at the outcomes), or the error
 * that stopped the run: the journal could not be written, or memory ran
 * out before the first operation. */
int sfa_apply_execute(sfa_apply *a, sfa_store *st, sfa_apply_fn fn, void *ud,
		      sfa_err *err);

/* The API requests (queries and their pages) sfa_apply_execute() spent
 * reading that state. */
long sfa_apply_prefetch_requests(const sfa_apply *a);

/* The retry of operations that failed transiently: at most max_attempts
 * performances, waits doubling from base_ms (with jitter, capped at
 * max_ms).  The defaults are http.h's (5, 500 ms, 30 s); values < 1 keep
 * the current one. */
void sfa_apply_set_retry(sfa_apply *a, int max_attempts, long base_ms,
			 long max_ms);

/* One apply at a time (apply_lock.c): held from before the journal is
 * read until the run ends. */
typedef struct sfa_apply_lock sfa_apply_lock;

/* Locks the store at store_path and the org (org_id at instance_url)
 * against other applies, without waiting: SFA_EBUSY naming which one is
 * in use (and the pid holding it) when another apply holds either.
 * Released by sfa_apply_lock_free() or when the process ends. */
int sfa_apply_lock_take(sfa_apply_lock **out, const char *store_path,
			const char *org_id, const char *instance_url,
			sfa_err *err);
void sfa_apply_lock_free(sfa_apply_lock *l);

/* "grant permission_set Sales_Ops to jdoe@acme.example" into buf. */
void sfa_apply_describe(const sfa_apply_op *op, char *buf, size_t size);

#endif
