/*
 * test_sf_error.c - every error text Salesforce's refusals become is
 * assembled whole (issue 13: the security-token advice came out cut and
 * repeated, "...Quick Find bo; Salesforce wants the user's security token
 * from thi; ...").  For every code with advice, and every object with its
 * own, a long Salesforce message and long login contexts around it: the
 * advice appears once, whole, at the end; the quoted text is cut only at
 * a word boundary, marked; the message is valid UTF-8.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_soap.h"
#include "sf.h"
#include "sf_error.h"

/* What Salesforce (and the emulator) say for a login without the token. */
static const char token_text[] =
    "Invalid username, password, security token; or user locked out. Are "
    "you at a new location? When accessing Salesforce--either via a "
    "desktop client or the API--from outside of your company\xe2\x80\x99s "
    "trusted networks, you must add a security token to your password to "
    "log in. To get your new security token, log in to Salesforce. From "
    "your personal settings, enter Reset My Security Token in the Quick "
    "Find box, then select Reset My Security Token.";

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay += strlen(needle))
		n++;
	return n;
}

static int valid_utf8(const unsigned char *s)
{
	while (*s) {
		int k = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 :
				   (*s & 0xF0) == 0xE0 ? 2 :
				   (*s & 0xF8) == 0xF0 ? 3 : -1;

		if (k < 0)
			return 0;
		for (s++; k > 0; k--, s++)
			if ((*s & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

static void check_whole(const sfa_err *err, const char *code,
			const char *advice, const char *what)
{
	size_t n = strlen(err->msg), a = strlen(advice);

	ck_assert_msg(strstr(err->msg, code) != NULL, "%s: no %s in: %s", what,
		      code, err->msg);
	ck_assert_msg(valid_utf8((const unsigned char *)err->msg),
		      "%s: not UTF-8: %s", what, err->msg);
	ck_assert_msg(count(err->msg, advice) == 1,
		      "%s: advice not once and whole: %s", what, err->msg);
	ck_assert_msg(n >= a && !strcmp(err->msg + n - a, advice),
		      "%s: advice not at the end: %s", what, err->msg);
}

/* Contexts as sf.c and auth*.c add them, long. */
static void add_contexts(sfa_err *err)
{
	char url[300];

	memset(url, 'a', sizeof(url) - 1);
	url[sizeof(url) - 1] = '\0';
	sfa_err_prefix(err, "login to https://%s.my.salesforce.com as %s", url,
		       "admin.with.a.long.name@acme.example");
	sfa_err_prefix(err, "querying User page 3 of %s", url);
}

START_TEST(test_every_rest_error_keeps_its_advice_whole)
{
	const char *code;
	size_t i, j;

	for (i = 0; (code = sfa_sf_advice_code(i)) != NULL; i++)
		for (j = 0;; j++) {
			const char *object = j ? sfa_sf_advice_object(j - 1)
					       : NULL;
			json_t *body;
			char *text, what[160];
			sfa_err err;

			if (j && !object)
				break;
			body = json_pack("[{s:s, s:s+++}]", "errorCode", code,
					 "message", token_text, " ", token_text,
					 "\nline two");
			text = json_dumps(body, 0);
			sfa_err_clear(&err);
			sfa_sf_error_from_body(400, text, strlen(text), object,
					       &err);
			snprintf(what, sizeof(what), "%s on %s", code,
				 object ? object : "-");
			check_whole(&err, code, sfa_sf_advice_for(code, object),
				    what);
			/* The quoted text was cut at a word, and marked. */
			ck_assert_msg(strstr(err.msg, "...; ") != NULL,
				      "%s: cut unmarked: %s", what, err.msg);
			add_contexts(&err);
			check_whole(&err, code, sfa_sf_advice_for(code, object),
				    what);
			free(text);
			json_decref(body);
		}
}
END_TEST

static void soap_fault(const char *code, const char *text, sfa_err *err)
{
	char xml[4096];
	sfa_session s;

	snprintf(xml, sizeof(xml),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
		 "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
		 "xmlns:sf=\"urn:fault.partner.soap.sforce.com\" "
		 "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
		 "<soapenv:Body><soapenv:Fault><faultcode>sf:%s</faultcode>"
		 "<faultstring>%s: %s</faultstring><detail><sf:LoginFault "
		 "xsi:type=\"sf:LoginFault\"><sf:exceptionCode>%s"
		 "</sf:exceptionCode><sf:exceptionMessage>%s"
		 "</sf:exceptionMessage></sf:LoginFault></detail>"
		 "</soapenv:Fault></soapenv:Body></soapenv:Envelope>",
		 code, code, text, code, text);
	memset(&s, 0, sizeof(s));
	sfa_err_clear(err);
	ck_assert_int_eq(sfa_auth_soap_parse(500, xml, strlen(xml), &s, err),
			 SFA_EAUTH);
	sfa_session_clear(&s);
}

START_TEST(test_every_soap_fault_keeps_its_advice_whole)
{
	char twice[sizeof(token_text) * 2 + 1];
	const char *code;
	size_t i;

	snprintf(twice, sizeof(twice), "%s %s", token_text, token_text);
	for (i = 0; (code = sfa_sf_advice_code(i)) != NULL; i++) {
		const char *advice = sfa_sf_advice(code);
		sfa_err err;

		/* INSUFFICIENT_ACCESS at login has advice of its own. */
		if (!strcmp(code, "INSUFFICIENT_ACCESS"))
			advice = "consider OAuth (--auth jwt or "
				 "client-credentials)";
		soap_fault(code, twice, &err);
		check_whole(&err, code, advice, code);
		add_contexts(&err);
		check_whole(&err, code, advice, code);
	}
}
END_TEST

/* The example of the issue: Salesforce's whole text, then the advice
 * once. */
START_TEST(test_the_security_token_advice_is_not_cut_or_repeated)
{
	const char *advice = sfa_sf_advice("LOGIN_MUST_USE_SECURITY_TOKEN");
	char text[sizeof(token_text)];
	sfa_err err;

	soap_fault("LOGIN_MUST_USE_SECURITY_TOKEN", token_text, &err);
	sfa_err_prefix(&err, "login to %s as %s", "http://127.0.0.1:40000",
		       "admin@acme.example");
	check_whole(&err, "LOGIN_MUST_USE_SECURITY_TOKEN", advice, "token");
	memcpy(text, token_text, sizeof(text));
	text[strlen(text) - 1] = '\0'; /* its full stop gives way to "; " */
	ck_assert_msg(strstr(err.msg, text) != NULL, "text cut: %s", err.msg);
	ck_assert_msg(strstr(err.msg, "Quick Find box, then select Reset My "
				      "Security Token; Salesforce wants") !=
			  NULL,
		      "%s", err.msg);
}
END_TEST

START_TEST(test_error_text_is_cut_at_a_word_and_marked)
{
	char out[24];

	sfa_sf_error_text(out, sizeof(out), "short text.");
	ck_assert_str_eq(out, "short text");
	sfa_sf_error_text(out, sizeof(out),
			  "one two three four five six seven");
	ck_assert_str_eq(out, "one two three four...");
	/* One long word: cut at a character, never inside one. */
	sfa_sf_error_text(out, sizeof(out),
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	ck_assert(valid_utf8((const unsigned char *)out));
	ck_assert_ptr_nonnull(strstr(out, "..."));
	sfa_sf_error_text(out, sizeof(out), NULL);
	ck_assert_str_eq(out, "");
}
END_TEST

/* A context too long for the message gives way; the message stays. */
START_TEST(test_prefix_never_cuts_the_message)
{
	char ctx[2000];
	sfa_err err;

	memset(ctx, 'x', sizeof(ctx) - 1);
	ctx[sizeof(ctx) - 1] = '\0';
	sfa_err_clear(&err);
	sfa_err_set(&err, SFA_ESF, "%0900d; the advice at the end", 0);
	sfa_err_prefix(&err, "%s", ctx);
	ck_assert_msg(strstr(err.msg, "; the advice at the end") != NULL, "%s",
		      err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, "...: 000"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sf_error");
	TCase *tc = tcase_create("whole");

	tcase_add_test(tc, test_every_rest_error_keeps_its_advice_whole);
	tcase_add_test(tc, test_every_soap_fault_keeps_its_advice_whole);
	tcase_add_test(tc,
		       test_the_security_token_advice_is_not_cut_or_repeated);
	tcase_add_test(tc, test_error_text_is_cut_at_a_word_and_marked);
	tcase_add_test(tc, test_prefix_never_cuts_the_message);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
