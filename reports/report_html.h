/*
 * report_html.h - self-contained HTML reports: one file with inline CSS and
 * JS under a strict Content-Security-Policy, a summary block, server-side
 * SVG charts and a client-side table that sorts, filters and pages.
 *
 * The writer is generic (columns + rows streamed) so the access review and
 * the change report share it.  Order of calls:
 *   sfa_html_begin -> sfa_html_row* -> (sfa_html_stat | sfa_html_chart)*
 *   -> sfa_html_end.
 * Rows go straight to the file as JSON inside a data <script> (never run),
 * so the summary, known only after the rows, follows them in the file; the
 * page still shows it above the table.  C memory holds one row at a time.
 */
#ifndef SFA_REPORT_HTML_H
#define SFA_REPORT_HTML_H

#include <stdio.h>

#include "err.h"
#include "store.h"

/* How the table treats a column (bits; every column is searched). */
enum {
	SFA_HTML_TEXT = 0,   /* free text */
	SFA_HTML_SELECT = 1, /* few distinct values: a drop-down filter */
	SFA_HTML_TAGS = 2,   /* space-separated words shown as badges, with
			      * a drop-down of the words */
	SFA_HTML_MONO = 4    /* ids and times: fixed width, no wrapping */
};

typedef struct sfa_html_column {
	const char *key;   /* stable identifier, [a-z_] */
	const char *title; /* header text */
	int kind;	   /* SFA_HTML_* bits */
} sfa_html_column;

typedef struct sfa_html_meta {
	const char *label, *value; /* shown under the title, e.g. "Org" */
} sfa_html_meta;

typedef struct sfa_html_page {
	const char *title;    /* <title> and heading */
	const char *subtitle; /* one line under the heading, or NULL */
	const sfa_html_meta *meta;
	int nmeta;
	const sfa_html_column *columns;
	int ncolumns;
	const char *row_noun; /* "access rows", for "1–50 of 9 access rows" */
} sfa_html_page;

typedef struct sfa_html sfa_html;

/* Writes the head (CSP, styles) and the page header to f (borrowed).
 * page and everything it points to must stay valid until sfa_html_end().
 * *out is released by sfa_html_end() or sfa_html_free(). */
int sfa_html_begin(sfa_html **out, FILE *f, const sfa_html_page *page,
		   sfa_err *err);

/* Appends one row of page->ncolumns cells (NULL = empty). */
int sfa_html_row(sfa_html *w, const char *const *cells, sfa_err *err);

/* A summary figure ("Users", 40); tone is NULL, "warn" or "bad" to draw
 * the eye to figures that call for review.  note may be NULL. */
int sfa_html_stat(sfa_html *w, const char *label, long long value,
		  const char *tone, const char *note, sfa_err *err);

/* A horizontal bar chart: one group per label, one bar per series
 * (values[label * nseries + series]).  Series are coloured in order
 * (e.g. "added" then "removed" for a change report). */
typedef struct sfa_html_chart_def {
	const char *title;
	const char *const *series; /* nseries names, shown as a legend */
	int nseries;
	const char *const *labels;
	int nlabels;
	const long long *values;
} sfa_html_chart_def;

int sfa_html_chart(sfa_html *w, const sfa_html_chart_def *c, sfa_err *err);

/* Writes the table, the script and the closing tags, then frees w
 * (whatever the result).  *rows gets the row count (may be NULL). */
int sfa_html_end(sfa_html *w, long long *rows, sfa_err *err);

/* Abandons a page half-written (after an error); frees w. */
void sfa_html_free(sfa_html *w);

/* ---- escaping, exposed for the unit tests ---- */

/* Writes s as HTML text or attribute value: & < > " ' become entities;
 * control characters other than tab and newline and invalid UTF-8 become
 * U+FFFD.  NULL writes nothing. */
int sfa_html_escape(FILE *f, const char *s);

/* Writes s as a JSON string literal that is safe inside a <script> data
 * block: < > & become \u003c \u003e \u0026, U+2028/U+2029 become
 * \u2028/\u2029, controls are escaped, invalid UTF-8 becomes U+FFFD. */
int sfa_html_json_string(FILE *f, const char *s);

/* ---- the access review ---- */

/* Writes the access review of a snapshot as one HTML page to f; *rows gets
 * the access row count. */
int sfa_report_access_html(sfa_store *st, long long snapshot_id, FILE *f,
			   long long *rows, sfa_err *err);

#endif
