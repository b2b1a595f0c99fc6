/*
 * sf.c - the Salesforce REST client.  Every call goes through rest():
 * Bearer header, the shared HTTP retry policy (a 2xx body that is not
 * JSON counts as truncated and is retried for GETs), Sforce-Limit-Info
 * bookkeeping, one fresh login on a 401, and error bodies turned into
 * sfa_err by sf_error.c.  sfa_sf_query() pages with nextRecordsUrl and
 * starts over when the org forgets the query's cursor.
 */
#include "sf.h"

#include "http.h"
#include "secret.h"
#include "sf_error.h"
#include "sf_int.h"
#include "soql.h"
#include "urlenc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sfa_sf_new(sfa_sf **out, struct sfa_http *http, const sfa_auth_config *auth,
	       sfa_err *err)
{
	const char *v = auth && auth->api_version ? auth->api_version : "64.0";
	size_t digits = strspn(v, "0123456789");
	sfa_sf *sf;

	*out = NULL;
	if (!http || !auth)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_sf_new: missing argument");
	/* The version goes into every URL: only "NN.N" may pass. */
	if (digits == 0 || digits > 3 || v[digits] != '.' ||
	    !isdigit((unsigned char)v[digits + 1]) || v[digits + 2]) {
		sfa_err_where(err, "--api-version");
		return sfa_err_set(err, SFA_EINPUT,
				   "--api-version \"%.20s\" is not of the form "
				   "64.0",
				   v);
	}
	sf = calloc(1, sizeof(*sf));
	if (!sf)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	sf->http = http;
	sf->auth = auth;
	snprintf(sf->version, sizeof(sf->version), "%s", v);
	*out = sf;
	return 0;
}

void sfa_sf_free(sfa_sf *sf)
{
	if (!sf)
		return;
	sfa_session_clear(&sf->session);
	free(sf);
}

int sfa_sf_login(sfa_sf *sf, sfa_err *err)
{
	long before = sfa_http_requests_sent(sf->http);
	int rc = sfa_auth_login(sf->auth, sf->http, &sf->session, err);

	/* Logins and token refreshes are not API requests. */
	sf->logins += sfa_http_requests_sent(sf->http) - before;
	return rc;
}

void sfa_sf__count(sfa_sf *sf, const sfa_http_response *resp)
{
	/* Every attempt the API answered below 500 was taken in, and
	 * counted by the org, but a 401: the session was gone. */
	long charged = resp->answered - (resp->status == 401);

	if (charged < 0)
		charged = 0;
	sf->api_requests += charged;
	sf->uncharged += resp->attempts - charged;
}

const char *sfa_sf_org_id(const sfa_sf *sf)
{
	return sf->session.org_id;
}

const char *sfa_sf_instance_url(const sfa_sf *sf)
{
	return sf->session.instance_url;
}

const char *sfa_sf_api_version(const sfa_sf *sf)
{
	return sf->version;
}

long sfa_sf_api_requests(const sfa_sf *sf)
{
	return sf->api_requests;
}

long sfa_sf_other_requests(const sfa_sf *sf)
{
	return sf->uncharged + sf->logins;
}

void sfa_sf__note_limit(sfa_sf *sf, const sfa_http_response *resp)
{
	if (resp->limit_info &&
	    sfa_sf_limit_info_parse(resp->limit_info, &sf->used, &sf->limit)) {
		if (!sf->has_usage) {
			sf->first_used = sf->used;
			sf->first_limit = sf->limit;
		}
		sf->has_usage = 1;
	}
}

void sfa_sf_set_budget(sfa_sf *sf, long max_requests)
{
	sf->max_requests = max_requests;
}

long sfa_sf_budget(const sfa_sf *sf)
{
	return sf->max_requests;
}

int sfa_sf__budget_check(sfa_sf *sf, long in_flight, sfa_err *err)
{
	if (sf->max_requests <= 0 ||
	    sf->api_requests + in_flight < sf->max_requests)
		return 0;
	return sfa_err_set(err, SFA_ELIMIT,
			   "stopped at the API request budget: %ld requests "
			   "allowed, %ld spent, and the sync needs more",
			   sf->max_requests, sf->api_requests + in_flight);
}

int sfa_sf_api_usage_first(const sfa_sf *sf, long *used, long *limit)
{
	if (!sf->has_usage)
		return 0;
	*used = sf->first_used;
	*limit = sf->first_limit;
	return 1;
}

const sfa_auth_config *sfa_sf_auth(const sfa_sf *sf)
{
	return sf->auth;
}

const char *sfa_sf_user_id(const sfa_sf *sf)
{
	return sf->session.user_id;
}

int sfa_sf_api_usage(const sfa_sf *sf, long *used, long *limit)
{
	if (!sf->has_usage)
		return 0;
	*used = sf->used;
	*limit = sf->limit;
	return 1;
}

