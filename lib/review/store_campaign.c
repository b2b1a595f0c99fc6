/*
 * store_campaign.c - the store side of review campaigns: the campaign,
 * its issued rows, decisions, refusals and collected files
 * (store_sql.h SQL_SCHEMA_REVIEW, statements in campaign_sql.h).  Routing
 * (campaign_start.c) and collecting (campaign_collect.c) write through one
 * transaction each (sfa_campaign_txn), so a refused start or file leaves
 * nothing behind.
 */
#include "campaign_int.h"
#include "campaign_sql.h"
#include "store_db.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TXT(s, i) ((const char *)sqlite3_column_text((s), (i)))

void sfa_campaign_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Binds text, NULL as SQL NULL (copied: callers' strings are short-lived). */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

struct cb {
	sfa_campaign_user_fn user;
	sfa_campaign_info_fn info;
	sfa_campaign_row_fn row;
	sfa_campaign_status_fn status;
	sfa_campaign_count_fn count;
	sfa_campaign_refusal_fn refusal;
	long long rows;
};

static int user_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;

	return cb->user(ud, TXT(s, 0), TXT(s, 1), sqlite3_column_int(s, 2),
			TXT(s, 3));
}

int sfa_campaign_each_user(sfa_store *st, long long snap,
			   sfa_campaign_user_fn fn, void *ud, sfa_err *err)
{
	struct cb cb = {.user = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_CAMPAIGN_USERS, snap, &s,
				 "reading users", err)))
		return rc;
	return sfa_store_each_row(st, s, user_row, &cb, ud, "reading users",
				  err);
}

static int info_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_campaign_info c;

	cb->rows++;
	c.id = sqlite3_column_int64(s, 0);
	c.snapshot_id = sqlite3_column_int64(s, 1);
	c.name = TXT(s, 2);
	c.snapshot_hash = TXT(s, 3);
	c.org_id = TXT(s, 4);
	c.created_at = TXT(s, 5);
	c.routing = TXT(s, 6);
	c.scope = TXT(s, 7);
	c.due = TXT(s, 8);
	c.state = TXT(s, 9);
	c.closed_at = TXT(s, 10);
	return cb->info(ud, &c);
}

int sfa_campaign_get(sfa_store *st, long long id, sfa_campaign_info_fn fn,
		     void *ud, sfa_err *err)
{
	struct cb cb = {.info = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_CAMPAIGN_ONE, id, &s,
				 "reading a campaign", err)) ||
	    (rc = sfa_store_each_row(st, s, info_row, &cb, ud,
				     "reading a campaign", err)))
		return rc;
	if (!cb.rows)
		return sfa_err_set(err, SFA_ENOTFOUND, "no campaign %lld", id);
	return 0;
}

static void fill_row(sqlite3_stmt *s, sfa_campaign_row *r)
{
	int c;

	r->seq = sqlite3_column_int64(s, 0);
	r->reviewer = TXT(s, 1);
	for (c = 0; c < SFA_CC_NCOLS; c++)
		r->cell[c] = or_empty(TXT(s, 2 + c));
	r->decided_by = or_empty(TXT(s, 18));
	r->collected_at = or_empty(TXT(s, 19));
	r->file_sha256 = or_empty(TXT(s, 20));
}

static int row_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_campaign_row r;

	fill_row(s, &r);
	return cb->row(ud, &r);
}

int sfa_campaign_each_row(sfa_store *st, long long id, const char *reviewer,
			  sfa_campaign_row_fn fn, void *ud, sfa_err *err)
{
	struct cb cb = {.row = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st,
				 reviewer ? SQL_CAMPAIGN_ROWS_OF
					  : SQL_CAMPAIGN_ROWS,
				 id, &s, "reading campaign rows", err)))
		return rc;
	if (reviewer)
		sqlite3_bind_text(s, 2, reviewer, -1, SQLITE_STATIC);
	return sfa_store_each_row(st, s, row_row, &cb, ud,
				  "reading campaign rows", err);
}

