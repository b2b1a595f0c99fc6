/*
 * auth_oauth.h - the OAuth 2.0 flows (lib/salesforce/SALESFORCE-API.md §3.2):
 * the token endpoint call and response parsing they share, and one login
 * function per flow.  Internal to auth.c and oauth_login.c; the pieces are
 * separate functions so tests reach them without a network.
 */
#ifndef SFA_AUTH_OAUTH_H
#define SFA_AUTH_OAUTH_H

#include <stddef.h>

#include "auth.h"

/* Token responses larger than this are refused before parsing. */
#define SFA_OAUTH_MAX_RESPONSE (256 * 1024)

/* Which grant a token call is for: it decides the advice an error gets
 * ("run `sfaccess login` again" only makes sense for a refresh token). */
typedef enum sfa_grant {
	SFA_GRANT_REFRESH,
	SFA_GRANT_CLIENT_CREDENTIALS,
	SFA_GRANT_JWT,
	SFA_GRANT_CODE
} sfa_grant;

/* base64url without padding (RFC 4648 §5, as JWT and PKCE want it) of
 * n bytes at p; malloc'd, NULL on ENOMEM. */
char *sfa_b64url(const unsigned char *p, size_t n);

/* Builds an application/x-www-form-urlencoded body from npairs key/value
 * pairs (kv[2i], kv[2i+1]); a pair whose value is NULL is left out.  The
 * body is written into one buffer of exactly the right size (no realloc
 * leaves a copy of a secret behind); free it with sfa_secret_free(). */
int sfa_oauth_form(const char *const *kv, size_t npairs, char **out,
		   sfa_err *err);

/* Parses a token endpoint response.  200 with access_token, instance_url
 * and id fills out (see sfa_session_clear()) and, when refresh_token is
 * not NULL and the response carries one, *refresh_token (a secret: free
 * with sfa_secret_free()).  An {"error", "error_description"} body is
 * SFA_EAUTH with err->sf_code = the OAuth error and a message saying what
 * the admin must fix; anything else is SFA_EPROTO. */
int sfa_oauth_parse_token(long http_status, const char *body, size_t len,
			  sfa_grant grant, sfa_session *out,
			  char **refresh_token, sfa_err *err);

/* POSTs form to base_url/services/oauth2/token once (token calls are not
 * idempotent: an authorization code is single-use) and parses the answer
 * as above. */
int sfa_oauth_token(struct sfa_http *http, const char *base_url,
		    const char *form, sfa_grant grant, sfa_session *out,
		    char **refresh_token, sfa_err *err);

/* The flows, dispatched by sfa_auth_login(). */
int sfa_auth_refresh_login(const sfa_auth_config *cfg, struct sfa_http *http,
			   sfa_session *out, sfa_err *err);
int sfa_auth_client_login(const sfa_auth_config *cfg, struct sfa_http *http,
			  sfa_session *out, sfa_err *err);
int sfa_auth_jwt_login(const sfa_auth_config *cfg, struct sfa_http *http,
		       sfa_session *out, sfa_err *err);

/* 1 when base_url is a generic login host (login.salesforce.com or
 * test.salesforce.com), where the client-credentials grant is refused. */
int sfa_oauth_is_generic_login_host(const char *base_url);

/* The JWT "aud" for a login at base_url: https://test.salesforce.com for
 * sandboxes (test.salesforce.com, *.sandbox.my.salesforce.com), base_url
 * itself for the loopback emulator, else https://login.salesforce.com.
 * Returns a static string or base_url. */
const char *sfa_jwt_audience(const char *base_url);

/* Signs an RS256 JWT bearer assertion (header {"alg":"RS256"}, claims
 * iss, sub, aud, exp = now + 170 s) with the PEM private key at key_path,
 * which must be a regular file only its owner can read.  *out is the
 * compact "header.claims.signature" form, base64url without padding;
 * free it with sfa_secret_free().  SFA_EINPUT for an unusable key file. */
int sfa_jwt_assertion(const char *key_path, const char *iss, const char *sub,
		      const char *aud, long long now, char **out, sfa_err *err);

#endif
