/*
 * store.h - the snapshot store: one SQLite file holding every snapshot of
 * every org, each complete and immutable once finished.
 *
 * Writing a snapshot: sfa_store_begin_snapshot() commits a row with status
 * 'incomplete' and opens one transaction for the snapshot's data;
 * sfa_store_put() streams raw records into it; the finish
 * (snapshot_finish.h, a layer above) derives effective access into it
 * (lib/access/ACCESS-MODEL.md rules 1-9), and
 * sfa_store_commit_snapshot() commits it with status 'complete'.  A
 * failure or a kill before the commit rolls the data back and leaves the
 * snapshot 'incomplete'; earlier snapshots are never touched.
 *
 * The store is the database layer: it stores and reads what it is given
 * and calls nothing above it (tests/lint/layering.sh checks the includes).
 *
 * Reading: iterators call back once per row with borrowed strings that are
 * valid only during the call.  A callback returning non-zero stops the
 * iteration and that value is returned.
 */
#ifndef SFA_STORE_H
#define SFA_STORE_H

#include "err.h"
#include "objects.h"

typedef struct sfa_store sfa_store;

#define SFA_STORE_READONLY 0x1u

/* Opens (creating and migrating if needed) the store at path.  *out is
 * owned by the caller and released with sfa_store_free(); one thread at a
 * time may use it.  A store written by a newer sfaccess (higher
 * user_version) is refused with SFA_ESTORE. */
int sfa_store_open(sfa_store **out, const char *path, unsigned flags,
		   sfa_err *err);
void sfa_store_free(sfa_store *st);

/* ---- writing a snapshot (one at a time per sfa_store) ---- */

/* Starts a snapshot: commits its 'incomplete' row (org, API version, the
 * sync options as canonical JSON text, UTC start time) and begins the data
 * transaction.  Fails with SFA_EBUSY when another process is writing. */
int sfa_store_begin_snapshot(sfa_store *st, const char *org_id,
			     const char *api_version, const char *options_json,
			     long long *id_out, sfa_err *err);

/* Adds one raw record of obj to the open snapshot; vals has
 * sfa_obj_get(obj)->nfields canonical text values (see objects.h). */
int sfa_store_put(sfa_store *st, sfa_obj obj, const char *const *vals,
		  sfa_err *err);

/* Why a sync's options left a user out of a snapshot. */
typedef enum {
	SFA_LEFT_OUT_NON_STANDARD, /* not UserType Standard, and no
				      --sync-non-standard-licenses */
	SFA_LEFT_OUT_DEACTIVATED,  /* --no-sync-deactivated-users */
	SFA_LEFT_OUT_N
} sfa_left_out;

/* Records that the open snapshot left user_id out (strings copied). */
int sfa_store_put_left_out(sfa_store *st, const char *user_id,
			   const char *username, const char *user_type,
			   sfa_left_out reason, sfa_err *err);

/* Records of obj the open (or last) snapshot kept so far: what reached
 * sfa_store_put() less the duplicates it ignored. */
long long sfa_store_stored(const sfa_store *st, sfa_obj obj);

/* Permissions (lib/access/PERMISSIONS.md): the snapshot's system permission
 * number perm is `name` (without the Permissions prefix), labelled `label`
 * (may be NULL).  Numbers are the caller's, from 0, one per name. */
int sfa_store_put_perm_name(sfa_store *st, int perm, const char *name,
			    const char *label, sfa_err *err);

/* The system permissions perms[0..n) are true on container `id` (a
 * permission set or muting permission set Id); obj is
 * SFA_OBJ_PERMISSION_SET_PERMS or SFA_OBJ_MUTING_PERMS. */
int sfa_store_put_perms(sfa_store *st, sfa_obj obj, const char *id,
			const int *perms, size_t n, sfa_err *err);

/* No more records come for the open snapshot: put()'s id cache (4 MB)
 * goes before the finish's sorts take theirs, which is when a sync's
 * memory peaks. */
void sfa_store_end_puts(sfa_store *st);

/* The open snapshot's users and effective access rows (the access sets'
 * and the privileged rows), once the finish has derived them. */
int sfa_store_count(sfa_store *st, long long *n_users, long long *n_access,
		    sfa_err *err);

