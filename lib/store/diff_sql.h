/*
 * diff_sql.h - every SQL statement of the differ, by name: the temporary
 * tables the changes go into, the set differences that fill them, and the
 * ordered readers that join the names back in.  ?1 is the earlier and ?2
 * the later snapshot unless a statement says otherwise.  Reuses the
 * store's name and id macros (store_sql.h), as the store module's sibling.
 */
#ifndef SFA_DIFF_SQL_H
#define SFA_DIFF_SQL_H

#include "store_sql.h"

/* The SQL is laid out by hand, clause by clause; clang-format would split
 * it at arbitrary points.  Everything below is excluded from formatting. */
/* clang-format off */

/* ---- the changes, in temporary tables of the connection (the store may
 * be open read-only: the temp database is always writable).  Access and
 * resource changes keep only integer keys; names are joined in when the
 * changes are read, so the tables stay small and the diff never copies a
 * snapshot. ---- */
#define SQL_DIFF_TEMP                                                          \
	"CREATE TEMP TABLE IF NOT EXISTS sfa_diff_access (kind INTEGER"       \
	" NOT NULL, snapshot_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"  \
	" access_type TEXT NOT NULL, access_id INTEGER NOT NULL,"             \
	" via_type TEXT NOT NULL, via_id INTEGER NOT NULL, assigned_at TEXT," \
	" expires_at TEXT, first_seen_at TEXT);"                              \
	"CREATE TEMP TABLE IF NOT EXISTS sfa_diff_user (user_id INTEGER"      \
	" PRIMARY KEY, a_active, b_active, a_frozen, b_frozen, a_profile,"    \
	" b_profile, a_role, b_role, a_email, b_email, a_manager, b_manager," \
	" a_type, b_type, a_license, b_license);"                            \
	"CREATE TEMP TABLE IF NOT EXISTS sfa_diff_resource (kind INTEGER"     \
	" NOT NULL, snapshot_id INTEGER NOT NULL, type TEXT NOT NULL,"        \
	" id INTEGER NOT NULL);"                                              \
	"CREATE TEMP TABLE IF NOT EXISTS sfa_diff_priv (kind INTEGER"         \
	" NOT NULL, snapshot_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"  \
	" access_type TEXT NOT NULL, access_id TEXT NOT NULL,"                \
	" via_type TEXT NOT NULL, via_id TEXT NOT NULL);"                     \
	"CREATE TEMP TABLE IF NOT EXISTS sfa_diff_perm (kind INTEGER"         \
	" NOT NULL, parent_id INTEGER NOT NULL, permission TEXT NOT NULL);"   \
	"CREATE TEMP TABLE IF NOT EXISTS sfa_diff_pcont (parent_id INTEGER"   \
	" PRIMARY KEY, type TEXT NOT NULL, id INTEGER NOT NULL, name TEXT,"   \
	" reach INTEGER NOT NULL);"                                           \
	"DELETE FROM temp.sfa_diff_access; DELETE FROM temp.sfa_diff_user;"  \
	" DELETE FROM temp.sfa_diff_resource; DELETE FROM temp.sfa_diff_priv;" \
	" DELETE FROM temp.sfa_diff_perm; DELETE FROM temp.sfa_diff_pcont"
#define SQL_DIFF_DROP                                                          \
	"DROP TABLE IF EXISTS temp.sfa_diff_access;"                          \
	" DROP TABLE IF EXISTS temp.sfa_diff_user;"                           \
	" DROP TABLE IF EXISTS temp.sfa_diff_resource;"                       \
	" DROP TABLE IF EXISTS temp.sfa_diff_priv;"                           \
	" DROP TABLE IF EXISTS temp.sfa_diff_perm;"                           \
	" DROP TABLE IF EXISTS temp.sfa_diff_pcont"

/* ---- access rows: a merge of the two snapshots' access sets in user
 * order, done in diff.c, each with the user's digest (schema v3; NULL for
 * snapshots finished before); ?1 the snapshot. ---- */
#define SQL_DIFF_SETS                                                          \
	"SELECT s.user_id, s.data, d.digest FROM access_set s LEFT JOIN"      \
	" user_digest d ON d.snapshot_id = s.snapshot_id AND"                 \
	" d.user_id = s.user_id WHERE s.snapshot_id = ?1 ORDER BY s.user_id"
