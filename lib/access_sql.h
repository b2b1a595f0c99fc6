/*
 * access_sql.h - the SQL that derives effective access (access-model.md
 * rules 1-9) from a snapshot's raw tables, one named statement per step.
 * ?1 is always the snapshot being finished; ids are sfid keys.
 */
#ifndef SFA_ACCESS_SQL_H
#define SFA_ACCESS_SQL_H

/* The SQL is laid out by hand, clause by clause; clang-format would split
 * it at arbitrary points.  Everything below is excluded from formatting. */
/* clang-format off */

/* ---- the synced set: PermissionSetAssignment, GroupMember, UserLogin and
 * OauthToken are fetched unfiltered; rows whose user the sync filters left
 * out are dropped so they neither grant access nor linger in the snapshot.
 * GroupMember rows whose member is a group (00G) stay. ---- */
#define SQL_USER_SYNCED(t, col)                                                \
	"EXISTS (SELECT 1 FROM sf_user u WHERE u.snapshot_id = ?1 AND u.id = " \
	t "." col ")"
#define SQL_DROP_UNSYNCED_PSA                                                  \
	"DELETE FROM sf_ps_assignment WHERE snapshot_id = ?1 AND NOT "        \
	SQL_USER_SYNCED("sf_ps_assignment", "assignee_id")
#define SQL_DROP_UNSYNCED_GM                                                   \
	"DELETE FROM sf_group_member WHERE snapshot_id = ?1 AND NOT "         \
	SQL_USER_SYNCED("sf_group_member", "member_id")                       \
	" AND (SELECT substr(s.sfid, 1, 3) FROM sfid s WHERE"                 \
	" s.id = sf_group_member.member_id) IS NOT '00G'"
#define SQL_DROP_UNSYNCED_LOGIN                                                \
	"DELETE FROM sf_user_login WHERE snapshot_id = ?1 AND NOT "           \
	SQL_USER_SYNCED("sf_user_login", "user_id")
#define SQL_DROP_UNSYNCED_TOKEN                                                \
	"DELETE FROM sf_oauth_token WHERE snapshot_id = ?1 AND NOT "          \
	SQL_USER_SYNCED("sf_oauth_token", "user_id")

/* ---- staging: every rule appends its rows to tmp_access, a plain rowid
 * table (an append costs no index upkeep).  Rules may repeat a row; the
 * final step sorts the stage into the access table's key order and keeps
 * the first copy of each row, so a row that two rules give keeps the
 * values (assigned_at) of the earlier rule, by rowid.  Inserting in key
 * order turns the access table's build into appends to its rightmost
 * leaf instead of random inserts into a B-tree larger than the cache.
 * tmp_nest and tmp_reach hold the group graph of rule 7 and tmp_seed the
 * members it starts from. ---- */
#define SQL_STAGE_TEMP                                                         \
	"CREATE TEMP TABLE IF NOT EXISTS tmp_access (user_id INTEGER,"        \
	" access_type TEXT, access_id INTEGER, via_type TEXT, via_id INTEGER," \
	" assigned_at TEXT, expires_at TEXT);"                                \
	"CREATE TEMP TABLE IF NOT EXISTS tmp_nest (child INTEGER, parent"     \
	" INTEGER, PRIMARY KEY (child, parent)) WITHOUT ROWID;"               \
	"CREATE TEMP TABLE IF NOT EXISTS tmp_reach (anc INTEGER, d INTEGER,"  \
	" PRIMARY KEY (anc, d)) WITHOUT ROWID;"                               \
	"CREATE TEMP TABLE IF NOT EXISTS tmp_seed (g INTEGER, u INTEGER,"     \
	" PRIMARY KEY (g, u)) WITHOUT ROWID;"                                 \
	"DELETE FROM tmp_access; DELETE FROM tmp_nest; DELETE FROM tmp_reach;" \
	" DELETE FROM tmp_seed"
#define SQL_STAGE_DROP                                                         \
	"DROP TABLE IF EXISTS temp.tmp_access; DROP TABLE IF EXISTS"          \
	" temp.tmp_nest; DROP TABLE IF EXISTS temp.tmp_reach;"                \
	" DROP TABLE IF EXISTS temp.tmp_seed"

