/*
 * test_apply_prefetch.c - apply's batched read of the state before
 * execution, against the loopback mock server: what changed in the org
 * between that read and a write settles as the spec says (a record
 * deleted meanwhile: `already`; assigned meanwhile: `already`; a member
 * added meanwhile: `done`), a retry reads live, and an operation after a
 * write of the same state reads live.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "http.h"
#include "mock_http_server.h"

#define USER "0055e000000000AAAA"
#define GROUP1 "00G5e0000000001EAA"
#define GROUP2 "00G5e0000000002EAA"
#define PS1 "0PS5e0000000001GAA"
#define PS2 "0PS5e0000000002GAA"
#define ROLE "00E5e0000000001EAA"

struct fixture {
	char dir[64], path[128];
	mock_server m;
	sfa_http *http;
	sfa_auth_config cfg;
	sfa_sf *sf;
	sfa_store *st;
	sfa_changefile *cf;
	sfa_problems probs;
	sfa_apply *a;
};

static void setup(struct fixture *f)
{
	sfa_http_options o = {0};
	sfa_err err;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/sfa-prefetch.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_store_open(&f->st, f->path, 0, &err), 0);
	mock_start(&f->m, NULL);
	o.backoff_base_ms = 1;
	o.backoff_max_ms = 2;
	o.max_attempts = 3;
	o.timeout_ms = 3000;
	ck_assert_int_eq(sfa_http_new(&f->http, &o, &err), 0);
	f->cfg.method = SFA_AUTH_PASSWORD;
	f->cfg.base_url = f->m.url;
	f->cfg.api_version = "64.0";
	f->cfg.username = "admin@acme.example";
	f->cfg.password = "pw";
	ck_assert_int_eq(sfa_sf_new(&f->sf, f->http, &f->cfg, &err), 0);
	mock_push(&f->m, mock_login_reply(&f->m));
}

static void teardown(struct fixture *f)
{
	char p[160];

	sfa_apply_free(f->a);
	sfa_changefile_free(f->cf);
	sfa_problems_free(&f->probs);
	sfa_sf_free(f->sf);
	sfa_http_free(f->http);
	mock_stop(&f->m);
	sfa_store_free(f->st);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
}

/* A query answer of one page. */
static void push_records(struct fixture *f, const char *records)
{
	char body[2048];

	snprintf(body, sizeof(body), "{\"done\":true,\"records\":[%s]}",
		 records);
	mock_push(&f->m, mock_reply(200, "", body));
}

static void push_user(struct fixture *f)
{
	push_records(f, "{\"Id\":\"" USER "\",\"Username\":\"jdoe@acme."
			"example\",\"IsActive\":true,\"ProfileId\":null}");
}

/* The org's Name, read after the validation for the confirmation. */
static void push_org(struct fixture *f)
{
	push_records(f, "{\"Name\":\"Acme\",\"IsSandbox\":false}");
}

/* Validates and runs csv (the replies are queued); every line must run
 * once. */
static void apply(struct fixture *f, const char *csv)
{
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_changefile_parse(&f->cf, "changes.csv", csv,
					      strlen(csv), &f->probs, &err),
			 0);
	ck_assert_int_eq(f->probs.n, 0);
	ck_assert_int_eq(sfa_sf_login(f->sf, &err), 0);
	ck_assert_int_eq(
	    sfa_apply_prepare(&f->a, f->sf, f->cf, NULL, &f->probs, &err), 0);
	ck_assert_int_eq(f->probs.n, 0);
	sfa_apply_set_retry(f->a, 3, 1, 2);
	ck_assert_int_eq(sfa_apply_execute(f->a, f->st, NULL, NULL, &err), 0);
}

/* The operation of a line. */
static const sfa_apply_op *line(const struct fixture *f, long n)
{
	size_t i;

	for (i = 0; i < sfa_apply_nops(f->a); i++)
		if (sfa_apply_op_at(f->a, i)->c->line == n)
			return sfa_apply_op_at(f->a, i);
	ck_abort_msg("no line %ld", n);
	return NULL;
}

