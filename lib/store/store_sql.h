/*
 * store_sql.h - every SQL statement of the store, by name: the schema
 * migrations, the raw-record inserts, the snapshot lifecycle and the
 * readers.  Statements are always prepared and bound, never built from data.
 * (Derivation SQL lives in access_sql.h.)
 */
#ifndef SFA_STORE_SQL_H
#define SFA_STORE_SQL_H

/* The SQL is laid out by hand, clause by clause; clang-format would split
 * it at arbitrary points.  Everything below is excluded from formatting. */
/* clang-format off */

/* ---- schema ----
 * Salesforce ids are stored once, in sfid, and referenced everywhere else
 * by its integer key: the large tables (PermissionSetAssignment,
 * GroupMember, access) hold integers, and joins compare integers.  Raw
 * tables are keyed (snapshot_id, Id) WITHOUT ROWID so a snapshot's rows sit
 * together and deleting a snapshot cascades along the key prefix.
 * Secondary indexes carry the columns their lookups read: without
 * statistics SQLite would otherwise prefer the snapshot_id prefix of the
 * primary key, a scan of the whole snapshot per lookup.
 * access.via_id is 0 (no sfid) when via_type is 'direct', so that the
 * primary key makes rows unique (a NULL would not). */
#define SFA_RAW_KEY                                                            \
	"snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE "     \
	"CASCADE, id INTEGER NOT NULL, "
#define SFA_RAW_END ", PRIMARY KEY (snapshot_id, id)) WITHOUT ROWID;\n"

#define SQL_V1_SNAPSHOT                                                        \
	"CREATE TABLE snapshot (id INTEGER PRIMARY KEY, org_id TEXT NOT NULL," \
	" api_version TEXT NOT NULL, options TEXT NOT NULL,"                  \
	" started_at TEXT NOT NULL, finished_at TEXT,"                        \
	" status TEXT NOT NULL DEFAULT 'incomplete'"                          \
	" CHECK (status IN ('incomplete', 'complete')),"                      \
	" content_hash TEXT, error TEXT, n_users INTEGER,"                    \
	" n_resources INTEGER, n_access INTEGER, api_requests INTEGER);\n"    \
	"CREATE INDEX snapshot_by_org ON snapshot (org_id, status, id);\n"    \
	"CREATE TABLE sfid (id INTEGER PRIMARY KEY,"                          \
	" sfid TEXT NOT NULL UNIQUE);\n"

#define SQL_V1_RAW_USERS                                                       \
	"CREATE TABLE sf_user_license (" SFA_RAW_KEY                          \
	"name TEXT, license_key TEXT, status TEXT, total_licenses INTEGER,"   \
	" used_licenses INTEGER" SFA_RAW_END                                  \
	"CREATE TABLE sf_profile (" SFA_RAW_KEY                               \
	"name TEXT, user_license_id INTEGER, user_type TEXT" SFA_RAW_END      \
	"CREATE TABLE sf_user_role (" SFA_RAW_KEY                             \
	"name TEXT, developer_name TEXT, parent_role_id INTEGER" SFA_RAW_END  \
	"CREATE INDEX sf_user_role_parent ON sf_user_role"                    \
	" (snapshot_id, parent_role_id);\n"                                   \
	"CREATE TABLE sf_user (" SFA_RAW_KEY                                  \
	"username TEXT, name TEXT, first_name TEXT, last_name TEXT,"          \
	" email TEXT, is_active INTEGER, user_type TEXT,"                     \
	" profile_id INTEGER, user_role_id INTEGER, manager_id INTEGER,"      \
	" manager_username TEXT, last_login_at TEXT, created_at TEXT,"        \
	" federation_id TEXT, license_name TEXT, license_key TEXT"            \
	SFA_RAW_END                                                           \
	"CREATE INDEX sf_user_role_id ON sf_user (snapshot_id, user_role_id," \
	" user_type);" \
	"\nCREATE INDEX sf_user_profile ON sf_user (snapshot_id, profile_id);" \
	"\nCREATE TABLE sf_user_login (" SFA_RAW_KEY                          \
	"user_id INTEGER, is_frozen INTEGER, is_password_locked INTEGER"      \
	SFA_RAW_END                                                           \
	"CREATE INDEX sf_user_login_user ON sf_user_login"                    \
	" (snapshot_id, user_id, is_frozen);\n"

#define SQL_V1_RAW_GROUPS                                                      \
	"CREATE TABLE sf_group (" SFA_RAW_KEY                                 \
	"name TEXT, developer_name TEXT, type TEXT, related_id INTEGER"       \
	SFA_RAW_END                                                           \
	"CREATE TABLE sf_group_member (" SFA_RAW_KEY                          \
	"group_id INTEGER, member_id INTEGER, system_modstamp TEXT"           \
	SFA_RAW_END                                                           \
	"CREATE TABLE sf_permission_set (" SFA_RAW_KEY                        \
	"name TEXT, label TEXT, type TEXT, license_id INTEGER,"               \
	" is_custom INTEGER, namespace_prefix TEXT,"                          \
	" is_owned_by_profile INTEGER, profile_id INTEGER,"                   \
	" permission_set_group_id INTEGER, modify_all_data INTEGER,"          \
	" view_all_data INTEGER, manage_users INTEGER, author_apex INTEGER,"  \
	" customize_application INTEGER" SFA_RAW_END                          \
	"CREATE INDEX sf_permission_set_profile ON sf_permission_set"         \
	" (snapshot_id, profile_id);\n"                                       \
	"CREATE INDEX sf_permission_set_psg ON sf_permission_set"             \
	" (snapshot_id, permission_set_group_id);\n"                          \
	"CREATE TABLE sf_permission_set_group (" SFA_RAW_KEY                  \
	"developer_name TEXT, master_label TEXT, status TEXT" SFA_RAW_END     \
	"CREATE TABLE sf_psg_component (" SFA_RAW_KEY                         \
	"permission_set_group_id INTEGER, permission_set_id INTEGER"          \
	SFA_RAW_END                                                           \
	"CREATE INDEX sf_psg_component_psg ON sf_psg_component"               \
	" (snapshot_id, permission_set_group_id, permission_set_id);\n"

#define SQL_V1_RAW_GRANTS                                                      \
	"CREATE TABLE sf_ps_assignment (" SFA_RAW_KEY                         \
	"assignee_id INTEGER, permission_set_id INTEGER,"                     \
	" permission_set_group_id INTEGER, expiration_date TEXT,"             \
	" system_modstamp TEXT, is_active INTEGER" SFA_RAW_END                \
	"CREATE TABLE sf_connected_app (" SFA_RAW_KEY                         \
	"name TEXT, admin_approved_only INTEGER" SFA_RAW_END                  \
	"CREATE TABLE sf_setup_entity_access (" SFA_RAW_KEY                   \
	"parent_id INTEGER, setup_entity_id INTEGER, setup_entity_type TEXT"  \
	SFA_RAW_END                                                           \
	"CREATE INDEX sf_setup_entity_access_parent ON sf_setup_entity_access" \
	" (snapshot_id, parent_id, setup_entity_type,"                         \
	" setup_entity_id);\n"                                        \
	"CREATE TABLE sf_oauth_token (" SFA_RAW_KEY                           \
	"user_id INTEGER, app_name TEXT" SFA_RAW_END

#define SQL_V1_ACCESS                                                          \
	"CREATE TABLE access (snapshot_id INTEGER NOT NULL REFERENCES"        \
	" snapshot(id) ON DELETE CASCADE, user_id INTEGER NOT NULL,"          \
	" access_type TEXT NOT NULL, access_id INTEGER NOT NULL,"             \
	" via_type TEXT NOT NULL, via_id INTEGER NOT NULL,"                   \
	" assigned_at TEXT, expires_at TEXT, first_seen_at TEXT,"             \
	" PRIMARY KEY (snapshot_id, user_id, access_type, access_id,"         \
	" via_type, via_id)) WITHOUT ROWID;\n"

/* ---- raw records: one INSERT per object, ?1 the snapshot, then the
 * object's fields in objects.h order.  A record seen twice (a replayed
 * page) is the same record: the second copy is ignored. ---- */
#define SQL_INS(table, n) "INSERT OR IGNORE INTO " table " VALUES (?1, " n ")"
#define SQL_INS_USER_LICENSE SQL_INS("sf_user_license", "?2,?3,?4,?5,?6,?7")
#define SQL_INS_PROFILE SQL_INS("sf_profile", "?2,?3,?4,?5")
#define SQL_INS_USER_ROLE SQL_INS("sf_user_role", "?2,?3,?4,?5")
#define SQL_INS_USER                                                           \
	SQL_INS("sf_user", "?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15," \
			   "?16,?17,?18")
#define SQL_INS_USER_LOGIN SQL_INS("sf_user_login", "?2,?3,?4,?5")
#define SQL_INS_GROUP SQL_INS("sf_group", "?2,?3,?4,?5,?6")
#define SQL_INS_GROUP_MEMBER SQL_INS("sf_group_member", "?2,?3,?4,?5")
#define SQL_INS_PERMISSION_SET                                                 \
	SQL_INS("sf_permission_set",                                          \
		"?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16")
#define SQL_INS_PERMISSION_SET_GROUP                                           \
	SQL_INS("sf_permission_set_group", "?2,?3,?4,?5")
#define SQL_INS_PSG_COMPONENT SQL_INS("sf_psg_component", "?2,?3,?4")
#define SQL_INS_PS_ASSIGNMENT                                                  \
	SQL_INS("sf_ps_assignment", "?2,?3,?4,?5,?6,?7,?8")
#define SQL_INS_CONNECTED_APP SQL_INS("sf_connected_app", "?2,?3,?4")
#define SQL_INS_SETUP_ENTITY_ACCESS                                            \
	SQL_INS("sf_setup_entity_access", "?2,?3,?4,?5")
