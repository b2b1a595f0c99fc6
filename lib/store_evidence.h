/*
 * store_evidence.h - what a snapshot records for an auditor (evidence.md):
 * its control totals, the drift the recount found, the population
 * reconciliation and its provenance, written and read as one JSON object
 *
 *   {"provenance": {...} | null, "control_totals": [{...}, ...],
 *    "drift": [{...}, ...], "reconciliation": [{...}, ...]}
 *
 * with the members and keys of evidence.md.
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

#endif
