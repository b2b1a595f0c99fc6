/*
 * ini_line.c - the shared line syntax of the configuration and policy
 * files (ini_line.h).
 */
#include "ini_line.h"

#include <ctype.h>
#include <string.h>

char *sfa_ini_trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

int sfa_ini_comment_at(const char *p, const char *start)
{
	return (*p == '#' || *p == ';') &&
	       (p == start || isspace((unsigned char)p[-1]));
}

char *sfa_ini_uncomment(char *s)
{
	char *p;

	for (p = s; *p && !sfa_ini_comment_at(p, s); p++)
		;
	return sfa_ini_trim(s, p);
}

int sfa_ini_section(char *line, char **name)
{
	char *close = strchr(line, ']'), *p;

	if (line[0] != '[' || !close || close == line + 1)
		return -1;
	for (p = close + 1; isspace((unsigned char)*p); p++)
		;
	if (*p && !sfa_ini_comment_at(p, close + 1))
		return -1;
	*name = sfa_ini_trim(line + 1, close);
	return **name ? 0 : -1;
}
