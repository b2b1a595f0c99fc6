/*
 * output.c - parsing --format for the listing commands.
 */
#include "output.h"

#include <string.h>

#include "cli.h"

int sfa_format_parse(const char *cmd, const char *s, sfa_format *out)
{
	if (!s || strcmp(s, "table") == 0)
		*out = SFA_FMT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = SFA_FMT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = SFA_FMT_JSON;
	else {
		sfa_cli_errorf("%s: --format `%s` is not one of table, csv, "
			       "json",
			       cmd, s);
		return -1;
	}
	return 0;
}
