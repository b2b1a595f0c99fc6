/*
 * user_perms.c - the permission seam (user_perms.h) over the effective
 * permission engine (perm.h).
 *
 * Cost decides the three parts of a question.  The low tiers are held by
 * few (administrators, a permission set in fifty), so they are asked of
 * the whole snapshot a permission at a time.  Object View All and Modify
 * All (tier 2) are held by most users of a large org (25 privileged rows
 * per user at 10,000 users), so they are asked only for the users a rule
 * looks at, each source decided once for all of them.  Named permissions
 * ([sod] sides, the MFA waiver) are asked of the whole snapshot by name.
 */
#include <stdlib.h>
#include <string.h>

#include "user_perms.h"

struct sfa_user_perms {
	sfa_priv *own; /* the default list when the caller gave none */
	const sfa_priv *pv;
	sfa_perm *perm;
};

int sfa_user_perms_open(sfa_user_perms **out, sfa_store *st, long long snap,
			const sfa_priv *pv, sfa_err *err)
{
	sfa_user_perms *up = calloc(1, sizeof(*up));
	int rc;

	*out = NULL;
	if (!up)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (!pv && (rc = sfa_priv_new(&up->own, err)) != 0) {
		free(up);
		return rc;
	}
	up->pv = pv ? pv : up->own;
	if ((rc = sfa_perm_open(&up->perm, st, snap, up->pv, err)) != 0) {
		sfa_user_perms_free(up);
		return rc;
	}
	*out = up;
	return 0;
}

void sfa_user_perms_free(sfa_user_perms *up)
{
	if (!up)
		return;
	sfa_perm_free(up->perm);
	sfa_priv_free(up->own);
	free(up);
}

int sfa_user_perms_synced(const sfa_user_perms *up)
{
	return sfa_perm_synced(up->perm);
}

int sfa_user_perms_name(sfa_user_perms *up, const char *what, char *canon,
			size_t n, sfa_err *err)
{
	return sfa_perm_name(up->perm, what, canon, n, err);
}

enum { PART_TIERS, PART_NAMES, PART_USERS };

struct walk {
	const sfa_user_perms_ask *ask;
	int part;
	sfa_user_perm_fn fn;
	void *ud;
};

static int in_tiers(int tier, int max_tier)
{
	return tier >= 0 && tier <= max_tier;
}

/* The tier of a canonical name: a system permission, Object:action, or
 * a field permission (never privileged). */
static int name_tier(const sfa_user_perms *up, const char *name)
{
	const char *colon = strrchr(name, ':');

	if (!colon)
		return sfa_priv_system_tier(up->pv, name);
	return strchr(name, '.') && strchr(name, '.') < colon
		   ? -1
		   : sfa_priv_object_tier(up->pv, colon + 1);
}

static int named(const sfa_user_perms_ask *ask, const char *permission)
{
	size_t i;

	for (i = 0; i < ask->nnames; i++)
		if (strcmp(ask->names[i], permission) == 0)
			return 1;
	return 0;
}

static int on_row(void *ud, const sfa_perm_row *r)
{
	const struct walk *w = ud;
	sfa_user_perm p;

	/* A row the part before asked for already came. */
	if (w->part == PART_NAMES && in_tiers(r->tier, w->ask->max_tier))
		return 0;
	if (w->part == PART_USERS &&
	    (!in_tiers(r->tier, w->ask->users_max_tier) ||
	     in_tiers(r->tier, w->ask->max_tier) ||
	     named(w->ask, r->permission)))
		return 0;
	p.user_id = r->user_id;
	p.permission = r->permission;
	p.via_type = r->via_type;
	p.via_id = r->via_id;
	p.tier = r->tier;
	return w->fn(w->ud, &p);
}

int sfa_user_perms_each(sfa_user_perms *up, const sfa_user_perms_ask *ask,
			sfa_user_perm_fn fn, void *ud, sfa_err *err)
{
	struct walk w = {ask, PART_TIERS, fn, ud};
	size_t i, j;
	int rc = 0;

	if (ask->max_tier >= 0)
		rc = sfa_perm_each_privileged(up->perm, ask->max_tier, on_row,
					      &w, err);
	w.part = PART_NAMES;
	for (i = 0; rc == 0 && i < ask->nnames; i++) {
		for (j = 0; j < i && strcmp(ask->names[j], ask->names[i]) != 0;
		     j++)
			;
		/* Asked already: a repeated name, or one of the tiers. */
		if (j == i &&
		    !in_tiers(name_tier(up, ask->names[i]), ask->max_tier))
			rc = sfa_perm_who_can(up->perm, ask->names[i], on_row,
					      &w, err);
	}
	w.part = PART_USERS;
	if (rc == 0 && ask->users_max_tier > ask->max_tier && ask->nusers)
		rc = sfa_perm_each_privileged_of(
		    up->perm, ask->max_tier + 1, ask->users_max_tier,
		    ask->users, ask->nusers, on_row, &w, err);
	return rc;
}