static void assert_request(struct fixture *f, int i, const char *start)
{
	const char *r = mock_request(&f->m, i);

	ck_assert_msg(r && strncmp(r, start, strlen(start)) == 0,
		      "request %d is <%.120s>, expected <%s>", i,
		      r ? r : "(none)", start);
}

START_TEST(test_apply_settles_changes_made_since_the_batched_read)
{
	struct fixture f;

	setup(&f);
	push_user(&f);
	push_records(&f, "{\"Id\":\"" GROUP1 "\",\"DeveloperName\":\"G1\","
			 "\"Type\":\"Regular\"},{\"Id\":\"" GROUP2
			 "\",\"DeveloperName\":\"G2\",\"Type\":\"Queue\"}");
	push_records(&f, "{\"Id\":\"" PS1 "\",\"Name\":\"P1\","
			 "\"PermissionSetGroupId\":null,\"IsOwnedByProfile\":"
			 "false},{\"Id\":\"" PS2 "\",\"Name\":\"P2\","
			 "\"PermissionSetGroupId\":null,\"IsOwnedByProfile\":"
			 "false}");
	push_org(&f);
	/* The batched reads: the user is in G2 and holds P2. */
	push_records(&f, "{\"Id\":\"0115e0000000001AAA\",\"GroupId\":\"" GROUP2
			 "\",\"UserOrGroupId\":\"" USER "\"}");
	push_records(&f, "{\"Id\":\"0Pa5e0000000001AAA\",\"AssigneeId\":"
			 "\"" USER "\",\"PermissionSetId\":\"" PS2 "\","
			 "\"PermissionSetGroupId\":null}");
	/* Then, before each write, someone else did the same: added the
	 * member (Salesforce returns it), assigned P1, removed both. */
	mock_push(&f.m, mock_reply(201, "",
				   "{\"id\":\"0115e0000000009AAA\","
				   "\"success\":true,\"errors\":[]}"));
	mock_push(&f.m,
		  mock_reply(400, "",
			     "[{\"message\":\"Duplicate PermissionSetAssignment"
			     "\",\"errorCode\":\"DUPLICATE_VALUE\"}]"));
	mock_push(&f.m, mock_reply(404, "",
				   "[{\"message\":\"entity is deleted\","
				   "\"errorCode\":\"ENTITY_IS_DELETED\"}]"));
	mock_push(&f.m, mock_reply(404, "",
				   "[{\"message\":\"entity is deleted\","
				   "\"errorCode\":\"ENTITY_IS_DELETED\"}]"));
	apply(&f, "op,resource_type,resource,user,fields,comment\n"
		  "grant,group," GROUP1 "," USER ",,\n"
		  "grant,permission_set," PS1 "," USER ",,\n"
		  "revoke,group," GROUP2 "," USER ",,\n"
		  "revoke,permission_set," PS2 "," USER ",,\n");

	/* login, 3 to validate, the org, 2 batched reads, one write per
	 * line */
	ck_assert_int_eq(mock_nrequests(&f.m), 11);
	assert_request(&f, 4, "GET /services/data/v64.0/query?q=SELECT+Name,"
			      "+IsSandbox+FROM+Organization");
	assert_request(&f, 5,
		       "GET /services/data/v64.0/query?q=SELECT+Id"
		       ",+GroupId,+UserOrGroupId+FROM+GroupMember");
	assert_request(&f, 6,
		       "GET /services/data/v64.0/query?q=SELECT+Id"
		       ",+AssigneeId");
	assert_request(&f, 7,
		       "POST /services/data/v64.0/sobjects/"
		       "GroupMember ");
	assert_request(&f, 10,
		       "DELETE /services/data/v64.0/sobjects/"
		       "PermissionSetAssignment/0Pa5e0000000001AAA ");
	/* A duplicate member is returned, not refused: only the read tells,
	 * and it said the user was not in G1. */
	ck_assert_int_eq(line(&f, 2)->outcome, SFA_OUTCOME_DONE);
	ck_assert_str_eq(line(&f, 2)->record_id, "0115e0000000009AAA");
	ck_assert_int_eq(line(&f, 3)->outcome, SFA_OUTCOME_ALREADY);
	ck_assert_int_eq(line(&f, 4)->outcome, SFA_OUTCOME_ALREADY);
	ck_assert_str_eq(line(&f, 4)->record_id, "0115e0000000001AAA");
	ck_assert_int_eq(line(&f, 5)->outcome, SFA_OUTCOME_ALREADY);
	ck_assert_int_eq(line(&f, 5)->writes_sent, 1);
	ck_assert_int_eq(sfa_apply_prefetch_requests(f.a), 2);
	teardown(&f);
}
END_TEST

