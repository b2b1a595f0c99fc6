/*
 * store_gc.c - `gc`: deleting old snapshots.  Deleting a snapshot row
 * cascades (foreign keys, store_sql.h) to its raw and derived rows; the
 * Salesforce ids only those rows used are then dropped from sfid, and
 * VACUUM gives the space back.  Through store_db.h, as a module on top
 * of the store's database.
 */
#include "store_gc.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "grow.h"
#include "store_db.h"

/* The store's usual wait for a lock (store.c), for VACUUM. */
#define STORE_BUSY_MS 5000

/* clang-format off */

/* The snapshots to delete, oldest first: complete ones beyond the newest
 * ?1 of their org, and incomplete ones older than the oldest complete
 * snapshot their org keeps (an org keeping none keeps everything). */
#define SQL_GC_VICTIMS                                                         \
	"WITH kept AS (SELECT id, org_id FROM (SELECT id, org_id,"            \
	" row_number() OVER (PARTITION BY org_id ORDER BY id DESC) AS n"      \
	" FROM snapshot WHERE status = 'complete') WHERE n <= ?1)"            \
	" SELECT s.id FROM snapshot s WHERE (s.status = 'complete' AND"       \
	" s.id NOT IN (SELECT id FROM kept)) OR (s.status <> 'complete' AND"  \
	" s.id < (SELECT min(k.id) FROM kept k WHERE k.org_id = s.org_id))"   \
	" ORDER BY s.id"
#define SQL_GC_DELETE "DELETE FROM snapshot WHERE id = ?1"

/* Every column that holds an sfid key, in every table of the schema.
 * Listing one too many only keeps an unused id; missing one would leave
 * rows pointing nowhere, so a new id column must be added here (the
 * test_diff gc tests compare content hashes before and after).  The keys
 * inside access sets need no listing: the derivation takes every one of
 * them from a column below of the same snapshot.  The own ids of logins,
 * memberships, assignments, PSG components and setup entity access are
 * text in their rows (schema v6), not keys. */
#define SQL_GC_LIVE_IDS                                                        \
	"CREATE TEMP TABLE IF NOT EXISTS gc_live (id INTEGER NOT NULL"        \
	" PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.gc_live;"              \
	" INSERT OR IGNORE INTO temp.gc_live"                                 \
	" SELECT id FROM sf_user_license"                                     \
	" UNION ALL SELECT id FROM sf_profile"                                \
	" UNION ALL SELECT user_license_id FROM sf_profile"                   \
	" UNION ALL SELECT id FROM sf_user_role"                              \
	" UNION ALL SELECT parent_role_id FROM sf_user_role"                  \
	" UNION ALL SELECT id FROM sf_user"                                   \
	" UNION ALL SELECT profile_id FROM sf_user"                           \
	" UNION ALL SELECT user_role_id FROM sf_user"                         \
	" UNION ALL SELECT manager_id FROM sf_user"                           \
	" UNION ALL SELECT user_id FROM sf_user_login"                        \
	" UNION ALL SELECT id FROM sf_group"                                  \
	" UNION ALL SELECT related_id FROM sf_group"                          \
	" UNION ALL SELECT group_id FROM sf_group_member"                     \
	" UNION ALL SELECT member_id FROM sf_group_member"                    \
	" UNION ALL SELECT id FROM sf_permission_set"                         \
	" UNION ALL SELECT license_id FROM sf_permission_set"                 \
	" UNION ALL SELECT profile_id FROM sf_permission_set"                 \
	" UNION ALL SELECT permission_set_group_id FROM sf_permission_set"    \
	" UNION ALL SELECT id FROM sf_permission_set_group"                   \
	" UNION ALL SELECT permission_set_group_id FROM sf_psg_component"     \
	" UNION ALL SELECT permission_set_id FROM sf_psg_component"           \
	" UNION ALL SELECT assignee_id FROM sf_ps_assignment"                 \
	" UNION ALL SELECT permission_set_id FROM sf_ps_assignment"           \
	" UNION ALL SELECT permission_set_group_id FROM sf_ps_assignment"     \
	" UNION ALL SELECT id FROM sf_connected_app"                          \
	" UNION ALL SELECT parent_id FROM sf_setup_entity_access"             \
	" UNION ALL SELECT setup_entity_id FROM sf_setup_entity_access"       \
	" UNION ALL SELECT id FROM sf_oauth_token"                            \
	" UNION ALL SELECT user_id FROM sf_oauth_token"                       \
	" UNION ALL SELECT id FROM sf_territory"                              \
	" UNION ALL SELECT model_id FROM sf_territory"                        \
	" UNION ALL SELECT parent_id FROM sf_territory"                       \
	" UNION ALL SELECT user_id FROM sf_user_territory"                    \
	" UNION ALL SELECT territory_id FROM sf_user_territory"               \
	" UNION ALL SELECT id FROM sf_ps_license"                             \
	" UNION ALL SELECT assignee_id FROM sf_ps_license_assign"             \
	" UNION ALL SELECT license_id FROM sf_ps_license_assign"              \
	" UNION ALL SELECT id FROM sf_package_license"                        \
	" UNION ALL SELECT user_id FROM sf_user_package_license"              \
	" UNION ALL SELECT package_license_id FROM sf_user_package_license"   \
	" UNION ALL SELECT id FROM sf_custom_permission"                      \
	" UNION ALL SELECT user_id FROM access_set"                           \
	" UNION ALL SELECT user_id FROM user_digest"
