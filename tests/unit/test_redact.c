/*
 * test_redact.c - secrets cut out of text before it can be logged, in
 * each shape they travel in: Bearer headers, forms and query strings,
 * JSON and SOAP XML.
 */
#include <check.h>
#include <stdlib.h>

#include "redact.h"

static void expect_redacted(const char *in, const char *want)
{
	char *out = sfa_redact(in);

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	free(out);
}

START_TEST(test_redact_bearer_token)
{
	expect_redacted("Authorization: Bearer 00D5e!AQ0AQ.x_y",
			"Authorization: Bearer [redacted]");
	expect_redacted("authorization: bearer abc, next",
			"authorization: bearer [redacted], next");
}
END_TEST

START_TEST(test_redact_form_and_query_values)
{
	expect_redacted("grant_type=refresh_token&refresh_token=5Aep861&"
			"client_id=abc&client_secret=XYZ",
			"grant_type=refresh_token&refresh_token=[redacted]&"
			"client_id=abc&client_secret=[redacted]");
	expect_redacted("/x?access_token=abc&PASSWORD=p%40ss",
			"/x?access_token=[redacted]&PASSWORD=[redacted]");
	expect_redacted("assertion=eyJ.a.b", "assertion=[redacted]");
}
END_TEST

START_TEST(test_redact_json_values)
{
	expect_redacted("{\"access_token\": \"00D!abc\\\"def\", \"id\":\"x\"}",
			"{\"access_token\": \"[redacted]\", \"id\":\"x\"}");
	expect_redacted("{\"refresh_token\":\"r\",\"instance_url\":\"u\"}",
			"{\"refresh_token\":\"[redacted]\",\"instance_url\":"
			"\"u\"}");
}
END_TEST

START_TEST(test_redact_xml_values)
{
	expect_redacted("<n1:password>p&amp;ss</n1:password>\n</n1:login>",
			"<n1:password>[redacted]</n1:password>\n</n1:login>");
	expect_redacted(
	    "<sessionId>00D!AQ</sessionId><userId>005</userId>",
	    "<sessionId>[redacted]</sessionId><userId>005</userId>");
}
END_TEST

START_TEST(test_redact_leaves_other_words_alone)
{
	expect_redacted("passwordExpired=false userId=005 token_type=Bearer",
			"passwordExpired=false userId=005 token_type=Bearer");
	expect_redacted("SELECT Id FROM User WHERE Name = 'password'",
			"SELECT Id FROM User WHERE Name = 'password'");
	expect_redacted("", "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("redact");
	TCase *tc = tcase_create("redact");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_redact_bearer_token);
	tcase_add_test(tc, test_redact_form_and_query_values);
	tcase_add_test(tc, test_redact_json_values);
	tcase_add_test(tc, test_redact_xml_values);
	tcase_add_test(tc, test_redact_leaves_other_words_alone);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
