/*
 * test_apply_journal.c - the apply journal (store schema v2) and the
 * license -> least-privileged profile map: outcomes keyed by file hash and
 * line, a retried line counted, the command line winning over the config.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "journal.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sfa-journal.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/store.db", dir);
}

static void teardown(void)
{
	char p[160];

	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	unlink(path);
	rmdir(dir);
}

typedef struct got {
	long lines[8];
	sfa_outcome outcome[8];
	long attempts[8];
	char error_code[8][64];
	int n;
} got;

static int collect(void *ud, const sfa_journal_rec *r)
{
	got *g = ud;

	g->lines[g->n] = r->line;
	g->outcome[g->n] = r->outcome;
	g->attempts[g->n] = r->attempts;
	snprintf(g->error_code[g->n], 64, "%s",
		 r->error_code ? r->error_code : "");
	g->n++;
	return 0;
}

START_TEST(test_journal_keeps_outcomes_by_file_and_line_and_counts_retries)
{
	sfa_store *st;
	sfa_err err;
	got g;
	sfa_journal_rec r;

	memset(&g, 0, sizeof(g));
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_store_open(&st, path, 0, &err), 0);
	memset(&r, 0, sizeof(r));
	r.sha256 = "aaaa";
	r.op = "grant";
	r.resource_type = "permission_set";
	r.resource = "Sales_Ops";
	r.user = "jdoe@acme.example";
	r.line = 5;
	r.outcome = SFA_OUTCOME_FAILED;
	r.error_code = "UNABLE_TO_LOCK_ROW";
	r.error = "try again";
	ck_assert_int_eq(sfa_journal_put(st, &r, &err), 0);
	r.line = 3;
	r.outcome = SFA_OUTCOME_DONE;
	r.error_code = r.error = NULL;
	r.record_id = "0Pa000000000001AAA";
	ck_assert_int_eq(sfa_journal_put(st, &r, &err), 0);
	/* Line 5 again: the retry succeeded. */
	r.line = 5;
	r.outcome = SFA_OUTCOME_ALREADY;
	ck_assert_int_eq(sfa_journal_put(st, &r, &err), 0);
	/* Another file's line 3 is another row. */
	r.sha256 = "bbbb";
	r.line = 3;
	ck_assert_int_eq(sfa_journal_put(st, &r, &err), 0);

	ck_assert_int_eq(sfa_journal_each(st, "aaaa", collect, &g, &err), 0);
	ck_assert_int_eq(g.n, 2);
	ck_assert_int_eq(g.lines[0], 3);
	ck_assert_int_eq(g.outcome[0], SFA_OUTCOME_DONE);
	ck_assert_int_eq(g.attempts[0], 1);
	ck_assert_int_eq(g.lines[1], 5);
	ck_assert_int_eq(g.outcome[1], SFA_OUTCOME_ALREADY);
	ck_assert_int_eq(g.attempts[1], 2);
	ck_assert_str_eq(g.error_code[1], "");
	sfa_store_free(st);

	/* Durable across a reopen. */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sfa_store_open(&st, path, SFA_STORE_READONLY, &err),
			 0);
	ck_assert_int_eq(sfa_journal_each(st, "bbbb", collect, &g, &err), 0);
	ck_assert_int_eq(g.n, 1);
	sfa_store_free(st);
}
END_TEST

START_TEST(test_journal_refuses_a_line_without_outcome)
{
	sfa_store *st;
	sfa_err err;
	sfa_journal_rec r;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_store_open(&st, path, 0, &err), 0);
	memset(&r, 0, sizeof(r));
	r.sha256 = "aaaa";
	r.op = "grant";
	r.resource_type = "group";
	r.line = 2;
	ck_assert_int_eq(sfa_journal_put(st, &r, &err), SFA_EINTERNAL);
	sfa_store_free(st);
}
END_TEST