#define SQL_ACCESS_INS                                                         \
	"INSERT INTO tmp_access (user_id, access_type, access_id, via_type,"  \
	" via_id, assigned_at, expires_at) "

/* Rule 1: (u, profile, P, direct). */
#define SQL_RULE1_PROFILE                                                      \
	SQL_ACCESS_INS "SELECT id, 'profile', profile_id, 'direct', 0,"       \
	" NULL, NULL FROM sf_user WHERE snapshot_id = ?1 AND"                 \
	" profile_id IS NOT NULL"

/* Rule 2: (u, role, R, direct). */
#define SQL_RULE2_ROLE                                                         \
	SQL_ACCESS_INS "SELECT id, 'role', user_role_id, 'direct', 0,"        \
	" NULL, NULL FROM sf_user WHERE snapshot_id = ?1 AND"                 \
	" user_role_id IS NOT NULL"

/* Rule 3: an assignment of a permission set that is neither profile-owned
 * nor the aggregate of a permission set group.  A permission set missing
 * from the snapshot is not known to be either, so it counts. */
#define SQL_RULE3_PERMISSION_SET                                               \
	SQL_ACCESS_INS "SELECT a.assignee_id, 'permission_set',"              \
	" a.permission_set_id, 'direct', 0, a.system_modstamp,"               \
	" a.expiration_date FROM sf_ps_assignment a LEFT JOIN"                \
	" sf_permission_set ps ON ps.snapshot_id = ?1 AND"                    \
	" ps.id = a.permission_set_id WHERE a.snapshot_id = ?1 AND"           \
	" a.permission_set_group_id IS NULL AND"                              \
	" a.permission_set_id IS NOT NULL AND"                                \
	" COALESCE(ps.is_owned_by_profile, 0) = 0 AND"                        \
	" ps.permission_set_group_id IS NULL"

/* Rule 4: the group itself, then its 0PS components via the group, both
 * dated and expiring with the group's assignment.  Muting (0QM)
 * components grant nothing. */
#define SQL_RULE4_PSG                                                          \
	SQL_ACCESS_INS "SELECT assignee_id, 'permission_set_group',"          \
	" permission_set_group_id, 'direct', 0, system_modstamp,"             \
	" expiration_date FROM sf_ps_assignment WHERE snapshot_id = ?1 AND"   \
	" permission_set_group_id IS NOT NULL"
#define SQL_RULE4_PSG_COMPONENTS                                               \
	SQL_ACCESS_INS "SELECT a.assignee_id, 'permission_set',"              \
	" c.permission_set_id, 'permission_set_group',"                       \
	" a.permission_set_group_id, a.system_modstamp, a.expiration_date"    \
	" FROM sf_ps_assignment a CROSS JOIN sf_psg_component c"              \
	" ON c.snapshot_id = ?1 AND"                                          \
	" c.permission_set_group_id = a.permission_set_group_id"              \
	" JOIN sfid s ON s.id = c.permission_set_id"                          \
	" WHERE a.snapshot_id = ?1 AND a.permission_set_group_id IS NOT NULL" \
	" AND substr(s.sfid, 1, 3) = '0PS'"

/* Rule 5: direct user members of any group, dated by the GroupMember. */
#define SQL_RULE5_GROUP_DIRECT                                                 \
	SQL_ACCESS_INS "SELECT m.member_id, 'group', m.group_id,"             \
	" 'direct', 0, m.system_modstamp, NULL FROM sf_group_member m"        \
	" WHERE m.snapshot_id = ?1 AND " SQL_USER_SYNCED("m", "member_id")

/* Rule 6: Role groups hold the users of role R; RoleAndSubordinates(
 * Internal) groups the users of R and every role below it, walking
 * ParentRoleId down (UNION stops on a malformed cycle). */
#define SQL_RULE6_ROLE_GROUP                                                   \
	SQL_ACCESS_INS "SELECT u.id, 'group', g.id, 'role',"                  \
	" u.user_role_id, NULL, NULL FROM sf_group g JOIN sf_user u"          \
	" ON u.snapshot_id = ?1 AND u.user_role_id = g.related_id"            \
	" WHERE g.snapshot_id = ?1 AND g.type = 'Role'"
