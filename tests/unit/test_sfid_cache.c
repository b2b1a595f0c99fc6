/*
 * test_sfid_cache.c - the id cache in front of sfid: an id put comes back
 * with its key; ids that differ anywhere (case included) are different;
 * values it cannot say exactly (a wrong checksum, other lengths, other
 * characters, keys too large) are never cached; clearing forgets.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfid_cache.h"

/* Caches id with key; returns whether it was cacheable. */
static int put(sfa_sfid_cache *c, const char *id, long long key)
{
	sfa_sfid_ref ref;
	long long k;

	ck_assert_int_eq(sfa_sfid_cache_get(c, id, strlen(id), &ref, &k), 0);
	sfa_sfid_cache_put(c, &ref, key);
	return ref.cacheable;
}

/* The key cached for id, or 0. */
static long long get(const sfa_sfid_cache *c, const char *id)
{
	sfa_sfid_ref ref;
	long long k = 0;

	return sfa_sfid_cache_get(c, id, strlen(id), &ref, &k) ? k : 0;
}

START_TEST(test_an_id_comes_back_with_its_key)
{
	sfa_sfid_cache *c = sfa_sfid_cache_new();

	ck_assert_ptr_nonnull(c);
	/* 18 characters with the checksum of their first 15, and 15 */
	ck_assert(put(c, "0055e0000000AHvAAM", 42));
	ck_assert(put(c, "00G5e000000004s", 7));
	ck_assert(put(c, "0PS5e0000000zZ9", (1ll << 33) - 1));
	ck_assert_int_eq(get(c, "0055e0000000AHvAAM"), 42);
	ck_assert_int_eq(get(c, "00G5e000000004s"), 7);
	ck_assert_int_eq(get(c, "0PS5e0000000zZ9"), (1ll << 33) - 1);
	/* the 15 of a cached 18 are another id, and case matters */
	ck_assert_int_eq(get(c, "0055e0000000AHv"), 0);
	ck_assert_int_eq(get(c, "0055e0000000AhvAAM"), 0);
	ck_assert_int_eq(get(c, "00g5e000000004s"), 0);
	sfa_sfid_cache_clear(c);
	ck_assert_int_eq(get(c, "0055e0000000AHvAAM"), 0);
	sfa_sfid_cache_free(c);
}
END_TEST

START_TEST(test_what_it_cannot_say_exactly_is_never_cached)
{
	static const char *const never[] = {
	    "0055e0000000AHvAAA", /* a checksum that is not the id's */
	    "0055e0000000AHvAA",  /* 17 characters */
	    "0055e0000000AHvAAMX", "005", "",
	    "0055e0000000A-v", /* a character outside [0-9A-Za-z] */
	    "0055e0000000A\tv",
	};
	sfa_sfid_cache *c = sfa_sfid_cache_new();
	size_t i;

	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		ck_assert_int_eq(put(c, never[i], 5), 0);
		ck_assert_int_eq(get(c, never[i]), 0);
	}
	/* keys of 2^33 or more do not fit a slot */
	ck_assert(put(c, "00G5e000000004t", 1ll << 33));
	ck_assert_int_eq(get(c, "00G5e000000004t"), 0);
	sfa_sfid_cache_free(c);
}
END_TEST

/* Two ids in one slot: the later evicts the earlier, which is then a
 * miss, never the other's key. */
START_TEST(test_a_slot_holds_one_id)
{
	sfa_sfid_cache *c = sfa_sfid_cache_new();
	sfa_sfid_ref a, b;
	long long k;
	char id[16];
	int i;

	ck_assert_int_eq(sfa_sfid_cache_get(c, "0015e0000000001", 15, &a, &k),
			 0);
	for (i = 2; i < 4000000; i++) {
		snprintf(id, sizeof(id), "0015e%010d", i);
		ck_assert_int_eq(sfa_sfid_cache_get(c, id, 15, &b, &k), 0);
		if (b.at == a.at)
			break;
	}
	ck_assert_uint_eq(b.at, a.at);
	sfa_sfid_cache_put(c, &a, 11);
	ck_assert_int_eq(get(c, "0015e0000000001"), 11);
	ck_assert_int_eq(get(c, id), 0);
	sfa_sfid_cache_put(c, &b, 12);
	ck_assert_int_eq(get(c, id), 12);
	ck_assert_int_eq(get(c, "0015e0000000001"), 0);
	sfa_sfid_cache_free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sfid_cache");
	TCase *tc = tcase_create("cache");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_an_id_comes_back_with_its_key);
	tcase_add_test(tc, test_what_it_cannot_say_exactly_is_never_cached);
	tcase_add_test(tc, test_a_slot_holds_one_id);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
