/*
 * approvals.c - which changes a change file (lib/apply/CHANGEFILE.md) approves,
 * for the change report's JUnit (`report changes --approved FILE`).
 *
 * Matching, per change-file row (user: the Id, 15 or 18 characters, or the
 * Username, ASCII case-insensitive; resource: the Id, 15 or 18, or the API
 * name, DeveloperName of groups, roles and permission set groups, Name of
 * permission sets and profiles, in either snapshot -- or, as apply takes
 * them, the label of a group, permission set or permission set group that
 * no other one has):
 *   grant  T R U  approves the added rows of U whose access is (T, R), and
 *                 those via (T, R) (what flows from the grant: a group's
 *                 nested rows, a permission set group's components); for
 *                 T = profile or role also the `changed` ProfileId /
 *                 UserRoleId of U to R and the removed row of U's former
 *                 profile or role (a user holds one).
 *   revoke T R U  the same for removed rows (and `changed` from R).
 *   set_status U IsActive=V  the `changed` IsActive of U to V.
 *
 * And the consequences the access model (lib/access/ACCESS-MODEL.md, Effective
 * access rows) derives from an approved operation, read from U's rows in
 * the two snapshots:
 *   revoke profile P  (U held P) U's new profile row: the revoke moves U
 *                 to the least-privileged profile of the license; and the
 *                 rows through the new profile.  A profile grant: the
 *                 rows through the former profile.
 *   role R        the groups U reached through the role (Role and
 *                 RoleAndSubordinates groups, rule 6) and every group
 *                 reached through those by nesting (rule 7); a grant
 *                 also the former role's.
 *   set_status    the Organization group (rule 8: active users) and the
 *                 groups nesting it.
 *   create_user   the new user's profile row, rows through it, and the
 *                 Organization group's (and those nesting it).
 * Resource changes and other attribute changes are never approved.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "changefile.h"
#include "grow.h"
#include "report_changes.h"

/* Group ids. */
typedef struct idset {
	char (*v)[24];
	size_t n, cap;
} idset;

/* What one change-file row brings with it in one snapshot (0 from, 1
 * to): the groups whose rows of its user follow from it, and whether its
 * user held the row's profile. */
typedef struct effects {
	idset groups[2];
	int held_profile;
} effects;

struct sfa_approvals {
	sfa_changefile *cf;
	char (*ids)[2][24]; /* per row: the resource's Id in from / to */
	/* per row and side: the Id of the resource with that label, how many
	 * have it, and whether an API name matched (it wins) */
	char (*label_ids)[2][24];
	int (*labels)[2], (*by_name)[2];
	effects *fx;	    /* per row */
	idset org_groups[2]; /* the Organization groups, from / to */
};