#define SQL_RULE6_ROLE_SUBORDINATES                                            \
	"WITH RECURSIVE below(top, role) AS (SELECT related_id, related_id"   \
	" FROM sf_group WHERE snapshot_id = ?1 AND related_id IS NOT NULL"    \
	" AND type IN ('RoleAndSubordinates', 'RoleAndSubordinatesInternal')" \
	" UNION SELECT below.top, r.id FROM below JOIN sf_user_role r ON"     \
	" r.snapshot_id = ?1 AND r.parent_role_id = below.role) "             \
	SQL_ACCESS_INS "SELECT u.id, 'group', g.id, 'role',"                  \
	" u.user_role_id, NULL, NULL FROM sf_group g CROSS JOIN below ON"     \
	" below.top = g.related_id CROSS JOIN sf_user u ON u.snapshot_id = ?1 AND" \
	" u.user_role_id = below.role WHERE g.snapshot_id = ?1 AND"           \
	" (g.type = 'RoleAndSubordinates' OR (g.type ="                       \
	" 'RoleAndSubordinatesInternal' AND u.user_type = 'Standard'))"

/* Rule 8: the Organization group holds every active Standard user. */
#define SQL_RULE8_ORGANIZATION                                                 \
	SQL_ACCESS_INS "SELECT u.id, 'group', g.id, 'direct', 0, NULL,"       \
	" NULL FROM sf_group g CROSS JOIN sf_user u ON u.snapshot_id = ?1 AND" \
	" u.is_active = 1 AND u.user_type = 'Standard'"                       \
	" WHERE g.snapshot_id = ?1 AND g.type = 'Organization'"

/* Rule 7: nested groups, as a closure over the group graph (hundreds of
 * groups) rather than over memberships (millions).  tmp_nest holds the
 * group-in-group edges (parent G, child H); tmp_reach every pair (H, D)
 * where D is H or nested in H at any depth (UNION ends cycles); tmp_seed
 * the members by rules 5, 6 and 8 of the groups that are nested
 * somewhere.  The effective members of H are the seeds of every D
 * reached from H, so every edge G <- H gives each of them the row
 * (u, group, G, group, H).  A user reached through two D repeats a row;
 * the final sort drops the copy. */
#define SQL_RULE7_EDGES                                                        \
	"INSERT OR IGNORE INTO tmp_nest (child, parent) SELECT m.member_id,"  \
	" m.group_id FROM sf_group_member m JOIN sfid s ON s.id ="            \
	" m.member_id WHERE m.snapshot_id = ?1 AND substr(s.sfid, 1, 3) ="    \
	" '00G'"
#define SQL_RULE7_REACH                                                        \
	"WITH RECURSIVE r(anc, d) AS (SELECT child, child FROM tmp_nest"      \
	" UNION SELECT r.anc, n.child FROM r JOIN tmp_nest n ON"              \
	" n.parent = r.d) INSERT OR IGNORE INTO tmp_reach (anc, d)"           \
	" SELECT anc, d FROM r"
#define SQL_RULE7_SEED                                                         \
	"INSERT OR IGNORE INTO tmp_seed (g, u) SELECT access_id, user_id"     \
	" FROM tmp_access WHERE access_type = 'group' AND access_id IN"       \
	" (SELECT d FROM tmp_reach) ORDER BY 1, 2"
#define SQL_RULE7_NESTED                                                       \
	SQL_ACCESS_INS "SELECT s.u, 'group', n.parent, 'group', n.child,"     \
	" NULL, NULL FROM tmp_nest n JOIN tmp_reach r ON r.anc = n.child"     \
	" JOIN tmp_seed s ON s.g = r.d"

/* Rule 9: connected apps.  A SetupEntityAccess on a profile-owned
 * permission set reaches the profile's users; on a group's aggregate
 * permission set, the group's holders (rule 4 rows); on any other, the
 * holders of that permission set (rule 3 and 4 rows).  An OauthToken
 * reaches the apps whose Name equals its AppName byte for byte. */
