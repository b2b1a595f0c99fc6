/*
 * output.c - parsing --format for the listing commands.
 */
#include "output.h"

#include <stdio.h>
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

void sfa_print_provenance(const json_t *prov, int indent)
{
	const char *key;
	json_t *v;

	if (!json_is_object(prov)) {
		printf("%*sno provenance (taken before sfaccess recorded it)\n",
		       indent, "");
		return;
	}
	json_object_foreach((json_t *)prov, key, v)
	{
		if (json_is_integer(v))
			printf("%*s%-18s %" JSON_INTEGER_FORMAT "\n", indent,
			       "", key, json_integer_value(v));
		else
			printf("%*s%-18s %s\n", indent, "", key,
			       json_is_string(v) ? json_string_value(v) : "-");
	}
}
