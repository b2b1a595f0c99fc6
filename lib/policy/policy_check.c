/*
 * policy_check.c - evaluating POLICY.md's built-in rules on one snapshot.
 *
 * Everything is read once into memory, rule by rule's needs: the users
 * (store_policy.h), the permissions the rules look at from the effective
 * permission engine through the one seam (user_perms.h), the access rows
 * (store.h) only when a rule needs the containers a user holds, and the
 * login history for the dates of last login and the leavers' logins.
 * Rules then run in C over that, and the findings are sorted once
 * (findings.c).
 *
 * Time: every rule measures from the snapshot's capture time (or
 * sfa_check_opts.as_of), so a check of an old snapshot is repeatable.
 * "Has not logged in for `days`" includes exactly `days` ago.
 */
#define _GNU_SOURCE /* timegm */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fnv.h"
#include "grow.h"
#include "policy.h"
#include "policy_int.h"
#include "store_policy.h"
#include "user_perms.h"

/* Strings of one check live in an arena freed at once. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

struct perm {
	const char *permission, *via_type, *via_id;
	int tier;
	struct perm *next; /* the user's next permission */
};

/* A container a user holds that a rule looks at (access rows). */
struct held {
	const char *type, *id, *name, *via_type, *via_id;
	struct held *next;
};

struct user {
	long long key; /* sfid key, as the access sets name the user */
	const char *id, *username, *email, *federation_id, *user_type;
	char *last_login; /* the newer of LastLoginDate and history */
	int is_active, is_frozen;
	struct perm *perms;
	struct held *held;
};

struct check {
	sfa_store *st;
	long long snap;
	const sfa_policy *policy;
	const sfa_hr *hr;
	const char *org_id;
	char as_of[32];
	struct arena_chunk *arena;
	/* The users' permission rows, let go once the rules that read them
	 * have run (release_perms()): the findings of the later rules
	 * need the room at 200,000 users. */
	struct arena_chunk *perm_arena;
	struct user *users;
	size_t nusers, capusers;
	struct user **by_id; /* sorted by Id */
	struct user *last;   /* the last user looked up by Id */
	sfa_findings *out;
	sfa_err *err;
	const sfa_priv *pv; /* the privileged list; NULL: the defaults */
	sfa_user_perms *up; /* the permission seam, when a rule needs it */
	/* The permission rows' strings, each kept once (intern()): a few
	 * permission names and a few thousand containers over hundreds of
	 * thousands of rows.  Open addressing, a power of two of slots. */
	const char **interned;
	size_t ninterned, capinterned;
	/* [sod] sides resolved to containers: for side k of pair i, the Ids
	 * (sorted) its name gives; NULL when it names a permission. */
	struct side {
		const char *text;
		int is_perm;
		char canon[256]; /* a permission's canonical name */
		const char **ids;
		size_t nids;
		long long *keys; /* the same containers' sfid keys, sorted */
	} * sides;
	/* Connected apps reachable other than through a token: sfid keys,
	 * sorted. */
	long long *reach;
	size_t nreach, capreach;
	/* Users by sfid key; the containers' Ids and names by sfid key. */
	struct user **by_ukey;
	struct named {
		long long key;
		const char *type, *id, *name;
	} * named;
	size_t nnamed, capnamed;
	/* The HR file's emails and federation ids (hr_keys()). */
	const char **hr_keys;
	size_t nhr_keys;
	/* Users by federation id, username and email (index_keys()). */
	const struct user **by_key[3];
	size_t nkey[3];
	/* Organization groups ("All Internal Users"), sorted: membership
	 * comes with being an active internal user, not from a grant. */
	const char **org_groups;
	size_t norg;
};

/* n bytes aligned to align (a power of two) from the arena *head, NULL
 * when out of memory.  Chunks are 1 MB, or one object's size when
 * larger. */
static void *chunk_take(struct arena_chunk **head, size_t n, size_t align)
{
	struct arena_chunk *a = *head;
	size_t pad = 0;

	if (a)
		pad = (align - ((uintptr_t)(a->data + a->used) & (align - 1))) &
		      (align - 1);
	if (!a || a->cap - a->used < pad + n) {
		size_t cap = n + align > 1 << 20 ? n + align : 1 << 20;

		if (!(a = malloc(sizeof(*a) + cap)))
			return NULL;
		a->next = *head;
		a->used = 0;
		a->cap = cap;
		*head = a;
		pad =
		    (align - ((uintptr_t)a->data & (align - 1))) & (align - 1);
	}
	a->used += pad + n;
	return a->data + a->used - n;
}

static void chunk_free(struct arena_chunk **head)
{
	while (*head) {
		struct arena_chunk *next = (*head)->next;

		free(*head);
		*head = next;
	}
}

static void *arena_take(struct check *c, size_t n, size_t align)
{
	return chunk_take(&c->arena, n, align);
}

static char *arena_dup(struct check *c, const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	if ((d = arena_take(c, n, 1)))
		memcpy(d, s, n);
	return d;
}

static void *arena_alloc(struct check *c, size_t n)
{
	return arena_take(c, n, _Alignof(max_align_t));
}

static void arena_free(struct check *c)
{
	chunk_free(&c->arena);
	chunk_free(&c->perm_arena);
}

static int oom(struct check *c)
{
	return sfa_err_set(c->err, SFA_ENOMEM, "out of memory checking");
}

/* The one arena copy of s; NULL when out of memory. */
static const char *intern(struct check *c, const char *s)
{
	size_t i;

	if (2 * (c->ninterned + 1) > c->capinterned) {
		size_t cap = c->capinterned ? 2 * c->capinterned : 1024, j;
		const char **t = calloc(cap, sizeof(*t));

		if (!t)
			return NULL;
		for (j = 0; j < c->capinterned; j++) {
			const char *e = c->interned[j];

			if (!e)
				continue;
			for (i = sfa_fnv1a(e) & (cap - 1); t[i];
			     i = (i + 1) & (cap - 1))
				;
			t[i] = e;
		}
		free(c->interned);
		c->interned = t;
		c->capinterned = cap;
	}
	for (i = sfa_fnv1a(s) & (c->capinterned - 1); c->interned[i];
	     i = (i + 1) & (c->capinterned - 1))
		if (strcmp(c->interned[i], s) == 0)
			return c->interned[i];
	if (!(c->interned[i] = arena_dup(c, s)))
		return NULL;
	c->ninterned++;
	return c->interned[i];
}

