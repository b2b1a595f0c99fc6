/*
 * objects.h - the Salesforce objects a snapshot is built from, and for each
 * the fields fetched, in the order the fetcher hands them to the store.
 *
 * This table is the contract between the fetcher (which turns a REST or
 * Bulk record into an array of canonical text values, one per field) and
 * the store (which binds value i to column i of the object's raw table).
 * Canonical text: NULL for null/empty, "true"/"false" for booleans, numbers
 * in decimal, dateTimes as UTC ISO 8601 "2026-11-27T10:00:00Z" (see
 * sfa_obj_canon_time()).
 */
#ifndef SFA_OBJECTS_H
#define SFA_OBJECTS_H

#include <stddef.h>

typedef enum sfa_obj {
	SFA_OBJ_USER_LICENSE,
	SFA_OBJ_PROFILE,
	SFA_OBJ_USER_ROLE,
	SFA_OBJ_USER,
	SFA_OBJ_USER_LOGIN,
	SFA_OBJ_GROUP,
	SFA_OBJ_GROUP_MEMBER,
	SFA_OBJ_PERMISSION_SET,
	SFA_OBJ_PERMISSION_SET_GROUP,
	SFA_OBJ_PSG_COMPONENT,
	SFA_OBJ_PS_ASSIGNMENT,
	SFA_OBJ_CONNECTED_APP,
	SFA_OBJ_SETUP_ENTITY_ACCESS,
	SFA_OBJ_OAUTH_TOKEN,
	/* entitlements (issue 17): territories of the active model, permission
	 * set and package licences, custom permissions */
	SFA_OBJ_TERRITORY,
	SFA_OBJ_USER_TERRITORY,
	SFA_OBJ_PS_LICENSE,
	SFA_OBJ_PS_LICENSE_ASSIGN,
	SFA_OBJ_PACKAGE_LICENSE,
	SFA_OBJ_USER_PACKAGE_LICENSE,
	SFA_OBJ_CUSTOM_PERMISSION,
	SFA_OBJ_CUSTOM_PERMISSION_ACCESS,
	/* Effective permissions (lib/access/PERMISSIONS.md, "What sync reads"):
	 * read unless --no-sync-permissions.  The Permissions* fields of the
	 * first two are not listed here: the describe call names them, and a
	 * field list longer than a URI holds is split over several scans. */
	SFA_OBJ_PERMISSION_SET_PERMS,
	SFA_OBJ_MUTING_PERMS,
	SFA_OBJ_OBJECT_PERMS,
	SFA_OBJ_FIELD_PERMS,
	SFA_OBJ_COUNT
} sfa_obj;

/* Set on objects fetched only with --sync-connected-apps. */
#define SFA_OBJ_F_CONNECTED_APPS 0x1u
/* Only with --sync-territories. */
#define SFA_OBJ_F_TERRITORIES 0x2u
/* Only with --sync-entitlements (licences and custom permissions). */
#define SFA_OBJ_F_ENTITLEMENTS 0x4u
/* An org may lack the object (a feature that is off): a first page that
 * answers INVALID_TYPE or NOT_FOUND skips the scan instead of failing. */
#define SFA_OBJ_F_OPTIONAL 0x8u
/* Set on objects not fetched with --no-sync-permissions. */
#define SFA_OBJ_F_PERMISSIONS 0x10u
/* Set on objects fetched only with --sync-field-permissions. */
#define SFA_OBJ_F_FIELD_PERMISSIONS 0x20u
/* Set on objects whose fields after Id are the Permissions* booleans
 * of the object's describe. */
#define SFA_OBJ_F_DESCRIBED 0x40u

typedef struct sfa_obj_def {
	sfa_obj obj;
	const char *sobject;	   /* API name: "PermissionSetAssignment" */
	const char *const *fields; /* SOQL field paths, dotted for lookups */
	size_t nfields;
	const char *where; /* fixed SOQL filter without WHERE, or NULL */
	unsigned flags;
} sfa_obj_def;

/* Field positions, for code that reads values by name rather than loop. */
enum {
	SFA_USER_ID,
	SFA_USER_USERNAME,
	SFA_USER_NAME,
	SFA_USER_FIRST_NAME,
	SFA_USER_LAST_NAME,
	SFA_USER_EMAIL,
	SFA_USER_IS_ACTIVE,
	SFA_USER_TYPE,
	SFA_USER_PROFILE_ID,
	SFA_USER_ROLE_ID,
	SFA_USER_MANAGER_ID,
	SFA_USER_MANAGER_USERNAME,
	SFA_USER_LAST_LOGIN,
	SFA_USER_CREATED,
	SFA_USER_FEDERATION_ID,
	SFA_USER_LICENSE_NAME,
	SFA_USER_LICENSE_KEY,
	SFA_USER_NFIELDS
};

/* PermissionSet's fields before its five privileged flags (objects.c);
 * when the describe lists the Permissions* fields, the flags are read by
 * the described scans instead and filled in at the finish. */
#define SFA_PS_NFIELDS_BEFORE_FLAGS 10

/* ObjectPermissions' fields; PermissionsViewAllFields last, since an org
 * whose describe lacks it is read without it. */
enum {
	SFA_OBJPERM_ID,
	SFA_OBJPERM_PARENT_ID,
	SFA_OBJPERM_SOBJECT_TYPE,
	SFA_OBJPERM_READ,
	SFA_OBJPERM_VIEW_ALL_FIELDS = 9,
	SFA_OBJPERM_NFIELDS
};

/* The definition of one object; obj must be < SFA_OBJ_COUNT. */
const sfa_obj_def *sfa_obj_get(sfa_obj obj);

/* Looks an object up by its API name; NULL when it is not one of ours.
 * SetupEntityAccess is scanned twice (connected apps, custom permissions):
 * this is its first definition. */
const sfa_obj_def *sfa_obj_find(const char *sobject);

/* Rewrites a Salesforce dateTime ("2026-10-01T08:00:00.000+0000", the
 * REST form, or "2026-10-01T08:00:00.000Z", the Bulk form) into
 * "2026-10-01T08:00:00Z" in out (at least 21 bytes).  Returns 1 when s was
 * a dateTime and out was written, 0 otherwise (out untouched). */
int sfa_obj_canon_time(const char *s, char out[21]);

#endif
