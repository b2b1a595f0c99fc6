/*
 * perm_sql.h - what the permission engine (perm.c) reads from a
 * snapshot.  ?1 is always the snapshot; ids are sfid keys.
 */
#ifndef SFA_PERM_SQL_H
#define SFA_PERM_SQL_H

/* clang-format off */

#define SQL_PERM_SNAPSHOT                                                      \
	"SELECT status FROM snapshot WHERE id = ?1"
#define SQL_PERM_NAMES                                                         \
	"SELECT perm, name, label FROM perm_name WHERE snapshot_id = ?1"      \
	" ORDER BY perm"
/* Every permission set, profile-owned and aggregate ones included. */
#define SQL_PERM_CONTAINERS                                                    \
	"SELECT p.id, s.sfid, COALESCE(p.label, p.name),"                     \
	" COALESCE(p.is_owned_by_profile, 0), COALESCE(p.profile_id, 0),"     \
	" COALESCE(p.permission_set_group_id, 0)"                             \
	" FROM sf_permission_set p JOIN sfid s ON s.id = p.id"                \
	" WHERE p.snapshot_id = ?1"
#define SQL_PERM_PROFILES                                                      \
	"SELECT p.id, s.sfid, p.name FROM sf_profile p JOIN sfid s"           \
	" ON s.id = p.id WHERE p.snapshot_id = ?1"
#define SQL_PERM_GROUPS                                                        \
	"SELECT g.id, s.sfid, COALESCE(g.master_label, g.developer_name),"    \
	" g.status FROM sf_permission_set_group g JOIN sfid s ON s.id = g.id" \
	" WHERE g.snapshot_id = ?1"
/* Components, muting ones (0QM) too. */
#define SQL_PERM_COMPONENTS                                                    \
	"SELECT c.permission_set_group_id, c.permission_set_id, s.sfid"       \
	" FROM sf_psg_component c JOIN sfid s ON s.id = c.permission_set_id"  \
	" WHERE c.snapshot_id = ?1 AND c.permission_set_group_id IS NOT NULL"
/* The object catalogue: every SobjectType of ObjectPermissions, found by
 * skipping through perm_object_type (one seek per object, where DISTINCT
 * read the whole index: 390,000 entries at 200,000 users); names are
 * compared without case, as SobjectTypes are unique that way. */
#define SQL_PERM_OBJECT_AFTER(cond)                                            \
	"(SELECT sobject_type FROM perm_object WHERE snapshot_id = ?1" cond   \
	" ORDER BY sobject_type COLLATE NOCASE LIMIT 1)"
#define SQL_PERM_OBJECTS                                                       \
	"WITH RECURSIVE o(t) AS (SELECT " SQL_PERM_OBJECT_AFTER("")           \
	" UNION ALL SELECT "                                                  \
	SQL_PERM_OBJECT_AFTER(" AND sobject_type > o.t COLLATE NOCASE")       \
	" FROM o WHERE o.t IS NOT NULL) SELECT t FROM o WHERE t IS NOT NULL"
#define SQL_PERM_HAS_VIEW_ALL_FIELDS                                           \
	"SELECT EXISTS (SELECT 1 FROM perm_object WHERE snapshot_id = ?1"     \
	" AND p_view_all_fields IS NOT NULL)"

/* ---- the containers that hold one permission ---- */
/* ?2 the permission's number. */
#define SQL_PERM_HOLDERS_SYSTEM                                                \
	"SELECT parent_id FROM perm_system WHERE snapshot_id = ?1 AND perm = ?2"
/* ?2 the object, ?3 the action's column number (perm.c actions[]). */
#define SQL_PERM_HOLDERS_OBJECT                                                \
	"SELECT parent_id FROM perm_object WHERE snapshot_id = ?1 AND"        \
	" sobject_type = ?2 COLLATE NOCASE AND CASE ?3 WHEN 0 THEN p_read"    \
	" WHEN 1 THEN p_create WHEN 2 THEN p_edit WHEN 3 THEN p_delete"       \
	" WHEN 4 THEN p_view_all WHEN 5 THEN p_modify_all"                    \
	" ELSE p_view_all_fields END = 1"
/* ?2 the field (Object.Field), ?3 0 read, 1 edit.  Fields by number
 * (schema v14); the joins go name first. */