static int status_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_campaign_status r;

	r.reviewer = TXT(s, 0);
	r.rows = sqlite3_column_int64(s, 1);
	r.decided = sqlite3_column_int64(s, 2);
	r.keep = sqlite3_column_int64(s, 3);
	r.revoke = sqlite3_column_int64(s, 4);
	r.pending = r.rows - r.decided;
	return cb->status(ud, &r);
}

int sfa_campaign_each_status(sfa_store *st, long long id,
			     sfa_campaign_status_fn fn, void *ud, sfa_err *err)
{
	struct cb cb = {.status = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_CAMPAIGN_STATUS, id, &s,
				 "reading campaign status", err)))
		return rc;
	return sfa_store_each_row(st, s, status_row, &cb, ud,
				  "reading campaign status", err);
}

static int count_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;

	return cb->count(ud, or_empty(TXT(s, 0)), or_empty(TXT(s, 1)),
			 sqlite3_column_int64(s, 2));
}

int sfa_campaign_each_count(sfa_store *st, long long id, const char *reviewer,
			    sfa_campaign_count_fn fn, void *ud, sfa_err *err)
{
	struct cb cb = {.count = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_CAMPAIGN_COUNTS, id, &s,
				 "counting campaign rows", err)))
		return rc;
	sqlite3_bind_text(s, 2, reviewer, -1, SQLITE_STATIC);
	return sfa_store_each_row(st, s, count_row, &cb, ud,
				  "counting campaign rows", err);
}

static int refusal_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_campaign_refusal r;

	r.kind = TXT(s, 0);
	r.file_name = TXT(s, 1);
	r.file_sha256 = TXT(s, 2);
	r.cell = TXT(s, 3);
	r.reason = TXT(s, 4);
	r.collected_at = TXT(s, 5);
	return cb->refusal(ud, &r);
}

int sfa_campaign_each_refusal(sfa_store *st, long long id,
			      sfa_campaign_refusal_fn fn, void *ud,
			      sfa_err *err)
{
	struct cb cb = {.refusal = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_CAMPAIGN_REFUSALS, id, &s,
				 "reading campaign refusals", err)))
		return rc;
	return sfa_store_each_row(st, s, refusal_row, &cb, ud,
				  "reading campaign refusals", err);
}

int sfa_campaign_close(sfa_store *st, long long id, const char *now,
		       sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_CAMPAIGN_CLOSE, id, &s,
				 "closing a campaign", err)))
		return rc;
	sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
	if ((rc = sfa_store_run(st, s, "closing a campaign", err)))
		return rc;
	if (sqlite3_changes(sfa_store_sqlite(st)) != 1)
		return sfa_err_set(err, SFA_EINPUT,
				   "campaign %lld is already closed", id);
	return 0;
}

int sfa_campaign_secret(sfa_store *st, long long id,
			unsigned char secret[SFA_CAMPAIGN_SECRET_LEN],
			long long *snapshot_id, int *open, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_CAMPAIGN_SECRET, id, &s,
				 "reading a campaign", err)))
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_bytes(s, 0) == SFA_CAMPAIGN_SECRET_LEN) {
		memcpy(secret, sqlite3_column_blob(s, 0),
		       SFA_CAMPAIGN_SECRET_LEN);
		*snapshot_id = sqlite3_column_int64(s, 1);
		*open = sqlite3_column_int(s, 2);
		rc = 0;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		rc = sfa_err_set(err, SFA_ENOTFOUND, "no campaign %lld", id);
	} else {
		rc = sfa_store_sqlerr(st, err, "reading a campaign");
	}
	sqlite3_finalize(s);
	return rc;
}

/* ---- one write transaction ---- */