#define SQL_INS_TERRITORY SQL_INS("sf_territory", "?2,?3,?4,?5,?6")
#define SQL_INS_USER_TERRITORY SQL_INS("sf_user_territory", "?2,?3,?4,?5")
#define SQL_INS_PS_LICENSE SQL_INS("sf_ps_license", "?2,?3,?4,?5,?6")
#define SQL_INS_PS_LICENSE_ASSIGN SQL_INS("sf_ps_license_assign", "?2,?3,?4")
#define SQL_INS_PACKAGE_LICENSE SQL_INS("sf_package_license", "?2,?3,?4,?5")
#define SQL_INS_USER_PACKAGE_LICENSE                                           \
	SQL_INS("sf_user_package_license", "?2,?3,?4")
#define SQL_INS_CUSTOM_PERMISSION                                              \
	SQL_INS("sf_custom_permission", "?2,?3,?4,?5")

#define SQL_INS_OAUTH_TOKEN SQL_INS("sf_oauth_token", "?2,?3,?4,?5")

/* Permissions (schema v7): the record Ids of ObjectPermissions and
 * FieldPermissions (?2) are not kept, since nothing names them; a row is
 * its container and object or field. */
#define SQL_INS_PERM_SYSTEM                                                    \
	"INSERT OR IGNORE INTO perm_system VALUES (?1, ?2, ?3)"
#define SQL_INS_PERM_OBJECT                                                    \
	"INSERT OR IGNORE INTO perm_object VALUES (?1, ?3, ?4, ?5, ?6, ?7,"   \
	" ?8, ?9, ?10, ?11)"
/* ?5 the field's number (schema v15, sfa_store_field_number()). */
#define SQL_INS_PERM_FIELD                                                     \
	"INSERT OR IGNORE INTO perm_field_row VALUES (?1, ?3, ?5, ?6, ?7)"
#define SQL_INS_PERM_FIELD_NAME                                                \
	"INSERT INTO perm_field_name VALUES (?1, ?2, ?3)"
#define SQL_INS_PERM_NAME                                                      \
	"INSERT OR IGNORE INTO perm_name VALUES (?1, ?2, ?3, ?4)"

#define SQL_SFID_GET "SELECT id FROM sfid WHERE sfid = ?1"
#define SQL_SFID_PUT "INSERT OR IGNORE INTO sfid (sfid) VALUES (?1)"

/* The page cache of a writing connection (store.c says why 12 MB), and
 * the smaller one that big sorts start with (access_rules.c) and the
 * content hash runs with (store_hash.c), as PRAGMA cache_size has it. */
#define SQL_STORE_CACHE "PRAGMA cache_size = -12288"
#define SQL_SORT_CACHE "PRAGMA cache_size = -4096"

/* ---- snapshot lifecycle; ?4 / ?2 pin the clock in tests ---- */
#define SQL_NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define SQL_SNAPSHOT_BEGIN                                                     \
	"INSERT INTO snapshot (org_id, api_version, options, started_at)"     \
	" VALUES (?1, ?2, ?3, COALESCE(?4, " SQL_NOW "))"
#define SQL_SNAPSHOT_FINISH                                                    \
	"UPDATE snapshot SET status = 'complete', finished_at = COALESCE(?2, " \
	SQL_NOW "), content_hash = ?3, n_users = ?4, n_resources = ?5,"       \
	" n_access = ?6, api_requests = ?7, error = NULL WHERE id = ?1"
#define SQL_SNAPSHOT_ERROR "UPDATE snapshot SET error = ?2 WHERE id = ?1"
#define SQL_COUNT_USERS "SELECT count(*) FROM sf_user WHERE snapshot_id = ?1"
/* Access rows: the access sets' and the privileged rows (schema v7).
 * The privileged rows are counted as perm_review multiplies them out, but
 * without walking them: each source's rows times its holders, arm by arm
 * of the view (schema v15).  count(*) over the view walked every row:
 * 0.4-0.6 s of a 50,000-user sync's finish (1.25 million rows), 5.6 s
 * from the sqlite3 shell at 200,000 users (5 million), against 0.03 s and
 * 1.3 s this way. */
#define SQL_COUNT_PRIV_ARM(via, holders)                                       \
	"(SELECT COALESCE(sum(t.n * (SELECT count(*) FROM " holders ")), 0)"  \
	" FROM (SELECT via_id, count(*) AS n FROM perm_priv_source"           \
	" WHERE snapshot_id = ?1 AND via_type = '" via "' GROUP BY via_id) t)"
#define SQL_COUNT_ACCESS                                                       \
	"SELECT COALESCE((SELECT sum(n_access) FROM access_set"               \
	" WHERE snapshot_id = ?1), 0) + "                                     \
	SQL_COUNT_PRIV_ARM("profile", "sf_user x WHERE x.snapshot_id = ?1"   \
			   " AND x.profile_id = t.via_id") " + "              \
	SQL_COUNT_PRIV_ARM("permission_set",                                  \
			   "sf_ps_assignment x WHERE x.snapshot_id = ?1"      \
			   " AND x.permission_set_id = t.via_id"              \
			   " AND x.permission_set_group_id IS NULL") " + "    \
	SQL_COUNT_PRIV_ARM("permission_set_group",                            \
			   "sf_ps_assignment x WHERE x.snapshot_id = ?1"      \
			   " AND x.permission_set_group_id = t.via_id")

/* ---- readers ---- */
#define SQL_SNAPSHOT_COLS                                                      \
	"SELECT id, org_id, api_version, options, started_at, finished_at,"   \
	" status, content_hash, error, n_users, n_resources, n_access,"       \
	" api_requests FROM snapshot"
#define SQL_SNAPSHOT_ALL SQL_SNAPSHOT_COLS " ORDER BY id"
#define SQL_SNAPSHOT_ONE SQL_SNAPSHOT_COLS " WHERE id = ?1"
#define SQL_LATEST_COMPLETE                                                    \
	"SELECT id FROM snapshot WHERE status = 'complete' AND org_id ="      \
	" COALESCE(?1, (SELECT org_id FROM snapshot WHERE status ="           \
	" 'complete' ORDER BY id DESC LIMIT 1)) ORDER BY id DESC"             \
	" LIMIT 1 OFFSET ?2"

#define SFID(col) "(SELECT sfid FROM sfid WHERE id = " col ")"
#define JBOOL(col)                                                             \
	"json(CASE " col " WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)"
#define RAW(t, expr)                                                           \
	"(SELECT " expr " FROM " t " n WHERE n.snapshot_id = x.snapshot_id"   \
	" AND n.id = "

/* The display name of group g: a role's three groups (Role,
 * RoleAndSubordinates, RoleAndSubordinatesInternal) share the role's
 * DeveloperName and have no Name, so they are told apart by their kind
 * after the role's name: "CEO (Role and subordinates)" (issue 13). */
#define SQL_GROUP_NAME(g)                                                      \
	"COALESCE(" g ".name, (SELECT r.name FROM sf_user_role r WHERE"       \
	" r.snapshot_id = " g ".snapshot_id AND r.id = " g ".related_id), "  \
	g ".developer_name) || CASE " g ".type WHEN 'Role' THEN ' (Role)'"    \
	" WHEN 'RoleAndSubordinates' THEN ' (Role and subordinates)'"         \
	" WHEN 'RoleAndSubordinatesInternal' THEN"                            \
	" ' (Role and internal subordinates)' ELSE '' END"

/* The display name of a resource (lib/README.md "Reports"), for an access or
 * via column of access row x.  A queue's rows name a Group (queues are
 * `group` resources). */
#define SQL_NAME_OF(type, id)                                                  \
	"CASE CASE " type " WHEN 'queue' THEN 'group' ELSE " type " END"      \
	" WHEN 'profile' THEN " RAW("sf_profile", "n.name") id    \
	") WHEN 'role' THEN " RAW("sf_user_role", "n.name") id                \
	") WHEN 'group' THEN "                                                \
	RAW("sf_group", SQL_GROUP_NAME("n")) id                               \
	") WHEN 'permission_set' THEN " RAW("sf_permission_set", "n.label") id \
	") WHEN 'permission_set_group' THEN "                                 \
	RAW("sf_permission_set_group", "n.master_label") id                   \
	") WHEN 'connected_app' THEN " RAW("sf_connected_app", "n.name") id   \
	") WHEN 'oauth_token' THEN " RAW("sf_oauth_token", "n.app_name") id   \
	") WHEN 'user' THEN " RAW("sf_user", "n.name") id                     \
	") WHEN 'territory' THEN " RAW("sf_territory", "n.name") id           \
	") WHEN 'permission_set_license' THEN "                               \
	RAW("sf_ps_license", "n.master_label") id                             \
	") WHEN 'package_license' THEN "                                      \
	RAW("sf_package_license", "n.namespace_prefix") id                    \
	") WHEN 'custom_permission' THEN "                                    \
	RAW("sf_custom_permission", "n.master_label") id ") END"

/* SQL_NAME_OF for the via column alone, whose types are only those a
 * grant passes through: the diff's statement names both columns of a row
 * and would otherwise outgrow what a C string literal may portably hold. */
#define SQL_VIA_NAME_OF(type, id)                                              \
	"CASE CASE " type " WHEN 'queue' THEN 'group' ELSE " type " END"      \
	" WHEN 'profile' THEN " RAW("sf_profile", "n.name") id                \
	") WHEN 'role' THEN " RAW("sf_user_role", "n.name") id                \
	") WHEN 'group' THEN " RAW("sf_group", SQL_GROUP_NAME("n")) id        \
	") WHEN 'permission_set' THEN " RAW("sf_permission_set", "n.label") id \
	") WHEN 'permission_set_group' THEN "                                 \
	RAW("sf_permission_set_group", "n.master_label") id                   \
	") WHEN 'oauth_token' THEN " RAW("sf_oauth_token", "n.app_name") id   \
	") END"

/* The access review is read user by user (store_read.c): the users in
 * username order, then each user's access set, decoded and sorted in C
 * in the review order (access_type, access_name, via_type, via_name,
 * access_id, via_id).  A sort of a user's hundred rows instead of one of
 * the snapshot's millions.  The Salesforce id and name of each access and
 * via resource are asked once per resource (SQL_RESOURCE_NAME) instead of
 * twice per row.
 * ?1 snapshot, ?2 user Id or Username or NULL.
 * SQL_EACH_ACCESS_USERS also gives how many of the listed users share the
 * username (Salesforce usernames are unique, but the store does not
 * enforce it): such a group is read at once, so that its rows interleave
 * in the report order. */
