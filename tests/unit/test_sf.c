/*
 * test_sf.c - the REST client against the loopback mock server (paging,
 * re-logins on 401, limits, retried truncated pages) and the parsers
 * behind it (error bodies, Sforce-Limit-Info, advice, FROM).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "mock_http_server.h"
#include "sf.h"
#include "sf_error.h"
#include "soql.h"

struct fixture {
	mock_server m;
	sfa_http *http;
	sfa_auth_config cfg;
	sfa_sf *sf;
};

static void setup(struct fixture *f)
{
	sfa_http_options o = {0};
	sfa_err err;

	mock_start(&f->m, NULL);
	o.backoff_base_ms = 1;
	o.backoff_max_ms = 2;
	o.max_attempts = 3;
	o.timeout_ms = 3000;
	ck_assert_int_eq(sfa_http_new(&f->http, &o, &err), 0);
	memset(&f->cfg, 0, sizeof(f->cfg));
	f->cfg.method = SFA_AUTH_PASSWORD;
	f->cfg.base_url = f->m.url;
	f->cfg.api_version = "64.0";
	f->cfg.username = "admin@acme.example";
	f->cfg.password = "pw";
	ck_assert_int_eq(sfa_sf_new(&f->sf, f->http, &f->cfg, &err), 0);
}

static void teardown(struct fixture *f)
{
	sfa_sf_free(f->sf);
	sfa_http_free(f->http);
	mock_stop(&f->m);
}

static int count_records(void *ud, json_t *rec, sfa_err *err)
{
	int *n = ud;

	(void)err;
	ck_assert_ptr_nonnull(json_object_get(rec, "Id"));
	(*n)++;
	return 0;
}

/* The start of a query page says its count without a parse; anything
 * not shaped as Salesforce writes it says nothing. */
START_TEST(test_sf_page_peek_reads_the_count_or_nothing)
{
	static const char *const none[] = {
	    "",
	    "{",
	    "{\"done\":false,\"totalSize\":5}",
	    "{\"totalSize\":-1,\"done\":false}",
	    "{\"totalSize\":\"5\",\"done\":false}",
	    "{\"totalSize\":5 \"done\":false}",
	    "{\"totalSize\":5,\"done\":fals",
	    "{\"totalSize\":1234567890123456789,\"done\":false}",
	    "[{\"totalSize\":5,\"done\":false}]",
	};
	const char *page = " {\n \"totalSize\" : 40000 ,\"done\":false,"
			   "\"nextRecordsUrl\":\"/services/data/v64.0/query/"
			   "01g-2000\",\"records\":[{\"attribu";
	const char *last = "{\"totalSize\":0,\"done\":true,\"records\":[]}";
	long long total = -1;
	int done = -1;
	size_t i;

	ck_assert_int_eq(sfa_sf_page_peek(page, strlen(page), &total, &done),
			 1);
	ck_assert_int_eq(total, 40000);
	ck_assert_int_eq(done, 0);
	ck_assert_int_eq(sfa_sf_page_peek(last, strlen(last), &total, &done),
			 1);
	ck_assert_int_eq(total, 0);
	ck_assert_int_eq(done, 1);
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		ck_assert_msg(sfa_sf_page_peek(none[i], strlen(none[i]), &total,
					       &done) == 0,
			      "%s", none[i]);
}
END_TEST

