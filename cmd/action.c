/*
 * action.c - `sfaccess action NAME`: the seed's connector actions, run
 * once against the org with any login flow.  update_user_status sets
 * User.IsActive through one REST PATCH (sfa_sf_request).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "connect.h"
#include "http.h"
#include "sf.h"

static const char usage[] =
    "usage: sfaccess action update_user_status --resource-id ID "
    "--is-active true|false\n"
    "                       [connection options]\n\n"
    "Activates or deactivates one Salesforce user (User.IsActive).\n\n"
    "  --resource-id ID    the user's 15- or 18-character Id (005...)\n"
    "  --is-active B       true or false\n\n" SFA_CONNECT_HELP;

/* A User Id: 15 or 18 letters and digits with the key prefix 005.  It
 * goes into a URL path, so nothing else may pass. */
static int is_user_id(const char *s)
{
	size_t n = strlen(s), i;

	if ((n != 15 && n != 18) || strncmp(s, "005", 3) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

static int update_user_status(sfa_cli *cli, sfa_connect *conn, const char *id,
			      int active)
{
	sfa_http *http = NULL;
	sfa_sf *sf = NULL;
	json_t *body = json_pack("{s:b}", "IsActive", active);
	char path[64];
	sfa_err err;
	int rc;

	sfa_err_clear(&err);
	snprintf(path, sizeof(path), "sobjects/User/%s", id);
	if (!body)
		rc = sfa_err_set(&err, SFA_ENOMEM, "out of memory");
	else if ((rc = sfa_connect_http(conn, cli, &http, &err)) == 0 &&
		 (rc = sfa_sf_new(&sf, http, &conn->auth_cfg, &err)) == 0)
		rc = sfa_sf_request(sf, "PATCH", path, body, NULL, &err);
	if (rc == 0) {
		printf("user %s: IsActive set to %s\n", id,
		       active ? "true" : "false");
	} else {
		sfa_err_prefix(&err, "update_user_status %s", id);
		sfa_cli_error(cli, &err);
		rc = sfa_cli_exit_for(rc);
	}
	json_decref(body);
	sfa_sf_free(sf);
	sfa_http_free(http);
	return rc;
}

int cmd_action(sfa_cli *cli, int argc, char **argv)
{
	sfa_connect conn = {0};
	const char *resource_id = NULL, *is_active = NULL;
	const sfa_opt opts[] = {SFA_CONNECT_OPTS(&conn),
				{"resource-id", SFA_OPT_STRING, &resource_id},
				{"is-active", SFA_OPT_STRING, &is_active},
				{NULL, 0, NULL}};
	int npos, help, rc, active;

	rc = sfa_opts_parse("action", opts, argc, argv, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(usage, stdout);
		return SFA_EXIT_OK;
	}
	if (npos != 1 || strcmp(argv[1], "update_user_status") != 0) {
		sfa_cli_errorf("action: %s%s%s (the one action is "
			       "update_user_status)",
			       npos ? "unknown action `" : "which action?",
			       npos ? argv[1] : "", npos ? "`" : "");
		return SFA_EXIT_USAGE;
	}
	if (!resource_id || !is_user_id(resource_id)) {
		sfa_cli_errorf("action update_user_status: --resource-id needs "
			       "a User Id (15 or 18 letters and digits "
			       "starting with 005)%s%.40s%s",
			       resource_id ? ", not `" : "",
			       resource_id ? resource_id : "",
			       resource_id ? "`" : "");
		return SFA_EXIT_USAGE;
	}
	if (!is_active || (strcmp(is_active, "true") != 0 &&
			   strcmp(is_active, "false") != 0)) {
		sfa_cli_errorf("action update_user_status: --is-active must be "
			       "true or false%s%.40s%s",
			       is_active ? ", not `" : "",
			       is_active ? is_active : "",
			       is_active ? "`" : "");
		return SFA_EXIT_USAGE;
	}
	active = !strcmp(is_active, "true");
	rc = sfa_connect_resolve(&conn, cli);
	if (rc == 0)
		rc = update_user_status(cli, &conn, resource_id, active);
	sfa_connect_clear(&conn);
	return rc;
}
