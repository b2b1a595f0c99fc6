/*
 * test_config.c - the INI configuration file: sections, quoting, the last
 * assignment winning, and errors that name file:line.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static sfa_config *parse(const char *text)
{
	sfa_config *cfg = NULL;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_config_parse(&cfg, text, strlen(text), "t.conf", &err), 0);
	return cfg;
}

START_TEST(test_config_reads_sections_keys_and_quoted_values)
{
	sfa_config *cfg = parse(
	    "# comment\n[connection]\n  domain = acme.my.salesforce.com  \n"
	    "; other comment\nusername=\"svc user@acme.example\"\n\n"
	    "[license_profiles]\nSalesforce = Minimum Access - Salesforce\r\n");

	ck_assert_str_eq(sfa_config_get(cfg, "connection", "domain"),
			 "acme.my.salesforce.com");
	ck_assert_str_eq(sfa_config_get(cfg, "connection", "username"),
			 "svc user@acme.example");
	ck_assert_str_eq(sfa_config_get(cfg, "license_profiles", "Salesforce"),
			 "Minimum Access - Salesforce");
	ck_assert_ptr_null(sfa_config_get(cfg, "connection", "missing"));
	ck_assert_ptr_null(sfa_config_get(cfg, "sync", "domain"));
	sfa_config_free(cfg);
}
END_TEST

START_TEST(test_config_last_assignment_wins)
{
	sfa_config *cfg = parse("[sync]\na = 1\na = 2\n");

	ck_assert_str_eq(sfa_config_get(cfg, "sync", "a"), "2");
	sfa_config_free(cfg);
}
END_TEST

static int collect(void *ud, const char *key, const char *value)
{
	char *out = ud;

	strcat(out, key);
	strcat(out, "=");
	strcat(out, value);
	strcat(out, ";");
	return 0;
}

START_TEST(test_config_each_lists_a_section_in_file_order)
{
	sfa_config *cfg = parse("[license_profiles]\nB = b\n[sync]\nx = "
				"y\n[license_profiles]\nA = a\n");
	char out[128] = "";

	ck_assert_int_eq(sfa_config_each(cfg, "license_profiles", collect, out),
			 0);
	ck_assert_str_eq(out, "B=b;A=a;");
	sfa_config_free(cfg);
}
END_TEST

static void expect_error_n(const char *text, size_t len, const char *where,
			   const char *msg_part)
{
	sfa_config *cfg = NULL;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_config_parse(&cfg, text, len, "t.conf", &err),
			 SFA_EINPUT);
	ck_assert_ptr_null(cfg);
	ck_assert_str_eq(err.where, where);
	ck_assert_msg(strstr(err.msg, msg_part), "message was: %s", err.msg);
}

static void expect_error(const char *text, const char *where,
			 const char *msg_part)
{
	expect_error_n(text, strlen(text), where, msg_part);
}

START_TEST(test_config_errors_name_file_and_line)
{
	expect_error("[sync]\nno equals sign\n", "t.conf:2",
		     "expected `key = value`");
	expect_error("key = before section\n", "t.conf:1",
		     "before any [section]");
	expect_error("[sync\n", "t.conf:1", "malformed section header");
	expect_error("[sync] extra\n", "t.conf:1", "malformed section header");
	expect_error("[sync]# a comment\n[]\n", "t.conf:2",
		     "malformed section header");
	expect_error("[ ]\n", "t.conf:1", "malformed section header");
	expect_error("[sync]\n= value\n", "t.conf:2", "expected `key = value`");
	{
		static const char nul[] = "[sync]\na = 1\nb\0c = 2\n";

		expect_error_n(nul, sizeof(nul) - 1, "t.conf:3", "NUL byte");
	}
}
END_TEST


/* A `#` or `;` after whitespace starts a comment; inside quotes, or glued
 * to the value, it is part of the value. */
START_TEST(test_config_inline_comments)
{
	sfa_config *cfg = parse("[connection]\ndomain = acme.my.salesforce.com ; prod\n"
				"username = \"a ; b # c\"   # quoted\n"
				"client_id = abc#def\n"
				"jwt_key = ;only a comment\n"
				"[sync]   ; the sync's options\nsync_connected_apps = true\t# on\n");

	ck_assert_str_eq(sfa_config_get(cfg, "connection", "domain"),
			 "acme.my.salesforce.com");
	ck_assert_str_eq(sfa_config_get(cfg, "connection", "username"),
			 "a ; b # c");
	ck_assert_str_eq(sfa_config_get(cfg, "connection", "client_id"),
			 "abc#def");
	ck_assert_str_eq(sfa_config_get(cfg, "connection", "jwt_key"), "");
	ck_assert_str_eq(sfa_config_get(cfg, "sync", "sync_connected_apps"),
			 "true");
	ck_assert_int_eq(sfa_config_line(cfg, "sync", "sync_connected_apps"),
			 7);
	ck_assert_int_eq(sfa_config_line(cfg, "sync", "username_as_email"), 0);
	sfa_config_free(cfg);
	expect_error("[connection]\ndomain = \"unterminated\n", "t.conf:2",
		     "closing quote");
	expect_error("[connection]\ndomain = \"a\" b\n", "t.conf:2",
		     "after the closing quote");
}
END_TEST