START_TEST(test_sf_query_follows_next_records_url)
{
	struct fixture f;
	sfa_err err;
	long used = 0, limit = 0;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(
	    &f.m,
	    mock_reply(200, "Sforce-Limit-Info: api-usage=17/5000\r\n",
		       "{\"totalSize\":3,\"done\":false,\"nextRecordsUrl\":"
		       "\"/services/data/v64.0/query/01gXX-2\",\"records\":"
		       "[{\"Id\":\"1\"},{\"Id\":\"2\"}]}"));
	mock_push(&f.m,
		  mock_reply(200, "Sforce-Limit-Info: api-usage=18/5000\r\n",
			     "{\"totalSize\":3,\"done\":true,\"records\":"
			     "[{\"Id\":\"3\"}]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_login(f.sf, &err), 0);
	ck_assert_str_eq(sfa_sf_org_id(f.sf), "00D000000000001AAA");
	ck_assert_str_eq(sfa_sf_instance_url(f.sf), f.m.url);
	ck_assert_int_eq(sfa_sf_api_usage(f.sf, &used, &limit), 0);
	ck_assert_int_eq(sfa_sf_query(f.sf,
				      "SELECT Id FROM User WHERE "
				      "Name = 'a&b'",
				      0, count_records, &n, &err),
			 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(sfa_sf_api_requests(f.sf), 2); /* not the login */
	ck_assert_int_eq(sfa_sf_api_usage(f.sf, &used, &limit), 1);
	ck_assert_int_eq(used, 18);
	ck_assert_int_eq(limit, 5000);
	ck_assert_ptr_nonnull(
	    strstr(mock_request(&f.m, 1),
		   "GET /services/data/v64.0/query?q=SELECT+Id+FROM+User+"
		   "WHERE+Name+%3D+%27a%26b%27 HTTP/1.1"));
	ck_assert_ptr_nonnull(
	    strstr(mock_request(&f.m, 1), "Authorization: Bearer 00D!SESS"));
	ck_assert_ptr_nonnull(strstr(mock_request(&f.m, 1),
				     "Sforce-Query-Options: batchSize=2000"));
	ck_assert_ptr_nonnull(strstr(
	    mock_request(&f.m, 2), "GET /services/data/v64.0/query/01gXX-2 "));
	teardown(&f);
}
END_TEST

START_TEST(test_sf_query_all_uses_query_all)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"totalSize\":0,\"done\":true,"
				   "\"records\":[]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User",
				      SFA_SF_QUERY_ALL, count_records, &n,
				      &err),
			 0);
	ck_assert_ptr_nonnull(strstr(mock_request(&f.m, 1),
				     "GET /services/data/v64.0/queryAll?q="));
	teardown(&f);
}
END_TEST

static const char session_expired[] =
    "[{\"message\":\"Session expired or invalid\","
    "\"errorCode\":\"INVALID_SESSION_ID\"}]";

START_TEST(test_sf_relogs_in_once_after_401)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(401, "", session_expired));
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"totalSize\":1,\"done\":true,"
				   "\"records\":[{\"Id\":\"1\"}]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_login(f.sf, &err), 0);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(mock_nrequests(&f.m), 4);
	ck_assert_ptr_nonnull(strstr(mock_request(&f.m, 2), "POST /services/"
							    "Soap/u/64.0"));
	/* The org charges the query, not the 401 or the two logins. */
	ck_assert_int_eq(sfa_sf_api_requests(f.sf), 1);
	ck_assert_int_eq(sfa_sf_other_requests(f.sf), 3);
	teardown(&f);
}
END_TEST

/* A token refused at once, login after login: the fresh logins are held
 * to 1 + half the requests sent (here 2), then the 401 is the error. */
START_TEST(test_sf_refused_sessions_stop_after_bounded_logins)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(401, "", session_expired));
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(401, "", session_expired));
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(401, "", session_expired));
	mock_push(&f.m, mock_login_reply(&f.m));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 SFA_EAUTH);
	ck_assert_str_eq(err.sf_code, "INVALID_SESSION_ID");
	ck_assert_int_eq(err.http_status, 401);
	ck_assert_int_eq(mock_nrequests(&f.m), 6);
	teardown(&f);
}
END_TEST

