/*
 * test_http.c - the HTTP client's policy against a loopback mock server:
 * what is retried and what is not, limits, captured headers, refused
 * URLs, error mapping, and a log that never shows a secret.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "mock_http_server.h"

static char logged[8192];

static void capture_log(void *ud, int level, const char *msg)
{
	(void)ud;
	(void)level;
	strncat(logged, msg, sizeof(logged) - strlen(logged) - 2);
	strcat(logged, "\n");
}

/* A client with millisecond backoff so retry tests run fast. */
static sfa_http *fast_client(void)
{
	sfa_http_options o = {0};
	sfa_http *h = NULL;
	sfa_err err;

	o.backoff_base_ms = 1;
	o.backoff_max_ms = 4;
	o.max_attempts = 3;
	o.timeout_ms = 3000;
	o.log = capture_log;
	logged[0] = '\0';
	ck_assert_int_eq(sfa_http_new(&h, &o, &err), 0);
	return h;
}

static int get(sfa_http *h, const char *url, unsigned flags,
	       sfa_http_response *r, sfa_err *err)
{
	sfa_http_request req = {0};

	req.method = "GET";
	req.url = url;
	req.flags = flags;
	sfa_err_clear(err);
	return sfa_http_send(h, &req, r, err);
}

START_TEST(test_http_retries_idempotent_get_after_503)
{
	char *replies[] = {mock_reply(503, "", "busy"),
			   mock_reply(200, "", "{\"ok\":true}"), NULL};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	ck_assert_int_eq(get(h, m.url, SFA_HTTP_IDEMPOTENT, &r, &err), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body.data, "{\"ok\":true}");
	ck_assert_int_eq(r.attempts, 2);
	ck_assert_int_eq(sfa_http_requests_sent(h), 2);
	ck_assert_ptr_nonnull(strstr(logged, "retrying"));
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_returns_last_5xx_when_retries_run_out)
{
	char *replies[] = {mock_reply(503, "", "a"), mock_reply(502, "", "b"),
			   mock_reply(500, "", "[{\"errorCode\":\"X\"}]"),
			   mock_reply(200, "", "never"), NULL};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	ck_assert_int_eq(get(h, m.url, SFA_HTTP_IDEMPOTENT, &r, &err), 0);
	ck_assert_int_eq(r.status, 500);
	ck_assert_str_eq(r.body.data, "[{\"errorCode\":\"X\"}]");
	ck_assert_int_eq(r.attempts, 3);
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_never_retries_a_write)
{
	char *replies[] = {mock_reply(503, "", "busy"),
			   mock_reply(201, "", "{}"), NULL};
	sfa_http_request req = {0};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	req.method = "POST";
	req.url = m.url;
	req.body = "{\"a\":1}";
	req.body_len = 7;
	ck_assert_int_eq(sfa_http_send(h, &req, &r, &err), 0);
	ck_assert_int_eq(r.status, 503);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_int_eq(mock_nrequests(&m), 1);
	ck_assert_ptr_nonnull(strstr(mock_request(&m, 0), "{\"a\":1}"));
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_retries_a_truncated_body)
{
	char *replies[] = {strdup("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
				  "Connection: close\r\n\r\n{\"records\":["),
			   mock_reply(200, "", "{\"records\":[]}"), NULL};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	ck_assert_int_eq(get(h, m.url, SFA_HTTP_IDEMPOTENT, &r, &err), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body.data, "{\"records\":[]}");
	ck_assert_int_eq(r.attempts, 2);
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_truncated_body_on_a_write_is_a_network_error)
{
	char *replies[] = {strdup("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
				  "Connection: close\r\n\r\n{"),
			   NULL};
	sfa_http_request req = {0};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	req.method = "PATCH";
	req.url = m.url;
	ck_assert_int_eq(sfa_http_send(h, &req, &r, &err), SFA_ENET);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot reach 127.0.0.1"));
	ck_assert_int_eq(r.attempts, 1);
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

static int reject_first(void *ud, const sfa_http_response *r)
{
	int *calls = ud;

	(void)r;
	return (*calls)++ == 0;
}

START_TEST(test_http_check_callback_retries_a_malformed_body)
{
	char *replies[] = {mock_reply(200, "", "{\"a\":"),
			   mock_reply(200, "", "{\"a\":1}"), NULL};
	sfa_http_request req = {0};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	int calls = 0;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	req.method = "GET";
	req.url = m.url;
	req.flags = SFA_HTTP_IDEMPOTENT;
	req.check = reject_first;
	req.check_ud = &calls;
	ck_assert_int_eq(sfa_http_send(h, &req, &r, &err), 0);
	ck_assert_str_eq(r.body.data, "{\"a\":1}");
	ck_assert_int_eq(calls, 2);
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_returns_redirects_without_following)
{
	char *replies[] = {
	    mock_reply(302, "Location: https://evil.example/steal\r\n", ""),
	    mock_reply(200, "", "followed"), NULL};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	ck_assert_int_eq(get(h, m.url, SFA_HTTP_IDEMPOTENT, &r, &err), 0);
	ck_assert_int_eq(r.status, 302);
	ck_assert_str_eq(r.location, "https://evil.example/steal");
	ck_assert_int_eq(mock_nrequests(&m), 1);
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_captures_salesforce_headers)
{
	char *replies[] = {
	    mock_reply(200,
		       "Content-Type: application/json;charset=UTF-8\r\n"
		       "sforce-limit-info: api-usage=18/5000\r\n"
		       "Sforce-Locator: abc\r\n"
		       "Sforce-NumberOfRecords:   42  \r\n",
		       "{}"),
	    NULL};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	ck_assert_int_eq(get(h, m.url, 0, &r, &err), 0);
	ck_assert_str_eq(r.content_type, "application/json;charset=UTF-8");
	ck_assert_str_eq(r.limit_info, "api-usage=18/5000");
	ck_assert_str_eq(r.locator, "abc");
	ck_assert_str_eq(r.number_of_records, "42");
	ck_assert_ptr_null(r.location);
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_body_over_the_limit_is_an_error)
{
	char *replies[] = {mock_reply(200, "", "0123456789abcdef"), NULL};
	sfa_http_options o = {0};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h;

	o.max_body = 8;
	ck_assert_int_eq(sfa_http_new(&h, &o, &err), 0);
	mock_start(&m, replies);
	ck_assert_int_eq(get(h, m.url, SFA_HTTP_IDEMPOTENT, &r, &err),
			 SFA_EPROTO);
	ck_assert_ptr_nonnull(strstr(err.msg, "8-byte limit"));
	ck_assert_int_eq(mock_nrequests(&m), 1);
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_refuses_plain_http_to_other_hosts)
{
	sfa_http_response r = {0};
	sfa_err err;
	sfa_http *h = fast_client();

	ck_assert_int_eq(get(h, "http://acme.my.salesforce.com/x", 0, &r, &err),
			 SFA_EINPUT);
	ck_assert_int_eq(get(h, "http://10.1.2.3:80/x", 0, &r, &err),
			 SFA_EINPUT);
	ck_assert_int_eq(get(h, "ftp://127.0.0.1/x", 0, &r, &err), SFA_EINPUT);
	ck_assert_int_eq(get(h, "file:///etc/passwd", 0, &r, &err), SFA_EINPUT);
	ck_assert_int_eq(get(h, "not a url", 0, &r, &err), SFA_EINPUT);
	ck_assert_int_eq(sfa_http_requests_sent(h), 0);
	sfa_http_response_free(&r);
	sfa_http_free(h);
}
END_TEST

START_TEST(test_http_connection_refused_is_a_network_error)
{
	char url[64];
	sfa_http_response r = {0};
	sfa_err err;
	sfa_http *h = fast_client();

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/services",
		 mock_closed_port());
	ck_assert_int_eq(get(h, url, SFA_HTTP_IDEMPOTENT, &r, &err), SFA_ENET);
	ck_assert_msg(strstr(err.msg, "cannot reach 127.0.0.1: ") == err.msg,
		      "%s", err.msg);
	ck_assert_int_eq(r.attempts, 3); /* refused connections are retried */
	sfa_http_response_free(&r);
	sfa_http_free(h);
}
END_TEST

