/*
 * fuzz_sf_query.c - the query-response reader (records, done,
 * nextRecordsUrl) of lib/salesforce/sf.c.  Its page walker is static, so the
 * input goes the way a real page does: a loopback mock server (the unit tests'
 * mock_http_server.h) answers each query request with the input as a 200
 * JSON body, three times in a row so that paging is exercised.  Checked
 * besides memory safety: a page that is not done only leads to paths on
 * the same instance (the mock records each request line).  Note: records
 * that are not JSON objects (`"records":[1,null]`) reach the callback as
 * they are (walk_page does not refuse them); the fetcher then stores a row
 * of nulls that the store refuses, so the callback here only reads them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/mock_http_server.h"
#include "http.h"
#include "sf.h"

static mock_server m;
static sfa_http *http;
static sfa_auth_config cfg;
static sfa_sf *sf;

/* Forgets the replies and requests of the previous input.  The server
 * thread may still be sending the last reply of that input after the
 * client gave up on it, so replies are freed one input later: the server
 * handles connections one at a time, and by the time it has answered a
 * request of this input it is done with every older reply. */
static char *graveyard[MOCK_MAX];
static int ngraveyard;

static void mock_clear(void)
{
	int i;

	pthread_mutex_lock(&m.mu);
	for (i = 0; i < ngraveyard; i++)
		free(graveyard[i]);
	for (i = 0; i < m.nreplies; i++)
		graveyard[i] = m.replies[i];
	ngraveyard = m.nreplies;
	for (i = 0; i < m.nrequests; i++)
		free(m.requests[i]);
	m.nreplies = m.nrequests = m.next = 0;
	pthread_mutex_unlock(&m.mu);
}

/* One server, client and session for the whole run: logging in per input
 * would spend most of the time in the SOAP path, fuzzed elsewhere. */
static void init(void)
{
	sfa_http_options o = {0};
	sfa_err err;

	mock_start(&m, NULL);
	o.backoff_base_ms = 1;
	o.backoff_max_ms = 1;
	o.max_attempts = 1;
	o.timeout_ms = 3000;
	if (sfa_http_new(&http, &o, &err))
		abort();
	cfg.method = SFA_AUTH_PASSWORD;
	cfg.base_url = m.url;
	cfg.api_version = "64.0";
	cfg.username = "fuzz@acme.example";
	cfg.password = "pw";
	if (sfa_sf_new(&sf, http, &cfg, &err))
		abort();
	mock_push(&m, mock_login_reply(&m));
	if (sfa_sf_login(sf, &err))
		abort();
}

static int on_record(void *ud, json_t *rec, sfa_err *err)
{
	long *n = ud;

	(void)err;
	(void)json_string_value(json_object_get(rec, "Id"));
	++*n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char *body;
	sfa_err err;
	long n = 0;
	int i;

	if (!ready) {
		init();
		ready = 1;
	}
	/* mock_reply() sends a C string: stop at a NUL like a server that
	 * sent the bytes before it. */
	body = malloc(size + 1);
	if (!body)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	mock_clear();
	for (i = 0; i < 3; i++)
		mock_push(&m, mock_reply(200,
					 "Content-Type: application/json"
					 "\r\n",
					 body));
	sfa_err_clear(&err);
	(void)sfa_sf_query(sf, "SELECT Id FROM User", 0, on_record, &n, &err);
	for (i = 0; i < 3; i++) {
		const char *req = mock_request(&m, i);

		/* Requests stay on the instance's REST query path: sf.c
		 * refuses any other nextRecordsUrl (dot segments too). */
		if (req && strncmp(req, "GET /services/data/v64.0/query", 30))
			abort();
	}
	free(body);
	return 0;
}
