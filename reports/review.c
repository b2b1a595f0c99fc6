/*
 * review.c - the access review's checks.  Privileged items are few (a
 * handful of profiles and permission sets per org), so they are kept in a
 * sorted array and looked up per row; everything else is a test on the row.
 */
#include "review.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

const sfa_review_check sfa_review_checks[] = {
    {SFA_REVIEW_INACTIVE, "inactive-user-with-access",
     "an inactive user still holds access beyond their profile", 1},
    {SFA_REVIEW_EXPIRED, "expired-assignment",
     "an assignment whose expiration date is before the snapshot", 0},
    {SFA_REVIEW_TIER0, "privileged-tier-0",
     "a user holds a tier 0 privileged permission (full org compromise)", 0},
    {SFA_REVIEW_TIER0 << 1, "privileged-tier-1",
     "a user holds a tier 1 privileged permission (identity takeover)", 0},
    {SFA_REVIEW_TIER0 << 2, "privileged-tier-2",
     "a user holds a tier 2 privileged permission (sharing model bypass)", 0},
    {SFA_REVIEW_TIER0 << 3, "privileged-tier-3",
     "a user holds a tier 3 privileged permission (data theft)", 0},
    {SFA_REVIEW_TIER0 << 4, "privileged-tier-4",
     "a user holds a tier 4 privileged permission (control weakening)", 0},
    {SFA_REVIEW_NONSTANDARD, "non-standard-license",
     "a user whose user type is not Standard holds access", 1},
    {SFA_REVIEW_FROZEN, "frozen-user-with-access",
     "a frozen user still holds access beyond their profile", 1},
    {SFA_REVIEW_OUTDATED, "outdated-permission-set-group",
     "access through a permission set group whose Status is not Updated: "
     "Salesforce's aggregate may lag its components",
     0},
};
const int sfa_review_nchecks =
    sizeof(sfa_review_checks) / sizeof(sfa_review_checks[0]);

/* The privileged flags of lib/access/ACCESS-MODEL.md, with the names Setup
 * shows. */
static const struct {
	const char *field, *label;
	int tier; /* lib/access/PERMISSIONS.md §2 */
} privileges[] = {
    {"PermissionsModifyAllData", "Modify All Data", 0},
    {"PermissionsViewAllData", "View All Data", 2},
    {"PermissionsManageUsers", "Manage Users", 1},
    {"PermissionsAuthorApex", "Author Apex", 0},
    {"PermissionsCustomizeApplication", "Customize Application", 0},
};

typedef struct priv_item {
	char *id;    /* Salesforce id of the profile or permission set */
	char *label; /* "Modify All Data, View All Data" */
	int tier;    /* the lowest of its privileges' */
} priv_item;

/* Owns items[], outdated[] and every string in them. */
struct sfa_review {
	priv_item *items;
	size_t n, cap;
	int has_rows;	 /* the snapshot has privileged rows */
	char **outdated; /* ids of groups whose Status is not Updated */
	size_t noutdated, capoutdated;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A group whose Status is anything but Updated (a group without one, from
 * a store older than the Status, is taken as it was: Updated). */
static int load_group(void *ud, const sfa_resource_row *res)
{
	sfa_review *rv = ud;
	json_t *attrs = json_loads(res->attrs ? res->attrs : "{}", 0, NULL);
	const char *status =
	    json_string_value(json_object_get(attrs, "Status"));
	int rc = 0;

	if (status && strcmp(status, "Updated") != 0) {
		if (rv->noutdated == rv->capoutdated) {
			size_t cap = rv->capoutdated ? rv->capoutdated * 2 : 8;
			char **p = realloc(rv->outdated, cap * sizeof(*p));

			if (!p)
				rc = SFA_ENOMEM;
			else {
				rv->outdated = p;
				rv->capoutdated = cap;
			}
		}
		if (rc == 0 &&
		    !(rv->outdated[rv->noutdated++] = strdup(res->id))) {
			rv->noutdated--;
			rc = SFA_ENOMEM;
		}
	}
	json_decref(attrs);
	return rc;
}

static int is_outdated(const sfa_review *rv, const char *type, const char *id)
{
	return rv->noutdated && type && id &&
	       strcmp(type, "permission_set_group") == 0 &&
	       bsearch(&id, rv->outdated, rv->noutdated, sizeof(*rv->outdated),
		       cmp_str) != NULL;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const priv_item *)a)->id, ((const priv_item *)b)->id);
}

static int load_resource(void *ud, const sfa_resource_row *res)
{
	sfa_review *rv = ud;
	json_t *attrs = json_loads(res->attrs ? res->attrs : "{}", 0, NULL);
	char label[160] = ""; /* all five privileges fit */
	size_t i, len = 0;
	int w, tier = SFA_REVIEW_TIERS;

	if (!attrs)
		return 0; /* attrs come from SQLite's json_object(); never bad
			   */
	for (i = 0; i < sizeof(privileges) / sizeof(privileges[0]); i++) {
		if (!json_is_true(json_object_get(attrs, privileges[i].field)))
			continue;
		if (privileges[i].tier < tier)
			tier = privileges[i].tier;
		w = snprintf(label + len, sizeof(label) - len, "%s%s",
			     len ? ", " : "", privileges[i].label);
		if (w < 0 || (size_t)w >= sizeof(label) - len)
			break;
		len += (size_t)w;
	}
	json_decref(attrs);
	if (!label[0])
		return 0;
	if (SFA_GROW(rv->items, rv->cap, rv->n + 1))
		return SFA_ENOMEM;
	rv->items[rv->n].id = strdup(res->id);
	rv->items[rv->n].label = strdup(label);
	rv->items[rv->n].tier = tier;
	rv->n++;
	if (!rv->items[rv->n - 1].id || !rv->items[rv->n - 1].label)
		return SFA_ENOMEM;
	return 0;
}

