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

struct json_t;

/* Adds one access row's keys to o (borrowed), in the CSV's column order:
 * empty strings are null, flags true/false, or null on a row without a
 * user (a change to a resource alone).  For the access review and the
 * change report alike.  Returns 0, or -1 when out of memory (o then holds
 * what was added so far). */
int sfa_json_add_access_row(struct json_t *o, const sfa_access_row *r);

/* json_object_set_new(o, k, v), where a NULL v (a failed allocation) is
 * -1; v is taken in every case. */
int sfa_json_set(struct json_t *o, const char *k, struct json_t *v);

/* Sets o[k] to the string s, or to null when s is NULL or "". */
int sfa_json_set_str(struct json_t *o, const char *k, const char *s);

/* Writes o (taken) to f as element nth (from 0) of a rows array that is
 * streamed one element at a time: a comma before all but the first, each
 * on a line of its own, compact and in insertion order.  Returns 0, or -1
 * when the write failed. */
int sfa_json_put_row(FILE *f, long long nth, struct json_t *o);

#endif
