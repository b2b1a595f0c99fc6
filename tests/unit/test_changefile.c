/*
 * test_changefile.c - the change file of lib/apply/CHANGEFILE.md: rows,
 * comments, quoted fields across lines, Key=Value fields, every problem
 * reported with its line, the file's SHA-256, and the writer plan uses.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changefile.h"

#define FIXTURE(name) SFA_SOURCE_DIR "/fixtures/changes/" name

static sfa_changefile *load_ok(const char *path)
{
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_changefile_load(&cf, path, &probs, &err), 0);
	if (probs.n)
		ck_abort_msg("line %ld: %s", probs.v[0].line, probs.v[0].msg);
	sfa_problems_free(&probs);
	return cf;
}

START_TEST(test_changefile_reads_the_example_of_the_spec)
{
	sfa_changefile *cf = load_ok(FIXTURE("spec-example.csv"));
	const sfa_change *c;

	ck_assert_uint_eq(cf->n, 10);
	c = &cf->rows[0];
	ck_assert_int_eq(c->line, 2);
	ck_assert_int_eq(c->op, SFA_OP_GRANT);
	ck_assert_int_eq(c->rtype, SFA_RT_PERMISSION_SET);
	ck_assert_str_eq(c->resource, "Sales_Ops");
	ck_assert_str_eq(c->user, "jdoe@acme.example");
	ck_assert_str_eq(c->comment, "approved in Q4 review");
	ck_assert_int_eq(cf->rows[1].op, SFA_OP_REVOKE);
	ck_assert_int_eq(cf->rows[1].rtype, SFA_RT_GROUP);
	ck_assert_str_eq(cf->rows[6].resource, "Standard User");
	c = &cf->rows[8];
	ck_assert_int_eq(c->line, 10);
	ck_assert_int_eq(c->op, SFA_OP_CREATE_USER);
	ck_assert_int_eq(c->rtype, SFA_RT_USER);
	ck_assert_uint_eq(c->nkv, 6);
	ck_assert_str_eq(sfa_change_field(c, "Profile"), "Standard User");
	ck_assert_str_eq(sfa_change_field(c, "TimeZoneSidKey"),
			 "America/New_York");
	c = &cf->rows[9];
	ck_assert_int_eq(c->op, SFA_OP_SET_STATUS);
	ck_assert_str_eq(sfa_change_field(c, "IsActive"), "false");
	ck_assert_uint_eq(strlen(cf->sha256), 64);
	sfa_changefile_free(cf);
}
END_TEST

START_TEST(test_changefile_comment_inside_quotes_is_data_and_lines_count)
{
	sfa_changefile *cf = load_ok(FIXTURE("comments-and-quotes.csv"));
	const sfa_change *c;

	ck_assert_uint_eq(cf->n, 2);
	ck_assert_int_eq(cf->rows[0].line, 4);
	ck_assert_str_eq(cf->rows[0].comment,
			 "two\r\n# not a comment: inside quotes\r\nlines");
	c = &cf->rows[1];
	ck_assert_int_eq(c->line, 8);
	ck_assert_str_eq(sfa_change_field(c, "Department"), "R&D; Ops");
	ck_assert_str_eq(sfa_change_field(c, "Title"), "x=y");
	ck_assert_str_eq(sfa_change_field(c, "TimeZoneSidKey"), "Europe/Oslo");
	sfa_changefile_free(cf);
}
END_TEST

START_TEST(test_changefile_reports_every_problem_with_its_line)
{
	static const struct {
		long line;
		const char *has;
	} want[] = {
	    {2, "unknown op `promote`"},
	    {3, "connected apps are not provisioned"},
	    {4, "grant does not take resource_type user"},
	    {5, "the resource is empty"},
	    {6, "the user is empty"},
	    {7, "fields need TimeZoneSidKey"},
	    {7, "Alias `waytoolongalias` is longer than 8"},
	    {7, "must have the form of an email address"},
	    {8, "IsActive=true or IsActive=false"},
	    {10, "the same operation as line 9"},
	    {11, "grant group takes no fields"},
	    {12, "the value of LastName holds ="},
	    {13, "4 cells where the header has 6"},
	    {14, "never closed"},
	};
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;
	size_t i;

	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_changefile_load(&cf, FIXTURE("problems.csv"), &probs, &err), 0);
	sfa_problems_sort(&probs);
	for (i = 0; i < probs.n && i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_int_eq(probs.v[i].line, want[i].line);
		ck_assert_msg(strstr(probs.v[i].msg, want[i].has),
			      "line %ld: `%s` lacks `%s`", probs.v[i].line,
			      probs.v[i].msg, want[i].has);
	}
	ck_assert_uint_eq(probs.n, sizeof(want) / sizeof(want[0]));
	/* Only the good row is kept. */
	ck_assert_uint_eq(cf->n, 1);
	ck_assert_int_eq(cf->rows[0].line, 9);
	sfa_problems_free(&probs);
	sfa_changefile_free(cf);
}
END_TEST

