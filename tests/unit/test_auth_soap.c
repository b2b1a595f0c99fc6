/*
 * test_auth_soap.c - the password flow: the login() envelope, every
 * documented response shape (fixtures/soap/), hostile XML, and a login
 * over HTTP against the loopback mock server.
 */
#include <check.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "auth_soap.h"
#include "http.h"
#include "mock_http_server.h"

static char *read_fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/fixtures/soap/%s", SFA_SOURCE_DIR,
		 name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int parse_fixture(long status, const char *name, sfa_session *s,
			 sfa_err *err)
{
	size_t len;
	char *xml = read_fixture(name, &len);
	int rc;

	sfa_err_clear(err);
	rc = sfa_auth_soap_parse(status, xml, len, s, err);
	free(xml);
	return rc;
}

START_TEST(test_soap_parse_login_result)
{
	sfa_session s;
	sfa_err err;

	ck_assert_int_eq(parse_fixture(200, "login_ok.xml", &s, &err), 0);
	ck_assert_str_eq(s.instance_url, "https://acme.my.salesforce.com");
	ck_assert_str_eq(s.access_token, "00D5e000000AbCd!AQ0AQFakeSessionId");
	ck_assert_str_eq(s.org_id, "00D5e000000AbCdEAK");
	ck_assert_str_eq(s.user_id, "0055e000001AbCdAAK");
	sfa_session_clear(&s);
	ck_assert_ptr_null(s.access_token);
	ck_assert_ptr_null(s.instance_url);
}
END_TEST

START_TEST(test_soap_instance_url_keeps_the_emulator_port)
{
	sfa_session s;
	sfa_err err;

	ck_assert_int_eq(parse_fixture(200, "login_ok_emulator.xml", &s, &err),
			 0);
	ck_assert_str_eq(s.instance_url, "http://127.0.0.1:41234");
	sfa_session_clear(&s);
}
END_TEST

static void expect_fault(const char *file, const char *code, const char *text,
			 const char *advice_word)
{
	sfa_session s;
	sfa_err err;

	ck_assert_int_eq(parse_fixture(500, file, &s, &err), SFA_EAUTH);
	ck_assert_str_eq(err.sf_code, code);
	ck_assert_int_eq(err.http_status, 500);
	ck_assert_msg(strstr(err.msg, text) != NULL, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, advice_word) != NULL, "%s", err.msg);
	ck_assert_ptr_null(s.access_token);
}

START_TEST(test_soap_faults_become_auth_errors_with_advice)
{
	expect_fault("fault_invalid_login.xml", "INVALID_LOGIN",
		     "Invalid username, password, security token",
		     "security token");
	expect_fault("fault_login_must_use_security_token.xml",
		     "LOGIN_MUST_USE_SECURITY_TOKEN",
		     "Are you at a new location", "SFACCESS_SECURITY_TOKEN");
	expect_fault("fault_api_disabled_for_org.xml", "API_DISABLED_FOR_ORG",
		     "API is not enabled", "edition");
	expect_fault("fault_api_currently_disabled.xml",
		     "API_CURRENTLY_DISABLED", "API is disabled for this User",
		     "API Enabled");
	expect_fault("fault_insufficient_access.xml", "INSUFFICIENT_ACCESS",
		     "insufficient access", "Use Any API Auth");
	expect_fault("fault_no_detail.xml", "UNSUPPORTED_API_VERSION",
		     "Invalid Api version", "UNSUPPORTED_API_VERSION");
}
END_TEST

START_TEST(test_soap_expired_password_is_an_auth_error)
{
	sfa_session s;
	sfa_err err;

	ck_assert_int_eq(
	    parse_fixture(200, "login_password_expired.xml", &s, &err),
	    SFA_EAUTH);
	ck_assert_str_eq(err.sf_code, "PASSWORD_EXPIRED");
	ck_assert_ptr_null(s.access_token);
}
END_TEST

