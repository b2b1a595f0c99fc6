/*
 * test_urlenc.c - the one percent-encoder: the strict form of OAuth
 * bodies and the query form of SOQL, byte for byte, and that the length
 * it promises is the length it writes.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "urlenc.h"

static void expect(const char *in, unsigned flags, const char *want)
{
	char *out = malloc(sfa_urlenc_len(in, flags) + 1);
	sfa_buf b = {0};

	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(sfa_urlenc_len(in, flags), strlen(want));
	ck_assert_ptr_eq(sfa_urlenc(out, in, flags), out + strlen(want));
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(sfa_urlenc_append(&b, in, flags), 0);
	ck_assert_str_eq(b.data, want);
	sfa_buf_free(&b);
	free(out);
}

START_TEST(test_unreserved_characters_stay)
{
	expect("AZaz09-._~", 0, "AZaz09-._~");
	expect("AZaz09-._~", SFA_URLENC_QUERY, "AZaz09-._~");
	expect("", 0, "");
}
END_TEST

START_TEST(test_strict_form_encodes_space_comma_and_reserved)
{
	expect("a b,c", 0, "a%20b%2Cc");
	expect("pw+/=&?#%", 0, "pw%2B%2F%3D%26%3F%23%25");
	expect("Zo\xc3\xab", 0, "Zo%C3%AB");
}
END_TEST

START_TEST(test_query_form_keeps_comma_and_writes_space_as_plus)
{
	expect("SELECT Id, Name FROM User WHERE Name = 'a+b'", SFA_URLENC_QUERY,
	       "SELECT+Id,+Name+FROM+User+WHERE+Name+%3D+%27a%2Bb%27");
	expect("\t\r\n", SFA_URLENC_QUERY, "%09%0D%0A");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("urlenc");
	TCase *tc = tcase_create("encode");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_unreserved_characters_stay);
	tcase_add_test(tc, test_strict_form_encodes_space_comma_and_reserved);
	tcase_add_test(tc,
		       test_query_form_keeps_comma_and_writes_space_as_plus);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
