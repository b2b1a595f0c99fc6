/*
 * html.c - the generic HTML report writer: head with a hash-based CSP,
 * rows streamed as a JSON data block, summary figures, SVG bar charts and
 * the table shell that the inline script fills.  Every value passes through
 * sfa_html_escape() or sfa_html_json_string(); nothing else reaches f.
 */
#include "report_html.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "html_assets.h"
#include "report_evidence.h"
#include "utf8.h"

enum { PART_ROWS, PART_STATS, PART_CHARTS, PART_EVIDENCE };

/* Owns prev[] (copies of the last row's cells, for the repeat marker). */
struct sfa_html {
	FILE *f;
	const sfa_html_page *page;
	char **prev;
	long long rows;
	int part;   /* which part of the page is open */
	int nstats; /* figures written, to open the summary once */
	int ncharts;
};

/* ---- escaping ---- */

int sfa_html_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		unsigned cp;
		size_t n = sfa_utf8_next(p, &cp);
		const char *ent = NULL;

		switch (cp) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			if ((cp < 0x20 && cp != '\t' && cp != '\n') ||
			    cp == 0x7F || cp == 0xFFFD)
				ent = "\xEF\xBF\xBD";
		}
		if (ent ? fputs(ent, f) == EOF : fwrite(p, 1, n, f) != n)
			return SFA_EIO;
		p += n;
	}
	return 0;
}

int sfa_html_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (fputc('"', f) == EOF)
		return SFA_EIO;
	while (p && *p) {
		unsigned cp;
		size_t n = sfa_utf8_next(p, &cp);
		int ok;

		/* < > & escaped so that no "</script" or "<!--" can end or
		 * bend the data block; U+2028/2029 because older JS engines
		 * read them as line ends inside string literals. */
		if (cp == '"' || cp == '\\')
			ok = fprintf(f, "\\%c", (int)cp) > 0;
		else if (cp == '\n')
			ok = fputs("\\n", f) != EOF;
		else if (cp == '\t')
			ok = fputs("\\t", f) != EOF;
		else if (cp == '\r')
			ok = fputs("\\r", f) != EOF;
		else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' ||
			 cp == 0x7F || cp == 0x2028 || cp == 0x2029 ||
			 (cp == 0xFFFD && n == 1))
			ok = fprintf(f, "\\u%04x", cp) > 0;
		else
			ok = fwrite(p, 1, n, f) == n;
		if (!ok)
			return SFA_EIO;
		p += n;
	}
	return fputc('"', f) == EOF ? SFA_EIO : 0;
}

/* ---- the page ---- */

/* "sha256-<base64>" of the concatenated pieces, into out (>= 60 bytes). */
static int csp_hash(const char *const *pieces, char *out, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);

	for (; ok && *pieces; pieces++)
		ok = EVP_DigestUpdate(ctx, *pieces, strlen(*pieces));
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok || n < 8 + 4 * ((mdlen + 2) / 3) + 1)
		return SFA_EINTERNAL;
	/* the prefix's NUL is overwritten; EVP_EncodeBlock terminates */
	memcpy(out, "sha256-", sizeof("sha256-"));
	EVP_EncodeBlock((unsigned char *)out + 7, md, (int)mdlen);
	return 0;
}

static int put_pieces(FILE *f, const char *const *pieces)
{
	for (; *pieces; pieces++)
		if (fputs(*pieces, f) == EOF)
			return SFA_EIO;
	return 0;
}

static int io_error(sfa_err *err)
{
	return sfa_err_set(err, SFA_EIO, "cannot write the HTML report");
}

