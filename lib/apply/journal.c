/*
 * journal.c - the apply journal: one upsert per finished operation, in
 * autocommit, so a kill -9 between two operations keeps every outcome
 * written before it.  Part of the store module (it shares its handle).
 */
#include "journal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store_db.h"

#define SQL_JOURNAL_PUT                                                        \
	"INSERT INTO apply_journal (file_sha256, line, op, resource_type,"     \
	" resource, user, outcome, org_id, user_id, resource_id, record_id,"   \
	" error_code, error, comment, finished_at, run_id) VALUES (?1, ?2,"    \
	" ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"      \
	" ON CONFLICT (file_sha256, line) DO UPDATE SET"                       \
	" outcome = excluded.outcome, org_id = excluded.org_id,"               \
	" user_id = excluded.user_id, resource_id = excluded.resource_id,"     \
	" record_id = excluded.record_id, error_code = excluded.error_code,"   \
	" error = excluded.error, attempts = attempts + 1,"                    \
	" finished_at = excluded.finished_at, run_id = excluded.run_id"
#define SQL_JOURNAL_COLUMNS                                                    \
	"SELECT file_sha256, line, op, resource_type, resource, user,"         \
	" outcome, org_id, user_id, resource_id, record_id, error_code,"       \
	" error, comment, attempts, finished_at, run_id FROM apply_journal"
#define SQL_JOURNAL_EACH SQL_JOURNAL_COLUMNS " WHERE file_sha256 = ?1 ORDER BY line"
#define SQL_JOURNAL_EACH_IN_RUN                                                \
	SQL_JOURNAL_COLUMNS " WHERE run_id = ?1 ORDER BY line"
#define SQL_JOURNAL_RUN_LATEST                                                 \
	"SELECT id, started_at, finished_at IS NOT NULL FROM apply_run"        \
	" WHERE file_sha256 = ?1 AND org_id = ?2 ORDER BY id DESC LIMIT 1"
#define SQL_JOURNAL_RUN_START                                                  \
	"INSERT INTO apply_run (file_sha256, org_id, started_at)"              \
	" VALUES (?1, ?2, ?3)"
#define SQL_JOURNAL_RUN_FINISH                                                 \
	"UPDATE apply_run SET finished_at = ?2 WHERE id = ?1"

static const char *const outcome_names[] = {"pending", "done", "already",
					    "failed"};

const char *sfa_outcome_name(sfa_outcome o)
{
	return outcome_names[o];
}

static void now_utc(const sfa_store *st, char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;

	if (sfa_store_pinned_now(st)) {
		snprintf(buf, 32, "%s", sfa_store_pinned_now(st));
		return;
	}
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

int sfa_journal_put(sfa_store *st, const sfa_journal_rec *r, sfa_err *err)
{
	sqlite3_stmt *s = NULL;
	char now[32];
	int rc;

	if (r->outcome == SFA_OUTCOME_NONE)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "journal: no outcome for line %ld", r->line);
	now_utc(st, now);
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_JOURNAL_PUT, -1, &s,
			       NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, "writing the apply journal");
	bind_text(s, 1, r->sha256);
	sqlite3_bind_int64(s, 2, r->line);
	bind_text(s, 3, r->op);
	bind_text(s, 4, r->resource_type);
	bind_text(s, 5, r->resource);
	bind_text(s, 6, r->user);
	bind_text(s, 7, sfa_outcome_name(r->outcome));
	bind_text(s, 8, r->org_id);
	bind_text(s, 9, r->user_id);
	bind_text(s, 10, r->resource_id);
	bind_text(s, 11, r->record_id);
	bind_text(s, 12, r->error_code);
	bind_text(s, 13, r->error);
	bind_text(s, 14, r->comment);
	bind_text(s, 15, now);
	if (r->run_id)
		sqlite3_bind_int64(s, 16, r->run_id);
	else
		sqlite3_bind_null(s, 16);
	rc = sqlite3_step(s) == SQLITE_DONE
		 ? 0
		 : sfa_store_sqlerr(st, err, "writing the apply journal");
	sqlite3_finalize(s);
	return rc;
}

