/*
 * campaign_sql.h - the statements of review campaigns (store_campaign.c).
 * Tables: store_sql.h SQL_SCHEMA_REVIEW.  ?1 is always the campaign,
 * except where a statement says otherwise.
 */
#ifndef SFA_CAMPAIGN_SQL_H
#define SFA_CAMPAIGN_SQL_H

/* Users of snapshot ?1 for routing: Id, Username, IsActive, ManagerId. */
#define SQL_CAMPAIGN_USERS                                                     \
	"SELECT us.sfid, u.username, u.is_active, ms.sfid FROM sf_user u"     \
	" JOIN sfid us ON us.id = u.id LEFT JOIN sfid ms ON ms.id ="          \
	" u.manager_id WHERE u.snapshot_id = ?1"

/* ?1 snapshot, ?2 name, ?3 snapshot hash, ?4 org, ?5 created_at,
 * ?6 routing, ?7 scope, ?8 due, ?9 secret. */
#define SQL_CAMPAIGN_INSERT                                                    \
	"INSERT INTO campaign (snapshot_id, name, snapshot_hash, org_id,"     \
	" created_at, routing, scope, due, secret) VALUES (?1, ?2, ?3, ?4,"   \
	" ?5, ?6, ?7, ?8, ?9)"
/* ?2 seq, ?3 reviewer, ?4 token, ?5.. the 13 issued cells. */
#define SQL_CAMPAIGN_ROW_INSERT                                                \
	"INSERT INTO campaign_row (campaign_id, seq, reviewer, token,"        \
	" username, user_id, name, status, last_login_at, access_type,"       \
	" access_id, access_name, via_type, via_id, via_name, tier,"          \
	" expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"  \
	" ?12, ?13, ?14, ?15, ?16, ?17)"

#define SQL_CAMPAIGN_ONE                                                       \
	"SELECT id, snapshot_id, name, snapshot_hash, org_id, created_at,"    \
	" routing, scope, due, state, closed_at FROM campaign WHERE id = ?1"
#define SQL_CAMPAIGN_SECRET                                                    \
	"SELECT secret, snapshot_id, state = 'open' FROM campaign WHERE id = ?1"
/* ?2 closed_at. */
#define SQL_CAMPAIGN_CLOSE                                                     \
	"UPDATE campaign SET state = 'closed', closed_at = ?2 WHERE id = ?1"  \
	" AND state = 'open'"

/* The issued cells and the current decision; SQL_CAMPAIGN_ROWS_OF adds
 * ?2 reviewer (through campaign_row_reviewer), SQL_CAMPAIGN_ROW_TOKEN
 * ?2 token (through campaign_token). */
/* ...  Without INDEXED BY, SQLite 3.40 walks the primary key for the
 * ORDER BY seq and filters every row of the campaign: a 200,000-user
 * campaign's 15,000 workbooks each scanned its million rows. */
#define SQL_CAMPAIGN_ROW_COLS(indexed)                                         \
	"SELECT r.seq, r.reviewer, r.username, r.user_id, r.name, r.status,"  \
	" r.last_login_at, r.access_type, r.access_id, r.access_name,"        \
	" r.via_type, r.via_id, r.via_name, r.tier, r.expires_at,"            \
	" d.decision, d.comment, r.token, d.reviewer, d.collected_at,"        \
	" d.file_sha256 FROM campaign_row r" indexed " LEFT JOIN"             \
	" campaign_decision d ON d.campaign_id = r.campaign_id AND"           \
	" d.seq = r.seq AND d.superseded = 0 WHERE r.campaign_id = ?1"
#define SQL_CAMPAIGN_ROWS SQL_CAMPAIGN_ROW_COLS("") " ORDER BY r.seq"
#define SQL_CAMPAIGN_ROWS_OF                                                   \
	SQL_CAMPAIGN_ROW_COLS(" INDEXED BY campaign_row_reviewer")            \
	" AND r.reviewer = ?2 ORDER BY r.seq"
#define SQL_CAMPAIGN_ROW_TOKEN                                                 \
	SQL_CAMPAIGN_ROW_COLS("")                                              \
	" AND r.seq = (SELECT seq FROM"                                        \
	" campaign_token WHERE campaign_id = ?1 AND token = ?2)"
/* The tokens of the rows just issued, in token order (store_sql.h
 * SQL_SCHEMA_CAMPAIGN_TOKENS says why). */
#define SQL_CAMPAIGN_TOKENS_ADD                                                \
	"INSERT INTO campaign_token SELECT campaign_id, token, seq FROM"       \
	" campaign_row WHERE campaign_id = ?1 ORDER BY token"

#define SQL_CAMPAIGN_STATUS                                                    \
	"SELECT r.reviewer, count(*), count(d.decision),"                     \
	" count(CASE d.decision WHEN 'keep' THEN 1 END),"                     \
	" count(CASE d.decision WHEN 'revoke' THEN 1 END)"                    \
	" FROM campaign_row r LEFT JOIN campaign_decision d ON"               \
	" d.campaign_id = r.campaign_id AND d.seq = r.seq AND"                \
	" d.superseded = 0 WHERE r.campaign_id = ?1 GROUP BY r.reviewer"      \
	" ORDER BY r.reviewer"
/* ?2 reviewer. */
#define SQL_CAMPAIGN_COUNTS                                                    \
	"SELECT access_type, tier, count(*) FROM campaign_row INDEXED BY"     \
	" campaign_row_reviewer WHERE"                                        \
	" campaign_id = ?1 AND reviewer = ?2 GROUP BY access_type, tier"      \
	" ORDER BY access_type, tier"
#define SQL_CAMPAIGN_REFUSALS                                                  \
	"SELECT kind, file_name, file_sha256, cell, reason, collected_at"     \
	" FROM campaign_refusal WHERE campaign_id = ?1 ORDER BY rowid"

/* ?2 sha256: 1 when the file was collected. */
#define SQL_CAMPAIGN_FILE_SEEN                                                 \
	"SELECT 1 FROM campaign_file WHERE campaign_id = ?1 AND sha256 = ?2"
/* ?2 sha256, ?3 file name, ?4 reviewer, ?5 collected_at, ?6 decided. */
#define SQL_CAMPAIGN_FILE_ADD                                                  \
	"INSERT INTO campaign_file (campaign_id, sha256, file_name, reviewer," \
	" collected_at, decided) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
/* ?2 reviewer: their decisions so far become history. */
#define SQL_CAMPAIGN_SUPERSEDE                                                 \
	"UPDATE campaign_decision SET superseded = 1 WHERE campaign_id = ?1"  \
	" AND reviewer = ?2 AND superseded = 0"
/* ?2 seq, ?3 reviewer, ?4 decision, ?5 comment, ?6 sha256,
 * ?7 collected_at. */
#define SQL_CAMPAIGN_DECIDE                                                    \
	"INSERT INTO campaign_decision (campaign_id, seq, reviewer, decision," \
	" comment, file_sha256, collected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6," \
	" ?7)"
/* ?2 kind, ?3 file name, ?4 sha256, ?5 cell, ?6 seq, ?7 reason,
 * ?8 collected_at. */
#define SQL_CAMPAIGN_REFUSAL_ADD                                               \
	"INSERT INTO campaign_refusal (campaign_id, kind, file_name,"         \
	" file_sha256, cell, seq, reason, collected_at) VALUES (?1, ?2, ?3,"  \
	" ?4, ?5, ?6, ?7, ?8)"

#endif
