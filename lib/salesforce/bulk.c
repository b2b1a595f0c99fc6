/*
 * bulk.c - a Bulk API 2.0 query job as a small state machine on a batch:
 * create (POST jobs/query) -> poll (GET jobs/query/ID, waits doubling up
 * to max_poll_ms) -> result pages (GET .../results?maxRecords=N&locator=L)
 * until Sforce-Locator says "null".  Result CSV streams through
 * csv_stream.c; a page cut short is fetched again and the rows already
 * handed over are skipped, so nothing reaches the store twice.
 */
#include "bulk.h"

#include "csv_io.h"
#include "http.h"
#include "sf_int.h"
#include "urlenc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A described scan (fetch_perm.c) reads a few hundred Permissions*
 * fields; the URI limit keeps a part under about 500. */
#define MAX_COLS 1024

struct sfa_bulk_query {
	sfa_sf_batch *b; /* borrowed */
	char *object;
	char job[24];
	const char *const *columns; /* borrowed */
	size_t ncols;
	sfa_bulk_opts o;
	sfa_bulk_row_fn row;
	sfa_bulk_done_fn done;
	void *ud;
	long wait_ms;
	long requests;
	sfa_csv_stream *csv;
	/* The page being read; these restart with every attempt... */
	int header_seen;
	long long page_rows;
	/* ...these do not: rows of this page already handed over, and a
	 * failure of our own (the row callback's) to report at the end. */
	long long delivered;
	long long total;
	long long processed; /* numberRecordsProcessed, -1 until known */
	int map[MAX_COLS]; /* CSV column -> position in columns */
	const char *vals[MAX_COLS];
	int failed;
	sfa_err ferr;
};

static int on_created(void *ud, const struct sfa_http_response *resp,
		      json_t *body, sfa_err *err);
static int on_polled(void *ud, const struct sfa_http_response *resp,
		     json_t *body, sfa_err *err);
static int on_page(void *ud, const struct sfa_http_response *resp, json_t *body,
		   sfa_err *err);

void sfa_bulk_query_free(sfa_bulk_query *q)
{
	if (!q)
		return;
	sfa_csv_stream_free(q->csv);
	free(q->object);
	free(q);
}

long sfa_bulk_query_requests(const sfa_bulk_query *q)
{
	return q ? q->requests : 0;
}

long long sfa_bulk_query_processed(const sfa_bulk_query *q)
{
	return q ? q->processed : -1;
}

/* The header row: every column we asked for, in any order. */
static int read_header(sfa_bulk_query *q, const char *const *f, size_t n,
		       sfa_err *err)
{
	size_t i, k;

	if (n != q->ncols)
		goto bad;
	for (i = 0; i < n; i++) {
		for (k = 0; k < q->ncols; k++)
			if (!strcasecmp(f[i], q->columns[k]))
				break;
		if (k == q->ncols)
			goto bad;
		q->map[i] = (int)k;
	}
	q->header_seen = 1;
	return 0;
bad:
	sfa_err_where(err, "%s", q->object);
	return sfa_err_set(err, SFA_EPROTO,
			   "Bulk query results for %s have unexpected columns",
			   q->object);
}

static int on_csv_row(void *ud, const char *const *f, size_t n, sfa_err *err)
{
	sfa_bulk_query *q = ud;
	size_t i;
	int rc;

	if (!q->header_seen)
		return read_header(q, f, n, err);
	if (n != q->ncols) {
		sfa_err_where(err, "%s", q->object);
		return sfa_err_set(err, SFA_EPROTO,
				   "a Bulk result row for %s has %zu values, "
				   "not %zu",
				   q->object, n, q->ncols);
	}
	if (q->page_rows++ < q->delivered)
		return 0; /* handed over by an attempt that was cut short */
	/* Bulk CSV has no null: an empty value is one. */
	for (i = 0; i < n; i++)
		q->vals[q->map[i]] = f[i][0] ? f[i] : NULL;
	rc = q->row(q->ud, q->vals, n, err);
	if (rc == 0)
		q->delivered++;
	return rc;
}