int sfa_html_begin(sfa_html **out, FILE *f, const sfa_html_page *page,
		   sfa_err *err)
{
	char css_hash[64], js_hash[64];
	sfa_html *w;
	int i;

	*out = NULL;
	if (csp_hash(sfa_html_css, css_hash, sizeof(css_hash)) ||
	    csp_hash(sfa_html_js, js_hash, sizeof(js_hash)))
		return sfa_err_set(err, SFA_EINTERNAL, "cannot hash the page");
	w = calloc(1, sizeof(*w));
	if (w)
		w->prev = calloc((size_t)page->ncolumns + 1, sizeof(char *));
	if (!w || !w->prev) {
		free(w);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	w->f = f;
	w->page = page;
	/* default-src 'none' forbids every fetch; only the two inline
	 * blocks below may run or style, and nothing may navigate or post. */
	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\""
		"default-src 'none'; style-src '%s'; script-src '%s'; "
		"img-src data:; base-uri 'none'; form-action 'none'\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, "
		"initial-scale=1\">\n"
		"<meta name=\"referrer\" content=\"no-referrer\">\n"
		"<meta name=\"generator\" content=\"sfaccess %s\">\n<title>",
		css_hash, js_hash, SFA_VERSION);
	sfa_html_escape(f, page->title);
	fputs("</title>\n<style>", f);
	put_pieces(f, sfa_html_css);
	fputs("</style>\n</head>\n<body>\n<header class=\"top\">\n<h1>", f);
	sfa_html_escape(f, page->title);
	fputs("</h1>\n", f);
	if (page->subtitle) {
		fputs("<p class=\"sub\">", f);
		sfa_html_escape(f, page->subtitle);
		fputs("</p>\n", f);
	}
	fputs("<dl class=\"meta\">\n", f);
	for (i = 0; i < page->nmeta; i++) {
		fputs("<div><dt>", f);
		sfa_html_escape(f, page->meta[i].label);
		fputs("</dt><dd>", f);
		sfa_html_escape(f, page->meta[i].value ? page->meta[i].value
						       : "-");
		fputs("</dd></div>\n", f);
	}
	fputs("</dl>\n</header>\n<main>\n"
	      "<script type=\"application/json\" id=\"sfa-data\">{\"noun\":",
	      f);
	sfa_html_json_string(f, page->row_noun ? page->row_noun : "rows");
	fputs(",\"columns\":[", f);
	for (i = 0; i < page->ncolumns; i++) {
		fputs(i ? ",\n{\"key\":" : "\n{\"key\":", f);
		sfa_html_json_string(f, page->columns[i].key);
		fputs(",\"title\":", f);
		sfa_html_json_string(f, page->columns[i].title);
		fprintf(f, ",\"kind\":%d}", page->columns[i].kind);
	}
	fputs("],\n\"rows\":[", f);
	if (ferror(f)) {
		sfa_html_free(w);
		return io_error(err);
	}
	*out = w;
	return 0;
}

static int set_prev(sfa_html *w, int i, const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		return SFA_ENOMEM;
	free(w->prev[i]);
	w->prev[i] = copy;
	return 0;
}

int sfa_html_row(sfa_html *w, const char *const *cells, sfa_err *err)
{
	FILE *f = w->f;
	int i;

	if (w->part != PART_ROWS)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "HTML rows after the summary");
	fputs(w->rows ? ",\n[" : "\n[", f);
	for (i = 0; i < w->page->ncolumns; i++) {
		const char *s = cells[i] ? cells[i] : "";

		if (i)
			fputc(',', f);
		/* 0 means "same as the row above": a user's columns repeat
		 * over all their rows, and this keeps 100,000 rows small. */
		if (w->prev[i] && strcmp(w->prev[i], s) == 0) {
			fputc('0', f);
			continue;
		}
		if (set_prev(w, i, s))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		sfa_html_json_string(f, s);
	}
	fputc(']', f);
	w->rows++;
	return ferror(f) ? io_error(err) : 0;
}

/* Ends the data block once, before the first figure, chart or table. */
static void close_rows(sfa_html *w)
{
	if (w->part == PART_ROWS)
		fputs("\n]}</script>\n", w->f);
}

static void fmt_count(long long v, char out[32])
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%lld", v < 0 ? -v : v);
	int i, k = 0;

	if (v < 0)
		out[k++] = '-';
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

int sfa_html_stat(sfa_html *w, const char *label, long long value,
		  const char *tone, const char *note, sfa_err *err)
{
	FILE *f = w->f;
	char num[32];

	if (w->part == PART_CHARTS)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "HTML figures after the charts");
	close_rows(w);
	if (w->part == PART_ROWS) {
		fputs("<h2>Summary</h2>\n<section class=\"summary\" "
		      "aria-label=\"Summary\">\n",
		      f);
		w->part = PART_STATS;
	}
	if (tone && strcmp(tone, "warn") != 0 && strcmp(tone, "bad") != 0)
		tone = NULL;
	/* A warning figure that is zero needs no attention: grey it. */
	fprintf(f, "<div class=\"stat%s%s\"><span class=\"v\">",
		tone ? " " : "", tone ? (value ? tone : "zero") : "");
	fmt_count(value, num);
	fputs(num, f);
	fputs("</span><span class=\"l\">", f);
	sfa_html_escape(f, label);
	fputs("</span>", f);
	if (note) {
		fputs("<span class=\"n\">", f);
		sfa_html_escape(f, note);
		fputs("</span>", f);
	}
	fputs("</div>\n", f);
	w->nstats++;
	return ferror(f) ? io_error(err) : 0;
}

