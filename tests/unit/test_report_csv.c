/*
 * test_report_csv.c - the CSV writer: cells are quoted only when they need
 * it and neutralised when a spreadsheet would run them, and a hashing
 * writer writes the same bytes as a plain one while giving their size and
 * SHA-256 for the manifest.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_csv.h"

/* The rows of the tests: plain, quoted and neutralised cells. */
static const char *const cells[] = {"plain", "a,b",  "say \"hi\"", "=1+2",
				    NULL,    " pad", "line\nbreak"};
#define NCELLS ((int)(sizeof(cells) / sizeof(cells[0])))

/* Writes rows copies of cells[] through a plain or a hashing writer; the
 * text is the caller's to free. */
static char *write_rows(int hashed, int rows, sfa_file_digest *d)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	sfa_csv *w;
	sfa_err err;
	int i;

	ck_assert_ptr_nonnull(f);
	sfa_err_clear(&err);
	ck_assert_int_eq(hashed ? sfa_csv_new_hashed(&w, f, &err)
				: sfa_csv_new(&w, f, &err),
			 0);
	for (i = 0; i < rows; i++)
		ck_assert_int_eq(sfa_csv_row(w, cells, NCELLS, &err), 0);
	if (hashed)
		ck_assert_int_eq(sfa_csv_finish(w, d, &err), 0);
	else
		ck_assert_int_eq(sfa_csv_finish(w, d, &err), SFA_EINTERNAL);
	ck_assert_int_eq(sfa_csv_rows(w), rows);
	sfa_csv_free(w);
	fclose(f);
	return buf;
}

START_TEST(test_cells_are_quoted_and_neutralised_as_needed)
{
	sfa_file_digest d = {0, ""};
	char *text = write_rows(0, 1, &d);

	ck_assert_str_eq(text, "plain,\"a,b\",\"say \"\"hi\"\"\",'=1+2,,\" "
			       "pad\",\"line\nbreak\"\r\n");
	free(text);
}
END_TEST

START_TEST(test_hashed_writer_gives_size_and_sha256_of_what_it_wrote)
{
	sfa_file_digest d = {0, ""};
	char *text = write_rows(1, 1, &d);

	ck_assert_int_eq(d.bytes, (long long)strlen(text));
	/* sha256sum of the row above */
	ck_assert_str_eq(d.sha256, "60a472932cd5bf5c4602f6aac4fda4fb"
				   "fb32704d960937278e7badab738d89ba");
	free(text);
}
END_TEST

/* Enough rows that the writer's blocks fill several times over. */
START_TEST(test_hashed_writer_writes_what_a_plain_one_does)
{
	sfa_file_digest d = {0, ""}, unused = {0, ""};
	char *plain = write_rows(0, 20000, &unused);
	char *hashed = write_rows(1, 20000, &d);
	char hex[65];
	long long bytes;
	sfa_sha256 *h;
	sfa_err err;

	ck_assert_str_eq(hashed, plain);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sha256_new(&h, &err), 0);
	ck_assert_int_eq(sfa_sha256_update(h, plain, strlen(plain), &err), 0);
	ck_assert_int_eq(sfa_sha256_final(h, hex, &bytes, &err), 0);
	sfa_sha256_free(h);
	ck_assert_int_eq(d.bytes, bytes);
	ck_assert_str_eq(d.sha256, hex);
	free(plain);
	free(hashed);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report_csv");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_cells_are_quoted_and_neutralised_as_needed);
	tcase_add_test(
	    tc, test_hashed_writer_gives_size_and_sha256_of_what_it_wrote);
	tcase_add_test(tc, test_hashed_writer_writes_what_a_plain_one_does);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