/* The content hash of snapshot id (complete, or the open one once
 * derived) as 64 hex digits, and its number of resources (store_hash.c). */
int sfa_store_content_hash(sfa_store *st, long long id, char hex[65],
			   long long *n_resources, sfa_err *err);

/* What a complete snapshot's row records. */
typedef struct sfa_snapshot_totals {
	long long n_users, n_resources, n_access, api_requests;
	char content_hash[65];
} sfa_snapshot_totals;

/* Records t and the finish time and commits the open snapshot with status
 * 'complete'.  On failure the caller aborts the snapshot. */
int sfa_store_commit_snapshot(sfa_store *st, const sfa_snapshot_totals *t,
			      sfa_err *err);

/* Rolls the snapshot's data back and records why it stopped; the snapshot
 * stays 'incomplete'.  Safe to call when no snapshot is open. */
void sfa_store_abort_snapshot(sfa_store *st, const char *why);

/* ---- reading ---- */

/* SQLite's PRAGMA integrity_check of the whole store: report gets "ok",
 * or its first problems joined by "; " (cut to n bytes).  A store too
 * damaged to run the check is SFA_ESTORE with SQLite's message. */
int sfa_store_integrity(sfa_store *st, char *report, size_t n, sfa_err *err);

typedef struct sfa_snapshot_info {
	long long id;
	const char *org_id;
	const char *api_version;
	const char *options;	  /* JSON text */
	const char *started_at;	  /* UTC ISO 8601 */
	const char *finished_at;  /* NULL while incomplete */
	const char *status;	  /* "complete" | "incomplete" */
	const char *content_hash; /* hex SHA-256, NULL while incomplete */
	const char *error;	  /* why an incomplete snapshot stopped */
	long long n_users, n_resources, n_access, api_requests;
} sfa_snapshot_info;

typedef int (*sfa_snapshot_fn)(void *ud, const sfa_snapshot_info *s);

/* Every snapshot, oldest first. */
int sfa_store_each_snapshot(sfa_store *st, sfa_snapshot_fn fn, void *ud,
			    sfa_err *err);

/* One snapshot by id (SFA_ENOTFOUND when there is none). */
int sfa_store_get_snapshot(sfa_store *st, long long id, sfa_snapshot_fn fn,
			   void *ud, sfa_err *err);

/* The id of the nth newest complete snapshot (nth = 0 the latest) of
 * org_id, or of the org of the latest complete snapshot when org_id is
 * NULL.  SFA_ENOTFOUND when there are not that many. */
int sfa_store_latest_complete(sfa_store *st, const char *org_id, int nth,
			      long long *id_out, sfa_err *err);

/* What snapshot id left out (zeros for a snapshot taken before this was
 * recorded): users per reason, and the OAuth tokens of those users. */
typedef struct sfa_left_out_counts {
	long long users[SFA_LEFT_OUT_N];
	long long oauth_tokens;
} sfa_left_out_counts;
int sfa_store_left_out_counts(sfa_store *st, long long id,
			      sfa_left_out_counts *out, sfa_err *err);

/* What the sync option that leaves users out for reason is called, and
 * what a person reads: "not Standard" / "--sync-non-standard-licenses". */
const char *sfa_left_out_why(sfa_left_out reason);
const char *sfa_left_out_option(sfa_left_out reason);

/* The user of snapshot id that a person means by user: its 18-character
 * Id, the 15-character form of it, or its Username in any case.  Fills
 * user_id (18 characters + NUL).  SFA_ENOTFOUND when the snapshot has no
 * such user, with a message saying so; when the sync's options left the
 * user out, the message names the reason and the option that did it. */
int sfa_store_find_user(sfa_store *st, long long id, const char *user,
			char user_id[19], sfa_err *err);

/* One effective access row with the user and names joined in: the columns
 * of the access review CSV (lib/README.md "Reports").  Empty means NULL. */