START_TEST(test_changefile_without_header_is_a_problem)
{
	static const char text[] =
	    "grant,permission_set,Sales_Ops,jdoe@acme.example,,\n";
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_changefile_parse(&cf, "x.csv", text,
					      sizeof(text) - 1, &probs, &err),
			 0);
	ck_assert_uint_ge(probs.n, 1);
	ck_assert_int_eq(probs.v[0].line, 1);
	ck_assert_ptr_nonnull(strstr(probs.v[0].msg, "header"));
	ck_assert_uint_eq(cf->n, 0);
	sfa_problems_free(&probs);
	sfa_changefile_free(cf);
}
END_TEST

/* A spreadsheet's habits: a European Excel separates with `;` (quoting
 * the cells that hold one), writes a blank row as empty cells, and its
 * plain "CSV" is in a local code page. */
START_TEST(test_changefile_reads_semicolons_and_skips_blank_rows)
{
	static const char text[] =
	    "# saved by a spreadsheet\r\n"
	    "op;resource_type;resource;user;fields;comment\r\n"
	    ";;;;;\r\n"
	    "grant;permission_set;\"Sales Ops, EMEA\";jdoe@acme.example;;\r\n"
	    " ; ;;;;\r\n"
	    "create_user;user;;n@acme.example;\"LastName=N;Email=n@acme."
	    "example;Alias=n;Profile=Standard User;TimeZoneSidKey=UTC\";\r\n";
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_changefile_parse(&cf, "x.csv", text,
					      sizeof(text) - 1, &probs, &err),
			 0);
	if (probs.n)
		ck_abort_msg("line %ld: %s", probs.v[0].line, probs.v[0].msg);
	ck_assert_uint_eq(cf->n, 2);
	ck_assert_int_eq(cf->rows[0].line, 4);
	ck_assert_str_eq(cf->rows[0].resource, "Sales Ops, EMEA");
	ck_assert_int_eq(cf->rows[1].line, 6);
	ck_assert_str_eq(sfa_change_field(&cf->rows[1], "Profile"),
			 "Standard User");
	sfa_changefile_free(cf);
}
END_TEST

START_TEST(test_changefile_not_utf8_is_one_problem)
{
	static const char text[] =
	    "op,resource_type,resource,user,fields,comment\n"
	    "grant,permission_set,Sales_Ops,jdoe@acme.example,,ok\n"
	    "grant,permission_set,Sales_Ops,jdoe@acme.example,,R\xe9vision\n"
	    "grant,permission_set,\"broken,jdoe@acme.example,,\xe9\n";
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_changefile_parse(&cf, "x.csv", text,
					      sizeof(text) - 1, &probs, &err),
			 0);
	ck_assert_uint_eq(probs.n, 1);
	ck_assert_int_eq(probs.v[0].line, 3);
	ck_assert_ptr_nonnull(strstr(probs.v[0].msg, "CSV UTF-8"));
	ck_assert_uint_eq(cf->n, 0);
	sfa_problems_free(&probs);
	sfa_changefile_free(cf);
}
END_TEST

