/*
 * test_soql.c - SOQL string literals: every escape SOQL defines, and the
 * injection a user-supplied value could attempt.
 */
#include <check.h>
#include <stdlib.h>

#include "soql.h"

static void expect_quoted(const char *in, const char *want)
{
	char *q = sfa_soql_quote(in);

	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q, want);
	free(q);
}

START_TEST(test_soql_quote_plain_value)
{
	expect_quoted("jdoe@acme.example", "'jdoe@acme.example'");
	expect_quoted("", "''");
	expect_quoted("Zoë Ünïcode", "'Zoë Ünïcode'");
}
END_TEST

START_TEST(test_soql_quote_escapes_quotes_and_backslash)
{
	expect_quoted("O'Brien", "'O\\'Brien'");
	expect_quoted("say \"hi\"", "'say \\\"hi\\\"'");
	expect_quoted("a\\b", "'a\\\\b'");
	expect_quoted("\\'", "'\\\\\\''");
}
END_TEST

START_TEST(test_soql_quote_escapes_control_characters)
{
	expect_quoted("a\nb\rc\td\be\ff", "'a\\nb\\rc\\td\\be\\ff'");
}
END_TEST

START_TEST(test_soql_quote_keeps_injection_inside_the_literal)
{
	expect_quoted("x' OR Name != '", "'x\\' OR Name != \\''");
	expect_quoted("x\\' OR Id != null OR Name = '",
		      "'x\\\\\\' OR Id != null OR Name = \\''");
}
END_TEST

START_TEST(test_soql_quote_null_is_empty_literal)
{
	expect_quoted(NULL, "''");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("soql");
	TCase *tc = tcase_create("quote");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_soql_quote_plain_value);
	tcase_add_test(tc, test_soql_quote_escapes_quotes_and_backslash);
	tcase_add_test(tc, test_soql_quote_escapes_control_characters);
	tcase_add_test(tc, test_soql_quote_keeps_injection_inside_the_literal);
	tcase_add_test(tc, test_soql_quote_null_is_empty_literal);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
