/*
 * apply_resolve.c - step 1 of apply against the org: every user and
 * resource of the change file looked up live, by Id or by its unique API
 * name -- or, for groups, permission sets and permission set groups, by
 * a label no other one of them has -- in batched IN queries (every value
 * through sfa_soql_quote, at most 200 per query and a few KB of SOQL so
 * URIs stay far below 16 KB).
 */
#include "apply_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "grow.h"
#include "soql.h"

#define BATCH_VALUES 200
#define BATCH_BYTES 4000 /* of SOQL; URL-encoding may triple it */

/* One record the org answered. */
typedef struct found {
	char id[19];
	char *name;  /* the API name (Username for users) */
	char *label; /* the label a person reads, when it has one */
	char *aux;   /* Group Type; UserLicense Name of a profile or user */
	char *aux2;  /* User ProfileId; PermissionSet PermissionSetGroupId */
	int flag;    /* User IsActive; PermissionSet IsOwnedByProfile */
} found;

typedef struct found_list {
	found *v;
	size_t n, cap;
} found_list;

/* What to ask for one kind of reference. */
typedef struct spec {
	const char *what;   /* "permission set", for messages */
	const char *object; /* sObject */
	const char *prefix; /* Id key prefix */
	const char *fields; /* SELECT list */
	const char *name, *aux, *aux2, *flag; /* field paths, NULL if none */
	const char *label; /* field path of a label that may name it too */
	const char *where; /* a fixed condition on the records, or NULL */
} spec;

static const spec user_spec = {
    "user",	 "User",
    "005",	 "Id, Username, IsActive, ProfileId, Profile.UserLicense.Name",
    "Username",	 "Profile.UserLicense.Name",
    "ProfileId", "IsActive",
    NULL,	 NULL};

static const spec rtype_spec[] = {
    [SFA_RT_GROUP] = {"group", "Group", "00G", "Id, DeveloperName, Type, Name",
		      "DeveloperName", "Type", NULL, NULL, "Name", NULL},
    [SFA_RT_ROLE] = {"role", "UserRole", "00E", "Id, DeveloperName",
		     "DeveloperName", NULL, NULL, NULL, NULL, NULL},
    [SFA_RT_PROFILE] = {"profile", "Profile", "00e",
			"Id, Name, UserLicense.Name", "Name",
			"UserLicense.Name", NULL, NULL, NULL, NULL},
    [SFA_RT_PERMISSION_SET] = {"permission set", "PermissionSet", "0PS",
			       "Id, Name, PermissionSetGroupId, "
			       "IsOwnedByProfile, Label",
			       "Name", NULL, "PermissionSetGroupId",
			       "IsOwnedByProfile", "Label", NULL},
    [SFA_RT_PERMISSION_SET_GROUP] = {"permission set group",
				     "PermissionSetGroup", "0PG",
				     "Id, DeveloperName, MasterLabel",
				     "DeveloperName", NULL, NULL, NULL,
				     "MasterLabel", NULL},
    /* entitlements (issue 17): licences by their API names, territories
     * of the active model only (the only ones a snapshot holds) */
    [SFA_RT_PERMISSION_SET_LICENSE] = {"permission set licence",
				       "PermissionSetLicense", "0PL",
				       "Id, DeveloperName", "DeveloperName",
				       NULL, NULL, NULL, NULL, NULL},
    [SFA_RT_PACKAGE_LICENSE] = {"package licence", "PackageLicense", "050",
				"Id, NamespacePrefix", "NamespacePrefix", NULL,
				NULL, NULL, NULL, NULL},
    [SFA_RT_TERRITORY] = {"territory of the active model", "Territory2", "0MI",
			  "Id, DeveloperName", "DeveloperName", NULL, NULL,
			  NULL, NULL, "Territory2Model.State = 'Active'"},
};

int sfa_apply_same_id(const char *a, const char *b)
{
	return a && b && strlen(a) >= 15 && strlen(b) >= 15 &&
	       strncmp(a, b, 15) == 0;
}

