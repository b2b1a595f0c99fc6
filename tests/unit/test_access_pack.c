/*
 * test_access_pack.c - the encoding of a user's access set: rows come
 * back as they went in (NULL and empty texts apart, keys of any size),
 * type codes order as their names do, and bytes that are not an encoding
 * (cut short, trailing, out of range) are refused without reading past
 * them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_pack.h"

static const sfa_access_item rows[] = {
    {SFA_AT_GROUP, SFA_AT_DIRECT, 7, 0, "2026-01-01T00:00:00Z", NULL,
     "2026-11-01T00:00:00Z"},
    {SFA_AT_GROUP, SFA_AT_ROLE, 7, 3000000000LL, NULL, NULL,
     "2026-11-01T00:00:00Z"},
    {SFA_AT_PERMISSION_SET, SFA_AT_DIRECT, 1LL << 62, 0, "2026-01-01T00:00:00Z",
     "", "2026-11-02T00:00:00Z"},
    {SFA_AT_ROLE, SFA_AT_DIRECT, 127, 0, NULL, NULL, "2026-11-01T00:00:00Z"},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

START_TEST(test_rows_come_back_as_they_went_in)
{
	sfa_access_set set = {0};
	sfa_buf b = {0};
	sfa_err err = {0};
	size_t i;

	ck_assert_int_eq(sfa_access_pack(rows, NROWS, &b), 0);
	ck_assert_int_eq(sfa_access_unpack(b.data, b.len, &set, &err), 0);
	ck_assert_uint_eq(set.n, NROWS);
	for (i = 0; i < NROWS; i++) {
		const sfa_access_item *x = &set.items[i], *w = &rows[i];

		ck_assert_int_eq(x->type, w->type);
		ck_assert_int_eq(x->via_type, w->via_type);
		ck_assert(x->access_id == w->access_id);
		ck_assert(x->via_id == w->via_id);
		ck_assert(same_text(x->assigned_at, w->assigned_at));
		ck_assert(same_text(x->expires_at, w->expires_at));
		ck_assert(same_text(x->first_seen_at, w->first_seen_at));
	}
	/* The same set decodes into the same reused buffers again. */
	ck_assert_int_eq(sfa_access_unpack(b.data, b.len, &set, &err), 0);
	ck_assert_uint_eq(set.n, NROWS);
	/* A set without rows is an encoding too. */
	sfa_buf_reset(&b);
	ck_assert_int_eq(sfa_access_pack(rows, 0, &b), 0);
	ck_assert_int_eq(sfa_access_unpack(b.data, b.len, &set, &err), 0);
	ck_assert_uint_eq(set.n, 0);
	sfa_access_set_free(&set);
	sfa_buf_free(&b);
}
END_TEST

START_TEST(test_each_date_is_stored_once)
{
	sfa_access_item many[200];
	sfa_buf b = {0};
	size_t i;

	for (i = 0; i < 200; i++) {
		many[i] = rows[0];
		many[i].access_id = (long long)i + 1;
	}
	ck_assert_int_eq(sfa_access_pack(many, 200, &b), 0);
	/* Two dates once, then 5 bytes per row: the first byte, the access
	 * key's difference from the row before's (1), the via key's (0),
	 * the two date refs; first_seen_at is the first row's. */
	ck_assert_uint_lt(b.len, 2 * 21 + 200 * 5 + 8);
	sfa_buf_free(&b);
}
END_TEST

/* A user with thousands of assignments has as many dates: each row keeps
 * its own, and the texts are found by content, not only by pointer. */
