/*
 * approvals.c - which changes a change file (change-file.md) approves, for
 * the change report's JUnit (`report changes --approved FILE`).
 *
 * Matching, per change-file row (user: the Id, 15 or 18 characters, or the
 * Username, ASCII case-insensitive; resource: the Id, 15 or 18, or the API
 * name, DeveloperName of groups, roles and permission set groups, Name of
 * permission sets and profiles, in either snapshot):
 *   grant  T R U  approves the added rows of U whose access is (T, R), and
 *                 those via (T, R) (what flows from the grant: a group's
 *                 nested rows, a permission set group's components); for
 *                 T = profile or role also the `changed` ProfileId /
 *                 UserRoleId of U to R and the removed row of U's former
 *                 profile or role (a user holds one).
 *   revoke T R U  the same for removed rows (and `changed` from R).
 *   set_status U IsActive=V  the `changed` IsActive of U to V.
 * Resource changes and other attribute changes are never approved.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "changefile.h"
#include "report_changes.h"

struct sfa_approvals {
	sfa_changefile *cf;
	char (*ids)[2][24]; /* per row: the resource's Id in from / to */
};

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
	const char *api;
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
	for (i = 0; api && i < rs->a->cf->n; i++) {
		const sfa_change *c = &rs->a->cf->rows[i];

		if (strcmp(rtype_name(c->rtype), r->type) == 0 &&
		    strcmp(c->resource, api) == 0)
			snprintf(rs->a->ids[i][rs->side], 24, "%s", r->id);
	}
	json_decref(attrs);
	return 0;
}

int sfa_approvals_load(sfa_approvals **out, sfa_store *st, sfa_diff *d,
		       const char *path, sfa_err *err)
{
	static const char *const named[] = {"group",
					    "role",
					    "profile",
					    "permission_set",
					    "permission_set_group",
					    "permission_set_license",
					    "package_license",
					    "territory"};
	sfa_problems probs = {0};
	sfa_approvals *a;
	size_t k;
	int rc, side;

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
	if (a->cf->n && !(a->ids = calloc(a->cf->n, sizeof(*a->ids)))) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto fail;
	}
	for (side = 0; side < 2; side++)
		for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
			resolve rs = {a, side};

			if ((rc = sfa_store_each_resource(
				 st, side ? sfa_diff_to(d) : sfa_diff_from(d),
				 named[k], on_resource, &rs, err)))
				goto fail;
		}
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
	if (!a)
		return;
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

static int row_approves(const sfa_approvals *a, size_t i,
			const sfa_diff_change *d)
{
	const sfa_change *c = &a->cf->rows[i];
	const sfa_access_row *r = &d->row;
	const char *t = rtype_name(c->rtype);
	int single = c->rtype == SFA_RT_PROFILE || c->rtype == SFA_RT_ROLE;

	if (!r->user_id || !user_is(c, r))
		return 0;
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
