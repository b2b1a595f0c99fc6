/*
 * test_fetch.c - what the fetcher asks Salesforce: one scan per object,
 * every user read (the sync's filters apply per record), and dateTimes made canonical.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "objects.h"

static void expect_soql(sfa_obj obj, const sfa_sync_opts *o, const char *want)
{
	char *q = sfa_fetch_soql(sfa_obj_get(obj), o);

	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q, want);
	free(q);
}

/* The options' filters are applied to each record, not in SOQL: the
 * users they leave out are recorded as left out (issue 13), so the scan
 * reads every user whatever the options. */
START_TEST(test_fetch_user_scan_reads_every_user)
{
	sfa_sync_opts o = {0};
	int i;

	for (i = 0; i < 4; i++) {
		char *q;

		o.no_deactivated_users = i & 1;
		o.non_standard_licenses = (i >> 1) & 1;
		q = sfa_fetch_soql(sfa_obj_get(SFA_OBJ_USER), &o);
		ck_assert_ptr_null(strstr(q, "WHERE"));
		ck_assert_ptr_nonnull(strstr(q, "Manager.Username"));
		ck_assert_ptr_nonnull(strstr(q, "Profile.UserLicense.Name"));
		free(q);
	}
}
END_TEST

START_TEST(test_fetch_other_scans_are_unfiltered_whole_objects)
{
	sfa_sync_opts o = {0};

	expect_soql(
	    SFA_OBJ_PS_ASSIGNMENT, &o,
	    "SELECT Id, AssigneeId, PermissionSetId, PermissionSetGroupId, "
	    "ExpirationDate, SystemModstamp, IsActive FROM "
	    "PermissionSetAssignment");
	expect_soql(
	    SFA_OBJ_SETUP_ENTITY_ACCESS, &o,
	    "SELECT Id, ParentId, SetupEntityId, SetupEntityType FROM "
	    "SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication'");
}
END_TEST

START_TEST(test_fetch_options_json_is_canonical)
{
	sfa_sync_opts o = {1, 0, 1, 0, 0, 0, 0, 0, NULL};
	char *j = sfa_fetch_options_json(&o);

	ck_assert_str_eq(
	    j,
	    "{\"no_sync_deactivated_users\":true,\"sync_connected_apps\":false,"
	    "\"sync_field_permissions\":false,"
	    "\"sync_non_standard_licenses\":false,\"sync_permissions\":true,"
	    "\"username_as_email\":true}");
	free(j);
	/* The entitlement options appear when set, in key order. */
	o.sync_territories = o.sync_entitlements = 1;
	j = sfa_fetch_options_json(&o);
	ck_assert_str_eq(
	    j,
	    "{\"no_sync_deactivated_users\":true,\"sync_connected_apps\":false,"
	    "\"sync_entitlements\":true,\"sync_field_permissions\":false,"
	    "\"sync_non_standard_licenses\":false,\"sync_permissions\":true,"
	    "\"sync_territories\":true,\"username_as_email\":true}");
	free(j);
}
END_TEST

START_TEST(test_objects_canon_time_accepts_rest_and_bulk_forms)
{
	char out[21] = "untouched";

	ck_assert_int_eq(
	    sfa_obj_canon_time("2026-10-01T08:00:00.000+0000", out), 1);
	ck_assert_str_eq(out, "2026-10-01T08:00:00Z");
	ck_assert_int_eq(sfa_obj_canon_time("2026-10-01T08:00:01.5Z", out), 1);
	ck_assert_str_eq(out, "2026-10-01T08:00:01Z");
	strcpy(out, "untouched");
	ck_assert_int_eq(
	    sfa_obj_canon_time("2026-10-01T08:00:00.000+0200", out), 0);
	ck_assert_int_eq(sfa_obj_canon_time("2026-10-01", out), 0);
	ck_assert_int_eq(
	    sfa_obj_canon_time("Sales Ops 2026-10-01T08:00:00Z", out), 0);
	ck_assert_str_eq(out, "untouched");
}
END_TEST

START_TEST(test_objects_field_order_matches_user_enum)
{
	const sfa_obj_def *d = sfa_obj_get(SFA_OBJ_USER);

	ck_assert_uint_eq(d->nfields, SFA_USER_NFIELDS);
	ck_assert_str_eq(d->fields[SFA_USER_EMAIL], "Email");
	ck_assert_str_eq(d->fields[SFA_USER_USERNAME], "Username");
	ck_assert_str_eq(d->fields[SFA_USER_LICENSE_KEY],
			 "Profile.UserLicense.LicenseDefinitionKey");
	ck_assert_ptr_eq(sfa_obj_find("GroupMember"),
			 sfa_obj_get(SFA_OBJ_GROUP_MEMBER));
	ck_assert_ptr_null(sfa_obj_find("Account"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fetch");
	TCase *tc = tcase_create("fetch");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_fetch_user_scan_reads_every_user);
	tcase_add_test(tc, test_fetch_other_scans_are_unfiltered_whole_objects);
	tcase_add_test(tc, test_fetch_options_json_is_canonical);
	tcase_add_test(tc, test_objects_canon_time_accepts_rest_and_bulk_forms);
	tcase_add_test(tc, test_objects_field_order_matches_user_enum);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