/* ?1 kind, ?2 the snapshot the row is in, ?3 the user, then the row. */
#define SQL_DIFF_ACCESS_PUT                                                    \
	"INSERT INTO temp.sfa_diff_access VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7," \
	" ?8, ?9, ?10)"

/* ---- user attributes (lib/access/ACCESS-MODEL.md): users in both snapshots
 * whose IsActive, IsFrozen, ProfileId, UserRoleId, Email, ManagerId, UserType
 * or license name differ; LastLoginDate is not compared.  A user without a
 * UserLogin row is not frozen, as in the access review. ---- */
#define SQL_DIFF_FROZEN(snap, user)                                            \
	"COALESCE((SELECT max(l.is_frozen) FROM sf_user_login l WHERE"        \
	" l.snapshot_id = " snap " AND l.user_id = " user "), 0)"
#define SQL_DIFF_USERS                                                         \
	"INSERT INTO temp.sfa_diff_user SELECT * FROM (SELECT a.id,"          \
	" a.is_active AS a1, b.is_active AS b1, "                             \
	SQL_DIFF_FROZEN("?1", "a.id") " AS a2, "                               \
	SQL_DIFF_FROZEN("?2", "a.id") " AS b2,"                                \
	" a.profile_id AS a3, b.profile_id AS b3, a.user_role_id AS a4,"      \
	" b.user_role_id AS b4, a.email AS a5, b.email AS b5,"                \
	" a.manager_id AS a6, b.manager_id AS b6, a.user_type AS a7,"         \
	" b.user_type AS b7, a.license_name AS a8, b.license_name AS b8"      \
	" FROM sf_user a JOIN sf_user b ON b.snapshot_id = ?2 AND b.id = a.id" \
	" WHERE a.snapshot_id = ?1) WHERE a1 IS NOT b1 OR a2 IS NOT b2 OR"    \
	" a3 IS NOT b3 OR a4 IS NOT b4 OR a5 IS NOT b5 OR a6 IS NOT b6 OR"    \
	" a7 IS NOT b7 OR a8 IS NOT b8"
#define SQL_DIFF_USERS_COUNT                                                   \
	"SELECT COALESCE(sum((a_active IS NOT b_active) + (a_frozen IS NOT"   \
	" b_frozen) + (a_profile IS NOT b_profile) + (a_role IS NOT b_role)"  \
	" + (a_email IS NOT b_email) + (a_manager IS NOT b_manager) +"        \
	" (a_type IS NOT b_type) + (a_license IS NOT b_license)), 0)"         \
	" FROM temp.sfa_diff_user"

/* ---- resources (lib/access/ACCESS-MODEL.md "Resources"), by type: the ones of
 * snapshot ?2 that snapshot ?1 does not have, recorded as kind ?3 in
 * snapshot ?2.  Run once each way.  Profile-owned and group-aggregate
 * permission sets are not resources; neither are PSG components (a
 * component change shows as access rows). ---- */
#define SQL_DIFF_RES(table, type, where)                                       \
	"SELECT ?3, ?2, '" type "', b.id FROM " table " b WHERE"              \
	" b.snapshot_id = ?2" where " AND NOT EXISTS (SELECT 1 FROM " table   \
	" a WHERE a.snapshot_id = ?1 AND a.id = b.id" where ")"
#define SQL_DIFF_PS_RESOURCE(t)                                                \
	" AND COALESCE(" t ".is_owned_by_profile, 0) = 0 AND "               \
	t ".permission_set_group_id IS NULL"
#define SQL_DIFF_RESOURCES                                                     \
	"INSERT INTO temp.sfa_diff_resource (kind, snapshot_id, type, id) "   \
	SQL_DIFF_RES("sf_user", "user", "") " UNION ALL "                     \
	SQL_DIFF_RES("sf_profile", "profile", "") " UNION ALL "               \
	SQL_DIFF_RES("sf_user_role", "role", "") " UNION ALL "                \
	SQL_DIFF_RES("sf_group", "group", "") " UNION ALL "                   \
	"SELECT ?3, ?2, 'permission_set', b.id FROM sf_permission_set b"      \
	" WHERE b.snapshot_id = ?2" SQL_DIFF_PS_RESOURCE("b")                 \
	" AND NOT EXISTS (SELECT 1 FROM sf_permission_set a WHERE"            \
	" a.snapshot_id = ?1 AND a.id = b.id" SQL_DIFF_PS_RESOURCE("a") ")"   \
	" UNION ALL "                                                         \
	SQL_DIFF_RES("sf_permission_set_group", "permission_set_group", "")   \
	" UNION ALL "                                                         \
	SQL_DIFF_RES("sf_connected_app", "connected_app", "") " UNION ALL "   \
	SQL_DIFF_RES("sf_user_license", "license", "") " UNION ALL "          \
	SQL_DIFF_RES("sf_territory", "territory", "") " UNION ALL "           \
	SQL_DIFF_RES("sf_ps_license", "permission_set_license", "")           \
	" UNION ALL "                                                         \
	SQL_DIFF_RES("sf_package_license", "package_license", "")             \
	" UNION ALL "                                                         \
	SQL_DIFF_RES("sf_custom_permission", "custom_permission", "")

