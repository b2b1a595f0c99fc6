/*
 * test_store.c - the snapshot store: lifecycle (complete, abort, kill),
 * locking, schema versions, file mode, content hash, first_seen_at,
 * resources and the readers.
 */
#include "access_pack.h"
#include "store_fixture.h"
#include "store_sql.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static const struct rec base[] = {
    PROFILE("00eP", "Sales"),
    USER("005A", T, "Standard", "00eP", NULL),
    PS("0PSreg", F, NULL, NULL),
    PSA("0Pa1", "005A", "0PSreg", NULL, NULL, "2026-01-01T00:00:00Z"),
    GROUP("00Gg", "G", "Regular", NULL),
    GM("011a", "00Gg", "005A", "2026-01-01T00:00:00Z"),
};

struct info {
	char status[16], hash[65], error[128], started[32];
	long long n_users, n_resources, n_access, api_requests, count;
};

static int get_info(void *ud, const sfa_snapshot_info *s)
{
	struct info *i = ud;

	i->count++;
	snprintf(i->status, sizeof(i->status), "%s", s->status);
	snprintf(i->hash, sizeof(i->hash), "%s", NUL(s->content_hash));
	snprintf(i->error, sizeof(i->error), "%s", NUL(s->error));
	snprintf(i->started, sizeof(i->started), "%s", s->started_at);
	i->n_users = s->n_users;
	i->n_resources = s->n_resources;
	i->n_access = s->n_access;
	i->api_requests = s->api_requests;
	return 0;
}

static struct info info_of(sfa_store *st, long long id)
{
	struct info i;
	sfa_err err = {0};

	memset(&i, 0, sizeof(i));
	ck_assert_msg(sfa_store_get_snapshot(st, id, get_info, &i, &err) == 0,
		      "%s", err.msg);
	return i;
}

START_TEST(test_finished_snapshot_is_complete_with_counts_and_hash)
{
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, base, NREC(base));
	struct info i = info_of(st, id);

	ck_assert_str_eq(i.status, "complete");
	ck_assert_int_eq(strlen(i.hash), 64);
	ck_assert_int_eq(i.n_users, 1);
	/* user, profile, permission set, group */
	ck_assert_int_eq(i.n_resources, 4);
	/* profile, permission set, group */
	ck_assert_int_eq(i.n_access, 3);
	ck_assert_int_eq(i.api_requests, 7);
	fx_close(st, path);
}
END_TEST

/* An id's key is the same whichever way intern() guesses: 005B is new
 * when an assignment names it, and known when its User record comes after
 * a new user, so the Id field guesses "new" and must fall back to the
 * lookup.  In the second snapshot every field's first id is known after a
 * "new" guess. */