enum {
	T_ROW,
	T_TOKENS,
	T_FIND,
	T_SEEN,
	T_SUPERSEDE,
	T_DECIDE,
	T_REFUSAL,
	T_FILE,
	T_N
};
static const char *const txn_sql[T_N] = {
    SQL_CAMPAIGN_ROW_INSERT,  SQL_CAMPAIGN_TOKENS_ADD, SQL_CAMPAIGN_ROW_TOKEN,
    SQL_CAMPAIGN_FILE_SEEN,   SQL_CAMPAIGN_SUPERSEDE,  SQL_CAMPAIGN_DECIDE,
    SQL_CAMPAIGN_REFUSAL_ADD, SQL_CAMPAIGN_FILE_ADD};

struct sfa_campaign_txn {
	sfa_store *st;
	sqlite3_stmt *s[T_N];
	int open;
};

int sfa_campaign_txn_begin(sfa_campaign_txn **out, sfa_store *st,
			   sfa_err *err)
{
	sfa_campaign_txn *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	t->st = st;
	if (sqlite3_exec(sfa_store_sqlite(st), "BEGIN IMMEDIATE", NULL, NULL,
			 NULL) != SQLITE_OK) {
		int rc = sfa_store_sqlerr(st, err, "writing a campaign");

		free(t);
		return rc;
	}
	t->open = 1;
	*out = t;
	return 0;
}

int sfa_campaign_txn_commit(sfa_campaign_txn *t, sfa_err *err)
{
	int i;

	for (i = 0; i < T_N; i++) {
		sqlite3_finalize(t->s[i]);
		t->s[i] = NULL;
	}
	if (sqlite3_exec(sfa_store_sqlite(t->st), "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return sfa_store_sqlerr(t->st, err, "writing a campaign");
	t->open = 0;
	return 0;
}

void sfa_campaign_txn_free(sfa_campaign_txn *t)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < T_N; i++)
		sqlite3_finalize(t->s[i]);
	if (t->open)
		sqlite3_exec(sfa_store_sqlite(t->st), "ROLLBACK", NULL, NULL,
			     NULL);
	free(t);
}

/* Statement k, reset with the campaign bound to ?1. */
static int stmt(sfa_campaign_txn *t, int k, long long id, sqlite3_stmt **out,
		sfa_err *err)
{
	int rc;

	if (!t->s[k] && (rc = sfa_store_prep(t->st, txn_sql[k], id, &t->s[k],
					     "writing a campaign", err)))
		return rc;
	sqlite3_reset(t->s[k]);
	sqlite3_clear_bindings(t->s[k]);
	sqlite3_bind_int64(t->s[k], 1, id);
	*out = t->s[k];
	return 0;
}

static int step_done(sfa_campaign_txn *t, sqlite3_stmt *s, sfa_err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0
				 : sfa_store_sqlerr(t->st, err,
						    "writing a campaign");
}

int sfa_campaign_txn_create(sfa_campaign_txn *t, const sfa_campaign_spec *sp,
			    const char *snapshot_hash, const char *org_id,
			    const char *scope,
			    unsigned char secret[SFA_CAMPAIGN_SECRET_LEN],
			    long long *id_out, sfa_err *err)
{
	sqlite3_stmt *s;
	char now[32], name[64];
	int rc;

	if (RAND_bytes(secret, SFA_CAMPAIGN_SECRET_LEN) != 1)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "no random bytes for the campaign secret");
	sfa_campaign_now(now);
	snprintf(name, sizeof(name), "review of snapshot %lld",
		 sp->snapshot_id);
	if ((rc = sfa_store_prep(t->st, SQL_CAMPAIGN_INSERT, sp->snapshot_id,
				 &s, "creating a campaign", err)))
		return rc;
	bind_text(s, 2, sp->name ? sp->name : name);
	bind_text(s, 3, snapshot_hash);
	bind_text(s, 4, org_id);
	bind_text(s, 5, now);
	bind_text(s, 6, sp->routing);
	bind_text(s, 7, scope);
	bind_text(s, 8, sp->due);
	sqlite3_bind_blob(s, 9, secret, SFA_CAMPAIGN_SECRET_LEN,
			  SQLITE_STATIC);
	if ((rc = sfa_store_run(t->st, s, "creating a campaign", err)))
		return rc;
	*id_out = sqlite3_last_insert_rowid(sfa_store_sqlite(t->st));
	return 0;
}