/* Geometry of the bar chart, in SVG user units. */
enum { CH_W = 720, CH_LABEL = 190, CH_BAR = 16, CH_GAP = 10, CH_TOP = 8 };

int sfa_html_chart(sfa_html *w, const sfa_html_chart_def *c, sfa_err *err)
{
	FILE *f = w->f;
	long long max = 1;
	int i, s, legend = c->nseries > 1 ? 24 : 0;
	int group = c->nseries * CH_BAR + CH_GAP;
	int height = CH_TOP + legend + c->nlabels * group + 4;
	int span = CH_W - CH_LABEL - 70;
	char num[32];

	close_rows(w);
	if (w->part == PART_STATS)
		fputs("</section>\n", f);
	if (w->part != PART_CHARTS)
		fputs("<section class=\"charts\">\n", f);
	w->part = PART_CHARTS;
	for (i = 0; i < c->nlabels * c->nseries; i++)
		if (c->values[i] > max)
			max = c->values[i];
	fputs("<figure class=\"chart\"><figcaption>", f);
	sfa_html_escape(f, c->title);
	fprintf(f,
		"</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		CH_W, height);
	sfa_html_escape(f, c->title);
	fputs("\"><title>", f);
	sfa_html_escape(f, c->title);
	fputs("</title>\n", f);
	for (s = 0; legend && s < c->nseries; s++) {
		fprintf(f,
			"<rect class=\"s%d\" x=\"%d\" y=\"%d\" width=\"12\" "
			"height=\"12\" rx=\"2\"/><text x=\"%d\" y=\"%d\">",
			s % 4, CH_LABEL + s * 120, CH_TOP,
			CH_LABEL + s * 120 + 18, CH_TOP + 11);
		sfa_html_escape(f, c->series[s]);
		fputs("</text>\n", f);
	}
	for (i = 0; i < c->nlabels; i++) {
		int y = CH_TOP + legend + i * group;

		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
			CH_LABEL - 10, y + c->nseries * CH_BAR / 2 + 4);
		sfa_html_escape(f, c->labels[i]);
		fputs("</text>\n", f);
		for (s = 0; s < c->nseries; s++) {
			long long v = c->values[i * c->nseries + s];
			int len = (int)((double)v / (double)max * span);

			if (v > 0 && len < 2)
				len = 2;
			fmt_count(v, num);
			fprintf(f,
				"<rect class=\"s%d\" x=\"%d\" y=\"%d\" "
				"width=\"%d\" height=\"%d\" rx=\"2\"/>"
				"<text class=\"val\" x=\"%d\" y=\"%d\">%s"
				"</text>\n",
				s % 4, CH_LABEL, y + s * CH_BAR, len,
				CH_BAR - 3, CH_LABEL + len + 6,
				y + s * CH_BAR + CH_BAR - 5, num);
		}
	}
	fprintf(f,
		"<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		"y2=\"%d\"/>\n</svg></figure>\n",
		CH_LABEL, CH_TOP + legend - 2, CH_LABEL, height - 2);
	w->ncharts++;
	return ferror(f) ? io_error(err) : 0;
}

int sfa_html_end(sfa_html *w, long long *rows, sfa_err *err)
{
	FILE *f = w->f;
	int rc;

	close_rows(w);
	if (w->part == PART_STATS || w->part == PART_CHARTS)
		fputs("</section>\n", f);
	fputs("<section class=\"table\" aria-label=\"Rows\">\n"
	      "<div class=\"controls\">"
	      "<input type=\"search\" id=\"sfa-q\" placeholder=\"Filter: "
	      "type any part of a value\" aria-label=\"Filter rows\" "
	      "autocomplete=\"off\">"
	      "<button type=\"button\" id=\"sfa-clear\">Clear filters</button>"
	      "<span class=\"count\" id=\"sfa-count\" aria-live=\"polite\">"
	      "</span></div>\n"
	      "<p class=\"print-note\" id=\"sfa-print-note\"></p>\n"
	      "<div class=\"scroll\" id=\"sfa-scroll\"><table>"
	      "<thead id=\"sfa-head\"></thead><tbody id=\"sfa-body\"></tbody>"
	      "</table></div>\n"
	      "<div class=\"pager\">"
	      "<button type=\"button\" id=\"sfa-first\">First</button>"
	      "<button type=\"button\" id=\"sfa-prev\">Previous</button>"
	      "<span class=\"pos\" id=\"sfa-pos\"></span>"
	      "<button type=\"button\" id=\"sfa-next\">Next</button>"
	      "<button type=\"button\" id=\"sfa-last\">Last</button>"
	      "<label>Rows per page <select id=\"sfa-size\">"
	      "<option>25</option><option selected>50</option>"
	      "<option>100</option><option>250</option><option>500</option>"
	      "</select></label></div>\n"
	      "<noscript><p>The table needs JavaScript; the CSV report holds "
	      "the same rows.</p></noscript>\n"
	      "</section>\n</main>\n<footer>Generated by sfaccess ",
	      f);
	sfa_html_escape(f, SFA_VERSION);
	fputs(". This file is self-contained: it loads nothing from the "
	      "network.</footer>\n<script>",
	      f);
	put_pieces(f, sfa_html_js);
	fputs("</script>\n</body>\n</html>\n", f);
	if (rows)
		*rows = w->rows;
	rc = ferror(f) || fflush(f) ? io_error(err) : 0;
	sfa_html_free(w);
	return rc;
}

