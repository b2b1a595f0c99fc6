/*
 * http.c - libcurl easy handle behind sfa_http_send(), and the retry
 * policy.  One attempt = reset the handle (live connections survive a
 * reset, so keep-alive works), set every option from scratch, perform,
 * classify.  The pieces an attempt is made of (options, callbacks, the
 * retry decision) are shared with http_multi.c through http_int.h.
 */
#include "http.h"
#include "http_int.h"

#include "redact.h"
#include "secret.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#ifndef SFA_VERSION
#define SFA_VERSION "dev"
#endif

#define DEFAULT_MAX_BODY ((size_t)256 * 1024 * 1024)

long sfa_http__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define now_ms sfa_http__now_ms

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) != 0)
		; /* EINTR: sleep the rest */
}

/* xorshift64: jitter needs spread, not cryptographic quality. */
static uint64_t next_random(sfa_http *h)
{
	h->rng ^= h->rng << 13;
	h->rng ^= h->rng >> 7;
	h->rng ^= h->rng << 17;
	return h->rng;
}

static void vlog(sfa_http *h, int level, const char *fmt, va_list ap)
{
	char line[2048], *clean;

	if (!h->log)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	clean = sfa_redact(line);
	h->log(h->log_ud, level,
	       clean ? clean : "(log line dropped: out of memory)");
	free(clean);
}