START_TEST(test_soap_malformed_responses_are_protocol_errors)
{
	sfa_session s;
	sfa_err err;

	ck_assert_int_eq(parse_fixture(200, "truncated.xml", &s, &err),
			 SFA_EPROTO);
	ck_assert_int_eq(parse_fixture(503, "not_soap.html", &s, &err),
			 SFA_EPROTO);
	ck_assert_int_eq(err.http_status, 503);
	ck_assert_int_eq(parse_fixture(200, "missing_session.xml", &s, &err),
			 SFA_EPROTO);
	ck_assert_msg(strstr(err.msg, "sessionId") != NULL, "%s", err.msg);
	/* A login result with an error status is not a login. */
	ck_assert_int_eq(parse_fixture(404, "login_ok.xml", &s, &err),
			 SFA_EPROTO);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_soap_parse(200, "", 0, &s, &err), SFA_EPROTO);
}
END_TEST

START_TEST(test_soap_external_entity_is_never_resolved)
{
	sfa_session s;
	sfa_err err;
	char host[256] = "";
	FILE *f = fopen("/etc/hostname", "r");

	if (f) {
		if (!fgets(host, sizeof(host), f))
			host[0] = '\0';
		host[strcspn(host, "\n")] = '\0';
		fclose(f);
	}
	ck_assert_int_eq(parse_fixture(200, "xxe.xml", &s, &err), SFA_EPROTO);
	ck_assert_ptr_null(s.access_token);
	if (host[0])
		ck_assert_ptr_null(strstr(err.msg, host));
}
END_TEST

START_TEST(test_soap_response_over_the_size_limit_is_refused)
{
	size_t n = SFA_SOAP_MAX_RESPONSE + 1;
	char *big = malloc(n);
	sfa_session s;
	sfa_err err;

	memset(big, ' ', n);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_soap_parse(200, big, n, &s, &err),
			 SFA_EPROTO);
	free(big);
}
END_TEST

START_TEST(test_soap_envelope_escapes_username_and_password)
{
	char *env = NULL;
	sfa_err err;
	xmlDoc *doc;

	ck_assert_int_eq(sfa_auth_soap_envelope("a&b<c>@x.example",
						"p\"'&<]]>\r", "TOK", &env,
						&err),
			 0);
	ck_assert_ptr_nonnull(strstr(env,
				     "<n1:username>a&amp;b&lt;c&gt;@x.example"
				     "</n1:username>"));
	ck_assert_ptr_nonnull(
	    strstr(env, "<n1:password>p&quot;&apos;&amp;&lt;]]&gt;&#13;TOK"
			"</n1:password>"));
	doc = xmlReadMemory(env, (int)strlen(env), NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR);
	ck_assert_ptr_nonnull(doc);
	xmlFreeDoc(doc);
	free(env);
}
END_TEST

START_TEST(test_soap_envelope_without_token)
{
	char *env = NULL;
	sfa_err err;

	ck_assert_int_eq(sfa_auth_soap_envelope("u", "pw", NULL, &env, &err),
			 0);
	ck_assert_ptr_nonnull(strstr(env, "<n1:password>pw</n1:password>"));
	free(env);
}
END_TEST

START_TEST(test_soap_envelope_refuses_control_characters)
{
	char *env = NULL;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_auth_soap_envelope("u", "p\x01w", NULL, &env, &err),
	    SFA_EINPUT);
	ck_assert_ptr_null(env);
	ck_assert_ptr_null(strstr(err.msg, "p\x01w"));
}
END_TEST

