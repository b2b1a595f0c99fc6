/*
 * connect.h - the connection options shared by sync, apply, login and
 * action (lib/README.md, "Connection options"): each from the command line,
 * else the environment, else the configuration file's [connection].
 */
#ifndef SFA_CONNECT_H
#define SFA_CONNECT_H

#include "auth.h"
#include "cli.h"
#include "credentials.h"

struct sfa_http;

typedef struct sfa_connect {
	/* Raw option values, filled by sfa_opts_parse() through
	 * SFA_CONNECT_OPTS; borrowed from argv. */
	const char *domain, *auth, *username, *password_file, *client_id,
	    *jwt_key, *jwt_subject, *api_version, *ca_bundle, *credentials;

	/* Resolved by sfa_connect_resolve(); owned here. */
	sfa_auth_config auth_cfg;
	char *base_url;
	char *password, *security_token, *client_secret, *refresh_token;
	char *credentials_path; /* --auth oauth and login */
	sfa_credentials creds;	/* what the credentials file held */
} sfa_connect;

/* The option table entries for the fields above, to splice into a
 * command's own sfa_opt table.  Laid out by hand: clang-format reads the
 * braces as one initializer and would indent all but the first. */
/* clang-format off */
#define SFA_CONNECT_OPTS(c)                                                   \
	{"domain", SFA_OPT_STRING, &(c)->domain},                             \
	{"auth", SFA_OPT_STRING, &(c)->auth},                                 \
	{"username", SFA_OPT_STRING, &(c)->username},                         \
	{"password-file", SFA_OPT_STRING, &(c)->password_file},               \
	{"client-id", SFA_OPT_STRING, &(c)->client_id},                       \
	{"jwt-key", SFA_OPT_STRING, &(c)->jwt_key},                           \
	{"jwt-subject", SFA_OPT_STRING, &(c)->jwt_subject},                   \
	{"api-version", SFA_OPT_STRING, &(c)->api_version},                   \
	{"ca-bundle", SFA_OPT_STRING, &(c)->ca_bundle},                       \
	{"credentials", SFA_OPT_STRING, &(c)->credentials}
/* clang-format on */

#define SFA_CONNECT_HELP                                                       \
	"Connection (each also from the environment or [connection]):\n"       \
	"  --domain D          the org's domain, e.g. acme.my.salesforce.com " \
	"[SFACCESS_DOMAIN]\n"                                                  \
	"  --auth M            password|oauth|client-credentials|jwt\n"        \
	"  --username U        [SFACCESS_USERNAME]; password and security "    \
	"token from\n"                                                         \
	"                      SFACCESS_PASSWORD, SFACCESS_SECURITY_TOKEN or " \
	"--password-file\n"                                                    \
	"  --password-file F   mode 0600; line 1 password, line 2 security "   \
	"token\n"                                                              \
	"  --client-id ID      [SFACCESS_CLIENT_ID]; secret from "             \
	"SFACCESS_CLIENT_SECRET\n"                                             \
	"  --credentials FILE  from `sfaccess login`, for --auth oauth "       \
	"[SFACCESS_CREDENTIALS];\n"                                            \
	"                      refresh token also from "                       \
	"SFACCESS_REFRESH_TOKEN\n"                                             \
	"  --jwt-key FILE      PEM private key (mode 0600) for --auth jwt\n"   \
	"  --jwt-subject U     username the JWT asserts (default "             \
	"--username)\n"                                                        \
	"  --api-version V     REST API version (default 64.0)\n"              \
	"  --ca-bundle FILE    CA certificates to trust (TLS is always "       \
	"verified)\n"

/* Resolves the options into c->auth_cfg.  Prints a one-line error and
 * returns SFA_EXIT_USAGE when something is missing or refused. */
int sfa_connect_resolve(sfa_connect *c, const sfa_cli *cli);

/* For `sfaccess login`: resolves the domain, client id, client secret
 * (SFACCESS_CLIENT_SECRET, optional) and the credentials file path into
 * c->base_url, c->auth_cfg.client_id, c->client_secret and
 * c->credentials_path.  Prints a one-line error and returns
 * SFA_EXIT_USAGE when something is missing. */
int sfa_connect_resolve_login(sfa_connect *c, const sfa_cli *cli);

/* Creates the HTTP client for c (verbose traces go to stderr with -v). */
int sfa_connect_http(sfa_connect *c, const sfa_cli *cli, struct sfa_http **out,
		     sfa_err *err);

/* Zeroes and frees the secrets and everything resolved. */
void sfa_connect_clear(sfa_connect *c);

#endif
