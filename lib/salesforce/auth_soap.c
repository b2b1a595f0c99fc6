/*
 * auth_soap.c - username + password (+ security token) login through SOAP
 * partner login().  The envelope is written by hand into one buffer of
 * exactly the right size (no reallocs leave copies of the password); the
 * response is parsed by libxml2 with network access, entity substitution
 * and DTDs all off, and refused outright if it carries a DOCTYPE.
 */
#include "auth_soap.h"

#include "http.h"
#include "secret.h"
#include "sf.h"
#include "sf_error.h"

#include <assert.h>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_SOAP "http://schemas.xmlsoap.org/soap/envelope/"

static const char envelope_head[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
    "<env:Envelope xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
    "xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\">"
    "<env:Body><n1:login xmlns:n1=\"urn:partner.soap.sforce.com\">"
    "<n1:username>";
static const char envelope_mid[] = "</n1:username><n1:password>";
static const char envelope_tail[] =
    "</n1:password></n1:login></env:Body></env:Envelope>";

/* The XML for byte c in element content; NULL when c stands for itself,
 * "" when XML 1.0 cannot carry it. */
static const char *xml_escape(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	case '\r':
		return "&#13;"; /* a raw CR would be read back as LF */
	case '\t':
	case '\n':
		return NULL;
	default:
		return c < 0x20 || c == 0x7f ? "" : NULL;
	}
}

/* Bytes s takes once escaped, or 0 when it holds a character XML cannot
 * carry. */
static size_t escaped_len(const char *s, int *bad)
{
	size_t n = 0;

	for (; *s; s++) {
		const char *e = xml_escape((unsigned char)*s);

		if (e && !*e)
			*bad = 1;
		n += e ? strlen(e) : 1;
	}
	return n;
}

/* Copies n bytes of s to w, without a terminator; returns the end. */
static char *put(char *w, const char *s, size_t n)
{
	memcpy(w, s, n);
	return w + n;
}

/* Copies s to w with XML escapes, without a terminator; returns the end.
 * The caller sized w with escaped_len() and writes the final '\0'. */
static char *put_escaped(char *w, const char *s)
{
	for (; *s; s++) {
		const char *e = xml_escape((unsigned char)*s);

		if (e)
			w = put(w, e, strlen(e));
		else
			*w++ = *s;
	}
	return w;
}

int sfa_auth_soap_envelope(const char *username, const char *password,
			   const char *security_token, char **out, sfa_err *err)
{
	int bad_user = 0, bad_pw = 0;
	size_t n;
	char *buf, *w;

	*out = NULL;
	if (!security_token)
		security_token = "";
	n = sizeof(envelope_head) + sizeof(envelope_mid) +
	    sizeof(envelope_tail) + escaped_len(username, &bad_user) +
	    escaped_len(password, &bad_pw) +
	    escaped_len(security_token, &bad_pw);
	if (bad_user) {
		sfa_err_where(err, "--username");
		return sfa_err_set(err, SFA_EINPUT,
				   "the username holds a control character");
	}
	if (bad_pw)
		return sfa_err_set(err, SFA_EINPUT,
				   "the password or security token holds a "
				   "control character, which SOAP login() "
				   "cannot carry");
	buf = malloc(n);
	if (!buf)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	w = put(buf, envelope_head, sizeof(envelope_head) - 1);
	w = put_escaped(w, username);
	w = put(w, envelope_mid, sizeof(envelope_mid) - 1);
	/* Salesforce wants the token appended to the password, no separator. */
	w = put_escaped(w, password);
	w = put_escaped(w, security_token);
	w = put(w, envelope_tail, sizeof(envelope_tail) - 1);
	*w = '\0';
	*out = buf;
	return 0;
}

int sfa_auth_soap_version(const char *api_version, char *out, size_t outsz,
			  sfa_err *err)
{
	const char *v = api_version ? api_version : "64.0";
	const char *dot = strchr(v, '.');
	size_t i, major_len;
	long major = 0;

	major_len = dot ? (size_t)(dot - v) : 0;
	if (!dot || major_len == 0 || major_len > 3 ||
	    strspn(v, "0123456789") != major_len || strlen(dot + 1) != 1 ||
	    dot[1] < '0' || dot[1] > '9') {
		sfa_err_where(err, "--api-version");
		return sfa_err_set(err, SFA_EINPUT,
				   "--api-version \"%.20s\" is not of the form "
				   "64.0",
				   v);
	}
	for (i = 0; i < major_len; i++)
		major = major * 10 + (v[i] - '0');
	if (major >= 64)
		v = "64.0";
	snprintf(out, outsz, "%s", v);
	return 0;
}

/* The first element child of parent with local name name (any
 * namespace: Salesforce's own examples vary in prefixes). */
