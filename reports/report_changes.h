/*
 * report_changes.h - the change report's writers over a computed diff
 * (lib/store/diff.h): JSON (also `diff --format json`), HTML and JUnit XML, and
 * the approvals a change file gives for the JUnit.  The Change CSV is in
 * report_csv.h, next to the one CSV writer.
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

/* The change report as one HTML page (report_html.h): the changes in the
 * diff's order, figures per kind, a chart of added vs removed access by
 * type.  *rows gets the number of changes. */
int sfa_report_changes_html(sfa_store *st, sfa_diff *d, FILE *f,
			    long long *rows, sfa_err *err);

/* ---- approvals (approvals.c documents the matching) ---- */
typedef struct sfa_approvals sfa_approvals;

/* Reads a change file; a file with problems is SFA_EINPUT naming the
 * first one by line.  API names are resolved against both snapshots. */
int sfa_approvals_load(sfa_approvals **out, sfa_store *st, sfa_diff *d,
		       const char *path, sfa_err *err);
void sfa_approvals_free(sfa_approvals *a);
const char *sfa_approvals_file(const sfa_approvals *a);
const char *sfa_approvals_sha256(const sfa_approvals *a);
/* The change-file line that approves c, 0 when none (a may be NULL). */
long sfa_approvals_match(const sfa_approvals *a, const sfa_diff_change *c);

/* The change report as JUnit XML (report_junit.h): one suite "changes",
 * a testcase per change (classname sfaccess.changes.<kind>), failing
 * unless ap approves it; one passing testcase when there are none.
 * Properties carry both snapshots' ids and content hashes and the change
 * file's SHA-256.  ap and hostname may be NULL. */
int sfa_report_changes_junit(sfa_store *st, sfa_diff *d,
			     const sfa_approvals *ap, const char *hostname,
			     FILE *f, long long *tests, long long *failures,
			     sfa_err *err);

#endif
