/*
 * access.c - runs the derivation steps of access_sql.h in order inside the
 * snapshot's transaction.  Order matters: rule 7 starts from the group rows
 * of rules 5, 6 and 8, and rule 9 from the rows of rules 3 and 4; every
 * rule appends to a temporary stage, and the last step moves the stage
 * into the access table in key order.
 */
#include "access.h"
#include "access_sql.h"
#include "store_int.h"

static const struct step {
	const char *what;
	const char *sql;
	int script; /* several statements, no parameters: sqlite3_exec */
} steps[] = {
    {"dropping rows of unsynced users", SQL_DROP_UNSYNCED_PSA, 0},
    {"dropping rows of unsynced users", SQL_DROP_UNSYNCED_GM, 0},
    {"dropping rows of unsynced users", SQL_DROP_UNSYNCED_LOGIN, 0},
    {"dropping rows of unsynced users", SQL_DROP_UNSYNCED_TOKEN, 0},
    {"staging access rows", SQL_STAGE_TEMP, 1},
    {"access rule 1 (profile)", SQL_RULE1_PROFILE, 0},
    {"access rule 2 (role)", SQL_RULE2_ROLE, 0},
    {"access rule 3 (permission set)", SQL_RULE3_PERMISSION_SET, 0},
    {"access rule 4 (permission set group)", SQL_RULE4_PSG, 0},
    {"access rule 4 (group components)", SQL_RULE4_PSG_COMPONENTS, 0},
    {"access rule 5 (group members)", SQL_RULE5_GROUP_DIRECT, 0},
    {"access rule 6 (role groups)", SQL_RULE6_ROLE_GROUP, 0},
    {"access rule 6 (role and subordinates)", SQL_RULE6_ROLE_SUBORDINATES, 0},
    {"access rule 8 (organization)", SQL_RULE8_ORGANIZATION, 0},
    {"access rule 7 (nested groups)", SQL_RULE7_EDGES, 0},
    {"access rule 7 (nested groups)", SQL_RULE7_REACH, 0},
    {"access rule 7 (nested groups)", SQL_RULE7_SEED, 0},
    {"access rule 7 (nested groups)", SQL_RULE7_NESTED, 0},
    {"access rule 9 (connected apps by profile)", SQL_RULE9_PROFILE, 0},
    {"access rule 9 (connected apps by group)", SQL_RULE9_PSG, 0},
    {"access rule 9 (connected apps by permission set)",
     SQL_RULE9_PERMISSION_SET, 0},
    {"access rule 9 (OAuth tokens)", SQL_RULE9_OAUTH, 0},
};

/* Moves the stage into the access table; see SQL_ACCESS_FROM_STAGE. */
static int store_stage(sfa_store *st, sfa_err *err)
{
	const char *what = "storing access rows";
	sqlite3_stmt *s;
	sqlite3_int64 prev = 0;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_PREV_COMPLETE, st->snap, &s, what,
				 err)))
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		prev = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sfa_store_sqlerr(st, err, what);
	if ((rc = sfa_store_prep(st,
				 prev ? SQL_ACCESS_FROM_STAGE_CARRIED
				      : SQL_ACCESS_FROM_STAGE,
				 st->snap, &s, what, err)))
		return rc;
	if (prev)
		sqlite3_bind_int64(s, 2, prev);
	if ((rc = sfa_store_run(st, s, what, err)))
		return rc;
	if (sqlite3_exec(st->db, SQL_STAGE_DROP, NULL, NULL, NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, what);
	return 0;
}

int sfa_access_derive(sfa_store *st, sfa_err *err)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if (!st->snap)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "access: no open snapshot");
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (steps[i].script) {
			if (sqlite3_exec(st->db, steps[i].sql, NULL, NULL,
					 NULL) != SQLITE_OK)
				return sfa_store_sqlerr(st, err, steps[i].what);
			continue;
		}
		if ((rc = sfa_store_prep(st, steps[i].sql, st->snap, &s,
					 steps[i].what, err)) ||
		    (rc = sfa_store_run(st, s, steps[i].what, err)))
			return rc;
	}
	return store_stage(st, err);
}