static xmlNode *child(const xmlNode *parent, const char *name)
{
	xmlNode *c;

	for (c = parent ? parent->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* A malloc'd copy of the text of node (NULL when absent or empty).  The
 * libxml2 copy is wiped because the node may be the session id. */
static char *text_of(const xmlNode *node)
{
	xmlChar *t;
	char *s = NULL;

	if (!node)
		return NULL;
	t = xmlNodeGetContent(node);
	if (t && *t)
		s = strdup((const char *)t);
	if (t) {
		sfa_secret_wipe(t, strlen((const char *)t));
		xmlFree(t);
	}
	return s;
}

/* Wipes the text of node's children in the tree (the session id) so the
 * freed document does not leave it on the heap. */
static void wipe_text(xmlNode *node)
{
	xmlNode *c;

	for (c = node ? node->children : NULL; c; c = c->next)
		if (c->type == XML_TEXT_NODE && c->content)
			sfa_secret_wipe(c->content,
					strlen((const char *)c->content));
}

static int fault(const xmlNode *f, long status, sfa_err *err)
{
	const xmlNode *detail = child(f, "detail"), *lf;
	char *code = NULL, *text = NULL, *fc, quoted[512];
	const char *advice;

	/* detail/LoginFault (or any *Fault)/exceptionCode; else faultcode
	 * "sf:CODE". */
	for (lf = detail ? detail->children : NULL; lf; lf = lf->next)
		if (lf->type == XML_ELEMENT_NODE &&
		    (code = text_of(child(lf, "exceptionCode"))) != NULL) {
			text = text_of(child(lf, "exceptionMessage"));
			break;
		}
	if (!code && (fc = text_of(child(f, "faultcode"))) != NULL) {
		const char *colon = strchr(fc, ':');

		code = strdup(colon ? colon + 1 : fc);
		free(fc);
	}
	if (!text)
		text = text_of(child(f, "faultstring"));
	sfa_sf_error_text(quoted, sizeof(quoted), text);
	if (err) {
		err->http_status = status;
		snprintf(err->sf_code, sizeof(err->sf_code), "%s",
			 code ? code : "");
		sfa_err_where(err, "login");
	}
	advice = sfa_sf_advice(code);
	if (code && !strcmp(code, "INSUFFICIENT_ACCESS"))
		advice = "the user lacks the Use Any API Auth permission or "
			 "the org has SOAP API login() turned off (Setup > "
			 "User Interface); consider OAuth (--auth jwt or "
			 "client-credentials)";
	sfa_err_set(err, SFA_EAUTH, "login refused (%s): %s%s%s",
		    code ? code : "SOAP fault",
		    quoted[0] ? quoted : "no message",
		    advice ? "; " : "", advice ? advice : "");
	free(code);
	free(text);
	return SFA_EAUTH;
}

/* scheme://host[:port] of serverUrl: the REST API lives at its root. */
static int instance_of(const char *server_url, char **out, sfa_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = 0;

	*out = NULL;
	if (!u)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, server_url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)) {
		rc = sfa_err_set(err, SFA_EPROTO,
				 "login returned a serverUrl that is not an "
				 "http(s) URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;
	{
		size_t n = strlen(scheme) + strlen(host) +
			   (port ? strlen(port) : 0) + 5;

		*out = malloc(n);
		if (!*out) {
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
			goto out;
		}
		snprintf(*out, n, "%s://%s%s%s", scheme, host, port ? ":" : "",
			 port ? port : "");
	}
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

static int login_result(xmlNode *result, sfa_session *out, sfa_err *err)
{
	xmlNode *info = child(result, "userInfo");
	char *server_url = text_of(child(result, "serverUrl"));
	char *expired = text_of(child(result, "passwordExpired"));
	int rc = 0;

	out->access_token = text_of(child(result, "sessionId"));
	wipe_text(child(result, "sessionId"));
	out->user_id = text_of(child(result, "userId"));
	out->org_id = text_of(child(info, "organizationId"));
	if (!out->user_id)
		out->user_id = text_of(child(info, "userId"));
	if (expired && !strcmp(expired, "true")) {
		rc = sfa_err_set(err, SFA_EAUTH,
				 "the user's password has expired: log in to "
				 "Salesforce in a browser and set a new one");
		if (err)
			snprintf(err->sf_code, sizeof(err->sf_code), "%s",
				 "PASSWORD_EXPIRED");
	} else if (!out->access_token || !server_url || !out->org_id) {
		rc = sfa_err_set(err, SFA_EPROTO, "login response lacks %s",
				 !out->access_token ? "sessionId"
				 : !server_url	    ? "serverUrl"
						    : "organizationId");
	} else {
		rc = instance_of(server_url, &out->instance_url, err);
	}
	free(server_url);
	free(expired);
	if (rc)
		sfa_err_where(err, "login");
	return rc;
}

/* 1 when the len bytes at p contain needle (p need not be a string). */
static int contains(const char *p, size_t len, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= len; i++)
		if (p[i] == needle[0] && !memcmp(p + i, needle, k))
			return 1;
	return 0;
}

int sfa_auth_soap_parse(long http_status, const char *body, size_t len,
			sfa_session *out, sfa_err *err)
{
	xmlDoc *doc = NULL;
	xmlNode *root, *soap_body, *first;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > (size_t)SFA_SOAP_MAX_RESPONSE) {
		sfa_err_where(err, "login");
		return sfa_err_set(err, SFA_EPROTO,
				   "login response is larger than %d bytes",
				   SFA_SOAP_MAX_RESPONSE);
	}
	/* SOAP forbids DTDs; refusing them up front rules out XXE and
	 * entity expansion whatever the parser would do. */
	if (!body || len == 0 || contains(body, len, "<!DOCTYPE") ||
	    contains(body, len, "<!ENTITY"))
		goto not_soap;
	doc = xmlReadMemory(body, (int)len, "login.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING);
	if (!doc || doc->intSubset || doc->extSubset)
		goto not_soap;
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "Envelope") != 0 ||
	    !root->ns || strcmp((const char *)root->ns->href, NS_SOAP) != 0)
		goto not_soap;
	soap_body = child(root, "Body");
	if ((first = child(soap_body, "Fault")) != NULL) {
		rc = fault(first, http_status, err);
	} else if (http_status == 200 &&
		   (first = child(child(soap_body, "loginResponse"),
				  "result")) != NULL) {
		rc = login_result(first, out, err);
	} else {
		goto not_soap;
	}
	xmlFreeDoc(doc);
	if (rc)
		sfa_session_clear(out);
	return rc;

not_soap:
	xmlFreeDoc(doc);
	sfa_err_where(err, "login");
	if (err)
		err->http_status = http_status;
	return sfa_err_set(err, SFA_EPROTO,
			   "login answered HTTP %ld without a SOAP login "
			   "result or fault",
			   http_status);
}