START_TEST(test_license_map_command_line_wins_over_config)
{
	sfa_license_map m;
	sfa_err err;

	memset(&m, 0, sizeof(m));
	sfa_err_clear(&err);
	/* cmd/apply.c adds --license-profile values first. */
	ck_assert_int_eq(sfa_license_map_add(&m, "Salesforce",
					     "Minimum Access - Salesforce",
					     &err),
			 0);
	ck_assert_int_eq(
	    sfa_license_map_add(&m, "Salesforce", "Standard User", &err), 0);
	ck_assert_int_eq(sfa_license_map_add(&m, "Salesforce Platform",
					     "Minimum Access - Platform", &err),
			 0);
	ck_assert_str_eq(sfa_license_map_get(&m, "Salesforce"),
			 "Minimum Access - Salesforce");
	ck_assert_str_eq(sfa_license_map_get(&m, "Salesforce Platform"),
			 "Minimum Access - Platform");
	ck_assert_ptr_null(sfa_license_map_get(&m, "salesforce"));
	ck_assert_ptr_null(sfa_license_map_get(&m, "Chatter Free"));
}
END_TEST

/* Runs: only the rows of the latest run, unfinished, settle anything;
 * a finished run or another org's starts afresh. */
START_TEST(test_journal_rows_belong_to_their_run)
{
	sfa_store *st = NULL;
	sfa_journal_run run, latest;
	sfa_journal_rec r;
	sfa_err err;
	got g;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_store_open(&st, path, 0, &err), 0);
	ck_assert_int_eq(sfa_journal_run_latest(st, "aaaa", "00Dorg", &latest,
						&err),
			 0);
	ck_assert_int_eq(latest.id, 0);
	ck_assert_int_eq(sfa_journal_run_start(st, "aaaa", "00Dorg", &run,
					       &err),
			 0);
	ck_assert_int_gt(run.id, 0);
	memset(&r, 0, sizeof(r));
	r.sha256 = "aaaa";
	r.line = 2;
	r.op = "grant";
	r.resource_type = "group";
	r.outcome = SFA_OUTCOME_DONE;
	r.run_id = run.id;
	ck_assert_int_eq(sfa_journal_put(st, &r, &err), 0);
	/* Interrupted: the latest run, unfinished, with its row. */
	ck_assert_int_eq(sfa_journal_run_latest(st, "aaaa", "00Dorg", &latest,
						&err),
			 0);
	ck_assert_int_eq(latest.id, run.id);
	ck_assert_int_eq(latest.finished, 0);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sfa_journal_each_in_run(st, run.id, collect, &g, &err),
			 0);
	ck_assert_int_eq(g.n, 1);
	/* Another org has no run of the file. */
	ck_assert_int_eq(sfa_journal_run_latest(st, "aaaa", "00Dother",
						&latest, &err),
			 0);
	ck_assert_int_eq(latest.id, 0);
	/* Finished: the next run is new, and has no rows yet. */
	ck_assert_int_eq(sfa_journal_run_finish(st, run.id, &err), 0);
	ck_assert_int_eq(sfa_journal_run_latest(st, "aaaa", "00Dorg", &latest,
						&err),
			 0);
	ck_assert_int_eq(latest.finished, 1);
	ck_assert_int_eq(sfa_journal_run_start(st, "aaaa", "00Dorg", &latest,
					       &err),
			 0);
	ck_assert_int_gt(latest.id, run.id);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(
	    sfa_journal_each_in_run(st, latest.id, collect, &g, &err), 0);
	ck_assert_int_eq(g.n, 0);
	sfa_store_free(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("apply_journal");
	TCase *tc = tcase_create("journal");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(
	    tc,
	    test_journal_keeps_outcomes_by_file_and_line_and_counts_retries);
	tcase_add_test(tc, test_journal_refuses_a_line_without_outcome);
	tcase_add_test(tc, test_license_map_command_line_wins_over_config);
	tcase_add_test(tc, test_journal_rows_belong_to_their_run);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