#define SQL_ACCESS_USER_FILTER                                                 \
	" (?2 IS NULL OR us.sfid = ?2 OR u.username = ?2)"
#define SQL_EACH_ACCESS_USERS                                                  \
	"SELECT u.id, sn.started_at, sn.org_id, us.sfid, u.username, u.name,"  \
	" u.email, u.user_type, u.license_name, u.is_active,"                 \
	" (SELECT max(l.is_frozen) FROM sf_user_login l WHERE"                \
	" l.snapshot_id = u.snapshot_id AND l.user_id = u.id),"               \
	" u.last_login_at, u.manager_username,"                               \
	" count(*) OVER (PARTITION BY u.username)"                            \
	" FROM sf_user u JOIN snapshot sn ON sn.id = u.snapshot_id"           \
	" JOIN sfid us ON us.id = u.id WHERE u.snapshot_id = ?1 AND"          \
	SQL_ACCESS_USER_FILTER " ORDER BY u.username, u.id"
/* The Salesforce id (NULL when the key has none) and the name of resource
 * ?3 (an sfid key) of type ?2 (NULLs for a key of no resource). */
#define SQL_RESOURCE_NAME                                                      \
	"SELECT (SELECT sfid FROM sfid WHERE id = x.id), "                    \
	SQL_NAME_OF("x.type", "x.id")                                         \
	" FROM (SELECT ?1 AS snapshot_id, ?2 AS type, ?3 AS id) x"
/* ---- resources (lib/access/ACCESS-MODEL.md "Resources") as views over the raw
 * tables, one per type, versioned with the schema.  attrs keys are the
 * Salesforce field names, plus License / LicenseDefinitionKey (the
 * UserLicense), ManagerUsername, IsFrozen (UserLogin) and, for a
 * permission set group, Components (its component permission set ids,
 * sorted; muting ones included). ---- */
#define PRIV(a)                                                                \
	"'PermissionsModifyAllData', " JBOOL(a ".modify_all_data")            \
	", 'PermissionsViewAllData', " JBOOL(a ".view_all_data")              \
	", 'PermissionsManageUsers', " JBOOL(a ".manage_users")               \
	", 'PermissionsAuthorApex', " JBOOL(a ".author_apex")                 \
	", 'PermissionsCustomizeApplication', " JBOOL(a ".customize_application")
#define SQL_V1_VIEW_USER                                                       \
	"CREATE VIEW resource_user AS SELECT u.snapshot_id AS snapshot_id,"   \
	" 'user' AS type, s.sfid AS id, u.name AS name, json_object("         \
	"'Id', s.sfid, 'Username', u.username, 'Name', u.name,"               \
	" 'FirstName', u.first_name, 'LastName', u.last_name,"                \
	" 'Email', u.email, 'IsActive', " JBOOL("u.is_active") ","            \
	" 'UserType', u.user_type, 'ProfileId', " SFID("u.profile_id") ","    \
	" 'UserRoleId', " SFID("u.user_role_id") ", 'ManagerId', "            \
	SFID("u.manager_id") ", 'ManagerUsername', u.manager_username,"       \
	" 'LastLoginDate', u.last_login_at, 'CreatedDate', u.created_at,"     \
	" 'FederationIdentifier', u.federation_id, 'License', u.license_name," \
	" 'LicenseDefinitionKey', u.license_key, 'IsFrozen', "                \
	JBOOL("coalesce((SELECT max(l.is_frozen) FROM sf_user_login l"        \
	      " WHERE l.snapshot_id = u.snapshot_id AND l.user_id = u.id), 0)") \
	") AS attrs FROM sf_user u JOIN sfid s ON s.id = u.id"
/* resource_profile; join is empty in version 1 and names the index of
 * profile-owned permission sets since version 5 (SQL_SCHEMA_V5). */
#define SQL_VIEW_PROFILE(join)                                                 \
	"CREATE VIEW resource_profile AS SELECT p.snapshot_id, 'profile',"    \
	" s.sfid, p.name, json_object('Id', s.sfid, 'Name', p.name,"          \
	" 'UserLicenseId', " SFID("p.user_license_id") ", 'License',"         \
	" (SELECT l.name FROM sf_user_license l WHERE"                        \
	" l.snapshot_id = p.snapshot_id AND l.id = p.user_license_id),"       \
	" 'UserType', p.user_type, " PRIV("o") ") FROM sf_profile p"          \
	" JOIN sfid s ON s.id = p.id LEFT JOIN sf_permission_set o" join      \
	" ON o.snapshot_id = p.snapshot_id AND o.profile_id = p.id AND"       \
	" o.is_owned_by_profile = 1"
#define SQL_V1_VIEW_PROFILE SQL_VIEW_PROFILE("")
#define SQL_V1_VIEW_ROLE                                                       \
	"CREATE VIEW resource_role AS SELECT r.snapshot_id, 'role', s.sfid,"  \
	" r.name, json_object('Id', s.sfid, 'Name', r.name, 'DeveloperName'," \
	" r.developer_name, 'ParentRoleId', " SFID("r.parent_role_id") ")"    \
	" FROM sf_user_role r JOIN sfid s ON s.id = r.id"
#define SQL_V1_VIEW_GROUP                                                      \
	"CREATE VIEW resource_group AS SELECT g.snapshot_id, 'group', s.sfid," \
	" COALESCE(g.name, g.developer_name), json_object('Id', s.sfid,"      \
	" 'Name', g.name, 'DeveloperName', g.developer_name, 'Type', g.type," \
	" 'RelatedId', " SFID("g.related_id") ") FROM sf_group g"             \
	" JOIN sfid s ON s.id = g.id"
#define SQL_V1_VIEW_PERMISSION_SET                                             \
	"CREATE VIEW resource_permission_set AS SELECT ps.snapshot_id,"       \
	" 'permission_set', s.sfid, ps.label, json_object('Id', s.sfid,"      \
	" 'Name', ps.name, 'Label', ps.label, 'Type', ps.type, 'LicenseId', " \
	SFID("ps.license_id") ", 'IsCustom', " JBOOL("ps.is_custom")          \
	", 'NamespacePrefix', ps.namespace_prefix, " PRIV("ps") ")"           \
	" FROM sf_permission_set ps JOIN sfid s ON s.id = ps.id"              \
	" WHERE COALESCE(ps.is_owned_by_profile, 0) = 0 AND"                  \
	" ps.permission_set_group_id IS NULL"
#define SQL_V1_VIEW_PSG                                                        \
	"CREATE VIEW resource_permission_set_group AS SELECT g.snapshot_id,"  \
	" 'permission_set_group', s.sfid, g.master_label, json_object("       \
	"'Id', s.sfid, 'DeveloperName', g.developer_name,"                    \
	" 'MasterLabel', g.master_label, 'Status', g.status, 'Components',"   \
	" json((SELECT json_group_array(c) FROM (SELECT cs.sfid AS c FROM"    \
	" sf_psg_component k JOIN sfid cs ON cs.id = k.permission_set_id"     \
	" WHERE k.snapshot_id = g.snapshot_id AND"                            \
	" k.permission_set_group_id = g.id ORDER BY c))))"                    \
	" FROM sf_permission_set_group g JOIN sfid s ON s.id = g.id"
#define SQL_V1_VIEW_APP                                                        \
	"CREATE VIEW resource_connected_app AS SELECT a.snapshot_id,"         \
	" 'connected_app', s.sfid, a.name, json_object('Id', s.sfid,"         \
	" 'Name', a.name, 'OptionsAllowAdminApprovedUsersOnly', "             \
	JBOOL("a.admin_approved_only") ") FROM sf_connected_app a"            \
	" JOIN sfid s ON s.id = a.id"
#define SQL_V1_VIEW_LICENSE                                                    \
	"CREATE VIEW resource_license AS SELECT l.snapshot_id, 'license',"    \
	" s.sfid, l.name, json_object('Id', s.sfid, 'Name', l.name,"          \
	" 'LicenseDefinitionKey', l.license_key, 'Status', l.status,"         \
	" 'TotalLicenses', l.total_licenses, 'UsedLicenses',"                 \
	" l.used_licenses) FROM sf_user_license l JOIN sfid s ON s.id = l.id"
#define SQL_V1_VIEW_RESOURCE                                                   \
	"CREATE VIEW resource AS SELECT * FROM resource_user UNION ALL"       \
	" SELECT * FROM resource_profile UNION ALL SELECT * FROM"             \
	" resource_role UNION ALL SELECT * FROM resource_group UNION ALL"     \
	" SELECT * FROM resource_permission_set UNION ALL SELECT * FROM"      \
	" resource_permission_set_group UNION ALL SELECT * FROM"              \
	" resource_connected_app UNION ALL SELECT * FROM resource_license"

/* Schema version 1, statement by statement. */
#define SQL_SCHEMA_V1                                                          \
	SQL_V1_SNAPSHOT, SQL_V1_RAW_USERS, SQL_V1_RAW_GROUPS,                 \
		SQL_V1_RAW_GRANTS, SQL_V1_ACCESS, SQL_V1_VIEW_USER,           \
		SQL_V1_VIEW_PROFILE, SQL_V1_VIEW_ROLE, SQL_V1_VIEW_GROUP,     \
		SQL_V1_VIEW_PERMISSION_SET, SQL_V1_VIEW_PSG, SQL_V1_VIEW_APP, \
		SQL_V1_VIEW_LICENSE, SQL_V1_VIEW_RESOURCE,                    \
		"PRAGMA user_version = 1"

/* Schema version 2: the apply journal (lib/apply/CHANGEFILE.md step 4).  One
 * row per change-file line, keyed by the file's SHA-256: the reviewed file is
 * the applied file, so its hash names the run.  Written by journal.c as
 * each operation finishes. */
