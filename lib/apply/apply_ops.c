/*
 * apply_ops.c - one function per operation of lib/apply/CHANGEFILE.md.  Each
 * starts from the org's state and writes only when the org differs, so a grant
 * already held or a revoke no longer held is `already`, and a re-run after
 * a kill between a write and its journal entry does not write twice.  A
 * first attempt starts from the state read in batches just before
 * execution (apply_prefetch.c) when it has one, else it reads live; every
 * retry (apply_retry.c) reads live, and there a state already as wanted
 * is our earlier write that took effect, so it is `done`.
 */
#include "apply_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "soql.h"

static int on_id(void *ud, json_t *rec, sfa_err *err)
{
	sfa_apply_state *l = ud;

	(void)err;
	if (l->n < SFA_APPLY_MAX_IDS)
		sfa_apply_copy_id(l->id[l->n++], json_object_get(rec, "Id"));
	return 0;
}

/* Ids of `SELECT Id FROM <object> WHERE <f1> = 'v1' AND <f2> = 'v2'`,
 * plus extra (a constant condition) when not NULL. */
static int find_ids(sfa_sf *sf, const char *object, const char *f1,
		    const char *v1, const char *f2, const char *v2,
		    const char *extra, sfa_apply_state *out, sfa_err *err)
{
	char *q1 = sfa_soql_quote(v1), *q2 = sfa_soql_quote(v2);
	sfa_buf q = {0};
	int rc;

	out->n = 0;
	if (!q1 || !q2 ||
	    sfa_buf_printf(
		&q, "SELECT Id FROM %s WHERE %s = %s AND %s = %s%s%s", object,
		f1, q1, f2, q2, extra ? " AND " : "", extra ? extra : ""))
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	else
		rc = sfa_sf_query(sf, q.data, 0, on_id, out, err);
	free(q1);
	free(q2);
	sfa_buf_free(&q);
	return rc;
}

/* The user's Id at execution time: resolved, or made by the file's
 * create_user row; "" (with op failed) when that row did not make it. */
static const char *user_id(sfa_apply_op *op)
{
	if (*op->user_id)
		return op->user_id;
	if (op->creator && *op->creator->record_id)
		return op->creator->record_id;
	sfa_err_set(&op->err, SFA_EINPUT,
		    "user %s was not created: line %ld did not succeed",
		    op->c->user, op->creator ? op->creator->c->line : 0L);
	op->outcome = SFA_OUTCOME_FAILED;
	return NULL;
}

static void settle(sfa_apply_op *op, int rc, sfa_outcome ok)
{
	op->outcome = rc ? SFA_OUTCOME_FAILED : ok;
}

/* The org is already as the operation wants it: `already` on the first
 * attempt; on a retry, the earlier attempt whose answer was lost did it. */
static void settle_found(sfa_apply_op *op, int reread)
{
	op->outcome = reread ? SFA_OUTCOME_DONE : SFA_OUTCOME_ALREADY;
	if (reread)
		op->found_on_reread = 1;
}

/* After the look-up of a grant's or revoke's records (l, rc from
 * find_ids() or the prefetch): settles op and returns 1 when nothing is
 * left to write, because the look-up failed or the org already holds
 * (grant) or lacks (revoke) the record; returns 0 when the caller must
 * write. */
static int settled_by_lookup(sfa_apply_op *op, int rc, const sfa_apply_state *l,
			     int reread)
{
	int grant = op->c->op == SFA_OP_GRANT;

	if (rc) {
		settle(op, rc, SFA_OUTCOME_DONE);
		return 1;
	}
	if (grant != (l->n > 0))
		return 0;
	if (grant)
		snprintf(op->record_id, sizeof(op->record_id), "%s", l->id[0]);
	settle_found(op, reread);
	return 1;
}

/* Deletes each record of l.  One deleted by someone else since it was
 * read is fine: *gone counts those. */
static int delete_all(sfa_sf *sf, const char *object, const sfa_apply_state *l,
		      sfa_apply_op *op, int *gone)
{
	char path[96];
	int i;

	*gone = 0;
	for (i = 0; i < l->n; i++) {
		int rc;

		snprintf(path, sizeof(path), "sobjects/%s/%s", object,
			 l->id[i]);
		/* Kept even when the answer is lost: a retry that finds the
		 * record gone reports the id it deleted. */
		snprintf(op->record_id, sizeof(op->record_id), "%s", l->id[i]);
		sfa_err_clear(&op->err);
		op->writes_sent++;
		rc = sfa_sf_request(sf, "DELETE", path, NULL, NULL, &op->err);
		if (rc && !(rc == SFA_ESF &&
			    (!strcmp(op->err.sf_code, "ENTITY_IS_DELETED") ||
			     !strcmp(op->err.sf_code, "NOT_FOUND"))))
			return rc;
		*gone += rc != 0;
		sfa_err_clear(&op->err);
	}
	return 0;
}

