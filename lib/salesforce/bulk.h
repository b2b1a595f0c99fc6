/*
 * bulk.h - Bulk API 2.0 query jobs (lib/salesforce/SALESFORCE-API.md §4) on a
 * sfa_sf batch: create the job, poll its state with growing waits, then read
 * the result pages (maxRecords rows each, following Sforce-Locator), parsing
 * the CSV as it streams in so no page is ever held whole.
 */
#ifndef SFA_BULK_H
#define SFA_BULK_H

#include "err.h"
#include "sf.h"

typedef struct sfa_bulk_query sfa_bulk_query;

/* One result row: n values in the order of the columns given to
 * sfa_bulk_query_start(), NULL for an empty (null) value; borrowed for
 * the call.  A non-zero return (err set) stops the query and the batch. */
typedef int (*sfa_bulk_row_fn)(void *ud, const char *const *vals, size_t n,
			       sfa_err *err);

/* Called once, when the last page has been read. */
typedef int (*sfa_bulk_done_fn)(void *ud, long long rows, sfa_err *err);

typedef struct sfa_bulk_opts {
	long max_records;   /* rows per result page; 0: 50000 */
	long first_poll_ms; /* wait before the first poll; 0: 250 */
	long max_poll_ms;   /* longest wait between polls; 0: 5000 */
} sfa_bulk_opts;

/* Starts a query job for soql on b.  columns (ncols, borrowed until done)
 * name the SELECT list as the CSV header will (dotted relationship
 * fields); the header is checked against them.  object names the sObject
 * for messages.  *out is freed by the caller with sfa_bulk_query_free(),
 * after the batch has finished or been freed. */
int sfa_bulk_query_start(sfa_bulk_query **out, sfa_sf_batch *b,
			 const char *soql, const char *const *columns,
			 size_t ncols, const char *object,
			 const sfa_bulk_opts *opts, sfa_bulk_row_fn row,
			 sfa_bulk_done_fn done, void *ud, sfa_err *err);
void sfa_bulk_query_free(sfa_bulk_query *q);

/* Requests sent for this job so far (create, polls, result pages). */
long sfa_bulk_query_requests(const sfa_bulk_query *q);

/* The job's numberRecordsProcessed once it completed, -1 before (or when
 * Salesforce did not say): Salesforce's own count of the rows the query
 * read, the control totals' org_count (EVIDENCE.md). */
long long sfa_bulk_query_processed(const sfa_bulk_query *q);

#endif