static int idset_has(const idset *s, const char *id)
{
	size_t i;

	for (i = 0; id && i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return 1;
	return 0;
}

static int idset_add(idset *s, const char *id)
{
	if (!id || idset_has(s, id))
		return 0;
	if (SFA_GROW(s->v, s->cap, s->n + 1))
		return SFA_ENOMEM;
	snprintf(s->v[s->n++], 24, "%s", id);
	return 0;
}

static const char *rtype_name(sfa_rtype t)
{
	return (unsigned)t <= SFA_RT_USER ? sfa_rtype_name(t) : "";
}

/* Whether an access row's type is what a change row of type t changes:
 * a queue is a group to the change file. */
static int type_is(const char *access_type, const char *t)
{
	return access_type &&
	       (strcmp(access_type, t) == 0 ||
		(strcmp(access_type, "queue") == 0 && strcmp(t, "group") == 0));
}

/* ---- resolving API names to ids ---- */

typedef struct resolve {
	sfa_approvals *a;
	int side; /* 0 from, 1 to */
} resolve;

static int on_resource(void *ud, const sfa_resource_row *r)
{
	resolve *rs = ud;
	json_t *attrs = json_loads(r->attrs ? r->attrs : "{}", 0, NULL);
	const char *api, *label;
	size_t i;

	if (!attrs)
		return 0;
	api = json_string_value(
	    json_object_get(attrs, strcmp(r->type, "permission_set") == 0 ||
					   strcmp(r->type, "profile") == 0
				       ? "Name"
				   : strcmp(r->type, "package_license") == 0
				       ? "NamespacePrefix"
				       : "DeveloperName"));
	if (strcmp(r->type, "group") == 0 &&
	    json_string_value(json_object_get(attrs, "Type")) &&
	    strcmp(json_string_value(json_object_get(attrs, "Type")),
		   "Organization") == 0 &&
	    idset_add(&rs->a->org_groups[rs->side], r->id)) {
		json_decref(attrs);
		return SFA_ENOMEM;
	}
	label = json_string_value(json_object_get(
	    attrs, !strcmp(r->type, "permission_set")	    ? "Label"
		   : !strcmp(r->type, "group")		    ? "Name"
		   : !strcmp(r->type, "permission_set_group") ? "MasterLabel"
							    : ""));
	for (i = 0; i < rs->a->cf->n; i++) {
		const sfa_change *c = &rs->a->cf->rows[i];

		if (strcmp(rtype_name(c->rtype), r->type) != 0)
			continue;
		if (api && strcmp(c->resource, api) == 0) {
			snprintf(rs->a->ids[i][rs->side], 24, "%s", r->id);
			rs->a->by_name[i][rs->side] = 1;
		} else if (label && strcasecmp(c->resource, label) == 0 &&
			   rs->a->labels[i][rs->side]++ == 0) {
			snprintf(rs->a->label_ids[i][rs->side], 24, "%s",
				 r->id);
		}
	}
	json_decref(attrs);
	return 0;
}

static int same_id(const char *want, const char *id);

/* ---- the consequences of each row, from its user's rows ---- */

/* One access row of a user, kept for the closure. */
typedef struct urow {
	char type[24], id[24], via_type[24], via_id[24];
} urow;

typedef struct urows {
	urow *v;
	size_t n, cap;
} urows;

static int on_user_row(void *ud, const sfa_access_row *r)
{
	urows *u = ud;
	urow *x;

	if (SFA_GROW(u->v, u->cap, u->n + 1))
		return SFA_ENOMEM;
	x = &u->v[u->n++];
	snprintf(x->type, sizeof(x->type), "%s", r->access_type);
	snprintf(x->id, sizeof(x->id), "%s", r->access_id);
	snprintf(x->via_type, sizeof(x->via_type), "%s",
		 r->via_type ? r->via_type : "");
	snprintf(x->via_id, sizeof(x->via_id), "%s", r->via_id ? r->via_id : "");
	return 0;
}

/* Adds to s every group the user reaches through a group already in s
 * (nesting, to any depth). */
static int close_nesting(idset *s, const urows *u)
{
	size_t i, before;

	do {
		before = s->n;
		for (i = 0; i < u->n; i++)
			if (type_is(u->v[i].type, "group") &&
			    !strcmp(u->v[i].via_type, "group") &&
			    idset_has(s, u->v[i].via_id) &&
			    idset_add(s, u->v[i].id))
				return SFA_ENOMEM;
	} while (s->n != before);
	return 0;
}

/* The groups row i brings its user in one snapshot (side), from the
 * user's rows there. */
static int row_effects(sfa_approvals *a, size_t i, int side, const urows *u)
{
	const sfa_change *c = &a->cf->rows[i];
	effects *fx = &a->fx[i];
	idset *g = &fx->groups[side];
	size_t k;
	int rc = 0;

	for (k = 0; k < u->n && !rc; k++) {
		const urow *r = &u->v[k];

		/* Where the groups start: the role's (rule 6), or the
		 * Organization group's (rule 8). */
		int starts = c->rtype == SFA_RT_ROLE
				 ? !strcmp(r->via_type, "role")
				 : (c->op == SFA_OP_SET_STATUS ||
				    c->op == SFA_OP_CREATE_USER) &&
				       idset_has(&a->org_groups[side], r->id);

		if (starts && !strcmp(r->type, "group"))
			rc = idset_add(g, r->id);
		if (!side && c->rtype == SFA_RT_PROFILE &&
		    !strcmp(r->type, "profile") &&
		    !strcmp(r->via_type, "direct") &&
		    (same_id(c->resource, r->id) ||
		     same_id(a->ids[i][0], r->id)))
			fx->held_profile = 1;
	}
	return rc ? rc : close_nesting(g, u);
}

static int load_effects(sfa_approvals *a, sfa_store *st, sfa_diff *d,
			sfa_err *err)
{
	urows u = {0};
	size_t i;
	int side, rc = 0;

	for (i = 0; i < a->cf->n && !rc; i++) {
		const sfa_change *c = &a->cf->rows[i];
		sfa_access_filter f = {c->user, NULL, 0, 0};

		if (c->rtype != SFA_RT_ROLE && c->rtype != SFA_RT_PROFILE &&
		    c->op != SFA_OP_SET_STATUS && c->op != SFA_OP_CREATE_USER)
			continue;
		for (side = 0; side < 2 && !rc; side++) {
			u.n = 0;
			rc = sfa_store_each_access(
			    st, side ? sfa_diff_to(d) : sfa_diff_from(d), &f,
			    on_user_row, &u, err);
			/* A user not in one snapshot has no rows there. */
			if (rc == SFA_ENOTFOUND) {
				sfa_err_clear(err);
				rc = 0;
				continue;
			}
			if (!rc)
				rc = row_effects(a, i, side, &u);
		}
	}
	free(u.v);
	return rc == SFA_ENOMEM ? sfa_err_set(err, rc, "out of memory") : rc;
}

/* A resource no API name matched is the one whose label it is, when
 * that label is one resource's in the snapshot; several: an error. */
static int take_labels(sfa_approvals *a, const char *path, sfa_err *err)
{
	size_t i;
	int side;

	for (i = 0; i < a->cf->n; i++)
		for (side = 0; side < 2; side++) {
			if (a->by_name[i][side] || !a->labels[i][side])
				continue;
			if (a->labels[i][side] > 1)
				return sfa_err_set(
				    err, SFA_EINPUT,
				    "%s:%ld: ambiguous %s `%s`: %d have that "
				    "label in the %s snapshot; give the API name "
				    "or the Id",
				    path, a->cf->rows[i].line,
				    rtype_name(a->cf->rows[i].rtype),
				    a->cf->rows[i].resource,
				    a->labels[i][side], side ? "to" : "from");
			memcpy(a->ids[i][side], a->label_ids[i][side], 24);
		}
	return 0;
}

int sfa_approvals_load(sfa_approvals **out, sfa_store *st, sfa_diff *d,
		       const char *path, sfa_err *err)
{
	sfa_problems probs = {0};
	sfa_approvals *a;
	int rc, side, t;

	*out = NULL;
	if (!(a = calloc(1, sizeof(*a))))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if ((rc = sfa_changefile_load(&a->cf, path, &probs, err)))
		goto fail;
	if (probs.n) {
		sfa_problems_sort(&probs);
		rc = sfa_err_set(err, SFA_EINPUT, "%s:%ld: %s", path,
				 probs.v[0].line, probs.v[0].msg);
		goto fail;
	}
	if (a->cf->n && (!(a->ids = calloc(a->cf->n, sizeof(*a->ids))) ||
			 !(a->fx = calloc(a->cf->n, sizeof(*a->fx))) ||
			 !(a->label_ids =
			       calloc(a->cf->n, sizeof(*a->label_ids))) ||
			 !(a->labels = calloc(a->cf->n, sizeof(*a->labels))) ||
			 !(a->by_name = calloc(a->cf->n, sizeof(*a->by_name))))) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto fail;
	}
	/* Every resource type a change row can name (the types before
	 * user), each stored under the change file's name of it. */
	for (side = 0; side < 2; side++)
		for (t = 0; t < SFA_RT_USER; t++) {
			resolve rs = {a, side};

			if ((rc = sfa_store_each_resource(
				 st, side ? sfa_diff_to(d) : sfa_diff_from(d),
				 sfa_rtype_name((sfa_rtype)t), on_resource,
				 &rs, err))) {
				if (rc == SFA_ENOMEM)
					sfa_err_set(err, rc, "out of memory");
				goto fail;
			}
		}
	if ((rc = take_labels(a, path, err)) ||
	    (rc = load_effects(a, st, d, err)))
		goto fail;
	sfa_problems_free(&probs);
	*out = a;
	return 0;
fail:
	sfa_problems_free(&probs);
	sfa_approvals_free(a);
	return rc;
}

