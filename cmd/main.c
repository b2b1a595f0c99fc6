/*
 * main.c - the sfaccess dispatcher: global options (accepted before or
 * after the command), the configuration file, and a table of commands,
 * each implemented in cmd/<name>.c as cmd_<name>().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cli.h"
#include "suggest.h"

static const struct command {
	const char *name;
	sfa_cmd_fn fn;
	const char *summary;
} commands[] = {
    {"sync", cmd_sync, "fetch a complete snapshot of an org's access"},
    {"snapshots", cmd_snapshots, "list the snapshots in the store"},
    {"show", cmd_show, "show resources and effective access of a snapshot"},
    {"diff", cmd_diff, "list the changes between two snapshots"},
    {"report", cmd_report, "write the access review or change report"},
    {"login", cmd_login,
     "log in through the browser (OAuth) and save "
     "a refresh token"},
    {"action", cmd_action, "run a connector action (update_user_status)"},
    {"verify", cmd_verify, "check a report directory against its manifest"},
    {"gc", cmd_gc, "delete all but the newest snapshots of each org"},
    {"plan", cmd_plan, "write a change file from a review or a snapshot"},
    {"apply", cmd_apply, "perform a reviewed change file against the org"},
    {"review", cmd_review,
     "run a review campaign: start, collect, status, close"},
    {"check", cmd_check, "evaluate policy rules (dormant, SoD, leavers, ...)"},
    {"who-can", cmd_who_can, "list who holds a permission, and through what"},
    {"permissions", cmd_permissions,
     "list a user's effective permissions and their paths"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: sfaccess [global options] COMMAND [options]\n\n"
	      "Commands:\n",
	      f);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nGlobal options:\n"
	      "  --store PATH     snapshot store (default ./sfaccess.db, "
	      "env SFACCESS_STORE)\n"
	      "  --config PATH    INI configuration (default ./sfaccess.conf "
	      "if present, env SFACCESS_CONFIG)\n"
	      "  -q, -v           quieter, more verbose\n"
	      "  --no-progress    no progress lines\n"
	      "  --version        print the version\n\n"
	      "`sfaccess help COMMAND` or `sfaccess COMMAND --help` prints "
	      "a command's options.\n",
	      f);
}

/* The command called name; NULL after an error naming the closest one. */
static const struct command *find(const char *name)
{
	sfa_suggest sg;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	sfa_suggest_init(&sg, name);
	for (i = 0; i < NCOMMANDS; i++)
		sfa_suggest_offer(&sg, commands[i].name);
	if (sg.best)
		sfa_cli_errorf("unknown command `%s`; did you mean `%s`?", name,
			       sg.best);
	else
		sfa_cli_errorf("unknown command `%s` (see `sfaccess --help`)",
			       name);
	return NULL;
}

/* Takes the global options out of argv wherever they stand, so that
 * `sfaccess sync --store x.db` and `sfaccess --store x.db sync` agree.
 * Returns the new argc, or -1 after printing an error. */
static int take_globals(sfa_cli *cli, int argc, char **argv, int *version)
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(a, "--store") == 0 || strcmp(a, "--config") == 0) {
			if (i + 1 >= argc) {
				sfa_cli_errorf("%s needs a value", a);
				return -1;
			}
			if (a[2] == 's') {
				cli->store_path = argv[++i];
				cli->store_given = 1;
			} else
				cli->config_path = argv[++i];
		} else if (strncmp(a, "--store=", 8) == 0) {
			cli->store_path = a + 8;
			cli->store_given = 1;
		} else if (strncmp(a, "--config=", 9) == 0) {
			cli->config_path = a + 9;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			cli->quiet = 1;
		} else if (strcmp(a, "-v") == 0 ||
			   strcmp(a, "--verbose") == 0) {
			cli->verbose++;
		} else if (strcmp(a, "--no-progress") == 0) {
			cli->progress = 0;
		} else if (strcmp(a, "--version") == 0) {
			*version = 1;
		} else {
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return n;
}

static int load_config(sfa_cli *cli)
{
	sfa_err err;
	const char *path = cli->config_path;
	int explicit = 1;

	if (!path)
		path = getenv("SFACCESS_CONFIG");
	if (!path || !*path) {
		path = "sfaccess.conf";
		explicit = 0;
		if (access(path, F_OK) != 0)
			return 0;
	}
	sfa_err_clear(&err);
	if (sfa_config_load(&cli->config, path, &err)) {
		sfa_cli_error(cli, &err);
		return explicit || err.code == SFA_EINPUT ? -1 : 0;
	}
	/* A misspelt key would otherwise be ignored, and what it meant to
	 * turn on (connected apps, say) silently left out of the audit. */
	if (sfa_config_check(cli->config, sfa_config_sections, &err)) {
		sfa_cli_error(cli, &err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	sfa_cli cli = {0};
	const struct command *c;
	int version = 0, rc;

	cli.progress = isatty(STDERR_FILENO);
	argc = take_globals(&cli, argc, argv, &version);
	if (argc < 0)
		return SFA_EXIT_USAGE;
	if (version) {
		printf("sfaccess %s\n", SFA_VERSION);
		return SFA_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? SFA_EXIT_USAGE : SFA_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return SFA_EXIT_OK;
		}
		c = find(argv[2]);
		if (!c)
			return SFA_EXIT_USAGE;
		argv[1] = argv[2];
		argv[2] = "--help";
		return c->fn(&cli, 2, argv + 1);
	}
	c = find(argv[1]);
	if (!c)
		return SFA_EXIT_USAGE;
	if (!cli.store_path)
		cli.store_path = getenv("SFACCESS_STORE");
	if (!cli.store_path || !*cli.store_path)
		cli.store_path = "sfaccess.db";
	if (load_config(&cli))
		return SFA_EXIT_USAGE;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = c->fn(&cli, argc - 1, argv + 1);
	curl_global_cleanup();
	sfa_config_free(cli.config);
	return rc;
}