/* The body streams through here.  A failure of ours is kept for the
 * reply rather than aborting the transfer, which would look like a
 * network error and be retried. */
static size_t sink(void *ud, const char *p, size_t n)
{
	sfa_bulk_query *q = ud;

	if (!q->failed && sfa_csv_stream_feed(q->csv, p, n, &q->ferr))
		q->failed = 1;
	return n;
}

static void restart(void *ud)
{
	sfa_bulk_query *q = ud;

	if (q->failed)
		return;
	sfa_csv_stream_reset(q->csv);
	q->header_seen = 0;
	q->page_rows = 0;
}

/* A complete 2xx page: did every row announced arrive?  Non-zero asks the
 * HTTP layer to fetch the page again. */
static int check(void *ud, const sfa_http_response *r)
{
	sfa_bulk_query *q = ud;
	sfa_err scratch;

	if (q->failed)
		return 0;
	if (sfa_csv_stream_end(q->csv, &scratch))
		return 1;
	if (!q->header_seen)
		return 1; /* not even a header: cut short */
	if (r->number_of_records &&
	    strtoll(r->number_of_records, NULL, 10) != q->page_rows)
		return 1;
	return 0;
}

static int call(sfa_bulk_query *q, const char *method, const char *path,
		const char *body, long delay_ms, sfa_sf_reply_fn fn,
		sfa_err *err)
{
	sfa_sf_call c = {0};

	c.method = method;
	c.path = path;
	c.body = body;
	c.object = q->object;
	c.delay_ms = delay_ms;
	/* Creating a query job again after a 503 costs a job, never data. */
	c.retry_post = !strcmp(method, "POST");
	return sfa_sf_batch_call(q->b, &c, fn, q, err);
}

static int poll_job(sfa_bulk_query *q, sfa_err *err)
{
	char path[64];

	snprintf(path, sizeof(path), "jobs/query/%s", q->job);
	return call(q, "GET", path, NULL, q->wait_ms, on_polled, err);
}

