/*
 * changefile.c - reading the change file (lib/apply/CHANGEFILE.md): the header,
 * each operation row checked on its own, and the list of problems, every
 * one with its line; none stops the parse.  The CSV itself is read by
 * csv_read.c, the fields cell by changefile_fields.c; plan writes
 * change files with changefile_write.c.
 */
#include "changefile.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "changefile_int.h"
#include "csv_io.h"
#include "file.h"

#define ALIAS_MAX 8

/* ---- names ---- */

static const char *const op_names[] = {"create_user", "grant", "revoke",
				       "set_status"};
static const char *const rtype_names[] = {"group",
					  "role",
					  "profile",
					  "permission_set",
					  "permission_set_group",
					  "permission_set_license",
					  "package_license",
					  "territory",
					  "user"};
#define N_RTYPES ((int)(sizeof(rtype_names) / sizeof(rtype_names[0])))

const char *sfa_op_name(sfa_op op)
{
	return op_names[op];
}

const char *sfa_rtype_name(sfa_rtype t)
{
	return rtype_names[t];
}

static int lookup(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* ---- rows ---- */

typedef struct parse_state {
	sfa_changefile *cf;
	sfa_problems *probs;
	int col[NCOLS]; /* cell index of each column, once the header is read */
	int ncells;
	int have_header;
	int bad_header;
} parse_state;

static void change_free(sfa_change *c)
{
	free(c->resource);
	free(c->user);
	free(c->fields);
	free(c->comment);
	sfa_kv_free(c->kv, c->nkv);
}

void sfa_changefile_free(sfa_changefile *cf)
{
	size_t i;

	if (!cf)
		return;
	for (i = 0; i < cf->n; i++)
		change_free(&cf->rows[i]);
	free(cf->rows);
	free(cf->path);
	free(cf);
}

static int header(parse_state *ps, long line, char **cells, int n)
{
	int i, c, rc;

	ps->have_header = 1;
	for (c = 0; c < NCOLS; c++)
		ps->col[c] = -1;
	ps->ncells = n;
	for (i = 0; i < n; i++) {
		c = lookup(col_names, NCOLS, cells[i]);
		if (c < 0) {
			ps->bad_header = 1;
			if ((rc = sfa_problem_add(
				 ps->probs, line,
				 "header: unknown column `%s` (the header is "
				 "op,resource_type,resource,user,fields,"
				 "comment)",
				 cells[i])))
				return rc;
		} else if (ps->col[c] >= 0) {
			ps->bad_header = 1;
			if ((rc = sfa_problem_add(ps->probs, line,
						  "header: column %s twice",
						  cells[i])))
				return rc;
		} else {
			ps->col[c] = i;
		}
	}
	for (c = 0; c < NCOLS; c++)
		if (ps->col[c] < 0) {
			ps->bad_header = 1;
			if ((rc = sfa_problem_add(
				 ps->probs, line,
				 "header: column %s is missing (the header "
				 "row op,resource_type,resource,user,fields,"
				 "comment is required)",
				 col_names[c])))
				return rc;
		}
	return 0;
}

static int looks_like_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at > s && at[1] && !strchr(at + 1, '@') &&
	       strchr(at + 1, '.') && !strpbrk(s, " \t,;<>\"");
}