START_TEST(test_sf_request_limit_is_never_retried)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m,
		  mock_reply(403, "Sforce-Limit-Info: api-usage=5001/5000\r\n",
			     "[{\"message\":\"TotalRequests Limit "
			     "exceeded.\",\"errorCode\":"
			     "\"REQUEST_LIMIT_EXCEEDED\"}]"));
	mock_push(&f.m, mock_reply(200, "", "{\"done\":true,\"records\":[]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 SFA_ELIMIT);
	ck_assert_str_eq(err.sf_code, "REQUEST_LIMIT_EXCEEDED");
	ck_assert_int_eq(mock_nrequests(&f.m), 2);
	teardown(&f);
}
END_TEST

START_TEST(test_sf_insufficient_access_names_object_and_permission)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(403, "",
				   "[{\"message\":\"insufficient access\","
				   "\"errorCode\":\"INSUFFICIENT_ACCESS\"}]"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf,
				      "SELECT Id, (SELECT Id FROM PermissionSet"
				      "Assignments) FROM User",
				      0, count_records, &n, &err),
			 SFA_ESF);
	ck_assert_str_eq(err.where, "User");
	ck_assert_int_eq(err.http_status, 403);
	ck_assert_msg(strstr(err.msg, "Manage Users") != NULL, "%s", err.msg);
	teardown(&f);
}
END_TEST

START_TEST(test_sf_truncated_page_is_fetched_again)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(200, "", "{\"done\":true,\"records\":[{"));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"done\":true,\"records\":[{\"Id\":"
				   "\"1\"}]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(sfa_sf_api_requests(f.sf), 2);
	teardown(&f);
}
END_TEST

struct names {
	int n;
	char v[8][32];
};

static int collect_names(void *ud, json_t *rec, sfa_err *err)
{
	struct names *names = ud;
	const char *v = json_string_value(json_object_get(rec, "Name"));

	(void)err;
	ck_assert_ptr_nonnull(v);
	ck_assert_int_lt(names->n, 8);
	snprintf(names->v[names->n++], sizeof(names->v[0]), "%s", v);
	return 0;
}

/* Salesforce stores UTF-16 and can hand back a lone surrogate; the page
 * is read with U+FFFD in its place, once, while a valid pair and an
 * escaped backslash before "ud800" are left as they are. */
START_TEST(test_sf_lone_surrogate_is_read_as_replacement_character)
{
	struct fixture f;
	struct names names = {0};
	sfa_err err;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m,
		  mock_reply(200, "",
			     "{\"done\":true,\"records\":["
			     "{\"Id\":\"1\",\"Name\":\"bad\\ud800x\"},"
			     "{\"Id\":\"2\",\"Name\":\"\\ud83d\\ude00\"},"
			     "{\"Id\":\"3\",\"Name\":\"a\\\\ud800\"},"
			     "{\"Id\":\"4\",\"Name\":\"\\udc00\\uD800\"}]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id, Name FROM User", 0,
				      collect_names, &names, &err),
			 0);
	ck_assert_int_eq(names.n, 4);
	ck_assert_str_eq(names.v[0], "bad\xEF\xBF\xBDx");
	ck_assert_str_eq(names.v[1], "\xF0\x9F\x98\x80");
	ck_assert_str_eq(names.v[2], "a\\ud800");
	ck_assert_str_eq(names.v[3], "\xEF\xBF\xBD\xEF\xBF\xBD");
	ck_assert_int_eq(sfa_sf_api_requests(f.sf), 1); /* not retried */
	teardown(&f);
}
END_TEST

static int stop_at_first(void *ud, json_t *rec, sfa_err *err)
{
	(void)ud;
	(void)rec;
	return sfa_err_set(err, SFA_ESTORE, "stop");
}

START_TEST(test_sf_callback_can_stop_the_query)
{
	struct fixture f;
	sfa_err err;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"done\":false,\"nextRecordsUrl\":"
				   "\"/services/data/v64.0/query/x-1\","
				   "\"records\":[{\"Id\":\"1\"}]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      stop_at_first, NULL, &err),
			 SFA_ESTORE);
	ck_assert_int_eq(mock_nrequests(&f.m), 2);
	teardown(&f);
}
END_TEST

START_TEST(test_sf_refuses_next_records_url_off_the_instance)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"done\":false,\"nextRecordsUrl\":"
				   "\"@evil.example/x\",\"records\":[]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 SFA_EPROTO);
	ck_assert_int_eq(mock_nrequests(&f.m), 2);
	teardown(&f);
}
END_TEST

/* The token goes wherever nextRecordsUrl points: a dot segment, a ';' or
 * another version is refused before anything is sent. */