/* Settles a revoke after delete_all(): when every record was gone before
 * its delete arrived, the org lacked the access already (after a lost
 * answer, our own earlier delete may have been the one). */
static void settle_revoke(sfa_apply_op *op, int rc, int gone, int n, int reread)
{
	if (!rc && gone == n)
		settle_found(op, reread);
	else
		settle(op, rc, SFA_OUTCOME_DONE);
}

/* POST sobjects/<object> with body; the new record's Id into op. */
static int insert(sfa_sf *sf, const char *object, json_t *body,
		  sfa_apply_op *op)
{
	char path[64];
	json_t *res = NULL;
	int rc;

	snprintf(path, sizeof(path), "sobjects/%s", object);
	if (!body)
		return sfa_err_set(&op->err, SFA_ENOMEM, "out of memory");
	op->writes_sent++;
	rc = sfa_sf_request(sf, "POST", path, body, &res, &op->err);
	json_decref(body);
	if (!rc)
		sfa_apply_copy_id(op->record_id, json_object_get(res, "id"));
	json_decref(res);
	return rc;
}

/* The write of an assignment-like record (user_field = user, res_field =
 * the operation's resource) once the look-up l left one to make: a grant
 * inserts it, and one Salesforce refuses as a duplicate was assigned
 * meanwhile; a revoke deletes the records l found. */
static void write_assignment(sfa_apply *a, sfa_apply_op *op,
			     const char *object, const char *user_field,
			     const char *user, const char *res_field,
			     const sfa_apply_state *l, int reread)
{
	int rc, gone;

	if (op->c->op == SFA_OP_GRANT) {
		rc = insert(a->sf, object,
			    json_pack("{s:s, s:s}", user_field, user,
				      res_field, op->resource_id),
			    op);
		if (rc == SFA_ESF &&
		    strcmp(op->err.sf_code, "DUPLICATE_VALUE") == 0) {
			sfa_err_clear(&op->err);
			settle_found(op, reread);
			return;
		}
		settle(op, rc, SFA_OUTCOME_DONE);
		return;
	}
	rc = delete_all(a->sf, object, l, op, &gone);
	settle_revoke(op, rc, gone, l->n, reread);
}

/* ---- group: GroupMember (GroupId, UserOrGroupId) ---- */

static void op_group(sfa_apply *a, sfa_apply_op *op, const sfa_apply_state *pre,
		     int reread)
{
	const char *u = user_id(op);
	sfa_apply_state live = {0};
	const sfa_apply_state *l = pre ? pre : &live;
	int rc = 0, gone;

	if (!u)
		return;
	if (!pre)
		rc = find_ids(a->sf, "GroupMember", "GroupId", op->resource_id,
			      "UserOrGroupId", u, NULL, &live, &op->err);
	if (settled_by_lookup(op, rc, l, reread))
		return;
	/* A duplicate insert returns the existing member: only the look-up
	 * above tells `already` from `done` (a member added by someone else
	 * since is `done`). */
	if (op->c->op == SFA_OP_GRANT) {
		rc = insert(a->sf, "GroupMember",
			    json_pack("{s:s, s:s}", "GroupId", op->resource_id,
				      "UserOrGroupId", u),
			    op);
		settle(op, rc, SFA_OUTCOME_DONE);
		return;
	}
	rc = delete_all(a->sf, "GroupMember", l, op, &gone);
	settle_revoke(op, rc, gone, l->n, reread);
}

/* ---- permission_set / permission_set_group: PermissionSetAssignment ---- */

static void op_assignment(sfa_apply *a, sfa_apply_op *op,
			  const sfa_apply_state *pre, int reread)
{
	int psg = op->c->rtype == SFA_RT_PERMISSION_SET_GROUP;
	const char *field = psg ? "PermissionSetGroupId" : "PermissionSetId";
	const char *u = user_id(op);
	sfa_apply_state live = {0};
	const sfa_apply_state *l = pre ? pre : &live;
	int rc = 0;

	if (!u)
		return;
	if (!pre)
		rc = find_ids(a->sf, "PermissionSetAssignment", "AssigneeId", u,
			      field, op->resource_id,
			      psg ? NULL : "PermissionSetGroupId = null", &live,
			      &op->err);
	if (settled_by_lookup(op, rc, l, reread))
		return;
	write_assignment(a, op, "PermissionSetAssignment", "AssigneeId", u,
			 field, l, reread);
}