int sfa_review_new(sfa_review **out, sfa_store *st, long long snapshot_id,
		   sfa_err *err)
{
	static const char *const types[] = {"profile", "permission_set"};
	sfa_review *rv = calloc(1, sizeof(*rv));
	int rc = 0;
	size_t i;

	*out = NULL;
	if (!rv)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	rc = sfa_store_has_privileged(st, snapshot_id, &rv->has_rows, err);
	for (i = 0; i < 2 && rc == 0 && !rv->has_rows; i++)
		rc = sfa_store_each_resource(st, snapshot_id, types[i],
					     load_resource, rv, err);
	if (rc == 0)
		rc = sfa_store_each_resource(st, snapshot_id,
					     "permission_set_group", load_group,
					     rv, err);
	if (rc == SFA_ENOMEM && err && !err->msg[0])
		sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (rc) {
		sfa_review_free(rv);
		return rc;
	}
	if (rv->n)
		qsort(rv->items, rv->n, sizeof(*rv->items), cmp_item);
	if (rv->noutdated)
		qsort(rv->outdated, rv->noutdated, sizeof(*rv->outdated),
		      cmp_str);
	*out = rv;
	return 0;
}

void sfa_review_free(sfa_review *rv)
{
	size_t i;

	if (!rv)
		return;
	for (i = 0; i < rv->n; i++) {
		free(rv->items[i].id);
		free(rv->items[i].label);
	}
	for (i = 0; i < rv->noutdated; i++)
		free(rv->outdated[i]);
	free(rv->outdated);
	free(rv->items);
	free(rv);
}

const char *sfa_review_privileges(const sfa_review *rv, const char *access_type,
				  const char *access_id)
{
	priv_item key = {NULL, NULL, 0}, *hit;

	if (!rv || !rv->n || !access_type || !access_id ||
	    (strcmp(access_type, "profile") != 0 &&
	     strcmp(access_type, "permission_set") != 0))
		return NULL;
	key.id = (char *)access_id;
	hit = bsearch(&key, rv->items, rv->n, sizeof(*rv->items), cmp_item);
	return hit ? hit->label : NULL;
}

static int review_tier(const sfa_review *rv, const char *access_id)
{
	priv_item key = {(char *)access_id, NULL, 0}, *hit;

	hit = bsearch(&key, rv->items, rv->n, sizeof(*rv->items), cmp_item);
	return hit && hit->tier < SFA_REVIEW_TIERS ? hit->tier : 0;
}

static int empty(const char *s)
{
	return !s || !*s;
}

unsigned sfa_review_flags(const sfa_review *rv, const sfa_access_row *r)
{
	unsigned f = 0;
	int beyond_profile =
	    !r->access_type || strcmp(r->access_type, "profile") != 0;

	if (!r->is_active && beyond_profile)
		f |= SFA_REVIEW_INACTIVE;
	if (r->is_frozen && beyond_profile)
		f |= SFA_REVIEW_FROZEN;
	/* Both are canonical UTC ISO 8601, so bytes order like times. */
	if (!empty(r->expires_at) && !empty(r->captured_at) &&
	    strcmp(r->expires_at, r->captured_at) < 0)
		f |= SFA_REVIEW_EXPIRED;
	if (r->tier >= 0 && r->tier < SFA_REVIEW_TIERS)
		f |= SFA_REVIEW_PRIVILEGED | (unsigned)SFA_REVIEW_TIER0 << r->tier;
	else if (sfa_review_privileges(rv, r->access_type, r->access_id))
		f |= SFA_REVIEW_PRIVILEGED |
		     (unsigned)SFA_REVIEW_TIER0 << review_tier(rv, r->access_id);
	if (!empty(r->user_type) && strcmp(r->user_type, "Standard") != 0)
		f |= SFA_REVIEW_NONSTANDARD;
	if (rv && (is_outdated(rv, r->access_type, r->access_id) ||
		   is_outdated(rv, r->via_type, r->via_id)))
		f |= SFA_REVIEW_OUTDATED;
	return f;
}

void sfa_review_flag_names(unsigned flags, char *out, size_t n)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {{SFA_REVIEW_PRIVILEGED, "privileged"},
		     {SFA_REVIEW_EXPIRED, "expired"},
		     {SFA_REVIEW_INACTIVE, "inactive"},
		     {SFA_REVIEW_FROZEN, "frozen"},
		     {SFA_REVIEW_NONSTANDARD, "non-standard"},
		     {SFA_REVIEW_OUTDATED, "outdated"}};
	size_t i, len = 0;

	if (n)
		out[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = strlen(names[i].name);

		if (!(flags & names[i].flag) || len + k + 2 > n)
			continue;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, names[i].name, k + 1);
		len += k;
	}
}