/* ---- time ---- */

static int parse_time(const char *s, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
			 &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) < 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}

static void format_time(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* as_of minus days, canonical. */
static void days_before(const char *as_of, int days, char out[21])
{
	time_t t;

	if (parse_time(as_of, &t)) {
		out[0] = '\0';
		return;
	}
	format_time(t - (time_t)days * 86400, out);
}

/* ---- findings ---- */

static int add(struct check *c, sfa_rule rule, const struct user *u,
	       const char *what, const char *via_type, const char *via_id,
	       const char *detail)
{
	sfa_finding f;

	f.rule = rule;
	f.severity = sfa_policy_severity(c->policy, rule);
	f.username = u && u->username ? u->username : "";
	f.user_id = u ? u->id : "";
	f.what = what ? what : "";
	f.via_type = via_type ? via_type : "";
	f.via_id = via_id ? via_id : "";
	f.detail = detail ? detail : "";
	return sfa_findings_add(c->out, &f, c->err);
}

/* ---- loading ---- */

static int casecmp_p(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* The emails and federation ids of the HR file, sorted ignoring case. */
static int hr_keys(struct check *c)
{
	size_t i, n = c->hr ? sfa_hr_count(c->hr) : 0;

	if (!n)
		return 0;
	if (!(c->hr_keys = malloc(2 * n * sizeof(*c->hr_keys))))
		return oom(c);
	for (i = 0; i < n; i++) {
		const sfa_hr_person *p = sfa_hr_get(c->hr, i);

		if (p->email)
			c->hr_keys[c->nhr_keys++] = p->email;
		if (p->federation_id)
			c->hr_keys[c->nhr_keys++] = p->federation_id;
	}
	if (c->nhr_keys)
		qsort(c->hr_keys, c->nhr_keys, sizeof(*c->hr_keys), casecmp_p);
	return 0;
}

static int in_hr(const struct check *c, const char *key)
{
	return key && c->nhr_keys &&
	       bsearch(&key, c->hr_keys, c->nhr_keys, sizeof(*c->hr_keys),
		       casecmp_p) != NULL;
}

static int on_user(void *ud, const sfa_policy_user *pu)
{
	struct check *c = ud;
	struct user *u;

	if (SFA_GROW(c->users, c->capusers, c->nusers + 1))
		return oom(c);
	u = &c->users[c->nusers];
	memset(u, 0, sizeof(*u));
	if (!(u->id = arena_dup(c, pu->id)) ||
	    (pu->username && !(u->username = arena_dup(c, pu->username))) ||
	    /* Emails and federation ids only match leavers: kept only
	     * for the users an HR file names (a tenth of the memory at
	     * 200,000 users). */
	    (in_hr(c, pu->email) && !(u->email = arena_dup(c, pu->email))) ||
	    (in_hr(c, pu->federation_id) &&
	     !(u->federation_id = arena_dup(c, pu->federation_id))) ||
	    (pu->user_type && !(u->user_type = intern(c, pu->user_type))) ||
	    (pu->last_login_at &&
	     !(u->last_login = arena_dup(c, pu->last_login_at))))
		return oom(c);
	u->is_active = pu->is_active;
	u->is_frozen = pu->is_frozen;
	u->key = pu->key;
	c->nusers++;
	return 0;
}

static int by_id_cmp(const void *a, const void *b)
{
	return strcmp((*(struct user *const *)a)->id,
		      (*(struct user *const *)b)->id);
}

static struct user *find_user(struct check *c, const char *id)
{
	size_t lo = 0, hi = c->nusers;

	if (!id)
		return NULL;
	if (c->last && strcmp(c->last->id, id) == 0)
		return c->last;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->by_id[mid]->id, id);

		if (d == 0)
			return c->last = c->by_id[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int on_perm(void *ud, const sfa_user_perm *p)
{
	struct check *c = ud;
	struct user *u = find_user(c, p->user_id);
	struct perm *pm;

	if (!u)
		return 0; /* a user the sync left out */
	if (!(pm = chunk_take(&c->perm_arena, sizeof(*pm),
			      _Alignof(struct perm))) ||
	    !(pm->permission = intern(c, p->permission)) ||
	    !(pm->via_type = intern(c, p->via_type)) ||
	    !(pm->via_id = intern(c, p->via_id)))
		return oom(c);
	pm->tier = p->tier;
	pm->next = u->perms;
	u->perms = pm;
	return 0;
}

static int on_latest_login(void *ud, const sfa_login *l)
{
	struct check *c = ud;
	struct user *u = find_user(c, l->user_id);

	if (!u || (u->last_login && strcmp(l->login_time, u->last_login) <= 0))
		return 0;
	/* Both are canonical times: the newer one takes the older's place
	 * (a copy per user adds megabytes at 200,000 users). */
	if (u->last_login && strlen(u->last_login) == strlen(l->login_time))
		memcpy(u->last_login, l->login_time, strlen(l->login_time));
	else if (!(u->last_login = arena_dup(c, l->login_time)))
		return oom(c);
	return 0;
}

/* The permissions the enabled rules look at: tier 0-1 for everyone
 * (dormant-privileged, mfa-waived-privileged), tier 0-2 for the active
 * users who are not Standard (external-privileged), the MFA waiver and
 * the [sod] sides that name permissions. */
static int load_perms(struct check *c)
{
	sfa_user_perms_ask ask = {-1, NULL, 0, NULL, 0, -1};
	const char **names = NULL, **users = NULL;
	char waiver[64];
	size_t i, n = 2 * sfa_policy_sod_count(c->policy);
	int on_m =
	    sfa_policy_enabled(c->policy, SFA_RULE_MFA_WAIVED_PRIVILEGED);
	int rc = 0;

	if (!c->up)
		return 0;
	if (on_m || sfa_policy_enabled(c->policy, SFA_RULE_DORMANT_PRIVILEGED))
		ask.max_tier = 1;
	if (!(names = calloc(n + 1, sizeof(*names))) ||
	    !(users = calloc(c->nusers + 1, sizeof(*users)))) {
		free(names);
		return oom(c);
	}
	ask.names = names;
	ask.users = users;
	/* An org whose catalogue lacks the waiver has no one holding it. */
	if (on_m && sfa_user_perms_name(c->up, "BypassMFAForUiLogins", waiver,
					sizeof(waiver), c->err) == 0)
		names[ask.nnames++] = waiver;
	sfa_err_clear(c->err);
	for (i = 0; i < n && sfa_policy_enabled(c->policy, SFA_RULE_SOD); i++)
		if (c->sides[i].is_perm)
			names[ask.nnames++] = c->sides[i].canon;
	if (sfa_policy_enabled(c->policy, SFA_RULE_EXTERNAL_PRIVILEGED)) {
		ask.users_max_tier = 2;
		for (i = 0; i < c->nusers; i++)
			if (c->users[i].is_active && c->users[i].user_type &&
			    strcmp(c->users[i].user_type, "Standard") != 0)
				users[ask.nusers++] = c->users[i].id;
	}
	rc = sfa_user_perms_each(c->up, &ask, on_perm, c, c->err);
	free(names);
	free(users);
	return rc;
}

static int load(struct check *c)
{
	size_t i;
	int rc;

	if ((rc = hr_keys(c)) ||
	    (rc = sfa_store_policy_users(c->st, c->snap, on_user, c, c->err)))
		return rc;
	if (c->nusers &&
	    !(c->by_id = malloc(c->nusers * sizeof(struct user *))))
		return oom(c);
	for (i = 0; i < c->nusers; i++)
		c->by_id[i] = &c->users[i];
	qsort(c->by_id, c->nusers, sizeof(struct user *), by_id_cmp);
	if ((rc = load_perms(c)))
		return rc;
	return sfa_store_logins_latest(c->st, c->org_id, c->as_of,
				       on_latest_login, c, c->err);
}

/* ---- container names: the [sod] sides, the Organization groups ---- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int key_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int has_key(const long long *keys, size_t n, long long key)
{
	return n && bsearch(&key, keys, n, sizeof(*keys), key_cmp) != NULL;
}

static int named_cmp(const void *a, const void *b)
{
	return key_cmp(&((const struct named *)a)->key,
		       &((const struct named *)b)->key);
}

static const struct named *named_of(const struct check *c, long long key)
{
	struct named k;

	memset(&k, 0, sizeof(k)); /* only the key is compared */
	k.key = key;
	return c->nnamed
		   ? bsearch(&k, c->named, c->nnamed, sizeof(k), named_cmp)
		   : NULL;
}

static int contains(const char *const *ids, size_t n, const char *id)
{
	return id && n && bsearch(&id, ids, n, sizeof(*ids), str_cmp) != NULL;
}

/* Whether side s names a permission of the snapshot rather than a
 * container, with its canonical name in s->canon.  Object:action is
 * always a permission: one the snapshot does not know is an error naming
 * the closest; a name without ':' that is no permission may still name a
 * container. */
static int side_permission(struct check *c, struct side *s, size_t pair)
{
	int rc;

	s->is_perm = strchr(s->text, ':') != NULL;
	if (!sfa_user_perms_synced(c->up)) {
		const char *name, *a, *b;

		if (!s->is_perm)
			return 0;
		sfa_policy_sod_get(c->policy, pair, &name, &a, &b);
		sfa_err_where(c->err, "%s:%d", sfa_policy_file(c->policy),
			      c->policy->sod[pair].line);
		return sfa_err_set(c->err, SFA_EINPUT,
				   "[sod] %s: `%s` is a permission, and "
				   "snapshot %lld holds none (synced with "
				   "--no-sync-permissions or by an older "
				   "sfaccess)",
				   name, s->text, c->snap);
	}
	rc = sfa_user_perms_name(c->up, s->text, s->canon, sizeof(s->canon),
				 c->err);
	if (rc == 0) {
		s->is_perm = 1;
		return 0;
	}
	if (rc != SFA_ENOTFOUND)
		return rc;
	if (!s->is_perm) {
		sfa_err_clear(c->err);
		return 0;
	}
	{
		const char *name, *a, *b;
		char msg[sizeof(c->err->msg)];

		sfa_policy_sod_get(c->policy, pair, &name, &a, &b);
		snprintf(msg, sizeof(msg), "%s", c->err->msg);
		sfa_err_clear(c->err);
		sfa_err_where(c->err, "%s:%d", sfa_policy_file(c->policy),
			      c->policy->sod[pair].line);
		return sfa_err_set(c->err, SFA_EINPUT, "[sod] %s: %s", name,
				   msg);
	}
}

static int on_name(void *ud, const char *type, const char *id, const char *name,
		   const char *group_type, long long key)
{
	struct check *c = ud;
	size_t i, n = 2 * sfa_policy_sod_count(c->policy);

	if (SFA_GROW(c->named, c->capnamed, c->nnamed + 1))
		return oom(c);
	c->named[c->nnamed].key = key;
	if (!(c->named[c->nnamed].type = arena_dup(c, type)) ||
	    !(c->named[c->nnamed].id = arena_dup(c, id)) ||
	    !(c->named[c->nnamed].name = arena_dup(c, name)))
		return oom(c);
	c->nnamed++;
	if (group_type && strcmp(group_type, "Organization") == 0) {
		const char **grown =
		    realloc(c->org_groups, (c->norg + 1) * sizeof(*grown));

		if (!grown)
			return oom(c);
		c->org_groups = grown;
		if (!(grown[c->norg] = arena_dup(c, id)))
			return oom(c);
		c->norg++;
	}
	for (i = 0; i < n; i++) {
		struct side *s = &c->sides[i];
		const char **grown;

		if (s->is_perm || strcasecmp(s->text, name) != 0)
			continue;
		grown = realloc(s->ids, (s->nids + 1) * sizeof(*grown));
		if (!grown)
			return oom(c);
		s->ids = grown;
		if (!(grown[s->nids] = arena_dup(c, id)))
			return oom(c);
		{
			long long *keys =
			    realloc(s->keys, (s->nids + 1) * sizeof(*keys));

			if (!keys)
				return oom(c);
			s->keys = keys;
			keys[s->nids] = key;
		}
		s->nids++;
	}
	return 0;
}

static int resolve_sides(struct check *c)
{
	size_t i, n = sfa_policy_sod_count(c->policy);
	int rc;

	if (n && !(c->sides = calloc(2 * n, sizeof(*c->sides))))
		return oom(c);
	for (i = 0; i < n; i++) {
		const char *name;

		sfa_policy_sod_get(c->policy, i, &name, &c->sides[2 * i].text,
				   &c->sides[2 * i + 1].text);
		if ((rc = side_permission(c, &c->sides[2 * i], i)) ||
		    (rc = side_permission(c, &c->sides[2 * i + 1], i)))
			return rc;
	}
	if ((rc = sfa_store_policy_names(c->st, c->snap, on_name, c, c->err)))
		return rc;
	if (c->norg)
		qsort(c->org_groups, c->norg, sizeof(*c->org_groups), str_cmp);
	for (i = 0; i < 2 * n; i++) {
		struct side *s = &c->sides[i];

		if (s->is_perm)
			continue;
		if (!s->nids) {
			const char *name, *a, *b;

			sfa_policy_sod_get(c->policy, i / 2, &name, &a, &b);
			sfa_err_where(c->err, "%s:%d",
				      sfa_policy_file(c->policy),
				      c->policy->sod[i / 2].line);
			return sfa_err_set(
			    c->err, SFA_EINPUT,
			    "[sod] %s: `%s` names no permission, permission "
			    "set, permission set group, profile or group of "
			    "snapshot %lld%s",
			    name, s->text, c->snap,
			    c->up && sfa_user_perms_synced(c->up)
				? ""
				: " (which holds no permissions: synced with "
				  "--no-sync-permissions or by an older "
				  "sfaccess)");
		}
		qsort(s->ids, s->nids, sizeof(*s->ids), str_cmp);
		qsort(s->keys, s->nids, sizeof(*s->keys), key_cmp);
	}
	if (c->nnamed)
		qsort(c->named, c->nnamed, sizeof(*c->named), named_cmp);
	return 0;
}

/* ---- access rows: the containers held, for sod, inactive-with-access
 * and unused-connected-app.  The access sets are decoded without names
 * (millions of rows at 200,000 users); only the few rows a rule keeps
 * get their Ids and names, from the containers read above. ---- */

static int wants_held(const struct check *c, const struct user *u,
		      const sfa_access_item *it)
{
	size_t i, n = 2 * sfa_policy_sod_count(c->policy);

	if (sfa_policy_enabled(c->policy, SFA_RULE_INACTIVE_WITH_ACCESS) &&
	    (!u->is_active || u->is_frozen) &&
	    (it->type == SFA_AT_PERMISSION_SET ||
	     it->type == SFA_AT_PERMISSION_SET_GROUP ||
	     (it->type == SFA_AT_GROUP && it->via_type == SFA_AT_DIRECT)))
		return 1;
	if (!sfa_policy_enabled(c->policy, SFA_RULE_SOD))
		return 0;
	for (i = 0; i < n; i++)
		if (!c->sides[i].is_perm &&
		    has_key(c->sides[i].keys, c->sides[i].nids, it->access_id))
			return 1;
	return 0;
}

static int add_reach(struct check *c, long long key)
{
	if (c->nreach && c->reach[c->nreach - 1] == key)
		return 0;
	if (SFA_GROW(c->reach, c->capreach, c->nreach + 1))
		return oom(c);
	c->reach[c->nreach++] = key;
	return 0;
}

static int ukey_cmp(const void *a, const void *b)
{
	return key_cmp(&(*(struct user *const *)a)->key,
		       &(*(struct user *const *)b)->key);
}

static struct user *user_by_key(const struct check *c, long long key)
{
	struct user k, *kp = &k, **hit;

	k.key = key;
	hit = c->nusers ? bsearch(&kp, c->by_ukey, c->nusers,
				  sizeof(struct user *), ukey_cmp)
			: NULL;
	return hit ? *hit : NULL;
}

static int on_set(void *ud, long long user_key, const sfa_access_set *set)
{
	struct check *c = ud;
	struct user *u = user_by_key(c, user_key);
	size_t i;
	int rc;

	for (i = 0; i < set->n; i++) {
		const sfa_access_item *it = &set->items[i];
		const struct named *what, *via;
		struct held *h;

		if (it->type == SFA_AT_CONNECTED_APP) {
			/* Reachable through a profile or permission set: a
			 * token alone shows use, not reach. */
			if (it->via_type != SFA_AT_OAUTH_TOKEN &&
			    (rc = add_reach(c, it->access_id)))
				return rc;
			continue;
		}
		if (!u || !wants_held(c, u, it) ||
		    !(what = named_of(c, it->access_id)))
			continue;
		via = it->via_type == SFA_AT_DIRECT ? NULL
						    : named_of(c, it->via_id);
		if (!(h = arena_alloc(c, sizeof(*h))))
			return oom(c);
		h->type = sfa_access_type_name(it->type);
		h->via_type = sfa_access_type_name(it->via_type);
		h->id = what->id;
		h->name = what->name;
		h->via_id = via ? via->id : "";
		h->next = u->held;
		u->held = h;
	}
	return 0;
}

static int load_access(struct check *c)
{
	int need =
	    sfa_policy_enabled(c->policy, SFA_RULE_INACTIVE_WITH_ACCESS) ||
	    sfa_policy_enabled(c->policy, SFA_RULE_UNUSED_CONNECTED_APP);
	size_t i, n = 2 * sfa_policy_sod_count(c->policy);
	int rc;

	for (i = 0; i < n && sfa_policy_enabled(c->policy, SFA_RULE_SOD); i++)
		need |= !c->sides[i].is_perm;
	if (!need)
		return 0;
	if (c->nusers &&
	    !(c->by_ukey = malloc(c->nusers * sizeof(struct user *))))
		return oom(c);
	for (i = 0; i < c->nusers; i++)
		c->by_ukey[i] = &c->users[i];
	qsort(c->by_ukey, c->nusers, sizeof(struct user *), ukey_cmp);
	if ((rc = sfa_store_policy_each_set(c->st, c->snap, on_set, c, c->err)))
		return rc;
	if (c->nreach)
		qsort(c->reach, c->nreach, sizeof(*c->reach), key_cmp);
	return 0;
}

/* ---- the rules ---- */

/* The user's worst permission of tier <= max_tier (lowest tier, then
 * name, via_type, via_id), skipping `except`; NULL when none. */
/* The order a user's privileged permissions are named in: worst tier
 * first, then by permission and path, so that a finding's text does not
 * depend on the order the engine answered in. */
static int perm_cmp(const struct perm *a, const struct perm *b)
{
	int c = (a->tier > b->tier) - (a->tier < b->tier);

	if (!c)
		c = strcmp(a->permission, b->permission);
	if (!c)
		c = strcmp(a->via_type, b->via_type);
	return c ? c : strcmp(a->via_id, b->via_id);
}

/* The first of u's permissions of tier <= max_tier (but `except`) after
 * `after` (NULL: the first of all) in perm_cmp() order. */
static const struct perm *next_perm(const struct user *u, int max_tier,
				    const char *except,
				    const struct perm *after)
{
	const struct perm *p, *best = NULL;

	for (p = u->perms; p; p = p->next) {
		if (p->tier < 0 || p->tier > max_tier ||
		    (except && strcasecmp(p->permission, except) == 0) ||
		    (after && perm_cmp(p, after) <= 0))
			continue;
		if (!best || perm_cmp(p, best) < 0)
			best = p;
	}
	return best;
}

static const struct perm *worst(const struct user *u, int max_tier,
				const char *except)
{
	return next_perm(u, max_tier, except, NULL);
}

/* "ModifyAllData via profile 00e..; ViewAllData via ..." of the user's
 * permissions of tier <= max_tier, the first few in perm_cmp() order,
 * into buf. */
static void list_perms(const struct user *u, int max_tier, char *buf,
		       size_t size)
{
	const struct perm *p = NULL;
	size_t n = 0;
	int shown = 0, total = 0;

	buf[0] = '\0';
	for (p = u->perms; p; p = p->next)
		total += p->tier >= 0 && p->tier <= max_tier;
	for (p = NULL; shown < 8 && (p = next_perm(u, max_tier, NULL, p));) {
		int w = snprintf(buf + n, size - n, "%s%s via %s %s",
				 shown ? "; " : "", p->permission,
				 p->via_type, p->via_id);

		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
		shown++;
	}
	if (total > shown)
		snprintf(buf + n, size - n, "; and %d more", total - shown);
}

static void login_text(const struct check *c, const struct user *u, char *buf,
		       size_t size)
{
	time_t a, l;

	if (!u->last_login) {
		snprintf(buf, size, "never logged in");
		return;
	}
	if (parse_time(c->as_of, &a) || parse_time(u->last_login, &l))
		snprintf(buf, size, "last login %s", u->last_login);
	else
		snprintf(buf, size, "last login %s (%ld days before %s)",
			 u->last_login, (long)((a - l) / 86400), c->as_of);
}

static int dormant_rules(struct check *c)
{
	int on_p = sfa_policy_enabled(c->policy, SFA_RULE_DORMANT_PRIVILEGED);
	int on_d = sfa_policy_enabled(c->policy, SFA_RULE_DORMANT);
	char cut_p[21], cut_d[21], when[160], detail[1400], perms[1200];
	size_t i;
	int rc;

	days_before(c->as_of,
		    sfa_policy_days(c->policy, SFA_RULE_DORMANT_PRIVILEGED),
		    cut_p);
	days_before(c->as_of, sfa_policy_days(c->policy, SFA_RULE_DORMANT),
		    cut_d);
	for (i = 0; i < c->nusers; i++) {
		const struct user *u = &c->users[i];
		const struct perm *p;

		/* A frozen user cannot log in: inactive-with-access covers
		 * what they still hold.  The Automated Process and guest
		 * users are no one's login: they never log in. */
		if (!u->is_active || u->is_frozen ||
		    (u->user_type &&
		     (strcmp(u->user_type, "AutomatedProcess") == 0 ||
		      strcmp(u->user_type, "Guest") == 0)))
			continue;
		login_text(c, u, when, sizeof(when));
		if (on_d &&
		    (!u->last_login || strcmp(u->last_login, cut_d) <= 0) &&
		    (rc = add(c, SFA_RULE_DORMANT, u, NULL, NULL, NULL, when)))
			return rc;
		if (!on_p ||
		    (u->last_login && strcmp(u->last_login, cut_p) > 0) ||
		    !(p = worst(u, 1, NULL)))
			continue;
		list_perms(u, 1, perms, sizeof(perms));
		snprintf(detail, sizeof(detail), "%s; holds %s", when, perms);
		if ((rc = add(c, SFA_RULE_DORMANT_PRIVILEGED, u, p->permission,
			      p->via_type, p->via_id, detail)))
			return rc;
	}
	return 0;
}

static int privilege_rules(struct check *c)
{
	int on_x = sfa_policy_enabled(c->policy, SFA_RULE_EXTERNAL_PRIVILEGED);
	int on_m =
	    sfa_policy_enabled(c->policy, SFA_RULE_MFA_WAIVED_PRIVILEGED);
	char detail[1400], perms[1200];
	size_t i;
	int rc;

	for (i = 0; i < c->nusers; i++) {
		const struct user *u = &c->users[i];
		const struct perm *p, *waiver;

		if (!u->is_active || !u->perms)
			continue;
		/* Privileged: tiers 0-2, which take in object-level View All
		 * and Modify All (lib/access/PERMISSIONS.md §2). */
		if (on_x && u->user_type &&
		    strcmp(u->user_type, "Standard") != 0 &&
		    (p = worst(u, 2, NULL))) {
			list_perms(u, 2, perms, sizeof(perms));
			snprintf(detail, sizeof(detail), "UserType %s holds %s",
				 u->user_type, perms);
			if ((rc = add(c, SFA_RULE_EXTERNAL_PRIVILEGED, u,
				      p->permission, p->via_type, p->via_id,
				      detail)))
				return rc;
		}
		if (!on_m)
			continue;
		for (waiver = u->perms; waiver; waiver = waiver->next)
			if (strcasecmp(waiver->permission,
				       "BypassMFAForUiLogins") == 0)
				break;
		if (!waiver || !(p = worst(u, 1, "BypassMFAForUiLogins")))
			continue;
		list_perms(u, 1, perms, sizeof(perms));
		snprintf(detail, sizeof(detail),
			 "MFA waived (BypassMFAForUiLogins via %s %s); holds "
			 "%s",
			 waiver->via_type, waiver->via_id, perms);
		if ((rc = add(c, SFA_RULE_MFA_WAIVED_PRIVILEGED, u,
			      p->permission, p->via_type, p->via_id, detail)))
			return rc;
	}
	return 0;
}

/* How user u meets one side: the first route in a fixed order, written
 * as "TYPE ID" into buf; 0 when u does not meet it. */
static int meets(const struct user *u, const struct side *s, char *buf,
		 size_t size)
{
	const char *type = NULL, *id = NULL;

	if (s->is_perm) {
		const struct perm *p;

		for (p = u->perms; p; p = p->next)
			if (strcmp(p->permission, s->canon) == 0 &&
			    (!type || strcmp(p->via_type, type) < 0 ||
			     (strcmp(p->via_type, type) == 0 &&
			      strcmp(p->via_id, id) < 0))) {
				type = p->via_type;
				id = p->via_id;
			}
	} else {
		const struct held *h;

		for (h = u->held; h; h = h->next)
			if (contains(s->ids, s->nids, h->id) &&
			    (!type || strcmp(h->type, type) < 0 ||
			     (strcmp(h->type, type) == 0 &&
			      strcmp(h->id, id) < 0))) {
				type = h->type;
				id = h->id;
			}
	}
	if (!type)
		return 0;
	snprintf(buf, size, "%s %s", type, id);
	return 1;
}

static int sod_rule(struct check *c)
{
	size_t i, k, n = sfa_policy_sod_count(c->policy);
	char a[256], b[256], detail[1024];
	int rc;

	if (!sfa_policy_enabled(c->policy, SFA_RULE_SOD))
		return 0;
	for (i = 0; i < c->nusers; i++) {
		const struct user *u = &c->users[i];

		if (!u->is_active)
			continue;
		for (k = 0; k < n; k++) {
			const struct side *sa = &c->sides[2 * k],
					  *sb = &c->sides[2 * k + 1];
			const char *name, *ta, *tb;

			if (!meets(u, sa, a, sizeof(a)) ||
			    !meets(u, sb, b, sizeof(b)))
				continue;
			sfa_policy_sod_get(c->policy, k, &name, &ta, &tb);
			/* plan.c reads the two "side: TYPE ID" parts back. */
			snprintf(detail, sizeof(detail), "%s: %s; %s: %s", ta,
				 a, tb, b);
			if ((rc = add(c, SFA_RULE_SOD, u, name, NULL, NULL,
				      detail)))
				return rc;
		}
	}
	return 0;
}

static int on_expired(void *ud, const sfa_expired *e)
{
	struct check *c = ud;
	const struct user *u = find_user(c, e->user_id);
	char detail[256];

	if (!u)
		return 0;
	snprintf(detail, sizeof(detail), "assignment %s expired %s",
		 e->assignment_id ? e->assignment_id : "?", e->expiration_date);
	return add(c, SFA_RULE_EXPIRED_ASSIGNMENT, u, e->name ? e->name : e->id,
		   e->type, e->id, detail);
}

static int inactive_rule(struct check *c)
{
	char detail[512];
	size_t i;
	int rc;

	for (i = 0; i < c->nusers; i++) {
		const struct user *u = &c->users[i];
		const struct held *h;

		if (u->is_active && !u->is_frozen)
			continue;
		for (h = u->held; h; h = h->next) {
			if (strcmp(h->type, "group") == 0 &&
			    (strcmp(h->via_type, "direct") != 0 ||
			     contains(c->org_groups, c->norg, h->id)))
				continue;
			if (strcmp(h->type, "permission_set") != 0 &&
			    strcmp(h->type, "permission_set_group") != 0 &&
			    strcmp(h->type, "group") != 0)
				continue;
			snprintf(detail, sizeof(detail), "%s user holds %s %s",
				 u->is_active ? "frozen" : "deactivated",
				 h->type, h->name);
			if ((rc = add(c, SFA_RULE_INACTIVE_WITH_ACCESS, u,
				      h->id, h->via_type,
				      strcmp(h->via_type, "direct") ? h->via_id
								    : "",
				      detail)))
				return rc;
		}
	}
	return 0;
}

static int on_app(void *ud, const char *id, const char *name, long long tokens,
		  long long used, long long key)
{
	struct check *c = ud;
	char detail[512];

	if (used > 0 || !has_key(c->reach, c->nreach, key))
		return 0;
	if (tokens)
		snprintf(
		    detail, sizeof(detail),
		    "connected app %s (%s) is reachable; none of its %lld "
		    "OAuth tokens was used in %d days",
		    name, id, tokens,
		    sfa_policy_days(c->policy, SFA_RULE_UNUSED_CONNECTED_APP));
	else
		snprintf(detail, sizeof(detail),
			 "connected app %s (%s) is reachable and no OAuth "
			 "token names it",
			 name, id);
	return add(c, SFA_RULE_UNUSED_CONNECTED_APP, NULL, name,
		   "connected_app", id, detail);
}

/* ---- leavers ---- */

struct logins_text {
	char *buf;
	size_t size, n;
	int count;
};

static int on_leaver_login(void *ud, const sfa_login *l)
{
	struct logins_text *t = ud;
	int w;

	t->count++;
	if (t->n + 1 >= t->size)
		return 0;
	w = snprintf(
	    t->buf + t->n, t->size - t->n, "%s%s%s%s%s%s",
	    t->count == 1 ? "" : ", ", l->login_time, l->application ? " " : "",
	    l->application ? l->application : "", l->source_ip ? " from " : "",
	    l->source_ip ? l->source_ip : "");
	if (w > 0)
		t->n =
		    (size_t)w < t->size - t->n ? t->n + (size_t)w : t->size - 1;
	return 0;
}

static int by_username(const void *a, const void *b)
{
	const struct user *x = *(const struct user *const *)a;
	const struct user *y = *(const struct user *const *)b;

	return strcmp(x->username ? x->username : x->id,
		      y->username ? y->username : y->id);
}

static const char *key_of(const struct user *u, int level)
{
	return level == 0   ? u->federation_id
	       : level == 1 ? u->username
			    : u->email;
}

#define BY_KEY(name, level)                                                    \
	static int name(const void *a, const void *b)                          \
	{                                                                      \
		return strcasecmp(                                             \
		    key_of(*(const struct user *const *)a, level),             \
		    key_of(*(const struct user *const *)b, level));            \
	}
BY_KEY(key_cmp_federation_id, 0)
BY_KEY(key_cmp_username, 1)
BY_KEY(key_cmp_email, 2)

/* The users that have a key of each level (federation_id 0, username 1,
 * email 2), sorted by it ignoring case, so that an HR file of thousands
 * of people is matched by binary search, not by a scan per person. */
static int index_keys(struct check *c)
{
	int level;
	size_t i;

	for (level = 0; level < 3; level++) {
		const struct user **v =
		    malloc((c->nusers ? c->nusers : 1) * sizeof(struct user *));
		size_t n = 0;

		if (!v)
			return oom(c);
		for (i = 0; i < c->nusers; i++)
			if (key_of(&c->users[i], level))
				v[n++] = &c->users[i];
		qsort(v, n, sizeof(struct user *),
		      level == 0   ? key_cmp_federation_id
		      : level == 1 ? key_cmp_username
				   : key_cmp_email);
		c->by_key[level] = v;
		c->nkey[level] = n;
	}
	return 0;
}

/* The users a key of one level matches, ignoring case: at most nmax kept
 * in m, the count returned. */
static size_t match(const struct check *c, int level, const char *key,
		    const struct user **m, size_t nmax)
{
	const struct user *const *v = c->by_key[level];
	size_t lo = 0, hi = c->nkey[level], n = 0;

	if (!key)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(key_of(v[mid], level), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (;
	     lo < c->nkey[level] && strcasecmp(key_of(v[lo], level), key) == 0;
	     lo++) {
		if (n < nmax)
			m[n] = v[lo];
		n++;
	}
	return n;
}

/* "a, b, c" of the matched usernames, sorted, and how many more. */
static void list_users(const struct user **m, size_t kept, size_t n, char *buf,
		       size_t size)
{
	size_t i, used = 0;

	qsort(m, kept, sizeof(struct user *), by_username);
	buf[0] = '\0';
	for (i = 0; i < kept && used + 1 < size; i++) {
		int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 m[i]->username ? m[i]->username : m[i]->id);

		if (w < 0)
			break;
		used += (size_t)w < size - used ? (size_t)w : size - used - 1;
	}
	if (n > kept && used + 1 < size)
		snprintf(buf + used, size - used, " and %zu more", n - kept);
}

#define MAX_LISTED 10

static int leaver_rule(struct check *c)
{
	size_t i;
	int rc;

	if ((rc = index_keys(c)))
		return rc;
	for (i = 0; i < sfa_hr_count(c->hr); i++) {
		const sfa_hr_person *p = sfa_hr_get(c->hr, i);
		const struct user *m[MAX_LISTED];
		size_t nm = 0;
		int level;
		char after[21], logins[2048], detail[2600], users[1024];
		struct logins_text lt = {logins, sizeof(logins), 0, 0};
		time_t d;

		if (!p->terminated)
			continue;
		/* federation_id, then username, then email: the first key
		 * that matches anyone decides. */
		for (level = 0; level < 3 && nm == 0; level++)
			nm = match(c, level,
				   level == 0	? p->federation_id
				   : level == 1 ? p->username
						: p->email,
				   m, MAX_LISTED);
		if (nm == 0)
			continue;
		if (nm > 1) {
			list_users(m, nm < MAX_LISTED ? nm : MAX_LISTED, nm,
				   users, sizeof(users));
			snprintf(detail, sizeof(detail),
				 "ambiguous: %s:%d matches %zu users (%s); not "
				 "guessed",
				 sfa_hr_name(c->hr), p->line, nm, users);
			if ((rc = add(c, SFA_RULE_LEAVER, NULL,
				      p->federation_id ? p->federation_id
				      : p->username    ? p->username
						       : p->email,
				      NULL, NULL, detail)))
				return rc;
			continue;
		}
		if (!m[0]->is_active || m[0]->is_frozen)
			continue;
		{
			char day[32];

			snprintf(day, sizeof(day), "%sT00:00:00Z",
				 p->termination_date);
			if (parse_time(day, &d))
				continue;
			format_time(d + 86400, after);
		}
		logins[0] = '\0';
		if ((rc = sfa_store_logins_after(c->st, c->org_id, m[0]->id,
						 after, on_leaver_login, &lt,
						 c->err)))
			return rc;
		snprintf(detail, sizeof(detail),
			 "terminated %s (%s:%d), still active; %d logins "
			 "after%s%s",
			 p->termination_date, sfa_hr_name(c->hr), p->line,
			 lt.count, lt.count ? ": " : "", logins);
		if ((rc = add(c, SFA_RULE_LEAVER, m[0], NULL, NULL, NULL,
			      detail)))
			return rc;
	}
	return 0;
}

/* ---- the check ---- */

struct snapinfo {
	char *org_id, *started_at;
	long long n_users;
};

static int on_snapshot(void *ud, const sfa_snapshot_info *s)
{
	struct snapinfo *i = ud;

	i->org_id = strdup(s->org_id ? s->org_id : "");
	i->started_at = strdup(s->started_at ? s->started_at : "");
	i->n_users = s->n_users;
	return 0;
}

/* Opens the permission seam when an enabled rule may need it; refuses a
 * snapshot without permissions when one does, naming those rules. */
static int open_perms(struct check *c)
{
	static const sfa_rule uses[] = {SFA_RULE_DORMANT_PRIVILEGED,
					SFA_RULE_EXTERNAL_PRIVILEGED,
					SFA_RULE_MFA_WAIVED_PRIVILEGED};
	char need[256] = "";
	size_t i, n = 0;
	/* [sod] sides are checked even with the rule off. */
	int sod = sfa_policy_sod_count(c->policy) > 0;
	int rc;

	for (i = 0; i < sizeof(uses) / sizeof(uses[0]); i++)
		if (sfa_policy_enabled(c->policy, uses[i]))
			n += (size_t)snprintf(need + n, sizeof(need) - n,
					      "%s%s", n ? ", " : "",
					      sfa_rule_name(uses[i]));
	if (!n && !sod)
		return 0;
	if ((rc = sfa_user_perms_open(&c->up, c->st, c->snap, c->pv, c->err)))
		return rc;
	if (!n || sfa_user_perms_synced(c->up))
		return 0;
	/* [sod] sides are found as containers, or named here. */
	sfa_err_where(c->err, "snapshot %lld", c->snap);
	return sfa_err_set(c->err, SFA_EINPUT,
			   "snapshot %lld holds no permissions (synced with "
			   "--no-sync-permissions or by an older sfaccess), "
			   "which %s need%s: sync again with permissions, or "
			   "turn %s off in the policy file",
			   c->snap, need, strchr(need, ',') ? "" : "s",
			   strchr(need, ',') ? "them" : "it");
}

/* After the permission rules: the rows and the engine are not read
 * again. */
static void release_perms(struct check *c)
{
	size_t i;

	for (i = 0; i < c->nusers; i++)
		c->users[i].perms = NULL;
	chunk_free(&c->perm_arena);
	sfa_user_perms_free(c->up);
	c->up = NULL;
}

static int run(struct check *c)
{
	int rc;

	if ((rc = open_perms(c)) || (rc = resolve_sides(c)) || (rc = load(c)) ||
	    (rc = load_access(c)))
		return rc;
	if ((rc = dormant_rules(c)) || (rc = privilege_rules(c)) ||
	    (rc = sod_rule(c)))
		return rc;
	release_perms(c);
	if (sfa_policy_enabled(c->policy, SFA_RULE_EXPIRED_ASSIGNMENT) &&
	    (rc = sfa_store_policy_expired(c->st, c->snap, c->as_of, on_expired,
					   c, c->err)))
		return rc;
	if (sfa_policy_enabled(c->policy, SFA_RULE_INACTIVE_WITH_ACCESS) &&
	    (rc = inactive_rule(c)))
		return rc;
	if (sfa_policy_enabled(c->policy, SFA_RULE_UNUSED_CONNECTED_APP)) {
		char since[21];

		days_before(
		    c->as_of,
		    sfa_policy_days(c->policy, SFA_RULE_UNUSED_CONNECTED_APP),
		    since);
		if ((rc = sfa_store_policy_apps(c->st, c->snap, since, on_app,
						c, c->err)))
			return rc;
	}
	if (c->hr && sfa_policy_enabled(c->policy, SFA_RULE_LEAVER) &&
	    (rc = leaver_rule(c)))
		return rc;
	return 0;
}

int sfa_policy_check(sfa_store *st, long long snap, const sfa_check_opts *o,
		     sfa_findings **out, sfa_err *err)
{
	struct check c;
	struct snapinfo info = {NULL, NULL, 0};
	sfa_policy *defaults = NULL;
	size_t i;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.snap = snap;
	c.err = err;
	c.hr = o ? o->hr : NULL;
	if ((rc = sfa_store_get_snapshot(st, snap, on_snapshot, &info, err)))
		return rc;
	if (!info.org_id || !info.started_at) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	c.org_id = info.org_id;
	/* The users array at its size: grown by doubling, a quarter of it
	 * would stay unused at 200,000 users. */
	if (info.n_users > 0 &&
	    !(c.users = malloc((size_t)info.n_users * sizeof(*c.users)))) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	c.capusers = info.n_users > 0 ? (size_t)info.n_users : 0;
	snprintf(c.as_of, sizeof(c.as_of), "%s",
		 o && o->as_of ? o->as_of : info.started_at);
	if (o && o->policy) {
		c.policy = o->policy;
	} else {
		if ((rc = sfa_policy_default(&defaults, err)))
			goto out;
		c.policy = defaults;
	}
	if ((rc = sfa_findings_new(&c.out, err)))
		goto out;
	c.pv = o ? o->privileged : NULL;
	rc = run(&c);
	if (rc == 0) {
		sfa_findings_sort(c.out);
		rc = sfa_findings_set_as_of(c.out, c.as_of, err);
	}
	if (rc == 0) {
		*out = c.out;
		c.out = NULL;
	}
out:
	if (c.sides)
		for (i = 0; i < 2 * sfa_policy_sod_count(c.policy); i++) {
			free(c.sides[i].ids);
			free(c.sides[i].keys);
		}
	free(c.sides);
	sfa_user_perms_free(c.up);
	free(c.interned);
	free(c.reach);
	free(c.named);
	free(c.hr_keys);
	free(c.by_ukey);
	free(c.org_groups);
	for (i = 0; i < 3; i++)
		free(c.by_key[i]);
	free(c.by_id);
	free(c.users);
	sfa_findings_free(c.out);
	arena_free(&c);
	sfa_policy_free(defaults);
	free(info.org_id);
	free(info.started_at);
	return rc;
}