void sfa_approvals_free(sfa_approvals *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; a->fx && i < a->cf->n; i++) {
		free(a->fx[i].groups[0].v);
		free(a->fx[i].groups[1].v);
	}
	free(a->fx);
	free(a->label_ids);
	free(a->labels);
	free(a->by_name);
	free(a->org_groups[0].v);
	free(a->org_groups[1].v);
	sfa_changefile_free(a->cf);
	free(a->ids);
	free(a);
}

const char *sfa_approvals_file(const sfa_approvals *a)
{
	return a->cf->path;
}

const char *sfa_approvals_sha256(const sfa_approvals *a)
{
	return a->cf->sha256;
}

/* ---- matching ---- */

/* want (from the change file) names the Salesforce id `id`: equal, or
 * the 15-character form of the 18-character id. */
static int same_id(const char *want, const char *id)
{
	if (!want || !id || !*want)
		return 0;
	return strcmp(want, id) == 0 ||
	       (strlen(want) == 15 && strlen(id) == 18 &&
		strncmp(want, id, 15) == 0);
}

static int user_is(const sfa_change *c, const sfa_access_row *r)
{
	return same_id(c->user, r->user_id) ||
	       (r->username && strcasecmp(c->user, r->username) == 0);
}

static int resource_is(const sfa_approvals *a, size_t i, const char *id)
{
	const sfa_change *c = &a->cf->rows[i];

	return same_id(c->resource, id) || same_id(a->ids[i][0], id) ||
	       same_id(a->ids[i][1], id);
}

