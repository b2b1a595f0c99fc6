/*
 * user_perms.h - THE seam between the policy rules and where a user's
 * permissions come from: the effective permission engine (perm.h), with
 * the privileged list's tiers (lib/access/PERMISSIONS.md §2 and the
 * configuration's [privileged] changes).
 *
 * The rules (policy_check.c) never compute a permission: they ask for the
 * rows they need, as (user, permission, via_type, via_id, tier), and the
 * engine answers with muting, ModifyAllData and ViewAllData implications
 * and object permissions applied.  A snapshot synced without permissions
 * (--no-sync-permissions, or by an older sfaccess) has none: the rules
 * that need them cannot run on it (sfa_user_perms_synced()).
 */
#ifndef SFA_USER_PERMS_H
#define SFA_USER_PERMS_H

#include <stddef.h>

#include "err.h"
#include "perm.h"
#include "store.h"

typedef struct sfa_user_perm {
	const char *user_id;	/* the user's Salesforce Id */
	const char *permission; /* canonical: "ModifyAllData",
				   "Account:modifyall" */
	const char *via_type;	/* profile | permission_set |
				   permission_set_group */
	const char *via_id;	/* the Salesforce Id of the container */
	int tier; /* on the privileged list: 0 (worst) ..; -1 when not on it */
} sfa_user_perm;

/* Called once per row with borrowed strings valid during the call; a
 * non-zero return stops and is returned. */
typedef int (*sfa_user_perm_fn)(void *ud, const sfa_user_perm *p);

/* What the rules ask for; a row that two parts ask for comes once. */
typedef struct sfa_user_perms_ask {
	/* Every user's permissions of tier 0..max_tier (-1: none). */
	int max_tier;
	/* Every user's rows of these permissions (canonical names, from
	 * sfa_user_perms_name()), whatever their tier. */
	const char *const *names;
	size_t nnames;
	/* These users' (Salesforce Ids) permissions of tier
	 * 0..users_max_tier. */
	const char *const *users;
	size_t nusers;
	int users_max_tier;
} sfa_user_perms_ask;

typedef struct sfa_user_perms sfa_user_perms;

/* Opens snapshot snap of st; pv (borrowed, may be NULL for the default
 * list) must outlive *out.  SFA_ENOTFOUND for no such complete
 * snapshot. */
int sfa_user_perms_open(sfa_user_perms **out, sfa_store *st, long long snap,
			const sfa_priv *pv, sfa_err *err);
void sfa_user_perms_free(sfa_user_perms *up);

/* Whether the snapshot holds permissions at all. */
int sfa_user_perms_synced(const sfa_user_perms *up);

/* The canonical spelling of a permission name (API name with or without
 * Permissions, its label, Object:action, Object.Field:read|edit; any
 * case) into canon; SFA_ENOTFOUND with the closest names when the
 * snapshot knows no such permission. */
int sfa_user_perms_name(sfa_user_perms *up, const char *what, char *canon,
			size_t n, sfa_err *err);

/* The rows ask asks for, in no particular order.  A user holding one
 * permission through two containers gets two rows. */
int sfa_user_perms_each(sfa_user_perms *up, const sfa_user_perms_ask *ask,
			sfa_user_perm_fn fn, void *ud, sfa_err *err);

#endif