int sfa_campaign_txn_issue(sfa_campaign_txn *t, long long id, long long seq,
			   const char *reviewer, const char *token,
			   const char *const *cells, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc, c;

	if ((rc = stmt(t, T_ROW, id, &s, err)))
		return rc;
	sqlite3_bind_int64(s, 2, seq);
	sqlite3_bind_text(s, 3, reviewer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, token, -1, SQLITE_STATIC);
	for (c = 0; c < SFA_CC_NLOCKED; c++)
		sqlite3_bind_text(s, 5 + c, or_empty(cells[c]), -1,
				  SQLITE_STATIC);
	return step_done(t, s, err);
}

int sfa_campaign_txn_tokens(sfa_campaign_txn *t, long long id, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = stmt(t, T_TOKENS, id, &s, err)))
		return rc;
	return step_done(t, s, err);
}

int sfa_campaign_txn_find(sfa_campaign_txn *t, long long id,
			  const char *token, sfa_campaign_row_fn fn, void *ud,
			  int *found, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*found = 0;
	if ((rc = stmt(t, T_FIND, id, &s, err)))
		return rc;
	sqlite3_bind_text(s, 2, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sfa_campaign_row r;

		*found = 1;
		fill_row(s, &r);
		rc = fn(ud, &r);
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = sfa_store_sqlerr(t->st, err, "reading campaign rows");
	}
	sqlite3_reset(s);
	return rc;
}

int sfa_campaign_txn_seen(sfa_campaign_txn *t, long long id,
			  const char *sha256, int *seen, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = stmt(t, T_SEEN, id, &s, err)))
		return rc;
	sqlite3_bind_text(s, 2, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*seen = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sfa_store_sqlerr(t->st, err, "reading campaign files");
	return 0;
}

int sfa_campaign_txn_supersede(sfa_campaign_txn *t, long long id,
			       const char *reviewer, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = stmt(t, T_SUPERSEDE, id, &s, err)))
		return rc;
	sqlite3_bind_text(s, 2, reviewer, -1, SQLITE_STATIC);
	return step_done(t, s, err);
}

int sfa_campaign_txn_decide(sfa_campaign_txn *t, long long id, long long seq,
			    const char *reviewer, const char *decision,
			    const char *comment, const char *sha256,
			    const char *now, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = stmt(t, T_DECIDE, id, &s, err)))
		return rc;
	sqlite3_bind_int64(s, 2, seq);
	bind_text(s, 3, reviewer);
	bind_text(s, 4, decision);
	bind_text(s, 5, comment && *comment ? comment : NULL);
	bind_text(s, 6, sha256);
	bind_text(s, 7, now);
	return step_done(t, s, err);
}

int sfa_campaign_txn_refusal(sfa_campaign_txn *t, long long id,
			     const char *kind, const char *file_name,
			     const char *sha256, const char *cell,
			     long long seq, const char *reason,
			     const char *now, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = stmt(t, T_REFUSAL, id, &s, err)))
		return rc;
	bind_text(s, 2, kind);
	bind_text(s, 3, file_name);
	bind_text(s, 4, sha256);
	bind_text(s, 5, cell);
	if (seq > 0)
		sqlite3_bind_int64(s, 6, seq);
	bind_text(s, 7, reason);
	bind_text(s, 8, now);
	return step_done(t, s, err);
}

int sfa_campaign_txn_file(sfa_campaign_txn *t, long long id,
			  const char *sha256, const char *file_name,
			  const char *reviewer, const char *now,
			  long long decided, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = stmt(t, T_FILE, id, &s, err)))
		return rc;
	bind_text(s, 2, sha256);
	bind_text(s, 3, file_name);
	bind_text(s, 4, reviewer);
	bind_text(s, 5, now);
	sqlite3_bind_int64(s, 6, decided);
	return step_done(t, s, err);
}
