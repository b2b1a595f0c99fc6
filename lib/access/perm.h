/*
 * perm.h - effective permissions (lib/access/PERMISSIONS.md): what each user of
 * a snapshot can do, computed when asked from the per-container facts the
 * sync stored (system, object and field permissions of permission sets,
 * profile-owned and group aggregate permission sets and muting permission
 * sets) and the users' sources (profile, direct permission sets,
 * permission set groups with muting inside the group only).
 *
 * Also the privileged list: the tier table of lib/access/PERMISSIONS.md
 * §2 plus object-level View All and Modify All at tier 2, changed by the
 * configuration's [privileged] add and ignore.
 */
#ifndef SFA_PERM_H
#define SFA_PERM_H

#include <stddef.h>

#include "err.h"
#include "store.h"

/* ---- the privileged list ---- */

typedef struct sfa_priv sfa_priv;

/* The default list.  *out is freed with sfa_priv_free(). */
int sfa_priv_new(sfa_priv **out, sfa_err *err);
void sfa_priv_free(sfa_priv *pv);

/* Applies `[privileged] add = Name:tier, ...` (add, may be NULL) and
 * `ignore = Name, ...` (ignore, may be NULL).  Names are system
 * permissions (with or without the Permissions prefix) or `viewall` /
 * `modifyall` (the object-level ones, every object).  A malformed item is
 * SFA_EINPUT naming it, with err->where "[privileged] add" or
 * "[privileged] ignore"; pv is unchanged then. */
int sfa_priv_configure(sfa_priv *pv, const char *add, const char *ignore,
		       sfa_err *err);

/* The tier (0-4, or what the configuration set) of a system permission
 * (name without the prefix, any case), or -1 when it is not privileged. */
int sfa_priv_system_tier(const sfa_priv *pv, const char *name);

/* The same for object action `action` ("viewall", "modifyall", ...). */
int sfa_priv_object_tier(const sfa_priv *pv, const char *action);

/* ---- the engine ---- */

typedef struct sfa_perm sfa_perm;

/* Opens snapshot snapshot_id of st for permission questions: reads its
 * containers, groups and profiles (the small tables); the large ones are
 * read per question through their indexes.  pv is borrowed and must
 * outlive *out; freed with sfa_perm_free().  SFA_ENOTFOUND for no such
 * complete snapshot. */
int sfa_perm_open(sfa_perm **out, sfa_store *st, long long snapshot_id,
		  const sfa_priv *pv, sfa_err *err);
void sfa_perm_free(sfa_perm *p);

/* Whether the snapshot was synced with permissions (a snapshot taken with
 * --no-sync-permissions, or before them, has none). */
int sfa_perm_synced(const sfa_perm *p);

/* One effective permission row: the columns of `who-can`, in order
 * (lib/access/PERMISSIONS.md).  Strings are borrowed for the call; empty for
 * none.  tier is -1 for a permission not on the privileged list. */
typedef struct sfa_perm_row {
	const char *username, *user_id, *name;
	int is_active;
	const char *user_type;
	const char *permission; /* ModifyAllData, Account:edit, Account.Phone:read */
	const char *label;	/* the system permission's label, else "" */
	const char *via_type, *via_id, *via_name;
	const char *granted_by, *implied_by;
	int tier;
} sfa_perm_row;

typedef int (*sfa_perm_fn)(void *ud, const sfa_perm_row *r);

/* Every user and path holding `what`: a system permission (API name with
 * or without Permissions, or its label), Object:action or
 * Object.Field:read|edit, any case.  Rows sorted by username, via_type,
 * via_id.  An unknown name is SFA_ENOTFOUND with the closest names in the
 * message; a known one nobody holds calls fn never and returns 0. */
int sfa_perm_who_can(sfa_perm *p, const char *what, sfa_perm_fn fn, void *ud,
		     sfa_err *err);

/* Every effective permission of one user (Username or Id), sorted by
 * permission, via_type, via_id; with object (may be NULL) only that
 * object's object and field rows, and no system rows.  SFA_ENOTFOUND for
 * an unknown user or object. */
int sfa_perm_of_user(sfa_perm *p, const char *user, const char *object,
		     sfa_perm_fn fn, void *ud, sfa_err *err);

/* The canonical spelling of `what` (as sfa_perm_who_can() names it:
 * ModifyAllData, Account:modifyall, Account.Phone:read) into canon (n
 * bytes).  An unknown name is SFA_ENOTFOUND with the closest names in the
 * message. */
int sfa_perm_name(sfa_perm *p, const char *what, char *canon, size_t n,
		  sfa_err *err);

/* The privileged rows of tier 0..max_tier of every user (the policy
 * rules' tier 0-1 permissions), a permission at a time: each
 * permission's rows sorted as sfa_perm_who_can() sorts them, and let go
 * before the next, so that memory holds one permission's holders. */
int sfa_perm_each_privileged(sfa_perm *p, int max_tier, sfa_perm_fn fn,
			     void *ud, sfa_err *err);

/* The privileged rows of tier min_tier..max_tier of the users with these
 * Salesforce Ids (an Id the snapshot does not hold is skipped), in no
 * particular order.  Each source that grants a permission is decided once
 * for all of them, so a rule that looks at thousands of users (tier 2
 * for the external ones) costs the sources, not the users. */
int sfa_perm_each_privileged_of(sfa_perm *p, int min_tier, int max_tier,
				const char *const *users, size_t nusers,
				sfa_perm_fn fn, void *ud, sfa_err *err);

/* Every user's rows (`report permissions`): only privileged ones unless
 * all, only object `object`'s when set; sorted by username, permission,
 * via_type, via_id. */
int sfa_perm_each(sfa_perm *p, int all, const char *object, sfa_perm_fn fn,
		  void *ud, sfa_err *err);

/* A permission set group whose aggregate permission set disagrees with
 * what its components and muting sets grant (lib/access/PERMISSIONS.md,
 * Sources): permission is in the aggregate only (extra = 1) or missing from
 * it. */
typedef struct sfa_perm_disagreement {
	const char *group_id, *group_name, *status, *permission;
	int extra;
} sfa_perm_disagreement;

/* Calls fn for each disagreement of a group whose Status is `Updated`
 * (another Status says the aggregate may lag; the review flags those). */
int sfa_perm_check_aggregates(sfa_perm *p,
			      int (*fn)(void *ud,
					const sfa_perm_disagreement *d),
			      void *ud, sfa_err *err);

/* Stores the privileged rows of the access review for the snapshot st is
 * writing (lib/access/PERMISSIONS.md): per source (profile, permission set held
 * directly, permission set group), the privileged permissions it grants
 * with granted_by, implied_by and tier; the perm_review view gives them
 * per user and path.  pv NULL means the default list.  Called by the
 * snapshot's finish (snapshot_finish.h), after access is derived. */
int sfa_perm_store_review(sfa_store *st, const sfa_priv *pv, sfa_err *err);

#endif