START_TEST(test_an_id_met_again_after_a_wrong_guess_keeps_its_key)
{
	static const struct rec recs[] = {
	    PROFILE("00eP", "Sales"),
	    PS("0PSreg", F, NULL, NULL),
	    USER("005A", T, "Standard", "00eP", NULL),
	    PSA("0Pa1", "005B", "0PSreg", NULL, NULL, "2026-01-01T00:00:00Z"),
	    USER("005B", T, "Standard", "00eP", NULL),
	    PSA("0Pa2", "005A", "0PSreg", NULL, NULL, "2026-01-01T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long a = fx_snapshot(st, recs, NREC(recs)), b;

	/* the profile, its license, the permission set and the two users:
	 * assignment ids are text in their rows */
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sfid"), 5);
	ck_assert_int_eq(fx_count(st,
				  "SELECT count(*) FROM sf_ps_assignment"
				  " x JOIN sf_user u ON u.snapshot_id ="
				  " x.snapshot_id AND u.id = x.assignee_id"),
			 2);
	b = fx_snapshot(st, recs, NREC(recs));
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sfid"), 5);
	ck_assert_str_eq(info_of(st, a).hash, info_of(st, b).hash);
	fx_close(st, path);
}
END_TEST

/* The hash orders ids by their bytes, whichever keys the store gave them:
 * the same records in the opposite order hash the same.  Two ids share
 * their first 18 bytes, and two need escaping (a TAB sorts before a
 * backslash). */
START_TEST(test_hash_orders_ids_by_bytes_not_by_arrival)
{
	static const struct rec recs[] = {
	    USER("005A", T, "Standard", NULL, NULL),
	    PS("0PS000000000000000AZ", F, NULL, NULL),
	    PS("0PS000000000000000AA", F, NULL, NULL),
	    PS("0PS\\b", F, NULL, NULL),
	    PS("0PS\tb", F, NULL, NULL),
	    PSA("0Pa1", "005A", "0PS000000000000000AZ", NULL, NULL, NULL),
	    PSA("0Pa2", "005A", "0PS000000000000000AA", NULL, NULL, NULL),
	    PSA("0Pa3", "005A", "0PS\\b", NULL, NULL, "2026-01-01T00:00:00Z"),
	    PSA("0Pa4", "005A", "0PS\tb", NULL, NULL, "2026-01-02T00:00:00Z"),
	    GROUP("00Gb", "B", "Regular", NULL),
	    GROUP("00Ga", "A", "Regular", NULL),
	    GM("011b", "00Gb", "005A", NULL),
	    GM("011a", "00Ga", "00Gb", NULL),
	};
	struct rec back[NREC(recs)];
	char p1[64], p2[64];
	sfa_store *a = fx_open(p1), *b = fx_open(p2);
	size_t i;
	long long ia, ib;

	for (i = 0; i < NREC(recs); i++)
		back[i] = recs[NREC(recs) - 1 - i];
	ia = fx_snapshot(a, recs, NREC(recs));
	ib = fx_snapshot(b, back, NREC(back));
	ck_assert_int_eq(info_of(a, ia).n_access, info_of(b, ib).n_access);
	ck_assert_int_gt(info_of(a, ia).n_access, 5);
	ck_assert_str_eq(info_of(a, ia).hash, info_of(b, ib).hash);
	fx_close(a, p1);
	fx_close(b, p2);
}
END_TEST

START_TEST(test_store_file_is_created_mode_0600)
{
	char path[64];
	struct stat sb;
	sfa_store *st = fx_open(path);

	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	fx_close(st, path);
}
END_TEST

START_TEST(test_same_state_same_hash_and_a_changed_row_changes_it)
{
	struct rec changed[NREC(base)];
	char path[64];
	sfa_store *st = fx_open(path);
	long long a = fx_snapshot(st, base, NREC(base));
	long long b = fx_snapshot(st, base, NREC(base));
	long long c;
	struct info ia, ib, ic;

	memcpy(changed, base, sizeof(base));
	changed[3].v[4] = "2030-01-01T00:00:00Z"; /* PSA ExpirationDate */
	c = fx_snapshot(st, changed, NREC(changed));
	ia = info_of(st, a);
	ib = info_of(st, b);
	ic = info_of(st, c);
	ck_assert_str_eq(ia.hash, ib.hash);
	ck_assert_str_ne(ia.hash, ic.hash);
	fx_close(st, path);
}
END_TEST

START_TEST(test_abort_leaves_incomplete_with_reason_and_earlier_snapshot_intact)
{
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long a = fx_snapshot(st, base, NREC(base));
	long long b = 0, latest = 0;
	struct info ib;

	ck_assert_int_eq(
	    sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &b, &err), 0);
	fx_put(st, base, NREC(base));
	sfa_store_abort_snapshot(st, "network lost");
	ib = info_of(st, b);
	ck_assert_str_eq(ib.status, "incomplete");
	ck_assert_str_eq(ib.error, "network lost");
	ck_assert_str_eq(ib.hash, "-");
	ck_assert_int_eq(sfa_store_latest_complete(st, NULL, 0, &latest, &err),
			 0);
	ck_assert_int_eq(latest, a);
	ck_assert_str_eq(info_of(st, a).status, "complete");
	fx_expect(st, a,
		  (const char *const[]){"005A profile 00eP direct -",
					"005A permission_set 0PSreg direct -",
					"005A group 00Gg direct -"},
		  3);
	fx_expect(st, b, NULL, 0);
	fx_close(st, path);
}
END_TEST

START_TEST(test_killed_sync_leaves_only_the_incomplete_row)
{
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = 0;
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		sfa_store *child = NULL;

		if (sfa_store_open(&child, path, 0, &err) ||
		    sfa_store_begin_snapshot(child, "00Dorg", "64.0", "{}", &id,
					     &err))
			_exit(1);
		fx_put(child, base, NREC(base));
		kill(getpid(), SIGKILL);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_str_eq(info_of(st, 1).status, "incomplete");
	fx_expect(st, 1, NULL, 0);
	/* The store is usable: the next snapshot completes. */
	id = fx_snapshot(st, base, NREC(base));
	ck_assert_int_eq(id, 2);
	fx_close(st, path);
}
END_TEST

START_TEST(test_second_writer_gets_busy_and_leaves_no_row)
{
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path), *other = NULL;
	long long a = 0, b = 0;
	struct info all;

	ck_assert_int_eq(sfa_store_open(&other, path, 0, &err), 0);
	sqlite3_busy_timeout(other->db, 100);
	ck_assert_int_eq(
	    sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &a, &err), 0);
	ck_assert_int_eq(
	    sfa_store_begin_snapshot(other, "00Dorg", "64.0", "{}", &b, &err),
	    SFA_EBUSY);
	ck_assert_ptr_nonnull(strstr(err.msg, "in use by another sfaccess"));
	fx_put(st, base, NREC(base));
	ck_assert_int_eq(sfa_snapshot_finish(st, NULL, 1, NULL, &err), 0);
	memset(&all, 0, sizeof(all));
	ck_assert_int_eq(sfa_store_each_snapshot(other, get_info, &all, &err),
			 0);
	ck_assert_int_eq(all.count, 1);
	sfa_store_free(other);
	fx_close(st, path);
}
END_TEST

