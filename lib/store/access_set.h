/*
 * access_set.h - the access_set table: each user's effective access rows
 * of a snapshot stored as one access set (access_pack.h).  Part of the
 * store; the access model (access.c, access_rules.c) writes sets through
 * it and the readers (store_read.c, store_hash.c, perm.c) decode them.
 */
#ifndef SFA_ACCESS_SET_H
#define SFA_ACCESS_SET_H

#include "access_pack.h"
#include "err.h"
#include "store.h"

#include <sqlite3.h>

/* A writer stores users' access sets into snapshot snap: add a user's
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

/* Moves a v3 access table into access sets (schema migration 4). */
int sfa_access_set_migrate(sfa_store *st, sfa_err *err);

#endif
