/*
 * test_grow.c - the one way arrays grow (grow.h): doubling, contents
 * kept, and sizes that do not fit refused with the array left as it was.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "err.h"
#include "grow.h"

START_TEST(test_grows_from_nothing_and_keeps_what_it_holds)
{
	long long *v = NULL;
	size_t cap = 0, i;

	ck_assert_int_eq(SFA_GROW(v, cap, 1), 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ge(cap, 1);
	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(SFA_GROW(v, cap, i + 1), 0);
		ck_assert_uint_ge(cap, i + 1);
		v[i] = (long long)i * 3;
	}
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(v[i], (long long)i * 3);
	free(v);
}
END_TEST

START_TEST(test_doubles_or_takes_what_is_needed)
{
	char *p = NULL;
	size_t cap = 0;
	char *before;

	ck_assert_int_eq(SFA_GROW(p, cap, 10), 0);
	ck_assert_uint_eq(cap, 16);
	/* Enough room: nothing moves. */
	before = p;
	ck_assert_int_eq(SFA_GROW(p, cap, 16), 0);
	ck_assert_ptr_eq(p, before);
	ck_assert_uint_eq(cap, 16);
	ck_assert_int_eq(SFA_GROW(p, cap, 17), 0);
	ck_assert_uint_eq(cap, 32);
	ck_assert_int_eq(SFA_GROW(p, cap, 1000), 0);
	ck_assert_uint_eq(cap, 1024);
	free(p);
}
END_TEST

START_TEST(test_sizes_that_overflow_are_refused)
{
	long long *v = NULL;
	size_t cap = 0, old;
	long long *before;

	ck_assert_int_eq(SFA_GROW(v, cap, 4), 0);
	before = v;
	old = cap;
	ck_assert_int_eq(SFA_GROW(v, cap, SIZE_MAX / sizeof(*v) + 1),
			 SFA_ENOMEM);
	ck_assert_int_eq(SFA_GROW(v, cap, SIZE_MAX), SFA_ENOMEM);
	ck_assert_ptr_eq(v, before);
	ck_assert_uint_eq(cap, old);
	ck_assert_int_eq(sfa_grow(&v, &cap, cap + 1, 0), SFA_ENOMEM);
	ck_assert_uint_eq(cap, old);
	free(v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("grow");
	TCase *tc = tcase_create("grow");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_grows_from_nothing_and_keeps_what_it_holds);
	tcase_add_test(tc, test_doubles_or_takes_what_is_needed);
	tcase_add_test(tc, test_sizes_that_overflow_are_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
