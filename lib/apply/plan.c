/*
 * plan.c - `plan --review` (reviewed access review CSV -> revokes) and
 * `plan --revert-to` (the diff engine's changes since a snapshot, turned
 * around).  Rows are written with Ids, names go in the comment column;
 * what apply cannot do directly is written as a `#` line saying why.
 */
#include "plan.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "campaign.h"
#include "csv_io.h"
#include "diff.h"
#include "file.h"
#include "grow.h"

/* ---- group types of a snapshot (only Regular and Queue are provisioned) */

typedef struct gtype {
	char id[19];
	char type[40];
} gtype;

typedef struct gtypes {
	gtype *v;
	size_t n, cap;
} gtypes;

static int on_group(void *ud, const sfa_resource_row *r)
{
	gtypes *g = ud;
	json_t *attrs = json_loads(r->attrs ? r->attrs : "{}", 0, NULL);
	const char *t = json_string_value(json_object_get(attrs, "Type"));

	if (SFA_GROW(g->v, g->cap, g->n + 1)) {
		json_decref(attrs);
		return SFA_ENOMEM;
	}
	snprintf(g->v[g->n].id, sizeof(g->v[g->n].id), "%s", r->id);
	snprintf(g->v[g->n].type, sizeof(g->v[g->n].type), "%s", t ? t : "");
	g->n++;
	json_decref(attrs);
	return 0;
}

static int load_groups(sfa_store *st, long long snap, gtypes *g, sfa_err *err)
{
	int rc = sfa_store_each_resource(st, snap, "group", on_group, g, err);

	if (rc == SFA_ENOMEM)
		return sfa_err_set(err, rc, "out of memory");
	return rc;
}

/* The Type of group id, or NULL when unknown. */
static const char *group_type(const gtypes *g, const char *id)
{
	size_t i;

	for (i = 0; id && i < g->n; i++)
		if (strcmp(g->v[i].id, id) == 0)
			return g->v[i].type;
	return NULL;
}

static int provisionable_group(const char *type)
{
	return type && (!strcmp(type, "Regular") || !strcmp(type, "Queue"));
}

static int rtype_of(const char *access_type, sfa_rtype *out)
{
	static const struct {
		const char *name;
		sfa_rtype t;
	} map[] = {{"group", SFA_RT_GROUP},
		   {"queue", SFA_RT_GROUP}, /* queues are Groups */
		   {"role", SFA_RT_ROLE},
		   {"profile", SFA_RT_PROFILE},
		   {"permission_set", SFA_RT_PERMISSION_SET},
		   {"permission_set_group", SFA_RT_PERMISSION_SET_GROUP},
		   {"permission_set_license", SFA_RT_PERMISSION_SET_LICENSE},
		   {"package_license", SFA_RT_PACKAGE_LICENSE},
		   {"territory", SFA_RT_TERRITORY}};
	size_t i;

	for (i = 0; access_type && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, access_type) == 0) {
			*out = map[i].t;
			return 1;
		}
	return 0;
}

/* ---- a set of written operations, so a grant reached twice is one row */

typedef struct seen {
	char **v;
	size_t n, cap;
} seen;

/* 1 when key was new (and is now remembered), 0 when seen, <0 ENOMEM. */
static int remember(seen *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], key) == 0)
			return 0;
	if (SFA_GROW(s->v, s->cap, s->n + 1))
		return SFA_ENOMEM;
	if (!(s->v[s->n] = strdup(key)))
		return SFA_ENOMEM;
	s->n++;
	return 1;
}

