/*
 * test_access.c - effective access rules 1-9 of lib/access/ACCESS-MODEL.md,
 * each on the smallest org that shows it, asserting the exact derived rows.
 */
#include "store_fixture.h"

#define WANT(st, id, ...)                                                      \
	do {                                                                   \
		static const char *const w_[] = {__VA_ARGS__};                 \
		fx_expect(st, id, w_, NREC(w_));                               \
	} while (0)

START_TEST(test_profile_and_role_are_direct_and_a_user_without_profile_has_none)
{
	static const struct rec org[] = {
	    PROFILE("00eP", "Standard User"),
	    ROLE("00ER", NULL),
	    USER("005A", T, "Standard", "00eP", "00ER"),
	    USER("005Z", T, "Standard", NULL, NULL),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A profile 00eP direct -", "005A role 00ER direct -");
	fx_close(st, path);
}
END_TEST

START_TEST(test_permission_set_rows_skip_profile_owned_and_group_aggregate_sets)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    PS("0PSreg", F, NULL, NULL),
	    PS("0PSown", T, "00eP", NULL),
	    PS("0PSagg", F, NULL, "0PGg"),
	    PSA("0Pa1", "005A", "0PSreg", NULL, "2026-12-31T00:00:00Z",
		"2026-01-02T03:04:05Z"),
	    PSA("0Pa2", "005A", "0PSown", NULL, NULL, "2026-01-01T00:00:00Z"),
	    PSA("0Pa3", "005A", "0PSagg", NULL, NULL, "2026-01-01T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A permission_set 0PSreg direct -");
	fx_close(st, path);
}
END_TEST

static int dates(void *ud, const sfa_access_row *r)
{
	char *out = ud;
	size_t n = strlen(out);

	snprintf(out + n, 512 - n, "%s/%s/%s/%s;", r->access_type, r->access_id,
		 NUL(r->assigned_at), NUL(r->expires_at));
	return 0;
}

START_TEST(
    test_group_components_come_via_the_group_with_its_dates_and_muting_grants_nothing)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    PSG("0PGg"),
	    PS("0PSagg", F, NULL, "0PGg"),
	    PS("0PSc", F, NULL, NULL),
	    PSGC("0PC1", "0PGg", "0PSc"),
	    PSGC("0PC2", "0PGg", "0QMmute"),
	    PSA("0Pa1", "005A", "0PSagg", "0PGg", "2027-01-01T00:00:00Z",
		"2026-02-02T00:00:00Z"),
	};
	char path[64], got[512] = "";
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A permission_set_group 0PGg direct -",
	     "005A permission_set 0PSc permission_set_group 0PGg");
	ck_assert_int_eq(sfa_store_each_access(st, id, NULL, dates, got, &err),
			 0);
	ck_assert_str_eq(got, "permission_set/0PSc/2026-02-02T00:00:00Z/"
			      "2027-01-01T00:00:00Z;permission_set_group/0PGg/"
			      "2026-02-02T00:00:00Z/2027-01-01T00:00:00Z;");
	fx_close(st, path);
}
END_TEST

START_TEST(test_direct_group_members_of_any_type_and_only_synced_users)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    GROUP("00Gq", "Queue One", "Queue", NULL),
	    GROUP("00Gm", "Managers", "Manager", "005A"),
	    GM("011a", "00Gq", "005A", "2026-03-03T00:00:00Z"),
	    GM("011b", "00Gm", "005A", "2026-03-03T00:00:00Z"),
	    /* 005X is not in the snapshot (filtered out by the sync). */
	    GM("011c", "00Gq", "005X", "2026-03-03T00:00:00Z"),
	    PSA("0Pa9", "005X", "0PSany", NULL, NULL, NULL),
	    TOKEN("0CRx", "005X", "App"),
	    APP("0H4a", "App"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	/* A queue's members are `queue` rows (lib/access/ACCESS-MODEL.md,
	 * E5); other types stay `group`. */
	WANT(st, id, "005A group 00Gm direct -", "005A queue 00Gq direct -");
	fx_close(st, path);
}
END_TEST