#define SQL_SCHEMA_V2                                                          \
	"CREATE TABLE apply_journal (file_sha256 TEXT NOT NULL,"              \
	" line INTEGER NOT NULL, op TEXT NOT NULL,"                           \
	" resource_type TEXT NOT NULL, resource TEXT, user TEXT,"             \
	" outcome TEXT NOT NULL CHECK (outcome IN ('done', 'already',"        \
	" 'failed')), org_id TEXT, user_id TEXT, resource_id TEXT,"           \
	" record_id TEXT, error_code TEXT, error TEXT, comment TEXT,"         \
	" attempts INTEGER NOT NULL DEFAULT 1, finished_at TEXT NOT NULL,"    \
	" PRIMARY KEY (file_sha256, line)) WITHOUT ROWID",                    \
		"PRAGMA user_version = 2"

/* Schema version 3: per user of a snapshot, a digest of the user's access
 * rows.  Equal digests mean equal access rows, so the differ compares rows
 * only of users whose digest differs.  Since version 4 it is the digest
 * of the user's access set, written with the set (access_set.c), and the
 * migration to version 4 writes every snapshot's anew.  A user without a
 * digest is compared row by row. */
#define SQL_SCHEMA_V3                                                          \
	"CREATE TABLE user_digest (snapshot_id INTEGER NOT NULL REFERENCES"   \
	" snapshot(id) ON DELETE CASCADE, user_id INTEGER NOT NULL,"          \
	" digest BLOB NOT NULL, PRIMARY KEY (snapshot_id, user_id))"          \
	" WITHOUT ROWID",                                                     \
		"PRAGMA user_version = 3"

/* Schema version 4: a user's effective access rows as one value
 * (access_pack.h), instead of a table row per access row.  n_access is
 * the number of rows in data.  A snapshot's access rows are moved over
 * by store.c's migration (access_set.c) before the old table goes. */
#define SQL_SCHEMA_V4                                                          \
	"CREATE TABLE access_set (snapshot_id INTEGER NOT NULL REFERENCES"    \
	" snapshot(id) ON DELETE CASCADE, user_id INTEGER NOT NULL,"          \
	" n_access INTEGER NOT NULL, data BLOB NOT NULL,"                     \
	" PRIMARY KEY (snapshot_id, user_id)) WITHOUT ROWID"
#define SQL_SCHEMA_V4_END "DROP TABLE access", "PRAGMA user_version = 4"

/* Schema version 5: resource_profile joins the profile's owned permission
 * set through the (snapshot_id, profile_id) index.  With the extra
 * is_owned_by_profile term SQLite 3.40's planner took the primary key on
 * snapshot_id alone, scanning every permission set of the snapshot per
 * profile: 2.2 s for 2,857 profiles and 16,357 permission sets, in every
 * content hash and report.  Same rows, same JSON. */
#define SQL_V5_VIEW_PROFILE                                                    \
	SQL_VIEW_PROFILE(" INDEXED BY sf_permission_set_profile")
#define SQL_SCHEMA_V5                                                          \
	"DROP VIEW resource_profile", SQL_V5_VIEW_PROFILE,                    \
		"PRAGMA user_version = 5"

/* Schema version 6: the records nothing refers to (logins, memberships,
 * assignments, PSG components, setup entity access) keep their Salesforce
 * id as text in their own row, instead of an sfid key.  Interning an id
 * costs two B-tree inserts (the sfid table and its index) and stores the
 * id twice over; for ids that are never looked up again that was a
 * fifth of the fetch's CPU and no gain in size.  Each table is copied out
 * with its ids as text and created anew; their sfid rows are left for
 * `sfaccess gc`.
 *
 * The two indexes of sf_user by role and by profile go too: since the
 * rules run in C (access_rules.c) no statement looks users up by either,
 * and they cost every User insert (a tenth of the fetch's CPU at 50,000
 * users). */
#define SFA_RAW_TEXT_KEY                                                       \
	"snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE "     \
	"CASCADE, id TEXT NOT NULL, "
#define SQL_V6_USER_LOGIN                                                      \
	"CREATE TABLE sf_user_login (" SFA_RAW_TEXT_KEY                       \
	"user_id INTEGER, is_frozen INTEGER, is_password_locked INTEGER"      \
	SFA_RAW_END
#define SQL_V6_GROUP_MEMBER                                                    \
	"CREATE TABLE sf_group_member (" SFA_RAW_TEXT_KEY                     \
	"group_id INTEGER, member_id INTEGER, system_modstamp TEXT"           \
	SFA_RAW_END
#define SQL_V6_PSG_COMPONENT                                                   \
	"CREATE TABLE sf_psg_component (" SFA_RAW_TEXT_KEY                    \
	"permission_set_group_id INTEGER, permission_set_id INTEGER"          \
	SFA_RAW_END
#define SQL_V6_PS_ASSIGNMENT                                                   \
	"CREATE TABLE sf_ps_assignment (" SFA_RAW_TEXT_KEY                    \
	"assignee_id INTEGER, permission_set_id INTEGER,"                     \
	" permission_set_group_id INTEGER, expiration_date TEXT,"             \
	" system_modstamp TEXT, is_active INTEGER" SFA_RAW_END
#define SQL_V6_SETUP_ENTITY_ACCESS                                             \
	"CREATE TABLE sf_setup_entity_access (" SFA_RAW_TEXT_KEY              \
	"parent_id INTEGER, setup_entity_id INTEGER, setup_entity_type TEXT"  \
	SFA_RAW_END
/* Table t (columns after the id: cols; create: its new CREATE TABLE)
 * copied out, dropped, created anew and filled from the copy. */
#define SQL_V6_TABLE(t, cols, create)                                          \
	"CREATE TEMP TABLE v6_copy AS SELECT x.snapshot_id, s.sfid AS id, "   \
	cols " FROM " t " x JOIN sfid s ON s.id = x.id",                      \
	    "DROP TABLE " t, create,                                          \
	    "INSERT INTO " t " SELECT * FROM temp.v6_copy",                   \
	    "DROP TABLE temp.v6_copy"
#define SQL_SCHEMA_V6                                                          \
	SQL_V6_TABLE("sf_user_login",                                         \
		     "user_id, is_frozen, is_password_locked",                \
		     SQL_V6_USER_LOGIN),                                      \
	    "CREATE INDEX sf_user_login_user ON sf_user_login"                \
	    " (snapshot_id, user_id, is_frozen)",                             \
	    SQL_V6_TABLE("sf_group_member",                                   \
			 "group_id, member_id, system_modstamp",              \
			 SQL_V6_GROUP_MEMBER),                                \
	    SQL_V6_TABLE("sf_psg_component",                                  \
			 "permission_set_group_id, permission_set_id",        \
			 SQL_V6_PSG_COMPONENT),                               \
	    "CREATE INDEX sf_psg_component_psg ON sf_psg_component"           \
	    " (snapshot_id, permission_set_group_id, permission_set_id)",     \
	    SQL_V6_TABLE("sf_ps_assignment",                                  \
			 "assignee_id, permission_set_id,"                    \
			 " permission_set_group_id, expiration_date,"         \
			 " system_modstamp, is_active",                       \
			 SQL_V6_PS_ASSIGNMENT),                               \
	    SQL_V6_TABLE("sf_setup_entity_access",                            \
			 "parent_id, setup_entity_id, setup_entity_type",     \
			 SQL_V6_SETUP_ENTITY_ACCESS),                         \
	    "CREATE INDEX sf_setup_entity_access_parent ON"                   \
	    " sf_setup_entity_access (snapshot_id, parent_id,"                \
	    " setup_entity_type, setup_entity_id)",                           \
	    "DROP INDEX sf_user_role_id", "DROP INDEX sf_user_profile",       \
	    "PRAGMA user_version = 6"

/* Schema version 7: apply runs (journal.c).  A run of a change file on an
 * org lasts until it has visited every operation, resumptions included;
 * only the journal rows of a run that has not finished settle lines, so a
 * completed run never stops a later one from comparing with the org
 * (lib/apply/CHANGEFILE.md, The journal).  Rows written before v7 have no run
 * and settle nothing. */
#define SQL_SCHEMA_APPLY_RUNS                                                  \
	"CREATE TABLE apply_run (id INTEGER PRIMARY KEY,"                     \
	" file_sha256 TEXT NOT NULL, org_id TEXT NOT NULL,"                   \
	" started_at TEXT NOT NULL, finished_at TEXT)",                       \
	    "CREATE INDEX apply_run_file ON apply_run (file_sha256, org_id,"  \
	    " id)",                                                           \
	    "ALTER TABLE apply_journal ADD COLUMN run_id INTEGER"             \
	    " REFERENCES apply_run (id)",                                     \
	    "PRAGMA user_version = 7"

/* Schema version 9: the entitlements of issue 17 (lib/access/ACCESS-MODEL.md,
 * E1-E5): territories of the
 * active model and who is in them (with the role in the territory),
 * permission set licences and package licences with their seat counts and
 * assignments, and custom permissions.  Custom permission grants are
 * SetupEntityAccess rows, kept in sf_setup_entity_access with the
 * connected-app grants.  The resource view is made anew with the four new
 * resource types. */
#define SQL_V7_VIEW_TERRITORY                                                  \
	"CREATE VIEW resource_territory AS SELECT t.snapshot_id, 'territory',"\
	" s.sfid, t.name, json_object('Id', s.sfid, 'Name', t.name,"          \
	" 'DeveloperName', t.developer_name, 'Territory2ModelId', "           \
	SFID("t.model_id") ", 'ParentTerritory2Id', " SFID("t.parent_id")    \
	") FROM sf_territory t JOIN sfid s ON s.id = t.id"
#define SQL_V7_VIEW_PS_LICENSE                                                 \
	"CREATE VIEW resource_permission_set_license AS SELECT l.snapshot_id,"\
	" 'permission_set_license', s.sfid, l.master_label, json_object("     \
	"'Id', s.sfid, 'DeveloperName', l.developer_name, 'MasterLabel',"     \
	" l.master_label, 'TotalLicenses', l.total_licenses, 'UsedLicenses',"\
	" l.used_licenses) FROM sf_ps_license l JOIN sfid s ON s.id = l.id"
