/*
 * objects.c - the object table: which fields of which Salesforce object a
 * snapshot keeps (lib/access/ACCESS-MODEL.md, "Resources").  One paged scan per
 * object; nothing here is queried per record.
 */
#include "objects.h"

#include <ctype.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const user_license_fields[] = {
    "Id",     "Name",	       "LicenseDefinitionKey",
    "Status", "TotalLicenses", "UsedLicenses"};
static const char *const profile_fields[] = {"Id", "Name", "UserLicenseId",
					     "UserType"};
static const char *const user_role_fields[] = {"Id", "Name", "DeveloperName",
					       "ParentRoleId"};
/* Order must match the SFA_USER_* enum in objects.h. */
static const char *const user_fields[] = {
    "Id",
    "Username",
    "Name",
    "FirstName",
    "LastName",
    "Email",
    "IsActive",
    "UserType",
    "ProfileId",
    "UserRoleId",
    "ManagerId",
    "Manager.Username",
    "LastLoginDate",
    "CreatedDate",
    "FederationIdentifier",
    "Profile.UserLicense.Name",
    "Profile.UserLicense.LicenseDefinitionKey"};
static const char *const user_login_fields[] = {"Id", "UserId", "IsFrozen",
						"IsPasswordLocked"};
static const char *const group_fields[] = {"Id", "Name", "DeveloperName",
					   "Type", "RelatedId"};
static const char *const group_member_fields[] = {
    "Id", "GroupId", "UserOrGroupId", "SystemModstamp"};
static const char *const permission_set_fields[] = {
    "Id",
    "Name",
    "Label",
    "Type",
    "LicenseId",
    "IsCustom",
    "NamespacePrefix",
    "IsOwnedByProfile",
    "ProfileId",
    "PermissionSetGroupId",
    "PermissionsModifyAllData",
    "PermissionsViewAllData",
    "PermissionsManageUsers",
    "PermissionsAuthorApex",
    "PermissionsCustomizeApplication"};
static const char *const psg_fields[] = {"Id", "DeveloperName", "MasterLabel",
					 "Status"};
static const char *const psg_component_fields[] = {"Id", "PermissionSetGroupId",
						   "PermissionSetId"};
static const char *const ps_assignment_fields[] = {"Id",
						   "AssigneeId",
						   "PermissionSetId",
						   "PermissionSetGroupId",
						   "ExpirationDate",
						   "SystemModstamp",
						   "IsActive"};
static const char *const connected_app_fields[] = {
    "Id", "Name", "OptionsAllowAdminApprovedUsersOnly"};
static const char *const setup_entity_access_fields[] = {
    "Id", "ParentId", "SetupEntityId", "SetupEntityType"};
/* LastUsedDate: policy checks (unused-connected-app). */
static const char *const oauth_token_fields[] = {"Id", "UserId", "AppName",
						 "LastUsedDate"};
/* entitlements (issue 17) */
static const char *const territory_fields[] = {
    "Id", "Name", "DeveloperName", "Territory2ModelId", "ParentTerritory2Id"};
static const char *const user_territory_fields[] = {
    "Id", "UserId", "Territory2Id", "RoleInTerritory2"};
static const char *const ps_license_fields[] = {
    "Id", "DeveloperName", "MasterLabel", "TotalLicenses", "UsedLicenses"};
static const char *const ps_license_assign_fields[] = {
    "Id", "AssigneeId", "PermissionSetLicenseId"};
static const char *const package_license_fields[] = {
    "Id", "NamespacePrefix", "AllowedLicenses", "UsedLicenses"};
static const char *const user_package_license_fields[] = {"Id", "UserId",
							  "PackageLicenseId"};
static const char *const custom_permission_fields[] = {
    "Id", "DeveloperName", "MasterLabel", "NamespacePrefix"};
static const char *const described_fields[] = {"Id"};
/* Order must match the SFA_OBJPERM_* enum in objects.h. */
static const char *const object_perm_fields[] = {"Id",
						 "ParentId",
						 "SobjectType",
						 "PermissionsRead",
						 "PermissionsCreate",
						 "PermissionsEdit",
						 "PermissionsDelete",
						 "PermissionsViewAllRecords",
						 "PermissionsModifyAllRecords",
						 "PermissionsViewAllFields"};
static const char *const field_perm_fields[] = {
    "Id",    "ParentId",	"SobjectType",
    "Field", "PermissionsRead", "PermissionsEdit"};

#define DEF(o, name, f, where, flags)                                          \
	{                                                                      \
		o, name, f, N(f), where, flags                                 \
	}

