/*
 * access_sql.h - the SQL of deriving effective access
 * (lib/access/ACCESS-MODEL.md rules 1-9): dropping rows of users the sync left
 * out, and what access_rules.c reads from a snapshot's raw tables to apply the
 * rules.  ?1 is always the snapshot being finished; ids are sfid keys.
 */
#ifndef SFA_ACCESS_SQL_H
#define SFA_ACCESS_SQL_H

/* The SQL is laid out by hand, clause by clause; clang-format would split
 * it at arbitrary points.  Everything below is excluded from formatting. */
/* clang-format off */

/* ---- the synced set: PermissionSetAssignment, GroupMember, UserLogin and
 * OauthToken are fetched unfiltered; rows whose user the sync filters left
 * out are dropped so they neither grant access nor linger in the snapshot.
 * GroupMember rows whose member is a group (00G) stay.  The assignments
 * and memberships of such users are found by access_rules.c's walk (they
 * are the rows between users) and deleted by key; the logins and tokens
 * here. ---- */
#define SQL_USER_SYNCED(t, col)                                                \
	"EXISTS (SELECT 1 FROM sf_user u WHERE u.snapshot_id = ?1 AND u.id = " \
	t "." col ")"
#define SQL_DROP_UNSYNCED_LOGIN                                                \
	"DELETE FROM sf_user_login WHERE snapshot_id = ?1 AND NOT "           \
	SQL_USER_SYNCED("sf_user_login", "user_id")
#define SQL_DROP_UNSYNCED_TOKEN                                                \
	"DELETE FROM sf_oauth_token WHERE snapshot_id = ?1 AND NOT "          \
	SQL_USER_SYNCED("sf_oauth_token", "user_id")
/* The entitlement assignments (issue 17) of users left out; territory
 * associations also when their territory is not one of the active model's
 * (only those are synced), so the snapshot keeps only what grants. */
#define SQL_DROP_UNSYNCED_TERRITORY                                            \
	"DELETE FROM sf_user_territory WHERE snapshot_id = ?1 AND (NOT "      \
	SQL_USER_SYNCED("sf_user_territory", "user_id") " OR NOT EXISTS"      \
	" (SELECT 1 FROM sf_territory t WHERE t.snapshot_id = ?1 AND"         \
	" t.id = sf_user_territory.territory_id))"
#define SQL_DROP_UNSYNCED_PS_LICENSE                                           \
	"DELETE FROM sf_ps_license_assign WHERE snapshot_id = ?1 AND NOT "    \
	SQL_USER_SYNCED("sf_ps_license_assign", "assignee_id")
#define SQL_DROP_UNSYNCED_PACKAGE_LICENSE                                      \
	"DELETE FROM sf_user_package_license WHERE snapshot_id = ?1 AND NOT " \
	SQL_USER_SYNCED("sf_user_package_license", "user_id")

/* ---- what access_rules.c reads.  The small tables whole, as rows of
 * up to three integer keys: ---- */
/* Rule 3: permission sets an assignment does not grant directly:
 * profile-owned ones and the aggregates of permission set groups.  A
 * permission set missing from the snapshot is not known to be either, so
 * its assignments count. */
#define SQL_RULES_NOT_DIRECT                                                   \
	"SELECT id FROM sf_permission_set WHERE snapshot_id = ?1 AND"         \
	" (COALESCE(is_owned_by_profile, 0) <> 0 OR"                          \
	" permission_set_group_id IS NOT NULL)"
/* Rule 4: (group, component permission set); muting (0QM) components
 * grant nothing. */
#define SQL_RULES_COMPONENTS                                                   \
	"SELECT c.permission_set_group_id, c.permission_set_id FROM"          \
	" sf_psg_component c JOIN sfid s ON s.id = c.permission_set_id"       \
	" WHERE c.snapshot_id = ?1 AND substr(s.sfid, 1, 3) = '0PS'"
/* Rule 6: (role, its Role group); (top role, RoleAndSubordinates(
 * Internal) group, 1 for Internal); (role, its parent role). */
