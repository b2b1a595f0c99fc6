/*
 * test_campaign.c - the pieces of review campaigns that need no org: the
 * row token (an HMAC-SHA256 any reader can recompute) and the XLSX
 * reader's cells (fixtures/review/).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "xlsx.h"

START_TEST(test_token_is_the_hmac_of_the_row_key_and_reviewer)
{
	unsigned char secret[32];
	char tok[65], other[65];
	int i;

	for (i = 0; i < 32; i++)
		secret[i] = (unsigned char)i;
	sfa_campaign_token(secret, sizeof(secret), 7, "005000000000001AAA",
			   "permission_set", "0PS000000000001AAA", "direct",
			   "", "reviewer@acme.example", tok);
	/* Python: hmac.new(bytes(range(32)), b"7\x1f005...\x1f", sha256) */
	ck_assert_str_eq(tok, "076127b1da00890657ea8800551addffe0e487d7d62f503d"
			      "be1c535f4aef866a");
	sfa_campaign_token(secret, sizeof(secret), 7, "005000000000001AAA",
			   "permission_set", "0PS000000000001AAA", "direct",
			   "", "someone.else@acme.example", other);
	ck_assert_str_ne(tok, other);
}
END_TEST

typedef struct rows {
	char text[8][128];
	int n;
} rows;

static int on_row(void *ud, long row, const char *const *cells, size_t n)
{
	rows *r = ud;
	size_t i;
	int at = snprintf(r->text[r->n], sizeof(r->text[0]), "%ld:", row);

	for (i = 0; i < n; i++)
		at += snprintf(r->text[r->n] + at,
			       sizeof(r->text[0]) - (size_t)at, "%s[%s]",
			       i ? "," : "", cells[i]);
	r->n++;
	return 0;
}

START_TEST(test_xlsx_reads_inline_shared_and_unreferenced_cells)
{
	sfa_xlsx *x = NULL;
	sfa_err err;
	rows r;
	char *kw = NULL;

	memset(&r, 0, sizeof(r));
	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_xlsx_open(&x,
			  SFA_SOURCE_DIR "/fixtures/review/inline-and-shared.xlsx",
			  &err),
	    0);
	ck_assert_int_eq(sfa_xlsx_property(x, "keywords", &kw, &err), 0);
	ck_assert_str_eq(kw, "campaign 1, snapshot ab, reviewer a@b");
	free(kw);
	ck_assert_int_eq(sfa_xlsx_each_row(x, "Review", on_row, &r, &err), 0);
	ck_assert_int_eq(r.n, 2);
	/* B1 is missing: ""; a row without r follows row 1; the rich shared
	 * string's runs are joined and its phonetic guide left out. */
	ck_assert_str_eq(r.text[0], "1:[username],[],[user_id]");
	ck_assert_str_eq(r.text[1], "2:[12],[rich]");
	ck_assert_int_eq(sfa_xlsx_each_row(x, "Other", on_row, &r, &err),
			 SFA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "has no sheet named Other"));
	sfa_xlsx_free(x);
}
END_TEST

START_TEST(test_xlsx_refuses_what_is_not_a_workbook)
{
	sfa_xlsx *x = NULL;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_xlsx_open_mem(&x, "a.xlsx", "username,user_id\n",
					   17, &err),
			 SFA_EINPUT);
	ck_assert_ptr_null(x);
	ck_assert_ptr_nonnull(strstr(err.msg, "a.xlsx: not a readable .xlsx"));
}
END_TEST

START_TEST(test_xlsx_cell_names)
{
	char n[16];

	sfa_xlsx_cell_name(0, 1, n);
	ck_assert_str_eq(n, "A1");
	sfa_xlsx_cell_name(10, 17, n);
	ck_assert_str_eq(n, "K17");
	sfa_xlsx_cell_name(26, 3, n);
	ck_assert_str_eq(n, "AA3");
	sfa_xlsx_cell_name(16383, 1048576, n);
	ck_assert_str_eq(n, "XFD1048576");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("campaign");
	TCase *tc = tcase_create("campaign");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_token_is_the_hmac_of_the_row_key_and_reviewer);
	tcase_add_test(tc, test_xlsx_reads_inline_shared_and_unreferenced_cells);
	tcase_add_test(tc, test_xlsx_refuses_what_is_not_a_workbook);
	tcase_add_test(tc, test_xlsx_cell_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