int sfa_sf__after_401(sfa_sf *sf, int gen, sfa_err *err)
{
	int rc;

	if (gen != sf->session_gen)
		return 1; /* another call has logged in again already */
	/* Each expiry costs a login and at least one request on the new
	 * session before the next one; a token refused at once spends one
	 * request per login and soon meets this bound. */
	if (sf->relogins >= 1 + (sf->api_requests + sf->uncharged) / 2)
		return 0;
	sf->relogins++;
	sfa_http_log(sf->http, SFA_LOG_INFO,
		     "session expired; logging in again");
	sfa_session_clear(&sf->session);
	rc = sfa_sf_login(sf, err);
	if (rc)
		return rc;
	sf->session_gen++;
	return 1;
}

/* The UTF-16 code unit of the escape "\\uXXXX" at p (6 bytes before
 * end), or -1 when p holds no such escape. */
static long escape_unit(const char *p, const char *end)
{
	long v = 0;
	int i;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (i = 2; i < 6; i++) {
		int c = (unsigned char)p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Rewrites in place every escape of a lone surrogate (a high one not
 * followed by a low one, or a low one alone) as "\\uFFFD", the same
 * length.  Backslashes only occur inside strings in JSON, and each one
 * starts an escape, so walking escape by escape never mistakes "\\\\"
 * followed by "ud800" for one.  Returns how many were rewritten. */
static size_t fix_lone_surrogates(char *p, size_t len)
{
	char *end = p + len;
	size_t fixed = 0;

	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		long u = escape_unit(p, end);

		if (u >= 0xD800 && u <= 0xDBFF) {
			long lo = escape_unit(p + 6, end);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				p += 12; /* a valid pair */
				continue;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF) {
			/* Overwrite the four hex digits in place. */
			p[2] = 'F';
			p[3] = 'F';
			p[4] = 'F';
			p[5] = 'D';
			fixed++;
		}
		p += u >= 0 ? 6 : 2;
		if (p >= end)
			break;
	}
	return fixed;
}

json_t *sfa_sf__parse_json(const char *data, size_t len)
{
	json_t *root = json_loadb(data, len, 0, NULL);
	char *copy;

	/* Only a page jansson refused is looked at again: Salesforce
	 * stores UTF-16 and can send a lone surrogate it holds, which is
	 * not a cut-short body and must not fail the page. */
	if (root || !memchr(data, '\\', len) || !(copy = malloc(len)))
		return root;
	memcpy(copy, data, len);
	if (fix_lone_surrogates(copy, len))
		root = json_loadb(copy, len, 0, NULL);
	free(copy);
	return root;
}

/* The JSON of a 2xx body, parsed once inside the retry loop so that a
 * body cut short is retried like any other truncated transfer. */
struct parsed {
	json_t *root;
};

static int parse_body(void *ud, const sfa_http_response *r)
{
	struct parsed *p = ud;

	json_decref(p->root);
	p->root = NULL;
	if (r->body.len == 0)
		return 0; /* 204 No Content */
	p->root = sfa_sf__parse_json(r->body.data, r->body.len);
	return p->root == NULL;
}

char *sfa_sf__bearer_header(const sfa_session *s)
{
	size_t n = strlen(s->access_token) + sizeof("Authorization: Bearer ");
	char *h = malloc(n);

	if (h)
		snprintf(h, n, "Authorization: Bearer %s", s->access_token);
	return h;
}

/* One REST call on url (absolute).  object names the sObject for error
 * messages.  On success *out is the parsed body (NULL for an empty one),
 * owned by the caller. */
static int rest(sfa_sf *sf, const char *method, const char *url,
		const char *body, const char *extra_header, const char *object,
		json_t **out, sfa_err *err)
{
	*out = NULL;
	for (;;) {
		const char *headers[5];
		sfa_http_request req = {0};
		sfa_http_response resp = {0};
		struct parsed parsed = {NULL};
		char *auth;
		int rc, gen, n = 0;

		if (!sf->session.access_token &&
		    (rc = sfa_sf_login(sf, err)) != 0)
			return rc;
		if ((rc = sfa_sf__budget_check(sf, 0, err)) != 0)
			return rc;
		auth = sfa_sf__bearer_header(&sf->session);
		if (!auth)
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		headers[n++] = auth;
		headers[n++] = "Accept: application/json";
		if (body)
			headers[n++] = "Content-Type: application/json";
		if (extra_header)
			headers[n++] = extra_header;
		headers[n] = NULL;
		req.method = method;
		req.url = url;
		req.headers = headers;
		req.body = body;
		req.body_len = body ? strlen(body) : 0;
		req.flags = !strcmp(method, "GET") ? SFA_HTTP_IDEMPOTENT : 0;
		req.check = parse_body;
		req.check_ud = &parsed;

		gen = sf->session_gen;
		rc = sfa_http_send(sf->http, &req, &resp, err);
		sfa_sf__count(sf, &resp);
		sfa_secret_free(auth);
		sfa_sf__note_limit(sf, &resp);

		if (rc == 0 && resp.status >= 200 && resp.status < 300) {
			*out = parsed.root;
			sfa_http_response_free(&resp);
			return 0;
		}
		json_decref(parsed.root);
		if (rc == 0 && resp.status == 401) {
			/* Sessions expire mid-sync, as often as the org's
			 * policy says: log in again and resend. */
			rc = sfa_sf__after_401(sf, gen, err);
			if (rc < 0) {
				sfa_http_response_free(&resp);
				return rc;
			}
			if (rc == 1) {
				sfa_http_response_free(&resp);
				continue;
			}
		}
		if (rc == 0)
			rc = sfa_sf_error_from_body(resp.status, resp.body.data,
						    resp.body.len, object, err);
		else if (object)
			sfa_err_where(err, "%s", object);
		sfa_http_response_free(&resp);
		return rc;
	}
}

/* Whether next is "/services/data/vVERSION/query/LOCATOR" (or queryAll)
 * with a locator of letters, digits and '-': the token goes wherever it
 * points, so nothing else (dot segments, ';', another version) passes. */
static int next_url_ok(const sfa_sf *sf, const char *next)
{
	size_t n = strlen("/services/data/v"), v = strlen(sf->version), k;

	if (strncmp(next, "/services/data/v", n) != 0 ||
	    strncmp(next + n, sf->version, v) != 0 || next[n + v] != '/')
		return 0;
	next += n + v + 1;
	if (strncmp(next, "query/", 6) == 0)
		next += 6;
	else if (strncmp(next, "queryAll/", 9) == 0)
		next += 9;
	else
		return 0;
	k = strspn(next, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789-");
	return k > 0 && next[k] == '\0';
}

/* p past JSON whitespace, up to end. */
static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Skips JSON whitespace, then takes literal lit: 1, or 0 (p unmoved). */
static int take(const char **p, const char *end, const char *lit)
{
	const char *q = skip_ws(*p, end);
	size_t n = strlen(lit);

	if ((size_t)(end - q) < n || memcmp(q, lit, n) != 0)
		return 0;
	*p = q + n;
	return 1;
}

int sfa_sf_page_peek(const char *body, size_t len, long long *total, int *done)
{
	const char *p = body, *end = body + len;
	long long n = 0;
	int digits = 0;

	if (!take(&p, end, "{") || !take(&p, end, "\"totalSize\"") ||
	    !take(&p, end, ":"))
		return 0;
	for (p = skip_ws(p, end);
	     p < end && *p >= '0' && *p <= '9' && digits < 18; p++, digits++)
		n = n * 10 + (*p - '0');
	if (digits == 0 || (p < end && *p >= '0' && *p <= '9') ||
	    !take(&p, end, ",") || !take(&p, end, "\"done\"") ||
	    !take(&p, end, ":"))
		return 0;
	if (take(&p, end, "true"))
		*done = 1;
	else if (take(&p, end, "false"))
		*done = 0;
	else
		return 0;
	*total = n;
	return 1;
}

int sfa_sf_page(const sfa_sf *sf, json_t *page, const char *object,
		json_t **records, long long *total, const char **next,
		sfa_err *err)
{
	json_t *done = json_object_get(page, "done"), *rec;
	size_t i;

	*records = json_object_get(page, "records");
	*total = json_integer_value(json_object_get(page, "totalSize"));
	*next = NULL;
	if (!json_is_array(*records) || !json_is_boolean(done)) {
		sfa_err_where(err, "%s", object);
		return sfa_err_set(err, SFA_EPROTO,
				   "query result for %s lacks records or done",
				   object);
	}
	json_array_foreach(*records, i, rec)
	{
		if (!json_is_object(rec)) {
			sfa_err_where(err, "%s", object);
			return sfa_err_set(err, SFA_EPROTO,
					   "query result for %s: record %zu "
					   "is not a JSON object",
					   object, i + 1);
		}
	}
	if (json_is_true(done))
		return 0;
	*next = json_string_value(json_object_get(page, "nextRecordsUrl"));
	if (!*next || !next_url_ok(sf, *next)) {
		*next = NULL;
		sfa_err_where(err, "%s", object);
		return sfa_err_set(err, SFA_EPROTO,
				   "query result for %s is not done but has an "
				   "unexpected nextRecordsUrl (not "
				   "/services/data/v%s/query/LOCATOR)",
				   object, sf->version);
	}
	return 0;
}

/* Calls fn for each record of one query page not in seen (the Ids
 * handed over before a restart), adding each to seen; *next is the
 * borrowed nextRecordsUrl, NULL after the last page. */
static int walk_page(const sfa_sf *sf, json_t *page, const char *object,
		     sfa_sf_record_fn fn, void *ud, json_t *seen,
		     const char **next, sfa_err *err)
{
	json_t *records, *rec;
	long long total;
	size_t i;
	int rc = sfa_sf_page(sf, page, object, &records, &total, next, err);

	if (rc)
		return rc;
	json_array_foreach(records, i, rec)
	{
		const char *id = json_string_value(json_object_get(rec, "Id"));

		if (id && json_object_get(seen, id))
			continue;
		if (id && json_object_set_new(seen, id, json_true()))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		rc = fn(ud, rec, err);
		if (rc)
			return rc;
	}
	return 0;
}

char *sfa_sf_query_path(const char *soql, unsigned flags)
{
	sfa_buf b = {0};

	if (sfa_buf_puts(&b, (flags & SFA_SF_QUERY_ALL) ? "queryAll?q="
							: "query?q=") ||
	    sfa_urlenc_append(&b, soql, SFA_URLENC_QUERY)) {
		sfa_buf_free(&b);
		return NULL;
	}
	return sfa_buf_detach(&b);
}

int sfa_sf_query(sfa_sf *sf, const char *soql, unsigned flags,
		 sfa_sf_record_fn fn, void *ud, sfa_err *err)
{
	char object[128];
	sfa_buf first = {0}, url = {0};
	json_t *page = NULL, *seen = json_object();
	const char *next;
	int rc, restarts = 0, more = 0;

	if (!soql || !fn) {
		json_decref(seen);
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_sf_query: missing argument");
	}
	if (!sfa_soql_from(soql, object, sizeof(object)))
		snprintf(object, sizeof(object), "query");
	if (!sf->session.access_token && (rc = sfa_sf_login(sf, err)) != 0) {
		json_decref(seen);
		return rc;
	}
	if (!seen ||
	    sfa_buf_printf(&first, "%s/services/data/v%s/%s?q=",
			   sf->session.instance_url, sf->version,
			   (flags & SFA_SF_QUERY_ALL) ? "queryAll" : "query") ||
	    sfa_urlenc_append(&first, soql, SFA_URLENC_QUERY) ||
	    sfa_buf_puts(&url, first.data)) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		rc = rest(sf, "GET", url.data, NULL,
			  "Sforce-Query-Options: batchSize=2000", object, &page,
			  err);
		/* A query-more whose cursor the org forgot: the query runs
		 * again from its first page; seen keeps fn from getting a
		 * record twice. */
		if (rc && more && restarts < SFA_SF_QUERY_RESTARTS &&
		    strcmp(err->sf_code, "INVALID_QUERY_LOCATOR") == 0) {
			restarts++;
			more = 0;
			sfa_err_clear(err);
			sfa_buf_reset(&url);
			if (sfa_buf_puts(&url, first.data)) {
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
				break;
			}
			continue;
		}
		if (rc && more &&
		    strcmp(err->sf_code, "INVALID_QUERY_LOCATOR") == 0)
			sfa_err_prefix(err,
				       "%s: the query cursor was lost %d "
				       "times, restarting the query each time",
				       object, restarts + 1);
		if (rc)
			break;
		rc = walk_page(sf, page, object, fn, ud, seen, &next, err);
		if (rc || !next)
			break;
		sfa_buf_reset(&url);
		if (sfa_buf_printf(&url, "%s%s", sf->session.instance_url,
				   next)) {
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
			break;
		}
		more = 1;
		json_decref(page);
		page = NULL;
	}
out:
	json_decref(page);
	json_decref(seen);
	sfa_buf_free(&first);
	sfa_buf_free(&url);
	return rc;
}

int sfa_sf_request(sfa_sf *sf, const char *method, const char *path,
		   const json_t *body, json_t **out, sfa_err *err)
{
	char object[128] = "", *text = NULL;
	const char *so;
	sfa_buf url = {0};
	json_t *result = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (!method || !path || *path == '/' || strstr(path, ".."))
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_sf_request: bad path");
	if ((so = strstr(path, "sobjects/")) != NULL)
		snprintf(object, sizeof(object), "%.*s",
			 (int)strcspn(so + 9, "/?"), so + 9);
	if (!sf->session.access_token && (rc = sfa_sf_login(sf, err)) != 0)
		return rc;
	if (body && !(text = json_dumps(body, JSON_COMPACT)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (sfa_buf_printf(&url, "%s/services/data/v%s/%s",
			   sf->session.instance_url, sf->version, path)) {
		free(text);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	rc = rest(sf, method, url.data, text, NULL, object[0] ? object : NULL,
		  &result, err);
	if (rc == 0 && out)
		*out = result;
	else
		json_decref(result);
	free(text);
	sfa_buf_free(&url);
	return rc;
}
