/*
 * test_bulk.c - the streaming CSV reader (rows across chunk boundaries,
 * quotes, a restart mid-field) and a Bulk API 2.0 query job against the
 * loopback mock server: create, polls, a result page cut short and read
 * again without handing a row over twice, the locator followed to "null".
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "csv_io.h"
#include "http.h"
#include "mock_http_server.h"
#include "sf.h"

typedef struct rows {
	char text[2048]; /* rows as "a|b|c\n", NULL values as "~" */
	int n;
} rows;

static int collect(void *ud, const char *const *f, size_t n, sfa_err *err)
{
	rows *r = ud;
	size_t i, len = strlen(r->text);

	(void)err;
	for (i = 0; i < n; i++)
		len +=
		    (size_t)snprintf(r->text + len, sizeof(r->text) - len,
				     "%s%s", i ? "|" : "", f[i] ? f[i] : "~");
	snprintf(r->text + len, sizeof(r->text) - len, "\n");
	r->n++;
	return 0;
}

static const char tricky[] = "\"Id\",\"Name\",\"Note\"\n"
			     "\"1\",\"a, b\",\"\"\n"
			     "\"2\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
			     "\"3\",,\"last\"";

START_TEST(test_csv_stream_reads_rows_fed_one_byte_at_a_time)
{
	sfa_csv_stream *s;
	sfa_err err;
	rows r = {{0}, 0};
	size_t i;

	ck_assert_int_eq(sfa_csv_stream_new(&s, collect, &r, &err), 0);
	for (i = 0; i < sizeof(tricky) - 1; i++)
		ck_assert_int_eq(sfa_csv_stream_feed(s, tricky + i, 1, &err),
				 0);
	ck_assert_int_eq(sfa_csv_stream_end(s, &err), 0);
	ck_assert_str_eq(r.text, "Id|Name|Note\n1|a, b|\n2|say \"hi\"|two\n"
				 "lines\n3||last\n");
	ck_assert_int_eq(sfa_csv_stream_rows(s), 4);
	sfa_csv_stream_free(s);
}
END_TEST

START_TEST(test_csv_stream_restarts_after_input_cut_inside_quotes)
{
	sfa_csv_stream *s;
	sfa_err err;
	rows r = {{0}, 0};

	ck_assert_int_eq(sfa_csv_stream_new(&s, collect, &r, &err), 0);
	ck_assert_int_eq(sfa_csv_stream_feed(s, "\"1\",\"cut sh", 11, &err), 0);
	sfa_csv_stream_reset(s);
	ck_assert_int_eq(sfa_csv_stream_feed(s, "\"x\",\"y\"\n", 8, &err), 0);
	ck_assert_int_eq(sfa_csv_stream_end(s, &err), 0);
	ck_assert_str_eq(r.text, "x|y\n");
	sfa_csv_stream_free(s);
}
END_TEST

START_TEST(test_csv_stream_refuses_input_ending_inside_quotes)
{
	sfa_csv_stream *s;
	sfa_err err;
	rows r = {{0}, 0};

	ck_assert_int_eq(sfa_csv_stream_new(&s, collect, &r, &err), 0);
	ck_assert_int_eq(sfa_csv_stream_feed(s, "\"1\",\"open", 9, &err), 0);
	ck_assert_int_eq(sfa_csv_stream_end(s, &err), SFA_EPROTO);
	sfa_csv_stream_free(s);
}
END_TEST

/* A reply that announces more body than it sends: the connection closes
 * early, as when a network drops mid-page. */
static char *cut_reply(const char *headers, const char *body)
{
	size_t n = strlen(headers) + strlen(body) + 160;
	char *s = malloc(n);

	snprintf(s, n,
		 "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n%s\r\n%s",
		 strlen(body) + 40, headers, body);
	return s;
}

typedef struct job_result {
	rows r;
	long long done_rows;
	int done;
} job_result;

static int on_row(void *ud, const char *const *vals, size_t n, sfa_err *err)
{
	return collect(&((job_result *)ud)->r, vals, n, err);
}

static int on_done(void *ud, long long n, sfa_err *err)
{
	job_result *j = ud;

	(void)err;
	j->done_rows = n;
	j->done = 1;
	return 0;
}