START_TEST(test_thousands_of_dates_each_row_keeps_its_own)
{
	enum { N = 20000 };
	sfa_access_item *many = calloc(N, sizeof(*many));
	char(*date)[24] = calloc(N, sizeof(*date));
	char again[24];
	sfa_access_set set = {0};
	sfa_buf b = {0};
	sfa_err err = {0};
	size_t i;

	ck_assert_ptr_nonnull(many);
	ck_assert_ptr_nonnull(date);
	for (i = 0; i < N; i++) {
		snprintf(date[i], sizeof(date[i]), "2026-01-01T00:%05zu", i);
		many[i] = rows[0];
		many[i].access_id = (long long)i + 1;
		many[i].assigned_at = date[i];
	}
	/* The same date in another buffer is the same text. */
	memcpy(again, date[7], sizeof(again));
	many[N - 1].assigned_at = again;
	ck_assert_int_eq(sfa_access_pack(many, N, &b), 0);
	ck_assert_int_eq(sfa_access_unpack(b.data, b.len, &set, &err), 0);
	ck_assert_uint_eq(set.n, N);
	ck_assert_uint_eq(set.ntexts, N - 1 + 1); /* the dates and first_seen */
	for (i = 0; i < N; i++)
		ck_assert_str_eq(set.items[i].assigned_at,
				 i == N - 1 ? date[7] : date[i]);
	sfa_access_set_free(&set);
	sfa_buf_free(&b);
	free(date);
	free(many);
}
END_TEST

START_TEST(test_type_codes_order_as_their_names)
{
	int c;

	for (c = 0; c + 1 < SFA_AT_COUNT; c++)
		ck_assert_int_lt(strcmp(sfa_access_type_name(c),
					sfa_access_type_name(c + 1)),
				 0);
	for (c = 0; c < SFA_AT_COUNT; c++)
		ck_assert_int_eq(sfa_access_type_code(sfa_access_type_name(c)),
				 c);
	ck_assert_int_eq(sfa_access_type_code("Group"), -1);
	ck_assert_int_eq(sfa_access_type_code(NULL), -1);
	ck_assert_ptr_null(sfa_access_type_name(SFA_AT_COUNT));
}
END_TEST

/* Decodes n bytes copied to a buffer of exactly that size, so that the
 * sanitizers see any read past them. */
static int unpack_exact(const char *p, size_t n, sfa_access_set *set,
			sfa_err *err)
{
	char *copy = malloc(n ? n : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, p, n);
	rc = sfa_access_unpack(copy, n, set, err);
	free(copy);
	return rc;
}

START_TEST(test_damaged_bytes_are_refused)
{
	sfa_access_set set = {0};
	sfa_buf b = {0};
	sfa_err err = {0};
	char *bad;
	size_t n;

	ck_assert_int_eq(sfa_access_pack(rows, NROWS, &b), 0);
	/* Every cut of the encoding is refused. */
	for (n = 0; n < b.len; n++) {
		ck_assert_int_eq(unpack_exact(b.data, n, &set, &err),
				 SFA_ESTORE);
		ck_assert_uint_eq(set.n, 0);
	}
	ck_assert_ptr_nonnull(strstr(err.msg, "damaged"));
	ck_assert_ptr_nonnull(bad = malloc(b.len + 1));
	/* A trailing byte. */
	memcpy(bad, b.data, b.len);
	bad[b.len] = 0;
	ck_assert_int_eq(unpack_exact(bad, b.len + 1, &set, &err), SFA_ESTORE);
	/* Another format. */
	bad[0] = 3;
	ck_assert_int_eq(unpack_exact(bad, b.len, &set, &err), SFA_ESTORE);
	/* The last row, (role, direct, 127, 0) with no dates and the first
	 * row's first_seen_at, is its first byte and three more: flagged as
	 * having a via byte (and so maybe a first_seen_at) of its own, it
	 * ends too soon. */
	memcpy(bad, b.data, b.len);
	bad[b.len - 4] = (char)(bad[b.len - 4] | 0x70);
	ck_assert_int_eq(unpack_exact(bad, b.len, &set, &err), SFA_ESTORE);
	/* A type code past the last. */
	memcpy(bad, b.data, b.len);
	bad[b.len - 4] = (char)(bad[b.len - 4] | 0x0f);
	ck_assert_int_eq(unpack_exact(bad, b.len, &set, &err), SFA_ESTORE);
	/* Format 1 (stores written before the entitlement types) is read,
	 * its codes as today's: a text reference past the texts: one text,
	 * row (group, direct, 1, 0) whose assigned_at is text 5. */
	ck_assert_int_eq(unpack_exact("\x01\x01\x01x\x01\x4a\x02\x00\x06\x00",
				      10, &set, &err),
			 SFA_ESTORE);
	ck_assert_int_eq(unpack_exact("\x01\x01\x01x\x01\x4a\x02\x00\x01\x00",
				      10, &set, &err),
			 0);
	ck_assert_str_eq(set.items[0].assigned_at, "x");
	ck_assert_int_eq(set.items[0].type, SFA_AT_GROUP);
	ck_assert_int_eq(set.items[0].via_type, SFA_AT_DIRECT);
	/* Format 1's last code, role, with its own first_seen_at (0x80)
	 * and via role: (role, role, 2, 3), first_seen text 1. */
	ck_assert_int_eq(
	    unpack_exact("\x01\x01\x01x\x01\xbf\x04\x06\x01", 9, &set, &err),
	    0);
	ck_assert_int_eq(set.items[0].type, SFA_AT_ROLE);
	ck_assert_int_eq(set.items[0].via_type, SFA_AT_ROLE);
	ck_assert(set.items[0].access_id == 2 && set.items[0].via_id == 3);
	ck_assert_str_eq(set.items[0].first_seen_at, "x");
	/* A key below 0, and one past 63 bits. */
	ck_assert_int_eq(
	    unpack_exact("\x01\x00\x01\x02\x01\x00", 6, &set, &err),
	    SFA_ESTORE);
	ck_assert_int_eq(unpack_exact("\x01\x00\x01\x02"
				      "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
				      "\x00",
				      15, &set, &err),
			 SFA_ESTORE);
	free(bad);
	sfa_access_set_free(&set);
	sfa_buf_free(&b);
}
END_TEST