void sfa_html_free(sfa_html *w)
{
	int i;

	if (!w)
		return;
	for (i = 0; i < w->page->ncolumns; i++)
		free(w->prev[i]);
	free(w->prev);
	free(w);
}

/* ---- the evidence section (EVIDENCE.md) ---- */

static void cell(FILE *f, const char *tag, const json_t *v)
{
	fprintf(f, "<%s>", tag);
	if (json_is_string(v)) {
		sfa_html_escape(f, json_string_value(v));
	} else if (json_is_integer(v)) {
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_boolean(v)) {
		fputs(json_is_true(v) ? "true" : "false", f);
	} else if (json_is_object(v)) {
		char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);

		sfa_html_escape(f, text);
		free(text);
	} else {
		fputs("-", f);
	}
	fprintf(f, "</%s>", tag);
}

/* One table: a row per object of rows, a column per key. */
static void evidence_table(FILE *f, const char *caption, const json_t *rows,
			   const char *const *keys, int nkeys)
{
	const json_t *r;
	size_t i;
	int k;

	fputs("<table class=\"evidence\"><caption>", f);
	sfa_html_escape(f, caption);
	fputs("</caption>\n<thead><tr>", f);
	for (k = 0; k < nkeys; k++) {
		fputs("<th>", f);
		sfa_html_escape(f, keys[k]);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	json_array_foreach(rows, i, r)
	{
		fputs("<tr>", f);
		for (k = 0; k < nkeys; k++)
			cell(f, "td", json_object_get(r, keys[k]));
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

int sfa_html_evidence(sfa_html *w, const json_t *ev, sfa_err *err)
{
	static const char *const control[] = {
	    "object",	"method",   "org_count",  "received",	 "stored",
	    "excluded", "requests", "started_at", "finished_at", "soql"};
	static const char *const drift[] = {"object", "at_scan", "at_end"};
	static const char *const recon[] = {"is_active", "user_type",
					    "org_count", "in_scope", "reason"};
	FILE *f = w->f;
	const json_t *prov = json_object_get(ev, "provenance"), *v;
	const char *key;

	close_rows(w);
	if (w->part == PART_STATS || w->part == PART_CHARTS)
		fputs("</section>\n", f);
	w->part = PART_EVIDENCE;
	fputs("<section class=\"evidence\" aria-label=\"Evidence\">\n"
	      "<h2>Evidence</h2>\n<h3>Provenance</h3>\n",
	      f);
	if (json_is_object(prov)) {
		fputs("<dl class=\"meta\">\n", f);
		json_object_foreach((json_t *)prov, key, v)
		{
			fputs("<div><dt>", f);
			sfa_html_escape(f, key);
			fputs("</dt>", f);
			cell(f, "dd", v);
			fputs("</div>\n", f);
		}
		fputs("</dl>\n", f);
	} else {
		fputs("<p>This snapshot was taken before sfaccess recorded "
		      "provenance.</p>\n",
		      f);
	}
	fputs("<h3>Population reconciliation</h3>\n", f);
	evidence_table(f,
		       "Users in the org by IsActive and UserType, and how "
		       "many the snapshot holds",
		       json_object_get(ev, "reconciliation"), recon, 5);
	fputs("<h3>Control totals</h3>\n", f);
	evidence_table(f,
		       "Per object read: Salesforce's count, records "
		       "received and stored",
		       json_object_get(ev, "control_totals"), control, 10);
	fputs("<h3>Drift</h3>\n", f);
	if (json_array_size(json_object_get(ev, "drift")) == 0)
		fputs("<p>No count moved between the scans and the recount."
		      "</p>\n",
		      f);
	else
		evidence_table(f, "Counts that moved while the org was read",
			       json_object_get(ev, "drift"), drift, 3);
	fputs("</section>\n", f);
	return ferror(f) ? io_error(err) : 0;
}
