/*
 * csv_read.c - reading CSV with line numbers (the change file, the
 * reviewed access review).  Lines are fed to libcsv one at a time so that
 * every row knows the line it starts on and `#` comment lines can be told
 * from a quoted field that spans lines; malformed CSV is a problem with
 * its line, and reading goes on.  A spreadsheet's own habits are read as
 * it meant them: the separator its locale uses (a European Excel saves
 * with `;`), told from the header line, and the row of empty cells it
 * writes for a blank row, which is skipped.
 */
#include "csv_io.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

typedef struct reader {
	char **cells;
	int n;
	size_t cap;
	int oom;
	int row_ended; /* libcsv ended a row during the last feed */
	long row_line;
	sfa_csv_read_fn fn;
	void *ud;
	int rc; /* what fn returned, once non-zero */
} reader;

static void on_field(void *s, size_t len, void *data)
{
	reader *r = data;
	char *c;

	if (r->oom || r->rc)
		return;
	if (SFA_GROW(r->cells, r->cap, (size_t)r->n + 1) ||
	    !(c = malloc(len + 1))) {
		r->oom = 1;
		return;
	}
	if (len)
		memcpy(c, s, len);
	c[len] = '\0';
	/* Our CSV writer puts a ' before = + - @ tab CR so that no
	 * spreadsheet runs a cell as a formula; the value is what follows. */
	if (c[0] == '\'' && c[1] && strchr("=+-@\t\r", c[1]))
		memmove(c, c + 1, len);
	r->cells[r->n++] = c;
}

static void clear_cells(reader *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		free(r->cells[i]);
	r->n = 0;
}

static int all_empty(const reader *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (r->cells[i][strspn(r->cells[i], " \t")])
			return 0;
	return 1;
}

static void on_row(int c, void *data)
{
	reader *r = data;

	(void)c;
	r->row_ended = 1;
	if (!r->oom && !r->rc && r->n && !all_empty(r))
		r->rc = r->fn(r->ud, r->row_line, r->cells, r->n);
	clear_cells(r);
}

/* The line of the first byte that is not UTF-8, or 0 when all are. */
static long not_utf8(const unsigned char *s, size_t len)
{
	const unsigned char *end = s + len;
	long line = 1;

	while (s < end) {
		int k = *s < 0x80		? 0
			: (*s & 0xE0) == 0xC0 ? 1
			: (*s & 0xF0) == 0xE0 ? 2
			: (*s & 0xF8) == 0xF0 ? 3
					      : -1;

		if (k < 0 || end - s <= k)
			return line;
		line += *s == '\n';
		for (s++; k > 0; k--, s++)
			if ((*s & 0xC0) != 0x80)
				return line;
	}
	return 0;
}

/* The separator of the header line (s, n bytes): a comma unless the line
 * has none outside quotes but has a `;` (or else a tab). */
static unsigned char separator(const char *s, size_t n)
{
	size_t i;
	int quoted = 0, semi = 0, tab = 0;

	for (i = 0; i < n && s[i] != '\n'; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == ',')
			return ',';
		semi |= s[i] == ';';
		tab |= s[i] == '\t';
	}
	return semi ? ';' : tab ? '\t' : ',';
}

static int blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n' && s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int sfa_csv_read(const char *data, size_t len, unsigned flags,
		 sfa_csv_read_fn fn, void *ud, sfa_problems *probs)
{
	struct csv_parser p;
	reader r = {0};
	const char *s = data, *end = data + len;
	long line;
	int between = 1, rc = 0;
	unsigned char sep = 0;
	const unsigned char opts = CSV_STRICT | CSV_STRICT_FINI;

	r.fn = fn;
	r.ud = ud;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	/* One message, not one per garbled cell: a spreadsheet's plain
	 * "CSV" is in the computer's code page. */
	if ((line = not_utf8((const unsigned char *)s, (size_t)(end - s))))
		return sfa_problem_add(probs, line,
				       "the file is not UTF-8 text (saved in "
				       "a local code page?): save it from the "
				       "spreadsheet as \"CSV UTF-8\"");
	if (csv_init(&p, opts))
		return SFA_ENOMEM;
	line = 0;
	while (s < end && !r.rc && !r.oom) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);

		line++;
		if (between && (((flags & SFA_CSVR_COMMENTS) && *s == '#') ||
				blank(s, n))) {
			s += n;
			continue;
		}
		if (!sep)
			csv_set_delim(&p, (sep = separator(s, n)));
		if (between)
			r.row_line = line;
		r.row_ended = 0;
		if (csv_parse(&p, s, n, on_field, on_row, &r) != n) {
			if (csv_error(&p) == CSV_ENOMEM) {
				r.oom = 1;
				break;
			}
			if ((rc = sfa_problem_add(probs, line,
						  "malformed CSV (%s)",
						  csv_strerror(csv_error(&p)))))
				break;
			/* Start afresh at the next line. */
			csv_free(&p);
			clear_cells(&r);
			if (csv_init(&p, opts)) {
				r.oom = 1;
				break;
			}
			csv_set_delim(&p, sep);
			r.row_ended = 1;
		}
		between = r.row_ended;
		s += n;
	}
	if (!rc && !r.rc && !r.oom && csv_fini(&p, on_field, on_row, &r) != 0)
		rc = sfa_problem_add(probs, r.row_line,
				     "a quoted field that starts in this row "
				     "is never closed");
	csv_free(&p);
	clear_cells(&r);
	free(r.cells);
	if (r.oom)
		return SFA_ENOMEM;
	return rc ? rc : r.rc;
}