/* The rows of d's user that follow from row i (the header comment's
 * second part). */
static int consequence(const sfa_approvals *a, size_t i,
		       const sfa_diff_change *d)
{
	const sfa_change *c = &a->cf->rows[i];
	const effects *fx = &a->fx[i];
	const sfa_access_row *r = &d->row;
	int added = d->kind == SFA_DIFF_ADDED,
	    removed = d->kind == SFA_DIFF_REMOVED;
	const char *via = r->via_type ? r->via_type : "";

	if (!added && !removed)
		return 0;
	/* Groups reached through what the row changed, in the snapshot
	 * the row was there (removed: from, added: to): through the role
	 * (rule 6) or, for a status, the Organization group's direct rows
	 * (rule 8); and through those by nesting (rule 7). */
	if (type_is(r->access_type, "group") &&
	    idset_has(&fx->groups[added], r->access_id)) {
		const char *active = sfa_change_field(c, "IsActive");

		if (c->rtype == SFA_RT_ROLE)
			return !strcmp(via, "role") || !strcmp(via, "group");
		if (strcmp(via, "direct") != 0 && strcmp(via, "group") != 0)
			return 0;
		if (c->op == SFA_OP_CREATE_USER)
			return added;
		if (c->op == SFA_OP_SET_STATUS)
			return added == (active && !strcasecmp(active, "true"));
	}
	/* A grant of a role replaces the former one, rows through it too. */
	if (c->rtype == SFA_RT_ROLE && c->op == SFA_OP_GRANT && removed &&
	    !strcmp(via, "role"))
		return 1;
	if (c->rtype == SFA_RT_PROFILE && c->op == SFA_OP_REVOKE && added &&
	    fx->held_profile &&
	    ((!strcmp(r->access_type, "profile") && !strcmp(via, "direct")) ||
	     !strcmp(via, "profile")))
		return 1;
	if (c->rtype == SFA_RT_PROFILE && c->op == SFA_OP_GRANT && removed &&
	    !strcmp(via, "profile"))
		return 1;
	if (c->op == SFA_OP_CREATE_USER && added &&
	    ((!strcmp(r->access_type, "profile") && !strcmp(via, "direct")) ||
	     !strcmp(via, "profile")))
		return 1;
	return 0;
}

static int row_approves(const sfa_approvals *a, size_t i,
			const sfa_diff_change *d)
{
	const sfa_change *c = &a->cf->rows[i];
	const sfa_access_row *r = &d->row;
	const char *t = rtype_name(c->rtype);
	int single = c->rtype == SFA_RT_PROFILE || c->rtype == SFA_RT_ROLE;

	if (!r->user_id || !user_is(c, r))
		return 0;
	if (consequence(a, i, d))
		return 1;
	if (d->kind == SFA_DIFF_CHANGED) {
		if (c->op == SFA_OP_SET_STATUS) {
			const char *v = sfa_change_field(c, "IsActive");

			return strcmp(d->field, "IsActive") == 0 && v &&
			       d->new_value && strcasecmp(v, d->new_value) == 0;
		}
		if (!single || strcmp(d->field, c->rtype == SFA_RT_PROFILE
						    ? "ProfileId"
						    : "UserRoleId") != 0)
			return 0;
		return resource_is(
		    a, i, c->op == SFA_OP_GRANT ? d->new_value : d->old_value);
	}
	if (!((c->op == SFA_OP_GRANT && d->kind == SFA_DIFF_ADDED) ||
	      (c->op == SFA_OP_REVOKE && d->kind == SFA_DIFF_REMOVED) ||
	      (c->op == SFA_OP_GRANT && single && d->kind == SFA_DIFF_REMOVED &&
	       type_is(r->access_type, t) &&
	       strcmp(r->via_type, "direct") == 0)))
		return 0;
	if (d->kind == SFA_DIFF_REMOVED && c->op == SFA_OP_GRANT)
		return 1; /* the profile or role the grant replaced */
	return (type_is(r->access_type, t) &&
		resource_is(a, i, r->access_id)) ||
	       (r->via_type && strcmp(r->via_type, t) == 0 &&
		resource_is(a, i, r->via_id));
}

long sfa_approvals_match(const sfa_approvals *a, const sfa_diff_change *d)
{
	size_t i;

	for (i = 0; a && i < a->cf->n; i++)
		if (row_approves(a, i, d))
			return a->cf->rows[i].line;
	return 0;
}
