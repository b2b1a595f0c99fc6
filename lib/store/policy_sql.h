/*
 * policy_sql.h - the SQL of the policy checks' store readers
 * (user_perms.c, store_policy.c) and of the login history (schema v7,
 * store_logins.c).  Prepared and bound, never built from data.
 */
#ifndef SFA_POLICY_SQL_H
#define SFA_POLICY_SQL_H

/* clang-format off */

#define SQL_LOGIN_NEWEST                                                       \
	"SELECT max(login_time) FROM login_history WHERE org_id = ?1"
#define SQL_LOGIN_PUT                                                          \
	"INSERT OR IGNORE INTO login_history VALUES (?1, ?2, ?3, ?4, ?5, ?6," \
	" ?7, ?8, ?9, ?10, ?11)"
#define SQL_LOGIN_COUNT "SELECT count(*) FROM login_history WHERE org_id = ?1"
/* The successful logins of user ?2 of org ?1 at or after ?3. */
#define SQL_LOGIN_AFTER                                                        \
	"SELECT login_time, login_type, source_ip, application FROM"          \
	" login_history WHERE org_id = ?1 AND user_id = ?2 AND"               \
	" login_time >= ?3 AND status = 'Success' ORDER BY login_time"
/* Each user's newest successful login (org ?1), and for a user whose
 * newest is after the time asked for, the newest at or before ?3. */
#define SQL_LOGIN_LATEST                                                       \
	"SELECT user_id, login_time FROM login_latest WHERE org_id = ?1"
#define SQL_LOGIN_LATEST_UPTO                                                  \
	"SELECT max(login_time) FROM login_history WHERE org_id = ?1 AND"     \
	" user_id = ?2 AND login_time <= ?3 AND status = 'Success'"

/* ---- store_policy.c ---- */
/* Every user: Id, Username, Email, FederationIdentifier, IsActive,
 * IsFrozen, UserType, LastLoginDate, profile Id, the user's sfid key. */
#define SQL_POLICY_USERS                                                       \
	"SELECT s.sfid, u.username, u.email, u.federation_id, u.is_active,"   \
	" COALESCE((SELECT max(l.is_frozen) FROM sf_user_login l WHERE"       \
	" l.snapshot_id = u.snapshot_id AND l.user_id = u.id), 0),"           \
	" u.user_type, u.last_login_at,"                                      \
	" (SELECT sfid FROM sfid WHERE id = u.profile_id), u.id"              \
	" FROM sf_user u JOIN sfid s ON s.id = u.id WHERE u.snapshot_id = ?1"
/* Assignments with an ExpirationDate before ?2: user Id, the assignment
 * Id, the permission set (or group) type, Id and API name, the date. */
#define SQL_POLICY_EXPIRED                                                     \
	"SELECT (SELECT sfid FROM sfid WHERE id = a.assignee_id), a.id,"      \
	" CASE WHEN a.permission_set_group_id IS NULL THEN 'permission_set'"  \
	" ELSE 'permission_set_group' END,"                                   \
	" (SELECT sfid FROM sfid WHERE id = COALESCE("                        \
	"a.permission_set_group_id, a.permission_set_id)),"                   \
	" COALESCE((SELECT g.developer_name FROM sf_permission_set_group g"   \
	" WHERE g.snapshot_id = a.snapshot_id AND g.id ="                     \
	" a.permission_set_group_id), (SELECT p.name FROM sf_permission_set p" \
	" WHERE p.snapshot_id = a.snapshot_id AND p.id ="                     \
	" a.permission_set_id)), a.expiration_date"                           \
	" FROM sf_ps_assignment a WHERE a.snapshot_id = ?1 AND"               \
	" a.expiration_date IS NOT NULL AND a.expiration_date < ?2"
/* API names of the containers a [sod] side may name: type, Id, name, for
 * a group its Type (the Organization group is no one's grant), and the
 * sfid key (the access sets name resources by it). */
#define SQL_POLICY_NAMES                                                       \
	"SELECT 'permission_set', s.sfid, p.name, NULL, p.id FROM"            \
	" sf_permission_set p JOIN sfid s ON s.id = p.id"                     \
	" WHERE p.snapshot_id = ?1"                                           \
	" UNION ALL SELECT 'permission_set_group', s.sfid, g.developer_name," \
	" NULL, g.id FROM sf_permission_set_group g JOIN sfid s"              \
	" ON s.id = g.id"                                                     \
	" WHERE g.snapshot_id = ?1"                                           \
	" UNION ALL SELECT 'group', s.sfid, g.developer_name, g.type, g.id"   \
	" FROM sf_group g JOIN sfid s ON s.id = g.id WHERE g.snapshot_id = ?1" \
	" UNION ALL SELECT 'profile', s.sfid, p.name, NULL, p.id"             \
	" FROM sf_profile p"                                                  \
	" JOIN sfid s ON s.id = p.id WHERE p.snapshot_id = ?1"
/* Connected apps, how many OAuth tokens name each, how many of those
 * were used at or after ?2, and the app's sfid key. */
#define SQL_POLICY_APPS                                                        \
	"SELECT s.sfid, a.name, (SELECT count(*) FROM sf_oauth_token t"       \
	" WHERE t.snapshot_id = a.snapshot_id AND t.app_name = a.name),"      \
	" (SELECT count(*) FROM sf_oauth_token t WHERE t.snapshot_id ="       \
	" a.snapshot_id AND t.app_name = a.name AND t.last_used_at >= ?2)"    \
	", a.id FROM sf_connected_app a JOIN sfid s ON s.id = a.id"           \
	" WHERE a.snapshot_id = ?1"

/* Every user's access set: the user's sfid key and the encoding. */
#define SQL_POLICY_SETS                                                        \
	"SELECT user_id, data FROM access_set WHERE snapshot_id = ?1"

#endif