/* ---- privileged rows (lib/access/PERMISSIONS.md, "Changes"): the access
 * review's rows of the later snapshot ?2 missing from ?1, as kind ?3; so a user
 * who gained Modify All Data is one added row whether the user got the
 * permission set or the permission set got the permission. ---- */
#define SQL_DIFF_PRIVILEGED                                                    \
	"INSERT INTO temp.sfa_diff_priv SELECT ?3, b.snapshot_id, b.user_id," \
	" b.access_type, b.access_id, b.via_type, b.via_id FROM perm_review b" \
	" WHERE b.snapshot_id = ?2 AND NOT EXISTS (SELECT 1 FROM perm_review" \
	" a WHERE a.snapshot_id = ?1 AND a.user_id = b.user_id AND"           \
	" a.access_type = b.access_type AND a.access_id = b.access_id AND"    \
	" a.via_type = b.via_type AND a.via_id = b.via_id)"

/* Privileged changes by tier: (tier, kind, count) rows. */
#define SQL_DIFF_COUNT_PRIVILEGED                                              \
	"SELECT p.tier, x.kind, count(*) FROM temp.sfa_diff_priv x"           \
	" CROSS JOIN perm_review p ON p.snapshot_id = x.snapshot_id AND"      \
	" p.user_id = x.user_id AND p.access_type = x.access_type AND"        \
	" p.access_id = x.access_id AND p.via_type = x.via_type AND"          \
	" p.via_id = x.via_id GROUP BY p.tier, x.kind"

/* ---- a container's own permissions (lib/access/PERMISSIONS.md, "Changes"): what
 * is true on a container in snapshot ?2 and not in ?1, as kind ?3; run
 * once each way.  Permissions are compared by name (`ModifyAllData`,
 * `Account:edit`, `Account.Phone:read`): the permission numbers of
 * perm_name are the snapshot's own.  Each kind of fact is compared only
 * when both snapshots hold it (a sync with --no-sync-permissions or
 * without --sync-field-permissions would make every fact look new).
 * Object and field rows are matched on their primary key and only rows
 * that differ are spread into their actions. ---- */
#define SQL_DIFF_PERM_BOTH(t)                                                  \
	" EXISTS (SELECT 1 FROM " t " WHERE snapshot_id = ?1) AND EXISTS"     \
	" (SELECT 1 FROM " t " WHERE snapshot_id = ?2)"
#define SQL_DIFF_PERM_NAMES(snap)                                              \
	"SELECT s.parent_id, n.name FROM perm_system s CROSS JOIN perm_name n" \
	" ON n.snapshot_id = s.snapshot_id AND n.perm = s.perm"               \
	" WHERE s.snapshot_id = " snap
#define SQL_DIFF_PERM_SYSTEM                                                   \
	"INSERT INTO temp.sfa_diff_perm SELECT ?3, parent_id, name FROM ("    \
	SQL_DIFF_PERM_NAMES("?2") " EXCEPT " SQL_DIFF_PERM_NAMES("?1") ")"    \
	" WHERE" SQL_DIFF_PERM_BOTH("perm_name")
#define SQL_DIFF_PERM_FLAG(i, col)                                             \
	" WHEN " i " THEN b." col " = 1 AND a." col " IS NOT 1"
/* Rows of table t in ?2 with each action (actions: a VALUES list of
 * (number, name)) whose flag is true there and not in ?1's row. */
