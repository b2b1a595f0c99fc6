/*
 * auth_client.c - the client-credentials flow (lib/salesforce/SALESFORCE-API.md
 * §3.2): consumer key + secret exchanged for a token of the connected app's Run
 * As user.  Salesforce only serves it on the org's My Domain host, so the
 * generic login hosts are refused here before a request is sent.
 */
#include "auth_oauth.h"

#include "secret.h"

#include <string.h>

int sfa_oauth_is_generic_login_host(const char *base_url)
{
	return base_url && (!strcmp(base_url, "https://login.salesforce.com") ||
			    !strcmp(base_url, "https://test.salesforce.com"));
}

int sfa_auth_client_login(const sfa_auth_config *cfg, struct sfa_http *http,
			  sfa_session *out, sfa_err *err)
{
	const char *kv[6];
	char *form = NULL;
	int rc;

	if (!cfg->client_id || !*cfg->client_id) {
		sfa_err_where(err, "--client-id");
		return sfa_err_set(
		    err, SFA_EINPUT,
		    "--auth client-credentials needs --client-id "
		    "(or SFACCESS_CLIENT_ID)");
	}
	if (!cfg->client_secret || !*cfg->client_secret)
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth client-credentials needs the "
				   "connected app's consumer secret in "
				   "SFACCESS_CLIENT_SECRET");
	if (sfa_oauth_is_generic_login_host(cfg->base_url)) {
		sfa_err_where(err, "--domain");
		return sfa_err_set(err, SFA_EINPUT,
				   "--auth client-credentials only works on "
				   "the org's My Domain host: use --domain "
				   "MYDOMAIN.my.salesforce.com instead of %s",
				   cfg->base_url + strlen("https://"));
	}
	kv[0] = "grant_type";
	kv[1] = "client_credentials";
	kv[2] = "client_id";
	kv[3] = cfg->client_id;
	kv[4] = "client_secret";
	kv[5] = cfg->client_secret;
	rc = sfa_oauth_form(kv, 3, &form, err);
	if (rc == 0)
		rc = sfa_oauth_token(http, cfg->base_url, form,
				     SFA_GRANT_CLIENT_CREDENTIALS, out, NULL,
				     err);
	sfa_secret_free(form);
	if (rc)
		sfa_err_prefix(err, "login to %s with client credentials",
			       cfg->base_url);
	return rc;
}
