/*
 * auth_oauth.c - what the OAuth flows share: form bodies, the token
 * endpoint call, the token response (and every documented refusal turned
 * into advice an admin can act on), and the refresh-token grant itself.
 * Client credentials live in auth_client.c, JWT bearer in auth_jwt.c.
 */
#include "auth_oauth.h"

#include "http.h"
#include "secret.h"
#include "urlenc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sfa_b64url(const unsigned char *p, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789-_";
	char *out = malloc(n / 3 * 4 + 5), *w = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16 |
				  (unsigned long)p[i + 1] << 8 | p[i + 2];

		*w++ = tbl[v >> 18 & 63];
		*w++ = tbl[v >> 12 & 63];
		*w++ = tbl[v >> 6 & 63];
		*w++ = tbl[v & 63];
	}
	if (n - i == 1) {
		*w++ = tbl[p[i] >> 2];
		*w++ = tbl[(p[i] & 3) << 4];
	} else if (n - i == 2) {
		*w++ = tbl[p[i] >> 2];
		*w++ = tbl[(p[i] & 3) << 4 | p[i + 1] >> 4];
		*w++ = tbl[(p[i + 1] & 15) << 2];
	}
	*w = '\0';
	return out;
}

int sfa_oauth_form(const char *const *kv, size_t npairs, char **out,
		   sfa_err *err)
{
	size_t i, n = 1;
	char *buf, *w;

	*out = NULL;
	for (i = 0; i < npairs; i++)
		if (kv[2 * i + 1])
			n += sfa_urlenc_len(kv[2 * i], 0) + 2 +
			     sfa_urlenc_len(kv[2 * i + 1], 0);
	buf = malloc(n);
	if (!buf)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	w = buf;
	*w = '\0';
	for (i = 0; i < npairs; i++) {
		if (!kv[2 * i + 1])
			continue;
		if (w != buf)
			*w++ = '&';
		w = sfa_urlenc(w, kv[2 * i], 0);
		*w++ = '=';
		w = sfa_urlenc(w, kv[2 * i + 1], 0);
	}
	*out = buf;
	return 0;
}

/* What each documented refusal means for the admin.  description NULL
 * matches any; grant -1 matches every grant.  First match wins. */
static const struct {
	const char *error, *description;
	int grant;
	const char *advice;
} refusals[] = {
    {"invalid_grant", "expired access/refresh token", SFA_GRANT_REFRESH,
     "the refresh token has expired or was revoked: run `sfaccess login` "
     "again"},
    {"invalid_grant", "inactive user", -1,
     "the user is inactive: reactivate it in Setup > Users, or connect as "
     "another user"},
    {"invalid_grant", "user hasn't approved this consumer", SFA_GRANT_JWT,
     "the user is not pre-authorized for the connected app: in Setup > "
     "App Manager > the app > Manage > Edit Policies, set Permitted Users "
     "to \"Admin approved users are pre-authorized\" and add the user's "
     "profile or a permission set"},
    {"invalid_grant", "user hasn't approved this consumer", -1,
     "the user has not approved the connected app: run `sfaccess login` "
     "and allow access"},
    {"invalid_grant", "request not supported on this domain", -1,
     "the client-credentials flow only works on the org's My Domain host: "
     "use --domain MYDOMAIN.my.salesforce.com, not login.salesforce.com "
     "or test.salesforce.com"},
    {"invalid_grant", "no client credentials user enabled", -1,
     "the connected app has no Run As user: in its policies enable the "
     "Client Credentials Flow and choose a Run As user"},
    {"invalid_grant", "IP restricted or invalid login hours", -1,
     "the user's profile refuses logins from this IP address or at this "
     "hour: check its Login IP Ranges and Login Hours"},
    {"invalid_grant", "authentication failure", SFA_GRANT_REFRESH,
     "the refresh token is not valid for this org and client: run "
     "`sfaccess login` again with the same --domain and --client-id"},
    {"invalid_grant", "authentication failure", SFA_GRANT_JWT,
     "check that --jwt-subject is the username of an active user of this "
     "org and that --domain names it (test.salesforce.com or the sandbox "
     "My Domain for a sandbox)"},
    {"invalid_grant", "authentication failure", -1,
     "check that the connected app's Run As user exists, is active and "
     "may log in"},
    {"invalid_grant", NULL, SFA_GRANT_REFRESH,
     "the refresh token was refused: run `sfaccess login` again"},
    {"invalid_grant", NULL, SFA_GRANT_JWT,
     "check that the certificate uploaded to the connected app belongs to "
     "--jwt-key, that --client-id is its consumer key, and that this "
     "machine's clock is right"},
    {"invalid_grant", NULL, SFA_GRANT_CODE,
     "authorization codes are single-use and short-lived: run `sfaccess "
     "login` again"},
    {"invalid_client_id", NULL, -1,
     "the consumer key is not known to this org: check --client-id "
     "(Setup > App Manager > the app > View > Consumer Key) and --domain; "
     "a new connected app can take up to 10 minutes to work"},
    {"invalid_client", NULL, -1,
     "the client secret was refused: set SFACCESS_CLIENT_SECRET to the "
     "connected app's Consumer Secret"},
    {"unsupported_grant_type", NULL, -1,
     "the connected app does not allow this flow: enable it in the app's "
     "OAuth policies"},
    {"redirect_uri_mismatch", NULL, -1,
     "add http://127.0.0.1/callback (or http://localhost/callback) to the "
     "connected app's Callback URLs"},
    {"invalid_request", NULL, -1,
     "check the connected app's OAuth settings (PKCE, callback URL, "
     "scopes)"},
};

