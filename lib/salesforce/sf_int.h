/*
 * sf_int.h - the Salesforce client's state, shared by sf.c (one request
 * at a time) and sf_batch.c (many at once) so both count API requests,
 * read Sforce-Limit-Info, honour the request budget and log in again the
 * same way.  Internal to lib/sf*.c and lib/salesforce/bulk.c.
 */
#ifndef SFA_SF_INT_H
#define SFA_SF_INT_H

#include "buf.h"
#include "http.h"
#include "sf.h"

struct sfa_sf {
	struct sfa_http *http;	     /* borrowed */
	const sfa_auth_config *auth; /* borrowed */
	sfa_session session;	     /* owned */
	char version[16];	     /* "64.0" */
	/* Requests the org counts against its API limit: answered by the
	 * API on a live session.  Not counted: 401s (an expired session),
	 * 5xx answers and network failures, and logins. */
	long api_requests;
	long uncharged; /* the REST and Bulk requests of those */
	long logins;	/* requests logging in or refreshing a token */
	long used, limit;
	int has_usage;
	long first_used, first_limit; /* the first Sforce-Limit-Info seen */
	long max_requests;	      /* 0: no budget */
	int session_gen; /* bumped by every fresh login after a 401 */
	long relogins;	 /* fresh logins after a 401, held to a bound */
};

/* Counts one call's attempts (resp) as charged or not. */
void sfa_sf__count(sfa_sf *sf, const sfa_http_response *resp);

/* "Authorization: Bearer TOKEN", malloc'd; free with sfa_secret_free(). */
char *sfa_sf__bearer_header(const sfa_session *s);

/* A 401 answered a call sent with session generation gen.  When gen is
 * still the current session, logs in again (at most 1 + half the requests
 * sent, so a token refused for good cannot loop); when another call has
 * already done so, the call only needs the current token.  1: send the
 * call again; 0: give up, the 401 is the error; <0: the login failed (err
 * set). */
int sfa_sf__after_401(sfa_sf *sf, int gen, sfa_err *err);

/* Parses a 2xx body as JSON; NULL when it is not (cut short).  Lone UTF-16
 * surrogate escapes, which Salesforce can send and jansson refuses, are
 * read as U+FFFD. */
json_t *sfa_sf__parse_json(const char *data, size_t len);

/* Records the org's usage from a response's Sforce-Limit-Info. */
void sfa_sf__note_limit(sfa_sf *sf, const sfa_http_response *resp);

/* SFA_ELIMIT (err set) when one more request, on top of those spent and
 * in_flight, would pass the budget; else 0. */
int sfa_sf__budget_check(sfa_sf *sf, long in_flight, sfa_err *err);

#endif