static sfa_outcome outcome_of(const char *s)
{
	int i;

	for (i = 1; i < 4; i++)
		if (s && strcmp(s, outcome_names[i]) == 0)
			return (sfa_outcome)i;
	return SFA_OUTCOME_NONE;
}

static int each(sfa_store *st, const char *sql, const char *sha256,
		long long run_id, sfa_journal_fn fn, void *ud, sfa_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step;

	if (sqlite3_prepare_v2(sfa_store_sqlite(st), sql, -1, &s, NULL) !=
	    SQLITE_OK)
		return sfa_store_sqlerr(st, err, "reading the apply journal");
	if (sha256)
		sqlite3_bind_text(s, 1, sha256, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(s, 1, run_id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sfa_journal_rec r;
		const char *c[16];
		int i;

		for (i = 0; i < 16; i++)
			c[i] = (const char *)sqlite3_column_text(s, i);
		memset(&r, 0, sizeof(r));
		r.sha256 = c[0];
		r.line = (long)sqlite3_column_int64(s, 1);
		r.op = c[2];
		r.resource_type = c[3];
		r.resource = c[4];
		r.user = c[5];
		r.outcome = outcome_of(c[6]);
		r.org_id = c[7];
		r.user_id = c[8];
		r.resource_id = c[9];
		r.record_id = c[10];
		r.error_code = c[11];
		r.error = c[12];
		r.comment = c[13];
		r.attempts = (long)sqlite3_column_int64(s, 14);
		r.finished_at = c[15];
		r.run_id = sqlite3_column_int64(s, 16);
		if ((rc = fn(ud, &r)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = sfa_store_sqlerr(st, err, "reading the apply journal");
	sqlite3_finalize(s);
	return rc;
}

int sfa_journal_each(sfa_store *st, const char *sha256, sfa_journal_fn fn,
		     void *ud, sfa_err *err)
{
	return each(st, SQL_JOURNAL_EACH, sha256, 0, fn, ud, err);
}

int sfa_journal_each_in_run(sfa_store *st, long long run_id,
			    sfa_journal_fn fn, void *ud, sfa_err *err)
{
	return each(st, SQL_JOURNAL_EACH_IN_RUN, NULL, run_id, fn, ud, err);
}

int sfa_journal_run_latest(sfa_store *st, const char *sha256,
			   const char *org_id, sfa_journal_run *run,
			   sfa_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step;

	memset(run, 0, sizeof(*run));
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_JOURNAL_RUN_LATEST, -1,
			       &s, NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, "reading the apply runs");
	sqlite3_bind_text(s, 1, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, org_id, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(s, 1);

		run->id = sqlite3_column_int64(s, 0);
		snprintf(run->started_at, sizeof(run->started_at), "%s",
			 at ? at : "");
		run->finished = sqlite3_column_int(s, 2);
	} else if (step != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, "reading the apply runs");
	}
	sqlite3_finalize(s);
	return rc;
}

int sfa_journal_run_start(sfa_store *st, const char *sha256,
			  const char *org_id, sfa_journal_run *run,
			  sfa_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	memset(run, 0, sizeof(*run));
	now_utc(st, run->started_at);
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_JOURNAL_RUN_START, -1,
			       &s, NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, "starting an apply run");
	sqlite3_bind_text(s, 1, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, org_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, run->started_at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s) == SQLITE_DONE
		 ? 0
		 : sfa_store_sqlerr(st, err, "starting an apply run");
	if (!rc)
		run->id = sqlite3_last_insert_rowid(sfa_store_sqlite(st));
	sqlite3_finalize(s);
	return rc;
}

int sfa_journal_run_finish(sfa_store *st, long long id, sfa_err *err)
{
	sqlite3_stmt *s = NULL;
	char now[32];
	int rc;

	now_utc(st, now);
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_JOURNAL_RUN_FINISH, -1,
			       &s, NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, "finishing an apply run");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s) == SQLITE_DONE
		 ? 0
		 : sfa_store_sqlerr(st, err, "finishing an apply run");
	sqlite3_finalize(s);
	return rc;
}
