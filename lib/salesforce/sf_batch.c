/*
 * sf_batch.c - Salesforce calls sent concurrently over one sfa_http_multi.
 * Each call carries the session generation it was sent with: the first
 * 401 of a generation logs in once (blocking; the other transfers just
 * wait in their sockets) and every call that comes back 401 with an older
 * token is sent again with the new one, however often sessions expire
 * (sfa_sf__after_401 bounds the logins).  Counting, Sforce-Limit-Info
 * and the budget go through sf_int.h, like sf.c's single requests.
 */
#include "http.h"
#include "secret.h"
#include "sf.h"
#include "sf_error.h"
#include "sf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sfa_sf_batch {
	sfa_sf *sf; /* borrowed */
	sfa_http_multi *multi;
	long in_flight;	   /* calls sent and not yet answered */
	struct call *live; /* every call not yet answered */
};

typedef struct call {
	struct call *prev, *next; /* in b->live */
	sfa_sf_batch *b;
	sfa_sf_call c; /* strings below are owned copies */
	char *url, *body, *accept, *extra, *object;
	json_t *root; /* the parsed body of the last attempt */
	int gen;
	sfa_sf_reply_fn fn;
	void *ud;
} call;

int sfa_sf_batch_new(sfa_sf_batch **out, sfa_sf *sf, int max_connections,
		     sfa_err *err)
{
	sfa_sf_batch *b = calloc(1, sizeof(*b));
	int rc;

	*out = NULL;
	if (!b)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	b->sf = sf;
	rc = sfa_http_multi_new(&b->multi, sf->http, max_connections, err);
	if (rc) {
		free(b);
		return rc;
	}
	*out = b;
	return 0;
}

static void call_destroy(call *c)
{
	json_decref(c->root);
	free(c->url);
	free(c->body);
	free(c->accept);
	free(c->extra);
	free(c->object);
	free(c);
}

/* Unlinks c from b->live and frees it. */
static void call_free(sfa_sf_batch *b, call *c)
{
	if (!c)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		b->live = c->next;
	if (c->next)
		c->next->prev = c->prev;
	call_destroy(c);
}

/* The JSON of a 2xx body, parsed inside the retry loop so that a body
 * cut short is retried like any other truncated transfer. */
static int parse_body(void *ud, const sfa_http_response *r)
{
	call *c = ud;

	json_decref(c->root);
	c->root = NULL;
	if (r->body.len == 0)
		return 0; /* 204 No Content */
	if (c->c.skip_body && c->c.skip_body(c->ud, r->body.data, r->body.len))
		return 0;
	c->root = sfa_sf__parse_json(r->body.data, r->body.len);
	return c->root == NULL;
}

static int on_done(void *ud, int rc, sfa_http_response *resp, sfa_err *err);

/* Puts c on the wire with the current session. */
static int send_call(call *c, sfa_err *err)
{
	sfa_sf_batch *b = c->b;
	sfa_http_request req = {0};
	const char *headers[5];
	char *auth;
	int n = 0, rc;

	rc = sfa_sf__budget_check(b->sf, b->in_flight, err);
	if (rc)
		return rc;
	auth = sfa_sf__bearer_header(&b->sf->session);
	if (!auth)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	headers[n++] = auth;
	headers[n++] = c->accept;
	if (c->body)
		headers[n++] = "Content-Type: application/json";
	if (c->extra)
		headers[n++] = c->extra;
	headers[n] = NULL;
	req.method = c->c.method;
	req.url = c->url;
	req.headers = headers;
	req.body = c->body;
	req.body_len = c->body ? strlen(c->body) : 0;
	req.flags = !strcmp(c->c.method, "GET") || c->c.retry_post
			? SFA_HTTP_IDEMPOTENT
			: 0;
	if (c->c.sink) {
		req.sink = c->c.sink;
		req.restart = c->c.restart;
		req.sink_ud = c->c.sink_ud;
		req.check = c->c.check;
		req.check_ud = c->c.sink_ud;
	} else {
		req.check = parse_body;
		req.check_ud = c;
	}
	c->gen = b->sf->session_gen;
	rc = sfa_http_multi_add_after(b->multi, &req, c->c.delay_ms, on_done, c,
				      err);
	c->c.delay_ms = 0; /* a call sent again after a 401 goes at once */
	sfa_secret_free(auth);
	if (rc == 0)
		b->in_flight++;
	return rc;
}

static void now_current(void *ud)
{
	call *c = ud;

	c->gen = c->b->sf->session_gen;
}