#define SQL_DIFF_PERM_ROWS(t, key, actions, flags)                             \
	"SELECT b.parent_id AS parent_id, b." key " AS name,"                 \
	" x.column2 AS action FROM " t " b LEFT JOIN " t " a ON"              \
	" a.snapshot_id = ?1 AND a.parent_id = b.parent_id AND"               \
	" a." key " = b." key " CROSS JOIN (VALUES " actions ") x"            \
	" WHERE b.snapshot_id = ?2 AND CASE x.column1" flags " END"
#define SQL_DIFF_PERM_OBJECT                                                   \
	"INSERT INTO temp.sfa_diff_perm SELECT ?3, parent_id,"                \
	" name || ':' || action FROM (" SQL_DIFF_PERM_ROWS("perm_object",     \
	"sobject_type", "(0, 'read'), (1, 'create'), (2, 'edit'),"            \
	" (3, 'delete'), (4, 'viewall'), (5, 'modifyall'),"                   \
	" (6, 'viewallfields')", SQL_DIFF_PERM_FLAG("0", "p_read")           \
	SQL_DIFF_PERM_FLAG("1", "p_create") SQL_DIFF_PERM_FLAG("2", "p_edit") \
	SQL_DIFF_PERM_FLAG("3", "p_delete")                                   \
	SQL_DIFF_PERM_FLAG("4", "p_view_all")                                 \
	SQL_DIFF_PERM_FLAG("5", "p_modify_all")                               \
	SQL_DIFF_PERM_FLAG("6", "p_view_all_fields")) ") WHERE"               \
	SQL_DIFF_PERM_BOTH("perm_object")
#define SQL_DIFF_PERM_FIELD                                                    \
	"INSERT INTO temp.sfa_diff_perm SELECT ?3, parent_id,"                \
	" name || ':' || action FROM (" SQL_DIFF_PERM_ROWS("perm_field",      \
	"field", "(0, 'read'), (1, 'edit')",                                  \
	SQL_DIFF_PERM_FLAG("0", "p_read")                                     \
	SQL_DIFF_PERM_FLAG("1", "p_edit")) ") WHERE"                          \
	SQL_DIFF_PERM_BOTH("perm_field")

/* The container of each changed parent, in the later snapshot ?2 and
 * only when it is in both (a container made or deleted between them is a
 * resource change, not a list of permission changes): a profile-owned
 * permission set is its profile, a group's aggregate its group; a muting
 * permission set stays itself, named after its group.  reach is the
 * number of kept users of ?2 the container gives permissions to: the
 * profile's users; a permission set's holders, directly or through a
 * group it is a component of; a group's (or its muting set's) holders. */
#define SQL_DIFF_PERM_KEPT(sel)                                                \
	"(SELECT count(*) FROM (" sel ") h WHERE EXISTS (SELECT 1 FROM"       \
	" sf_user u WHERE u.snapshot_id = ?2 AND u.id = h.assignee_id))"
#define SQL_DIFF_PERM_GROUP_OF(ps)                                             \
	"(SELECT c.permission_set_group_id FROM sf_psg_component c WHERE"     \
	" c.snapshot_id = ?2 AND c.permission_set_id = " ps " ORDER BY"       \
	" c.permission_set_group_id LIMIT 1)"