void sfa_http_log(sfa_http *h, int level, const char *fmt, ...)
{
	va_list ap;

	if (!h)
		return;
	va_start(ap, fmt);
	vlog(h, level, fmt, ap);
	va_end(ap);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int sfa_http_new(sfa_http **out, const sfa_http_options *opts, sfa_err *err)
{
	static const sfa_http_options defaults = {0};
	sfa_http *h;
	char ua[64];

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "cannot initialise libcurl");
	h = calloc(1, sizeof(*h));
	if (!h) {
		curl_global_cleanup();
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	snprintf(ua, sizeof(ua), "sfaccess/%s", SFA_VERSION);
	h->curl = curl_easy_init();
	h->ca_bundle = dup_or_null(opts->ca_bundle);
	h->user_agent = strdup(opts->user_agent ? opts->user_agent : ua);
	if (!h->curl || !h->user_agent || (opts->ca_bundle && !h->ca_bundle)) {
		sfa_http_free(h);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	h->max_body = opts->max_body ? opts->max_body : DEFAULT_MAX_BODY;
	h->max_attempts = opts->max_attempts > 0 ? opts->max_attempts : 5;
	h->max_retry_ms = opts->max_retry_ms > 0 ? opts->max_retry_ms : 120000;
	h->backoff_base_ms =
	    opts->backoff_base_ms > 0 ? opts->backoff_base_ms : 500;
	h->backoff_max_ms =
	    opts->backoff_max_ms > 0 ? opts->backoff_max_ms : 30000;
	h->connect_timeout_ms =
	    opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 30000;
	/* Salesforce lets one REST request run for 10 minutes. */
	h->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 660000;
	h->log = opts->log;
	h->log_ud = opts->log_ud;
	h->rng = ((uint64_t)now_ms() << 20) ^ (uint64_t)getpid() ^
		 0x9e3779b97f4a7c15u;
	*out = h;
	return 0;
}

void sfa_http_free(sfa_http *h)
{
	if (!h)
		return;
	if (h->curl)
		curl_easy_cleanup(h->curl);
	free(h->ca_bundle);
	free(h->user_agent);
	free(h);
	curl_global_cleanup();
}

long sfa_http_requests_sent(const sfa_http *h)
{
	return h ? h->sent : 0;
}

/* Forgets the captured headers of a response. */
static void headers_reset(sfa_http_response *r)
{
	free(r->content_type);
	free(r->location);
	free(r->limit_info);
	free(r->locator);
	free(r->number_of_records);
	r->content_type = r->location = r->limit_info = NULL;
	r->locator = r->number_of_records = NULL;
}

/* Forgets what a previous attempt captured; the body is wiped because it
 * may hold a session id or token. */
static void response_reset(sfa_http_response *r)
{
	sfa_secret_wipe(r->body.data, r->body.len);
	sfa_buf_reset(&r->body);
	headers_reset(r);
	r->status = 0;
}

void sfa_http_response_free(sfa_http_response *r)
{
	if (!r)
		return;
	response_reset(r);
	sfa_buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

void sfa_http__attempt_reset(const sfa_http_request *req, sfa_http_response *r)
{
	response_reset(r);
	if (req->sink && req->restart)
		req->restart(req->sink_ud);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct sfa_http_transfer *t = ud;
	size_t len = size * n;
	long status = 0;

	/* A 2xx body of a streaming request goes to its sink as it arrives;
	 * anything else (an error body) is buffered for the caller. */
	if (t->req->sink) {
		curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && status < 300) {
			t->received += len;
			if (t->req->sink(t->req->sink_ud, p, len) != len) {
				t->sink_failed = 1;
				return 0;
			}
			return len;
		}
	}
	if (len > t->h->max_body - t->resp->body.len) {
		t->too_big = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (sfa_buf_append(&t->resp->body, p, len)) {
		t->nomem = 1;
		return 0;
	}
	t->received += len;
	return len;
}

/* Stores the value of header line p if its name is name; 1 when it was. */
static int capture(const char *p, size_t len, const char *name, char **slot,
		   int *nomem)
{
	size_t k = strlen(name), start, end;

	if (len <= k || p[k] != ':' || strncasecmp(p, name, k) != 0)
		return 0;
	start = k + 1;
	end = len;
	while (start < end && (p[start] == ' ' || p[start] == '\t'))
		start++;
	while (end > start && (p[end - 1] == '\r' || p[end - 1] == '\n' ||
			       p[end - 1] == ' ' || p[end - 1] == '\t'))
		end--;
	free(*slot);
	*slot = strndup(p + start, end - start);
	if (!*slot)
		*nomem = 1;
	return 1;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct sfa_http_transfer *t = ud;
	sfa_http_response *r = t->resp;
	size_t len = size * n;

	/* A status line starts a new response (after a 100 Continue or an
	 * auth challenge): forget the headers of the previous one. */
	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
		headers_reset(r);
		return len;
	}
	if (capture(p, len, "Content-Type", &r->content_type, &t->nomem) ||
	    capture(p, len, "Location", &r->location, &t->nomem) ||
	    capture(p, len, "Sforce-Limit-Info", &r->limit_info, &t->nomem) ||
	    capture(p, len, "Sforce-Locator", &r->locator, &t->nomem) ||
	    capture(p, len, "Sforce-NumberOfRecords", &r->number_of_records,
		    &t->nomem))
		return len;
	return len;
}

static int is_tls_error(CURLcode c)
{
	switch (c) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return 1;
	default:
		return 0;
	}
}

/* Failures after which the same request may well succeed. */
static int is_transient(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static int is_retryable_status(long s)
{
	return s == 500 || s == 502 || s == 503 || s == 504;
}

void sfa_http__target_free(struct sfa_http_target *t)
{
	curl_free(t->host);
	free(t->shown);
}

/* Applies the URL policy (https, or http to loopback only) and works out
 * what the log may show: the path, and the query unless it can hold
 * secrets (OAuth endpoints, or the caller says so). */
int sfa_http__target_parse(const char *url, unsigned flags,
			   struct sfa_http_target *t, sfa_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *path = NULL, *query = NULL, *line = NULL;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!u)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (!url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &t->host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
		rc = sfa_err_set(err, SFA_EINPUT, "not a valid URL");
		goto out;
	}
	if (strcmp(scheme, "https") != 0 &&
	    !(!strcmp(scheme, "http") &&
	      (!strcmp(t->host, "127.0.0.1") || !strcmp(t->host, "localhost") ||
	       !strcmp(t->host, "[::1]")))) {
		rc = sfa_err_set(err, SFA_EINPUT,
				 "refusing %s:// to %s: only https is allowed "
				 "(plain http only to the loopback emulator)",
				 scheme, t->host);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
		query = NULL;
	if (query && !(flags & SFA_HTTP_SECRET_URL) &&
	    !strstr(path, "/oauth2/")) {
		size_t n = strlen(path) + strlen(query) + 2;

		line = malloc(n);
		if (line)
			snprintf(line, n, "%s?%s", path, query);
	} else {
		line = strdup(path);
	}
	t->shown = line ? sfa_redact(line) : NULL;
	if (!t->shown)
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
out:
	free(line);
	curl_free(scheme);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	if (rc)
		sfa_http__target_free(t);
	return rc;
}

void sfa_http__setup(sfa_http *h, CURL *c, const sfa_http_request *req,
		     struct curl_slist *headers, struct sfa_http_transfer *t,
		     char *errbuf)
{
	errbuf[0] = '\0';
	t->curl = c;
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_bundle)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_bundle);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	if (!req->sink)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
				 (curl_off_t)h->max_body);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
	if (!strcmp(req->method, "GET")) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
		if (req->body || !strcmp(req->method, "POST")) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)req->body_len);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS,
					 req->body ? req->body : "");
		}
	}
}