START_TEST(test_http_timeout_is_a_network_error)
{
	char *replies[] = {strdup(MOCK_HANG), NULL};
	sfa_http_options o = {0};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h;

	o.timeout_ms = 200;
	ck_assert_int_eq(sfa_http_new(&h, &o, &err), 0);
	mock_start(&m, replies);
	ck_assert_int_eq(get(h, m.url, 0, &r, &err), SFA_ENET);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot reach 127.0.0.1"));
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_tls_failure_is_a_tls_error)
{
	/* A plain-text server spoken to with https: the handshake fails. */
	char *replies[] = {mock_reply(200, "", "not tls"), NULL};
	char url[64];
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", m.port);
	ck_assert_msg(get(h, url, 0, &r, &err) == SFA_ETLS, "%s", err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, "TLS failure talking to "
					      "127.0.0.1: "));
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_http_sends_headers_and_logs_no_secret)
{
	char *replies[] = {mock_reply(200, "", "{}"), mock_reply(200, "", "{}"),
			   NULL};
	const char *headers[] = {"Authorization: Bearer 00Dxx!SECRETTOKEN",
				 NULL};
	sfa_http_request req = {0};
	sfa_http_response r = {0};
	mock_server m;
	sfa_err err;
	char url[256];
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	snprintf(url, sizeof(url),
		 "%s/services/oauth2/token?grant_type=refresh_token&"
		 "refresh_token=RTSECRET",
		 m.url);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = "client_secret=CSSECRET";
	req.body_len = strlen(req.body);
	ck_assert_int_eq(sfa_http_send(h, &req, &r, &err), 0);
	ck_assert_ptr_nonnull(strstr(
	    mock_request(&m, 0), "Authorization: Bearer 00Dxx!SECRETTOKEN"));
	ck_assert_ptr_nonnull(strstr(logged, "POST /services/oauth2/token"));
	ck_assert_ptr_null(strstr(logged, "SECRET"));
	ck_assert_ptr_null(strstr(logged, "grant_type"));

	/* SOQL query strings are shown. */
	snprintf(url, sizeof(url),
		 "%s/services/data/v64.0/query?q=SELECT+Id+FROM+User", m.url);
	ck_assert_int_eq(get(h, url, 0, &r, &err), 0);
	ck_assert_ptr_nonnull(strstr(
	    logged, "GET /services/data/v64.0/query?q=SELECT+Id+FROM+User "
		    "-> 200"));
	sfa_http_response_free(&r);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("policy");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_http_retries_idempotent_get_after_503);
	tcase_add_test(tc, test_http_returns_last_5xx_when_retries_run_out);
	tcase_add_test(tc, test_http_never_retries_a_write);
	tcase_add_test(tc, test_http_retries_a_truncated_body);
	tcase_add_test(tc,
		       test_http_truncated_body_on_a_write_is_a_network_error);
	tcase_add_test(tc, test_http_check_callback_retries_a_malformed_body);
	tcase_add_test(tc, test_http_returns_redirects_without_following);
	tcase_add_test(tc, test_http_captures_salesforce_headers);
	tcase_add_test(tc, test_http_body_over_the_limit_is_an_error);
	tcase_add_test(tc, test_http_refuses_plain_http_to_other_hosts);
	tcase_add_test(tc, test_http_connection_refused_is_a_network_error);
	tcase_add_test(tc, test_http_timeout_is_a_network_error);
	tcase_add_test(tc, test_http_tls_failure_is_a_tls_error);
	tcase_add_test(tc, test_http_sends_headers_and_logs_no_secret);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
