/*
 * login.c - `sfaccess login`: the OAuth web login.  Prints the authorize
 * URL (and opens it when a browser is at hand), waits on a loopback
 * listener for the redirect, exchanges the code with the PKCE verifier and
 * saves refresh token, client id and instance URL to the credentials file.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "connect.h"
#include "credentials.h"
#include "http.h"
#include "oauth_login.h"
#include "secret.h"

extern char **environ;

static const char usage[] =
    "usage: sfaccess login --domain D --client-id ID [--credentials FILE]\n"
    "                      [--timeout SECONDS] [--no-browser]\n\n"
    "Logs in through the browser (OAuth authorization code with PKCE) "
    "and saves a\nrefresh token, the client id and the instance URL to "
    "the credentials file\n(mode 0600), for `sfaccess sync --auth oauth`. "
    "The connected app needs the\ncallback URL http://127.0.0.1/callback "
    "and the scopes api and refresh_token.\n\n"
    "  --domain D          login.salesforce.com, test.salesforce.com or "
    "the My Domain\n"
    "                      [SFACCESS_DOMAIN]\n"
    "  --client-id ID      the connected app's consumer key "
    "[SFACCESS_CLIENT_ID];\n"
    "                      its secret, if it needs one, from "
    "SFACCESS_CLIENT_SECRET\n"
    "  --credentials FILE  where to save [SFACCESS_CREDENTIALS]; default\n"
    "                      $XDG_CONFIG_HOME/sfaccess/credentials or "
    "~/.config/sfaccess/credentials\n"
    "  --timeout SECONDS   how long to wait for the browser (default 300)\n"
    "  --no-browser        only print the URL\n"
    "  --ca-bundle FILE    CA certificates to trust\n";

/* Opens url with xdg-open, without waiting and without letting it write
 * on our terminal.  Failure is fine: the URL is printed anyway. */
static pid_t open_browser(const char *url)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = {"xdg-open", (char *)url, NULL};
	pid_t pid = 0;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return 0;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
	if (posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ) != 0)
		pid = 0;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static int parse_timeout(const char *s, long *out)
{
	char *end;
	long v;

	if (!s) {
		*out = 300;
		return 0;
	}
	v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > 3600) {
		sfa_cli_errorf("login: --timeout `%s` is not a number of "
			       "seconds from 1 to 3600",
			       s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Everything after the options are resolved: one web login. */
static int web_login(sfa_connect *c, const sfa_cli *cli, long timeout_s,
		     int no_browser, sfa_err *err)
{
	sfa_http *http = NULL;
	sfa_loopback *lb = NULL;
	sfa_pkce pkce;
	sfa_session s = {0};
	sfa_credentials creds = {0};
	char *url = NULL, *code = NULL;
	pid_t browser = 0;
	int rc;

	memset(&pkce, 0, sizeof(pkce));
	if ((rc = sfa_connect_http(c, cli, &http, err)) != 0 ||
	    (rc = sfa_pkce_new(&pkce, err)) != 0 ||
	    (rc = sfa_loopback_open(&lb, err)) != 0 ||
	    (rc = sfa_oauth_authorize_url(c->base_url, c->auth_cfg.client_id,
					  sfa_loopback_redirect_uri(lb), &pkce,
					  &url, err)) != 0)
		goto out;
	sfa_cli_info(cli,
		     "Open this URL in a browser and log in (waiting %ld s "
		     "for the redirect to %s):",
		     timeout_s, sfa_loopback_redirect_uri(lb));
	printf("%s\n", url);
	fflush(stdout);
	if (!no_browser && isatty(STDOUT_FILENO))
		browser = open_browser(url);
	rc = sfa_loopback_wait(lb, pkce.state, timeout_s * 1000, &code, err);
	if (rc == 0)
		rc = sfa_oauth_exchange_code(
		    http, c->base_url, c->auth_cfg.client_id, c->client_secret,
		    code, sfa_loopback_redirect_uri(lb), pkce.verifier, &s,
		    &creds.refresh_token, err);
	if (rc)
		goto out;
	if (!creds.refresh_token) {
		rc = sfa_err_set(err, SFA_EAUTH,
				 "Salesforce issued no refresh token: add the "
				 "scope \"Perform requests at any time "
				 "(refresh_token, offline_access)\" to the "
				 "connected app and run `sfaccess login` "
				 "again");
		goto out;
	}
	creds.client_id = strdup(c->auth_cfg.client_id);
	creds.instance_url = strdup(s.instance_url);
	if (!creds.client_id || !creds.instance_url) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	rc = sfa_credentials_write(c->credentials_path, &creds, err);
	if (rc == 0)
		printf("Logged in to org %s as user %s; saved the refresh "
		       "token for %s to %s (mode 0600).\n",
		       s.org_id, s.user_id, s.instance_url,
		       c->credentials_path);
out:
	if (browser > 0)
		(void)waitpid(browser, NULL, WNOHANG);
	sfa_credentials_clear(&creds);
	sfa_session_clear(&s);
	sfa_secret_free(code);
	sfa_pkce_clear(&pkce);
	free(url);
	sfa_loopback_free(lb);
	sfa_http_free(http);
	return rc;
}

int cmd_login(sfa_cli *cli, int argc, char **argv)
{
	sfa_connect conn = {0};
	const char *timeout = NULL;
	int no_browser = 0;
	const sfa_opt opts[] = {
	    {"domain", SFA_OPT_STRING, &conn.domain},
	    {"client-id", SFA_OPT_STRING, &conn.client_id},
	    {"credentials", SFA_OPT_STRING, &conn.credentials},
	    {"ca-bundle", SFA_OPT_STRING, &conn.ca_bundle},
	    {"timeout", SFA_OPT_STRING, &timeout},
	    {"no-browser", SFA_OPT_FLAG, &no_browser},
	    {NULL, 0, NULL}};
	sfa_err err;
	long timeout_s;
	int rc;

	sfa_err_clear(&err);
	if (sfa_opts_parse_only("login", usage, opts, argc, argv, &rc))
		return rc;
	if (parse_timeout(timeout, &timeout_s))
		return SFA_EXIT_USAGE;
	rc = sfa_connect_resolve_login(&conn, cli);
	if (rc == 0) {
		rc = web_login(&conn, cli, timeout_s, no_browser, &err);
		if (rc) {
			sfa_cli_error(cli, &err);
			rc = sfa_cli_exit_for(rc);
		}
	}
	sfa_connect_clear(&conn);
	return rc;
}
