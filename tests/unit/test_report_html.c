/*
 * test_report_html.c - the HTML writer keeps hostile values inert: exact
 * escapes for text and for JSON inside a <script> data block, exactly two
 * scripts per page, and a CSP whose hashes match the inline blocks.
 *
 * Run as `test_report_html --write-page FILE ROWS`, it writes a synthetic
 * page (no store needed) for the browser test: ROWS rows, four per user,
 * user 0 with hostile values.
 */
#include <check.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

/* The output of fn(f, s) as a string (caller frees). */
static char *capture(int (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fn(f, s), 0);
	fclose(f);
	return buf;
}

static void expect_html(const char *in, const char *want)
{
	char *got = capture(sfa_html_escape, in);

	ck_assert_str_eq(got, want);
	free(got);
}

static void expect_json(const char *in, const char *want)
{
	char *got = capture(sfa_html_json_string, in);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_html_escape_turns_markup_into_text)
{
	expect_html("<img src=x onerror=alert(1)>",
		    "&lt;img src=x onerror=alert(1)&gt;");
	expect_html("<script>alert(\"x\")</script>",
		    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	expect_html("O'Brien & \"Sons\"", "O&#39;Brien &amp; &quot;Sons&quot;");
	/* A formula is harmless in HTML: it is shown as written. */
	expect_html(
	    "=HYPERLINK(\"http://evil.example\",\"x\")",
	    "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)");
	expect_html("caf\xC3\xA9 \xE2\x80\xA8", "caf\xC3\xA9 \xE2\x80\xA8");
}
END_TEST

START_TEST(test_html_escape_replaces_controls_and_bad_utf8)
{
	expect_html("a\x01"
		    "b\xFF"
		    "c\xC0\xAF"
		    "d\tn\n",
		    "a\xEF\xBF\xBD"
		    "b\xEF\xBF\xBD"
		    "c\xEF\xBF\xBD\xEF\xBF\xBD"
		    "d\tn\n");
	expect_html(NULL, "");
}
END_TEST

START_TEST(test_json_string_cannot_close_the_script_block)
{
	expect_json("</script><script>alert(1)</script>",
		    "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"
		    "\\u003c/script\\u003e\"");
	expect_json("<!-- x -->", "\"\\u003c!-- x --\\u003e\"");
	expect_json("a&amp;b", "\"a\\u0026amp;b\"");
	expect_json("line\xE2\x80\xA8sep\xE2\x80\xA9",
		    "\"line\\u2028sep\\u2029\"");
	expect_json("\"q\" \\ /", "\"\\\"q\\\" \\\\ /\"");
	expect_json("=HYPERLINK(\"x\")", "\"=HYPERLINK(\\\"x\\\")\"");
	expect_json("t\tn\nr\r\x01\x7F", "\"t\\tn\\nr\\r\\u0001\\u007f\"");
	expect_json("bad\xFF", "\"bad\\ufffd\"");
	expect_json("", "\"\"");
}
END_TEST

static const sfa_html_column cols[] = {
    {"username", "Username", SFA_HTML_TEXT},
    {"name", "Name", SFA_HTML_TEXT},
    {"status", "Status", SFA_HTML_SELECT},
    {"access_type", "Access type", SFA_HTML_SELECT},
    {"access_name", "Access", SFA_HTML_TEXT},
    {"assigned_at", "Assigned", SFA_HTML_MONO},
    {"flags", "Review flags", SFA_HTML_TAGS},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

static const char hostile_user[] = "<img src=x onerror=alert(1)>";
static const char hostile_name[] =
    "</script><script>window.__pwned=1</script>\xE2\x80\xA8\"'&";

/* Writes a synthetic page of nrows rows, four per user, to f. */
static int write_page(FILE *f, long nrows, sfa_err *err)
{
	static const char *const types[] = {"profile", "permission_set",
					    "group", "role"};
	static const sfa_html_meta meta[] = {
	    {"Org", "00D000000000001AAA"},
	    {"Snapshot", "<b>7</b>"},
	};
	const sfa_html_page page = {"Access review <synthetic>",
				    "Synthetic rows for the browser test",
				    meta,
				    2,
				    cols,
				    NCOLS,
				    "access rows"};
	long long values[4];
	sfa_html *w;
	long i;
	int rc;

	if ((rc = sfa_html_begin(&w, f, &page, err)))
		return rc;
	for (i = 0; i < nrows && rc == 0; i++) {
		char user[48], name[48], access[48], when[32];
		long u = i / 4;
		const char *cells[NCOLS];

		snprintf(user, sizeof(user), "user%05ld@example.com", u);
		snprintf(name, sizeof(name), "User %05ld", u);
		snprintf(access, sizeof(access), "%s %ld", types[i % 4],
			 u % 97);
		snprintf(when, sizeof(when), "2026-%02ld-%02ldT10:00:00Z",
			 1 + u % 12, 1 + u % 28);
		cells[0] = u ? user : hostile_user;
		cells[1] = u ? name : hostile_name;
		cells[2] = u % 10 ? "active" : "inactive";
		cells[3] = types[i % 4];
		cells[4] = access;
		cells[5] = when;
		cells[6] = i % 4 == 1 && u % 5 == 0 ? "privileged expired" : "";
		rc = sfa_html_row(w, cells, err);
	}
	for (i = 0; i < 4; i++)
		values[i] = nrows / 4;
	if (rc == 0)
		rc =
		    sfa_html_stat(w, "Users", (nrows + 3) / 4, NULL, NULL, err);
	if (rc == 0)
		rc = sfa_html_stat(w, "Expired <assignments>", nrows / 20,
				   "bad", "note & more", err);
	if (rc == 0) {
		const char *series[] = {"access rows"};
		const char *labels[] = {"profile", "<svg onload=alert(1)>",
					"group", "role"};
		sfa_html_chart_def c = {
		    "Access rows by type", series, 1, labels, 4, values};

		rc = sfa_html_chart(w, &c, err);
	}
	if (rc) {
		sfa_html_free(w);
		return rc;
	}
	return sfa_html_end(w, NULL, err);
}

static char *page_text(long nrows)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(write_page(f, nrows, &err), 0);
	fclose(f);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

START_TEST(test_page_holds_exactly_two_scripts)
{
	char *html = page_text(12);

	ck_assert_int_eq(count(html, "<script"), 2);
	ck_assert_int_eq(count(html, "</script>"), 2);
	ck_assert_int_eq(count(html, "<img"), 0);
	ck_assert_int_eq(count(html, "<svg onload"), 0);
	ck_assert_ptr_nonnull(strstr(html, "&lt;svg onload=alert(1)&gt;"));
	ck_assert_ptr_nonnull(
	    strstr(html, "<h1>Access review &lt;synthetic&gt;</h1>"));
	ck_assert_ptr_nonnull(strstr(html, "<dd>&lt;b&gt;7&lt;/b&gt;</dd>"));
	ck_assert_ptr_nonnull(strstr(html, "Expired &lt;assignments&gt;"));
	/* No fetch of any kind: no src or href attribute at all. */
	ck_assert_int_eq(count(html, "src=\""), 0);
	ck_assert_int_eq(count(html, "href=\""), 0);
	free(html);
}
END_TEST

START_TEST(test_page_repeats_cells_with_a_zero)
{
	char *html = page_text(2);

	/* Row 2 is user 0 again: username, name and status repeat. */
	ck_assert_ptr_nonnull(strstr(html, "\n[0,0,0,\"permission_set\","));
	free(html);
}
END_TEST

/* The "sha256-..." of the bytes between open and close. */
static void hash_of(const char *from, const char *to, char *out)
{
	unsigned char md[32];
	unsigned int n = 0;

	ck_assert(
	    EVP_Digest(from, (size_t)(to - from), md, &n, EVP_sha256(), NULL));
	strcpy(out, "sha256-");
	EVP_EncodeBlock((unsigned char *)out + 7, md, (int)n);
}

START_TEST(test_csp_hashes_match_the_inline_blocks)
{
	char *html = page_text(4), want[128];
	const char *csp = strstr(html, "Content-Security-Policy"), *a, *b;

	ck_assert_ptr_nonnull(csp);
	ck_assert_ptr_nonnull(strstr(csp, "default-src 'none';"));
	a = strstr(html, "<style>") + 7;
	b = strstr(a, "</style>");
	hash_of(a, b, want);
	ck_assert_ptr_nonnull(strstr(csp, want));
	a = strstr(html, "<script>") + 8; /* the app; data has a type */
	b = strstr(a, "</script>");
	hash_of(a, b, want);
	ck_assert_ptr_nonnull(strstr(csp, want));
	ck_assert_ptr_null(strstr(html, "unsafe-inline"));
	free(html);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_html_escape_turns_markup_into_text);
	tcase_add_test(tc, test_html_escape_replaces_controls_and_bad_utf8);
	tcase_add_test(tc, test_json_string_cannot_close_the_script_block);
	tcase_add_test(tc, test_page_holds_exactly_two_scripts);
	tcase_add_test(tc, test_page_repeats_cells_with_a_zero);
	tcase_add_test(tc, test_csp_hashes_match_the_inline_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 4 && strcmp(argv[1], "--write-page") == 0) {
		FILE *f = fopen(argv[2], "wb");
		sfa_err err;
		int rc;

		sfa_err_clear(&err);
		if (!f) {
			perror(argv[2]);
			return 1;
		}
		rc = write_page(f, atol(argv[3]), &err);
		if (fclose(f) != 0 || rc) {
			fprintf(stderr, "write-page: %s\n", err.msg);
			return 1;
		}
		return 0;
	}
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
