/*
 * http.h - the one HTTP client of libsfaccess and its one retry policy.
 *
 * A sfa_http sends one request at a time over a kept-alive connection.
 * TLS is always verified, plain http is refused except to loopback (the
 * emulator), redirects are returned rather than followed, response bodies
 * are capped, and requests marked idempotent are retried with exponential
 * backoff and jitter on 500/502/503/504, timeouts, resets and truncated
 * bodies.  Many requests can also run at once over one multi handle
 * (http_multi.c).  Nothing here knows Salesforce; sf*.c and auth*.c
 * build on it.
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
	/* attempts the server answered with a status below 500 (it took
	 * them in, even if the body was then cut short), as opposed to
	 * 5xx answers and network failures */
	int answered;
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
	/* Streaming: when sink is set, a 2xx body is handed to it chunk by
	 * chunk as it arrives instead of being kept in resp->body (error
	 * bodies are still kept).  sink returns n to go on, anything else
	 * to abort.  restart (may be NULL) is called before every attempt,
	 * so a retried transfer can start its parser over. */
	size_t (*sink)(void *ud, const char *p, size_t n);
	void (*restart)(void *ud);
	void *sink_ud;
} sfa_http_request;

/* ---- stopping on a signal ----
 * A signal handler calls sfa_http_interrupt() (async-signal-safe); every
 * send and transfer loop then stops at its next step, within a second,
 * with SFA_EINTR and the message "interrupted".  Process-wide, as
 * signals are.  sfa_http_interrupted() is the signal number, 0 before. */
void sfa_http_interrupt(int signo);
int sfa_http_interrupted(void);

/* Sends req, retrying as described at the top.  Returns 0 when a response
 * arrived, whatever its status (a 5xx left after the last retry is
 * returned, for the caller to read its error body).  Errors:
 * SFA_EINPUT (a URL the policy refuses: plain http to a non-loopback host,
 * other schemes), SFA_ENET ("cannot reach HOST: ..."), SFA_ETLS ("TLS
 * failure talking to HOST: ..."), SFA_EPROTO (body over max_body, or the
 * check callback still refused it after the last attempt), SFA_ENOMEM. */
int sfa_http_send(sfa_http *h, const sfa_http_request *req,
		  sfa_http_response *resp, sfa_err *err);

/* ---- many requests at once: http_multi.c ----
 *
 * A sfa_http_multi runs requests concurrently over one libcurl multi
 * handle (keep-alive connections, gzip, at most max_connections to a
 * host), with the same options, URL policy and retry policy as
 * sfa_http_send(); a retry waits without blocking the other transfers.
 * Everything happens on the caller's thread inside
 * sfa_http_multi_step(), which calls each finished request's callback. */
typedef struct sfa_http_multi sfa_http_multi;

/* A finished request: rc and err as sfa_http_send() would have returned
 * them, resp its response (borrowed for the call; the callback may keep
 * nothing of it but may take its strings by setting them to NULL).  The
 * callback may add requests.  A non-zero return (err set) makes
 * sfa_http_multi_step() return it at once. */
typedef int (*sfa_http_done_fn)(void *ud, int rc, sfa_http_response *resp,
				sfa_err *err);

/* h is borrowed (its options and request counter are used).
 * max_connections < 1 means 1. */
int sfa_http_multi_new(sfa_http_multi **out, sfa_http *h, int max_connections,
		       sfa_err *err);
/* Drops every unfinished request without calling its callback. */
void sfa_http_multi_free(sfa_http_multi *m);

/* Queues req.  URL, headers and body are copied; check, sink and their
 * ud are borrowed until done has been called. */
int sfa_http_multi_add(sfa_http_multi *m, const sfa_http_request *req,
		       sfa_http_done_fn done, void *ud, sfa_err *err);

/* The same, not started before delay_ms have passed (Bulk job polls). */
int sfa_http_multi_add_after(sfa_http_multi *m, const sfa_http_request *req,
			     long delay_ms, sfa_http_done_fn done, void *ud,
			     sfa_err *err);

/* In every request not on the wire right now (queued, or waiting for a
 * retry), replaces the header whose name is name ("Authorization:", any
 * case) with header, and calls fn (may be NULL) with that request's ud:
 * a fresh session then reaches the requests that have not left yet
 * instead of spending them on a dead token.  0 or SFA_ENOMEM. */
int sfa_http_multi_replace_header(sfa_http_multi *m, const char *name,
				  const char *header, void (*fn)(void *ud));

/* Requests added and not yet finished (running or waiting to retry). */
int sfa_http_multi_pending(const sfa_http_multi *m);

/* Moves every transfer along, waiting at most until something happens
 * (data, a finished transfer, a retry falling due), and calls the
 * callbacks of the requests that finished.  Returns 0 or the first
 * callback's error. */
int sfa_http_multi_step(sfa_http_multi *m, sfa_err *err);

/* Requests put on the wire by this client, every attempt counted. */
long sfa_http_requests_sent(const sfa_http *h);

/* Logs through the client's callback (secrets redacted first); for the
 * modules above http that have no callback of their own. */
void sfa_http_log(sfa_http *h, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
