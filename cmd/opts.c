/*
 * opts.c - one option parser for every command, so that every command
 * accepts "--name value" and "--name=value" alike and refuses secrets on
 * the command line the same way (lib/README.md: secrets never as values).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "suggest.h"

/* Options that would carry a secret; a secret typed on the command line
 * ends up in shell history and in `ps`, so it is refused outright. */
static const struct {
	const char *name, *instead;
} secrets[] = {
    {"password", "SFACCESS_PASSWORD or --password-file"},
    {"security-token", "SFACCESS_SECURITY_TOKEN or --password-file"},
    {"client-secret", "SFACCESS_CLIENT_SECRET"},
    {"refresh-token", "SFACCESS_REFRESH_TOKEN or `sfaccess login`"},
    {"access-token", "one of the login flows"},
    {"token", "SFACCESS_SECURITY_TOKEN"},
};

/* The global options, taken out of argv by main.c before a command
 * parses: a misspelt one reaches the command and is suggested from here. */
static const char *const globals[] = {"store", "config", "quiet", "verbose",
				      "no-progress", "version"};

/* dashes: how the user wrote it, "-" or "--". */
static int unknown_option(const char *cmd, const sfa_opt *opts,
			  const char *dashes, const char *name)
{
	sfa_suggest sg;
	size_t k;

	sfa_suggest_init(&sg, name);
	for (; opts && opts->name; opts++)
		sfa_suggest_offer(&sg, opts->name);
	for (k = 0; k < sizeof(globals) / sizeof(globals[0]); k++)
		sfa_suggest_offer(&sg, globals[k]);
	sfa_suggest_offer(&sg, "help");
	if (sg.best)
		sfa_cli_errorf("%s: unknown option %s%s; did you mean --%s?",
			       cmd, dashes, name, sg.best);
	else
		sfa_cli_errorf("%s: unknown option %s%s (see `sfaccess %s "
			       "--help`)",
			       cmd, dashes, name, cmd);
	return SFA_EXIT_USAGE;
}

int sfa_opts_parse(const char *cmd, const sfa_opt *opts, int argc, char **argv,
		   int *npos, int *help)
{
	int i, pos = 1;
	size_t k;

	*help = 0;
	*npos = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char name[64];
		const sfa_opt *o;
		size_t n;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				argv[pos++] = argv[i];
			break;
		}
		if (strcmp(a, "-h") == 0) {
			*help = 1;
			continue;
		}
		/* Every option is long: a short one is a typo (`-snapshot`)
		 * that must not pass as a positional argument.  A lone `-`
		 * is a positional (stdin, where a command reads it). */
		if (a[0] == '-' && a[1] != '-' && a[1] != '\0')
			return unknown_option(cmd, opts, "-", a + 1);
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			argv[pos++] = argv[i];
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		if (n >= sizeof(name)) {
			sfa_cli_errorf("%s: unknown option --%.40s...", cmd, a);
			return SFA_EXIT_USAGE;
		}
		memcpy(name, a, n);
		name[n] = '\0';
		if (strcmp(name, "help") == 0) {
			*help = 1;
			continue;
		}
		for (k = 0; k < sizeof(secrets) / sizeof(secrets[0]); k++)
			if (strcmp(name, secrets[k].name) == 0) {
				sfa_cli_errorf(
				    "%s: --%s is refused: secrets are "
				    "never accepted on the command "
				    "line; use %s",
				    cmd, name, secrets[k].instead);
				return SFA_EXIT_USAGE;
			}
		for (o = opts; o && o->name; o++)
			if (strcmp(o->name, name) == 0)
				break;
		if (!o || !o->name)
			return unknown_option(cmd, opts, "--", name);
		if (o->kind == SFA_OPT_FLAG) {
			if (eq) {
				sfa_cli_errorf("%s: --%s takes no value", cmd,
					       name);
				return SFA_EXIT_USAGE;
			}
			*(int *)o->ptr = 1;
			continue;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			sfa_cli_errorf("%s: --%s needs a value", cmd, name);
			return SFA_EXIT_USAGE;
		}
		if (o->kind == SFA_OPT_STRING) {
			*(const char **)o->ptr = val;
		} else {
			sfa_optlist *l = o->ptr;

			if (l->n == (int)(sizeof(l->v) / sizeof(l->v[0]))) {
				sfa_cli_errorf("%s: --%s given too many times",
					       cmd, name);
				return SFA_EXIT_USAGE;
			}
			l->v[l->n++] = val;
		}
	}
	*npos = pos - 1;
	return 0;
}

int sfa_opts_parse_only(const char *cmd, const char *usage, const sfa_opt *opts,
			int argc, char **argv, int *exit_code)
{
	int npos, help;

	if ((*exit_code = sfa_opts_parse(cmd, opts, argc, argv, &npos, &help)))
		return 1;
	if (help) {
		fputs(usage, stdout);
		*exit_code = SFA_EXIT_OK;
		return 1;
	}
	if (npos) {
		sfa_cli_errorf("%s: unexpected argument `%s`", cmd, argv[1]);
		*exit_code = SFA_EXIT_USAGE;
		return 1;
	}
	return 0;
}
