/*
 * store_evidence.h - what a snapshot records for an auditor (EVIDENCE.md):
 * its control totals, the drift the recount found, the population
 * reconciliation and its provenance, written and read as one JSON object
 *
 *   {"provenance": {...} | null, "control_totals": [{...}, ...],
 *    "drift": [{...}, ...], "reconciliation": [{...}, ...]}
 *
 * with the members and keys of EVIDENCE.md.
 */
#ifndef SFA_STORE_EVIDENCE_H
#define SFA_STORE_EVIDENCE_H

#include <jansson.h>

#include "err.h"
#include "store.h"

/* Records ev (borrowed; any of its four members may be missing) for
 * snapshot snap: inside the snapshot's open transaction, or afterwards
 * for a snapshot a sync left incomplete.  A member given replaces what
 * the snapshot had for it.  SFA_EINPUT when a row lacks a key. */
int sfa_store_put_evidence(sfa_store *st, long long snap, const json_t *ev,
			   sfa_err *err);

/* The evidence of snapshot snap as above, *out owned by the caller;
 * members are empty (provenance null) for a snapshot taken before
 * sfaccess recorded them.  Rows come in a fixed order (control totals as
 * scanned, drift by object, reconciliation active first then by user
 * type) so reports built from them are reproducible. */
int sfa_store_get_evidence(sfa_store *st, long long snap, json_t **out,
			   sfa_err *err);

/* ---- evidence packages (report evidence) ---- */

/* Records a package of org_id made of snapshot to (changes since from,
 * 0 for none) whose manifest has the given SHA-256. */
int sfa_store_package_put(sfa_store *st, const char *org_id, long long to,
			  long long from, const char *manifest_sha256,
			  sfa_err *err);

/* The snapshot of the last package of org_id made of a snapshot before
 * `before` that the store still holds complete; 0 when there is none. */
int sfa_store_package_last(sfa_store *st, const char *org_id,
			   long long before, long long *id, sfa_err *err);

/* ---- what explains a change (the change report's audit_entries and
 * applied_by, EVIDENCE.md) ---- */

typedef struct sfa_change_evidence sfa_change_evidence;

/* Loads the audit entries and the apply journal's operations of the org
 * between the capture times of snapshots from and to.  *out is released
 * with sfa_change_evidence_free(). */
int sfa_change_evidence_load(sfa_change_evidence **out, sfa_store *st,
			     long long from, long long to, sfa_err *err);
void sfa_change_evidence_free(sfa_change_evidence *ce);

/* The audit entries whose Display or creator mentions the changed user
 * (Username, Name or Id; for a resource change, its name or Id): a new
 * JSON array of {"id", "created_at", "action", "display", "created_by"},
 * NULL on ENOMEM.  user_id .. access_id may be NULL. */
json_t *sfa_change_evidence_audit(const sfa_change_evidence *ce,
				  const char *user_id, const char *username,
				  const char *name, const char *access_id,
				  const char *access_name);

/* "sfaccess apply SHA256" when the store's apply journal changed user_id's
 * access in the window, else NULL.  Borrowed from ce. */
const char *sfa_change_evidence_applied_by(const sfa_change_evidence *ce,
					   const char *user_id);

/* ---- the audit trail: append-only, kept past Salesforce's 180 days ---- */

/* The CreatedDate of the newest audit entry of org_id the store holds
 * (canonical UTC, 20 characters), or "" when it holds none. */
int sfa_store_audit_newest(sfa_store *st, const char *org_id, char out[21],
			   sfa_err *err);

/* Adds one SetupAuditTrail entry of org_id (an entry already held is
 * left as it is), copied by snapshot snap.  vals: Id, Action, Section,
 * Display, CreatedDate (canonical), CreatedById, CreatedBy.Username,
 * DelegateUser, ResponsibleNamespacePrefix (NULL for none).  *added is 1
 * when the entry was new. */
int sfa_store_audit_put(sfa_store *st, const char *org_id, long long snap,
			const char *const vals[9], int *added, sfa_err *err);

#endif