START_TEST(
    test_role_groups_follow_the_hierarchy_and_internal_keeps_standard_users)
{
	static const struct rec org[] = {
	    ROLE("00E1", NULL),
	    ROLE("00E2", "00E1"),
	    ROLE("00E3", "00E2"),
	    USER("005A", T, "Standard", NULL, "00E1"),
	    USER("005B", T, "Standard", NULL, "00E2"),
	    USER("005C", T, "PowerPartner", NULL, "00E3"),
	    GROUP("00Gr", NULL, "Role", "00E2"),
	    GROUP("00Gs", NULL, "RoleAndSubordinates", "00E2"),
	    GROUP("00Gi", NULL, "RoleAndSubordinatesInternal", "00E2"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A role 00E1 direct -", "005B role 00E2 direct -",
	     "005C role 00E3 direct -", "005B group 00Gr role 00E2",
	     "005B group 00Gs role 00E2", "005C group 00Gs role 00E3",
	     "005B group 00Gi role 00E2");
	fx_close(st, path);
}
END_TEST

/* The assignments, memberships, logins and tokens of a user the sync
 * left out are not kept; a membership whose member is a group is.  005X
 * sorts between the synced users and 005Y after them (keys are given in
 * the order ids are met). */
START_TEST(test_rows_of_users_left_out_are_dropped_and_group_members_stay)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    GROUP("00Gq", "Queue One", "Queue", NULL),
	    GROUP("00Gr", "Regular", "Regular", NULL),
	    GM("011a", "00Gq", "005A", "2026-03-03T00:00:00Z"),
	    GM("011b", "00Gq", "005X", "2026-03-03T00:00:00Z"),
	    PSA("0Pa1", "005X", "0PSany", NULL, NULL, NULL),
	    LOGIN("0Ya1", "005X", F),
	    TOKEN("0CRx", "005X", "App"),
	    USER("005B", T, "Standard", NULL, NULL),
	    GM("011c", "00Gr", "00Gq", "2026-03-03T00:00:00Z"),
	    GM("011d", "00Gq", "005Y", "2026-03-03T00:00:00Z"),
	    PSA("0Pa2", "005Y", "0PSany", NULL, NULL, NULL),
	    PSA("0Pa3", "005B", "0PSany", NULL, NULL, NULL),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A group 00Gr group 00Gq", "005A queue 00Gq direct -",
	     "005B permission_set 0PSany direct -");
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sf_ps_assignment"),
			 1);
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sf_group_member"),
			 2);
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sf_user_login"), 0);
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sf_oauth_token"),
			 0);
	fx_close(st, path);
}
END_TEST

/* A malformed hierarchy (00E1 and 00E2 each other's parent) must end:
 * each role is met once walking up, so both users are in both groups. */
START_TEST(test_a_role_cycle_ends_and_each_role_is_above_the_other)
{
	static const struct rec org[] = {
	    ROLE("00E1", "00E2"),
	    ROLE("00E2", "00E1"),
	    USER("005A", T, "Standard", NULL, "00E1"),
	    USER("005B", T, "Standard", NULL, "00E2"),
	    GROUP("00Gs", NULL, "RoleAndSubordinates", "00E1"),
	    GROUP("00Gt", NULL, "RoleAndSubordinates", "00E2"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A role 00E1 direct -", "005B role 00E2 direct -",
	     "005A group 00Gs role 00E1", "005A group 00Gt role 00E1",
	     "005B group 00Gs role 00E2", "005B group 00Gt role 00E2");
	fx_close(st, path);
}
END_TEST

/* Two rules, or two records, may grant the same row: it is one row, with
 * the dates of the first grant (rule order, then the order of the
 * records' Salesforce ids, whatever order they were stored in). */
START_TEST(test_a_row_granted_twice_keeps_the_first_grants_dates)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    PS("0PSreg", F, NULL, NULL),
	    PSA("0Pa2", "005A", "0PSreg", NULL, NULL, "2026-02-02T00:00:00Z"),
	    PSA("0Pa1", "005A", "0PSreg", NULL, "2027-01-01T00:00:00Z",
		"2026-01-01T00:00:00Z"),
	    GROUP("00Go", "All Internal Users", "Organization", NULL),
	    GM("011a", "00Go", "005A", "2026-03-03T00:00:00Z"),
	};
	char path[64], got[512] = "";
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A permission_set 0PSreg direct -",
	     "005A group 00Go direct -");
	ck_assert_int_eq(sfa_store_each_access(st, id, NULL, dates, got, &err),
			 0);
	/* 0Pa2 was stored first, but 0Pa1 has the smaller id. */
	ck_assert_str_eq(got, "group/00Go/2026-03-03T00:00:00Z/-;"
			      "permission_set/0PSreg/2026-01-01T00:00:00Z/"
			      "2027-01-01T00:00:00Z;");
	fx_close(st, path);
}
END_TEST