static void expect_check_error(const char *text, const char *where,
			       const char *msg_part)
{
	sfa_config *cfg = parse(text);
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_config_check(cfg, sfa_config_sections, &err),
			 SFA_EINPUT);
	ck_assert_str_eq(err.where, where);
	ck_assert_msg(strstr(err.msg, msg_part), "message was: %s", err.msg);
	sfa_config_free(cfg);
}

START_TEST(test_config_check_refuses_unknown_keys_with_a_suggestion)
{
	expect_check_error("[sync]\nsync_conected_apps = true\n", "t.conf:2",
			   "unknown key `sync_conected_apps` in [sync]; did "
			   "you mean `sync_connected_apps`?");
	expect_check_error("[connection]\ndomain = x\nUserName = y\n",
			   "t.conf:3", "did you mean `username`?");
	expect_check_error("[conection]\ndomain = x\n", "t.conf:1",
			   "unknown section [conection]; did you mean "
			   "[connection]?");
	/* A key of another section: say where it belongs. */
	expect_check_error("[sync]\ndomain = x\n", "t.conf:2",
			   "`domain` belongs in [connection]");
	/* Nothing close: no guess. */
	{
		sfa_config *cfg = parse("[sync]\nzzzzzzzzzzzz = 1\n");
		sfa_err err;

		sfa_err_clear(&err);
		ck_assert_int_eq(
		    sfa_config_check(cfg, sfa_config_sections, &err),
		    SFA_EINPUT);
		ck_assert_ptr_null(strstr(err.msg, "did you mean"));
		sfa_config_free(cfg);
	}
}
END_TEST

START_TEST(test_config_check_refuses_wrong_types)
{
	expect_check_error("[sync]\nsync_connected_apps = maybe\n", "t.conf:2",
			   "[sync] sync_connected_apps: `maybe` is not true "
			   "or false");
	expect_check_error("[sync]\nsync_connected_apps =\n", "t.conf:2",
			   "is not true or false");
}
END_TEST

START_TEST(test_config_check_accepts_known_and_free_form_keys)
{
	static const sfa_config_key review_keys[] = {{"due_days",
						      SFA_CONFIG_COUNT},
						     {NULL, 0}};
	static const sfa_config_section sections[] = {
	    {"review", review_keys, 0},
	    SFA_CONFIG_FREE_FORM("review.owners", SFA_CONFIG_STRING),
	    {NULL, NULL, 0}};
	sfa_config *cfg = parse(
	    "[connection]\ndomain = x\nusername = u\n[sync]\n"
	    "username_as_email = yes\n[license_profiles]\nAny License "
	    "Name = Some Profile\n");
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_config_check(cfg, sfa_config_sections, &err), 0);
	sfa_config_free(cfg);

	cfg = parse("[review]\ndue_days = 14\n[review.owners]\nSystem "
		    "Administrator = ciso@acme.example\n");
	ck_assert_int_eq(sfa_config_check(cfg, sections, &err), 0);
	sfa_config_free(cfg);
	cfg = parse("[review]\ndue_days = soon\n");
	ck_assert_int_eq(sfa_config_check(cfg, sections, &err), SFA_EINPUT);
	ck_assert_str_eq(err.where, "t.conf:2");
	ck_assert_msg(strstr(err.msg, "is not a whole number"), "%s", err.msg);
	sfa_config_free(cfg);
}
END_TEST

START_TEST(test_config_bool_words)
{
	int v = -1;

	ck_assert_int_eq(sfa_config_bool("Yes", &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(sfa_config_bool("off", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(sfa_config_bool("maybe", &v), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_config_reads_sections_keys_and_quoted_values);
	tcase_add_test(tc, test_config_last_assignment_wins);
	tcase_add_test(tc, test_config_each_lists_a_section_in_file_order);
	tcase_add_test(tc, test_config_errors_name_file_and_line);
	tcase_add_test(tc, test_config_bool_words);
	tcase_add_test(tc, test_config_inline_comments);
	tcase_add_test(tc, test_config_check_refuses_unknown_keys_with_a_suggestion);
	tcase_add_test(tc, test_config_check_refuses_wrong_types);
	tcase_add_test(tc, test_config_check_accepts_known_and_free_form_keys);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