/* Attempts of one login against transient failures (see below). */
#define LOGIN_ATTEMPTS 4

/* Waits 250 ms, 500 ms, 1 s ... plus up to as much again at random, so
 * that clients retrying together do not stay in step. */
static void login_backoff(int attempt)
{
	long ms = 250L << (attempt - 1);
	struct timespec ts;

	/* Jitter from the clock's nanoseconds: spread, not secrecy. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms += (long)(ts.tv_nsec % ms);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

int sfa_auth_soap_login(const sfa_auth_config *cfg, struct sfa_http *http,
			sfa_session *out, sfa_err *err)
{
	static const char *const headers[] = {
	    "Content-Type: text/xml; charset=UTF-8", "SOAPAction: login",
	    "Accept: text/xml", NULL};
	sfa_http_request req = {0};
	sfa_http_response resp = {0};
	char version[16], *envelope = NULL, *url = NULL;
	size_t n;
	int rc, attempt;

	if (!cfg->username || !*cfg->username) {
		sfa_err_where(err, "--username");
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth password needs --username (or "
				   "SFACCESS_USERNAME)");
	}
	if (!cfg->password || !*cfg->password)
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth password needs a password: set "
				   "SFACCESS_PASSWORD or --password-file");
	rc = sfa_auth_soap_version(cfg->api_version, version, sizeof(version),
				   err);
	if (rc)
		return rc;
	rc = sfa_auth_soap_envelope(cfg->username, cfg->password,
				    cfg->security_token, &envelope, err);
	if (rc)
		return rc;
	assert(envelope != NULL); /* set whenever the call succeeds */
	n = strlen(cfg->base_url) + sizeof("/services/Soap/u/") +
	    strlen(version);
	url = malloc(n);
	if (!url) {
		sfa_secret_free(envelope);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	snprintf(url, n, "%s/services/Soap/u/%s", cfg->base_url, version);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = envelope;
	req.body_len = strlen(envelope);
	/* Not idempotent for sfa_http_send(): its retries include HTTP 500,
	 * which is how SOAP sends INVALID_LOGIN, and repeating a refused
	 * password walks the user into a lockout.  A login that never got
	 * an answer (connection reset, body cut short) or met a busy server
	 * (502/503/504) is safe to send again: at worst the org holds one
	 * more session.  So those, and only those, are retried here. */
	for (attempt = 1;; attempt++) {
		sfa_http_response_free(&resp);
		memset(&resp, 0, sizeof(resp));
		rc = sfa_http_send(http, &req, &resp, err);
		if (attempt >= LOGIN_ATTEMPTS ||
		    !(rc == SFA_ENET ||
		      (rc == 0 && resp.status >= 502 && resp.status <= 504)))
			break;
		login_backoff(attempt);
	}
	sfa_secret_free(envelope);
	if (rc == 0 && resp.status >= 300 && resp.status < 400) {
		sfa_err_where(err, "login");
		if (err)
			err->http_status = resp.status;
		rc = sfa_err_set(err, SFA_EAUTH,
				 "login at %s was redirected (HTTP %ld) to "
				 "%.200s: use the org's My Domain host as "
				 "--domain",
				 cfg->base_url, resp.status,
				 resp.location ? resp.location : "elsewhere");
	} else if (rc == 0) {
		rc = sfa_auth_soap_parse(resp.status, resp.body.data,
					 resp.body.len, out, err);
	}
	if (rc)
		sfa_err_prefix(err, "login to %s as %s", cfg->base_url,
			       cfg->username);
	sfa_http_response_free(&resp);
	free(url);
	return rc;
}