/* The entitlement types, and via types outside the usual ones, with a
 * first_seen_at of their own: both take the via byte. */
START_TEST(test_entitlement_types_and_other_vias_come_back)
{
	static const sfa_access_item more[] = {
	    {SFA_AT_CUSTOM_PERMISSION, SFA_AT_PERMISSION_SET_GROUP, 4, 9, NULL,
	     NULL, "2026-11-01T00:00:00Z"},
	    {SFA_AT_CUSTOM_PERMISSION, SFA_AT_PROFILE, 5, 2, NULL, NULL,
	     "2026-11-03T00:00:00Z"},
	    {SFA_AT_PACKAGE_LICENSE, SFA_AT_DIRECT, 6, 0, NULL, NULL,
	     "2026-11-01T00:00:00Z"},
	    {SFA_AT_QUEUE, SFA_AT_GROUP, 8, 10, "2026-01-01T00:00:00Z", NULL,
	     "2026-11-01T00:00:00Z"},
	    {SFA_AT_TERRITORY, SFA_AT_TERRITORY, 11, 11, NULL, NULL,
	     "2026-11-01T00:00:00Z"},
	};
	sfa_access_set set = {0};
	sfa_buf b = {0};
	sfa_err err = {0};
	size_t i;

	ck_assert_int_eq(sfa_access_pack(more, 5, &b), 0);
	ck_assert_int_eq(sfa_access_unpack(b.data, b.len, &set, &err), 0);
	ck_assert_uint_eq(set.n, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(set.items[i].type, more[i].type);
		ck_assert_int_eq(set.items[i].via_type, more[i].via_type);
		ck_assert(set.items[i].access_id == more[i].access_id);
		ck_assert(set.items[i].via_id == more[i].via_id);
		ck_assert(
		    same_text(set.items[i].assigned_at, more[i].assigned_at));
		ck_assert_str_eq(set.items[i].first_seen_at,
				 more[i].first_seen_at);
	}
	sfa_access_set_free(&set);
	sfa_buf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("access_pack");
	TCase *tc = tcase_create("pack");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_rows_come_back_as_they_went_in);
	tcase_add_test(tc, test_each_date_is_stored_once);
	tcase_add_test(tc, test_thousands_of_dates_each_row_keeps_its_own);
	tcase_add_test(tc, test_type_codes_order_as_their_names);
	tcase_add_test(tc, test_damaged_bytes_are_refused);
	tcase_add_test(tc, test_entitlement_types_and_other_vias_come_back);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