void sfa_apply_copy_id(char dst[19], const json_t *v)
{
	const char *s = json_string_value(v);

	snprintf(dst, 19, "%s", s ? s : "");
}

static int looks_like_id(const char *s, const char *prefix)
{
	size_t n = strlen(s), i;

	if ((n != 15 && n != 18) || strncmp(s, prefix, 3) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

/* ---- a set of values to look up ---- */

typedef struct batch {
	const char **v;
	size_t n, cap;
} batch;

static int batch_add(batch *b, const char *s)
{
	if (SFA_GROW(b->v, b->cap, b->n + 1))
		return SFA_ENOMEM;
	b->v[b->n++] = s;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

static void batch_unique(batch *b)
{
	size_t i, j = 0;

	if (!b->n)
		return;
	qsort(b->v, b->n, sizeof(*b->v), cmp_str);
	for (i = 1; i < b->n; i++)
		if (strcasecmp(b->v[i], b->v[j]) != 0)
			b->v[++j] = b->v[i];
	b->n = j + 1;
}

/* ---- records ---- */

static void found_free(found_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].label);
		free(l->v[i].aux);
		free(l->v[i].aux2);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The value at a dotted path ("Profile.UserLicense.Name"), or NULL. */
static json_t *path_get(json_t *rec, const char *path)
{
	char key[64];

	while (rec && path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		rec = json_object_get(rec, key);
		path = dot ? dot + 1 : NULL;
	}
	return rec;
}

static char *dup_path(json_t *rec, const char *path)
{
	const char *s = path ? json_string_value(path_get(rec, path)) : NULL;

	return s ? strdup(s) : NULL;
}

typedef struct collect {
	const spec *sp;
	found_list *out;
} collect;

static int on_record(void *ud, json_t *rec, sfa_err *err)
{
	collect *c = ud;
	found f;

	memset(&f, 0, sizeof(f));
	if (SFA_GROW(c->out->v, c->out->cap, c->out->n + 1))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	sfa_apply_copy_id(f.id, json_object_get(rec, "Id"));
	f.name = dup_path(rec, c->sp->name);
	f.label = dup_path(rec, c->sp->label);
	f.aux = dup_path(rec, c->sp->aux);
	f.aux2 = dup_path(rec, c->sp->aux2);
	f.flag = c->sp->flag && json_is_true(path_get(rec, c->sp->flag));
	c->out->v[c->out->n++] = f;
	return 0;
}

/* SELECT <fields> FROM <object> WHERE <field> IN (...) [OR <field2> IN
 * (the same)] over the values of b, in chunks; every record is added to
 * out.  field2 (may be NULL) asks for labels in the same request. */
static int lookup_in(sfa_sf *sf, const spec *sp, const char *field,
		     const char *field2, const batch *b, found_list *out,
		     sfa_err *err)
{
	collect c = {sp, out};
	sfa_buf q = {0}, list = {0};
	size_t i = 0;
	int rc = 0;

	while (i < b->n && !rc) {
		size_t k = 0;

		sfa_buf_reset(&q);
		sfa_buf_reset(&list);
		/* The list goes in twice with field2: half the bytes. */
		for (; i < b->n && k < BATCH_VALUES &&
		       (k == 0 ||
			list.len < (field2 ? BATCH_BYTES / 2 : BATCH_BYTES));
		     i++, k++) {
			char *lit = sfa_soql_quote(b->v[i]);

			if (!lit || (k && sfa_buf_puts(&list, ",")) ||
			    sfa_buf_puts(&list, lit)) {
				free(lit);
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
				break;
			}
			free(lit);
		}
		if (!rc &&
		    (sfa_buf_printf(&q, "SELECT %s FROM %s WHERE (%s IN (%s)",
				    sp->fields, sp->object, field, list.data) ||
		     (field2 && sfa_buf_printf(&q, " OR %s IN (%s)", field2,
					       list.data)) ||
		     sfa_buf_puts(&q, ")") ||
		     (sp->where && sfa_buf_printf(&q, " AND %s", sp->where))))
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		if (!rc)
			rc = sfa_sf_query(sf, q.data, 0, on_record, &c, err);
	}
	sfa_buf_free(&q);
	sfa_buf_free(&list);
	return rc;
}

/* Looks up every reference in refs (Ids and names mixed) of one kind. */
static int lookup_refs(sfa_sf *sf, const spec *sp, const batch *refs,
		       found_list *out, sfa_err *err)
{
	batch ids = {0}, names = {0};
	size_t i;
	int rc = 0;

	for (i = 0; i < refs->n && !rc; i++)
		rc = batch_add(looks_like_id(refs->v[i], sp->prefix) ? &ids
								     : &names,
			       refs->v[i]);
	if (rc)
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	batch_unique(&ids);
	batch_unique(&names);
	if (!rc && ids.n)
		rc = lookup_in(sf, sp, "Id", NULL, &ids, out, err);
	if (!rc && names.n)
		rc = lookup_in(sf, sp, sp->name, sp->label, &names, out, err);
	free(ids.v);
	free(names.v);
	return rc;
}

/* Whether f is what ref names: by Id, by API name or (by_label) by label,
 * compared as Salesforce compares them (case-insensitively). */
static int names(const found *f, const char *ref, int by_id, int by_label)
{
	if (by_id)
		return sfa_apply_same_id(f->id, ref);
	if (by_label)
		return f->label && strcasecmp(f->label, ref) == 0;
	return f->name && strcasecmp(f->name, ref) == 0;
}

/* The records ref names: by Id, or by API name; when no API name is ref,
 * by label.  Returns how many distinct ones (a record found both by Id
 * and by name counts once); *first the first, *by_label how they were
 * matched. */
static size_t match_how(const found_list *l, const spec *sp, const char *ref,
			const found **first, int *by_label)
{
	size_t i, n = 0;
	int by_id = looks_like_id(ref, sp->prefix);

	*first = NULL;
	*by_label = 0;
	for (i = 0; !by_id && sp->label && i < l->n; i++)
		if (names(&l->v[i], ref, 0, 0))
			break;
	*by_label = !by_id && sp->label && i == l->n;
	for (i = 0; i < l->n; i++) {
		const found *f = &l->v[i];

		size_t j;

		if (!names(f, ref, by_id, *by_label))
			continue;
		for (j = 0; j < i; j++)
			if (sfa_apply_same_id(l->v[j].id, f->id))
				break;
		if (j < i)
			continue;
		if (!n++)
			*first = f;
	}
	return n;
}

static size_t match(const found_list *l, const spec *sp, const char *ref,
		    const found **first)
{
	int by_label;

	return match_how(l, sp, ref, first, &by_label);
}

/* ---- resolving ---- */

typedef struct ctx {
	struct sfa_apply *a;
	sfa_problems *probs;
	found_list users, res[SFA_RT_USER], targets;
} ctx;

static int problem_match(ctx *x, long line, const spec *sp, const char *ref,
			 size_t n, const found_list *l)
{
	char cands[600] = "";
	const found *first;
	size_t i, len = 0;
	int by_label;

	if (n == 0)
		return sfa_problem_add(x->probs, line, "unknown %s `%s`",
				       sp->what, ref);
	match_how(l, sp, ref, &first, &by_label);
	/* Each candidate by its API name, Id and (a group's type, a
	 * profile's license) what tells it apart. */
	for (i = 0; i < l->n && len + 120 < sizeof(cands); i++)
		if (names(&l->v[i], ref, 0, by_label) &&
		    !strstr(cands, l->v[i].id))
			len += (size_t)snprintf(
			    cands + len, sizeof(cands) - len, "%s%s %s%s%s%s",
			    len ? ", " : "", l->v[i].name ? l->v[i].name : "?",
			    l->v[i].id, l->v[i].aux ? " (" : "",
			    l->v[i].aux ? l->v[i].aux : "",
			    l->v[i].aux ? ")" : "");
	return sfa_problem_add(x->probs, line,
			       "ambiguous %s `%s`: %zu have that %s (%s); "
			       "give the API name or the Id",
			       sp->what, ref, n, by_label ? "label" : "name",
			       cands);
}

/* The create_user op of the file that makes username, or NULL. */
static const sfa_apply_op *creator_of(const struct sfa_apply *a,
				      const char *username)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->ops[i].c->op == SFA_OP_CREATE_USER &&
		    strcasecmp(a->ops[i].c->user, username) == 0)
			return &a->ops[i];
	return NULL;
}