START_TEST(test_nested_groups_reach_any_depth_and_a_cycle_gives_both_paths)
{
	/* A in B, B in A (a cycle), B in C; u is a direct member of A. */
	static const struct rec org[] = {
	    USER("005U", T, "Standard", NULL, NULL),
	    GROUP("00GA", "A", "Regular", NULL),
	    GROUP("00GB", "B", "Regular", NULL),
	    GROUP("00GC", "C", "Regular", NULL),
	    GM("011u", "00GA", "005U", "2026-01-01T00:00:00Z"),
	    GM("011ab", "00GB", "00GA", "2026-01-01T00:00:00Z"),
	    GM("011ba", "00GA", "00GB", "2026-01-01T00:00:00Z"),
	    GM("011bc", "00GC", "00GB", "2026-01-01T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005U group 00GA direct -", "005U group 00GB group 00GA",
	     "005U group 00GA group 00GB", "005U group 00GC group 00GB");
	fx_close(st, path);
}
END_TEST

START_TEST(test_organization_group_holds_only_active_standard_users)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    USER("005I", F, "Standard", NULL, NULL),
	    USER("005P", T, "PowerPartner", NULL, NULL),
	    GROUP("00Go", NULL, "Organization", NULL),
	    GROUP("00Gp", "Parent", "Regular", NULL),
	    GM("011o", "00Gp", "00Go", "2026-01-01T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A group 00Go direct -", "005A group 00Gp group 00Go");
	fx_close(st, path);
}
END_TEST

START_TEST(test_connected_apps_through_profile_group_and_permission_set)
{
	static const struct rec org[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    USER("005B", T, "Standard", NULL, NULL),
	    USER("005C", T, "Standard", NULL, NULL),
	    PS("0PSown", T, "00eP", NULL),
	    PSG("0PGg"),
	    PS("0PSagg", F, NULL, "0PGg"),
	    PS("0PSreg", F, NULL, NULL),
	    PSGC("0PC1", "0PGg", "0PSreg"),
	    PSA("0Pa1", "005B", "0PSagg", "0PGg", NULL, NULL),
	    PSA("0Pa2", "005C", "0PSreg", NULL, NULL, NULL),
	    APP("0H4x", "X"),
	    APP("0H4y", "Y"),
	    APP("0H4z", "Z"),
	    SEA("0J01", "0PSown", "0H4x"),
	    SEA("0J02", "0PSagg", "0H4y"),
	    SEA("0J03", "0PSreg", "0H4z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A profile 00eP direct -",
	     "005A connected_app 0H4x profile 00eP",
	     "005B permission_set_group 0PGg direct -",
	     "005B permission_set 0PSreg permission_set_group 0PGg",
	     "005B connected_app 0H4y permission_set_group 0PGg",
	     "005B connected_app 0H4z permission_set 0PSreg",
	     "005C permission_set 0PSreg direct -",
	     "005C connected_app 0H4z permission_set 0PSreg");
	fx_close(st, path);
}
END_TEST

/* E4: custom permissions by profile, group aggregate and permission set;
 * a group's muting permission set mutes within that group only, so 005C,
 * who holds 0PSreg directly as well, keeps it. */
START_TEST(test_custom_permissions_with_muting_within_the_group)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", "00eP", NULL),
	    USER("005B", T, "Standard", NULL, NULL),
	    USER("005C", T, "Standard", NULL, NULL),
	    PS("0PSown", T, "00eP", NULL),
	    PSG("0PGg"),
	    PS("0PSagg", F, NULL, "0PGg"),
	    PS("0PSreg", F, NULL, NULL),
	    PSGC("0PC1", "0PGg", "0PSreg"),
	    PSGC("0PC2", "0PGg", "0QMm"),
	    PSA("0Pa1", "005B", "0PSagg", "0PGg", NULL, NULL),
	    PSA("0Pa2", "005C", "0PSagg", "0PGg", NULL, NULL),
	    PSA("0Pa3", "005C", "0PSreg", NULL, NULL, NULL),
	    CPSEA("0J01", "0PSown", "0CPa"),
	    CPSEA("0J02", "0PSagg", "0CPb"),
	    CPSEA("0J03", "0PSagg", "0CPm"),
	    CPSEA("0J04", "0PSreg", "0CPc"),
	    CPSEA("0J05", "0PSreg", "0CPm"),
	    CPSEA("0J06", "0QMm", "0CPm"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A profile 00eP direct -",
	     "005A custom_permission 0CPa profile 00eP",
	     "005B permission_set_group 0PGg direct -",
	     "005B permission_set 0PSreg permission_set_group 0PGg",
	     "005B custom_permission 0CPb permission_set_group 0PGg",
	     "005B custom_permission 0CPc permission_set 0PSreg",
	     "005C permission_set_group 0PGg direct -",
	     "005C permission_set 0PSreg permission_set_group 0PGg",
	     "005C permission_set 0PSreg direct -",
	     "005C custom_permission 0CPb permission_set_group 0PGg",
	     "005C custom_permission 0CPc permission_set 0PSreg",
	     "005C custom_permission 0CPm permission_set 0PSreg");
	fx_close(st, path);
}
END_TEST