typedef struct sfa_access_row {
	long long snapshot_id;
	const char *captured_at, *org_id;
	const char *user_id, *username, *name, *email, *user_type, *license;
	int is_active, is_frozen;
	const char *last_login_at, *manager_username;
	const char *access_type, *access_id, *access_name;
	const char *via_type, *via_id, *via_name;
	const char *assigned_at, *expires_at, *first_seen_at;
	/* Privileged rows (access_type system_permission or
	 * object_permission, lib/access/PERMISSIONS.md): the tier, the group
	 * component that grants it and the permission that implies it; -1 and
	 * NULLs for other rows. */
	int tier;
	const char *granted_by, *implied_by;
	/* Within one sfa_store_each_access() call, rows with the same
	 * access_ref have the same access_type, access_id and access_name,
	 * and rows with the same via_ref the same via columns, so that a
	 * writer can render those cells once.  Refs count up from 1, one per
	 * resource met; 0 promises nothing. */
	int access_ref, via_ref;
} sfa_access_row;

typedef struct sfa_access_filter {
	const char *user;	 /* Id or Username, NULL for all */
	const char *access_type; /* NULL for all */
	/* Bits 1u << SFA_AT_* (access_pack.h) of the access types to keep,
	 * checked before a row is named; 0 for all.  Set, it leaves out the
	 * privileged rows (system_permission, object_permission). */
	unsigned types;
	/* Leaves out the inherited rows: group and queue memberships
	 * through a role or another group (ACCESS-MODEL.md rules 6 and 7)
	 * and permission sets through their group (rule 4).  They follow
	 * from another row and no change file revokes them on their own
	 * (REVIEW.md, "Start"). */
	int skip_inherited;
} sfa_access_filter;

typedef int (*sfa_access_fn)(void *ud, const sfa_access_row *r);

/* Rows of one snapshot in the report order of lib/README.md: username,
 * access_type, access_name, via_type, via_name, access_id, via_id, bytewise. */
int sfa_store_each_access(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *f, sfa_access_fn fn,
			  void *ud, sfa_err *err);

/* Whether snapshot snapshot_id has privileged rows in its access review
 * (lib/access/PERMISSIONS.md): a snapshot synced without permissions has
 * none. */
int sfa_store_has_privileged(sfa_store *st, long long snapshot_id, int *yes,
			     sfa_err *err);

/* One resource of a snapshot: type is an access-model resource_type
 * ("user", "profile", ...), attrs a JSON object of its kept fields. */
typedef struct sfa_resource_row {
	const char *type, *id, *name, *attrs;
} sfa_resource_row;

typedef int (*sfa_resource_fn)(void *ud, const sfa_resource_row *r);

/* Resources of one snapshot, ordered by type, name, id; type NULL = all. */
int sfa_store_each_resource(sfa_store *st, long long snapshot_id,
			    const char *type, sfa_resource_fn fn, void *ud,
			    sfa_err *err);

/* The seats of one permission set licence or package licence
 * (lib/access/ACCESS-MODEL.md, "Licence seats").  Texts borrowed for the
 * callback only. */
typedef struct sfa_license_seat {
	const char *type; /* "package_license", "permission_set_license" */
	const char *id, *name;
	long long total; /* TotalLicenses / AllowedLicenses; -1: unlimited */
	long long used;	 /* UsedLicenses, as Salesforce counts them */
	int total_known, used_known; /* the org gave the figure */
	long long assigned;	     /* the snapshot's assignments of it */
	long long assigned_inactive; /* ... to inactive users */
} sfa_license_seat;

typedef int (*sfa_license_seat_fn)(void *ud, const sfa_license_seat *s);

/* The licences of one snapshot, by type, name, id; none when the sync
 * left them out (--sync-entitlements). */
int sfa_store_each_license_seat(sfa_store *st, long long snapshot_id,
				sfa_license_seat_fn fn, void *ud, sfa_err *err);

/* A user's place in a territory (UserTerritory2Association): the role in
 * the territory is an attribute of the association, not of either side.
 * Texts borrowed for the callback only; role NULL when none was given. */
typedef struct sfa_territory_member {
	const char *user_id, *territory_id, *role;
} sfa_territory_member;

typedef int (*sfa_territory_member_fn)(void *ud, const sfa_territory_member *m);

/* The territory associations of one snapshot, by user Id and territory
 * Id; none when the sync left territories out (--sync-territories). */
int sfa_store_each_territory_member(sfa_store *st, long long snapshot_id,
				    sfa_territory_member_fn fn, void *ud,
				    sfa_err *err);

#endif
