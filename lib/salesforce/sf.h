/*
 * sf.h - the Salesforce REST client: queries with nextRecordsUrl paging,
 * sObject writes, error bodies turned into sfa_err, the API usage reported
 * by Sforce-Limit-Info, and a fresh login whenever a session expires; one
 * call at a time (sf.c) or many at once (sf_batch.c).
 */
#ifndef SFA_SF_H
#define SFA_SF_H

#include <jansson.h>

#include "auth.h"
#include "err.h"

struct sfa_http;
struct sfa_http_response;
typedef struct sfa_sf sfa_sf;

/* Creates a client over http and auth (both borrowed, must outlive the
 * client).  No request is made until sfa_sf_login(). */
int sfa_sf_new(sfa_sf **out, struct sfa_http *http, const sfa_auth_config *auth,
	       sfa_err *err);
void sfa_sf_free(sfa_sf *sf);

/* Logs in (or again).  Afterwards org id and instance URL are known. */
int sfa_sf_login(sfa_sf *sf, sfa_err *err);
const char *sfa_sf_org_id(const sfa_sf *sf);
const char *sfa_sf_instance_url(const sfa_sf *sf);
const char *sfa_sf_api_version(const sfa_sf *sf);

/* Called once per record, in order; the record is borrowed for the call.
 * A non-zero return stops the query and is returned by sfa_sf_query(). */
typedef int (*sfa_sf_record_fn)(void *ud, json_t *record, sfa_err *err);

#define SFA_SF_QUERY_ALL 0x1u /* queryAll: include deleted rows */

/* A query whose cursor is lost (a query-more answered 400
 * INVALID_QUERY_LOCATOR, as when an org times cursors out) is run again
 * from its first page, at most this many times. */
#define SFA_SF_QUERY_RESTARTS 3

/* Runs soql and follows nextRecordsUrl to the end.  A 401 gets a fresh
 * login (bounded: see sf_int.h) and the same request again.  A lost
 * cursor restarts the query (SFA_SF_QUERY_RESTARTS); records already
 * handed to fn are not handed again (matched by Id).  After the last
 * restart it is SFA_ESF with sf_code INVALID_QUERY_LOCATOR. */
int sfa_sf_query(sfa_sf *sf, const char *soql, unsigned flags,
		 sfa_sf_record_fn fn, void *ud, sfa_err *err);

/* One REST call on path, relative to /services/data/vNN.N/ (e.g.
 * "sobjects/PermissionSetAssignment" or "sobjects/User/005..."): method
 * "GET", "POST", "PATCH" or "DELETE", body sent as JSON when not NULL.
 * Only GETs are retried; writes are sent once.  On success *out (if out
 * is not NULL) is the parsed response, NULL for an empty one (204), owned
 * by the caller.  Errors as for sfa_sf_query(), with the sObject of the
 * path in err->where. */
int sfa_sf_request(sfa_sf *sf, const char *method, const char *path,
		   const json_t *body, json_t **out, sfa_err *err);

/* Requests this client has sent that the org charges to its daily API
 * limit: REST and Bulk calls the API answered on a live session. */
long sfa_sf_api_requests(const sfa_sf *sf);

/* The requests it does not charge: logins and token refreshes, calls
 * refused for an expired session (401), and attempts answered 5xx or
 * lost on the network and retried. */
long sfa_sf_other_requests(const sfa_sf *sf);

/* The org's API usage from the last Sforce-Limit-Info header; 0 when none
 * has been seen yet, 1 when used and limit were written. */
int sfa_sf_api_usage(const sfa_sf *sf, long *used, long *limit);

/* The same from the first Sforce-Limit-Info this client saw: the org's
 * usage as its first request found it (provenance, EVIDENCE.md). */
int sfa_sf_api_usage_first(const sfa_sf *sf, long *used, long *limit);

/* The login's configuration (borrowed from sfa_sf_new()). */
const sfa_auth_config *sfa_sf_auth(const sfa_sf *sf);

/* The Id of the user the login connected as (NULL before a login). */
const char *sfa_sf_user_id(const sfa_sf *sf);

/* A hard cap on sfa_sf_api_requests(): a request that would pass it is
 * not sent and fails with SFA_ELIMIT.  0 (the default) means none. */
void sfa_sf_set_budget(sfa_sf *sf, long max_requests);
long sfa_sf_budget(const sfa_sf *sf);