#define SQL_SEA_APP "e.setup_entity_type = 'ConnectedApplication'"
#define SQL_RULE9_PROFILE                                                      \
	SQL_ACCESS_INS "SELECT u.id, 'connected_app', e.setup_entity_id,"     \
	" 'profile', u.profile_id, NULL, NULL FROM sf_setup_entity_access e"  \
	" JOIN sf_permission_set ps ON ps.snapshot_id = ?1 AND"               \
	" ps.id = e.parent_id AND ps.is_owned_by_profile = 1"                 \
	" JOIN sf_user u ON u.snapshot_id = ?1 AND u.profile_id ="            \
	" ps.profile_id WHERE e.snapshot_id = ?1 AND " SQL_SEA_APP
#define SQL_RULE9_PSG                                                          \
	SQL_ACCESS_INS "SELECT x.user_id, 'connected_app',"                   \
	" e.setup_entity_id, 'permission_set_group', x.access_id, NULL, NULL" \
	" FROM tmp_access x CROSS JOIN sf_permission_set ps ON"               \
	" ps.snapshot_id = ?1 AND ps.permission_set_group_id = x.access_id"   \
	" CROSS JOIN sf_setup_entity_access e ON e.snapshot_id = ?1 AND"      \
	" e.parent_id = ps.id AND " SQL_SEA_APP                               \
	" WHERE x.access_type = 'permission_set_group'"
#define SQL_RULE9_PERMISSION_SET                                               \
	SQL_ACCESS_INS "SELECT x.user_id, 'connected_app',"                   \
	" e.setup_entity_id, 'permission_set', x.access_id, NULL, NULL"       \
	" FROM tmp_access x CROSS JOIN sf_setup_entity_access e ON"           \
	" e.snapshot_id = ?1 AND e.parent_id = x.access_id AND " SQL_SEA_APP  \
	" WHERE x.access_type = 'permission_set'"
#define SQL_RULE9_OAUTH                                                        \
	SQL_ACCESS_INS "SELECT t.user_id, 'connected_app', c.id,"             \
	" 'oauth_token', t.id, NULL, NULL FROM sf_oauth_token t"              \
	" CROSS JOIN sf_connected_app c ON c.snapshot_id = ?1 AND"            \
	" c.name = t.app_name COLLATE BINARY WHERE t.snapshot_id = ?1"

/* The final step: the stage, sorted into the access table's key order
 * (ties by rowid: the earlier rule's copy first, and OR IGNORE keeps it).
 * first_seen_at is carried over from the latest earlier complete snapshot
 * of the same org (?2) when it holds the same row, else it is this
 * snapshot's start.  Without an earlier snapshot the statement must not
 * read the access table at all: an INSERT that reads its own table copies
 * the whole result into a temporary table first. */
#define SQL_PREV_COMPLETE                                                      \
	"SELECT max(id) FROM snapshot WHERE status = 'complete' AND"          \
	" id < ?1 AND org_id = (SELECT org_id FROM snapshot WHERE id = ?1)"
#define SQL_STAGE_INS                                                          \
	"INSERT OR IGNORE INTO access (snapshot_id, user_id, access_type,"    \
	" access_id, via_type, via_id, assigned_at, expires_at,"              \
	" first_seen_at) SELECT ?1, t.user_id, t.access_type, t.access_id,"   \
	" t.via_type, t.via_id, t.assigned_at, t.expires_at, "
#define SQL_STAGE_ORDER                                                        \
	" ORDER BY t.user_id, t.access_type, t.access_id, t.via_type,"        \
	" t.via_id, t.rowid"
#define SQL_ACCESS_FROM_STAGE                                                  \
	SQL_STAGE_INS "(SELECT started_at FROM snapshot WHERE id = ?1)"       \
	" FROM tmp_access t" SQL_STAGE_ORDER
#define SQL_ACCESS_FROM_STAGE_CARRIED                                          \
	SQL_STAGE_INS "COALESCE(p.first_seen_at, (SELECT started_at FROM"     \
	" snapshot WHERE id = ?1)) FROM tmp_access t LEFT JOIN access p ON"   \
	" p.snapshot_id = ?2 AND p.user_id = t.user_id"                       \
	" AND p.access_type = t.access_type AND p.access_id = t.access_id"    \
	" AND p.via_type = t.via_type AND p.via_id = t.via_id" SQL_STAGE_ORDER

/* clang-format on */

#endif