/* Characters of a UTF-8 string (continuation bytes are not counted). */
static size_t utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* The offline checks of a create_user row's fields. */
static int check_create_fields(parse_state *ps, long line, const sfa_change *c,
			       int *bad)
{
	static const char *const required[] = {"LastName", "Email", "Alias",
					       "Profile", "TimeZoneSidKey"};
	static const char *const refused[] = {"Id", "Username", "ProfileId",
					      "IsActive"};
	const char *v;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		v = sfa_change_field(c, required[i]);
		if (!v || !*v) {
			*bad = 1;
			if ((rc = sfa_problem_add(ps->probs, line,
						  "create_user: fields need "
						  "%s",
						  required[i])))
				return rc;
		}
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (sfa_change_field(c, refused[i])) {
			*bad = 1;
			if ((rc = sfa_problem_add(
				 ps->probs, line,
				 "create_user: %s is not a field here (%s)",
				 refused[i],
				 strcmp(refused[i], "Username") == 0
				     ? "the user column is the Username"
				 : strcmp(refused[i], "ProfileId") == 0
				     ? "use Profile, a name or an Id"
				 : strcmp(refused[i], "IsActive") == 0
				     ? "a new user is active; use set_status"
				     : "Salesforce assigns it")))
				return rc;
		}
	if ((v = sfa_change_field(c, "Alias")) && utf8_len(v) > ALIAS_MAX) {
		*bad = 1;
		if ((rc = sfa_problem_add(ps->probs, line,
					  "create_user: Alias `%s` is longer "
					  "than %d characters",
					  v, ALIAS_MAX)))
			return rc;
	}
	if ((v = sfa_change_field(c, "Email")) && *v && !looks_like_email(v)) {
		*bad = 1;
		if ((rc = sfa_problem_add(ps->probs, line,
					  "create_user: Email `%s` is not an "
					  "email address",
					  v)))
			return rc;
	}
	if (!looks_like_email(c->user)) {
		*bad = 1;
		if ((rc = sfa_problem_add(ps->probs, line,
					  "create_user: the Username `%s` "
					  "must have the form of an email "
					  "address",
					  c->user)))
			return rc;
	}
	return 0;
}

static int check_status_fields(parse_state *ps, long line, const sfa_change *c,
			       int *bad)
{
	const char *v = sfa_change_field(c, "IsActive");

	if (c->nkv == 1 && v &&
	    (strcmp(v, "true") == 0 || strcmp(v, "false") == 0))
		return 0;
	*bad = 1;
	return sfa_problem_add(ps->probs, line,
			       "set_status: fields must be IsActive=true or "
			       "IsActive=false");
}

/* A row identical in op, type, resource and user to an earlier one is a
 * reviewing mistake worth pointing out, not something to do twice. */
static const sfa_change *same_as(const sfa_changefile *cf, const sfa_change *c)
{
	size_t i;

	for (i = 0; i < cf->n; i++) {
		const sfa_change *o = &cf->rows[i];

		if (o->op == c->op && o->rtype == c->rtype &&
		    strcmp(o->resource, c->resource) == 0 &&
		    (c->op == SFA_OP_CREATE_USER
			 ? strcasecmp(o->user, c->user) == 0
			 : strcmp(o->user, c->user) == 0))
			return o;
	}
	return NULL;
}

/* Parses c->fields into c->kv / c->nkv, which stay empty on an error. */
static int parse_fields(sfa_change *c, sfa_err *e)
{
	sfa_kv *kv;
	size_t nkv;
	int rc = sfa_fields_parse(c->fields, &kv, &nkv, e);

	if (rc)
		return rc;
	c->kv = kv;
	c->nkv = nkv;
	return 0;
}