START_TEST(test_store_from_a_newer_sfaccess_is_refused)
{
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path), *again = NULL;

	ck_assert_int_eq(
	    sqlite3_exec(st->db, "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sfa_store_open(&again, path, 0, &err), SFA_ESTORE);
	ck_assert_ptr_null(again);
	ck_assert_ptr_nonnull(strstr(err.msg, "schema version 99"));
	fx_close(st, path);
}
END_TEST

/* Writes every access set of st back as rows of the v1 access table, as
 * a store of schema versions 1 to 3 held them; returns the row count. */
static long long to_v1_access(sfa_store *st)
{
	sqlite3_stmt *sets, *put;
	sfa_access_set set = {0};
	sfa_err err = {0};
	long long rows = 0;
	size_t i;

	ck_assert_int_eq(sqlite3_exec(st->db, SQL_V1_ACCESS, NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_prepare_v2(st->db,
			       "SELECT snapshot_id, user_id, data FROM"
			       " access_set",
			       -1, &sets, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_prepare_v2(st->db,
			       "INSERT INTO access VALUES (?1, ?2, ?3, ?4, ?5,"
			       " ?6, ?7, ?8, ?9)",
			       -1, &put, NULL),
	    SQLITE_OK);
	while (sqlite3_step(sets) == SQLITE_ROW) {
		ck_assert_int_eq(
		    sfa_access_unpack(sqlite3_column_blob(sets, 2),
				      (size_t)sqlite3_column_bytes(sets, 2),
				      &set, &err),
		    0);
		for (i = 0; i < set.n; i++) {
			const sfa_access_item *x = &set.items[i];

			sqlite3_bind_int64(put, 1,
					   sqlite3_column_int64(sets, 0));
			sqlite3_bind_int64(put, 2,
					   sqlite3_column_int64(sets, 1));
			sqlite3_bind_text(put, 3, sfa_access_type_name(x->type),
					  -1, SQLITE_STATIC);
			sqlite3_bind_int64(put, 4, x->access_id);
			sqlite3_bind_text(put, 5,
					  sfa_access_type_name(x->via_type), -1,
					  SQLITE_STATIC);
			sqlite3_bind_int64(put, 6, x->via_id);
			sqlite3_bind_text(put, 7, x->assigned_at, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(put, 8, x->expires_at, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(put, 9, x->first_seen_at, -1,
					  SQLITE_STATIC);
			ck_assert_int_eq(sqlite3_step(put), SQLITE_DONE);
			sqlite3_reset(put);
			rows++;
		}
	}
	sqlite3_finalize(sets);
	sqlite3_finalize(put);
	sfa_access_set_free(&set);
	return rows;
}

/* Table t (columns after the id: cols) back to sfid keys as its id. */
#define UNDO_TEXT_IDS(t, cols)                                                 \
	"INSERT OR IGNORE INTO sfid (sfid) SELECT id FROM " t ";"              \
	"CREATE TEMP TABLE undo AS SELECT x.snapshot_id, s.id AS id, " cols    \
	" FROM " t " x JOIN sfid s ON s.sfid = x.id;"                          \
	"DROP TABLE " t ";"                                                    \
	"CREATE TABLE " t " AS SELECT * FROM temp.undo;"                       \
	"DROP TABLE temp.undo;"

/* Undoes schema version 9 (the entitlements): its tables and views go and
 * the resource view is the one of version 1 again. */
#define SQL_UNDO_V9                                                            \
	"DROP VIEW resource; DROP VIEW resource_territory;"                    \
	" DROP VIEW resource_permission_set_license;"                          \
	" DROP VIEW resource_package_license;"                                 \
	" DROP VIEW resource_custom_permission; DROP TABLE sf_territory;"      \
	" DROP TABLE sf_user_territory; DROP TABLE sf_ps_license;"             \
	" DROP TABLE sf_ps_license_assign; DROP TABLE sf_package_license;"     \
	" DROP TABLE sf_user_package_license;"                                 \
	" DROP TABLE sf_custom_permission;" SQL_V1_VIEW_RESOURCE ";"

/* Undoes schema versions 6 and 5: the own ids of five tables back to sfid
 * keys, the indexes of users by role and profile and the v1 profile view
 * back. */
static void to_v4(sfa_store *st)
{
	ck_assert_int_eq(
	    sqlite3_exec(
		st->db,
		UNDO_TEXT_IDS("sf_user_login",
			      "user_id, is_frozen, is_password_locked")
		    UNDO_TEXT_IDS("sf_group_member",
				  "group_id, member_id, system_modstamp")
			UNDO_TEXT_IDS("sf_psg_component",
				      "permission_set_group_id, "
				      "permission_set_id") UNDO_TEXT_IDS("sf_"
									 "ps_"
									 "assig"
									 "nmen"
									 "t",
									 "assig"
									 "nee_"
									 "id, "
									 "permi"
									 "ssion"
									 "_set_"
									 "id,"
									 " perm"
									 "issio"
									 "n_"
									 "set_"
									 "group"
									 "_id,"
									 " expi"
									 "ratio"
									 "n_"
									 "date,"
									 " syst"
									 "em_"
									 "modst"
									 "amp,"
									 " is_"
									 "activ"
									 "e")
			    UNDO_TEXT_IDS(
				"sf_setup_entity_access",
				"parent_id, setup_entity_id,"
				" setup_entity_type") "CREATE INDEX "
						      "sf_user_role_id ON "
						      "sf_user"
						      " (snapshot_id, "
						      "user_role_id, "
						      "user_type);"
						      "CREATE INDEX "
						      "sf_user_profile ON "
						      "sf_user"
						      " (snapshot_id, "
						      "profile_id);"
						      "DROP VIEW "
						      "resource_"
						      "profile"
						      ";" SQL_V1_VIEW_PROFILE,
		NULL, NULL, NULL),
	    SQLITE_OK);
}

START_TEST(test_read_only_open_upgrades_an_older_store)
{
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path), *ro = NULL;
	long long id = fx_snapshot(st, base, NREC(base)), latest = 0;

	char hash[65], again[65];
	long long n_res = 0, rows = 0;

	/* Make it a version 1 store: no apply journal or runs, no user digests,
	 * no left-out users, and the access rows in the v1 access table instead
	 * of access sets. */
	ck_assert_int_eq(sfa_store_content_hash(st, id, hash, &n_res, &err), 0);
	rows = to_v1_access(st);
	ck_assert_int_gt(rows, 0);
	to_v4(st);
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM sf_ps_assignment"
				      " WHERE typeof(id) = 'integer'"),
			 1);
	ck_assert_int_eq(sqlite3_exec(st->db,
				      "DROP TABLE login_history;"
				      "DROP TABLE login_latest;"
				      "ALTER TABLE sf_oauth_token DROP COLUMN"
				      " last_used_at;"
				      "DROP TABLE campaign_token;"
				      "DROP TABLE campaign_refusal;"
				      "DROP TABLE campaign_decision;"
				      "DROP TABLE campaign_file;"
				      "DROP TABLE campaign_row;"
				      "DROP TABLE campaign;"
				      "DROP TABLE apply_run;"
				      "DROP TABLE apply_journal;"
				      "DROP TABLE user_digest;"
				      "DROP TABLE access_set;"
				      "DROP TABLE perm_name;"
				      "DROP TABLE perm_system;"
				      "DROP TABLE perm_object;"
				      "DROP VIEW perm_field;"
				      "DROP TABLE perm_field_row;"
				      "DROP TABLE perm_field_name;"
				      "DROP VIEW perm_review;"
				      "DROP TABLE perm_priv_source;"
				      "DROP INDEX IF EXISTS sf_ps_assignment_assignee;"
				      "DROP INDEX IF EXISTS sf_ps_assignment_ps;"
				      "DROP INDEX IF EXISTS sf_ps_assignment_psg;"
				      "DROP INDEX IF EXISTS sf_user_by_profile;"
				      "DROP INDEX IF EXISTS sf_user_by_username;"
				      "DROP TABLE snapshot_control;"
				      "DROP TABLE snapshot_drift;"
				      "DROP TABLE snapshot_reconciliation;"
				      "DROP TABLE snapshot_provenance;"
				      "DROP TABLE audit_trail;"
				      "DROP TABLE evidence_package;"
				      "DROP TABLE user_left_out;" SQL_UNDO_V9
				      "PRAGMA user_version = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sfa_store_free(st);
	ck_assert_msg(sfa_store_open(&ro, path, SFA_STORE_READONLY, &err) == 0,
		      "%s", err.msg);
	/* The migration moved the rows, dates and all, into access sets. */
	ck_assert_int_eq(sfa_store_content_hash(ro, id, again, &n_res, &err),
			 0);
	ck_assert_str_eq(again, hash);
	ck_assert_int_eq(fx_count(ro, "SELECT sum(n_access) FROM access_set"),
			 rows);
	ck_assert_int_eq(fx_count(ro, "SELECT count(*) FROM sqlite_master"
				      " WHERE name = 'access'"),
			 0);
	ck_assert_int_eq(sfa_store_latest_complete(ro, NULL, 0, &latest, &err),
			 0);
	ck_assert_int_eq(latest, id);
	/* Version 6: the records' own ids are text again, as fetched. */
	ck_assert_int_eq(fx_count(ro, "SELECT count(*) FROM sf_ps_assignment"
				      " WHERE id = '0Pa1'"),
			 1);
	ck_assert_int_eq(fx_count(ro, "SELECT count(*) FROM sf_group_member"
				      " WHERE id = '011a'"),
			 1);
	ck_assert_int_eq(fx_count(ro, "SELECT count(*) FROM sqlite_master"
				      " WHERE name IN ('sf_user_role_id',"
				      " 'sf_user_profile')"),
			 0);
	ck_assert_int_eq(sqlite3_exec(ro->db,
				      "SELECT count(*) FROM apply_journal",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(ro->db,
				      "SELECT count(*) FROM user_digest", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	fx_close(ro, path);
}
END_TEST

START_TEST(test_reopening_keeps_snapshots_and_read_only_open_reads_them)
{
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path), *ro = NULL;
	long long id = fx_snapshot(st, base, NREC(base)), latest = 0;

	ck_assert_msg(sfa_store_open(&ro, path, SFA_STORE_READONLY, &err) == 0,
		      "%s", err.msg);
	ck_assert_int_eq(
	    sfa_store_latest_complete(ro, "00Dorg", 0, &latest, &err), 0);
	ck_assert_int_eq(latest, id);
	ck_assert_int_eq(
	    sfa_store_latest_complete(ro, "00Dorg", 1, &latest, &err),
	    SFA_ENOTFOUND);
	ck_assert_int_eq(
	    sfa_store_latest_complete(ro, "00Dother", 0, &latest, &err),
	    SFA_ENOTFOUND);
	sfa_store_free(ro);
	fx_close(st, path);
}
END_TEST

struct seen {
	char out[512];
};

static int first_seen(void *ud, const sfa_access_row *r)
{
	struct seen *s = ud;
	size_t n = strlen(s->out);

	snprintf(s->out + n, sizeof(s->out) - n, "%s/%s=%s;", r->access_type,
		 r->access_id, r->first_seen_at);
	return 0;
}

START_TEST(
    test_first_seen_is_the_start_of_the_unbroken_run_of_complete_snapshots)
{
	/* The group row is in 1, 3 and 4 but not 2; the profile row in all.
	 * An incomplete snapshot between 3 and 4 breaks nothing. */
	static const struct rec with[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    GM("011a", "00Gg", "005A", NULL),
	};
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	struct seen s = {""};
	long long id, junk;

	st->now = "2026-01-01T00:00:00Z";
	fx_snapshot(st, with, NREC(with));
	st->now = "2026-02-01T00:00:00Z";
	fx_snapshot(st, with, 2);
	st->now = "2026-03-01T00:00:00Z";
	id = fx_snapshot(st, with, NREC(with));
	ck_assert_int_eq(
	    sfa_store_each_access(st, id, NULL, first_seen, &s, &err), 0);
	ck_assert_str_eq(s.out, "group/00Gg=2026-03-01T00:00:00Z;"
				"profile/00eP=2026-01-01T00:00:00Z;");
	st->now = "2026-03-15T00:00:00Z";
	ck_assert_int_eq(
	    sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &junk, &err),
	    0);
	sfa_store_abort_snapshot(st, "test");
	st->now = "2026-04-01T00:00:00Z";
	id = fx_snapshot(st, with, NREC(with));
	s.out[0] = '\0';
	ck_assert_int_eq(
	    sfa_store_each_access(st, id, NULL, first_seen, &s, &err), 0);
	ck_assert_str_eq(s.out, "group/00Gg=2026-03-01T00:00:00Z;"
				"profile/00eP=2026-01-01T00:00:00Z;");
	fx_close(st, path);
}
END_TEST

static int resource(void *ud, const sfa_resource_row *r)
{
	char *out = ud;
	size_t n = strlen(out);

	snprintf(out + n, 2048 - n, "%s|%s|%s|%s\n", r->type, r->id,
		 NUL(r->name), r->attrs);
	return 0;
}

START_TEST(test_resources_name_and_attrs)
{
	static const struct rec org[] = {
	    {SFA_OBJ_USER_LICENSE,
	     {"100L", "Salesforce", "SFDC", "Active", "10", "3"}},
	    GROUP("00Gg", NULL, "Queue", NULL),
	    PS("0PSown", T, "00eP", NULL),
	    PS("0PSagg", F, NULL, "0PGg"),
	    PSG("0PGg"),
	    PSGC("0PC2", "0PGg", "0QMm"),
	    PSGC("0PC1", "0PGg", "0PSx"),
	};
	char path[64], got[2048] = "";
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	ck_assert_int_eq(
	    sfa_store_each_resource(st, id, NULL, resource, got, &err), 0);
	ck_assert_str_eq(
	    got,
	    "group|00Gg|Dev_00Gg|{\"Id\":\"00Gg\",\"Name\":null,"
	    "\"DeveloperName\":\"Dev_00Gg\",\"Type\":\"Queue\","
	    "\"RelatedId\":null}\n"
	    "license|100L|Salesforce|{\"Id\":\"100L\",\"Name\":"
	    "\"Salesforce\",\"LicenseDefinitionKey\":\"SFDC\",\"Status\":"
	    "\"Active\",\"TotalLicenses\":10,\"UsedLicenses\":3}\n"
	    "permission_set_group|0PGg|Label 0PGg|{\"Id\":\"0PGg\","
	    "\"DeveloperName\":\"D_0PGg\",\"MasterLabel\":\"Label 0PGg\","
	    "\"Status\":\"Updated\",\"Components\":[\"0PSx\",\"0QMm\"]}\n");
	fx_close(st, path);
}
END_TEST

START_TEST(test_user_resource_has_frozen_license_and_profile_privileges)
{
	static const struct rec org[] = {
	    PROFILE("00eP", "Admin"),
	    {SFA_OBJ_PERMISSION_SET,
	     {"0PSown", "X", "X", "Profile", NULL, F, NULL, T, "00eP", NULL, T,
	      F, F, F, F}},
	    USER("005A", F, "Standard", "00eP", NULL),
	    LOGIN("0Ya", "005A", T),
	};
	char path[64], got[2048] = "";
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));

	ck_assert_int_eq(
	    sfa_store_each_resource(st, id, "user", resource, got, &err), 0);
	ck_assert_ptr_nonnull(strstr(got, "\"IsActive\":false"));
	ck_assert_ptr_nonnull(strstr(got, "\"IsFrozen\":true"));
	ck_assert_ptr_nonnull(strstr(got, "\"License\":\"Salesforce\""));
	got[0] = '\0';
	ck_assert_int_eq(
	    sfa_store_each_resource(st, id, "profile", resource, got, &err), 0);
	ck_assert_ptr_nonnull(strstr(got, "\"PermissionsModifyAllData\":true"));
	fx_close(st, path);
}
END_TEST

START_TEST(test_put_rejects_a_boolean_that_is_not_true_or_false)
{
	static const struct rec bad = LOGIN("0Ya", "005A", "yes");
	char path[64];
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long id;

	ck_assert_int_eq(
	    sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &id, &err), 0);
	ck_assert_int_eq(sfa_store_put(st, bad.obj, bad.v, &err), SFA_EINPUT);
	ck_assert_str_eq(err.where, "UserLogin.IsFrozen");
	sfa_store_abort_snapshot(st, "bad record");
	fx_close(st, path);
}
END_TEST

/* Throughput of put(): SFA_BENCH=N puts N PermissionSetAssignments (1000
 * users, each holding N / 1000 permission sets) and prints rows per
 * second, for new ids and for ids already in the store. */
START_TEST(test_put_throughput)
{
	const char *n_env = getenv("SFA_BENCH");
	long n = n_env ? atol(n_env) : 20000, i;
	char path[64], id[24], user[24], ps[24];
	const char *v[7] = {id,	   user, ps, NULL, NULL, "2026-01-01T00:00:00Z",
			    "true"};
	struct timespec t0, t1;
	sfa_err err = {0};
	sfa_store *st = fx_open(path);
	long long snap;
	int round;

	for (round = 0; round < 2; round++) {
		ck_assert_int_eq(sfa_store_begin_snapshot(st, "00Dorg", "64.0",
							  "{}", &snap, &err),
				 0);
		for (i = 0; i < 1000; i++) {
			const char *u[SFA_USER_NFIELDS] = {user, user};

			snprintf(user, sizeof(user), "005%015ld", i);
			ck_assert_int_eq(
			    sfa_store_put(st, SFA_OBJ_USER, u, &err), 0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (i = 0; i < n; i++) {
			snprintf(id, sizeof(id), "0Pa%015ld", i);
			snprintf(user, sizeof(user), "005%015ld", i % 1000);
			snprintf(ps, sizeof(ps), "0PS%015ld", i / 1000);
			ck_assert_int_eq(
			    sfa_store_put(st, SFA_OBJ_PS_ASSIGNMENT, v, &err),
			    0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (n_env)
			fprintf(stderr,
				"put: %ld rows in %.2fs = %.0f rows/s "
				"(%s ids)\n",
				n,
				(double)(t1.tv_sec - t0.tv_sec) +
				    (t1.tv_nsec - t0.tv_nsec) / 1e9,
				n / ((double)(t1.tv_sec - t0.tv_sec) +
				     (t1.tv_nsec - t0.tv_nsec) / 1e9),
				round ? "known" : "new");
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ck_assert_int_eq(sfa_snapshot_finish(st, NULL, 0, NULL, &err),
				 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (n_env)
			fprintf(stderr, "finish: %.2fs\n",
				(double)(t1.tv_sec - t0.tv_sec) +
				    (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	fx_close(st, path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc,
		       test_finished_snapshot_is_complete_with_counts_and_hash);
	tcase_add_test(tc, test_store_file_is_created_mode_0600);
	tcase_add_test(tc, test_hash_orders_ids_by_bytes_not_by_arrival);
	tcase_add_test(tc,
		       test_an_id_met_again_after_a_wrong_guess_keeps_its_key);
	tcase_add_test(tc,
		       test_same_state_same_hash_and_a_changed_row_changes_it);
	tcase_add_test(
	    tc,
	    test_abort_leaves_incomplete_with_reason_and_earlier_snapshot_intact);
	tcase_add_test(tc, test_killed_sync_leaves_only_the_incomplete_row);
	tcase_add_test(tc, test_second_writer_gets_busy_and_leaves_no_row);
	tcase_add_test(tc, test_store_from_a_newer_sfaccess_is_refused);
	tcase_add_test(tc, test_read_only_open_upgrades_an_older_store);
	tcase_add_test(
	    tc, test_reopening_keeps_snapshots_and_read_only_open_reads_them);
	tcase_add_test(
	    tc,
	    test_first_seen_is_the_start_of_the_unbroken_run_of_complete_snapshots);
	tcase_add_test(tc, test_resources_name_and_attrs);
	tcase_add_test(
	    tc, test_user_resource_has_frozen_license_and_profile_privileges);
	tcase_add_test(tc,
		       test_put_rejects_a_boolean_that_is_not_true_or_false);
	tcase_add_test(tc, test_put_throughput);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
