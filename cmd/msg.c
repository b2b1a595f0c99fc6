/*
 * msg.c - how errors and information reach the user: one line on stderr,
 * naming the problem and where, with advice for Salesforce errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sf_error.h"

void sfa_cli_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("sfaccess: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Writes s with control characters (C0 and DEL) as spaces: an error
 * message quotes what the server or a file said, and a newline or an
 * escape sequence in it must not forge a second line or drive the
 * terminal. */
static void put_clean(const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s,
		      stderr);
}

void sfa_cli_error(const sfa_cli *cli, const sfa_err *err)
{
	const char *advice = err->sf_code[0]
				 ? sfa_sf_advice_for(err->sf_code, err->where)
				 : NULL;

	(void)cli;
	fputs("sfaccess: error: ", stderr);
	put_clean(err->msg[0] ? err->msg : sfa_err_name(err->code));
	if (err->sf_code[0] && !strstr(err->msg, err->sf_code)) {
		fputs(" [", stderr);
		put_clean(err->sf_code);
		fputc(']', stderr);
	}
	if (err->where[0] && !strstr(err->msg, err->where)) {
		fputs(" (at ", stderr);
		put_clean(err->where);
		fputc(')', stderr);
	}
	if (advice && !strstr(err->msg, advice))
		fprintf(stderr, "; %s", advice);
	fputc('\n', stderr);
}

void sfa_cli_info(const sfa_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int sfa_cli_exit_for(int code)
{
	if (code == 0)
		return SFA_EXIT_OK;
	/* A snapshot, store or file the user named that does not exist is
	 * bad input too: nothing was changed, and the fix is in the command. */
	return code == SFA_EINPUT || code == SFA_ENOTFOUND ? SFA_EXIT_USAGE
							   : SFA_EXIT_FAIL;
}

int sfa_cli_parse_id(const char *flag, const char *s, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0) {
		sfa_cli_errorf("%s: `%s` is not a snapshot id (a positive "
			       "number; see `sfaccess snapshots`)",
			       flag, s);
		return -1;
	}
	*out = v;
	return 0;
}