static const sfa_obj_def defs[SFA_OBJ_COUNT] = {
    DEF(SFA_OBJ_USER_LICENSE, "UserLicense", user_license_fields, NULL, 0),
    DEF(SFA_OBJ_PROFILE, "Profile", profile_fields, NULL, 0),
    DEF(SFA_OBJ_USER_ROLE, "UserRole", user_role_fields, NULL, 0),
    DEF(SFA_OBJ_USER, "User", user_fields, NULL, 0),
    DEF(SFA_OBJ_USER_LOGIN, "UserLogin", user_login_fields, NULL, 0),
    DEF(SFA_OBJ_GROUP, "Group", group_fields, NULL, 0),
    DEF(SFA_OBJ_GROUP_MEMBER, "GroupMember", group_member_fields, NULL, 0),
    DEF(SFA_OBJ_PERMISSION_SET, "PermissionSet", permission_set_fields, NULL,
	0),
    DEF(SFA_OBJ_PERMISSION_SET_GROUP, "PermissionSetGroup", psg_fields, NULL,
	0),
    DEF(SFA_OBJ_PSG_COMPONENT, "PermissionSetGroupComponent",
	psg_component_fields, NULL, 0),
    DEF(SFA_OBJ_PS_ASSIGNMENT, "PermissionSetAssignment", ps_assignment_fields,
	NULL, 0),
    DEF(SFA_OBJ_CONNECTED_APP, "ConnectedApplication", connected_app_fields,
	NULL, SFA_OBJ_F_CONNECTED_APPS),
    DEF(SFA_OBJ_SETUP_ENTITY_ACCESS, "SetupEntityAccess",
	setup_entity_access_fields, "SetupEntityType = 'ConnectedApplication'",
	SFA_OBJ_F_CONNECTED_APPS),
    DEF(SFA_OBJ_OAUTH_TOKEN, "OauthToken", oauth_token_fields, NULL,
	SFA_OBJ_F_CONNECTED_APPS),
    /* Only the active model's territories are resources; associations
     * with other models' territories are dropped when access is derived. */
    DEF(SFA_OBJ_TERRITORY, "Territory2", territory_fields,
	"Territory2Model.State = 'Active'",
	SFA_OBJ_F_TERRITORIES | SFA_OBJ_F_OPTIONAL),
    DEF(SFA_OBJ_USER_TERRITORY, "UserTerritory2Association",
	user_territory_fields, NULL,
	SFA_OBJ_F_TERRITORIES | SFA_OBJ_F_OPTIONAL),
    DEF(SFA_OBJ_PS_LICENSE, "PermissionSetLicense", ps_license_fields, NULL,
	SFA_OBJ_F_ENTITLEMENTS),
    DEF(SFA_OBJ_PS_LICENSE_ASSIGN, "PermissionSetLicenseAssign",
	ps_license_assign_fields, NULL, SFA_OBJ_F_ENTITLEMENTS),
    DEF(SFA_OBJ_PACKAGE_LICENSE, "PackageLicense", package_license_fields, NULL,
	SFA_OBJ_F_ENTITLEMENTS),
    DEF(SFA_OBJ_USER_PACKAGE_LICENSE, "UserPackageLicense",
	user_package_license_fields, NULL, SFA_OBJ_F_ENTITLEMENTS),
    DEF(SFA_OBJ_CUSTOM_PERMISSION, "CustomPermission", custom_permission_fields,
	NULL, SFA_OBJ_F_ENTITLEMENTS),
    /* A second scan of SetupEntityAccess, of the custom permission grants
     * only: its rows join the connected-app grants' raw table. */
    DEF(SFA_OBJ_CUSTOM_PERMISSION_ACCESS, "SetupEntityAccess",
	setup_entity_access_fields, "SetupEntityType = 'CustomPermission'",
	SFA_OBJ_F_ENTITLEMENTS),
    DEF(SFA_OBJ_PERMISSION_SET_PERMS, "PermissionSet", described_fields, NULL,
	SFA_OBJ_F_PERMISSIONS | SFA_OBJ_F_DESCRIBED),
    DEF(SFA_OBJ_MUTING_PERMS, "MutingPermissionSet", described_fields, NULL,
	SFA_OBJ_F_PERMISSIONS | SFA_OBJ_F_DESCRIBED),
    DEF(SFA_OBJ_OBJECT_PERMS, "ObjectPermissions", object_perm_fields, NULL,
	SFA_OBJ_F_PERMISSIONS),
    DEF(SFA_OBJ_FIELD_PERMS, "FieldPermissions", field_perm_fields, NULL,
	SFA_OBJ_F_PERMISSIONS | SFA_OBJ_F_FIELD_PERMISSIONS),
};

const sfa_obj_def *sfa_obj_get(sfa_obj obj)
{
	return &defs[obj];
}

const sfa_obj_def *sfa_obj_find(const char *sobject)
{
	size_t i;

	/* The first of an sObject's defs: PermissionSet's own, not its
	 * permission scan's. */
	for (i = 0; i < N(defs); i++)
		if (strcmp(defs[i].sobject, sobject) == 0)
			return &defs[i];
	return NULL;
}

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int sfa_obj_canon_time(const char *s, char out[21])
{
	const char *z;

	/* YYYY-MM-DDTHH:MM:SS then optional .sss then +0000 / Z.  Salesforce
	 * always answers in UTC, so any other offset is not a Salesforce
	 * dateTime and stays as it came. */
	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) ||
	    s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return 0;
	z = s + 19;
	if (*z == '.') {
		z++;
		while (isdigit((unsigned char)*z))
			z++;
	}
	if (strcmp(z, "Z") != 0 && strcmp(z, "+0000") != 0 &&
	    strcmp(z, "+00:00") != 0)
		return 0;
	memcpy(out, s, 19);
	out[19] = 'Z';
	out[20] = '\0';
	return 1;
}
