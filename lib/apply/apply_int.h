/*
 * apply_int.h - what the apply engine's files share: the handle, the
 * resolver (apply_resolve.c) and the operations (apply_ops.c).  Nothing
 * outside lib/apply*.c includes this.
 */
#ifndef SFA_APPLY_INT_H
#define SFA_APPLY_INT_H

#include <stdint.h>

#include "apply.h"

#define SFA_APPLY_MAX_IDS 16 /* duplicates a revoke removes at once */

/* The state an operation reads before it writes: the records joining its
 * user to its resource (GroupMember, PermissionSetAssignment; at most
 * SFA_APPLY_MAX_IDS), or its user's fields (role, profile, status). */
typedef struct sfa_apply_state {
	char id[SFA_APPLY_MAX_IDS][19];
	int n;
	char profile_id[19], role_id[19];
	int is_active;
} sfa_apply_state;

struct sfa_apply_fact; /* apply_prefetch.c */

struct sfa_apply {
	sfa_sf *sf;
	const sfa_changefile *cf;
	const sfa_license_map *map;
	sfa_apply_op *ops; /* execution order */
	size_t n;
	/* the retry of transient failures (apply_retry.c) */
	int max_attempts;
	long base_ms, max_ms, total_ms;
	uint64_t rng; /* jitter */
	/* apply_prefetch.c: the state read in batches before the operations
	 * run; fact_of[i] is ops[i]'s (NULL: it reads live).  Both owned. */
	struct sfa_apply_fact *facts;
	struct sfa_apply_fact **fact_of;
	long prefetch_requests;
	/* the run this execution belongs to: the interrupted one it resumes,
	 * or (id 0 until sfa_apply_execute() starts it) a new one */
	sfa_journal_run run;
	int journal_loaded;
	/* the org, for the confirmation: its Name and whether a sandbox
	 * (org_name NULL when the org did not say) */
	char *org_name;
	int org_sandbox;
};

/* Fills the resolved fields of every op; problems go to probs. */
int sfa_apply_resolve(struct sfa_apply *a, sfa_problems *probs, sfa_err *err);

/* Performs one operation against the org: sets op->outcome (done,
 * already or failed, with op->err), op->record_id and op->note.  pre: the
 * state to start from (sfa_apply_prefetched()), or NULL to read it live.
 * reread: an earlier attempt sent a write whose answer was lost, so a
 * state already as wanted is that write's doing (`done`,
 * found_on_reread). */
void sfa_apply_perform(struct sfa_apply *a, sfa_apply_op *op,
		       const sfa_apply_state *pre, int reread);

/* The sObject of an entitlement type's assignments (PermissionSetLicense-
 * Assign, UserPackageLicense, UserTerritory2Association) and its user and
 * resource fields; NULL for any other type. */
const char *sfa_apply_entitlement(sfa_rtype t, const char **user_field,
				  const char **res_field);

/* Reads, in batched IN queries, the state every operation not settled by
 * the journal starts from (apply_prefetch.c), counting the requests in
 * a->prefetch_requests.  A query the org fails leaves its operations
 * reading live, as they would without it.  Returns 0, or SFA_ENOMEM. */
int sfa_apply_prefetch(struct sfa_apply *a, sfa_err *err);

/* The prefetched state op's first attempt starts from, or NULL when it
 * must read live: none was read (a user the file creates, a failed
 * query), or an operation before it wrote that state since. */
const sfa_apply_state *sfa_apply_prefetched(const struct sfa_apply *a,
					    const sfa_apply_op *op);

/* After op ran: if it sent a write, the state it wrote is no longer what
 * the prefetch read, and later operations on it read live. */
void sfa_apply_prefetch_wrote(struct sfa_apply *a, const sfa_apply_op *op);

/* Frees the prefetched state (a->facts, a->fact_of). */
void sfa_apply_prefetch_free(struct sfa_apply *a);

/* Sets the retry defaults of a new handle. */
void sfa_apply_retry_init(struct sfa_apply *a);

/* Non-zero when err leaves unknown whether a write took effect, so the
 * operation may be retried (after a re-read): HTTP 500/502/503/504, the
 * network, an answer cut short.  Salesforce's 4xx errors are final. */
int sfa_apply_transient(const sfa_err *err);

/* Called before the wait for each retry with the failed attempt in op
 * (op->err says which attempt and why): apply.c journals it.  A non-zero
 * return stops the retries and is returned. */
typedef int (*sfa_apply_attempt_fn)(void *ud, const sfa_apply_op *op,
				    sfa_err *err);

/* sfa_apply_perform(), again after a backoff while it fails transiently
 * (bounded attempts and total time).  The first attempt starts from the
 * prefetched state when there is one; every retry re-reads the live
 * state before it writes.  Returns 0, or fn's error. */
int sfa_apply_perform_retrying(struct sfa_apply *a, sfa_apply_op *op,
			       sfa_apply_attempt_fn fn, void *ud, sfa_err *err);

/* Ids compare on their case-sensitive 15-character form. */
int sfa_apply_same_id(const char *a, const char *b);

/* Copies an id from a JSON string (or "" when not one). */
void sfa_apply_copy_id(char dst[19], const json_t *v);

#endif
