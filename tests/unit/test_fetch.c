/*
 * test_fetch.c - what the fetcher asks Salesforce: one scan per object,
 * sync filters in the User scan's SOQL, and dateTimes made canonical.
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

START_TEST(test_fetch_user_scan_keeps_standard_users_by_default)
{
	sfa_sync_opts o = {0};
	char *q = sfa_fetch_soql(sfa_obj_get(SFA_OBJ_USER), &o);

	ck_assert_ptr_nonnull(
	    strstr(q, " FROM User WHERE UserType = 'Standard'"));
	ck_assert_ptr_null(strstr(q, "IsActive ="));
	ck_assert_ptr_nonnull(strstr(q, "Manager.Username"));
	ck_assert_ptr_nonnull(strstr(q, "Profile.UserLicense.Name"));
	free(q);
}
END_TEST

START_TEST(test_fetch_user_scan_filters_follow_options)
{
	sfa_sync_opts o = {0};
	char *q;

	o.no_deactivated_users = 1;
	q = sfa_fetch_soql(sfa_obj_get(SFA_OBJ_USER), &o);
	ck_assert_ptr_nonnull(
	    strstr(q, " WHERE UserType = 'Standard' AND IsActive = true"));
	free(q);
	o.non_standard_licenses = 1;
	q = sfa_fetch_soql(sfa_obj_get(SFA_OBJ_USER), &o);
	ck_assert_ptr_nonnull(strstr(q, " FROM User WHERE IsActive = true"));
	ck_assert_ptr_null(strstr(q, "UserType ="));
	free(q);
	o.no_deactivated_users = 0;
	q = sfa_fetch_soql(sfa_obj_get(SFA_OBJ_USER), &o);
	ck_assert_ptr_null(strstr(q, "WHERE"));
	free(q);
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
	sfa_sync_opts o = {1, 0, 1, 0, 0, 0};
	char *j = sfa_fetch_options_json(&o);

	ck_assert_str_eq(
	    j,
	    "{\"no_sync_deactivated_users\":true,\"sync_connected_apps\":false,"
	    "\"sync_field_permissions\":false,"
	    "\"sync_non_standard_licenses\":false,\"sync_permissions\":true,"
	    "\"username_as_email\":true}");
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

	tcase_add_test(tc,
		       test_fetch_user_scan_keeps_standard_users_by_default);
	tcase_add_test(tc, test_fetch_user_scan_filters_follow_options);
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