#define SQL_V7_VIEW_PACKAGE_LICENSE                                            \
	"CREATE VIEW resource_package_license AS SELECT l.snapshot_id,"       \
	" 'package_license', s.sfid, l.namespace_prefix, json_object("        \
	"'Id', s.sfid, 'NamespacePrefix', l.namespace_prefix,"                \
	" 'AllowedLicenses', l.allowed_licenses, 'UsedLicenses',"             \
	" l.used_licenses) FROM sf_package_license l JOIN sfid s"             \
	" ON s.id = l.id"
#define SQL_V7_VIEW_CUSTOM_PERMISSION                                          \
	"CREATE VIEW resource_custom_permission AS SELECT c.snapshot_id,"     \
	" 'custom_permission', s.sfid, c.master_label, json_object('Id',"     \
	" s.sfid, 'DeveloperName', c.developer_name, 'MasterLabel',"          \
	" c.master_label, 'NamespacePrefix', c.namespace_prefix)"             \
	" FROM sf_custom_permission c JOIN sfid s ON s.id = c.id"
#define SQL_SCHEMA_ENTITLEMENTS                                                \
	"CREATE TABLE sf_territory (" SFA_RAW_KEY                             \
	"name TEXT, developer_name TEXT, model_id INTEGER, parent_id INTEGER" \
	SFA_RAW_END,                                                          \
	"CREATE TABLE sf_user_territory (" SFA_RAW_TEXT_KEY                   \
	"user_id INTEGER, territory_id INTEGER, role_in_territory TEXT"       \
	SFA_RAW_END,                                                          \
	"CREATE TABLE sf_ps_license (" SFA_RAW_KEY                            \
	"developer_name TEXT, master_label TEXT, total_licenses INTEGER,"     \
	" used_licenses INTEGER" SFA_RAW_END,                                 \
	"CREATE TABLE sf_ps_license_assign (" SFA_RAW_TEXT_KEY                \
	"assignee_id INTEGER, license_id INTEGER" SFA_RAW_END,                \
	"CREATE TABLE sf_package_license (" SFA_RAW_KEY                       \
	"namespace_prefix TEXT, allowed_licenses INTEGER,"                    \
	" used_licenses INTEGER" SFA_RAW_END,                                 \
	"CREATE TABLE sf_user_package_license (" SFA_RAW_TEXT_KEY             \
	"user_id INTEGER, package_license_id INTEGER" SFA_RAW_END,            \
	"CREATE TABLE sf_custom_permission (" SFA_RAW_KEY                     \
	"developer_name TEXT, master_label TEXT, namespace_prefix TEXT"       \
	SFA_RAW_END,                                                          \
	SQL_V7_VIEW_TERRITORY, SQL_V7_VIEW_PS_LICENSE,                        \
	SQL_V7_VIEW_PACKAGE_LICENSE, SQL_V7_VIEW_CUSTOM_PERMISSION,           \
	"DROP VIEW resource",                                                 \
	"CREATE VIEW resource AS SELECT * FROM resource_user UNION ALL"       \
	" SELECT * FROM resource_profile UNION ALL SELECT * FROM"             \
	" resource_role UNION ALL SELECT * FROM resource_group UNION ALL"     \
	" SELECT * FROM resource_permission_set UNION ALL SELECT * FROM"      \
	" resource_permission_set_group UNION ALL SELECT * FROM"              \
	" resource_connected_app UNION ALL SELECT * FROM resource_license"    \
	" UNION ALL SELECT * FROM resource_territory UNION ALL SELECT * FROM" \
	" resource_permission_set_license UNION ALL SELECT * FROM"            \
	" resource_package_license UNION ALL SELECT * FROM"                   \
	" resource_custom_permission",                                        \
	"PRAGMA user_version = 9"


/* Schema version 10: review campaigns (REVIEW.md).  A campaign keeps the
 * rows it issued with every cell a reviewer saw, so that collect compares
 * a returned cell with what was sent and close reports without the
 * snapshot; the HMAC secret signs each row's token.  A decision row is
 * never updated but superseded: a reviewer's later file marks the earlier
 * ones, and the history stays.  campaign.snapshot_id is not a foreign key
 * so that `sfaccess gc` can still drop old snapshots. */
#define SQL_SCHEMA_REVIEW                                                      \
	"CREATE TABLE campaign (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"  \
	" snapshot_id INTEGER NOT NULL, snapshot_hash TEXT NOT NULL,"         \
	" org_id TEXT NOT NULL, created_at TEXT NOT NULL,"                    \
	" routing TEXT NOT NULL CHECK (routing IN ('manager', 'owner')),"     \
	" scope TEXT NOT NULL, due TEXT, secret BLOB NOT NULL,"               \
	" state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open',"        \
	" 'closed')), closed_at TEXT)",                                       \
	    "CREATE TABLE campaign_row (campaign_id INTEGER NOT NULL"         \
	    " REFERENCES campaign(id) ON DELETE CASCADE, seq INTEGER NOT NULL," \
	    " reviewer TEXT NOT NULL, token TEXT NOT NULL, username TEXT,"    \
	    " user_id TEXT, name TEXT, status TEXT, last_login_at TEXT,"      \
	    " access_type TEXT, access_id TEXT, access_name TEXT,"            \
	    " via_type TEXT, via_id TEXT, via_name TEXT, tier TEXT,"          \
	    " expires_at TEXT, PRIMARY KEY (campaign_id, seq)) WITHOUT ROWID", \
	    "CREATE INDEX campaign_row_reviewer ON campaign_row"              \
	    " (campaign_id, reviewer, seq)",                                  \
	    "CREATE INDEX campaign_row_token ON campaign_row"                 \
	    " (campaign_id, token)",                                          \
	    "CREATE TABLE campaign_file (campaign_id INTEGER NOT NULL"        \
	    " REFERENCES campaign(id) ON DELETE CASCADE, sha256 TEXT NOT NULL," \
	    " file_name TEXT NOT NULL, reviewer TEXT NOT NULL,"               \
	    " collected_at TEXT NOT NULL, decided INTEGER NOT NULL,"          \
	    " PRIMARY KEY (campaign_id, sha256))",                            \
	    "CREATE TABLE campaign_decision (campaign_id INTEGER NOT NULL"    \
	    " REFERENCES campaign(id) ON DELETE CASCADE, seq INTEGER NOT NULL," \
	    " reviewer TEXT NOT NULL, decision TEXT NOT NULL CHECK (decision"  \
	    " IN ('keep', 'revoke')), comment TEXT, file_sha256 TEXT NOT NULL," \
	    " collected_at TEXT NOT NULL, superseded INTEGER NOT NULL"        \
	    " DEFAULT 0)",                                                    \
	    "CREATE INDEX campaign_decision_row ON campaign_decision"         \
	    " (campaign_id, seq, superseded)",                                \
	    "CREATE INDEX campaign_decision_reviewer ON campaign_decision"    \
	    " (campaign_id, reviewer, superseded)",                           \
	    "CREATE TABLE campaign_refusal (campaign_id INTEGER NOT NULL"     \
	    " REFERENCES campaign(id) ON DELETE CASCADE, kind TEXT NOT NULL"  \
	    " CHECK (kind IN ('refused', 'self-review')), file_name TEXT"     \
	    " NOT NULL, file_sha256 TEXT NOT NULL, cell TEXT NOT NULL,"       \
	    " seq INTEGER, reason TEXT NOT NULL, collected_at TEXT NOT NULL)", \
	    "PRAGMA user_version = 10"

/* ---- schema v7: login history (POLICY.md "Login activity") ----
 * Per org, not per snapshot: rows are appended by every sync and never
 * deleted, neither by a snapshot's deletion nor by gc, so the store keeps
 * them past Salesforce's 6 months.  Status is kept as Salesforce wrote it
 * and filtered here, since Salesforce cannot filter on it.  Each user's
 * newest successful login is kept beside it by a trigger, so that the
 * dormant rules read one row per user instead of the whole history (3
 * million rows at 200,000 users and 30 days).  An OAuth
 * token's LastUsedDate tells the unused-connected-app rule which apps are
 * still used. */
#define SQL_LOGIN_LATEST_TABLE                                                 \
	"CREATE TABLE login_latest (org_id TEXT NOT NULL, user_id TEXT NOT"   \
	" NULL, login_time TEXT NOT NULL, PRIMARY KEY (org_id, user_id))"     \
	" WITHOUT ROWID"
#define SQL_LOGIN_LATEST_TRIGGER                                               \
	"CREATE TRIGGER login_latest_put AFTER INSERT ON login_history"       \
	" WHEN NEW.status = 'Success' BEGIN INSERT INTO login_latest VALUES"  \
	" (NEW.org_id, NEW.user_id, NEW.login_time) ON CONFLICT (org_id,"     \
	" user_id) DO UPDATE SET login_time = excluded.login_time WHERE"      \
	" excluded.login_time > login_latest.login_time; END"
#define SQL_SCHEMA_POLICY                                                      \
	"CREATE TABLE login_history (org_id TEXT NOT NULL, id TEXT NOT NULL," \
	" user_id TEXT NOT NULL, login_time TEXT NOT NULL, login_type TEXT,"  \
	" status TEXT, source_ip TEXT, application TEXT, browser TEXT,"       \
	" platform TEXT, auth_method_reference TEXT,"                         \
	" PRIMARY KEY (org_id, id)) WITHOUT ROWID",                           \
	"CREATE INDEX login_history_user ON login_history"                    \
	" (org_id, user_id, login_time)",                                     \
	"CREATE INDEX login_history_time ON login_history (org_id, login_time)", \
	SQL_LOGIN_LATEST_TABLE, SQL_LOGIN_LATEST_TRIGGER,                     \
	"ALTER TABLE sf_oauth_token ADD COLUMN last_used_at TEXT",            \
	"PRAGMA user_version = 11"