/* After a fresh login: the calls still queued (or waiting for a retry)
 * carry the dead token, and each would spend a request on a 401 (which an
 * org whose sessions expire every few requests counts towards the next
 * expiry); they leave with the new one instead.  1, or an error. */
static int rearm(sfa_sf_batch *b, sfa_err *err)
{
	char *auth = sfa_sf__bearer_header(&b->sf->session);
	int rc = auth ? sfa_http_multi_replace_header(
			    b->multi, "Authorization:", auth, now_current)
		      : SFA_ENOMEM;

	sfa_secret_free(auth);
	return rc ? sfa_err_set(err, SFA_ENOMEM, "out of memory") : 1;
}

static int on_done(void *ud, int rc, sfa_http_response *resp, sfa_err *err)
{
	call *c = ud;
	sfa_sf_batch *b = c->b;
	sfa_sf *sf = b->sf;
	json_t *root;

	b->in_flight--;
	sfa_sf__count(sf, resp);
	sfa_sf__note_limit(sf, resp);
	if (rc == 0 && resp->status >= 200 && resp->status < 300) {
		root = c->root;
		c->root = NULL;
		rc = c->fn(c->ud, resp, root, err);
		call_free(b, c);
		return rc;
	}
	/* A 401: a fresh login if c's session is still the current one,
	 * else only the current token (sfa_sf__after_401). */
	if (rc == 0 && resp->status == 401) {
		int gen = sf->session_gen;

		rc = sfa_sf__after_401(sf, c->gen, err);
		if (rc == 1 && gen != sf->session_gen)
			rc = rearm(b, err);
		if (rc == 1) {
			rc = send_call(c, err);
			if (rc == 0)
				return 0;
		}
		if (rc) {
			call_free(b, c);
			return rc;
		}
	}
	if (rc == 0)
		rc = sfa_sf_error_from_body(resp->status, resp->body.data,
					    resp->body.len, c->object, err);
	else if (c->object)
		sfa_err_where(err, "%s", c->object);
	if (rc && c->c.on_error)
		rc = c->c.on_error(c->ud, err);
	call_free(b, c);
	return rc;
}

void sfa_sf_batch_free(sfa_sf_batch *b)
{
	call *c, *next;

	if (!b)
		return;
	/* The transfers go first: they borrow the calls' sinks. */
	sfa_http_multi_free(b->multi);
	for (c = b->live; c; c = next) {
		next = c->next; /* read before c goes */
		call_destroy(c);
	}
	free(b);
}

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

int sfa_sf_batch_call(sfa_sf_batch *b, const sfa_sf_call *in,
		      sfa_sf_reply_fn fn, void *ud, sfa_err *err)
{
	sfa_sf *sf = b->sf;
	sfa_buf url = {0};
	call *c;
	int rc;

	if (!in || !in->method || !in->path || !fn || strstr(in->path, ".."))
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_sf_batch_call: bad call");
	if (!sf->session.access_token)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_sf_batch_call: not logged in");
	c = calloc(1, sizeof(*c));
	if (!c)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	/* A path from Salesforce keeps its own version, and an absolute one
	 * (/services/oauth2/userinfo) is not under the REST API's; only our
	 * own instance is ever prefixed, so the token never leaves it. */
	if (strncmp(in->path, "/services/", 10) == 0)
		rc = sfa_buf_printf(&url, "%s%s", sf->session.instance_url,
				    in->path);
	else
		rc = sfa_buf_printf(&url, "%s/services/data/v%s/%s",
				    sf->session.instance_url, sf->version,
				    in->path);
	c->b = b;
	c->next = b->live;
	if (b->live)
		b->live->prev = c;
	b->live = c;
	c->c = *in;
	c->fn = fn;
	c->ud = ud;
	c->url = rc ? NULL : sfa_buf_detach(&url);
	c->body = dup_opt(in->body);
	c->extra = dup_opt(in->extra_header);
	c->object = dup_opt(in->object);
	if (sfa_buf_printf(&url, "Accept: %s",
			   in->accept ? in->accept : "application/json") == 0)
		c->accept = sfa_buf_detach(&url);
	sfa_buf_free(&url);
	if (!c->url || !c->accept || (in->body && !c->body) ||
	    (in->extra_header && !c->extra) || (in->object && !c->object)) {
		call_free(b, c);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	rc = send_call(c, err);
	if (rc)
		call_free(b, c);
	return rc;
}

int sfa_sf_batch_run(sfa_sf_batch *b, sfa_err *err)
{
	while (sfa_http_multi_pending(b->multi) > 0) {
		int rc = sfa_http_multi_step(b->multi, err);

		if (rc)
			return rc;
	}
	return 0;
}