static void seen_free(seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

typedef struct out {
	sfa_changefile_writer *w;
	sfa_plan_stats *stats;
	seen seen;
	sfa_err *err;
} out;

/* An empty plan with stats zeroed; o->w is opened by the caller, and
 * out_free() releases it with the rest, whether or not it was opened. */
static void out_init(out *o, sfa_plan_stats *stats, sfa_err *err)
{
	memset(o, 0, sizeof(*o));
	memset(stats, 0, sizeof(*stats));
	o->stats = stats;
	o->err = err;
}

static void out_free(out *o)
{
	sfa_changefile_writer_free(o->w);
	seen_free(&o->seen);
}

static int op(out *o, sfa_op kind, sfa_rtype t, const char *resource,
	      const char *user, const char *fields, const char *comment)
{
	char key[256];
	int rc;

	snprintf(key, sizeof(key), "%d|%d|%s|%s", (int)kind, (int)t,
		 resource ? resource : "", user ? user : "");
	if ((rc = remember(&o->seen, key)) <= 0)
		return rc ? sfa_err_set(o->err, SFA_ENOMEM, "out of memory")
			  : 0;
	if ((rc = sfa_changefile_write(o->w, kind, t, resource, user, fields,
				       comment, o->err)))
		return rc;
	o->stats->ops++;
	return 0;
}

static int note(out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int note(out *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->stats->comments++;
	return sfa_changefile_comment(o->w, buf, o->err);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- plan --review ---- */

enum {
	R_SNAPSHOT,
	R_USER_ID,
	R_USERNAME,
	R_TYPE,
	R_ID,
	R_NAME,
	R_VIA_TYPE,
	R_VIA_ID,
	R_VIA_NAME,
	R_DECISION,
	R_REVIEWER,
	R_COMMENT,
	R_NCOLS
};
static const char *const review_cols[R_NCOLS] = {
    "snapshot_id", "user_id",	  "username", "access_type",
    "access_id",   "access_name", "via_type", "via_id",
    "via_name",	   "decision",	  "reviewer", "comment"};
/* Columns a plan cannot do without. */
static const int review_required[] = {R_SNAPSHOT, R_USER_ID, R_TYPE,
				      R_ID,	  R_VIA_TYPE, R_DECISION};

typedef struct review {
	sfa_store *st;
	const char *path;
	const char *where; /* "review line" or "campaign 3 row" */
	sfa_problems *probs;
	out *o;
	int col[R_NCOLS];
	int have_header, bad_header, ncells;
	long long groups_of; /* the snapshot whose groups are loaded */
	long long checked;   /* the snapshot last found in the store */
	int groups_known;
	gtypes groups;
} review;

static const char *cell(const review *rv, char **cells, int c)
{
	return rv->col[c] >= 0 ? cells[rv->col[c]] : "";
}

static int review_header(review *rv, long line, char **cells, int n)
{
	char missing[256] = "";
	size_t i, used = 0;
	int c, k;

	rv->have_header = 1;
	rv->ncells = n;
	for (c = 0; c < R_NCOLS; c++) {
		rv->col[c] = -1;
		for (k = 0; k < n; k++)
			if (strcmp(cells[k], review_cols[c]) == 0)
				rv->col[c] = k;
	}
	/* One problem for the header, however many columns it lacks. */
	for (i = 0; i < sizeof(review_required) / sizeof(*review_required); i++)
		if (rv->col[review_required[i]] < 0 && used < sizeof(missing))
			used += (size_t)snprintf(
			    missing + used, sizeof(missing) - used, "%s%s",
			    used ? ", " : "", review_cols[review_required[i]]);
	if (!used)
		return 0;
	rv->bad_header = 1;
	return sfa_problem_add(rv->probs, line,
			       "%s %s %s missing: is this the access review "
			       "CSV of `sfaccess report access`?",
			       strchr(missing, ',') ? "columns" : "column",
			       missing, strchr(missing, ',') ? "are" : "is");
}

/* Group types of the review's snapshot, from the store when it has it. */
static int review_groups(review *rv, const char *snap, sfa_err *err)
{
	long long id = snap && *snap ? strtoll(snap, NULL, 10) : 0;
	int rc;

	if (rv->groups_of == id && (rv->groups_known || !id))
		return 0;
	rv->groups_of = id;
	rv->groups_known = 0;
	rv->groups.n = 0;
	if (!rv->st || !id)
		return 0;
	rc = load_groups(rv->st, id, &rv->groups, err);
	if (rc == SFA_ENOTFOUND || (rc == 0 && rv->groups.n == 0)) {
		sfa_err_clear(err);
		return 0;
	}
	if (!rc)
		rv->groups_known = 1;
	return rc;
}

static int on_review_snapshot(void *ud, const sfa_snapshot_info *s)
{
	snprintf(ud, 32, "%s", s->org_id);
	return 0;
}

/* The review's snapshot must be in the store: without it the group types
 * are unknown and every group revoke would turn into a comment. */
static int review_snapshot(review *rv, long line, const char *cell,
			   sfa_err *err)
{
	sfa_plan_stats *stats = rv->o->stats;
	char org[32] = "", *end;
	long long id;
	int rc;

	errno = 0;
	id = strtoll(cell, &end, 10);
	if (errno || end == cell || *end || id <= 0)
		return sfa_problem_add(rv->probs, line,
				       "snapshot_id `%s` is not a snapshot id",
				       cell);
	if (id == rv->checked)
		return 0;
	rc = sfa_store_get_snapshot(rv->st, id, on_review_snapshot, org, err);
	if (rc == SFA_ENOTFOUND) {
		sfa_err_where(err, "%s:%ld", rv->path, line);
		return sfa_err_set(err, SFA_ENOTFOUND,
				   "%s:%ld: the review is of snapshot %lld, "
				   "which is not in this store: give the "
				   "--store the review was made from",
				   rv->path, line, id);
	}
	if (rc)
		return rc;
	rv->checked = id;
	if (!stats->snapshot) {
		stats->snapshot = id;
		rc = sfa_store_latest_complete(rv->st, org, 0, &stats->latest,
					       err);
		if (rc == SFA_ENOTFOUND) {
			sfa_err_clear(err);
			rc = 0;
		}
	}
	return rc;
}

static int review_row(review *rv, long line, char **cells, int n)
{
	const char *decision = cell(rv, cells, R_DECISION);
	const char *type = cell(rv, cells, R_TYPE),
		   *via = cell(rv, cells, R_VIA_TYPE),
		   *user = cell(rv, cells, R_USER_ID),
		   *who = *cell(rv, cells, R_USERNAME)
			      ? cell(rv, cells, R_USERNAME)
			      : user,
		   *id = cell(rv, cells, R_ID),
		   *name =
		       *cell(rv, cells, R_NAME) ? cell(rv, cells, R_NAME) : id;
	char comment[768];
	sfa_rtype t;

	int rc;

	if (n != rv->ncells)
		return sfa_problem_add(rv->probs, line,
				       "%d cells where the header has %d", n,
				       rv->ncells);
	if ((rc = review_snapshot(rv, line, cell(rv, cells, R_SNAPSHOT),
				  rv->o->err)))
		return rc;
	if (!*decision) {
		rv->o->stats->undecided++;
		return 0;
	}
	if (!strcasecmp(decision, "keep")) {
		rv->o->stats->keep++;
		return 0;
	}
	if (strcasecmp(decision, "revoke") != 0)
		return sfa_problem_add(rv->probs, line,
				       "decision `%s` is neither keep nor "
				       "revoke",
				       decision);
	if (rv->probs->n)
		return 0; /* the plan will not be written; only look */
	if (strcmp(via, "direct") != 0)
		return note(rv->o,
			    "%s %ld: %s has %s %s (%s) through %s %s "
			    "(%s): not revocable directly; revoke the %s or "
			    "keep this row (not guessed)",
			    rv->where, line, who, type, name, id, via,
			    *cell(rv, cells, R_VIA_NAME)
				? cell(rv, cells, R_VIA_NAME)
				: cell(rv, cells, R_VIA_ID),
			    cell(rv, cells, R_VIA_ID), via);
	if (!rtype_of(type, &t))
		return note(rv->o,
			    "%s %ld: %s has %s %s (%s): %s access is "
			    "not provisioned",
			    rv->where, line, who, type, name, id, type);
	if (t == SFA_RT_GROUP) {
		if ((rc = review_groups(rv, cell(rv, cells, R_SNAPSHOT),
					rv->o->err)))
			return rc;
		if (!provisionable_group(group_type(&rv->groups, id)))
			return note(
			    rv->o,
			    "%s %ld: %s is in group %s (%s) of type "
			    "%s: only Regular and Queue groups are "
			    "provisioned",
			    rv->where, line, who, name, id,
			    group_type(&rv->groups, id)
				? group_type(&rv->groups, id)
				: "unknown (the review's snapshot is not in "
				  "the store)");
	}
	snprintf(comment, sizeof(comment),
		 "%s %ld: %s %s of %s%s%s%s%s", rv->where, line, type, name,
		 who,
		 *cell(rv, cells, R_REVIEWER) ? "; reviewer " : "",
		 cell(rv, cells, R_REVIEWER),
		 *cell(rv, cells, R_COMMENT) ? ": " : "",
		 cell(rv, cells, R_COMMENT));
	return op(rv->o, SFA_OP_REVOKE, t, id, user, NULL, comment);
}

static int on_review_row(void *ud, long line, char **cells, int n)
{
	review *rv = ud;

	if (!rv->have_header)
		return review_header(rv, line, cells, n);
	if (rv->bad_header)
		return 0;
	return review_row(rv, line, cells, n);
}

int sfa_plan_review(sfa_store *st, const char *path, FILE *f,
		    sfa_problems *probs, sfa_plan_stats *stats, sfa_err *err)
{
	char *text = NULL;
	size_t len = 0;
	review rv;
	out o;
	int rc;

	memset(&rv, 0, sizeof(rv));
	out_init(&o, stats, err);
	rv.st = st;
	rv.path = path;
	rv.where = "review line";
	rv.probs = probs;
	rv.o = &o;
	rv.groups_of = -1;
	if ((rc = sfa_read_file(path, NULL, SFA_FILE_ANY_SIZE, &text, &len,
				err)) ||
	    (rc = sfa_changefile_writer_new(&o.w, f, err)))
		goto out;
	if ((rc = note(&o,
		       "plan of the reviewed access review %s: a revoke "
		       "per row whose decision is revoke",
		       path)))
		goto out;
	stats->comments = 0;
	rc = sfa_csv_read(text, len, 0, on_review_row, &rv, probs);
	if (rc == SFA_ENOMEM)
		rc = sfa_err_set(err, rc, "out of memory");
	if (!rc && !rv.have_header && !probs->n)
		rc = sfa_problem_add(probs, 1, "the file is empty");
out:
	out_free(&o);
	free(rv.groups.v);
	free(text);
	return rc;
}

/* ---- plan --campaign: the campaign's decisions through the same rows
 * as a reviewed CSV, so both write the same change file ---- */

typedef struct campaign_plan {
	review *rv;
	long long snapshot_id;
	long long id;
} campaign_plan;

static int on_campaign_row(void *ud, const sfa_campaign_row *r)
{
	campaign_plan *cp = ud;
	char snap[24];
	char *cells[R_NCOLS];

	snprintf(snap, sizeof(snap), "%lld", cp->snapshot_id);
	cells[R_SNAPSHOT] = snap;
	cells[R_USER_ID] = (char *)r->cell[SFA_CC_USER_ID];
	cells[R_USERNAME] = (char *)r->cell[SFA_CC_USERNAME];
	cells[R_TYPE] = (char *)r->cell[SFA_CC_ACCESS_TYPE];
	cells[R_ID] = (char *)r->cell[SFA_CC_ACCESS_ID];
	cells[R_NAME] = (char *)r->cell[SFA_CC_ACCESS_NAME];
	cells[R_VIA_TYPE] = (char *)r->cell[SFA_CC_VIA_TYPE];
	cells[R_VIA_ID] = (char *)r->cell[SFA_CC_VIA_ID];
	cells[R_VIA_NAME] = (char *)r->cell[SFA_CC_VIA_NAME];
	cells[R_DECISION] = (char *)r->cell[SFA_CC_DECISION];
	cells[R_REVIEWER] = (char *)r->decided_by;
	cells[R_COMMENT] = (char *)r->cell[SFA_CC_COMMENT];
	return review_row(cp->rv, r->seq, cells, R_NCOLS);
}

static int on_campaign(void *ud, const sfa_campaign_info *c)
{
	((campaign_plan *)ud)->snapshot_id = c->snapshot_id;
	return 0;
}

int sfa_plan_campaign(sfa_store *st, long long id, FILE *f,
		      sfa_problems *probs, sfa_plan_stats *stats, sfa_err *err)
{
	campaign_plan cp = {NULL, 0, id};
	char where[48];
	review rv;
	out o;
	int rc, c;

	memset(&rv, 0, sizeof(rv));
	out_init(&o, stats, err);
	snprintf(where, sizeof(where), "campaign %lld row", id);
	rv.st = st;
	rv.path = where;
	rv.where = where;
	rv.probs = probs;
	rv.o = &o;
	rv.groups_of = -1;
	rv.have_header = 1;
	rv.ncells = R_NCOLS;
	for (c = 0; c < R_NCOLS; c++)
		rv.col[c] = c;
	cp.rv = &rv;
	if ((rc = sfa_campaign_get(st, id, on_campaign, &cp, err)) ||
	    (rc = sfa_changefile_writer_new(&o.w, f, err)))
		goto out;
	if ((rc = note(&o,
		       "plan of review campaign %lld (snapshot %lld): a "
		       "revoke per row whose decision is revoke",
		       id, cp.snapshot_id)))
		goto out;
	stats->comments = 0;
	rc = sfa_campaign_each_row(st, id, NULL, on_campaign_row, &cp, err);
	if (rc == SFA_ENOMEM)
		rc = sfa_err_set(err, rc, "out of memory");
out:
	out_free(&o);
	free(rv.groups.v);
	return rc;
}

/* ---- plan --revert-to ---- */

typedef struct revert {
	out *o;
	gtypes groups;	 /* of both snapshots */
	seen only_later; /* users in the later snapshot only (since made) */
	seen only_to;	 /* users in `to` only (since gone) */
	long long via;	 /* rows through something else, left to follow */
	long long to;	 /* the snapshot returned to */
} revert;

static int revert_users(void *ud, const sfa_diff_change *c)
{
	revert *rv = ud;
	const sfa_access_row *r = &c->row;
	int rc = 0;

	if (r->access_type && strcmp(r->access_type, "user") == 0) {
		/* diff from the latest to `to`: removed = made since. */
		if (c->kind == SFA_DIFF_RESOURCE_REMOVED)
			rc = remember(&rv->only_later, or_empty(r->access_id));
		else if (c->kind == SFA_DIFF_RESOURCE_ADDED)
			rc = remember(&rv->only_to, or_empty(r->access_id));
	}
	return rc < 0 ? sfa_err_set(rv->o->err, SFA_ENOMEM, "out of memory")
		      : 0;
}

static int in(const seen *s, const char *id)
{
	size_t i;

	for (i = 0; id && i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return 1;
	return 0;
}

static int revert_access(revert *rv, const sfa_diff_change *c)
{
	const sfa_access_row *r = &c->row;
	int regrant = c->kind == SFA_DIFF_ADDED; /* in `to`, not now */
	const char *who = or_empty(r->username),
		   *name = or_empty(r->access_name);
	char comment[512];
	sfa_rtype t;

	if (strcmp(or_empty(r->via_type), "direct") != 0) {
		rv->via++;
		return 0;
	}
	if (!rtype_of(r->access_type, &t))
		return note(rv->o, "%s %s %s (%s) of %s: not provisioned",
			    regrant ? "re-grant" : "revoke",
			    or_empty(r->access_type), name,
			    or_empty(r->access_id), who);
	if (in(&rv->only_to, r->user_id))
		return note(rv->o,
			    "%s %s (%s) of %s: the user is not in the latest "
			    "snapshot; not re-granted",
			    or_empty(r->access_type), name,
			    or_empty(r->access_id), who);
	/* Profile and role are single values: their `changed` rows say
	 * what to return to. */
	if (t == SFA_RT_PROFILE || t == SFA_RT_ROLE) {
		if (in(&rv->only_later, r->user_id))
			return note(rv->o,
				    "%s %s (%s) of %s: the user was made "
				    "since; deactivated instead",
				    or_empty(r->access_type), name,
				    or_empty(r->access_id), who);
		return 0;
	}
	if (t == SFA_RT_GROUP) {
		const char *gt = group_type(&rv->groups, r->access_id);

		if (gt && strcmp(gt, "Organization") == 0)
			return 0; /* follows set_status */
		if (!provisionable_group(gt))
			return note(rv->o,
				    "%s group %s (%s) of %s: type %s is not "
				    "provisioned",
				    regrant ? "re-grant" : "revoke", name,
				    or_empty(r->access_id), who,
				    gt ? gt : "unknown");
	}
	snprintf(comment, sizeof(comment),
		 "%s since snapshot %lld: %s %s of %s",
		 regrant ? "removed" : "added", rv->to,
		 or_empty(r->access_type), name, who);
	return op(rv->o, regrant ? SFA_OP_GRANT : SFA_OP_REVOKE, t,
		  r->access_id, r->user_id, NULL, comment);
}

static int revert_changed(revert *rv, const sfa_diff_change *c)
{
	const sfa_access_row *r = &c->row;
	const char *who = or_empty(r->username), *f = or_empty(c->field);
	char comment[512];

	snprintf(comment, sizeof(comment), "%s of %s was %s, is %s", f, who,
		 c->new_value ? c->new_value : "empty",
		 c->old_value ? c->old_value : "empty");
	if (strcmp(f, "IsActive") == 0)
		return op(rv->o, SFA_OP_SET_STATUS, SFA_RT_USER, NULL,
			  r->user_id,
			  strcmp(or_empty(c->new_value), "true") == 0
			      ? "IsActive=true"
			      : "IsActive=false",
			  comment);
	if (strcmp(f, "ProfileId") == 0 && c->new_value)
		return op(rv->o, SFA_OP_GRANT, SFA_RT_PROFILE, c->new_value,
			  r->user_id, NULL, comment);
	if (strcmp(f, "UserRoleId") == 0)
		return c->new_value
			   ? op(rv->o, SFA_OP_GRANT, SFA_RT_ROLE, c->new_value,
				r->user_id, NULL, comment)
		       : c->old_value
			   ? op(rv->o, SFA_OP_REVOKE, SFA_RT_ROLE, c->old_value,
				r->user_id, NULL, comment)
			   : 0;
	if (strcmp(f, "License") == 0 || strcmp(f, "UserType") == 0)
		return 0; /* follow the profile */
	return note(rv->o, "%s: not provisioned by apply", comment);
}

static int revert_change(void *ud, const sfa_diff_change *c)
{
	revert *rv = ud;
	const sfa_access_row *r = &c->row;

	switch (c->kind) {
	case SFA_DIFF_ADDED:
	case SFA_DIFF_REMOVED:
		return revert_access(rv, c);
	case SFA_DIFF_CHANGED:
		return revert_changed(rv, c);
	case SFA_DIFF_RESOURCE_REMOVED:
		/* A user made since: deactivated (users cannot be deleted). */
		if (strcmp(or_empty(r->access_type), "user") == 0)
			return op(rv->o, SFA_OP_SET_STATUS, SFA_RT_USER, NULL,
				  r->access_id, "IsActive=false",
				  "the user did not exist in the snapshot");
		return 0;
	case SFA_DIFF_PERMISSION_ADDED:
	case SFA_DIFF_PERMISSION_REMOVED:
		/* diff from the latest to `to`: removed = given since.  A
		 * container's permissions are edited in Setup, not by apply;
		 * the reviewer learns what to put back by hand. */
		return note(rv->o,
			    "%s %s on %s %s (%s): not provisioned by apply",
			    c->kind == SFA_DIFF_PERMISSION_REMOVED ? "remove"
								   : "restore",
			    or_empty(c->field), or_empty(r->access_type),
			    or_empty(r->access_name), or_empty(r->access_id));
	default:
		return 0;
	}
}

typedef struct snapinfo {
	char org[32];
	int complete;
} snapinfo;

static int on_snapshot(void *ud, const sfa_snapshot_info *s)
{
	snapinfo *i = ud;

	snprintf(i->org, sizeof(i->org), "%s", s->org_id);
	i->complete = s->status && strcmp(s->status, "complete") == 0;
	return 0;
}

int sfa_plan_revert(sfa_store *st, long long to, FILE *f, sfa_plan_stats *stats,
		    sfa_err *err)
{
	sfa_diff *d = NULL;
	sfa_diff_pick pick = {0, 0, 0};
	snapinfo info = {"", 0};
	long long latest = 0, from = 0, to_id = 0;
	revert rv;
	out o;
	int rc;

	memset(&rv, 0, sizeof(rv));
	out_init(&o, stats, err);
	rv.o = &o;
	rv.to = to;
	if ((rc = sfa_store_get_snapshot(st, to, on_snapshot, &info, err)))
		return rc;
	if (!info.complete)
		return sfa_err_set(err, SFA_EINPUT,
				   "snapshot %lld is incomplete; plan "
				   "--revert-to needs a complete one",
				   to);
	if ((rc = sfa_store_latest_complete(st, info.org, 0, &latest, err)))
		return rc;
	pick.from = latest;
	pick.to = to;
	if ((rc = sfa_diff_resolve(st, &pick, &from, &to_id, err)) ||
	    (rc = load_groups(st, from, &rv.groups, err)) ||
	    (rc = load_groups(st, to_id, &rv.groups, err)) ||
	    (rc = sfa_changefile_writer_new(&o.w, f, err)))
		goto out;
	if ((rc = note(&o,
		       "plan: return org %s from snapshot %lld (the latest "
		       "complete) to snapshot %lld",
		       info.org, from, to_id)))
		goto out;
	stats->comments = 0;
	if ((rc = sfa_diff_open(&d, st, from, to_id, err)) ||
	    (rc = sfa_diff_each(d, revert_users, &rv, err)) ||
	    (rc = sfa_diff_each(d, revert_change, &rv, err)))
		goto out;
	if (rv.via)
		rc = note(&o,
			  "%lld access rows through roles, groups, permission "
			  "set groups or profiles follow from the operations "
			  "above",
			  rv.via);
out:
	sfa_diff_free(d);
	out_free(&o);
	seen_free(&rv.only_later);
	seen_free(&rv.only_to);
	free(rv.groups.v);
	return rc;
}