#define SQL_RULES_ROLE_GROUPS                                                  \
	"SELECT related_id, id FROM sf_group WHERE snapshot_id = ?1 AND"      \
	" type = 'Role' AND related_id IS NOT NULL"
#define SQL_RULES_RAS_GROUPS                                                   \
	"SELECT related_id, id, type = 'RoleAndSubordinatesInternal' FROM"    \
	" sf_group WHERE snapshot_id = ?1 AND related_id IS NOT NULL AND"     \
	" type IN ('RoleAndSubordinates', 'RoleAndSubordinatesInternal')"
#define SQL_RULES_ROLE_PARENTS                                                 \
	"SELECT id, parent_role_id FROM sf_user_role WHERE snapshot_id = ?1"  \
	" AND parent_role_id IS NOT NULL"
/* Rule 8: the Organization groups. */
#define SQL_RULES_ORG_GROUPS                                                   \
	"SELECT id FROM sf_group WHERE snapshot_id = ?1 AND"                  \
	" type = 'Organization'"
/* Rule 7: (child group H, parent group G) for each group-in-group
 * GroupMember (G NULL reads 0: no edge, but H is a group member). */
#define SQL_RULES_NEST_EDGES                                                   \
	"SELECT DISTINCT m.member_id, m.group_id FROM sf_group_member m"      \
	" JOIN sfid s ON s.id = m.member_id WHERE m.snapshot_id = ?1 AND"     \
	" substr(s.sfid, 1, 3) = '00G'"
/* Rule 9: apps (SetupEntityAccess of type ConnectedApplication) by the
 * profile whose owned permission set has them, by the group whose
 * aggregate permission set has them, and by permission set. */
#define SQL_SEA_APP "e.setup_entity_type = 'ConnectedApplication'"
#define SQL_RULES_APP_PROFILE                                                  \
	"SELECT ps.profile_id, e.setup_entity_id FROM"                        \
	" sf_setup_entity_access e JOIN sf_permission_set ps ON"              \
	" ps.snapshot_id = ?1 AND ps.id = e.parent_id AND"                    \
	" ps.is_owned_by_profile = 1 WHERE e.snapshot_id = ?1 AND "           \
	SQL_SEA_APP " AND ps.profile_id IS NOT NULL"
#define SQL_RULES_APP_PSG                                                      \
	"SELECT ps.permission_set_group_id, e.setup_entity_id FROM"           \
	" sf_permission_set ps JOIN sf_setup_entity_access e ON"              \
	" e.snapshot_id = ?1 AND e.parent_id = ps.id AND " SQL_SEA_APP        \
	" WHERE ps.snapshot_id = ?1 AND ps.permission_set_group_id IS NOT NULL"
#define SQL_RULES_APP_PS                                                       \
	"SELECT e.parent_id, e.setup_entity_id FROM sf_setup_entity_access e" \
	" WHERE e.snapshot_id = ?1 AND " SQL_SEA_APP

/* Queues (Group Type 'Queue'): their memberships are `queue` rows. */
#define SQL_RULES_QUEUES                                                       \
	"SELECT id FROM sf_group WHERE snapshot_id = ?1 AND type = 'Queue'"
/* Custom permissions (SetupEntityAccess of type CustomPermission), by
 * profile, by group aggregate and by permission set as for apps, and
 * (group, custom permission) for each that a muting permission set of the
 * group mutes. */
#define SQL_SEA_CUSTOM "e.setup_entity_type = 'CustomPermission'"
#define SQL_RULES_CP_PROFILE                                                   \
	"SELECT ps.profile_id, e.setup_entity_id FROM"                        \
	" sf_setup_entity_access e JOIN sf_permission_set ps ON"              \
	" ps.snapshot_id = ?1 AND ps.id = e.parent_id AND"                    \
	" ps.is_owned_by_profile = 1 WHERE e.snapshot_id = ?1 AND "           \
	SQL_SEA_CUSTOM " AND ps.profile_id IS NOT NULL"
