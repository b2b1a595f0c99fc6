/*
 * output.c - parsing --format for the listing commands, and tables that
 * fit the terminal instead of wrapping.
 */
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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

int sfa_terminal_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long v;

	if (c && *c) {
		v = strtol(c, &end, 10);
		if (*end == '\0' && v >= 20 && v <= 10000)
			return (int)v;
	}
	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 0;
}

/* Characters of UTF-8 text s (continuation bytes do not count). */
static int chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Where the cut after k characters falls, in bytes. */
static size_t bytes_of(const char *s, int k)
{
	size_t i = 0;

	while (s[i] && k > 0) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		k--;
	}
	return i;
}

static void cell(sfa_table *t, const char *s, int w, int last)
{
	int n = chars(s);

	if (t->limit && n > w) {
		fwrite(s, 1, bytes_of(s, w > 1 ? w - 1 : 0), t->f);
		fputs(w > 1 ? "\xe2\x80\xa6" : "", t->f); /* … */
		n = w;
	} else {
		fputs(s, t->f);
	}
	if (!last)
		fprintf(t->f, "%*s", w > n ? w - n + 1 : 1, "");
}

void sfa_table_begin(sfa_table *t, FILE *f, const sfa_table_col *cols, int n)
{
	const char *h[SFA_TABLE_MAX_COLS] = {NULL};
	int i, sum = 0, fixed = 0, room, used = 0, last;

	t->f = f;
	t->n = n < SFA_TABLE_MAX_COLS ? n : SFA_TABLE_MAX_COLS;
	t->limit = sfa_terminal_width();
	last = t->n - 1;
	for (i = 0; i < t->n; i++) {
		t->w[i] = cols[i].width;
		if (cols[i].fixed)
			fixed += t->w[i];
		else
			sum += t->w[i];
	}
	room = t->limit - last - fixed;
	if (t->limit && sum > room) {
		/* The others in proportion, at least 4 characters each; the
		 * last shrinkable column takes the rounding. */
		for (i = 0; i < t->n; i++) {
			if (cols[i].fixed)
				continue;
			t->w[i] = cols[i].width * (room > 0 ? room : 0) / sum;
			if (t->w[i] < 4)
				t->w[i] = 4;
			used += t->w[i];
			last = i;
		}
		if (room - used > 0)
			t->w[last] += room - used;
	} else if (t->limit) {
		t->w[last] += room - sum; /* the rest of the line */
	}
	for (i = 0; i < t->n; i++)
		h[i] = cols[i].header;
	sfa_table_row(t, h);
}

void sfa_table_row(sfa_table *t, const char *const *cells)
{
	int i;

	for (i = 0; i < t->n; i++)
		cell(t, cells[i] ? cells[i] : "", t->w[i], i == t->n - 1);
	fputc('\n', t->f);
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
