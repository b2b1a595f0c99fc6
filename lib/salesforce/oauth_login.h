/*
 * oauth_login.h - the pieces of `sfaccess login`
 * (lib/salesforce/SALESFORCE-API.md §3.3): PKCE S256 verifier and challenge,
 * the state, the authorize URL, a one-shot loopback redirect listener on
 * 127.0.0.1, and the exchange of the authorization code for tokens.
 * cmd/login.c strings them together.
 */
#ifndef SFA_OAUTH_LOGIN_H
#define SFA_OAUTH_LOGIN_H

#include <stddef.h>

#include "auth.h"

/* verifier: 64 base64url characters from 48 random bytes (RFC 7636 wants
 * 43 to 128); challenge: base64url(SHA-256(verifier)), no padding; state:
 * 32 base64url characters, random.  The verifier is a secret: wipe the
 * struct with sfa_pkce_clear(). */
typedef struct sfa_pkce {
	char verifier[72];
	char challenge[48];
	char state[48];
} sfa_pkce;

/* Fills p from OpenSSL's CSPRNG.  SFA_EINTERNAL if it cannot. */
int sfa_pkce_new(sfa_pkce *p, sfa_err *err);
void sfa_pkce_clear(sfa_pkce *p);

/* The S256 challenge of verifier into out (at least 44 bytes). */
int sfa_pkce_challenge(const char *verifier, char *out, size_t outsz);

/* base_url/services/oauth2/authorize?response_type=code&client_id=..&
 * redirect_uri=..&code_challenge=..&code_challenge_method=S256&
 * scope=api refresh_token&state=..; *out is malloc'd (no secret in it). */
int sfa_oauth_authorize_url(const char *base_url, const char *client_id,
			    const char *redirect_uri, const sfa_pkce *p,
			    char **out, sfa_err *err);

typedef struct sfa_loopback sfa_loopback;

/* Listens on 127.0.0.1 on a port the kernel picks. */
int sfa_loopback_open(sfa_loopback **out, sfa_err *err);
void sfa_loopback_free(sfa_loopback *l);

/* "http://127.0.0.1:PORT/callback", owned by l. */
const char *sfa_loopback_redirect_uri(const sfa_loopback *l);

/* Waits up to timeout_ms for the browser's GET /callback, answers it with
 * a small HTML page and returns the code (*code malloc'd, a secret: free
 * with sfa_secret_free()).  Other paths get a 404 and the wait goes on.
 * A state other than the expected one, an error=... redirect (sf_code =
 * that error) and the timeout are SFA_EAUTH. */
int sfa_loopback_wait(sfa_loopback *l, const char *state, long timeout_ms,
		      char **code, sfa_err *err);

/* Exchanges code at base_url's token endpoint (grant_type
 * authorization_code with the PKCE verifier; client_secret may be NULL).
 * *refresh_token is malloc'd (a secret) or NULL when none was issued. */
int sfa_oauth_exchange_code(struct sfa_http *http, const char *base_url,
			    const char *client_id, const char *client_secret,
			    const char *code, const char *redirect_uri,
			    const char *verifier, sfa_session *out,
			    char **refresh_token, sfa_err *err);

#endif