/* ---- entitlements (issue 17): one record per (user, thing), inserted
 * and deleted like assignments ---- */

static const struct entitlement {
	sfa_rtype rtype;
	const char *object, *user_field, *res_field;
} entitlements[] = {
    {SFA_RT_PERMISSION_SET_LICENSE, "PermissionSetLicenseAssign", "AssigneeId",
     "PermissionSetLicenseId"},
    {SFA_RT_PACKAGE_LICENSE, "UserPackageLicense", "UserId",
     "PackageLicenseId"},
    {SFA_RT_TERRITORY, "UserTerritory2Association", "UserId", "Territory2Id"},
};

const char *sfa_apply_entitlement(sfa_rtype t, const char **user_field,
				  const char **res_field)
{
	size_t i;

	for (i = 0; i < sizeof(entitlements) / sizeof(entitlements[0]); i++)
		if (entitlements[i].rtype == t) {
			*user_field = entitlements[i].user_field;
			*res_field = entitlements[i].res_field;
			return entitlements[i].object;
		}
	return NULL;
}

/* A revoke of a permission set licence that a permission set the user
 * holds still needs fails with Salesforce's own error, from the delete:
 * the row reports it as the org words it. */
static void op_entitlement(sfa_apply *a, sfa_apply_op *op,
			   const sfa_apply_state *pre, int reread)
{
	const char *uf = NULL, *rf = NULL;
	const char *object = sfa_apply_entitlement(op->c->rtype, &uf, &rf);
	const char *u = user_id(op);
	sfa_apply_state live = {0};
	const sfa_apply_state *l = pre ? pre : &live;
	int rc = 0;

	if (!u)
		return;
	if (!pre)
		rc = find_ids(a->sf, object, uf, u, rf, op->resource_id, NULL,
			      &live, &op->err);
	if (settled_by_lookup(op, rc, l, reread))
		return;
	write_assignment(a, op, object, uf, u, rf, l, reread);
}

/* ---- User fields: role, profile, status ---- */

static int get_user(sfa_sf *sf, const char *id, sfa_apply_state *out,
		    sfa_err *err)
{
	char path[96];
	json_t *rec = NULL;
	int rc;

	snprintf(path, sizeof(path),
		 "sobjects/User/%s?fields=ProfileId,UserRoleId,IsActive", id);
	if ((rc = sfa_sf_request(sf, "GET", path, NULL, &rec, err)))
		return rc;
	sfa_apply_copy_id(out->profile_id, json_object_get(rec, "ProfileId"));
	sfa_apply_copy_id(out->role_id, json_object_get(rec, "UserRoleId"));
	out->is_active = json_is_true(json_object_get(rec, "IsActive"));
	json_decref(rec);
	return 0;
}

static int patch_user(sfa_sf *sf, const char *id, json_t *body,
		      sfa_apply_op *op)
{
	char path[64];
	int rc;

	if (!body)
		return sfa_err_set(&op->err, SFA_ENOMEM, "out of memory");
	snprintf(path, sizeof(path), "sobjects/User/%s", id);
	op->writes_sent++;
	rc = sfa_sf_request(sf, "PATCH", path, body, NULL, &op->err);
	json_decref(body);
	return rc;
}

static void op_user_field(sfa_apply *a, sfa_apply_op *op,
			  const sfa_apply_state *pre, int reread)
{
	const sfa_change *c = op->c;
	const char *u = user_id(op);
	sfa_apply_state live = {0};
	const sfa_apply_state *s = pre ? pre : &live;
	json_t *body;
	int rc, grant = c->op == SFA_OP_GRANT;

	if (!u)
		return;
	snprintf(op->record_id, sizeof(op->record_id), "%s", u);
	if (!pre && (rc = get_user(a->sf, u, &live, &op->err))) {
		settle(op, rc, SFA_OUTCOME_DONE);
		return;
	}
	if (c->op == SFA_OP_SET_STATUS) {
		int want = strcmp(sfa_change_field(c, "IsActive"), "true") == 0;

		if (s->is_active == want) {
			settle_found(op, reread);
			return;
		}
		body = json_pack("{s:b}", "IsActive", want);
	} else if (c->rtype == SFA_RT_ROLE) {
		int holds = sfa_apply_same_id(s->role_id, op->resource_id);

		if (holds == grant) {
			settle_found(op, reread);
			return;
		}
		body = grant ? json_pack("{s:s}", "UserRoleId", op->resource_id)
			     : json_pack("{s:n}", "UserRoleId");
	} else {
		int holds = sfa_apply_same_id(s->profile_id, op->resource_id);

		if (holds == grant) {
			settle_found(op, reread);
			return;
		}
		/* Revoke: the least-privileged profile of the license. */
		body = json_pack("{s:s}", "ProfileId",
				 grant ? op->resource_id : op->target_id);
		if (!grant)
			snprintf(op->note, sizeof(op->note),
				 "moved to profile %s", op->target_name);
	}
	rc = patch_user(a->sf, u, body, op);
	settle(op, rc, SFA_OUTCOME_DONE);
}

