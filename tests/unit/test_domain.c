/*
 * test_domain.c - every --domain form (lib/salesforce/SALESFORCE-API.md
 * §3.5), and the hostile values that must never become an API host.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

static void expect_url(const char *input, const char *want)
{
	sfa_err err;
	char *url = NULL;
	int rc;

	sfa_err_clear(&err);
	rc = sfa_domain_normalize(input, &url, &err);
	ck_assert_msg(rc == 0, "\"%s\" refused: %s", input, err.msg);
	ck_assert_str_eq(url, want);
	free(url);
}

static void expect_refused(const char *input)
{
	sfa_err err;
	char *url = NULL;
	int rc;

	sfa_err_clear(&err);
	rc = sfa_domain_normalize(input, &url, &err);
	ck_assert_msg(rc == SFA_EINPUT, "\"%s\" accepted as %s", input,
		      url ? url : "(null)");
	ck_assert_int_eq(err.code, SFA_EINPUT);
	ck_assert_ptr_null(url);
	ck_assert_str_eq(err.where, "--domain");
	ck_assert_msg(strstr(err.msg, "--domain \"") != NULL, "%s", err.msg);
}

START_TEST(test_domain_keeps_my_domain_hosts)
{
	expect_url("acme.my.salesforce.com", "https://acme.my.salesforce.com");
	expect_url("acme--uat.sandbox.my.salesforce.com",
		   "https://acme--uat.sandbox.my.salesforce.com");
	expect_url("acme-dev-ed.develop.my.salesforce.com",
		   "https://acme-dev-ed.develop.my.salesforce.com");
	expect_url("acme.scratch.my.salesforce.com",
		   "https://acme.scratch.my.salesforce.com");
	expect_url("acme--uat.my.salesforce.com",
		   "https://acme--uat.my.salesforce.com");
}
END_TEST

START_TEST(test_domain_keeps_generic_login_hosts)
{
	expect_url("login.salesforce.com", "https://login.salesforce.com");
	expect_url("test.salesforce.com", "https://test.salesforce.com");
	expect_url("https://test.salesforce.com/",
		   "https://test.salesforce.com");
}
END_TEST

START_TEST(test_domain_maps_lightning_to_my_domain)
{
	expect_url("acme.lightning.force.com",
		   "https://acme.my.salesforce.com");
	expect_url("acme-dev-ed.develop.lightning.force.com",
		   "https://acme-dev-ed.develop.my.salesforce.com");
	expect_url("acme--uat.sandbox.lightning.force.com",
		   "https://acme--uat.sandbox.my.salesforce.com");
	expect_url("https://acme.lightning.force.com/lightning/setup/"
		   "ManageUsers/home?x=1#frag",
		   "https://acme.my.salesforce.com");
	expect_url("acme.my.salesforce-setup.com/lightning/setup/Home",
		   "https://acme.my.salesforce.com");
}
END_TEST

START_TEST(test_domain_drops_scheme_path_case_and_trailing_dots)
{
	expect_url("https://acme.my.salesforce.com",
		   "https://acme.my.salesforce.com");
	expect_url("HTTPS://ACME.My.SalesForce.COM/",
		   "https://acme.my.salesforce.com");
	expect_url("  acme.my.salesforce.com/home/home.jsp  ",
		   "https://acme.my.salesforce.com");
	expect_url("acme.my.salesforce.com.", "https://acme.my.salesforce.com");
	expect_url("https://acme.my.salesforce.com.//",
		   "https://acme.my.salesforce.com");
	expect_url("acme.my.salesforce.com?startURL=%2Fhome",
		   "https://acme.my.salesforce.com");
	expect_url("https://acme.my.salesforce.com:443/",
		   "https://acme.my.salesforce.com");
}
END_TEST

START_TEST(test_domain_allows_http_only_to_the_loopback_emulator)
{
	expect_url("http://127.0.0.1:8080", "http://127.0.0.1:8080");
	expect_url("http://localhost:41234/", "http://localhost:41234");
	expect_url("HTTP://LOCALHOST:5/services", "http://localhost:5");
	expect_url("http://[::1]:9000", "http://[::1]:9000");
	expect_url("127.0.0.1:8080", "http://127.0.0.1:8080");
	expect_refused("http://127.0.0.1");
	expect_refused("http://localhost:0");
	expect_refused("http://localhost:65536");
	expect_refused("https://127.0.0.1:8443");
	expect_refused("http://acme.my.salesforce.com");
	expect_refused("http://login.salesforce.com/");
	expect_refused("http://10.0.0.1:8080");
	expect_refused("http://127.0.0.2:8080");
}
END_TEST

START_TEST(test_domain_refuses_hosts_outside_salesforce)
{
	expect_refused("evil.com");
	expect_refused("https://evil.com/acme.my.salesforce.com");
	expect_refused("acme.my.salesforce.com.evil.com");
	expect_refused("acme.lightning.force.com.evil.com/");
	expect_refused("evilmy.salesforce.com");
	expect_refused("acme.evilmy.salesforce.com");
	expect_refused("my.salesforce.com");
	expect_refused(".my.salesforce.com");
	expect_refused("lightning.force.com");
	expect_refused("salesforce.com");
	expect_refused("www.salesforce.com");
	expect_refused("na1.salesforce.com");
	expect_refused("a.b.my.salesforce.com");
	expect_refused("acme.evil.my.salesforce.com");
	expect_refused("-acme.my.salesforce.com");
	expect_refused("acme..my.salesforce.com");
}
END_TEST

START_TEST(test_domain_refuses_userinfo_ports_and_escapes)
{
	expect_refused("salesforce.com@evil.com");
	expect_refused("https://acme.my.salesforce.com@evil.com/");
	expect_refused("https://user:pw@acme.my.salesforce.com/");
	expect_refused("https://evil.com\\@acme.my.salesforce.com");
	expect_refused("https://evil.com\\.acme.my.salesforce.com");
	expect_refused("acme.my.salesforce.com:8443");
	expect_refused("acme.my.salesforce.com:");
	expect_refused("acme.my.salesforce.com:443x");
	expect_refused("acme%2emy.salesforce.com");
	expect_refused("acme.my.salesforce.com%00.evil.com");
	expect_refused("acme_x.my.salesforce.com");
	expect_refused("ftp://acme.my.salesforce.com");
	expect_refused("javascript://acme.my.salesforce.com");
	expect_refused("file:///etc/passwd");
	expect_refused("ácme.my.salesforce.com");
	expect_refused("acme.my.salesforce.com\r\nHost: evil.com");
}
END_TEST

START_TEST(test_domain_refuses_empty_values)
{
	expect_refused("");
	expect_refused("   ");
	expect_refused("https://");
	expect_refused("https:///path");
	expect_refused("/");
}
END_TEST

START_TEST(test_domain_error_message_names_the_value)
{
	sfa_err err;
	char *url = NULL;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_domain_normalize("evil.com", &url, &err),
			 SFA_EINPUT);
	ck_assert_msg(strstr(err.msg, "\"evil.com\"") != NULL, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "not a Salesforce host") != NULL, "%s",
		      err.msg);
}
END_TEST

START_TEST(test_domain_error_message_hides_control_characters)
{
	sfa_err err;
	char *url = NULL;

	sfa_err_clear(&err);
	sfa_domain_normalize("evil.com\x1b[2J", &url, &err);
	ck_assert_ptr_null(strchr(err.msg, '\x1b'));
}
END_TEST

START_TEST(test_domain_is_loopback)
{
	ck_assert_int_eq(sfa_domain_is_loopback("http://127.0.0.1:8080"), 1);
	ck_assert_int_eq(sfa_domain_is_loopback("http://localhost:1"), 1);
	ck_assert_int_eq(sfa_domain_is_loopback("http://[::1]:1"), 1);
	ck_assert_int_eq(
	    sfa_domain_is_loopback("https://acme.my.salesforce.com"), 0);
	ck_assert_int_eq(sfa_domain_is_loopback("http://127.0.0.1.evil.com"),
			 0);
	ck_assert_int_eq(sfa_domain_is_loopback(NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("domain");
	TCase *tc = tcase_create("normalize");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_domain_keeps_my_domain_hosts);
	tcase_add_test(tc, test_domain_keeps_generic_login_hosts);
	tcase_add_test(tc, test_domain_maps_lightning_to_my_domain);
	tcase_add_test(tc,
		       test_domain_drops_scheme_path_case_and_trailing_dots);
	tcase_add_test(tc,
		       test_domain_allows_http_only_to_the_loopback_emulator);
	tcase_add_test(tc, test_domain_refuses_hosts_outside_salesforce);
	tcase_add_test(tc, test_domain_refuses_userinfo_ports_and_escapes);
	tcase_add_test(tc, test_domain_refuses_empty_values);
	tcase_add_test(tc, test_domain_error_message_names_the_value);
	tcase_add_test(tc, test_domain_error_message_hides_control_characters);
	tcase_add_test(tc, test_domain_is_loopback);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
