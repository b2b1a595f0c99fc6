/*
 * diff.h - the changes between two snapshots of one org
 * (lib/access/ACCESS-MODEL.md "Changes between snapshots"): access rows added
 * and removed, resources added and removed, and changed user attributes with
 * old and new values.
 *
 * sfa_diff_open() computes the changes once, as SQL over the store on
 * integer keys, into temporary tables of the store's connection; then
 * sfa_diff_each() streams them, joined with names, as many times as there
 * are output formats.  Memory stays flat: only the changes are kept, in
 * SQLite, never the snapshots.
 *
 * Order (deterministic, bytewise, NULL first):
 *   1. added, then removed access rows: username, access_type,
 *      access_name, via_type, via_name, access_id, via_id (the access
 *      review's order); within each kind the privileged rows
 *      (lib/access/PERMISSIONS.md) come after the others, in the same order;
 *   2. changed: username, then the field in the order IsActive, IsFrozen,
 *      ProfileId, UserRoleId, Email, ManagerId, UserType, License, user_id;
 *   3. resource_added, then resource_removed: type, name, id;
 *   4. permission_added, then permission_removed (a container's own
 *      permissions, lib/access/PERMISSIONS.md "Changes"): container type, name,
 * id, then the permission.
 */
#ifndef SFA_DIFF_H
#define SFA_DIFF_H

#include "err.h"
#include "store.h"

typedef enum {
	SFA_DIFF_ADDED,
	SFA_DIFF_REMOVED,
	SFA_DIFF_CHANGED,
	SFA_DIFF_RESOURCE_ADDED,
	SFA_DIFF_RESOURCE_REMOVED,
	SFA_DIFF_PERMISSION_ADDED,
	SFA_DIFF_PERMISSION_REMOVED,
	SFA_DIFF_NKINDS
} sfa_diff_kind;

/* "added", "removed", "changed", "resource_added", "resource_removed",
 * "permission_added", "permission_removed". */
const char *sfa_diff_kind_name(sfa_diff_kind k);

/* One change, with borrowed strings valid only during the callback.
 * row holds the access review columns as the Change CSV of lib/README.md
 * fills them: for added / removed the whole row from the snapshot it is
 * in; for changed the snapshot and user columns of the later snapshot;
 * for a resource change the snapshot (later for added, earlier for
 * removed) and access_type / access_id / access_name naming the resource.
 * A permission change has the later snapshot's columns, the container as
 * access_type (profile, permission_set, permission_set_group or
 * muting_permission_set, whose added permission is one its group now
 * mutes) / access_id / access_name, the permission as field
 * (ModifyAllData, Account:edit, Account.Phone:read) and the number of
 * users the container reaches in the later snapshot as new_value.
 * Columns a kind leaves empty are NULL; row.user_id is NULL for resource
 * and permission changes (is_active / is_frozen then mean nothing).
 * row.tier is the privileged tier of an added or removed privileged row
 * (a system_permission or object_permission access row), else -1. */
typedef struct sfa_diff_change {
	sfa_diff_kind kind;
	const char *field;     /* changed: the Salesforce field name */
	const char *old_value; /* changed: as stored, ids for references, */
	const char *new_value; /* true/false for booleans; NULL = empty */
	/* changed ProfileId, UserRoleId, ManagerId: the name of the profile,
	 * role or manager each id points to in its snapshot; else NULL. */
	const char *old_name, *new_name;
	sfa_access_row row;
} sfa_diff_change;

typedef int (*sfa_diff_fn)(void *ud, const sfa_diff_change *c);

/* Which snapshots to compare: 0 = the default (to = the latest complete
 * snapshot, of from's org when from is given; from = the complete snapshot
 * before to, of to's org).  Snapshots named by id must exist, belong to
 * one org and be complete, unless allow_incomplete. */
typedef struct sfa_diff_pick {
	long long from, to;
	int allow_incomplete;
} sfa_diff_pick;

/* Resolves pick into two snapshot ids.  Unknown ids, snapshots of
 * different orgs, incomplete snapshots and fewer than two complete
 * snapshots for the defaults are SFA_EINPUT with a one-line message. */
int sfa_diff_resolve(sfa_store *st, const sfa_diff_pick *pick, long long *from,
		     long long *to, sfa_err *err);

typedef struct sfa_diff sfa_diff;

/* Computes the changes from snapshot `from` to snapshot `to` (resolved
 * ids; the same id gives no changes).  The diff holds a read transaction
 * on st until sfa_diff_free(), so every sfa_diff_each() sees the same
 * data; st must outlive it and must not write meanwhile. */
int sfa_diff_open(sfa_diff **out, sfa_store *st, long long from, long long to,
		  sfa_err *err);
void sfa_diff_free(sfa_diff *d);

long long sfa_diff_from(const sfa_diff *d);
long long sfa_diff_to(const sfa_diff *d);

/* The number of changes of kind k, and of all kinds. */
long long sfa_diff_count(const sfa_diff *d, sfa_diff_kind k);
/* The number of privileged rows of tier (0-4) added (k SFA_DIFF_ADDED)
 * or removed (SFA_DIFF_REMOVED); 0 for other kinds and tiers. */
long long sfa_diff_privileged_count(const sfa_diff *d, int tier,
				    sfa_diff_kind k);
long long sfa_diff_total(const sfa_diff *d);

/* Calls fn once per change in the order above.  A non-zero return from
 * fn stops and is returned. */
int sfa_diff_each(sfa_diff *d, sfa_diff_fn fn, void *ud, sfa_err *err);

#endif