#define SQL_RULES_CP_PSG                                                       \
	"SELECT ps.permission_set_group_id, e.setup_entity_id FROM"           \
	" sf_permission_set ps JOIN sf_setup_entity_access e ON"              \
	" e.snapshot_id = ?1 AND e.parent_id = ps.id AND " SQL_SEA_CUSTOM     \
	" WHERE ps.snapshot_id = ?1 AND ps.permission_set_group_id IS NOT NULL"
#define SQL_RULES_CP_PS                                                        \
	"SELECT e.parent_id, e.setup_entity_id FROM sf_setup_entity_access e" \
	" WHERE e.snapshot_id = ?1 AND " SQL_SEA_CUSTOM
#define SQL_RULES_CP_MUTED                                                     \
	"SELECT c.permission_set_group_id, e.setup_entity_id FROM"            \
	" sf_psg_component c JOIN sfid s ON s.id = c.permission_set_id"       \
	" JOIN sf_setup_entity_access e ON e.snapshot_id = ?1 AND"            \
	" e.parent_id = c.permission_set_id AND " SQL_SEA_CUSTOM              \
	" WHERE c.snapshot_id = ?1 AND substr(s.sfid, 1, 3) = '0QM'"

/* ---- the large tables, each sorted by user key, then in the order of
 * their own ids (which decides which copy of a repeated row is kept: by
 * Salesforce id for assignments and memberships, the same in every store
 * whatever order the scans delivered them in):
 * the users (Standard and active as 0/1), their assignments, their
 * GroupMember rows, and their OauthTokens with the apps whose Name equals
 * the token's AppName byte for byte. ---- */
#define SQL_RULES_USERS                                                        \
	"SELECT id, profile_id, user_role_id, user_type = 'Standard',"        \
	" is_active = 1 FROM sf_user WHERE snapshot_id = ?1 ORDER BY id"
#define SQL_RULES_ASSIGNMENTS                                                  \
	"SELECT assignee_id, permission_set_id, permission_set_group_id,"     \
	" system_modstamp, expiration_date, id FROM sf_ps_assignment"         \
	" WHERE snapshot_id = ?1 ORDER BY assignee_id, id"
#define SQL_RULES_MEMBERS                                                      \
	"SELECT member_id, group_id, system_modstamp, id FROM sf_group_member" \
	" WHERE snapshot_id = ?1 ORDER BY member_id, id"
/* ?2 the key of an assignment or membership of a user left out. */
#define SQL_RULES_DROP_ASSIGNMENT                                              \
	"DELETE FROM sf_ps_assignment WHERE snapshot_id = ?1 AND id = ?2"
#define SQL_RULES_DROP_MEMBER                                                  \
	"DELETE FROM sf_group_member WHERE snapshot_id = ?1 AND id = ?2"
#define SQL_RULES_TOKENS                                                       \
	"SELECT t.user_id, c.id, t.id FROM sf_oauth_token t"                  \
	" CROSS JOIN sf_connected_app c ON c.snapshot_id = ?1 AND"            \
	" c.name = t.app_name COLLATE BINARY WHERE t.snapshot_id = ?1"        \
	" ORDER BY t.user_id, t.id, c.id"

/* The entitlement assignments (issue 17), sorted by user: (user, access
 * type name, what is granted).  Territory associations are of the active
 * model's territories only (SQL_DROP_UNSYNCED_TERRITORY ran first). */
#define SQL_RULES_ENTITLEMENTS                                                 \
	"SELECT user_id, 'territory', territory_id FROM sf_user_territory"    \
	" WHERE snapshot_id = ?1 UNION ALL SELECT assignee_id,"               \
	" 'permission_set_license', license_id FROM sf_ps_license_assign"     \
	" WHERE snapshot_id = ?1 UNION ALL SELECT user_id, 'package_license',"\
	" package_license_id FROM sf_user_package_license"                    \
	" WHERE snapshot_id = ?1 ORDER BY 1"

/* The latest earlier complete snapshot of the same org: first_seen_at
 * carries over from it. */
#define SQL_PREV_COMPLETE                                                      \
	"SELECT max(id) FROM snapshot WHERE status = 'complete' AND"          \
	" id < ?1 AND org_id = (SELECT org_id FROM snapshot WHERE id = ?1)"

/* clang-format on */

#endif
