/*
 * store_db.h - the store's database as the modules built on it use it
 * (diff, gc, the apply journal, the access model, permissions, the policy
 * and campaign tables): statements prepared, run and stepped with the
 * store's error reporting, without the store's handle and its writers
 * (store_int.h, for the raw record writers).  Errors fill sfa_err as
 * sfa_store_sqlerr() says and return its code.
 */
#ifndef SFA_STORE_DB_H
#define SFA_STORE_DB_H

#include "err.h"
#include "store.h"

#include <sqlite3.h>

/* Turns a failed SQLite call into an sfa_err: SQLITE_BUSY/LOCKED become
 * SFA_EBUSY naming the store, anything else SFA_ESTORE with SQLite's
 * message after `what`.  Returns the code. */
int sfa_store_sqlerr(sfa_store *st, sfa_err *err, const char *what);

/* Prepares sql and binds the snapshot id to ?1 when it has parameters;
 * *out is finalized by the caller (or by sfa_store_each_row()). */
int sfa_store_prep(sfa_store *st, const char *sql, long long snap,
		   sqlite3_stmt **out, const char *what, sfa_err *err);

/* Steps s (prepared by sfa_store_prep()) to the end, calling row(s, fn,
 * ud) per row when row is set, and finalizes it.  A non-zero row() result
 * stops and is returned. */
int sfa_store_each_row(sfa_store *st, sqlite3_stmt *s,
		       int (*row)(sqlite3_stmt *, void *, void *), void *fn,
		       void *ud, const char *what, sfa_err *err);

/* Runs a statement prepared by sfa_store_prep() to completion and
 * finalizes it. */
int sfa_store_run(sfa_store *st, sqlite3_stmt *s, const char *what,
		  sfa_err *err);

/* Runs sql, statements without parameters (BEGIN, COMMIT, a schema
 * step, a temporary table). */
int sfa_store_exec(sfa_store *st, const char *sql, const char *what,
		   sfa_err *err);

/* The snapshot being written (sfa_store_begin_snapshot()), 0 when none. */
long long sfa_store_writing(const sfa_store *st);

/* Frees the numbers the open snapshot gave its field names (schema v15)
 * once every FieldPermissions row is in: the finish needs them no more. */
void sfa_store_field_names_free(sfa_store *st);

/* The capture time tests pin (UTC ISO 8601), NULL for the wall clock. */
const char *sfa_store_pinned_now(const sfa_store *st);

/* The connection, for what a statement's result does not tell: changes,
 * the last rowid, the transaction state, the busy timeout. */
sqlite3 *sfa_store_sqlite(sfa_store *st);

#endif
