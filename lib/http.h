/*
 * http.h - the one HTTP client of libsfaccess and its one retry policy.
 *
 * A sfa_http sends one request at a time over a kept-alive connection.
 * TLS is always verified, plain http is refused except to loopback (the
 * emulator), redirects are returned rather than followed, response bodies
 * are capped, and requests marked idempotent are retried with exponential
 * backoff and jitter on 500/502/503/504, timeouts, resets and truncated
 * bodies.  Nothing here knows Salesforce; sf.c and auth*.c build on it.
 */
#ifndef SFA_HTTP_H
#define SFA_HTTP_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

typedef struct sfa_http sfa_http;

/* Levels for the caller's log callback: cmd/ shows INFO with -v. */
enum {
	SFA_LOG_ERROR = 0,
	SFA_LOG_WARN = 1,
	SFA_LOG_INFO = 2,
	SFA_LOG_DEBUG = 3
};

/* Receives one line, no newline, already free of secrets (the message is
 * borrowed for the call). */
typedef void (*sfa_log_fn)(void *ud, int level, const char *msg);

/* Options; a zeroed struct gives the defaults noted.  Strings are copied. */
typedef struct sfa_http_options {
	const char *ca_bundle;	 /* PEM CA file; NULL: the system's store */
	const char *user_agent;	 /* NULL: "sfaccess/VERSION" */
	size_t max_body;	 /* bytes after decoding; 0: 256 MiB */
	int max_attempts;	 /* per idempotent request; 0: 5 */
	long max_retry_ms;	 /* no retry starts after this; 0: 120000 */
	long backoff_base_ms;	 /* first delay before jitter; 0: 500 */
	long backoff_max_ms;	 /* cap of one delay; 0: 30000 */
	long connect_timeout_ms; /* 0: 30000 */
	long timeout_ms;	 /* one attempt, whole transfer; 0: 660000 */
	sfa_log_fn log;		 /* NULL: no log */
	void *log_ud;
} sfa_http_options;

/* Creates a client; *out is owned by the caller, freed by
 * sfa_http_free().  opts may be NULL. */
int sfa_http_new(sfa_http **out, const sfa_http_options *opts, sfa_err *err);
void sfa_http_free(sfa_http *h);

/* What came back.  Zero it before the first sfa_http_send(); each send
 * resets it.  Strings are malloc'd (NULL when the header was absent) and
 * freed, the body wiped first, by sfa_http_response_free(). */
typedef struct sfa_http_response {
	long status;		 /* HTTP status of the last attempt */
	sfa_buf body;		 /* decoded body */
	char *content_type;	 /* Content-Type */
	char *location;		 /* Location (3xx are never followed) */
	char *limit_info;	 /* Sforce-Limit-Info */
	char *locator;		 /* Sforce-Locator (Bulk API 2.0 results) */
	char *number_of_records; /* Sforce-NumberOfRecords */
	int attempts;		 /* requests sent for this call, >= 1 */
	long elapsed_ms;	 /* all attempts and waits */
} sfa_http_response;

void sfa_http_response_free(sfa_http_response *r);

#define SFA_HTTP_IDEMPOTENT 0x1u /* may be sent again: GETs, not writes */
#define SFA_HTTP_SECRET_URL 0x2u /* never log the query string */

/* A 2xx response is offered to the check callback before it is returned;
 * a non-zero return says the body is unusable (e.g. JSON cut short) and,
 * for an idempotent request, counts as a truncated response to retry. */
typedef int (*sfa_http_check_fn)(void *ud, const sfa_http_response *r);

typedef struct sfa_http_request {
	const char *method;	    /* "GET", "POST", "PATCH", "DELETE" */
	const char *url;	    /* absolute http(s) URL */
	const char *const *headers; /* NULL-terminated "Name: value", or NULL */
	const char *body;	    /* borrowed; may be NULL */
	size_t body_len;
	unsigned flags;		 /* SFA_HTTP_* */
	sfa_http_check_fn check; /* may be NULL */
	void *check_ud;
} sfa_http_request;

/* Sends req, retrying as described at the top.  Returns 0 when a response
 * arrived, whatever its status (a 5xx left after the last retry is
 * returned, for the caller to read its error body).  Errors:
 * SFA_EINPUT (a URL the policy refuses: plain http to a non-loopback host,
 * other schemes), SFA_ENET ("cannot reach HOST: ..."), SFA_ETLS ("TLS
 * failure talking to HOST: ..."), SFA_EPROTO (body over max_body, or the
 * check callback still refused it after the last attempt), SFA_ENOMEM. */
int sfa_http_send(sfa_http *h, const sfa_http_request *req,
		  sfa_http_response *resp, sfa_err *err);

/* Requests put on the wire by this client, every attempt counted. */
long sfa_http_requests_sent(const sfa_http *h);

/* Logs through the client's callback (secrets redacted first); for the
 * modules above http that have no callback of their own. */
void sfa_http_log(sfa_http *h, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
