/*
 * http_int.h - what http.c (one request at a time on an easy handle) and
 * http_multi.c (many at once on a multi handle) share, so that both obey
 * the same URL policy, the same options and the one retry policy.
 * Internal to lib/http*.c.
 */
#ifndef SFA_HTTP_INT_H
#define SFA_HTTP_INT_H

#include "http.h"

#include <curl/curl.h>
#include <stdint.h>

struct sfa_http {
	CURL *curl;
	char *ca_bundle;  /* owned */
	char *user_agent; /* owned */
	size_t max_body;
	int max_attempts;
	long max_retry_ms, backoff_base_ms, backoff_max_ms;
	long connect_timeout_ms, timeout_ms;
	sfa_log_fn log;
	void *log_ud;
	long sent;
	uint64_t rng;
	char errbuf[CURL_ERROR_SIZE];
};

/* What one attempt needs in the curl callbacks. */
struct sfa_http_transfer {
	sfa_http *h;
	const sfa_http_request *req;
	sfa_http_response *resp;
	CURL *curl;
	int too_big;
	int nomem;
	int sink_failed; /* the request's sink refused a chunk */
	size_t received; /* body bytes of this attempt (buffered or sunk) */
};

/* The parts of a request URL the policy and the log need. */
struct sfa_http_target {
	char *host;  /* curl-allocated */
	char *shown; /* malloc'd: path (+ query when loggable), redacted */
};

long sfa_http__now_ms(void);
int sfa_http__target_parse(const char *url, unsigned flags,
			   struct sfa_http_target *t, sfa_err *err);
void sfa_http__target_free(struct sfa_http_target *t);
struct curl_slist *sfa_http__build_headers(const sfa_http_request *req);

/* Forgets what a previous attempt captured (body wiped) and tells a
 * streaming request's sink to start over. */
void sfa_http__attempt_reset(const sfa_http_request *req, sfa_http_response *r);

/* 1 when curl's last transfer got an HTTP status below 500 (counted in
 * sfa_http_response.answered). */
int sfa_http__answered_below_500(CURL *curl);

/* Sets every option of one attempt on c (reset first by the caller). */
void sfa_http__setup(sfa_http *h, CURL *c, const sfa_http_request *req,
		     struct curl_slist *headers, struct sfa_http_transfer *t,
		     char *errbuf);

enum { SFA_HTTP__DONE = 0, SFA_HTTP__RETRY = 1 };

/* The retry policy: after attempt number `attempt` of req (started at
 * start_ms, this attempt at t0_ms) ended with cc, decides whether it is
 * over (returns SFA_HTTP__DONE with *rc = 0 or an error in err) or is to
 * be sent again after *wait_ms (SFA_HTTP__RETRY).  Logs either way. */
int sfa_http__decide(sfa_http *h, const sfa_http_request *req,
		     const struct sfa_http_target *tg,
		     struct sfa_http_transfer *t, CURLcode cc,
		     const char *errbuf, int attempt, long start_ms, long t0_ms,
		     long *wait_ms, int *rc, sfa_err *err);

#endif
