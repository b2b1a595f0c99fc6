/*
 * user_perms.c - today's body of the permission seam (user_perms.h): the
 * five privileged flags the store keeps on profiles' own permission sets,
 * on assigned permission sets and on the components of assigned
 * permission set groups.  The effective permission engine
 * (lib/access/PERMISSIONS.md) replaces this file; nothing else changes.
 */
#include <string.h>
#include <strings.h>

#include "policy_sql.h"
#include "store_db.h"
#include "user_perms.h"

/* The flags of SQL_USER_PERM_FLAGS, in its column order. */
static const char *const flag_names[] = {"ModifyAllData", "ViewAllData",
					 "ManageUsers", "AuthorApex",
					 "CustomizeApplication"};
#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

/* lib/access/PERMISSIONS.md §2, tiers 0-2 (3 and 4 are not privileged
 * enough for a rule of POLICY.md to name them, but are ranked alike). */
static const struct {
	const char *name;
	int tier;
} tiers[] = {
    {"ModifyAllData", 0},
    {"AuthorApex", 0},
    {"CustomizeApplication", 0},
    {"ModifyMetadata", 0},
    {"ManageInteraction", 0},
    {"ManageProfilesPermissionsets", 0},
    {"ManageUsers", 1},
    {"ManageInternalUsers", 1},
    {"AssignPermissionSets", 1},
    {"ManageRoles", 1},
    {"ManageSharing", 1},
    {"ResetPasswords", 1},
    {"ManagePasswordPolicies", 1},
    {"ManageLoginAccessPolicies", 1},
    {"ManageTwoFactor", 1},
    {"ManageAuthProviders", 1},
    {"ManageCertificates", 1},
    {"PasswordNeverExpires", 1},
    {"BypassMFAForUiLogins", 1},
    {"ViewAllData", 2},
    {"ViewAllUsers", 2},
    {"ViewAllFieldsGlobal", 2},
    {"EditReadonlyFields", 2},
    {"QueryAllFiles", 2},
    {"ManageChatterMessages", 2},
    {"ManageUnlistedGroups", 2},
    {"ManageDynamicDashboards", 2},
    {"DataExport", 3},
    {"ExportReport", 3},
    {"ApiEnabled", 3},
    {"BulkApiHardDelete", 3},
    {"ManageReportsInPubFolders", 3},
    {"ApexRestServices", 3},
    {"ManageEncryptionKeys", 4},
    {"ViewEncryptedData", 4},
    {"ManageHealthCheck", 4},
    {"ViewEventLogFiles", 4},
    {"InstallPackaging", 4},
    {"ManageCustomPermissions", 4},
    {"ViewSetup", 4},
    {"ViewRoles", 4},
};

int sfa_perm_tier(const char *permission)
{
	const char *colon = strchr(permission, ':');
	size_t i;

	if (colon)
		return strcasecmp(colon + 1, "viewall") == 0 ||
			       strcasecmp(colon + 1, "modifyall") == 0
			   ? 2
			   : -1;
	if (strncmp(permission, "Permissions", 11) == 0)
		permission += 11;
	for (i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++)
		if (strcasecmp(tiers[i].name, permission) == 0)
			return tiers[i].tier;
	return -1;
}

struct walk {
	sfa_user_perm_fn fn;
	void *ud;
};

static int flag_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct walk *w = fn;
	sfa_user_perm p;
	size_t i;
	int rc;

	(void)ud;
	p.user_id = (const char *)sqlite3_column_text(s, 0);
	p.via_type = (const char *)sqlite3_column_text(s, 1 + NFLAGS);
	p.via_id = (const char *)sqlite3_column_text(s, 2 + NFLAGS);
	if (!p.user_id || !p.via_id)
		return 0;
	for (i = 0; i < NFLAGS; i++) {
		if (sqlite3_column_int(s, 1 + (int)i) != 1)
			continue;
		p.permission = flag_names[i];
		p.tier = sfa_perm_tier(p.permission);
		if ((rc = w->fn(w->ud, &p)))
			return rc;
	}
	return 0;
}

int sfa_user_perms_each(sfa_store *st, long long snap, sfa_user_perm_fn fn,
			void *ud, sfa_err *err)
{
	struct walk w = {fn, ud};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_USER_PERM_FLAGS, snap, &s,
				 "reading permissions", err)))
		return rc;
	return sfa_store_each_row(st, s, flag_row, &w, NULL,
				  "reading permissions", err);
}