/* ---- many calls at once: sf_batch.c ----
 *
 * A batch sends REST and Bulk calls concurrently over one sfa_http_multi
 * (max_connections at a time), on the caller's thread: replies are handed
 * to their callbacks inside sfa_sf_batch_run(), one at a time, so a
 * callback may write to the store and add more calls.  Every call is
 * counted in sfa_sf_api_requests() and obeys the budget; a 401 gets a
 * fresh login, once per expired session, after which every call in
 * flight is sent again with the new session.  The first failure (an error
 * answer, the network, a callback's error) stops the run; sfa_sf_batch_free()
 * drops the rest. */
typedef struct sfa_sf_batch sfa_sf_batch;

typedef struct sfa_sf_call {
	const char *method; /* "GET", "POST", ... */
	/* A path from a Salesforce answer ("/services/data/v64.0/query/..",
	 * used as it is), or one relative to /services/data/vNN.N/. */
	const char *path;
	const char *body;	  /* JSON text, or NULL */
	const char *accept;	  /* NULL: application/json */
	const char *extra_header; /* "Name: value", or NULL */
	const char *object;	  /* the sObject, for messages */
	long delay_ms;		  /* not sent before this (job polls) */
	int retry_post;		  /* a POST that is safe to send again (a
				     query job: a duplicate only reads) */
	/* Streaming of a 2xx body (Bulk results), as in sfa_http_request:
	 * no JSON is parsed then, and check says whether the body that was
	 * streamed is complete (non-zero: retry). */
	size_t (*sink)(void *ud, const char *p, size_t n);
	void (*restart)(void *ud);
	int (*check)(void *ud, const struct sfa_http_response *r);
	void *sink_ud;
	/* May be NULL.  Called (with the reply's ud) when the call fails
	 * with err set: 0 drops the call and the run goes on (the hook may
	 * have added calls: a scan restarting its query), else the error
	 * that stops the run. */
	int (*on_error)(void *ud, sfa_err *err);
	/* May be NULL.  Sees a 2xx JSON body (with the reply's ud) before it
	 * is parsed: non-zero when it is not needed, and the reply then gets
	 * a NULL body (sfa_sf_page_peek() may say why). */
	int (*skip_body)(void *ud, const char *body, size_t len);
} sfa_sf_call;

/* A 2xx reply.  body is the parsed JSON (NULL for an empty or streamed
 * body) and belongs to the callback; resp is borrowed (headers).  A
 * non-zero return (err set) stops the run. */
typedef int (*sfa_sf_reply_fn)(void *ud, const struct sfa_http_response *resp,
			       json_t *body, sfa_err *err);

/* sf must be logged in and outlive the batch. */
int sfa_sf_batch_new(sfa_sf_batch **out, sfa_sf *sf, int max_connections,
		     sfa_err *err);
void sfa_sf_batch_free(sfa_sf_batch *b);

/* Queues a call; its strings are copied, sink_ud is borrowed. */
int sfa_sf_batch_call(sfa_sf_batch *b, const sfa_sf_call *call,
		      sfa_sf_reply_fn fn, void *ud, sfa_err *err);

/* Runs until no call is left, or the first failure. */
int sfa_sf_batch_run(sfa_sf_batch *b, sfa_err *err);

/* The path of a REST query for soql ("query?q=..."), malloc'd, or NULL
 * on ENOMEM. */
char *sfa_sf_query_path(const char *soql, unsigned flags);

/* Reads one REST query page of sf: *records (borrowed), *total
 * (totalSize) and *next (borrowed nextRecordsUrl, NULL on the last page).
 * SFA_EPROTO when the page is not shaped like one: records missing or not
 * all JSON objects, or a nextRecordsUrl other than
 * /services/data/vVERSION/query/LOCATOR (or queryAll) of sf's version. */
int sfa_sf_page(const sfa_sf *sf, json_t *page, const char *object,
		json_t **records, long long *total, const char **next,
		sfa_err *err);

/* Reads the start of a REST query page's body as Salesforce writes it,
 * {"totalSize":N,"done":B, ... (whitespace allowed), without parsing the
 * rest: 1 with *total and *done when it starts so, else 0 (the body then
 * needs a full parse to say).  A scan that will read its object with Bulk
 * learns the count from its first page without parsing 2,000 records it
 * would throw away. */
int sfa_sf_page_peek(const char *body, size_t len, long long *total, int *done);

#endif