static int set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = strdup(s ? s : "");
	return *dst ? 0 : SFA_ENOMEM;
}

static int resolve_user(ctx *x, sfa_apply_op *op)
{
	const sfa_change *c = op->c;
	const found *f;
	size_t n = match(&x->users, &user_spec, c->user, &f);

	if (n == 1) {
		memcpy(op->user_id, f->id, sizeof(op->user_id));
		return set_str(&op->user_name, f->name);
	}
	if (set_str(&op->user_name, c->user))
		return SFA_ENOMEM;
	if (c->op == SFA_OP_CREATE_USER)
		return 0; /* a new user: nothing to find */
	if (n == 0 && (op->creator = creator_of(x->a, c->user)) != NULL)
		return 0;
	return problem_match(x, c->line, &user_spec, c->user, n, &x->users);
}

/* The checks that depend on what the resource is. */
static int check_resource(ctx *x, sfa_apply_op *op, const found *f)
{
	const sfa_change *c = op->c;

	switch (c->rtype) {
	case SFA_RT_GROUP:
		if (!f->aux || (strcmp(f->aux, "Regular") != 0 &&
				strcmp(f->aux, "Queue") != 0))
			return sfa_problem_add(
			    x->probs, c->line,
			    "group `%s` is of type %s: only Regular and Queue "
			    "groups are provisioned (membership of the others "
			    "follows roles or the org)",
			    f->name, f->aux ? f->aux : "(none)");
		break;
	case SFA_RT_PERMISSION_SET:
		if (f->flag)
			return sfa_problem_add(
			    x->probs, c->line,
			    "permission set `%s` belongs to a profile; grant "
			    "or revoke the profile",
			    f->name);
		if (f->aux2)
			return sfa_problem_add(
			    x->probs, c->line,
			    "permission set `%s` stands for a permission set "
			    "group; use resource_type permission_set_group",
			    f->name);
		break;
	default:
		break;
	}
	return 0;
}