START_TEST(test_bulk_query_reads_every_page_once_through_a_cut_page)
{
	static const char *const cols[] = {"Id", "Profile.Name"};
	mock_server m;
	sfa_http_options o = {0};
	sfa_auth_config cfg;
	sfa_http *http;
	sfa_sf *sf;
	sfa_sf_batch *b;
	sfa_bulk_query *q;
	sfa_bulk_opts bo = {2, 1, 2};
	job_result j;
	sfa_err err;

	memset(&j, 0, sizeof(j));
	mock_start(&m, NULL);
	o.backoff_base_ms = 1;
	o.backoff_max_ms = 2;
	o.timeout_ms = 3000;
	ck_assert_int_eq(sfa_http_new(&http, &o, &err), 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.method = SFA_AUTH_PASSWORD;
	cfg.base_url = m.url;
	cfg.api_version = "64.0";
	cfg.username = "admin@acme.example";
	cfg.password = "pw";
	ck_assert_int_eq(sfa_sf_new(&sf, http, &cfg, &err), 0);
	mock_push(&m, mock_login_reply(&m));
	mock_push(&m, mock_reply(200, "",
				 "{\"id\":\"750000000000001AAA\","
				 "\"state\":\"UploadComplete\"}"));
	mock_push(&m, mock_reply(200, "", "{\"state\":\"InProgress\"}"));
	mock_push(&m, mock_reply(200, "", "{\"state\":\"JobComplete\"}"));
	/* Page 1, cut after its first row, then whole. */
	mock_push(&m, cut_reply("Sforce-Locator: MQ\r\n"
				"Sforce-NumberOfRecords: 2\r\n",
				"\"Id\",\"Profile.Name\"\n\"005A\",\"Admin\"\n"
				"\"005B\",\"Sta"));
	mock_push(&m, mock_reply(200,
				 "Sforce-Locator: MQ\r\n"
				 "Sforce-NumberOfRecords: 2\r\n",
				 "\"Id\",\"Profile.Name\"\n\"005A\",\"Admin\"\n"
				 "\"005B\",\"Standard\"\n"));
	mock_push(&m, mock_reply(200,
				 "Sforce-Locator: null\r\n"
				 "Sforce-NumberOfRecords: 1\r\n",
				 "\"Id\",\"Profile.Name\"\n\"005C\",\"\"\n"));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sf_login(sf, &err), 0);
	ck_assert_int_eq(sfa_sf_batch_new(&b, sf, 2, &err), 0);
	ck_assert_int_eq(sfa_bulk_query_start(
			     &q, b, "SELECT Id, Profile.Name FROM User", cols,
			     2, "User", &bo, on_row, on_done, &j, &err),
			 0);
	ck_assert_int_eq(sfa_sf_batch_run(b, &err), 0);
	ck_assert_int_eq(j.done, 1);
	ck_assert_int_eq(j.done_rows, 3);
	ck_assert_str_eq(j.r.text, "005A|Admin\n005B|Standard\n005C|~\n");
	/* create, two polls, three result attempts */
	ck_assert_int_eq(sfa_bulk_query_requests(q), 6);
	ck_assert_int_eq(sfa_sf_api_requests(sf), 6);
	ck_assert_ptr_nonnull(strstr(mock_request(&m, 6), "locator=MQ"));
	ck_assert_ptr_nonnull(strstr(mock_request(&m, 6), "maxRecords=2"));
	ck_assert_ptr_nonnull(strstr(mock_request(&m, 1), "\"operation\":"
							  "\"query\""));
	sfa_sf_batch_free(b);
	sfa_bulk_query_free(q);
	sfa_sf_free(sf);
	sfa_http_free(http);
	mock_stop(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bulk");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_csv_stream_reads_rows_fed_one_byte_at_a_time);
	tcase_add_test(tc,
		       test_csv_stream_restarts_after_input_cut_inside_quotes);
	tcase_add_test(tc, test_csv_stream_refuses_input_ending_inside_quotes);
	tcase_add_test(
	    tc, test_bulk_query_reads_every_page_once_through_a_cut_page);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