START_TEST(test_sf_refuses_next_records_url_with_dot_segments)
{
	static const char *const bad[] = {
	    "/services/data/../v64.;/query/01gXX-2",
	    "/services/data/v64.0/query/../../x",
	    "/services/data/v63.0/query/01gXX-2",
	    "/services/data/v64.0/sobjects/User",
	    "/services/data/v64.0/query/01gXX;2",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fixture f;
		char page[256];
		sfa_err err;
		int n = 0;

		setup(&f);
		snprintf(page, sizeof(page),
			 "{\"done\":false,\"nextRecordsUrl\":\"%s\","
			 "\"records\":[{\"Id\":\"1\"}]}",
			 bad[i]);
		mock_push(&f.m, mock_login_reply(&f.m));
		mock_push(&f.m, mock_reply(200, "", page));
		sfa_err_clear(&err);
		ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
					      count_records, &n, &err),
				 SFA_EPROTO);
		ck_assert_msg(strstr(err.msg, "unexpected nextRecordsUrl") !=
				  NULL,
			      "%s: %s", bad[i], err.msg);
		ck_assert_int_eq(mock_nrequests(&f.m), 2);
		teardown(&f);
	}
}
END_TEST

START_TEST(test_sf_record_that_is_not_an_object_is_a_protocol_error)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"done\":true,\"records\":[{\"Id\":\"1\"},"
				   "\"005000000000001AAA\",null]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 SFA_EPROTO);
	ck_assert_str_eq(err.msg, "query result for User: record 2 is not a "
				  "JSON object");
	ck_assert_int_eq(n, 0); /* the page is refused whole */
	teardown(&f);
}
END_TEST

static const char locator_lost[] = "[{\"message\":\"invalid query locator\","
				   "\"errorCode\":\"INVALID_QUERY_LOCATOR\"}]";
static const char first_page[] =
    "{\"totalSize\":3,\"done\":false,\"nextRecordsUrl\":"
    "\"/services/data/v64.0/query/01gXX-2\",\"records\":"
    "[{\"Id\":\"1\"},{\"Id\":\"2\"}]}";

/* The org forgot the cursor between pages: the query runs again from
 * its first page, and the records already handed over are not handed
 * over twice. */
START_TEST(test_sf_lost_query_locator_restarts_the_query)
{
	struct fixture f;
	sfa_err err;
	int n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(200, "", first_page));
	mock_push(&f.m, mock_reply(400, "", locator_lost));
	mock_push(&f.m, mock_reply(200, "", first_page));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"totalSize\":3,\"done\":true,"
				   "\"records\":[{\"Id\":\"3\"}]}"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(mock_nrequests(&f.m), 5);
	ck_assert_ptr_nonnull(
	    strstr(mock_request(&f.m, 3), "GET /services/data/v64.0/query?q="));
	ck_assert_ptr_nonnull(strstr(mock_request(&f.m, 4),
				     "GET /services/data/v64.0/query/01gXX-2"));
	teardown(&f);
}
END_TEST

START_TEST(test_sf_lost_query_locator_gives_up_after_three_restarts)
{
	struct fixture f;
	sfa_err err;
	int i, n = 0;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	for (i = 0; i < 4; i++) {
		mock_push(&f.m, mock_reply(200, "", first_page));
		mock_push(&f.m, mock_reply(400, "", locator_lost));
	}
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_query(f.sf, "SELECT Id FROM User", 0,
				      count_records, &n, &err),
			 SFA_ESF);
	ck_assert_str_eq(err.sf_code, "INVALID_QUERY_LOCATOR");
	ck_assert_msg(strstr(err.msg, "cursor was lost 4 times") != NULL, "%s",
		      err.msg);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(mock_nrequests(&f.m), 9);
	teardown(&f);
}
END_TEST