static const char *grant_name(sfa_grant g)
{
	switch (g) {
	case SFA_GRANT_REFRESH:
		return "the refresh token";
	case SFA_GRANT_CLIENT_CREDENTIALS:
		return "the client credentials";
	case SFA_GRANT_JWT:
		return "the JWT assertion";
	default:
		return "the authorization code";
	}
}

/* Copies at most outsz-1 printable bytes of s (NULL: ""): a refusal's
 * text must not put control characters on the admin's terminal. */
static void printable(char *out, size_t outsz, const char *s)
{
	size_t n = 0;

	for (; s && *s && n + 1 < outsz; s++)
		out[n++] = isprint((unsigned char)*s) ? *s : '?';
	out[n] = '\0';
}

static int refused(long status, const char *error, const char *description,
		   sfa_grant grant, sfa_err *err)
{
	char code[64], desc[256];
	const char *advice = NULL;
	size_t i;

	printable(code, sizeof(code), error);
	printable(desc, sizeof(desc), description);
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]) && !advice; i++)
		if (!strcmp(refusals[i].error, code) &&
		    (!refusals[i].description ||
		     !strcmp(refusals[i].description, desc)) &&
		    (refusals[i].grant < 0 || refusals[i].grant == (int)grant))
			advice = refusals[i].advice;
	if (err) {
		err->http_status = status;
		snprintf(err->sf_code, sizeof(err->sf_code), "%s", code);
	}
	sfa_err_where(err, "login");
	return sfa_err_set(err, SFA_EAUTH, "Salesforce refused %s (%s%s%s)%s%s",
			   grant_name(grant), code, desc[0] ? ": " : "", desc,
			   advice ? ": " : "", advice ? advice : "");
}

/* Wipes a secret string held inside a parsed JSON document before it is
 * freed: jansson frees without clearing. */
static void wipe_json_string(json_t *v)
{
	if (json_is_string(v))
		sfa_secret_wipe((char *)json_string_value(v),
				json_string_length(v));
}

static char *dup_string(json_t *v)
{
	const char *s = json_string_value(v);

	return s && *s ? strdup(s) : NULL;
}

/* instance_url without a trailing slash; only http(s) (http.c refuses
 * plain http to anything but loopback when the URL is used). */
static char *instance_of(json_t *v)
{
	const char *s = json_string_value(v);
	size_t n;

	if (!s ||
	    (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0))
		return NULL;
	n = strlen(s);
	while (n > 0 && s[n - 1] == '/')
		n--;
	return strndup(s, n);
}

/* The org and user ids are the last two segments of the identity URL
 * ".../id/00D.../005...". */
static int ids_of(const char *id_url, sfa_session *out)
{
	const char *p = id_url ? strstr(id_url, "/id/") : NULL;
	size_t org_len;

	if (!p)
		return -1;
	p += 4;
	org_len = strcspn(p, "/");
	if (org_len < 15 || org_len > 18 || p[org_len] != '/' ||
	    strlen(p + org_len + 1) < 15 || strlen(p + org_len + 1) > 18 ||
	    strchr(p + org_len + 1, '/'))
		return -1;
	out->org_id = strndup(p, org_len);
	out->user_id = strdup(p + org_len + 1);
	return out->org_id && out->user_id ? 0 : -1;
}