/* E1-E3 and E5: territories of the synced (active) model only, licences,
 * queue rows through nesting; the entitlements of a user left out and the
 * associations with other models' territories leave the snapshot. */
START_TEST(test_territories_licences_and_queues)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    TERR("0MIa", "0MAactive"),
	    UTERR("0R01", "005A", "0MIa"),
	    UTERR("0R02", "005A", "0MIplanned"),
	    UTERR("0R03", "005X", "0MIa"),
	    PSLA("2LA1", "005A", "0PLx"),
	    PSLA("2LA2", "005X", "0PLx"),
	    UPL("0511", "005A", "050p"),
	    UPL("0512", "005X", "050p"),
	    GROUP("00Gq", "Queue", "Queue", NULL),
	    GROUP("00Gr", "Regular", "Regular", NULL),
	    GM("011a", "00Gq", "00Gr", "2026-03-03T00:00:00Z"),
	    GM("011b", "00Gr", "005A", "2026-03-03T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A territory 0MIa direct -",
	     "005A permission_set_license 0PLx direct -",
	     "005A package_license 050p direct -", "005A group 00Gr direct -",
	     "005A queue 00Gq group 00Gr");
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sf_user_territory"),
			 1);
	ck_assert_int_eq(
	    fx_count(st, "SELECT count(*) FROM sf_ps_license_assign"), 1);
	ck_assert_int_eq(
	    fx_count(st, "SELECT count(*) FROM sf_user_package_license"), 1);
	fx_close(st, path);
}
END_TEST

START_TEST(test_oauth_tokens_match_app_names_case_sensitively)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    APP("0H4x", "Data Loader"),
	    TOKEN("0CR1", "005A", "Data Loader"),
	    TOKEN("0CR2", "005A", "data loader"),
	    TOKEN("0CR3", "005A", "Unknown App"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	WANT(st, id, "005A connected_app 0H4x oauth_token 0CR1");
	fx_close(st, path);
}
END_TEST

static int names(void *ud, const sfa_access_row *r)
{
	char *out = ud;
	size_t n = strlen(out);

	snprintf(out + n, 1024 - n, "%s|%s|%s|%s|%s|%d|%d;", r->username,
		 r->access_type, NUL(r->access_name), r->via_type,
		 NUL(r->via_name), r->is_active, r->is_frozen);
	return 0;
}

