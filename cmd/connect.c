/*
 * connect.c - resolving connection options.  Precedence: command line,
 * environment, configuration file.  Secrets come only from the
 * environment or a file that only its owner can read.
 */
#include "connect.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain.h"
#include "http.h"
#include "secret.h"

static const char *pick(const char *opt, const char *env,
			const sfa_cli *cli, const char *key)
{
	const char *v;

	if (opt && *opt)
		return opt;
	v = env ? getenv(env) : NULL;
	if (v && *v)
		return v;
	return sfa_config_get(cli->config, "connection", key);
}


static char *dup_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? strdup(v) : NULL;
}

/* Reads the password file: refused unless it is a regular file that only
 * its owner can read, as ssh does with private keys. */
static int read_password_file(sfa_connect *c, const char *path)
{
	struct stat st;
	char buf[4096], *nl, *line2;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0) {
		sfa_cli_errorf("--password-file %s: %s", path,
			       strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		sfa_cli_errorf("--password-file %s: not a regular file", path);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		sfa_cli_errorf("--password-file %s: readable by others (mode "
			       "%03o); run `chmod 600 %s`",
			       path, (unsigned)(st.st_mode & 0777), path);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		sfa_cli_errorf("--password-file %s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
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
	sfa_secret_wipe(buf, sizeof(buf));
	return c->password ? 0 : -1;
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

int sfa_connect_resolve(sfa_connect *c, const sfa_cli *cli)
{
	sfa_auth_config *a = &c->auth_cfg;
	const char *domain, *method, *pwfile;
	sfa_err err;

	sfa_err_clear(&err);
	domain = pick(c->domain, "SFACCESS_DOMAIN", cli, "domain");
	if (!domain) {
		sfa_cli_errorf("no org given: use --domain (e.g. "
			       "acme.my.salesforce.com) or SFACCESS_DOMAIN");
		return SFA_EXIT_USAGE;
	}
	if (sfa_domain_normalize(domain, &c->base_url, &err)) {
		sfa_cli_errorf("--domain: %s", err.msg);
		return SFA_EXIT_USAGE;
	}
	a->base_url = c->base_url;
	a->api_version = pick(c->api_version, NULL, cli, "api_version");
	if (!a->api_version)
		a->api_version = "64.0";
	a->username = pick(c->username, "SFACCESS_USERNAME", cli, "username");
	a->client_id = pick(c->client_id, "SFACCESS_CLIENT_ID", cli,
			    "client_id");
	a->jwt_key_path = pick(c->jwt_key, NULL, cli, "jwt_key");
	a->jwt_subject = pick(c->jwt_subject, NULL, cli, "jwt_subject");
	c->password = dup_env("SFACCESS_PASSWORD");
	c->security_token = dup_env("SFACCESS_SECURITY_TOKEN");
	c->client_secret = dup_env("SFACCESS_CLIENT_SECRET");
	c->refresh_token = dup_env("SFACCESS_REFRESH_TOKEN");
	pwfile = pick(c->password_file, NULL, cli, "password_file");
	if (pwfile) {
		sfa_secret_free(c->password);
		sfa_secret_free(c->security_token);
		c->password = c->security_token = NULL;
		if (read_password_file(c, pwfile))
			return SFA_EXIT_USAGE;
	}
	method = pick(c->auth, NULL, cli, "auth");
	if (method) {
		if (parse_method(method, &a->method)) {
			sfa_cli_errorf("--auth: `%s` is not one of password, "
				       "oauth, client-credentials, jwt",
				       method);
			return SFA_EXIT_USAGE;
		}
	} else if (a->jwt_key_path) {
		a->method = SFA_AUTH_JWT;
	} else if (c->refresh_token) {
		a->method = SFA_AUTH_OAUTH;
	} else if (c->client_secret && !c->password) {
		a->method = SFA_AUTH_CLIENT_CREDENTIALS;
	} else {
		a->method = SFA_AUTH_PASSWORD;
	}
	a->password = c->password;
	a->security_token = c->security_token;
	a->client_secret = c->client_secret;
	a->refresh_token = c->refresh_token;
	if (a->method == SFA_AUTH_PASSWORD && (!a->username || !a->password)) {
		sfa_cli_errorf("password login needs --username (or "
			       "SFACCESS_USERNAME) and a password from "
			       "SFACCESS_PASSWORD or --password-file");
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
	free(c->base_url);
	memset(c, 0, sizeof(*c));
}

static void log_line(void *ud, int level, const char *msg)
{
	const sfa_cli *cli = ud;

	if (level <= SFA_LOG_WARN || cli->verbose >= (level == SFA_LOG_INFO ? 1 : 2))
		fprintf(stderr, "sfaccess: %s\n", msg);
}

int sfa_connect_http(sfa_connect *c, const sfa_cli *cli, sfa_http **out,
		     sfa_err *err)
{
	sfa_http_options o;

	memset(&o, 0, sizeof(o));
	o.ca_bundle = pick(c->ca_bundle, NULL, cli, "ca_bundle");
	o.log = log_line;
	o.log_ud = (void *)cli;
	return sfa_http_new(out, &o, err);
}
