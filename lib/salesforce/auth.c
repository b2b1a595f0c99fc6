/*
 * auth.c - the login dispatcher: checks what every flow needs, then hands
 * the config to the file of its flow: auth_soap.c (password),
 * auth_oauth.c (refresh token), auth_client.c (client credentials),
 * auth_jwt.c (JWT bearer).
 */
#include "auth.h"

#include "auth_oauth.h"
#include "auth_soap.h"
#include "secret.h"

#include <stdlib.h>
#include <string.h>

int sfa_auth_login(const sfa_auth_config *cfg, struct sfa_http *http,
		   sfa_session *out, sfa_err *err)
{
	sfa_session s = {0};
	int rc;

	if (!cfg || !http || !out)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_auth_login: missing argument");
	if (!cfg->base_url || !*cfg->base_url) {
		sfa_err_where(err, "--domain");
		return sfa_err_set(err, SFA_EINPUT,
				   "no org domain: set --domain or "
				   "SFACCESS_DOMAIN");
	}
	switch (cfg->method) {
	case SFA_AUTH_PASSWORD:
		rc = sfa_auth_soap_login(cfg, http, &s, err);
		break;
	case SFA_AUTH_OAUTH:
		rc = sfa_auth_refresh_login(cfg, http, &s, err);
		break;
	case SFA_AUTH_CLIENT_CREDENTIALS:
		rc = sfa_auth_client_login(cfg, http, &s, err);
		break;
	case SFA_AUTH_JWT:
		rc = sfa_auth_jwt_login(cfg, http, &s, err);
		break;
	default:
		return sfa_err_set(err, SFA_EINTERNAL, "unknown auth method %d",
				   (int)cfg->method);
	}
	if (rc) {
		sfa_session_clear(&s);
		return rc;
	}
	/* Only replace the caller's session once the new one is complete. */
	sfa_session_clear(out);
	*out = s;
	return 0;
}

void sfa_session_clear(sfa_session *s)
{
	if (!s)
		return;
	sfa_secret_free(s->access_token);
	free(s->instance_url);
	free(s->org_id);
	free(s->user_id);
	memset(s, 0, sizeof(*s));
}