#define SQL_PERM_HOLDERS_FIELD                                                 \
	"SELECT r.parent_id FROM perm_field_name n CROSS JOIN perm_field_row" \
	" r ON r.snapshot_id = n.snapshot_id AND r.field_no = n.field_no"     \
	" WHERE n.snapshot_id = ?1 AND n.field = ?2 COLLATE NOCASE AND"       \
	" CASE ?3 WHEN 0 THEN r.p_read ELSE r.p_edit END = 1"
/* The fields of one object: ?2 a LIKE pattern "Object.%" (escaped). */
#define SQL_PERM_FIELDS_OF                                                     \
	"SELECT field FROM perm_field_name WHERE snapshot_id = ?1 AND"        \
	" field LIKE ?2 ESCAPE '\\'"
/* Whether the snapshot holds any field permission: none means the sync
 * ran without --sync-field-permissions, not that nobody has a field. */
#define SQL_PERM_ANY_FIELD                                                     \
	"SELECT 1 FROM perm_field WHERE snapshot_id = ?1 LIMIT 1"
/* Whether that sync asked for field permissions (the snapshot's options):
 * if it did and none came, the org has none to give. */
#define SQL_PERM_FIELDS_ASKED                                                  \
	"SELECT json_extract(options, '$.sync_field_permissions') FROM"       \
	" snapshot WHERE id = ?1"
#define SQL_PERM_FIELD_NAME                                                    \
	"SELECT field FROM perm_field_name WHERE snapshot_id = ?1 AND"        \
	" field = ?2 COLLATE NOCASE LIMIT 1"

/* ---- one container's own facts ---- */
#define SQL_PERM_SYSTEM_OF                                                     \
	"SELECT perm FROM perm_system WHERE snapshot_id = ?1 AND"             \
	" parent_id = ?2"
#define SQL_PERM_OBJECT_OF                                                     \
	"SELECT sobject_type, p_read, p_create, p_edit, p_delete, p_view_all," \
	" p_modify_all, p_view_all_fields FROM perm_object"                   \
	" WHERE snapshot_id = ?1 AND parent_id = ?2"
#define SQL_PERM_FIELD_OF                                                      \
	"SELECT n.field, r.p_read, r.p_edit FROM perm_field_row r CROSS JOIN" \
	" perm_field_name n ON n.snapshot_id = r.snapshot_id AND"             \
	" n.field_no = r.field_no WHERE r.snapshot_id = ?1 AND"               \
	" r.parent_id = ?2"

/* ---- holders ---- */
#define SQL_PERM_USERS_OF_PROFILE                                              \
	"SELECT id FROM sf_user WHERE snapshot_id = ?1 AND profile_id = ?2"
/* Rule 3's assignments: no group. */
#define SQL_PERM_USERS_OF_PS                                                   \
	"SELECT assignee_id FROM sf_ps_assignment WHERE snapshot_id = ?1"     \
	" AND permission_set_id = ?2 AND permission_set_group_id IS NULL"
#define SQL_PERM_USERS_OF_PSG                                                  \
	"SELECT assignee_id FROM sf_ps_assignment WHERE snapshot_id = ?1"     \
	" AND permission_set_group_id = ?2"
/* A kept user: no row for a user the sync left out. */
#define SQL_PERM_USER_COLS                                                     \
	"SELECT u.id, s.sfid, u.username, u.name, u.is_active, u.user_type,"  \
	" COALESCE(u.profile_id, 0) FROM sf_user u JOIN sfid s ON s.id = u.id"
#define SQL_PERM_USER_BY_KEY                                                   \
	SQL_PERM_USER_COLS " WHERE u.snapshot_id = ?1 AND u.id = ?2"
#define SQL_PERM_USER_BY_NAME                                                  \
	SQL_PERM_USER_COLS " WHERE u.snapshot_id = ?1 AND u.username = ?2"
#define SQL_PERM_USER_BY_ID                                                    \
	SQL_PERM_USER_COLS " WHERE u.snapshot_id = ?1 AND u.id ="             \
	" (SELECT id FROM sfid WHERE sfid = ?2)"
#define SQL_PERM_USERS_BY_NAME                                                 \
	SQL_PERM_USER_COLS " WHERE u.snapshot_id = ?1 ORDER BY u.username, u.id"

/* clang-format on */

#endif