/* Schema version 13: effective permissions (lib/access/PERMISSIONS.md), stored
 * per container (permission set, profile-owned or group aggregate permission
 * set, muting permission set), never per user.
 * - perm_name: the snapshot's system permissions, numbered in the order
 *   of the describe calls, by name without the Permissions prefix and
 *   with the Setup label.
 * - perm_system: (container, permission) for each Permissions* field
 *   that is true; false ones are not stored (most are).
 * - perm_object / perm_field: ObjectPermissions and FieldPermissions, one
 *   row per container and object or field; the booleans as 0/1, NULL for
 *   PermissionsViewAllFields when the org's describe lacks it.
 * - perm_review: the privileged rows of the access review, per user
 *   (lib/access/PERMISSIONS.md, "Privileged permissions and the access
 *   review"): the one thing multiplied out per user, so that the content
 *   hash and the differ see them like any access row.  via_id is the Salesforce
 *   id of the profile, permission set or group.
 * The indexes serve the permission engine (perm.c), which computes
 * effective permissions when asked from these facts: `who-can` finds the
 * containers that hold a permission (by permission, object or field,
 * names compared without case as users type them) and walks from them to
 * their holders (users by profile, assignments by permission set and by
 * group); `permissions USER` finds the user by username. */
#define SFA_PERM_KEY                                                           \
	"snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE "     \
	"CASCADE, "
#define SQL_SCHEMA_PERMISSIONS                                                 \
	"CREATE TABLE perm_name (" SFA_PERM_KEY "perm INTEGER NOT NULL,"      \
	" name TEXT NOT NULL, label TEXT,"                                    \
	" PRIMARY KEY (snapshot_id, perm)) WITHOUT ROWID",                    \
	"CREATE TABLE perm_system (" SFA_PERM_KEY                             \
	"parent_id INTEGER NOT NULL, perm INTEGER NOT NULL,"                  \
	" PRIMARY KEY (snapshot_id, parent_id, perm)) WITHOUT ROWID",         \
	"CREATE TABLE perm_object (" SFA_PERM_KEY                             \
	"parent_id INTEGER NOT NULL, sobject_type TEXT NOT NULL,"             \
	" p_read INTEGER, p_create INTEGER, p_edit INTEGER,"                  \
	" p_delete INTEGER, p_view_all INTEGER, p_modify_all INTEGER,"        \
	" p_view_all_fields INTEGER,"                                         \
	" PRIMARY KEY (snapshot_id, parent_id, sobject_type)) WITHOUT ROWID", \
	"CREATE TABLE perm_field (" SFA_PERM_KEY                              \
	"parent_id INTEGER NOT NULL, field TEXT NOT NULL, p_read INTEGER,"    \
	" p_edit INTEGER,"                                                    \
	" PRIMARY KEY (snapshot_id, parent_id, field)) WITHOUT ROWID",        \
	"CREATE TABLE perm_review (" SFA_PERM_KEY                             \
	"user_id INTEGER NOT NULL, access_type TEXT NOT NULL,"                \
	" access_id TEXT NOT NULL, access_name TEXT, via_type TEXT NOT NULL," \
	" via_id TEXT NOT NULL, granted_by TEXT, implied_by TEXT,"            \
	" tier INTEGER NOT NULL, PRIMARY KEY (snapshot_id, user_id,"          \
	" access_type, access_id, via_type, via_id)) WITHOUT ROWID",          \
	"CREATE INDEX perm_system_perm ON perm_system"                        \
	" (snapshot_id, perm, parent_id)",                                    \
	"CREATE INDEX perm_object_type ON perm_object"                        \
	" (snapshot_id, sobject_type COLLATE NOCASE)",                        \
	"CREATE INDEX perm_field_field ON perm_field"                         \
	" (snapshot_id, field COLLATE NOCASE)",                               \
	"CREATE INDEX sf_ps_assignment_ps ON sf_ps_assignment"                \
	" (snapshot_id, permission_set_id, permission_set_group_id,"          \
	" assignee_id)",                                                      \
	"CREATE INDEX sf_ps_assignment_psg ON sf_ps_assignment"               \
	" (snapshot_id, permission_set_group_id, assignee_id)",               \
	"CREATE INDEX sf_user_by_profile ON sf_user (snapshot_id, profile_id)", \
	"CREATE INDEX sf_user_by_username ON sf_user (snapshot_id, username)", \
	"PRAGMA user_version = 13"

/* ---- schema v14: review campaign tokens (lib/review/REVIEW.md "Collect") ----
 * An index on campaign_row's tokens put each row `review start` issues
 * in a random place of a B-tree as large as the campaign: 13 of 19 CPU
 * seconds of storing 1.3 million rows.  The tokens go into a table of
 * their own once the campaign's rows are in, sorted (SQL_CAMPAIGN_TOKENS_ADD),
 * so that its B-tree is only appended to.  collect finds a row by token
 * there, then by seq. */
#define SQL_SCHEMA_CAMPAIGN_TOKENS                                             \
	"CREATE TABLE campaign_token (campaign_id INTEGER NOT NULL"           \
	" REFERENCES campaign(id) ON DELETE CASCADE, token TEXT NOT NULL,"    \
	" seq INTEGER NOT NULL, PRIMARY KEY (campaign_id, token))"            \
	" WITHOUT ROWID",                                                     \
	    "INSERT INTO campaign_token SELECT campaign_id, token, seq FROM"  \
	    " campaign_row ORDER BY campaign_id, token",                      \
	    "DROP INDEX campaign_row_token", "PRAGMA user_version = 14"

/* Schema version 15: the access review's privileged rows stored per
 * source, not per user.  Every user who reaches a source (a profile, a
 * permission set held directly, a permission set group) gets the same
 * privileged rows from it, so perm_priv_source keeps them once per source
 * (via_id the source's key) and perm_review becomes a view joining them
 * to the source's holders: the users of the profile and the assignments
 * of the permission set or group, as the finish read them
 * (SQL_PERM_USERS_OF_*).  Version 13 stored the rows multiplied out, one
 * text row per user, permission and path: about 130 bytes each, 25 per
 * user in a generated org, which doubled a large store and its finish.
 * The view keeps perm_review's columns, so its readers (the review, the
 * content hash, the diff) are unchanged; the assignments' assignee index
 * serves its one-user lookups, and CROSS JOIN keeps the holders outermost
 * (without statistics SQLite would walk every source per user).  The
 * migration keeps version 13's rows one per source: they are the same
 * for every holder of a source.
 * The same step numbers field permissions: version 13 repeated the field's
 * name (about 25 bytes) in every perm_field row and in its index, 107
 * bytes a row, which made field permissions most of a large store.
 * perm_field_name numbers each snapshot's fields (store_perm.c, as the
 * sync meets them) and perm_field_row holds the booleans by number;
 * perm_field is a view with version 13's columns.  The indexes by field
 * and by object cover the booleans: `who-can` reads them for every
 * container without a lookup into the table. */
#define SQL_PERM_REVIEW_ARM(via, user, from, key, where)                      \
	"SELECT t.snapshot_id, " user ", t.access_type, t.access_id,"         \
	" t.access_name, t.via_type, s.sfid, t.granted_by, t.implied_by,"     \
	" t.tier FROM " from " CROSS JOIN perm_priv_source t"                 \
	" ON t.snapshot_id = x.snapshot_id AND t.via_id = " key               \
	" AND t.via_type = '" via "' CROSS JOIN sfid s ON s.id = t.via_id"    \
	where
#define SQL_SCHEMA_PERM_SOURCES                                                \
	"CREATE TABLE perm_priv_source (" SFA_PERM_KEY                        \
	"via_id INTEGER NOT NULL, via_type TEXT NOT NULL,"                    \
	" access_type TEXT NOT NULL, access_id TEXT NOT NULL,"                \
	" access_name TEXT, granted_by TEXT, implied_by TEXT,"                \
	" tier INTEGER NOT NULL, PRIMARY KEY (snapshot_id, via_id,"           \
	" access_type, access_id)) WITHOUT ROWID",                            \
	"INSERT OR IGNORE INTO perm_priv_source SELECT r.snapshot_id, s.id,"  \
	" r.via_type, r.access_type, r.access_id, r.access_name,"             \
	" r.granted_by, r.implied_by, r.tier FROM perm_review r JOIN sfid s"  \
	" ON s.sfid = r.via_id",                                              \
	"DROP TABLE perm_review",                                             \
	"CREATE TABLE perm_field_name (" SFA_PERM_KEY                         \
	"field_no INTEGER NOT NULL, field TEXT NOT NULL,"                     \
	" PRIMARY KEY (snapshot_id, field_no)) WITHOUT ROWID",                \
	"CREATE TABLE perm_field_row (" SFA_PERM_KEY                          \
	"parent_id INTEGER NOT NULL, field_no INTEGER NOT NULL,"              \
	" p_read INTEGER, p_edit INTEGER,"                                    \
	" PRIMARY KEY (snapshot_id, parent_id, field_no)) WITHOUT ROWID",     \
	"INSERT INTO perm_field_name SELECT snapshot_id, row_number() OVER"   \
	" (PARTITION BY snapshot_id ORDER BY field), field FROM (SELECT"      \
	" DISTINCT snapshot_id, field FROM perm_field)",                      \
	"INSERT INTO perm_field_row SELECT f.snapshot_id, f.parent_id,"       \
	" n.field_no, f.p_read, f.p_edit FROM perm_field f JOIN"              \
	" perm_field_name n ON n.snapshot_id = f.snapshot_id AND"             \
	" n.field = f.field",                                                 \
	"DROP TABLE perm_field",                                              \
	"CREATE INDEX perm_field_name_field ON perm_field_name"               \
	" (snapshot_id, field COLLATE NOCASE)",                               \
	"CREATE INDEX perm_field_row_field ON perm_field_row"                 \
	" (snapshot_id, field_no, parent_id, p_read, p_edit)",                \
	"DROP INDEX perm_object_type",                                        \
	"CREATE INDEX perm_object_type ON perm_object"                        \
	" (snapshot_id, sobject_type COLLATE NOCASE, parent_id, p_read,"      \
	" p_create, p_edit, p_delete, p_view_all, p_modify_all,"              \
	" p_view_all_fields)",                                                \
	"CREATE VIEW perm_field (snapshot_id, parent_id, field, p_read,"      \
	" p_edit) AS SELECT r.snapshot_id, r.parent_id, n.field, r.p_read,"   \
	" r.p_edit FROM perm_field_row r JOIN perm_field_name n"              \
	" ON n.snapshot_id = r.snapshot_id AND n.field_no = r.field_no",      \
	"CREATE INDEX sf_ps_assignment_assignee ON sf_ps_assignment"          \
	" (snapshot_id, assignee_id, permission_set_id,"                      \
	" permission_set_group_id)",                                          \
	"CREATE VIEW perm_review (snapshot_id, user_id, access_type,"         \
	" access_id, access_name, via_type, via_id, granted_by, implied_by,"  \
	" tier) AS "                                                          \
	SQL_PERM_REVIEW_ARM("profile", "x.id", "sf_user x", "x.profile_id",  \
			    "") " UNION ALL "                                 \
	SQL_PERM_REVIEW_ARM("permission_set", "x.assignee_id",                \
			    "sf_ps_assignment x", "x.permission_set_id",      \
			    " WHERE x.permission_set_group_id IS NULL")       \
	" UNION ALL "                                                         \
	SQL_PERM_REVIEW_ARM("permission_set_group", "x.assignee_id",          \
			    "sf_ps_assignment x",                             \
			    "x.permission_set_group_id", ""),                 \
	"PRAGMA user_version = 15"