START_TEST(test_sf_write_is_sent_once)
{
	struct fixture f;
	sfa_err err;
	json_t *body = json_pack("{s:s,s:s}", "AssigneeId", "005",
				 "PermissionSetId", "0PS");
	json_t *out = NULL;

	setup(&f);
	mock_push(&f.m, mock_login_reply(&f.m));
	mock_push(&f.m, mock_reply(503, "", "[]"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_request(f.sf, "POST",
					"sobjects/PermissionSetAssignment",
					body, &out, &err),
			 SFA_ESF);
	ck_assert_int_eq(err.http_status, 503);
	ck_assert_str_eq(err.where, "PermissionSetAssignment");
	ck_assert_int_eq(mock_nrequests(&f.m), 2);
	ck_assert_ptr_nonnull(strstr(mock_request(&f.m, 1),
				     "{\"AssigneeId\":\"005\","
				     "\"PermissionSetId\":\"0PS\"}"));
	json_decref(body);
	teardown(&f);
}
END_TEST

START_TEST(test_sf_error_body_parsing)
{
	sfa_err err;
	const char *b;

	sfa_err_clear(&err);
	b = "[{\"message\":\"\\nSELECT Id FORM User\\n ^\\nERROR at "
	    "Row:1:Column:11\",\"errorCode\":\"MALFORMED_QUERY\"}]";
	ck_assert_int_eq(
	    sfa_sf_error_from_body(400, b, strlen(b), "User", &err), SFA_ESF);
	ck_assert_str_eq(err.sf_code, "MALFORMED_QUERY");
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	ck_assert_ptr_nonnull(
	    strstr(err.msg, "SELECT Id FORM User ^ ERROR at Row:1"));

	sfa_err_clear(&err);
	b = "{\"error\":\"invalid_grant\",\"error_description\":"
	    "\"authentication failure\"}";
	ck_assert_int_eq(sfa_sf_error_from_body(400, b, strlen(b), NULL, &err),
			 SFA_ESF);
	ck_assert_str_eq(err.sf_code, "invalid_grant");
	ck_assert_ptr_nonnull(strstr(err.msg, "authentication failure"));

	sfa_err_clear(&err);
	b = "<html>Bad gateway</html>";
	ck_assert_int_eq(sfa_sf_error_from_body(502, b, strlen(b), NULL, &err),
			 SFA_ESF);
	ck_assert_str_eq(err.sf_code, "");
	ck_assert_int_eq(err.http_status, 502);

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_error_from_body(401, NULL, 0, NULL, &err),
			 SFA_EAUTH);
}
END_TEST

START_TEST(test_sf_limit_info_parsing)
{
	long u = -1, l = -1;

	ck_assert_int_eq(sfa_sf_limit_info_parse("api-usage=18/5000", &u, &l),
			 1);
	ck_assert_int_eq(u, 18);
	ck_assert_int_eq(l, 5000);
	ck_assert_int_eq(
	    sfa_sf_limit_info_parse("per-app-api-usage=17/250(appName=sample), "
				    "api-usage=25/15000",
				    &u, &l),
	    1);
	ck_assert_int_eq(u, 25);
	ck_assert_int_eq(l, 15000);
	ck_assert_int_eq(
	    sfa_sf_limit_info_parse("api-usage=7/100; api-bursts=1/10", &u, &l),
	    1);
	ck_assert_int_eq(u, 7);
	u = l = -1;
	ck_assert_int_eq(sfa_sf_limit_info_parse("api-usage=x/5000", &u, &l),
			 0);
	ck_assert_int_eq(sfa_sf_limit_info_parse("api-usage=18/", &u, &l), 0);
	ck_assert_int_eq(sfa_sf_limit_info_parse("api-usage=18", &u, &l), 0);
	ck_assert_int_eq(sfa_sf_limit_info_parse("", &u, &l), 0);
	ck_assert_int_eq(sfa_sf_limit_info_parse(NULL, &u, &l), 0);
	ck_assert_int_eq(u, -1);
}
END_TEST

