/*
 * store_int.h - what the store's own files (store.c, store_read.c,
 * store_hash.c, access*.c) and its unit tests share: the handle and the
 * error helper.  Nothing outside the store module includes this.
 */
#ifndef SFA_STORE_INT_H
#define SFA_STORE_INT_H

#include "access_pack.h"
#include "sfid_cache.h"
#include "store.h"

#include <sqlite3.h>

/* Schema version this build writes (PRAGMA user_version). */
#define SFA_STORE_VERSION 14

/* The most fields of a synced object (objects.h); store.c checks. */
#define SFA_STORE_MAX_FIELDS 24

struct sfa_store {
	sqlite3 *db;
	char *path;
	unsigned flags;
	long long snap; /* the snapshot being written, 0 when none */
	sqlite3_stmt *ins[SFA_OBJ_COUNT];
	sqlite3_stmt *sfid_get, *sfid_put;
	sqlite3_stmt
	    *left_out_put; /* SQL_INS_LEFT_OUT, prepared at first use */
	sfa_sfid_cache *cache;
	/* Per object and field, whether its next id is likely new (store.c
	 * intern()). */
	unsigned char likely_new[SFA_OBJ_COUNT][SFA_STORE_MAX_FIELDS];
	/* Tests pin the clock here (UTC ISO 8601) to get distinct, known
	 * capture times; NULL means the wall clock. */
	const char *now;
	long finish_cpu[3]; /* sfa_store_finish_cpu()'s, in its order */
	/* Records of each object the open snapshot keeps (a duplicate Id
	 * is not kept twice): the control totals' `stored`. */
	long long stored[SFA_OBJ_COUNT];
	const struct sfa_priv *priv; /* sfa_store_set_privileged()'s */
	struct sfa_field_names *fields; /* store_perm.c, for one snapshot */
};

/* The number of field name (Object.Field) in the snapshot being written,
 * stored in perm_field_name the first time the snapshot meets it
 * (schema v14). */
int sfa_store_field_number(sfa_store *st, const char *field,
			   sqlite3_int64 *out, sfa_err *err);
void sfa_store_field_names_free(sfa_store *st);

/* Turns a failed SQLite call into an sfa_err: SQLITE_BUSY/LOCKED become
 * SFA_EBUSY naming the store, anything else SFA_ESTORE with SQLite's
 * message after `what`.  Returns the code. */
int sfa_store_sqlerr(sfa_store *st, sfa_err *err, const char *what);

/* Prepares sql and binds the snapshot id to ?1; *out is finalized by the
 * caller.  Errors as sfa_store_sqlerr(). */
int sfa_store_prep(sfa_store *st, const char *sql, long long snap,
		   sqlite3_stmt **out, const char *what, sfa_err *err);

/* Steps s (prepared by sfa_store_prep()) to the end, calling row(s, fn,
 * ud) per row when row is set, and finalizes it.  A non-zero row() result
 * stops and is returned; SQLite errors as sfa_store_sqlerr(). */
int sfa_store_each_row(sfa_store *st, sqlite3_stmt *s,
		       int (*row)(sqlite3_stmt *, void *, void *), void *fn,
		       void *ud, const char *what, sfa_err *err);

/* Runs a statement prepared by sfa_store_prep() to completion and
 * finalizes it. */
int sfa_store_run(sfa_store *st, sqlite3_stmt *s, const char *what,
		  sfa_err *err);

/* The integer key of Salesforce id `id` in sfid, added when new (store.c
 * explains cached and likely_new). */
int sfa_store_intern(sfa_store *st, const char *id, int cached,
		     unsigned char *likely_new, sqlite3_int64 *out,
		     sfa_err *err);

/* The content hash of snapshot id as 64 hex digits, and its number of
 * resources (store_hash.c). */
int sfa_store_content_hash(sfa_store *st, long long id, char hex[65],
			   long long *n_resources, sfa_err *err);

/* ---- access sets (access_set.c) ----
 * A writer stores users' access sets into snapshot snap: add a user's
 * rows in the order the rules grant them (texts are copied), then flush
 * them as that user's set.  With prev (a complete snapshot of the same
 * org, else 0) first_seen_at carries over for the rows prev has.  The
 * caller frees the writer. */
typedef struct sfa_access_writer sfa_access_writer;
int sfa_access_writer_new(sfa_store *st, long long snap, long long prev,
			  sfa_access_writer **out, sfa_err *err);
/* 0 or SFA_ENOMEM. */
int sfa_access_writer_add(sfa_access_writer *w, int type, long long access_id,
			  int via_type, long long via_id,
			  const char *assigned_at, const char *expires_at,
			  const char *first_seen_at);
int sfa_access_writer_flush(sfa_access_writer *w, long long user_id,
			    sfa_err *err);
void sfa_access_writer_free(sfa_access_writer *w);

/* Decodes the access set of user_id into set (empty when the user has
 * none); of_user is SQL_ACCESS_SET_OF_USER prepared for the snapshot. */
int sfa_access_set_read(sfa_store *st, sqlite3_stmt *of_user, long long user_id,
			sfa_access_set *set, sfa_err *err);

/* Applies access-model.md rules 1-9 to the open snapshot, storing each
 * user's rows with w (access_rules.c). */
int sfa_access_rules_run(sfa_store *st, sfa_access_writer *w, sfa_err *err);

/* Moves a v3 access table into access sets (schema migration 4). */
int sfa_access_set_migrate(sfa_store *st, sfa_err *err);

#endif
