/*
 * report_changes.h - the changes between two snapshots as JSON, for
 * `diff --format json` and the change report: the two snapshots'
 * metadata, the counts, then one array per change kind, streamed.
 */
#ifndef SFA_REPORT_CHANGES_H
#define SFA_REPORT_CHANGES_H

#include <stdio.h>

#include "diff.h"
#include "err.h"
#include "store.h"

/* Writes {"report": "changes", "tool", "from": {...}, "to": {...},
 * "counts": {...}, "added": [...], "removed": [...], "changed": [...],
 * "resource_added": [...], "resource_removed": [...]} to f (borrowed).
 * from/to hold id, org_id, api_version, captured_at, finished_at, status
 * and content_hash.  Every entry has the Change CSV's columns as keys:
 * change, field, old_value, new_value, then the access review columns
 * (without decision/reviewer/comment); empty values are null, booleans
 * true/false (null for a resource change), snapshot_id a number.  Arrays
 * are in sfa_diff_each() order.  *rows gets the number of entries. */
int sfa_report_changes_json(sfa_store *st, sfa_diff *d, FILE *f,
			    long long *rows, sfa_err *err);

#endif
