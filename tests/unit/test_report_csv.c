/*
 * test_report_csv.c - the CSV writer: cells are quoted only when they need
 * it and neutralised when a spreadsheet would run them, a hashing writer
 * writes the same bytes as a plain one while giving their size and SHA-256
 * for the manifest, and each access review row carries its own user's
 * cells.
 */
#include "store_fixture.h"

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
	sfa_hashwrite *h = NULL;
	sfa_err err;
	int i;

	ck_assert_ptr_nonnull(f);
	sfa_err_clear(&err);
	ck_assert_int_eq(hashed ? sfa_report_csv_new(&w, &h, f, &err)
				: sfa_csv_new(&w, f, &err),
			 0);
	for (i = 0; i < rows; i++)
		ck_assert_int_eq(sfa_csv_row(w, cells, NCELLS, &err), 0);
	if (hashed)
		ck_assert_int_eq(sfa_report_csv_finish(w, h, d, &err), 0);
	ck_assert_int_eq(sfa_csv_rows(w), rows);
	sfa_csv_free(w);
	sfa_hashwrite_free(h);
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

/* "user_id name access_name;" of each data row of csv (no quoted cells). */
static void user_and_access(const char *csv, char *out, size_t size)
{
	const char *line = strstr(csv, "\r\n");

	out[0] = '\0';
	while (line && line[2]) {
		const char *f[16];
		int i = 0;
		const char *p;

		line += 2;
		for (p = line; i < 16 && *p != '\r'; p++)
			if (p == line || p[-1] == ',')
				f[i++] = p;
		ck_assert_int_eq(i, 16);
		snprintf(out + strlen(out), size - strlen(out),
			 "%.*s %.*s %.*s;", (int)strcspn(f[3], ","), f[3],
			 (int)strcspn(f[5], ","), f[5],
			 (int)strcspn(f[15], ","), f[15]);
		line = strstr(line, "\r\n");
	}
}

/* 005A and 005B share a username, so their rows come together in access
 * name order, one user's, the other's, the first's again; 005C follows. */
START_TEST(test_review_rows_keep_their_own_users_cells)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    {SFA_OBJ_USER,
	     {"005B", "005A@x.test", "Name 005B", NULL, "Last", "005B@x.test",
	      T, "Standard", NULL, NULL, NULL, NULL, NULL,
	      "2026-01-01T00:00:00Z", NULL, "Salesforce", "SFDC"}},
	    USER("005C", T, "Standard", NULL, NULL),
	    GROUP("00G1", "Alpha", "Regular", NULL),
	    GROUP("00G2", "Beta", "Regular", NULL),
	    GROUP("00G3", "Gamma", "Regular", NULL),
	    GM("0111", "00G1", "005A", NULL),
	    GM("0112", "00G2", "005B", NULL),
	    GM("0113", "00G3", "005A", NULL),
	    GM("0114", "00G1", "005C", NULL),
	    GM("0115", "00G2", "005C", NULL),
	};
	char path[64], got[512], *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	sfa_file_digest d = {0, ""};
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org)), rows = 0;

	fx_expect(st, id,
		  (const char *const[]){
		      "005A group 00G1 direct -", "005B group 00G2 direct -",
		      "005A group 00G3 direct -", "005C group 00G1 direct -",
		      "005C group 00G2 direct -"},
		  5);
	ck_assert_int_eq(
	    sfa_report_access_csv(st, id, NULL, f, &rows, &d, &err), 0);
	fclose(f);
	ck_assert_int_eq(rows, 5);
	ck_assert_int_eq(d.bytes, (long long)n);
	user_and_access(buf, got, sizeof(got));
	ck_assert_str_eq(got, "005A Name 005A Alpha;005B Name 005B Beta;"
			      "005A Name 005A Gamma;005C Name 005C Alpha;"
			      "005C Name 005C Beta;");
	free(buf);
	fx_close(st, path);
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
	tcase_add_test(tc, test_review_rows_keep_their_own_users_cells);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