static int resolve_resource(ctx *x, sfa_apply_op *op)
{
	const sfa_change *c = op->c;
	const spec *sp = &rtype_spec[c->rtype];
	const found *f;
	size_t n = match(&x->res[c->rtype], sp, c->resource, &f);
	if (n != 1)
		return problem_match(x, c->line, sp, c->resource, n,
				     &x->res[c->rtype]);
	memcpy(op->resource_id, f->id, sizeof(op->resource_id));
	if (set_str(&op->resource_name, f->name))
		return SFA_ENOMEM;
	if (c->rtype == SFA_RT_PROFILE && c->op == SFA_OP_REVOKE) {
		const char *target;

		/* The user holds the revoked profile (or the revoke is
		 * `already`), so the profile's license is the user's. */
		target = f->aux ? sfa_license_map_get(x->a->map, f->aux) : NULL;
		if (!target)
			return sfa_problem_add(
			    x->probs, c->line,
			    "revoking profile `%s`: no least-privileged "
			    "profile is mapped for its license `%s` (add it "
			    "to [license_profiles] or give --license-profile "
			    "\"%s=PROFILE\")",
			    f->name, f->aux ? f->aux : "",
			    f->aux ? f->aux : "LICENSE");
		if (set_str(&op->target_name, target))
			return SFA_ENOMEM;
	}
	return check_resource(x, op, f);
}

/* The profile targets (profile revoke, create_user) once their names are
 * known: one more batched lookup. */
