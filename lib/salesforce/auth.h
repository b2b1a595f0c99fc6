/*
 * auth.h - logging in to an org: the four flows of lib/README.md (password via
 * SOAP login(), OAuth refresh token, client credentials, JWT bearer) all end
 * in an sfa_session that the REST client uses as a Bearer token.
 */
#ifndef SFA_AUTH_H
#define SFA_AUTH_H

#include "err.h"

struct sfa_http;

typedef enum sfa_auth_method {
	SFA_AUTH_PASSWORD,
	SFA_AUTH_OAUTH, /* refresh-token grant */
	SFA_AUTH_CLIENT_CREDENTIALS,
	SFA_AUTH_JWT
} sfa_auth_method;

/* What a login needs.  Strings are borrowed from the caller and must
 * outlive every login made with this config (re-logins happen mid-sync). */
typedef struct sfa_auth_config {
	sfa_auth_method method;
	const char *base_url;	 /* from sfa_domain_normalize() */
	const char *api_version; /* "64.0"; SOAP login uses min(this, 64.0) */
	const char *username;
	const char *password;	    /* secret */
	const char *security_token; /* secret, may be NULL */
	const char *client_id;
	const char *client_secret; /* secret */
	const char *refresh_token; /* secret */
	const char *jwt_key_path;
	const char *jwt_subject;
} sfa_auth_config;

/* A logged-in session.  Every string is owned by the session and freed
 * (secrets zeroed first) by sfa_session_clear(). */
typedef struct sfa_session {
	char *instance_url; /* "https://acme.my.salesforce.com", no slash */
	char *access_token; /* secret */
	char *org_id;	    /* 18 characters */
	char *user_id;
} sfa_session;

/* Logs in with cfg over http.  On failure err says why in words an admin
 * can act on, with err->sf_code set to the Salesforce / OAuth code. */
int sfa_auth_login(const sfa_auth_config *cfg, struct sfa_http *http,
		   sfa_session *out, sfa_err *err);

void sfa_session_clear(sfa_session *s);

#endif