#define SQL_DIFF_PERM_CONTAINERS                                               \
	"INSERT INTO temp.sfa_diff_pcont SELECT parent_id, type, id, CASE"    \
	" type WHEN 'profile' THEN (SELECT n.name FROM sf_profile n WHERE"    \
	" n.snapshot_id = ?2 AND n.id = k.id) WHEN 'permission_set' THEN"     \
	" (SELECT COALESCE(n.label, n.name) FROM sf_permission_set n WHERE"   \
	" n.snapshot_id = ?2 AND n.id = k.id) ELSE (SELECT"                   \
	" COALESCE(n.master_label, n.developer_name) FROM"                    \
	" sf_permission_set_group n WHERE n.snapshot_id = ?2 AND"             \
	" n.id = k.grp) || CASE type WHEN 'muting_permission_set' THEN"       \
	" ' (muting)' ELSE '' END END, CASE type WHEN 'profile' THEN"         \
	" (SELECT count(*) FROM sf_user u WHERE u.snapshot_id = ?2 AND"       \
	" u.profile_id = k.id) WHEN 'permission_set' THEN "                   \
	SQL_DIFF_PERM_KEPT("SELECT a.assignee_id FROM sf_ps_assignment a"     \
	" WHERE a.snapshot_id = ?2 AND a.permission_set_id = k.id AND"        \
	" a.permission_set_group_id IS NULL UNION SELECT a.assignee_id FROM"  \
	" sf_ps_assignment a WHERE a.snapshot_id = ?2 AND"                    \
	" a.permission_set_group_id IN (SELECT c.permission_set_group_id"     \
	" FROM sf_psg_component c WHERE c.snapshot_id = ?2 AND"               \
	" c.permission_set_id = k.id)") " ELSE "                              \
	SQL_DIFF_PERM_KEPT("SELECT DISTINCT a.assignee_id FROM"               \
	" sf_ps_assignment a WHERE a.snapshot_id = ?2 AND"                    \
	" a.permission_set_group_id = k.grp") " END FROM (SELECT"             \
	" p.parent_id, CASE WHEN ps.id IS NULL THEN 'muting_permission_set'"  \
	" WHEN ps.is_owned_by_profile = 1 THEN 'profile' WHEN"                \
	" ps.permission_set_group_id IS NOT NULL THEN 'permission_set_group'" \
	" ELSE 'permission_set' END AS type, CASE WHEN ps.id IS NULL THEN"    \
	" p.parent_id WHEN ps.is_owned_by_profile = 1 THEN ps.profile_id"     \
	" WHEN ps.permission_set_group_id IS NOT NULL THEN"                   \
	" ps.permission_set_group_id ELSE p.parent_id END AS id,"             \
	" COALESCE(ps.permission_set_group_id, "                              \
	SQL_DIFF_PERM_GROUP_OF("p.parent_id") ") AS grp FROM (SELECT"         \
	" DISTINCT parent_id FROM temp.sfa_diff_perm) p LEFT JOIN"            \
	" sf_permission_set ps ON ps.snapshot_id = ?2 AND ps.id = p.parent_id" \
	" WHERE CASE WHEN ps.id IS NULL THEN EXISTS (SELECT 1 FROM"           \
	" sf_psg_component c WHERE c.snapshot_id = ?1 AND"                    \
	" c.permission_set_id = p.parent_id) AND EXISTS (SELECT 1 FROM"       \
	" sf_psg_component c WHERE c.snapshot_id = ?2 AND"                    \
	" c.permission_set_id = p.parent_id) ELSE EXISTS (SELECT 1 FROM"      \
	" sf_permission_set o WHERE o.snapshot_id = ?1 AND o.id = ps.id) END)" \
	" k WHERE id IS NOT NULL"
#define SQL_DIFF_COUNT_PERMS                                                   \
	"SELECT count(*) FROM temp.sfa_diff_perm x CROSS JOIN"                \
	" temp.sfa_diff_pcont c ON c.parent_id = x.parent_id WHERE x.kind = ?1"

/* ?1 kind: rows recorded of that kind. */
#define SQL_DIFF_COUNT_ACCESS                                                  \
	"SELECT (SELECT count(*) FROM temp.sfa_diff_access WHERE kind = ?1)"  \
	" + (SELECT count(*) FROM temp.sfa_diff_priv WHERE kind = ?1)"
#define SQL_DIFF_COUNT_RESOURCES                                               \
	"SELECT count(*) FROM temp.sfa_diff_resource WHERE kind = ?1"

/* ---- readers.  All three give the same 28 columns: kind, the access
 * review columns (snapshot_id ... first_seen_at, as SQL_EACH_ACCESS), then
 * field, old_value, new_value, old_name, new_name.  ---- */
#define SQL_DIFF_USER_COLS(snap, user)                                         \
	" sn.started_at, sn.org_id, us.sfid, u.username, u.name, u.email,"    \
	" u.user_type, u.license_name, u.is_active, "                         \
	SQL_DIFF_FROZEN(snap, user) ", u.last_login_at, u.manager_username, "

/* Added or removed rows (kind ?3), each with the columns of the snapshot
 * it is in.
 * The temp table drives the join (CROSS JOIN keeps it outermost): every
 * other table is a primary key lookup per change. */
