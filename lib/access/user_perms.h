/*
 * user_perms.h - THE seam between the policy rules and where a user's
 * permissions come from: for snapshot S, every (user, permission,
 * via_type, via_id, tier).
 *
 * Today (user_perms.c) the rows come from the five privileged flags the
 * store keeps on permission sets and profiles (lib/access/ACCESS-MODEL.md
 * "Resources").  The effective permission engine (lib/access/PERMISSIONS.md)
 * replaces user_perms.c's body; the rules (policy_check.c) only ever call
 * sfa_user_perms_each() and never look at how the rows were made.
 */
#ifndef SFA_USER_PERMS_H
#define SFA_USER_PERMS_H

#include "err.h"
#include "store.h"

typedef struct sfa_user_perm {
	const char *user_id;	/* the user's Salesforce Id */
	const char *permission; /* "ModifyAllData" (no "Permissions"), or an
				   object permission "Account:modifyall" */
	const char *via_type;	/* profile | permission_set |
				   permission_set_group */
	const char *via_id;	/* the Salesforce Id of the container */
	int tier; /* lib/access/PERMISSIONS.md §2: 0 (worst) .. 4; object
		     viewall/modifyall are tier 2 */
} sfa_user_perm;

/* Called once per row with borrowed strings valid during the call; a
 * non-zero return stops and is returned. */
typedef int (*sfa_user_perm_fn)(void *ud, const sfa_user_perm *p);

/* The signature of a permission source, so that tests (and the engine)
 * can hand the rules their own. */
typedef int (*sfa_user_perms_fn)(sfa_store *st, long long snap,
				 sfa_user_perm_fn fn, void *ud, sfa_err *err);

/* Every permission row of snapshot snap, in no particular order.  A user
 * holding one permission through two containers gets two rows. */
int sfa_user_perms_each(sfa_store *st, long long snap, sfa_user_perm_fn fn,
			void *ud, sfa_err *err);

/* The tier of a system permission by API name (with or without the
 * "Permissions" prefix), or of "Object:viewall"/"Object:modifyall" (2);
 * -1 for a permission no tier names. */
int sfa_perm_tier(const char *permission);

#endif