int sfa_oauth_parse_token(long http_status, const char *body, size_t len,
			  sfa_grant grant, sfa_session *out,
			  char **refresh_token, sfa_err *err)
{
	json_t *root, *error;
	const char *missing = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (refresh_token)
		*refresh_token = NULL;
	sfa_err_where(err, "login");
	if (len > (size_t)SFA_OAUTH_MAX_RESPONSE)
		return sfa_err_set(err, SFA_EPROTO,
				   "token response is larger than %d bytes",
				   SFA_OAUTH_MAX_RESPONSE);
	root = body && len ? json_loadb(body, len, 0, NULL) : NULL;
	if (!json_is_object(root)) {
		json_decref(root);
		if (err)
			err->http_status = http_status;
		return sfa_err_set(err, SFA_EPROTO,
				   "the token endpoint answered HTTP %ld "
				   "without an OAuth response",
				   http_status);
	}
	error = json_object_get(root, "error");
	if (json_is_string(error)) {
		rc = refused(http_status, json_string_value(error),
			     json_string_value(
				 json_object_get(root, "error_description")),
			     grant, err);
	} else if (http_status != 200) {
		if (err)
			err->http_status = http_status;
		rc = sfa_err_set(err, SFA_EPROTO,
				 "the token endpoint answered HTTP %ld "
				 "without an error code",
				 http_status);
	} else {
		out->access_token =
		    dup_string(json_object_get(root, "access_token"));
		out->instance_url =
		    instance_of(json_object_get(root, "instance_url"));
		if (!out->access_token)
			missing = "access_token";
		else if (!out->instance_url)
			missing = "an http(s) instance_url";
		else if (ids_of(json_string_value(json_object_get(root, "id")),
				out))
			missing = "an identity URL (id) naming the org";
		if (missing)
			rc = sfa_err_set(err, SFA_EPROTO,
					 "token response lacks %s", missing);
		else if (refresh_token)
			*refresh_token =
			    dup_string(json_object_get(root, "refresh_token"));
	}
	wipe_json_string(json_object_get(root, "access_token"));
	wipe_json_string(json_object_get(root, "refresh_token"));
	wipe_json_string(json_object_get(root, "id_token"));
	json_decref(root);
	if (rc) {
		sfa_session_clear(out);
		if (refresh_token) {
			sfa_secret_free(*refresh_token);
			*refresh_token = NULL;
		}
	}
	return rc;
}

/* Logs the token response with its secrets cut out (-v -v), so that a
 * trace shows what Salesforce answered without what it handed over. */
static void trace_response(struct sfa_http *http, const sfa_http_response *r)
{
	char *copy;

	if (!r->body.data || r->body.len > 4096)
		return;
	copy = strndup(r->body.data, r->body.len);
	if (!copy)
		return;
	sfa_http_log(http, SFA_LOG_DEBUG, "token response: %s", copy);
	sfa_secret_free(copy);
}

int sfa_oauth_token(struct sfa_http *http, const char *base_url,
		    const char *form, sfa_grant grant, sfa_session *out,
		    char **refresh_token, sfa_err *err)
{
	static const char *const headers[] = {
	    "Content-Type: application/x-www-form-urlencoded",
	    "Accept: application/json", NULL};
	sfa_http_request req = {0};
	sfa_http_response resp = {0};
	size_t n = strlen(base_url) + sizeof("/services/oauth2/token");
	char *url = malloc(n);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!url)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	snprintf(url, n, "%s/services/oauth2/token", base_url);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = form;
	req.body_len = strlen(form);
	req.flags = SFA_HTTP_SECRET_URL;
	rc = sfa_http_send(http, &req, &resp, err);
	if (rc == 0 && resp.status >= 300 && resp.status < 400) {
		sfa_err_where(err, "login");
		if (err)
			err->http_status = resp.status;
		rc = sfa_err_set(err, SFA_EAUTH,
				 "the token endpoint at %s redirected (HTTP "
				 "%ld): use the org's My Domain host as "
				 "--domain",
				 base_url, resp.status);
	} else if (rc == 0) {
		trace_response(http, &resp);
		rc = sfa_oauth_parse_token(resp.status, resp.body.data,
					   resp.body.len, grant, out,
					   refresh_token, err);
	}
	sfa_http_response_free(&resp);
	free(url);
	return rc;
}

int sfa_auth_refresh_login(const sfa_auth_config *cfg, struct sfa_http *http,
			   sfa_session *out, sfa_err *err)
{
	const char *kv[8];
	char *form = NULL;
	int rc;

	if (!cfg->refresh_token || !*cfg->refresh_token)
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth oauth needs a refresh token: run "
				   "`sfaccess login` or set "
				   "SFACCESS_REFRESH_TOKEN");
	if (!cfg->client_id || !*cfg->client_id) {
		sfa_err_where(err, "--client-id");
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth oauth needs --client-id (or "
				   "SFACCESS_CLIENT_ID): the consumer key of "
				   "the app that issued the refresh token");
	}
	kv[0] = "grant_type";
	kv[1] = "refresh_token";
	kv[2] = "refresh_token";
	kv[3] = cfg->refresh_token;
	kv[4] = "client_id";
	kv[5] = cfg->client_id;
	kv[6] = "client_secret";
	kv[7] = cfg->client_secret; /* optional: left out when NULL */
	rc = sfa_oauth_form(kv, 4, &form, err);
	if (rc == 0)
		rc = sfa_oauth_token(http, cfg->base_url, form,
				     SFA_GRANT_REFRESH, out, NULL, err);
	sfa_secret_free(form);
	if (rc)
		sfa_err_prefix(err, "login to %s with a refresh token",
			       cfg->base_url);
	return rc;
}