#define SQL_DIFF_EACH_ACCESS                                                   \
	"SELECT x.kind, x.snapshot_id," SQL_DIFF_USER_COLS("x.snapshot_id",   \
	"x.user_id") "x.access_type, xs.sfid, "                               \
	SQL_NAME_OF("x.access_type", "x.access_id") " AS access_name,"         \
	" x.via_type, vs.sfid AS via_sfid, "                                  \
	SQL_VIA_NAME_OF("x.via_type", "x.via_id") " AS via_name,"                  \
	" x.assigned_at, x.expires_at, x.first_seen_at, NULL, NULL, NULL,"    \
	" NULL, NULL FROM temp.sfa_diff_access x CROSS JOIN snapshot sn ON"              \
	" sn.id = x.snapshot_id CROSS JOIN sf_user u ON"                      \
	" u.snapshot_id = x.snapshot_id AND u.id = x.user_id"                 \
	" CROSS JOIN sfid us ON us.id = x.user_id"                            \
	" CROSS JOIN sfid xs ON xs.id = x.access_id"                          \
	" LEFT JOIN sfid vs ON vs.id = x.via_id WHERE x.kind = ?3"            \
	" ORDER BY x.kind, u.username, x.access_type, access_name,"           \
	" x.via_type, via_name, xs.sfid, via_sfid"

/* Added or removed privileged rows (kind ?3), the same columns and then
 * tier, granted_by and implied_by. */
#define SQL_DIFF_EACH_PRIVILEGED                                               \
	"SELECT x.kind, x.snapshot_id," SQL_DIFF_USER_COLS("x.snapshot_id",   \
	"x.user_id") "x.access_type, x.access_id, p.access_name, x.via_type," \
	" x.via_id, CASE x.via_type WHEN 'profile' THEN (SELECT n.name FROM"  \
	" sf_profile n WHERE n.snapshot_id = x.snapshot_id AND n.id ="        \
	" (SELECT id FROM sfid WHERE sfid = x.via_id)) WHEN 'permission_set'" \
	" THEN (SELECT n.label FROM sf_permission_set n WHERE n.snapshot_id"  \
	" = x.snapshot_id AND n.id = (SELECT id FROM sfid WHERE sfid ="       \
	" x.via_id)) ELSE (SELECT n.master_label FROM sf_permission_set_group" \
	" n WHERE n.snapshot_id = x.snapshot_id AND n.id = (SELECT id FROM"   \
	" sfid WHERE sfid = x.via_id)) END AS via_name, NULL, NULL, NULL,"    \
	" NULL, NULL, NULL, p.tier, p.granted_by, p.implied_by"               \
	" FROM temp.sfa_diff_priv x CROSS JOIN snapshot sn ON"                \
	" sn.id = x.snapshot_id CROSS JOIN sf_user u ON"                      \
	" u.snapshot_id = x.snapshot_id AND u.id = x.user_id"                 \
	" CROSS JOIN sfid us ON us.id = x.user_id CROSS JOIN perm_review p"   \
	" ON p.snapshot_id = x.snapshot_id AND p.user_id = x.user_id AND"     \
	" p.access_type = x.access_type AND p.access_id = x.access_id AND"    \
	" p.via_type = x.via_type AND p.via_id = x.via_id WHERE x.kind = ?3"  \
	" ORDER BY x.kind, u.username, x.access_type, p.access_name,"         \
	" x.via_type, via_name, x.access_id, x.via_id"

/* A container's permission changes, with the later snapshot's (?2)
 * columns: the container as access_*, the permission as field and the
 * users it reaches as new_value. */
#define SQL_DIFF_EACH_PERMISSION                                               \
	"SELECT x.kind, ?2, sn.started_at, sn.org_id, NULL, NULL, NULL, NULL," \
	" NULL, NULL, NULL, NULL, NULL, NULL, c.type, s.sfid, c.name, NULL,"  \
	" NULL, NULL, NULL, NULL, NULL, x.permission, NULL, c.reach, NULL,"   \
	" NULL FROM temp.sfa_diff_perm x CROSS JOIN temp.sfa_diff_pcont c ON" \
	" c.parent_id = x.parent_id CROSS JOIN snapshot sn ON sn.id = ?2"     \
	" CROSS JOIN sfid s ON s.id = c.id"                                   \
	" ORDER BY x.kind, c.type, c.name, s.sfid, x.permission"

/* Changed attributes, one row per field, with the later snapshot's (?2)
 * user columns.  Values as stored: ids for references, true/false; a
 * reference also names what it points to, in its own snapshot (?1 for
 * the old value, ?2 for the new), for people reading ids. */
