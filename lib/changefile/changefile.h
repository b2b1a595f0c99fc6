/*
 * changefile.h - the change file of lib/apply/CHANGEFILE.md: what a reviewer
 * reads and approves, and the only input of apply.  Parsing checks everything
 * that can be checked offline and reports every problem with its line;
 * resolving names against the org is apply's job (apply_resolve.c).  The
 * writer is what plan uses, on top of the one CSV writer.
 */
#ifndef SFA_CHANGEFILE_H
#define SFA_CHANGEFILE_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "problems.h"

typedef enum {
	SFA_OP_CREATE_USER, /* execution order: create_user, grant, revoke, */
	SFA_OP_GRANT,	    /* set_status (lib/apply/CHANGEFILE.md step 3) */
	SFA_OP_REVOKE,
	SFA_OP_SET_STATUS
} sfa_op;

typedef enum {
	SFA_RT_GROUP,
	SFA_RT_ROLE,
	SFA_RT_PROFILE,
	SFA_RT_PERMISSION_SET,
	SFA_RT_PERMISSION_SET_GROUP,
	/* entitlements (issue 17) */
	SFA_RT_PERMISSION_SET_LICENSE,
	SFA_RT_PACKAGE_LICENSE,
	SFA_RT_TERRITORY,
	SFA_RT_USER /* last: the resource types come before it */
} sfa_rtype;

/* One Key=Value of the fields column, unquoted. */
typedef struct sfa_kv {
	char *key, *value;
} sfa_kv;

/* One operation row.  line is the file line the row starts on. */
typedef struct sfa_change {
	long line;
	sfa_op op;
	sfa_rtype rtype;
	char *resource; /* "" for create_user and set_status */
	char *user;	/* Id or Username */
	char *fields;	/* the raw cell, as reviewed */
	char *comment;
	sfa_kv *kv;
	size_t nkv;
} sfa_change;

typedef struct sfa_changefile {
	char *path;
	char sha256[65]; /* of the file's bytes, lowercase hex */
	sfa_change *rows;
	size_t n;
} sfa_changefile;

/* Reads and parses path.  Rows with problems are left out of *out and
 * each problem is added to probs with its line; the caller decides
 * whether to go on (apply does not).  Returns 0 (check probs->n), or an
 * error for what stops parsing altogether (cannot read, SFA_ENOMEM),
 * with err->where = path.  *out is freed with sfa_changefile_free(). */
int sfa_changefile_load(sfa_changefile **out, const char *path,
			sfa_problems *probs, sfa_err *err);
/* The same over bytes in memory; name stands for the path. */
int sfa_changefile_parse(sfa_changefile **out, const char *name,
			 const char *data, size_t len, sfa_problems *probs,
			 sfa_err *err);
void sfa_changefile_free(sfa_changefile *cf);

/* The value of key in c's fields (exact match), or NULL. */
const char *sfa_change_field(const sfa_change *c, const char *key);

const char *sfa_op_name(sfa_op op);
const char *sfa_rtype_name(sfa_rtype t);

/* Parses the fields cell `K=V;K2="v;with=specials"` into *kv (*n pairs;
 * free with sfa_kv_free).  SFA_EINPUT with a message when malformed. */
int sfa_fields_parse(const char *s, sfa_kv **kv, size_t *n, sfa_err *err);
void sfa_kv_free(sfa_kv *kv, size_t n);

/* ---- writing (plan) ---- */

typedef struct sfa_changefile_writer sfa_changefile_writer;

/* Starts a change file on f (borrowed): writes the header row. */
int sfa_changefile_writer_new(sfa_changefile_writer **out, FILE *f,
			      sfa_err *err);
/* One operation row; resource, fields and comment may be NULL. */
int sfa_changefile_write(sfa_changefile_writer *w, sfa_op op, sfa_rtype t,
			 const char *resource, const char *user,
			 const char *fields, const char *comment, sfa_err *err);
/* A `# ...` comment line; line breaks in text become spaces so that the
 * comment stays one line. */
int sfa_changefile_comment(sfa_changefile_writer *w, const char *text,
			   sfa_err *err);
/* Operation rows written so far. */
long long sfa_changefile_rows(const sfa_changefile_writer *w);
void sfa_changefile_writer_free(sfa_changefile_writer *w);

#endif
