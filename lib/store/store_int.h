/*
 * store_int.h - the store's handle with its record writers and id cache,
 * for the files that write raw records (store.c, and store_perm.c for the
 * permission facts) and the unit tests (tests/unit/store_fixture.h pins
 * the clock).  Every other file, in the store or above it, reaches the
 * database through store_db.h.
 */
#ifndef SFA_STORE_INT_H
#define SFA_STORE_INT_H

#include "sfid_cache.h"
#include "store.h"
#include "store_db.h"

#include <sqlite3.h>

/* Schema version this build writes (PRAGMA user_version). */
#define SFA_STORE_VERSION 15

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
	/* Records of each object the open snapshot keeps (a duplicate Id
	 * is not kept twice): the control totals' `stored`. */
	long long stored[SFA_OBJ_COUNT];
	struct sfa_field_names *fields; /* store_perm.c, for one snapshot */
};

/* The number of field name (Object.Field) in the snapshot being written,
 * stored in perm_field_name the first time the snapshot meets it
 * (schema v15). */
int sfa_store_field_number(sfa_store *st, const char *field,
			   sqlite3_int64 *out, sfa_err *err);

/* The integer key of Salesforce id `id` in sfid, added when new (store.c
 * explains cached and likely_new). */
int sfa_store_intern(sfa_store *st, const char *id, int cached,
		     unsigned char *likely_new, sqlite3_int64 *out,
		     sfa_err *err);

#endif