static int resolve_targets(ctx *x, sfa_err *err)
{
	const spec *sp = &rtype_spec[SFA_RT_PROFILE];
	batch b = {0};
	size_t i;
	int rc = 0;

	for (i = 0; i < x->a->n && !rc; i++) {
		sfa_apply_op *op = &x->a->ops[i];

		if (op->c->op == SFA_OP_CREATE_USER)
			rc = set_str(&op->target_name,
				     sfa_change_field(op->c, "Profile"));
		if (!rc && op->target_name && *op->target_name)
			rc = batch_add(&b, op->target_name);
	}
	if (rc) {
		free(b.v);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	rc = lookup_refs(x->a->sf, sp, &b, &x->targets, err);
	free(b.v);
	for (i = 0; i < x->a->n && !rc; i++) {
		sfa_apply_op *op = &x->a->ops[i];
		const found *f;
		size_t n;

		if (!op->target_name || !*op->target_name)
			continue;
		n = match(&x->targets, sp, op->target_name, &f);
		if (n != 1) {
			rc = problem_match(x, op->c->line, sp, op->target_name,
					   n, &x->targets);
			continue;
		}
		memcpy(op->target_id, f->id, sizeof(op->target_id));
		if (set_str(&op->target_name, f->name))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		if (op->c->op == SFA_OP_REVOKE) {
			const found *rev;

			match(&x->res[SFA_RT_PROFILE], sp, op->c->resource,
			      &rev);
			if (rev && sfa_apply_same_id(rev->id, f->id))
				rc = sfa_problem_add(
				    x->probs, op->c->line,
				    "profile `%s` is itself the "
				    "least-privileged profile of its license",
				    f->name);
			else if (rev && rev->aux &&
				 (!f->aux || strcmp(rev->aux, f->aux) != 0))
				rc = sfa_problem_add(
				    x->probs, op->c->line,
				    "the least-privileged profile `%s` mapped "
				    "for license `%s` has license `%s`",
				    f->name, rev->aux, f->aux ? f->aux : "");
		}
	}
	return rc == SFA_ENOMEM ? sfa_err_set(err, rc, "out of memory") : rc;
}

int sfa_apply_resolve(struct sfa_apply *a, sfa_problems *probs, sfa_err *err)
{
	ctx x;
	batch users = {0}, res[SFA_RT_USER];
	size_t i;
	int t, rc = 0;

	memset(&x, 0, sizeof(x));
	memset(res, 0, sizeof(res));
	x.a = a;
	x.probs = probs;
	for (i = 0; i < a->n && !rc; i++)
		rc = batch_add(&users, a->ops[i].c->user);
	/* one batch of names per resource type (a user change has none) */
	for (t = 0; t < SFA_RT_USER && !rc; t++)
		for (i = 0; i < a->n && !rc; i++)
			if (a->ops[i].c->rtype == (sfa_rtype)t)
				rc = batch_add(&res[t], a->ops[i].c->resource);
	if (rc)
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (!rc)
		rc = lookup_refs(a->sf, &user_spec, &users, &x.users, err);
	for (t = 0; t < SFA_RT_USER && !rc; t++)
		if (res[t].n)
			rc = lookup_refs(a->sf, &rtype_spec[t], &res[t],
					 &x.res[t], err);
	for (i = 0; i < a->n && !rc; i++) {
		sfa_apply_op *op = &a->ops[i];

		rc = resolve_user(&x, op);
		if (!rc && op->c->rtype != SFA_RT_USER)
			rc = resolve_resource(&x, op);
		if (rc == SFA_ENOMEM)
			rc = sfa_err_set(err, rc, "out of memory");
	}
	if (!rc)
		rc = resolve_targets(&x, err);
	free(users.v);
	for (t = 0; t < SFA_RT_USER; t++) {
		free(res[t].v);
		found_free(&x.res[t]);
	}
	found_free(&x.users);
	found_free(&x.targets);
	return rc;
}