/* ---- create_user ---- */

typedef struct existing {
	char id[19];
	int is_active, n;
} existing;

static int on_existing(void *ud, json_t *rec, sfa_err *err)
{
	existing *e = ud;

	(void)err;
	if (!e->n++) {
		sfa_apply_copy_id(e->id, json_object_get(rec, "Id"));
		e->is_active = json_is_true(json_object_get(rec, "IsActive"));
	}
	return 0;
}

/* The body of the new User: defaults, then the row's fields (which may
 * override them), then what the row means (Username, ProfileId). */
static json_t *user_body(const sfa_apply_op *op)
{
	const sfa_change *c = op->c;
	json_t *b = json_pack("{s:s, s:s, s:s}", "LocaleSidKey", "en_US",
			      "LanguageLocaleKey", "en_US", "EmailEncodingKey",
			      "UTF-8");
	size_t i;

	for (i = 0; b && i < c->nkv; i++)
		if (strcmp(c->kv[i].key, "Profile") != 0 &&
		    json_object_set_new(b, c->kv[i].key,
					json_string(c->kv[i].value))) {
			json_decref(b);
			return NULL;
		}
	if (b &&
	    (json_object_set_new(b, "Username", json_string(c->user)) ||
	     json_object_set_new(b, "ProfileId", json_string(op->target_id)))) {
		json_decref(b);
		return NULL;
	}
	return b;
}

static void op_create_user(sfa_apply *a, sfa_apply_op *op, int reread)
{
	existing e;
	char *lit = sfa_soql_quote(op->c->user);
	sfa_buf q = {0};
	int rc;

	memset(&e, 0, sizeof(e));
	if (!lit || sfa_buf_printf(&q,
				   "SELECT Id, IsActive FROM User WHERE "
				   "Username = %s",
				   lit))
		rc = sfa_err_set(&op->err, SFA_ENOMEM, "out of memory");
	else
		rc = sfa_sf_query(a->sf, q.data, 0, on_existing, &e, &op->err);
	free(lit);
	sfa_buf_free(&q);
	if (rc) {
		settle(op, rc, SFA_OUTCOME_DONE);
		return;
	}
	if (e.n) {
		snprintf(op->record_id, sizeof(op->record_id), "%s", e.id);
		if (e.is_active) {
			settle_found(op, reread);
			return;
		}
		snprintf(op->note, sizeof(op->note), "reactivated");
		rc = patch_user(a->sf, e.id, json_pack("{s:b}", "IsActive", 1),
				op);
		settle(op, rc, SFA_OUTCOME_DONE);
		return;
	}
	rc = insert(a->sf, "User", user_body(op), op);
	settle(op, rc, SFA_OUTCOME_DONE);
}

void sfa_apply_perform(struct sfa_apply *a, sfa_apply_op *op,
		       const sfa_apply_state *pre, int reread)
{
	sfa_err_clear(&op->err);
	op->outcome = SFA_OUTCOME_NONE;
	op->note[0] = '\0';
	switch (op->c->op) {
	case SFA_OP_CREATE_USER:
		op_create_user(a, op, reread);
		return;
	case SFA_OP_SET_STATUS:
		op_user_field(a, op, pre, reread);
		return;
	default:
		break;
	}
	switch (op->c->rtype) {
	case SFA_RT_GROUP:
		op_group(a, op, pre, reread);
		break;
	case SFA_RT_PERMISSION_SET:
	case SFA_RT_PERMISSION_SET_GROUP:
		op_assignment(a, op, pre, reread);
		break;
	case SFA_RT_PERMISSION_SET_LICENSE:
	case SFA_RT_PACKAGE_LICENSE:
	case SFA_RT_TERRITORY:
		op_entitlement(a, op, pre, reread);
		break;
	default:
		op_user_field(a, op, pre, reread);
	}
}
