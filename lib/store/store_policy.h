/*
 * store_policy.h - the store readers the policy checks need beyond the
 * access rows (store.h), and the login history: rows of LoginHistory kept
 * per org in an append-only table (POLICY.md "Login activity").
 *
 * Readers call back once per row with strings borrowed for the call; a
 * non-zero return stops and is returned.
 */
#ifndef SFA_STORE_POLICY_H
#define SFA_STORE_POLICY_H

#include "access_pack.h"
#include "err.h"
#include "store.h"

typedef struct sfa_policy_user {
	const char *id, *username, *email, *federation_id; /* NULL if none */
	int is_active, is_frozen;
	const char *user_type, *last_login_at, *profile_id;
	long long key; /* the sfid key access sets name the user by */
} sfa_policy_user;
typedef int (*sfa_policy_user_fn)(void *ud, const sfa_policy_user *u);
/* Every user of snapshot snap, in no particular order. */
int sfa_store_policy_users(sfa_store *st, long long snap,
			   sfa_policy_user_fn fn, void *ud, sfa_err *err);

typedef struct sfa_expired {
	const char *user_id, *assignment_id;
	const char *type; /* permission_set | permission_set_group */
	const char *id, *name, *expiration_date;
} sfa_expired;
typedef int (*sfa_expired_fn)(void *ud, const sfa_expired *e);
/* PermissionSetAssignments whose ExpirationDate is before `before`. */
int sfa_store_policy_expired(sfa_store *st, long long snap, const char *before,
			     sfa_expired_fn fn, void *ud, sfa_err *err);

/* The API name of every permission set, permission set group, group
 * (DeveloperName) and profile (Name): type, Salesforce Id, name ("" when
 * none), a group's Type (NULL for the others) and the sfid key. */
typedef int (*sfa_policy_name_fn)(void *ud, const char *type, const char *id,
				  const char *name, const char *group_type,
				  long long key);
int sfa_store_policy_names(sfa_store *st, long long snap,
			   sfa_policy_name_fn fn, void *ud, sfa_err *err);

/* Every connected app with the number of OAuth tokens naming it, of
 * those last used at or after `since`, and its sfid key. */
typedef int (*sfa_policy_app_fn)(void *ud, const char *id, const char *name,
				 long long tokens, long long used,
				 long long key);
int sfa_store_policy_apps(sfa_store *st, long long snap, const char *since,
			  sfa_policy_app_fn fn, void *ud, sfa_err *err);

/* Every user's effective access rows, decoded but without names (the
 * keys are sfid keys): a reader of millions of rows that needs only a
 * few of them.  Users come in key order. */
typedef int (*sfa_policy_set_fn)(void *ud, long long user_key,
				 const sfa_access_set *set);
int sfa_store_policy_each_set(sfa_store *st, long long snap,
			      sfa_policy_set_fn fn, void *ud, sfa_err *err);

/* ---- login history ---- */
typedef struct sfa_login {
	const char *id, *user_id, *login_time; /* login_time canonical UTC */
	const char *login_type, *status, *source_ip, *application, *browser,
	    *platform, *auth_method_reference; /* NULL when empty */
} sfa_login;
typedef int (*sfa_login_fn)(void *ud, const sfa_login *l);

/* The newest LoginTime held for org ("" in out when none); out has 21
 * bytes. */
int sfa_store_logins_newest(sfa_store *st, const char *org_id, char out[21],
			    sfa_err *err);
/* How many rows are held for org. */
int sfa_store_logins_count(sfa_store *st, const char *org_id, long long *n,
			   sfa_err *err);
/* Appending: begin, put rows (a row already held is skipped), then commit
 * or roll back.  Not while a snapshot is being written. */
int sfa_store_logins_begin(sfa_store *st, sfa_err *err);
int sfa_store_logins_put(sfa_store *st, const char *org_id, const sfa_login *l,
			 sfa_err *err);
int sfa_store_logins_commit(sfa_store *st, sfa_err *err);
void sfa_store_logins_rollback(sfa_store *st);
/* The successful logins of user_id at or after `from`, oldest first (only
 * login_time, login_type, source_ip and application are filled). */
int sfa_store_logins_after(sfa_store *st, const char *org_id,
			   const char *user_id, const char *from,
			   sfa_login_fn fn, void *ud, sfa_err *err);
/* Each user's newest successful login at or before `upto`: called with the
 * user Id as l->user_id and the time as l->login_time. */
int sfa_store_logins_latest(sfa_store *st, const char *org_id, const char *upto,
			    sfa_login_fn fn, void *ud, sfa_err *err);

#endif