START_TEST(test_soap_version_is_capped_at_64)
{
	char v[16];
	sfa_err err;

	ck_assert_int_eq(sfa_auth_soap_version("66.0", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "64.0");
	ck_assert_int_eq(sfa_auth_soap_version("100.0", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "64.0");
	ck_assert_int_eq(sfa_auth_soap_version("58.0", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "58.0");
	ck_assert_int_eq(sfa_auth_soap_version(NULL, v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "64.0");
	ck_assert_int_eq(sfa_auth_soap_version("v64", v, sizeof(v), &err),
			 SFA_EINPUT);
	ck_assert_int_eq(sfa_auth_soap_version("64", v, sizeof(v), &err),
			 SFA_EINPUT);
	ck_assert_int_eq(sfa_auth_soap_version("64.0/../x", v, sizeof(v), &err),
			 SFA_EINPUT);
}
END_TEST

static sfa_http *fast_client(void)
{
	sfa_http_options o = {0};
	sfa_http *h = NULL;
	sfa_err err;

	o.backoff_base_ms = 1;
	o.timeout_ms = 3000;
	ck_assert_int_eq(sfa_http_new(&h, &o, &err), 0);
	return h;
}

START_TEST(test_soap_login_over_http)
{
	size_t len;
	char *ok = read_fixture("login_ok_emulator.xml", &len);
	char *replies[] = {mock_reply(200, "Content-Type: text/xml\r\n", ok),
			   NULL};
	sfa_auth_config cfg = {0};
	sfa_session s = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();
	const char *req;

	free(ok);
	mock_start(&m, replies);
	cfg.method = SFA_AUTH_PASSWORD;
	cfg.base_url = m.url;
	cfg.api_version = "66.0";
	cfg.username = "jdoe@acme.example";
	cfg.password = "pw";
	cfg.security_token = "TOKEN";
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), 0);
	ck_assert_str_eq(s.org_id, "00D5e000000AbCdEAK");
	req = mock_request(&m, 0);
	ck_assert_ptr_nonnull(strstr(req, "POST /services/Soap/u/64.0 "));
	ck_assert_ptr_nonnull(strstr(req, "SOAPAction: login"));
	ck_assert_ptr_nonnull(
	    strstr(req, "<n1:password>pwTOKEN</n1:password>"));
	sfa_session_clear(&s);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_soap_login_fault_is_not_retried)
{
	size_t len;
	char *bad = read_fixture("fault_invalid_login.xml", &len);
	char *replies[] = {mock_reply(500, "", bad), mock_reply(500, "", bad),
			   NULL};
	sfa_auth_config cfg = {0};
	sfa_session s = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	free(bad);
	mock_start(&m, replies);
	cfg.method = SFA_AUTH_PASSWORD;
	cfg.base_url = m.url;
	cfg.username = "jdoe@acme.example";
	cfg.password = "secret-pw";
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), SFA_EAUTH);
	ck_assert_str_eq(err.sf_code, "INVALID_LOGIN");
	ck_assert_ptr_null(strstr(err.msg, "secret-pw"));
	ck_assert_ptr_nonnull(strstr(err.msg, "jdoe@acme.example"));
	ck_assert_int_eq(mock_nrequests(&m), 1);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_auth_flows_check_what_they_need_before_sending)
{
	sfa_auth_config cfg = {0};
	sfa_session s = {0};
	sfa_err err;
	sfa_http *h = fast_client();

	cfg.base_url = "https://acme.my.salesforce.com";
	cfg.method = SFA_AUTH_JWT;
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), SFA_EINPUT);
	ck_assert_str_eq(err.where, "--client-id");
	cfg.method = SFA_AUTH_PASSWORD;
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), SFA_EINPUT);
	ck_assert_str_eq(err.where, "--username");
	ck_assert_int_eq(sfa_http_requests_sent(h), 0);
	sfa_http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("auth_soap");
	TCase *tc = tcase_create("soap");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_soap_parse_login_result);
	tcase_add_test(tc, test_soap_instance_url_keeps_the_emulator_port);
	tcase_add_test(tc, test_soap_faults_become_auth_errors_with_advice);
	tcase_add_test(tc, test_soap_expired_password_is_an_auth_error);
	tcase_add_test(tc, test_soap_malformed_responses_are_protocol_errors);
	tcase_add_test(tc, test_soap_external_entity_is_never_resolved);
	tcase_add_test(tc, test_soap_response_over_the_size_limit_is_refused);
	tcase_add_test(tc, test_soap_envelope_escapes_username_and_password);
	tcase_add_test(tc, test_soap_envelope_without_token);
	tcase_add_test(tc, test_soap_envelope_refuses_control_characters);
	tcase_add_test(tc, test_soap_version_is_capped_at_64);
	tcase_add_test(tc, test_soap_login_over_http);
	tcase_add_test(tc, test_soap_login_fault_is_not_retried);
	tcase_add_test(tc, test_auth_flows_check_what_they_need_before_sending);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