static int fetch_page(sfa_bulk_query *q, const char *locator, sfa_err *err)
{
	sfa_sf_call c = {0};
	sfa_buf path = {0};
	int rc;

	q->delivered = 0;
	rc = sfa_buf_printf(&path, "jobs/query/%s/results?maxRecords=%ld",
			    q->job, q->o.max_records);
	/* Locators are opaque: pass them on URL-encoded, like a SOQL query. */
	if (rc == 0 && locator && (rc = sfa_buf_puts(&path, "&locator=")) == 0)
		rc = sfa_urlenc_append(&path, locator, SFA_URLENC_QUERY);
	if (rc) {
		sfa_buf_free(&path);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	c.method = "GET";
	c.path = path.data;
	c.accept = "text/csv";
	c.object = q->object;
	c.sink = sink;
	c.restart = restart;
	c.check = check;
	c.sink_ud = q;
	rc = sfa_sf_batch_call(q->b, &c, on_page, q, err);
	sfa_buf_free(&path);
	return rc;
}

int sfa_bulk_query_start(sfa_bulk_query **out, sfa_sf_batch *b,
			 const char *soql, const char *const *columns,
			 size_t ncols, const char *object,
			 const sfa_bulk_opts *opts, sfa_bulk_row_fn row,
			 sfa_bulk_done_fn done, void *ud, sfa_err *err)
{
	sfa_bulk_query *q;
	json_t *job;
	char *text = NULL;
	int rc;

	*out = NULL;
	if (ncols == 0 || ncols > MAX_COLS)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_bulk_query_start: bad column count");
	q = calloc(1, sizeof(*q));
	if (!q)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	q->b = b;
	q->processed = -1;
	q->columns = columns;
	q->ncols = ncols;
	q->row = row;
	q->done = done;
	q->ud = ud;
	if (opts)
		q->o = *opts;
	if (q->o.max_records <= 0)
		q->o.max_records = 50000;
	if (q->o.first_poll_ms <= 0)
		q->o.first_poll_ms = 250;
	if (q->o.max_poll_ms <= 0)
		q->o.max_poll_ms = 5000;
	q->wait_ms = q->o.first_poll_ms;
	q->object = strdup(object ? object : "query");
	rc = sfa_csv_stream_new(&q->csv, on_csv_row, q, err);
	job = json_pack("{s:s, s:s, s:s, s:s, s:s}", "operation", "query",
			"query", soql, "contentType", "CSV", "columnDelimiter",
			"COMMA", "lineEnding", "LF");
	if (job)
		text = json_dumps(job, JSON_COMPACT);
	json_decref(job);
	if (rc == 0 && (!q->object || !text))
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (rc == 0)
		rc = call(q, "POST", "jobs/query", text, 0, on_created, err);
	free(text);
	if (rc) {
		sfa_bulk_query_free(q);
		return rc;
	}
	*out = q;
	return 0;
}

static int on_created(void *ud, const struct sfa_http_response *resp,
		      json_t *body, sfa_err *err)
{
	sfa_bulk_query *q = ud;
	const char *id = json_string_value(json_object_get(body, "id"));
	size_t n = id ? strlen(id) : 0;
	int rc;

	q->requests += resp->attempts;
	/* The id goes into paths: only a Salesforce id may pass. */
	if (n < 15 || n > 18 ||
	    strspn(id, "0123456789abcdefghijklmnopqrstu"
		       "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != n) {
		json_decref(body);
		sfa_err_where(err, "%s", q->object);
		return sfa_err_set(err, SFA_EPROTO,
				   "Bulk query job for %s came back without "
				   "a usable id",
				   q->object);
	}
	memcpy(q->job, id, n + 1);
	json_decref(body);
	rc = poll_job(q, err);
	return rc;
}

static int on_polled(void *ud, const struct sfa_http_response *resp,
		     json_t *body, sfa_err *err)
{
	sfa_bulk_query *q = ud;
	const char *state = json_string_value(json_object_get(body, "state"));
	int rc;

	q->requests += resp->attempts;
	if (state && !strcmp(state, "JobComplete")) {
		json_t *n = json_object_get(body, "numberRecordsProcessed");

		if (json_is_integer(n))
			q->processed = json_integer_value(n);
		rc = fetch_page(q, NULL, err);
	} else if (state && (!strcmp(state, "UploadComplete") ||
			     !strcmp(state, "InProgress"))) {
		/* Salesforce takes seconds to minutes: back off, so a long
		 * job costs few polls. */
		q->wait_ms *= 2;
		if (q->wait_ms > q->o.max_poll_ms)
			q->wait_ms = q->o.max_poll_ms;
		rc = poll_job(q, err);
	} else {
		const char *why =
		    json_string_value(json_object_get(body, "errorMessage"));

		sfa_err_where(err, "%s", q->object);
		rc = sfa_err_set(
		    err, SFA_ESF, "Bulk query job %s for %s ended %s%s%s",
		    q->job, q->object, state ? state : "(no state)",
		    why ? ": " : "", why ? why : "");
	}
	json_decref(body);
	return rc;
}

static int on_page(void *ud, const struct sfa_http_response *resp, json_t *body,
		   sfa_err *err)
{
	sfa_bulk_query *q = ud;

	json_decref(body); /* NULL: the body was streamed */
	q->requests += resp->attempts;
	if (q->failed) {
		*err = q->ferr;
		return q->ferr.code ? q->ferr.code : SFA_EINTERNAL;
	}
	q->total += q->delivered;
	if (resp->locator && *resp->locator &&
	    strcmp(resp->locator, "null") != 0)
		return fetch_page(q, resp->locator, err);
	return q->done(q->ud, q->total, err);
}
