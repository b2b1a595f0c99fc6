/*
 * connect.c - resolving connection options.  One precedence for every
 * setting, secrets included: command line, then environment, then
 * configuration file.  Secrets come only from the environment or a file
 * that only its owner can read (the password file, the credentials file
 * of `sfaccess login`, the JWT key).  With -v each setting's source is
 * printed, never its value.
 */
#include "connect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain.h"
#include "file.h"
#include "http.h"
#include "secret.h"

/* Line 1 a password, line 2 a security token: a few hundred bytes. */
#define PASSWORD_FILE_MAX ((size_t)4096)

/* -v: where a setting came from (a flag, a variable or file:line). */
static void tell(const sfa_cli *cli, const char *setting, const char *from)
{
	if (cli->verbose)
		fprintf(stderr, "sfaccess: %s from %s\n", setting, from);
}

static void tell_config(const sfa_cli *cli, const char *key)
{
	char where[512];

	snprintf(where, sizeof(where), "%s:%d",
		 sfa_config_name(cli->config),
		 sfa_config_line(cli->config, "connection", key));
	tell(cli, key, where);
}

/* The option's flag is the config key with `-` for `_`. */
static const char *pick(const char *opt, const char *env, const sfa_cli *cli,
			const char *key)
{
	const char *v;
	char flag[64];
	size_t i;

	if (opt && *opt) {
		snprintf(flag, sizeof(flag), "--%s", key);
		for (i = 0; flag[i]; i++)
			if (flag[i] == '_')
				flag[i] = '-';
		tell(cli, key, flag);
		return opt;
	}
	v = env ? getenv(env) : NULL;
	if (v && *v) {
		tell(cli, key, env);
		return v;
	}
	v = sfa_config_get(cli->config, "connection", key);
	if (v)
		tell_config(cli, key);
	return v;
}

static char *dup_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? strdup(v) : NULL;
}

/* Reads the password file: refused unless only its owner can read it
 * (file.h). */
static int read_password_file(sfa_connect *c, const sfa_cli *cli,
			      const char *path)
{
	char *buf, *nl, *line2;
	size_t n;
	sfa_err err;

	sfa_err_clear(&err);
	if (sfa_read_private_file(path, "--password-file", PASSWORD_FILE_MAX,
				  &buf, &n, &err)) {
		sfa_cli_error(cli, &err);
		return -1;
	}
	nl = strchr(buf, '\n');
	line2 = NULL;
	if (nl) {
		*nl = '\0';
		line2 = nl + 1;
		nl = strchr(line2, '\n');
		if (nl)
			*nl = '\0';
	}
	if (buf[0] && buf[strlen(buf) - 1] == '\r')
		buf[strlen(buf) - 1] = '\0';
	if (line2 && line2[0] && line2[strlen(line2) - 1] == '\r')
		line2[strlen(line2) - 1] = '\0';
	c->password = strdup(buf);
	if (line2 && *line2)
		c->security_token = strdup(line2);
	sfa_secret_wipe(buf, n);
	free(buf);
	return c->password ? 0 : -1;
}

/* The password (and security token): --password-file, then
 * SFACCESS_PASSWORD, then the configuration's password_file.  A token
 * the file does not hold comes from SFACCESS_SECURITY_TOKEN. */
static int resolve_password(sfa_connect *c, const sfa_cli *cli)
{
	const char *file = NULL;

	if (c->password_file && *c->password_file) {
		file = c->password_file;
		tell(cli, "password", "--password-file");
	} else if ((c->password = dup_env("SFACCESS_PASSWORD")) != NULL) {
		tell(cli, "password", "SFACCESS_PASSWORD");
	} else if ((file = sfa_config_get(cli->config, "connection",
					  "password_file")) != NULL) {
		tell_config(cli, "password_file");
	}
	if (file && read_password_file(c, cli, file))
		return -1;
	if (c->security_token) {
		tell(cli, "security_token", "the password file");
	} else if ((c->security_token = dup_env("SFACCESS_SECURITY_TOKEN"))) {
		tell(cli, "security_token", "SFACCESS_SECURITY_TOKEN");
	}
	return 0;
}

/* A secret that only the environment gives. */
static char *secret_env(const sfa_cli *cli, const char *setting,
			const char *env)
{
	char *v = dup_env(env);

	if (v)
		tell(cli, setting, env);
	return v;
}

static int parse_method(const char *s, sfa_auth_method *m)
{
	if (strcmp(s, "password") == 0)
		*m = SFA_AUTH_PASSWORD;
	else if (strcmp(s, "oauth") == 0)
		*m = SFA_AUTH_OAUTH;
	else if (strcmp(s, "client-credentials") == 0)
		*m = SFA_AUTH_CLIENT_CREDENTIALS;
	else if (strcmp(s, "jwt") == 0)
		*m = SFA_AUTH_JWT;
	else
		return -1;
	return 0;
}

/* The credentials file path: --credentials, SFACCESS_CREDENTIALS,
 * [connection] credentials, else the default.  *explicit says whether
 * the admin named one. */