/* The five privileged flags of sf_permission_set (lib/access/ACCESS-MODEL.md),
 * from the described permissions when the sync read them (fetch_perm.c): NULL
 * for a flag the org's describe lacks. */
#define SQL_PERM_FLAG(col, name)                                               \
	" " col " = (SELECT CASE WHEN n.perm IS NULL THEN NULL ELSE EXISTS"   \
	" (SELECT 1 FROM perm_system s WHERE s.snapshot_id = ?1 AND"          \
	" s.parent_id = sf_permission_set.id AND s.perm = n.perm) END FROM"   \
	" (SELECT (SELECT perm FROM perm_name WHERE snapshot_id = ?1 AND"     \
	" name = '" name "') AS perm) n)"
#define SQL_PERM_FLAGS                                                         \
	"UPDATE sf_permission_set SET"                                        \
	SQL_PERM_FLAG("modify_all_data", "ModifyAllData") ","                 \
	SQL_PERM_FLAG("view_all_data", "ViewAllData") ","                     \
	SQL_PERM_FLAG("manage_users", "ManageUsers") ","                      \
	SQL_PERM_FLAG("author_apex", "AuthorApex") ","                        \
	SQL_PERM_FLAG("customize_application", "CustomizeApplication")       \
	" WHERE snapshot_id = ?1 AND EXISTS (SELECT 1 FROM perm_name"         \
	" WHERE snapshot_id = ?1)"

/* perm_priv_source: ?1 snapshot, ?2 the source's key, then the columns
 * in order. */
#define SQL_PERM_SOURCE_PUT                                                    \
	"INSERT OR IGNORE INTO perm_priv_source VALUES (?1, ?2, ?3, ?4, ?5,"  \
	" ?6, ?7, ?8, ?9)"
/* perm_priv_source first: a snapshot without privileged sources is
 * answered without walking its users through the view. */
#define SQL_HAS_PRIVILEGED                                                     \
	"SELECT 1 FROM perm_review WHERE snapshot_id = ?1 AND EXISTS"         \
	" (SELECT 1 FROM perm_priv_source WHERE snapshot_id = ?1) LIMIT 1"
/* The privileged rows of user ?2 in the review order, with the via name. */
#define SQL_PERM_REVIEW_OF_USER                                                \
	"SELECT access_type, access_id, access_name, via_type, via_id,"       \
	" CASE via_type WHEN 'profile' THEN (SELECT n.name FROM sf_profile n" \
	" WHERE n.snapshot_id = x.snapshot_id AND n.id = (SELECT id FROM sfid" \
	" WHERE sfid = x.via_id)) WHEN 'permission_set' THEN (SELECT n.label" \
	" FROM sf_permission_set n WHERE n.snapshot_id = x.snapshot_id AND"   \
	" n.id = (SELECT id FROM sfid WHERE sfid = x.via_id)) ELSE (SELECT"   \
	" n.master_label FROM sf_permission_set_group n WHERE"                \
	" n.snapshot_id = x.snapshot_id AND n.id = (SELECT id FROM sfid"      \
	" WHERE sfid = x.via_id)) END AS via_name, granted_by, implied_by,"   \
	" tier FROM perm_review x WHERE x.snapshot_id = ?1 AND x.user_id = ?2" \
	" ORDER BY access_type, access_name, via_type, via_name, access_id,"  \
	" via_id"

/* ---- access sets (access_set.c) ---- */
/* ?1 snapshot, ?2 user key, ?3 row count, ?4 the encoding. */
#define SQL_ACCESS_SET_PUT                                                     \
	"INSERT INTO access_set (snapshot_id, user_id, n_access, data)"       \
	" VALUES (?1, ?2, ?3, ?4)"
/* ?1 the snapshot, ?2 the user, ?3 the digest of the user's set. */
#define SQL_ACCESS_DIGEST_PUT                                                  \
	"INSERT OR REPLACE INTO user_digest (snapshot_id, user_id, digest)"   \
	" VALUES (?1, ?2, ?3)"
#define SQL_SNAPSHOT_STARTED "SELECT started_at FROM snapshot WHERE id = ?1"
/* The encoding of user ?2's rows in snapshot ?1; no row for none. */
#define SQL_ACCESS_SET_OF_USER                                                 \
	"SELECT data FROM access_set WHERE snapshot_id = ?1 AND user_id = ?2"
/* The v3 access table, a user at a time in key order (the migration). */
#define SQL_V3_ACCESS_ROWS                                                     \
	"SELECT snapshot_id, user_id, access_type, access_id, via_type,"      \
	" via_id, assigned_at, expires_at, first_seen_at FROM access"         \
	" ORDER BY snapshot_id, user_id, access_type, access_id, via_type,"   \
	" via_id"

/* Licence seats (lib/access/ACCESS-MODEL.md): per licence, the org's
 * figures, the snapshot's assignments and those of inactive users. */
#define SQL_LICENSE_SEATS                                                      \
	"SELECT 'package_license', s.sfid, l.namespace_prefix,"               \
	" l.allowed_licenses, l.used_licenses,"                               \
	" (SELECT count(*) FROM sf_user_package_license a WHERE"              \
	" a.snapshot_id = ?1 AND a.package_license_id = l.id),"               \
	" (SELECT count(*) FROM sf_user_package_license a JOIN sf_user u ON"  \
	" u.snapshot_id = ?1 AND u.id = a.user_id WHERE a.snapshot_id = ?1"   \
	" AND a.package_license_id = l.id AND u.is_active = 0)"               \
	" FROM sf_package_license l JOIN sfid s ON s.id = l.id"               \
	" WHERE l.snapshot_id = ?1 UNION ALL"                                 \
	" SELECT 'permission_set_license', s.sfid, l.master_label,"           \
	" l.total_licenses, l.used_licenses,"                                 \
	" (SELECT count(*) FROM sf_ps_license_assign a WHERE"                 \
	" a.snapshot_id = ?1 AND a.license_id = l.id),"                       \
	" (SELECT count(*) FROM sf_ps_license_assign a JOIN sf_user u ON"     \
	" u.snapshot_id = ?1 AND u.id = a.assignee_id WHERE"                  \
	" a.snapshot_id = ?1 AND a.license_id = l.id AND u.is_active = 0)"    \
	" FROM sf_ps_license l JOIN sfid s ON s.id = l.id"                    \
	" WHERE l.snapshot_id = ?1 ORDER BY 1, 3, 2"

/* The territory associations with their role in the territory. */
#define SQL_TERRITORY_MEMBERS                                                  \
	"SELECT us.sfid, ts.sfid, t.role_in_territory FROM sf_user_territory" \
	" t JOIN sfid us ON us.id = t.user_id JOIN sfid ts"                   \
	" ON ts.id = t.territory_id WHERE t.snapshot_id = ?1"                 \
	" ORDER BY us.sfid, ts.sfid"

#define SQL_EACH_RESOURCE                                                      \
	"SELECT type, id, name, attrs FROM resource WHERE snapshot_id = ?1"   \
	" AND (?2 IS NULL OR type = ?2) ORDER BY type, name, id"

/* The two sections of the content hash, in hash order (store_hash.c).
 * Access rows are hashed user by user: the users in order of their
 * Salesforce id, then each user's rows, decoded from the user's access
 * set and sorted among themselves.  The users are sorted without their
 * sets (hundreds of megabytes in a large org, which the sort would carry
 * through its temporary files); each set is read by key in turn.  That is the order of the whole
 * section sorted by (user id, ...), since a user's id is unique, without
 * a sort of every row of the snapshot. */
#define SQL_HASH_RESOURCES                                                     \
	"SELECT type, id, name, attrs FROM resource WHERE snapshot_id = ?1"   \
	" ORDER BY type, id, name, attrs"
#define SQL_HASH_USERS                                                         \
	"SELECT x.user_id, s.sfid FROM access_set x JOIN sfid s"              \
	" ON s.id = x.user_id WHERE x.snapshot_id = ?1 ORDER BY s.sfid"
/* The privileged section (store_hash.c): the rows of every source in
 * source order, the assignments, and the users in order of their
 * Salesforce id with their profiles (the assignments of users the sync
 * left out are gone, so every holder of a privileged row is a user). */
#define SQL_HASH_PRIV_SOURCES                                                  \
	"SELECT t.via_id, t.via_type, t.access_type, t.access_id,"            \
	" t.via_type, s.sfid, t.granted_by, t.implied_by, t.tier"             \
	" FROM perm_priv_source t JOIN sfid s ON s.id = t.via_id"             \
	" WHERE t.snapshot_id = ?1 ORDER BY t.via_id"
#define SQL_HASH_PRIV_HOLDS                                                    \
	"SELECT assignee_id, permission_set_id, permission_set_group_id"      \
	" FROM sf_ps_assignment WHERE snapshot_id = ?1"
#define SQL_HASH_PRIVILEGED_USERS                                              \
	"SELECT x.id, s.sfid, COALESCE(x.profile_id, 0) FROM sf_user x"       \
	" JOIN sfid s ON s.id = x.id WHERE x.snapshot_id = ?1 ORDER BY s.sfid"
/* ?1 an integer key: its Salesforce id. */
#define SQL_HASH_SFID "SELECT sfid FROM sfid WHERE id = ?1"