START_TEST(test_access_rows_carry_names_and_user_columns_in_report_order)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    LOGIN("0Ya", "005A", T),
	    GROUP("00Gn", NULL, "Regular", NULL),
	    GROUP("00Gp", "Parent", "Regular", NULL),
	    GM("011a", "00Gn", "005A", NULL),
	    GM("011b", "00Gp", "00Gn", NULL),
	    APP("0H4x", "Data Loader"),
	    TOKEN("0CR1", "005A", "Data Loader"),
	};
	char path[64], got[1024] = "";
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	ck_assert_int_eq(sfa_store_each_access(st, id, NULL, names, got, &err),
			 0);
	ck_assert_str_eq(got, "005A@x.test|connected_app|Data Loader|"
			      "oauth_token|Data Loader|1|1;"
			      "005A@x.test|group|Dev_00Gn|direct|-|1|1;"
			      "005A@x.test|group|Parent|group|Dev_00Gn|1|1;");
	fx_close(st, path);
}
END_TEST

static int ids_and_names(void *ud, const sfa_access_row *r)
{
	char *out = ud;
	size_t n = strlen(out);

	snprintf(out + n, 1024 - n, "%s %s %s;", r->access_type, r->access_id,
		 NUL(r->access_name));
	return 0;
}

/* Names compare bytewise (upper case first); equal names fall back to the
 * Salesforce id. */
START_TEST(test_access_rows_sort_by_name_bytewise_then_by_id)
{
	static const struct rec org[] = {
	    USER("005A", T, "Standard", "00eP", NULL),
	    PROFILE("00eP", "Admin"),
	    GROUP("00Gw", "b", "Regular", NULL),
	    GROUP("00Gy", "Same", "Regular", NULL),
	    GROUP("00Gx", "Same", "Regular", NULL),
	    GROUP("00Gz", "B", "Regular", NULL),
	    GM("011w", "00Gw", "005A", NULL),
	    GM("011x", "00Gx", "005A", NULL),
	    GM("011y", "00Gy", "005A", NULL),
	    GM("011z", "00Gz", "005A", NULL),
	};
	char path[64], got[1024] = "";
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	ck_assert_int_eq(
	    sfa_store_each_access(st, id, NULL, ids_and_names, got, &err), 0);
	ck_assert_str_eq(got, "group 00Gz B;group 00Gx Same;group 00Gy Same;"
			      "group 00Gw b;profile 00eP Admin;");
	fx_close(st, path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("rules");

	tcase_add_test(
	    tc,
	    test_profile_and_role_are_direct_and_a_user_without_profile_has_none);
	tcase_add_test(
	    tc,
	    test_permission_set_rows_skip_profile_owned_and_group_aggregate_sets);
	tcase_add_test(
	    tc,
	    test_group_components_come_via_the_group_with_its_dates_and_muting_grants_nothing);
	tcase_add_test(
	    tc, test_direct_group_members_of_any_type_and_only_synced_users);
	tcase_add_test(
	    tc,
	    test_role_groups_follow_the_hierarchy_and_internal_keeps_standard_users);
	tcase_add_test(
	    tc,
	    test_nested_groups_reach_any_depth_and_a_cycle_gives_both_paths);
	tcase_add_test(
	    tc, test_organization_group_holds_only_active_standard_users);
	tcase_add_test(
	    tc, test_connected_apps_through_profile_group_and_permission_set);
	tcase_add_test(tc, test_oauth_tokens_match_app_names_case_sensitively);
	tcase_add_test(tc,
		       test_custom_permissions_with_muting_within_the_group);
	tcase_add_test(tc, test_territories_licences_and_queues);
	tcase_add_test(tc,
		       test_a_role_cycle_ends_and_each_role_is_above_the_other);
	tcase_add_test(tc,
		       test_a_row_granted_twice_keeps_the_first_grants_dates);
	tcase_add_test(
	    tc, test_rows_of_users_left_out_are_dropped_and_group_members_stay);
	tcase_add_test(tc, test_access_rows_sort_by_name_bytewise_then_by_id);
	tcase_add_test(
	    tc, test_access_rows_carry_names_and_user_columns_in_report_order);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