static int operation(parse_state *ps, long line, char **cells, int n)
{
	sfa_change c = {0};
	const sfa_change *dup;
	const char *op, *type;
	sfa_err e;
	int bad = 0, rc, o, t;

	if (n != ps->ncells)
		return sfa_problem_add(ps->probs, line,
				       "%d cells where the header has %d", n,
				       ps->ncells);
	op = cells[ps->col[COL_OP]];
	type = cells[ps->col[COL_TYPE]];
	c.line = line;
	o = lookup(op_names, 4, op);
	t = lookup(rtype_names, N_RTYPES, type);
	if (o < 0) {
		return sfa_problem_add(ps->probs, line,
				       "unknown op `%s` (grant, revoke, "
				       "create_user or set_status)",
				       op);
	}
	c.op = (sfa_op)o;
	if (strcmp(type, "connected_app") == 0)
		return sfa_problem_add(ps->probs, line,
				       "connected apps are not provisioned");
	if (strcmp(type, "custom_permission") == 0)
		return sfa_problem_add(ps->probs, line,
				       "custom permissions are not provisioned "
				       "(grant the permission set that has "
				       "one)");
	if (t < 0)
		return sfa_problem_add(
		    ps->probs, line,
		    "unknown resource_type `%s` (group, role, profile, "
		    "permission_set, permission_set_group, "
		    "permission_set_license, package_license, territory, "
		    "user)",
		    type);
	c.rtype = (sfa_rtype)t;
	if ((c.op == SFA_OP_GRANT || c.op == SFA_OP_REVOKE) ==
	    (c.rtype == SFA_RT_USER))
		return sfa_problem_add(ps->probs, line,
				       "%s does not take resource_type %s", op,
				       type);
	if (!(c.resource = strdup(cells[ps->col[COL_RESOURCE]])) ||
	    !(c.user = strdup(cells[ps->col[COL_USER]])) ||
	    !(c.fields = strdup(cells[ps->col[COL_FIELDS]])) ||
	    !(c.comment = strdup(cells[ps->col[COL_COMMENT]]))) {
		change_free(&c);
		return SFA_ENOMEM;
	}
	rc = 0;
	if (!*c.user) {
		bad = 1;
		rc = sfa_problem_add(ps->probs, line, "the user is empty");
	}
	if (!rc && c.rtype != SFA_RT_USER && !*c.resource) {
		bad = 1;
		rc = sfa_problem_add(ps->probs, line, "the resource is empty");
	}
	if (!rc && c.rtype == SFA_RT_USER && *c.resource) {
		bad = 1;
		rc = sfa_problem_add(ps->probs, line,
				     "%s takes no resource (the user column "
				     "names the user)",
				     op);
	}
	sfa_err_clear(&e);
	if (!rc && parse_fields(&c, &e)) {
		if (e.code == SFA_ENOMEM)
			rc = SFA_ENOMEM;
		else {
			bad = 1;
			rc = sfa_problem_add(ps->probs, line, "%s", e.msg);
		}
	} else if (!rc && c.rtype != SFA_RT_USER && c.nkv) {
		bad = 1;
		rc = sfa_problem_add(ps->probs, line, "%s %s takes no fields",
				     op, type);
	} else if (!rc && c.op == SFA_OP_CREATE_USER && *c.user) {
		rc = check_create_fields(ps, line, &c, &bad);
	} else if (!rc && c.op == SFA_OP_SET_STATUS) {
		rc = check_status_fields(ps, line, &c, &bad);
	}
	if (!rc && !bad && (dup = same_as(ps->cf, &c))) {
		bad = 1;
		rc = sfa_problem_add(ps->probs, line,
				     "the same operation as line %ld",
				     dup->line);
	}
	if (rc || bad) {
		change_free(&c);
		return rc;
	}
	{
		sfa_change *v =
		    realloc(ps->cf->rows, (ps->cf->n + 1) * sizeof(*v));

		if (!v) {
			change_free(&c);
			return SFA_ENOMEM;
		}
		ps->cf->rows = v;
		v[ps->cf->n++] = c;
	}
	return 0;
}

static int on_change_row(void *ud, long line, char **cells, int n)
{
	parse_state *ps = ud;

	if (!ps->have_header)
		return header(ps, line, cells, n);
	if (ps->bad_header)
		return 0;
	return operation(ps, line, cells, n);
}

int sfa_changefile_parse(sfa_changefile **out, const char *name,
			 const char *data, size_t len, sfa_problems *probs,
			 sfa_err *err)
{
	parse_state ps = {0};
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t i;
	int rc;

	*out = NULL;
	if (!(ps.cf = calloc(1, sizeof(*ps.cf))) ||
	    !(ps.cf->path = strdup(name))) {
		free(ps.cf);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL)) {
		sfa_changefile_free(ps.cf);
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 failed");
	}
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(ps.cf->sha256 + 2 * i, 3, "%02x", md[i]);
	ps.probs = probs;
	rc = sfa_csv_read(data, len, SFA_CSVR_COMMENTS, on_change_row, &ps,
			  probs);
	if (!rc && !ps.have_header && !probs->n)
		rc = sfa_problem_add(probs, 1,
				     "no header row (op,resource_type,"
				     "resource,user,fields,comment is "
				     "required)");
	if (rc) {
		sfa_changefile_free(ps.cf);
		sfa_err_where(err, "%s", name);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	*out = ps.cf;
	return 0;
}

int sfa_changefile_load(sfa_changefile **out, const char *path,
			sfa_problems *probs, sfa_err *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = sfa_read_file(path, "the change file", SFA_FILE_ANY_SIZE,
				&data, &len, err)))
		return rc;
	rc = sfa_changefile_parse(out, path, data, len, probs, err);
	free(data);
	return rc;
}
