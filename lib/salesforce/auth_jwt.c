/*
 * auth_jwt.c - the JWT bearer flow (lib/salesforce/SALESFORCE-API.md §3.2,
 * grant 4): an RS256 assertion signed with OpenSSL EVP from the connected app's
 * private key, exchanged at the token endpoint.  A fresh assertion is signed
 * for every login, so a re-login after a session expiry simply signs again.
 */
#include "auth_oauth.h"

#include "domain.h"
#include "file.h"
#include "secret.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_MAX ((size_t)64 * 1024)
#define JWT_LIFETIME_S 170 /* Salesforce allows at most 180 */

const char *sfa_jwt_audience(const char *base_url)
{
	static const char sandbox[] = ".sandbox.my.salesforce.com";
	size_t n = base_url ? strlen(base_url) : 0;

	if (!base_url)
		return "https://login.salesforce.com";
	if (sfa_domain_is_loopback(base_url))
		return base_url;
	if (!strcmp(base_url, "https://test.salesforce.com") ||
	    (n > sizeof(sandbox) - 1 &&
	     !strcmp(base_url + n - (sizeof(sandbox) - 1), sandbox)))
		return "https://test.salesforce.com";
	return "https://login.salesforce.com";
}

/* An encrypted key would make OpenSSL prompt on the terminal; the
 * library never talks to the user, so the passphrase is always "none". */
static int no_passphrase(char *buf, int size, int rwflag, void *ud)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)ud;
	return 0;
}

static int key_error(sfa_err *err, const char *path, const char *why)
{
	sfa_err_where(err, "--jwt-key");
	return sfa_err_set(err, SFA_EINPUT, "--jwt-key %.300s: %s", path, why);
}

/* Reads the PEM private key: refused unless only its owner can read it
 * (file.h). */
static int load_key(const char *path, EVP_PKEY **out, sfa_err *err)
{
	char *pem = NULL;
	size_t n = 0;
	BIO *bio;
	int rc;

	*out = NULL;
	if ((rc = sfa_read_private_file(path, "--jwt-key", KEY_MAX, &pem, &n,
					err))) {
		sfa_err_where(err, "--jwt-key");
		return rc;
	}
	bio = BIO_new_mem_buf(pem, (int)n);
	*out = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL)
		   : NULL;
	BIO_free(bio);
	sfa_secret_wipe(pem, n);
	free(pem);
	if (!*out)
		return key_error(err, path,
				 "not an unencrypted PEM private key");
	if (EVP_PKEY_base_id(*out) != EVP_PKEY_RSA) {
		EVP_PKEY_free(*out);
		*out = NULL;
		return key_error(err, path, "not an RSA key (RS256 needs RSA)");
	}
	return 0;
}

/* The signing input "b64(header).b64(claims)"; malloc'd. */
static char *signing_input(const char *iss, const char *sub, const char *aud,
			   long long exp)
{
	static const char header[] = "{\"alg\":\"RS256\"}";
	json_t *claims = json_pack("{s:s, s:s, s:s, s:I}", "iss", iss, "sub",
				   sub, "aud", aud, "exp", (json_int_t)exp);
	char *text = claims ? json_dumps(claims, JSON_COMPACT) : NULL;
	char *h = sfa_b64url((const unsigned char *)header, sizeof(header) - 1);
	char *c =
	    text ? sfa_b64url((const unsigned char *)text, strlen(text)) : NULL;
	char *out = NULL;

	if (h && c && (out = malloc(strlen(h) + strlen(c) + 2)))
		sprintf(out, "%s.%s", h, c);
	json_decref(claims);
	free(text);
	free(h);
	free(c);
	return out;
}

int sfa_jwt_assertion(const char *key_path, const char *iss, const char *sub,
		      const char *aud, long long now, char **out, sfa_err *err)
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *md = NULL;
	unsigned char *sig = NULL;
	char *input = NULL, *sig64 = NULL;
	size_t siglen = 0;
	int rc;

	*out = NULL;
	rc = load_key(key_path, &key, err);
	if (rc)
		return rc;
	input = signing_input(iss, sub, aud, now + JWT_LIFETIME_S);
	md = EVP_MD_CTX_new();
	if (!input || !md) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)input,
			   strlen(input)) != 1 ||
	    !(sig = malloc(siglen)) ||
	    EVP_DigestSign(md, sig, &siglen, (const unsigned char *)input,
			   strlen(input)) != 1 ||
	    !(sig64 = sfa_b64url(sig, siglen))) {
		rc = sfa_err_set(err, SFA_EINTERNAL,
				 "cannot sign the JWT assertion with "
				 "--jwt-key %.300s",
				 key_path);
		goto out;
	}
	*out = malloc(strlen(input) + strlen(sig64) + 2);
	if (!*out) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	sprintf(*out, "%s.%s", input, sig64);
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	free(sig);
	free(sig64);
	free(input);
	return rc;
}

int sfa_auth_jwt_login(const sfa_auth_config *cfg, struct sfa_http *http,
		       sfa_session *out, sfa_err *err)
{
	const char *sub = cfg->jwt_subject && *cfg->jwt_subject
			      ? cfg->jwt_subject
			      : cfg->username;
	const char *kv[4];
	char *assertion = NULL, *form = NULL;
	int rc;

	if (!cfg->client_id || !*cfg->client_id) {
		sfa_err_where(err, "--client-id");
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth jwt needs --client-id (or "
				   "SFACCESS_CLIENT_ID)");
	}
	if (!cfg->jwt_key_path || !*cfg->jwt_key_path) {
		sfa_err_where(err, "--jwt-key");
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth jwt needs --jwt-key FILE (the PEM "
				   "private key of the connected app's "
				   "certificate)");
	}
	if (!sub || !*sub) {
		sfa_err_where(err, "--jwt-subject");
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth jwt needs --jwt-subject USERNAME");
	}
	rc = sfa_jwt_assertion(cfg->jwt_key_path, cfg->client_id, sub,
			       sfa_jwt_audience(cfg->base_url),
			       (long long)time(NULL), &assertion, err);
	if (rc)
		return rc;
	kv[0] = "grant_type";
	kv[1] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
	kv[2] = "assertion";
	kv[3] = assertion;
	rc = sfa_oauth_form(kv, 2, &form, err);
	if (rc == 0)
		rc = sfa_oauth_token(http, cfg->base_url, form, SFA_GRANT_JWT,
				     out, NULL, err);
	sfa_secret_free(form);
	sfa_secret_free(assertion);
	if (rc)
		sfa_err_prefix(err, "login to %s as %s with a JWT",
			       cfg->base_url, sub);
	return rc;
}