#define SQL_DIFF_BOOL(c) "CASE " c " WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
#define SQL_DIFF_NAMED(rank, name, a, b, an, bn)                               \
	"SELECT user_id, " rank " AS rank, '" name "' AS field, " a           \
	" AS old_value, " b " AS new_value, " an " AS old_name, " bn          \
	" AS new_name FROM temp.sfa_diff_user"
#define SQL_DIFF_FIELD(rank, name, a, b)                                       \
	SQL_DIFF_NAMED(rank, name, a, b, "NULL", "NULL")
#define SQL_DIFF_FIELD_IF(rank, name, a, b)                                    \
	SQL_DIFF_FIELD(rank, name, a, b) " WHERE " a " IS NOT " b
#define SQL_DIFF_NAME_IN(t, snap, key)                                         \
	"(SELECT n.name FROM " t " n WHERE n.snapshot_id = " snap             \
	" AND n.id = " key ")"
#define SQL_DIFF_ID_FIELD(rank, name, t, a, b)                                 \
	SQL_DIFF_NAMED(rank, name, SFID(a), SFID(b),                          \
		       SQL_DIFF_NAME_IN(t, "?1", a),                          \
		       SQL_DIFF_NAME_IN(t, "?2", b)) " WHERE " a " IS NOT " b
#define SQL_DIFF_EACH_CHANGED                                                  \
	"WITH f AS (" SQL_DIFF_FIELD("1", "IsActive",                         \
	SQL_DIFF_BOOL("a_active"), SQL_DIFF_BOOL("b_active"))                 \
	" WHERE a_active IS NOT b_active UNION ALL "                          \
	SQL_DIFF_FIELD("2", "IsFrozen", SQL_DIFF_BOOL("a_frozen"),            \
	SQL_DIFF_BOOL("b_frozen")) " WHERE a_frozen IS NOT b_frozen"          \
	" UNION ALL " SQL_DIFF_ID_FIELD("3", "ProfileId", "sf_profile",       \
	"a_profile", "b_profile") " UNION ALL " SQL_DIFF_ID_FIELD("4",        \
	"UserRoleId", "sf_user_role", "a_role", "b_role") " UNION ALL "       \
	SQL_DIFF_FIELD_IF("5", "Email", "a_email", "b_email") " UNION ALL "   \
	SQL_DIFF_ID_FIELD("6", "ManagerId", "sf_user", "a_manager",           \
	"b_manager") " UNION ALL "                                            \
	SQL_DIFF_FIELD_IF("7", "UserType", "a_type", "b_type") " UNION ALL "  \
	SQL_DIFF_FIELD_IF("8", "License", "a_license", "b_license") ")"       \
	" SELECT 2, ?2," SQL_DIFF_USER_COLS("?2", "f.user_id") "NULL, NULL,"  \
	" NULL, NULL, NULL, NULL, NULL, NULL, NULL, f.field, f.old_value,"    \
	" f.new_value, f.old_name, f.new_name FROM f CROSS JOIN snapshot sn ON sn.id = ?2"            \
	" CROSS JOIN sf_user u ON u.snapshot_id = ?2 AND u.id = f.user_id"    \
	" CROSS JOIN sfid us ON us.id = f.user_id"                            \
	" ORDER BY u.username, f.rank, us.sfid"

/* Added and removed resources, with the snapshot columns of the later
 * (added) or earlier (removed) snapshot and the resource as access_*. */
#define SQL_DIFF_EACH_RESOURCE                                                 \
	"SELECT x.kind, x.snapshot_id, sn.started_at, sn.org_id, NULL, NULL," \
	" NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, x.type, s.sfid,"    \
	" CASE x.type WHEN 'license' THEN " RAW("sf_user_license", "n.name")  \
	"x.id) ELSE " SQL_NAME_OF("x.type", "x.id") " END AS name, NULL,"     \
	" NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"         \
	" FROM temp.sfa_diff_resource x CROSS JOIN snapshot sn ON"            \
	" sn.id = x.snapshot_id CROSS JOIN sfid s ON s.id = x.id"             \
	" ORDER BY x.kind, x.type, name, s.sfid"

/* ---- picking the snapshots: the complete snapshot of org ?2 before
 * snapshot ?1. ---- */
#define SQL_DIFF_PREVIOUS                                                      \
	"SELECT max(id) FROM snapshot WHERE status = 'complete' AND"          \
	" org_id = ?2 AND id < ?1"

/* clang-format on */

#endif