static int credentials_path(sfa_connect *c, const sfa_cli *cli, int *explicit)
{
	const char *p =
	    pick(c->credentials, "SFACCESS_CREDENTIALS", cli, "credentials");
	sfa_err err;

	*explicit = p != NULL;
	if (p) {
		c->credentials_path = strdup(p);
		return c->credentials_path ? 0 : -1;
	}
	/* No HOME: only a problem for the flows that need the file. */
	sfa_err_clear(&err);
	(void)sfa_credentials_default_path(&c->credentials_path, &err);
	return 0;
}

/* --auth oauth without SFACCESS_REFRESH_TOKEN: the refresh token (and,
 * unless given, the client id and org) come from the credentials file. */
static int load_credentials(sfa_connect *c, const char **domain)
{
	sfa_auth_config *a = &c->auth_cfg;
	sfa_err err;

	sfa_err_clear(&err);
	if (!c->credentials_path) {
		sfa_cli_errorf("--auth oauth needs a refresh token: give "
			       "--credentials FILE or set "
			       "SFACCESS_REFRESH_TOKEN");
		return -1;
	}
	if (sfa_credentials_read(c->credentials_path, &c->creds, &err)) {
		sfa_cli_errorf("--auth oauth: %s", err.msg);
		return -1;
	}
	c->refresh_token = c->creds.refresh_token;
	c->creds.refresh_token = NULL; /* now owned (and wiped) by c */
	if (!a->client_id)
		a->client_id = c->creds.client_id;
	if (!*domain)
		*domain = c->creds.instance_url;
	return 0;
}

static int infer_method(sfa_connect *c, int creds_explicit)
{
	const sfa_auth_config *a = &c->auth_cfg;

	if (a->jwt_key_path)
		return SFA_AUTH_JWT;
	if (c->refresh_token || creds_explicit)
		return SFA_AUTH_OAUTH;
	if (c->client_secret && !c->password)
		return SFA_AUTH_CLIENT_CREDENTIALS;
	if (!c->password && c->credentials_path &&
	    access(c->credentials_path, F_OK) == 0)
		return SFA_AUTH_OAUTH; /* `sfaccess login` was run before */
	return SFA_AUTH_PASSWORD;
}

/* What each method needs, checked before any request so that a missing
 * piece is a usage error naming the option, not a failed login. */
static int check_method(const sfa_connect *c)
{
	const sfa_auth_config *a = &c->auth_cfg;

	switch (a->method) {
	case SFA_AUTH_PASSWORD:
		if (a->username && a->password)
			return 0;
		sfa_cli_errorf("password login needs --username (or "
			       "SFACCESS_USERNAME) and a password from "
			       "SFACCESS_PASSWORD or --password-file");
		return -1;
	case SFA_AUTH_OAUTH:
		if (a->client_id)
			return 0;
		sfa_cli_errorf("--auth oauth needs --client-id (or "
			       "SFACCESS_CLIENT_ID): the consumer key of the "
			       "app that issued the refresh token");
		return -1;
	case SFA_AUTH_CLIENT_CREDENTIALS:
		if (!a->client_id || !a->client_secret) {
			sfa_cli_errorf("--auth client-credentials needs "
				       "--client-id (or SFACCESS_CLIENT_ID) "
				       "and the consumer secret in "
				       "SFACCESS_CLIENT_SECRET");
			return -1;
		}
		if (!strcmp(a->base_url, "https://login.salesforce.com") ||
		    !strcmp(a->base_url, "https://test.salesforce.com")) {
			sfa_cli_errorf("--auth client-credentials only works "
				       "on the org's My Domain host: use "
				       "--domain MYDOMAIN.my.salesforce.com "
				       "instead of %s",
				       a->base_url + 8);
			return -1;
		}
		return 0;
	case SFA_AUTH_JWT:
		if (a->client_id && a->jwt_key_path && a->jwt_subject)
			return 0;
		sfa_cli_errorf("--auth jwt needs --client-id (or "
			       "SFACCESS_CLIENT_ID), --jwt-key FILE and "
			       "--jwt-subject USERNAME (or --username)");
		return -1;
	}
	return 0;
}

