/*
 * report_json.h - the access review as one JSON document: the snapshot's
 * metadata, then the rows array, streamed row by row (jansson builds one
 * row object at a time), then the row count.
 */
#ifndef SFA_REPORT_JSON_H
#define SFA_REPORT_JSON_H

#include <stdio.h>

#include "err.h"
#include "store.h"

/* Writes {"report", "tool", "snapshot", "columns", "rows": [...],
 * "row_count"} for a snapshot to f (borrowed).  Row keys are the access
 * review CSV's columns; empty values are null, booleans true/false,
 * snapshot_id a number.  *rows gets the row count. */
int sfa_report_access_json(sfa_store *st, long long snapshot_id,
			   const sfa_access_filter *filter, FILE *f,
			   long long *rows, sfa_err *err);

/* The object of one access row (new reference; NULL on ENOMEM), for the
 * change report to extend with its own keys. */
struct json_t;
struct json_t *sfa_json_access_row(const sfa_access_row *r);

#endif