#define SQL_GC_DEAD_IDS                                                        \
	"DELETE FROM sfid WHERE id NOT IN (SELECT id FROM temp.gc_live)"
#define SQL_GC_LIVE_DROP "DROP TABLE IF EXISTS temp.gc_live"

/* clang-format on */

static long long file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* The ids of the snapshots to delete; *ids is malloc'd. */
static int victims(sfa_store *st, int keep, long long **ids, size_t *n,
		   sfa_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = sfa_store_prep(st, SQL_GC_VICTIMS, keep, &s,
				 "choosing snapshots to delete", err)))
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (SFA_GROW(*ids, cap, *n + 1)) {
			sqlite3_finalize(s);
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, "choosing snapshots to delete");
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	return 0;
}

/* Deletes the snapshots and the ids nothing uses any more, inside the
 * caller's transaction. */
static int delete_all(sfa_store *st, const long long *ids, size_t n,
		      sfa_gc_fn fn, void *ud, sfa_gc_result *res, sfa_err *err)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (fn &&
		    (rc = sfa_store_get_snapshot(st, ids[i], fn, ud, err)))
			return rc;
		if ((rc = sfa_store_prep(st, SQL_GC_DELETE, ids[i], &s,
					 "deleting a snapshot", err)) ||
		    (rc = sfa_store_run(st, s, "deleting a snapshot", err)))
			return rc;
		res->snapshots++;
	}
	if (!n)
		return 0;
	if ((rc = sfa_store_exec(st, SQL_GC_LIVE_IDS, "finding unused ids",
				 err)) ||
	    (rc = sfa_store_exec(st, SQL_GC_DEAD_IDS, "deleting unused ids",
				 err)))
		return rc;
	res->sfids = sqlite3_changes(sfa_store_sqlite(st));
	return sfa_store_exec(st, SQL_GC_LIVE_DROP, "deleting unused ids", err);
}

int sfa_store_gc(sfa_store *st, int keep, sfa_gc_fn fn, void *ud,
		 sfa_gc_result *res, sfa_err *err)
{
	sqlite3 *db = sfa_store_sqlite(st);
	const char *path = sqlite3_db_filename(db, "main");
	long long *ids = NULL;
	size_t n = 0;
	int rc;

	res->snapshots = res->sfids = 0;
	if (keep < 1)
		return sfa_err_set(err, SFA_EINPUT,
				   "gc must keep at least one snapshot per "
				   "org (--keep %d)",
				   keep);
	if (sqlite3_db_readonly(db, "main") || sfa_store_writing(st))
		return sfa_err_set(err, SFA_EINTERNAL,
				   "gc needs the store open for writing and "
				   "idle");
	res->bytes_before = res->bytes_after = file_size(path);
	/* The write lock first: a sync holds it from its first record to
	 * its commit, so an in-progress snapshot is never looked at, let
	 * alone deleted, and gc fails with SFA_EBUSY instead.  Without
	 * waiting: a sync holds the lock for minutes, and gc can run later. */
	sqlite3_busy_timeout(db, 0);
	rc = sfa_store_exec(st, "BEGIN IMMEDIATE", "starting gc", err);
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	if (rc)
		return rc;
	if ((rc = victims(st, keep, &ids, &n, err)) ||
	    (rc = delete_all(st, ids, n, fn, ud, res, err)) ||
	    (rc = sfa_store_exec(st, "COMMIT", "committing gc", err))) {
		free(ids);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		res->snapshots = res->sfids = 0;
		return rc;
	}
	free(ids);
	if (!n)
		return 0;
	/* VACUUM rewrites the file without the freed pages; in WAL mode
	 * the file shrinks once the log is checkpointed into it. */
	if ((rc = sfa_store_exec(st, "VACUUM", "compacting the store", err)))
		return rc;
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	res->bytes_after = file_size(path);
	return 0;
}