/* ---- evidence (EVIDENCE.md): control totals, drift, reconciliation and
 * provenance of each snapshot; store_evidence.c ---- */
#define SFA_EVIDENCE_KEY                                                       \
	"snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE "     \
	"CASCADE, "
#define SQL_SCHEMA_EVIDENCE                                                    \
	"CREATE TABLE snapshot_control (" SFA_EVIDENCE_KEY                    \
	"seq INTEGER NOT NULL, object TEXT NOT NULL, soql TEXT NOT NULL,"     \
	" method TEXT NOT NULL, api_version TEXT NOT NULL,"                   \
	" org_count INTEGER, received INTEGER NOT NULL,"                      \
	" stored INTEGER NOT NULL, excluded TEXT NOT NULL,"                   \
	" started_at TEXT, finished_at TEXT, requests INTEGER NOT NULL,"      \
	" PRIMARY KEY (snapshot_id, seq)) WITHOUT ROWID;\n"                   \
	"CREATE TABLE snapshot_drift (" SFA_EVIDENCE_KEY                      \
	"object TEXT NOT NULL, at_scan INTEGER NOT NULL,"                     \
	" at_end INTEGER NOT NULL, PRIMARY KEY (snapshot_id, object))"        \
	" WITHOUT ROWID;\n"                                                   \
	"CREATE TABLE snapshot_reconciliation (" SFA_EVIDENCE_KEY             \
	"is_active INTEGER NOT NULL, user_type TEXT NOT NULL,"                \
	" org_count INTEGER NOT NULL, in_scope INTEGER NOT NULL,"             \
	" reason TEXT NOT NULL,"                                              \
	" PRIMARY KEY (snapshot_id, is_active, user_type)) WITHOUT ROWID;\n"  \
	"CREATE TABLE snapshot_provenance (snapshot_id INTEGER PRIMARY KEY"   \
	" REFERENCES snapshot(id) ON DELETE CASCADE,"                         \
	" provenance TEXT NOT NULL);\n"                                      \
	"CREATE TABLE audit_trail (id TEXT PRIMARY KEY,"                      \
	" org_id TEXT NOT NULL, created_at TEXT NOT NULL, action TEXT,"       \
	" section TEXT, display TEXT, created_by_id TEXT,"                    \
	" created_by_username TEXT, delegate_user TEXT, namespace TEXT,"      \
	" copied_by_snapshot INTEGER NOT NULL) WITHOUT ROWID;\n"              \
	"CREATE INDEX audit_trail_by_time ON audit_trail (org_id,"            \
	" created_at);\n"                                                     \
	"CREATE TRIGGER audit_trail_no_update BEFORE UPDATE ON audit_trail"   \
	" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;\n" \
	"CREATE TRIGGER audit_trail_no_delete BEFORE DELETE ON audit_trail"   \
	" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;\n"\
	"CREATE TABLE evidence_package (id INTEGER PRIMARY KEY,"              \
	" org_id TEXT NOT NULL, snapshot_id INTEGER NOT NULL,"                \
	" from_snapshot_id INTEGER, manifest_sha256 TEXT NOT NULL,"           \
	" created_at TEXT NOT NULL)",                                         \
	    "PRAGMA user_version = 12"
#define SQL_CONTROL_PUT                                                        \
	"INSERT OR REPLACE INTO snapshot_control VALUES"                      \
	" (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
#define SQL_DRIFT_PUT "INSERT OR REPLACE INTO snapshot_drift VALUES (?1, ?2, ?3, ?4)"
#define SQL_RECON_PUT                                                          \
	"INSERT OR REPLACE INTO snapshot_reconciliation VALUES"               \
	" (?1, ?2, ?3, ?4, ?5, ?6)"
#define SQL_PROVENANCE_PUT                                                     \
	"INSERT OR REPLACE INTO snapshot_provenance VALUES (?1, ?2)"
#define SQL_CONTROL_GET                                                        \
	"SELECT object, soql, method, api_version, org_count, received,"      \
	" stored, excluded, started_at, finished_at, requests"                \
	" FROM snapshot_control WHERE snapshot_id = ?1 ORDER BY seq"
#define SQL_DRIFT_GET                                                          \
	"SELECT object, at_scan, at_end FROM snapshot_drift"                  \
	" WHERE snapshot_id = ?1 ORDER BY object"
#define SQL_RECON_GET                                                          \
	"SELECT is_active, user_type, org_count, in_scope, reason"            \
	" FROM snapshot_reconciliation WHERE snapshot_id = ?1"                \
	" ORDER BY is_active DESC, user_type"
/* The audit trail (EVIDENCE.md): no snapshot owns it, so gc, which
 * deletes snapshots, never reaches it; triggers refuse any change. */
#define SQL_AUDIT_NEWEST                                                       \
	"SELECT max(created_at) FROM audit_trail WHERE org_id = ?1"
#define SQL_AUDIT_PUT                                                          \
	"INSERT OR IGNORE INTO audit_trail VALUES"                            \
	" (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
/* The quarterly packages made (report evidence), so that the next one
 * starts where the last one ended. */
#define SQL_PACKAGE_PUT                                                        \
	"INSERT INTO evidence_package (org_id, snapshot_id,"                  \
	" from_snapshot_id, manifest_sha256, created_at)"                     \
	" VALUES (?1, ?2, ?3, ?4, " SQL_NOW ")"
#define SQL_PACKAGE_LAST                                                       \
	"SELECT p.snapshot_id FROM evidence_package p JOIN snapshot s ON"     \
	" s.id = p.snapshot_id AND s.status = 'complete'"                     \
	" WHERE p.org_id = ?1 AND p.snapshot_id < ?2 ORDER BY p.id DESC"      \
	" LIMIT 1"
/* What explains a change between two capture times ?2 < t <= ?3 of org
 * ?1: the audit entries copied, and the apply journal's done operations. */
#define SQL_AUDIT_WINDOW                                                       \
	"SELECT id, created_at, action, display, created_by_id,"              \
	" created_by_username FROM audit_trail WHERE org_id = ?1"             \
	" AND created_at > ?2 AND created_at <= ?3 ORDER BY created_at, id"
#define SQL_APPLY_WINDOW                                                       \
	"SELECT DISTINCT file_sha256, user_id FROM apply_journal"             \
	" WHERE org_id = ?1 AND outcome IN ('done', 'already')"               \
	" AND finished_at > ?2 AND finished_at <= ?3 AND user_id IS NOT NULL" \
	" ORDER BY finished_at, file_sha256"
#define SQL_INTEGRITY_CHECK "PRAGMA integrity_check(20)"
#define SQL_PROVENANCE_GET                                                     \
	"SELECT provenance FROM snapshot_provenance WHERE snapshot_id = ?1"

/* clang-format on */

/* ---- schema v7 (ux, issue 13): group names that tell a role's groups
 * apart (SQL_GROUP_NAME), and the users a sync's options left out
 * (--sync-non-standard-licenses off, --no-sync-deactivated-users on), so
 * that asking for one answers "left out, by this option" instead of an
 * empty list, and the summary and the review count them.  reason is
 * "non_standard" or "deactivated". ---- */
#define SQL_SCHEMA_UX                                                          \
	"DROP VIEW resource_group",                                           \
	    "CREATE VIEW resource_group AS SELECT g.snapshot_id, 'group',"    \
	    " s.sfid, " SQL_GROUP_NAME("g") ", json_object('Id', s.sfid,"     \
	    " 'Name', g.name, 'DeveloperName', g.developer_name, 'Type',"     \
	    " g.type, 'RelatedId', " SFID("g.related_id") ") FROM sf_group g" \
	    " JOIN sfid s ON s.id = g.id",                                    \
	    "CREATE TABLE user_left_out (snapshot_id INTEGER NOT NULL REFERENCES" \
	" snapshot(id) ON DELETE CASCADE, sfid TEXT NOT NULL,"                \
	" username TEXT, user_type TEXT, reason TEXT NOT NULL,"               \
	" PRIMARY KEY (snapshot_id, sfid)) WITHOUT ROWID",                    \
	    "PRAGMA user_version = 8"
#define SQL_INS_LEFT_OUT                                                       \
	"INSERT OR REPLACE INTO user_left_out (snapshot_id, sfid, username,"  \
	" user_type, reason) VALUES (?1, ?2, ?3, ?4, ?5)"
#define SQL_LEFT_OUT_COUNTS                                                    \
	"SELECT reason, count(*) FROM user_left_out WHERE snapshot_id = ?1"   \
	" GROUP BY reason"
/* OAuth tokens of left-out users: synced (with connected apps) but no
 * access row can show them, since their users are not in the snapshot. */
#define SQL_LEFT_OUT_TOKENS                                                    \
	"SELECT count(*) FROM sf_oauth_token t JOIN sfid s ON s.id = t.user_id" \
	" JOIN user_left_out l ON l.snapshot_id = t.snapshot_id AND"          \
	" l.sfid = s.sfid WHERE t.snapshot_id = ?1"
/* A user as a person types one: the 18-character Id, its 15-character
 * (case-sensitive) form, or the Username in any case.  Exact matches
 * first.  ?1 snapshot, ?2 what was typed. */
#define SQL_USER_MATCH(id, username)                                           \
	" (" id " = ?2 OR (length(?2) = 15 AND substr(" id ", 1, 15) = ?2)"  \
	" OR lower(" username ") = lower(?2))"
#define SQL_FIND_USER                                                          \
	"SELECT us.sfid, u.username FROM sf_user u JOIN sfid us ON"           \
	" us.id = u.id WHERE u.snapshot_id = ?1 AND"                          \
	SQL_USER_MATCH("us.sfid", "u.username")                               \
	" ORDER BY (us.sfid = ?2 OR u.username = ?2) DESC, u.username LIMIT 1"
#define SQL_FIND_LEFT_OUT                                                      \
	"SELECT sfid, username, user_type, reason FROM user_left_out WHERE"   \
	" snapshot_id = ?1 AND" SQL_USER_MATCH("sfid", "username")            \
	" ORDER BY (sfid = ?2 OR username = ?2) DESC, username LIMIT 1"

#endif