/* The delay before attempt number `attempt + 1`: exponential, capped,
 * with "equal jitter" (half fixed, half random) so that clients that
 * failed together do not come back together. */
static long backoff_ms(sfa_http *h, int attempt)
{
	long d = h->backoff_base_ms;
	int i;

	for (i = 1; i < attempt && d < h->backoff_max_ms; i++)
		d *= 2;
	if (d > h->backoff_max_ms)
		d = h->backoff_max_ms;
	return d / 2 + (long)(next_random(h) % (uint64_t)(d / 2 + 1));
}

struct curl_slist *sfa_http__build_headers(const sfa_http_request *req)
{
	struct curl_slist *list = NULL, *n;
	size_t i;

	/* No "Expect: 100-continue" round trip on POST bodies. */
	list = curl_slist_append(NULL, "Expect:");
	for (i = 0; list && req->headers && req->headers[i]; i++) {
		n = curl_slist_append(list, req->headers[i]);
		if (!n) {
			curl_slist_free_all(list);
			return NULL;
		}
		list = n;
	}
	return list;
}

int sfa_http__decide(sfa_http *h, const sfa_http_request *req,
		     const struct sfa_http_target *tg,
		     struct sfa_http_transfer *t, CURLcode cc,
		     const char *errbuf, int attempt, long start_ms, long t0_ms,
		     long *wait_ms, int *rc, sfa_err *err)
{
	sfa_http_response *resp = t->resp;
	const char *why;
	char reason[64];
	int bad_body = 0;
	long wait;

	*rc = 0;
	if (t->nomem) {
		*rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		return SFA_HTTP__DONE;
	}
	if (t->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		*rc = sfa_err_set(err, SFA_EPROTO,
				  "response from %s %s is larger than the "
				  "%zu-byte limit",
				  tg->host, tg->shown, h->max_body);
		return SFA_HTTP__DONE;
	}
	if (cc == CURLE_OK) {
		sfa_http_log(h, SFA_LOG_INFO, "%s %s -> %ld (%ld ms%s)",
			     req->method, tg->shown, resp->status,
			     now_ms() - t0_ms, attempt > 1 ? ", retried" : "");
		if (resp->status >= 200 && resp->status < 300 && req->check &&
		    req->check(req->check_ud, resp))
			bad_body = 1;
		else if (!is_retryable_status(resp->status))
			return SFA_HTTP__DONE; /* an answer: the caller reads it
						*/
		if (bad_body)
			snprintf(reason, sizeof(reason),
				 "malformed or cut-short body");
		else
			snprintf(reason, sizeof(reason), "HTTP %ld",
				 resp->status);
	} else {
		/* A sink that refused a chunk aborted the transfer: that is
		 * the sink's verdict, not the network's. */
		if (t->sink_failed) {
			*rc = sfa_err_set(err, SFA_EPROTO,
					  "response from %s %s could not be "
					  "read",
					  tg->host, tg->shown);
			return SFA_HTTP__DONE;
		}
		sfa_http_log(h, SFA_LOG_INFO, "%s %s -> %s (%ld ms)",
			     req->method, tg->shown, curl_easy_strerror(cc),
			     now_ms() - t0_ms);
		snprintf(reason, sizeof(reason), "%s", curl_easy_strerror(cc));
	}

	wait = backoff_ms(h, attempt);
	if ((req->flags & SFA_HTTP_IDEMPOTENT) && attempt < h->max_attempts &&
	    (cc == CURLE_OK || is_transient(cc)) &&
	    now_ms() - start_ms + wait <= h->max_retry_ms) {
		sfa_http_log(h, SFA_LOG_WARN,
			     "%s %s: %s; retrying in %ld ms (attempt %d of %d)",
			     req->method, tg->shown, reason, wait, attempt + 1,
			     h->max_attempts);
		*wait_ms = wait;
		return SFA_HTTP__RETRY;
	}

	/* Out of retries (or not allowed any). */
	if (cc == CURLE_OK && !bad_body)
		return SFA_HTTP__DONE; /* a 5xx: returned for its error body */
	if (bad_body) {
		*rc = sfa_err_set(err, SFA_EPROTO,
				  "response from %s %s was cut short or "
				  "malformed (%d attempt%s)",
				  tg->host, tg->shown, attempt,
				  attempt > 1 ? "s" : "");
		return SFA_HTTP__DONE;
	}
	why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
	if (is_tls_error(cc))
		*rc =
		    sfa_err_set(err, SFA_ETLS, "TLS failure talking to %s: %s",
				tg->host, why);
	else
		*rc = sfa_err_set(err, SFA_ENET, "cannot reach %s: %s%s",
				  tg->host, why,
				  attempt > 1 ? " (after retries)" : "");
	return SFA_HTTP__DONE;
}