int sfa_connect_resolve(sfa_connect *c, const sfa_cli *cli)
{
	sfa_auth_config *a = &c->auth_cfg;
	const char *domain, *method;
	sfa_err err;
	int creds_explicit;

	sfa_err_clear(&err);
	domain = pick(c->domain, "SFACCESS_DOMAIN", cli, "domain");
	a->api_version = pick(c->api_version, NULL, cli, "api_version");
	if (!a->api_version)
		a->api_version = "64.0";
	a->username = pick(c->username, "SFACCESS_USERNAME", cli, "username");
	a->client_id =
	    pick(c->client_id, "SFACCESS_CLIENT_ID", cli, "client_id");
	a->jwt_key_path = pick(c->jwt_key, NULL, cli, "jwt_key");
	a->jwt_subject = pick(c->jwt_subject, NULL, cli, "jwt_subject");
	if (resolve_password(c, cli))
		return SFA_EXIT_USAGE;
	c->client_secret =
	    secret_env(cli, "client_secret", "SFACCESS_CLIENT_SECRET");
	c->refresh_token =
	    secret_env(cli, "refresh_token", "SFACCESS_REFRESH_TOKEN");
	if (credentials_path(c, cli, &creds_explicit))
		return SFA_EXIT_USAGE;
	method = pick(c->auth, NULL, cli, "auth");
	if (method && parse_method(method, &a->method)) {
		sfa_cli_errorf("--auth: `%s` is not one of password, oauth, "
			       "client-credentials, jwt",
			       method);
		return SFA_EXIT_USAGE;
	}
	if (!method)
		a->method = infer_method(c, creds_explicit);
	if (a->method == SFA_AUTH_OAUTH && !c->refresh_token) {
		if (load_credentials(c, &domain))
			return SFA_EXIT_USAGE;
		tell(cli, "refresh_token", "the credentials file");
	}
	if (a->method == SFA_AUTH_JWT && !a->jwt_subject)
		a->jwt_subject = a->username;
	if (!domain) {
		sfa_cli_errorf("no org given: use --domain (e.g. "
			       "acme.my.salesforce.com) or SFACCESS_DOMAIN");
		return SFA_EXIT_USAGE;
	}
	if (sfa_domain_normalize(domain, &c->base_url, &err)) {
		sfa_cli_errorf("%s", err.msg);
		return SFA_EXIT_USAGE;
	}
	a->base_url = c->base_url;
	a->password = c->password;
	a->security_token = c->security_token;
	a->client_secret = c->client_secret;
	a->refresh_token = c->refresh_token;
	return check_method(c) ? SFA_EXIT_USAGE : 0;
}

int sfa_connect_resolve_login(sfa_connect *c, const sfa_cli *cli)
{
	const char *domain = pick(c->domain, "SFACCESS_DOMAIN", cli, "domain");
	sfa_err err;
	int explicit;

	sfa_err_clear(&err);
	if (!domain) {
		sfa_cli_errorf("login: no org given: use --domain (e.g. "
			       "acme.my.salesforce.com or "
			       "login.salesforce.com) or SFACCESS_DOMAIN");
		return SFA_EXIT_USAGE;
	}
	if (sfa_domain_normalize(domain, &c->base_url, &err)) {
		sfa_cli_errorf("%s", err.msg);
		return SFA_EXIT_USAGE;
	}
	c->auth_cfg.base_url = c->base_url;
	c->auth_cfg.method = SFA_AUTH_OAUTH;
	c->auth_cfg.client_id =
	    pick(c->client_id, "SFACCESS_CLIENT_ID", cli, "client_id");
	if (!c->auth_cfg.client_id) {
		sfa_cli_errorf("login: needs --client-id (or "
			       "SFACCESS_CLIENT_ID): the consumer key of the "
			       "connected app");
		return SFA_EXIT_USAGE;
	}
	c->client_secret =
	    secret_env(cli, "client_secret", "SFACCESS_CLIENT_SECRET");
	c->auth_cfg.client_secret = c->client_secret;
	if (credentials_path(c, cli, &explicit) || !c->credentials_path) {
		sfa_cli_errorf("login: neither XDG_CONFIG_HOME nor HOME is "
			       "set: give --credentials FILE");
		return SFA_EXIT_USAGE;
	}
	return 0;
}

void sfa_connect_clear(sfa_connect *c)
{
	sfa_secret_free(c->password);
	sfa_secret_free(c->security_token);
	sfa_secret_free(c->client_secret);
	sfa_secret_free(c->refresh_token);
	sfa_credentials_clear(&c->creds);
	free(c->credentials_path);
	free(c->base_url);
	memset(c, 0, sizeof(*c));
}

static void log_line(void *ud, int level, const char *msg)
{
	const sfa_cli *cli = ud;

	if (level <= SFA_LOG_WARN ||
	    cli->verbose >= (level == SFA_LOG_INFO ? 1 : 2))
		fprintf(stderr, "sfaccess: %s\n", msg);
}

int sfa_connect_http(sfa_connect *c, const sfa_cli *cli, sfa_http **out,
		     sfa_err *err)
{
	sfa_http_options o;

	memset(&o, 0, sizeof(o));
	o.ca_bundle = pick(c->ca_bundle, NULL, cli, "ca_bundle");
	/* curl would only say "error setting certificate file" at the first
	 * handshake; a CA file that cannot be read is bad input, named. */
	if (o.ca_bundle) {
		FILE *f = fopen(o.ca_bundle, "rb");

		if (!f)
			return sfa_err_set(
			    err, SFA_EINPUT,
			    "--ca-bundle %s: cannot read it (%s)", o.ca_bundle,
			    strerror(errno));
		fclose(f);
	}
	o.log = log_line;
	o.log_ud = (void *)cli;
	return sfa_http_new(out, &o, err);
}