START_TEST(test_apply_retries_and_repeated_state_read_live)
{
	struct fixture f;

	setup(&f);
	push_user(&f);
	push_records(&f, "{\"Id\":\"" ROLE "\",\"DeveloperName\":\"R\"}");
	push_records(&f, "{\"Id\":\"" PS1 "\",\"Name\":\"P1\","
			 "\"PermissionSetGroupId\":null,\"IsOwnedByProfile\":"
			 "false}");
	push_org(&f);
	/* The batched reads: no assignment, no role. */
	push_records(&f, "");
	push_records(&f, "{\"Id\":\"" USER "\",\"ProfileId\":null,"
			 "\"UserRoleId\":null,\"IsActive\":true}");
	/* Line 2: the insert answers 503 (it was made all the same); the
	 * retry reads live and finds it. */
	mock_push(&f.m, mock_reply(503, "",
				   "[{\"message\":\"Server Unavailable\","
				   "\"errorCode\":\"SERVER_UNAVAILABLE\"}]"));
	push_records(&f, "{\"Id\":\"0Pa5e0000000002AAA\"}");
	/* Line 3 sets the role; line 4 revokes it, after reading the user
	 * live (the batched read said no role). */
	mock_push(&f.m, mock_reply(204, "", ""));
	mock_push(&f.m, mock_reply(200, "",
				   "{\"ProfileId\":null,\"UserRoleId\":\"" ROLE
				   "\",\"IsActive\":true}"));
	mock_push(&f.m, mock_reply(204, "", ""));
	apply(&f, "op,resource_type,resource,user,fields,comment\n"
		  "grant,permission_set," PS1 "," USER ",,\n"
		  "grant,role," ROLE "," USER ",,\n"
		  "revoke,role," ROLE "," USER ",,\n");

	ck_assert_int_eq(mock_nrequests(&f.m), 12);
	assert_request(&f, 8,
		       "GET /services/data/v64.0/query?q=SELECT+Id+"
		       "FROM+PermissionSetAssignment+WHERE+AssigneeId");
	assert_request(&f, 9,
		       "PATCH /services/data/v64.0/sobjects/User/" USER " ");
	assert_request(&f, 10,
		       "GET /services/data/v64.0/sobjects/User/" USER "?");
	assert_request(&f, 11,
		       "PATCH /services/data/v64.0/sobjects/User/" USER " ");
	ck_assert_ptr_nonnull(
	    strstr(mock_request(&f.m, 11), "\"UserRoleId\":null"));
	ck_assert_int_eq(line(&f, 2)->outcome, SFA_OUTCOME_DONE);
	ck_assert_int_eq(line(&f, 2)->attempts, 2);
	ck_assert_int_eq(line(&f, 2)->found_on_reread, 1);
	ck_assert_int_eq(line(&f, 3)->outcome, SFA_OUTCOME_DONE);
	ck_assert_int_eq(line(&f, 4)->outcome, SFA_OUTCOME_DONE);
	teardown(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("apply_prefetch");
	TCase *tc = tcase_create("prefetch");
	SRunner *sr;
	int failed;

	tcase_add_test(tc,
		       test_apply_settles_changes_made_since_the_batched_read);
	tcase_add_test(tc, test_apply_retries_and_repeated_state_read_live);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