int sfa_http__answered_below_500(CURL *curl)
{
	long code = 0;

	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	return code > 0 && code < 500;
}

static volatile sig_atomic_t interrupted_by;

void sfa_http_interrupt(int signo)
{
	interrupted_by = signo ? signo : -1;
}

int sfa_http_interrupted(void)
{
	return interrupted_by;
}

int sfa_http_send(sfa_http *h, const sfa_http_request *req,
		  sfa_http_response *resp, sfa_err *err)
{
	struct curl_slist *headers = NULL;
	struct sfa_http_target tg;
	long start = now_ms();
	int attempt, rc = 0;

	if (!h || !req || !req->method || !resp)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_http_send: missing argument");
	rc = sfa_http__target_parse(req->url, req->flags, &tg, err);
	if (rc)
		return rc;
	headers = sfa_http__build_headers(req);
	if (!headers) {
		sfa_http__target_free(&tg);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	for (attempt = 1;; attempt++) {
		struct sfa_http_transfer t = {h, req, resp, NULL, 0, 0, 0, 0};
		long t0, wait = 0;
		CURLcode cc;

		if (interrupted_by) {
			rc = sfa_err_set(err, SFA_EINTR, "interrupted");
			break;
		}
		sfa_http__attempt_reset(req, resp);
		t0 = now_ms();
		curl_easy_reset(h->curl);
		sfa_http__setup(h, h->curl, req, headers, &t, h->errbuf);
		cc = curl_easy_perform(h->curl);
		h->sent++;
		if (cc == CURLE_OK)
			curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE,
					  &resp->status);
		if (attempt == 1)
			resp->answered = 0;
		resp->answered += sfa_http__answered_below_500(h->curl);
		resp->attempts = attempt;
		resp->elapsed_ms = now_ms() - start;
		if (sfa_http__decide(h, req, &tg, &t, cc, h->errbuf, attempt,
				     start, t0, &wait, &rc,
				     err) == SFA_HTTP__DONE)
			break;
		sleep_ms(wait);
	}
	if (rc)
		sfa_err_where(err, "%s", tg.shown);
	curl_slist_free_all(headers);
	sfa_http__target_free(&tg);
	return rc;
}
