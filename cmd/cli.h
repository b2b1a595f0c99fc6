/*
 * cli.h - what every command shares: global options, the option parser,
 * messages and exit statuses.  cmd/ owns the terminal; lib/ never prints.
 */
#ifndef SFA_CLI_H
#define SFA_CLI_H

#include "config.h"
#include "err.h"

enum {
	SFA_EXIT_OK = 0,
	SFA_EXIT_FAIL = 1,   /* operational error */
	SFA_EXIT_USAGE = 2,  /* bad usage or bad input; nothing changed */
	SFA_EXIT_CHANGES = 3 /* diff --exit-code, report --fail-on-changes */
};

typedef struct sfa_cli {
	const char *store_path;
	int store_given; /* --store on the command line (verify re-performs) */
	const char *config_path;
	sfa_config *config; /* NULL when there is no configuration file */
	int quiet, verbose, progress;
} sfa_cli;

typedef int (*sfa_cmd_fn)(sfa_cli *cli, int argc, char **argv);

/* ---- option parsing ---- */

enum { SFA_OPT_FLAG, SFA_OPT_STRING, SFA_OPT_LIST };

/* A repeatable option's values, in order (borrowed from argv). */
typedef struct sfa_optlist {
	const char *v[32];
	int n;
} sfa_optlist;

typedef struct sfa_opt {
	const char *name; /* without the leading "--" */
	int kind;
	void *ptr; /* int *, const char **, or sfa_optlist * */
} sfa_opt;

/* Parses argv[1..argc-1] of command cmd against opts.  Positional
 * arguments are moved to the front of argv[1..] and counted in *npos.
 * "--name value" and "--name=value" are both accepted; "--help" and
 * "-h" set *help.  An unknown option is refused with the closest known
 * one ("did you mean").  Secrets given as options are refused.  Returns 0, or
 * prints a one-line error naming the option and returns SFA_EXIT_USAGE. */
int sfa_opts_parse(const char *cmd, const sfa_opt *opts, int argc, char **argv,
		   int *npos, int *help);

/* sfa_opts_parse() for a command that takes options only: --help prints
 * usage to stdout and an argument that is not an option is refused.
 * Returns 1 when the command is done, with its exit status in *exit_code
 * (SFA_EXIT_OK after --help, else the usage error already printed);
 * returns 0, *exit_code 0, when it goes on. */
int sfa_opts_parse_only(const char *cmd, const char *usage, const sfa_opt *opts,
			int argc, char **argv, int *exit_code);

/* ---- messages ---- */

/* "sfaccess: error: <msg>" on stderr, with err's where/advice. */
void sfa_cli_error(const sfa_cli *cli, const sfa_err *err);
/* A printf-style error line on stderr. */
void sfa_cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An informational line on stderr, unless -q. */
void sfa_cli_info(const sfa_cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The exit status for a library error code. */
int sfa_cli_exit_for(int code);

/* Parses a snapshot id option; prints an error and returns -1 if bad. */
int sfa_cli_parse_id(const char *flag, const char *s, long long *out);

/* ---- commands: cmd/<name>.c ---- */
int cmd_sync(sfa_cli *cli, int argc, char **argv);
int cmd_snapshots(sfa_cli *cli, int argc, char **argv);
int cmd_show(sfa_cli *cli, int argc, char **argv);
int cmd_report(sfa_cli *cli, int argc, char **argv);
int cmd_diff(sfa_cli *cli, int argc, char **argv);
int cmd_gc(sfa_cli *cli, int argc, char **argv);
int cmd_login(sfa_cli *cli, int argc, char **argv);
int cmd_action(sfa_cli *cli, int argc, char **argv);
int cmd_verify(sfa_cli *cli, int argc, char **argv);
int cmd_plan(sfa_cli *cli, int argc, char **argv);
int cmd_apply(sfa_cli *cli, int argc, char **argv);
int cmd_review(sfa_cli *cli, int argc, char **argv);
int cmd_check(sfa_cli *cli, int argc, char **argv);
int cmd_who_can(sfa_cli *cli, int argc, char **argv);
int cmd_permissions(sfa_cli *cli, int argc, char **argv);

#endif