START_TEST(test_changefile_sha256_is_of_the_bytes)
{
	static const char text[] = "op,resource_type,resource,user,fields,"
				   "comment\n";
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_changefile_parse(&cf, "x.csv", text,
					      sizeof(text) - 1, &probs, &err),
			 0);
	ck_assert_uint_eq(probs.n, 0);
	/* printf 'op,resource_type,resource,user,fields,comment\n' |
	 * sha256sum */
	ck_assert_str_eq(cf->sha256, "456d4e6c77f9b9e7b72b06a6ffa7b63d"
				     "fc2187710205f851ea9b0d1baa867757");
	sfa_changefile_free(cf);
}
END_TEST

START_TEST(test_fields_quoted_values_hold_semicolons_and_equals)
{
	sfa_kv *kv;
	size_t n;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_fields_parse("A=1; B = \"x;y=z\" ;C=\"say "
					  "\"\"hi\"\"\";",
					  &kv, &n, &err),
			 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(kv[0].key, "A");
	ck_assert_str_eq(kv[0].value, "1");
	ck_assert_str_eq(kv[1].key, "B");
	ck_assert_str_eq(kv[1].value, "x;y=z");
	ck_assert_str_eq(kv[2].value, "say \"hi\"");
	sfa_kv_free(kv, n);
	ck_assert_int_eq(sfa_fields_parse("A=\"open", &kv, &n, &err),
			 SFA_EINPUT);
	ck_assert_int_eq(sfa_fields_parse("A=1;A=2", &kv, &n, &err),
			 SFA_EINPUT);
	ck_assert_int_eq(sfa_fields_parse("justtext", &kv, &n, &err),
			 SFA_EINPUT);
}
END_TEST

START_TEST(test_changefile_writer_output_reads_back)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	sfa_changefile_writer *w;
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_changefile_writer_new(&w, f, &err), 0);
	ck_assert_int_eq(sfa_changefile_comment(w, "plan of\nreview.csv", &err),
			 0);
	ck_assert_int_eq(
	    sfa_changefile_write(w, SFA_OP_REVOKE, SFA_RT_PERMISSION_SET,
				 "0PS5g00000pS011GAC", "0055g00000Dm006AAB",
				 NULL, "-review line 7, \"Zoë\"", &err),
	    0);
	ck_assert_int_eq(sfa_changefile_rows(w), 1);
	sfa_changefile_writer_free(w);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "# plan of review.csv\r\n"));
	ck_assert_int_eq(
	    sfa_changefile_parse(&cf, "mem", buf, len, &probs, &err), 0);
	ck_assert_uint_eq(probs.n, 0);
	ck_assert_uint_eq(cf->n, 1);
	ck_assert_int_eq(cf->rows[0].line, 3);
	ck_assert_str_eq(cf->rows[0].comment, "-review line 7, \"Zoë\"");
	sfa_changefile_free(cf);
	free(buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("changefile");
	TCase *tc = tcase_create("changefile");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_changefile_reads_the_example_of_the_spec);
	tcase_add_test(
	    tc, test_changefile_comment_inside_quotes_is_data_and_lines_count);
	tcase_add_test(tc, test_changefile_reports_every_problem_with_its_line);
	tcase_add_test(tc, test_changefile_without_header_is_a_problem);
	tcase_add_test(tc, test_changefile_sha256_is_of_the_bytes);
	tcase_add_test(tc,
		       test_changefile_reads_semicolons_and_skips_blank_rows);
	tcase_add_test(tc, test_changefile_not_utf8_is_one_problem);
	tcase_add_test(tc,
		       test_fields_quoted_values_hold_semicolons_and_equals);
	tcase_add_test(tc, test_changefile_writer_output_reads_back);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