START_TEST(test_sf_advice)
{
	ck_assert_str_eq(
	    sfa_sf_advice("FUNCTIONALITY_NOT_ENABLED"),
	    "the connecting user lacks the API Enabled permission: "
	    "add a permission set with API Enabled to the user");
	ck_assert_ptr_nonnull(strstr(
	    sfa_sf_advice_for("INSUFFICIENT_ACCESS", "User"), "Manage Users"));
	ck_assert_ptr_nonnull(
	    strstr(sfa_sf_advice_for("INSUFFICIENT_ACCESS_ON_CROSS_"
				     "REFERENCE_ENTITY",
				     "ConnectedApplication"),
		   "Customize Application"));
	ck_assert_ptr_nonnull(
	    strstr(sfa_sf_advice_for("INSUFFICIENT_ACCESS", "UserRole"),
		   "Manage Roles"));
	ck_assert_ptr_nonnull(sfa_sf_advice("INVALID_LOGIN"));
	ck_assert_ptr_nonnull(sfa_sf_advice("API_CURRENTLY_DISABLED"));
	ck_assert_ptr_nonnull(sfa_sf_advice("API_DISABLED_FOR_ORG"));
	ck_assert_ptr_nonnull(sfa_sf_advice("LOGIN_MUST_USE_SECURITY_TOKEN"));
	ck_assert_ptr_nonnull(sfa_sf_advice("INVALID_SESSION_ID"));
	ck_assert_ptr_nonnull(sfa_sf_advice("REQUEST_LIMIT_EXCEEDED"));
	ck_assert_ptr_null(sfa_sf_advice("MALFORMED_QUERY"));
	ck_assert_ptr_null(sfa_sf_advice(NULL));
}
END_TEST

START_TEST(test_soql_from_finds_the_outer_object)
{
	char o[64];

	ck_assert_int_eq(sfa_soql_from("SELECT Id FROM User", o, sizeof(o)), 1);
	ck_assert_str_eq(o, "User");
	ck_assert_int_eq(sfa_soql_from("select Id, (select Id from "
				       "PermissionSetAssignments) from "
				       "User where Name = 'x FROM Evil'",
				       o, sizeof(o)),
			 1);
	ck_assert_str_eq(o, "User");
	ck_assert_int_eq(
	    sfa_soql_from("SELECT Id FROM\nGroupMember", o, sizeof(o)), 1);
	ck_assert_str_eq(o, "GroupMember");
	ck_assert_int_eq(sfa_soql_from("SELECT FromX FROM Group", o, sizeof(o)),
			 1);
	ck_assert_str_eq(o, "Group");
	ck_assert_int_eq(sfa_soql_from("SELECT Id", o, sizeof(o)), 0);
	ck_assert_str_eq(o, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sf");
	TCase *tc = tcase_create("client");
	TCase *tp = tcase_create("parsers");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_sf_page_peek_reads_the_count_or_nothing);
	tcase_add_test(tc, test_sf_query_follows_next_records_url);
	tcase_add_test(tc, test_sf_query_all_uses_query_all);
	tcase_add_test(tc, test_sf_relogs_in_once_after_401);
	tcase_add_test(tc, test_sf_refused_sessions_stop_after_bounded_logins);
	tcase_add_test(tc, test_sf_request_limit_is_never_retried);
	tcase_add_test(tc,
		       test_sf_insufficient_access_names_object_and_permission);
	tcase_add_test(tc, test_sf_truncated_page_is_fetched_again);
	tcase_add_test(tc,
		       test_sf_lone_surrogate_is_read_as_replacement_character);
	tcase_add_test(tc, test_sf_callback_can_stop_the_query);
	tcase_add_test(tc, test_sf_refuses_next_records_url_off_the_instance);
	tcase_add_test(tc, test_sf_refuses_next_records_url_with_dot_segments);
	tcase_add_test(
	    tc, test_sf_record_that_is_not_an_object_is_a_protocol_error);
	tcase_add_test(tc, test_sf_lost_query_locator_restarts_the_query);
	tcase_add_test(
	    tc, test_sf_lost_query_locator_gives_up_after_three_restarts);
	tcase_add_test(tc, test_sf_write_is_sent_once);
	tcase_add_test(tp, test_sf_error_body_parsing);
	tcase_add_test(tp, test_sf_limit_info_parsing);
	tcase_add_test(tp, test_sf_advice);
	tcase_add_test(tp, test_soql_from_finds_the_outer_object);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tp);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
