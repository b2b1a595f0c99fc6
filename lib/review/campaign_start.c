/*
 * campaign_start.c - `review start`: picks the rows in scope from a
 * snapshot, routes each to its reviewer (REVIEW.md "Start") and issues
 * them with their tokens in one transaction (store_campaign.c).
 *
 * Rows come user by user (sfa_store_each_access), so a user's reviewer is
 * found once per user by manager; by owner it is looked up per access
 * item.  Users are held as offsets into one text buffer, sorted by Id, so
 * that a 200,000-user org routes in a few megabytes.
 */
#include "campaign_int.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_pack.h"
#include "buf.h"
#include "fnv.h"
#include "grow.h"

const char *const sfa_campaign_columns[SFA_CC_NCOLS] = {
    "username",	   "user_id",	  "name",	"status",
    "last_login_at", "access_type", "access_id",	"access_name",
    "via_type",	   "via_id",	  "via_name",	"tier",
    "expires_at",	   "decision",	  "comment",	"row_token"};

void sfa_campaign_token(const unsigned char *secret, size_t secret_len,
			long long snapshot_id, const char *user_id,
			const char *access_type, const char *access_id,
			const char *via_type, const char *via_id,
			const char *reviewer, char out[65])
{
	const char *parts[] = {user_id,	 access_type, access_id,
			       via_type, via_id,      reviewer};
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	sfa_buf msg = {0};
	int bad;

	bad = sfa_buf_printf(&msg, "%lld\x1f", snapshot_id);
	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
		bad |= sfa_buf_puts(&msg, parts[i] ? parts[i] : "");
		bad |= sfa_buf_append(&msg, "\x1f", 1);
	}
	/* A token that cannot be made matches nothing: empty. */
	if (bad || !HMAC(EVP_sha256(), secret, (int)secret_len,
			 (const unsigned char *)msg.data, msg.len, md,
			 &mdlen)) {
		out[0] = 0;
		sfa_buf_free(&msg);
		return;
	}
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 2 * (size_t)i, 3, "%02x", md[i]);
	sfa_buf_free(&msg);
}

/* ---- users ---- */

typedef struct user {
	size_t id, username, manager; /* offsets into text; manager 0: none */
	int active;
} user;

typedef struct users {
	user *v;
	size_t n, cap;
	sfa_buf text; /* starts with one NUL so offset 0 is "" */
} users;

static const char *ut(const users *u, size_t at)
{
	return u->text.data + at;
}

static int keep(users *u, const char *s, size_t *at)
{
	*at = 0;
	if (!s || !*s)
		return 0;
	*at = u->text.len;
	return sfa_buf_append(&u->text, s, strlen(s) + 1);
}

static int on_user(void *ud, const char *id, const char *username,
		   int active, const char *manager)
{
	users *u = ud;
	user *x;

	if (SFA_GROW(u->v, u->cap, u->n + 1))
		return SFA_ENOMEM;
	x = &u->v[u->n];
	x->active = active;
	if (keep(u, id, &x->id) || keep(u, username, &x->username) ||
	    keep(u, manager, &x->manager))
		return SFA_ENOMEM;
	u->n++;
	return 0;
}

static const users *sort_users;
static int cmp_user(const void *a, const void *b)
{
	return strcmp(ut(sort_users, ((const user *)a)->id),
		      ut(sort_users, ((const user *)b)->id));
}

static const user *user_by_id(const users *u, const char *id)
{
	size_t lo = 0, hi = u->n;

	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, ut(u, u->v[mid].id));

		if (!c)
			return &u->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* A few lookups per campaign (the configured reviewers): a scan. */
static const user *user_by_name(const users *u, const char *username)
{
	size_t i;

	for (i = 0; username && i < u->n; i++)
		if (strcmp(ut(u, u->v[i].username), username) == 0)
			return &u->v[i];
	return NULL;
}

static int load_users(sfa_store *st, long long snap, users *u, sfa_err *err)
{
	int rc;

	if (sfa_buf_append(&u->text, "", 1))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	rc = sfa_campaign_each_user(st, snap, on_user, u, err);
	if (rc == SFA_ENOMEM)
		return sfa_err_set(err, rc, "out of memory");
	if (rc)
		return rc;
	sort_users = u;
	if (u->n)
		qsort(u->v, u->n, sizeof(*u->v), cmp_user);
	sort_users = NULL;
	return 0;
}

/* ---- id -> text maps (tiers, owners), small and sorted ---- */

typedef struct pair {
	char *key, *value;
} pair;

typedef struct pairs {
	pair *v;
	size_t n, cap;
} pairs;

static int pair_add(pairs *p, const char *key, const char *value)
{
	if (SFA_GROW(p->v, p->cap, p->n + 1))
		return SFA_ENOMEM;
	p->v[p->n].key = strdup(key);
	p->v[p->n].value = strdup(value);
	if (!p->v[p->n].key || !p->v[p->n].value) {
		free(p->v[p->n].key);
		free(p->v[p->n].value);
		return SFA_ENOMEM;
	}
	p->n++;
	return 0;
}

static int cmp_pair(const void *a, const void *b)
{
	return strcmp(((const pair *)a)->key, ((const pair *)b)->key);
}

static const char *pair_get(const pairs *p, const char *key)
{
	pair k = {(char *)key, NULL}, *hit;

	if (!key || !p->n)
		return NULL;
	hit = bsearch(&k, p->v, p->n, sizeof(*p->v), cmp_pair);
	return hit ? hit->value : NULL;
}

static void pairs_free(pairs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].value);
	}
	free(p->v);
}

/* ---- tier ----
 * Until the permission engine's tiers land (lib/access/PERMISSIONS.md), a
 * profile's or permission set's tier is the lowest tier of the privileged flags
 * the snapshot records for it (lib/access/PERMISSIONS.md §2): Modify All
 * Data, Author Apex, Customize Application 0; Manage Users 1; View All
 * Data 2.  Empty: not privileged.  This is the one place that decides. */
static const struct {
	const char *field;
	int tier;
} tier_flags[] = {
    {"PermissionsModifyAllData", 0},	    {"PermissionsAuthorApex", 0},
    {"PermissionsCustomizeApplication", 0}, {"PermissionsManageUsers", 1},
    {"PermissionsViewAllData", 2},
};

static int on_tier_resource(void *ud, const sfa_resource_row *r)
{
	json_t *a = json_loads(r->attrs ? r->attrs : "{}", 0, NULL);
	int tier = -1, rc = 0;
	size_t i;

	for (i = 0; a && i < sizeof(tier_flags) / sizeof(*tier_flags); i++)
		if (json_is_true(json_object_get(a, tier_flags[i].field)) &&
		    (tier < 0 || tier_flags[i].tier < tier))
			tier = tier_flags[i].tier;
	json_decref(a);
	if (tier >= 0) {
		char t[12];

		snprintf(t, sizeof(t), "%d", tier);
		rc = pair_add(ud, r->id, t);
	}
	return rc;
}

static int load_tiers(sfa_store *st, long long snap, pairs *tiers,
		      sfa_err *err)
{
	int rc = sfa_store_each_resource(st, snap, "profile",
					 on_tier_resource, tiers, err);

	if (!rc)
		rc = sfa_store_each_resource(st, snap, "permission_set",
					     on_tier_resource, tiers, err);
	if (rc == SFA_ENOMEM)
		return sfa_err_set(err, rc, "out of memory");
	if (tiers->n)
		qsort(tiers->v, tiers->n, sizeof(*tiers->v), cmp_pair);
	return rc;
}

static const char *row_tier(const pairs *tiers, const sfa_access_row *r)
{
	const char *t = r->access_type && (!strcmp(r->access_type, "profile") ||
					   !strcmp(r->access_type,
						   "permission_set"))
			    ? pair_get(tiers, r->access_id)
			    : NULL;

	return t ? t : "";
}

/* ---- owners: [review.owners] keys resolved to resource ids ---- */

static const struct {
	const char *type, *field;
} owner_types[] = {{"permission_set", "Name"},
		   {"group", "DeveloperName"},
		   {"profile", "Name"},
		   {"connected_app", "Name"}};

typedef struct owner_find {
	const char *field, *name;
	char id[32];
	int hits;
} owner_find;

static int on_owner_resource(void *ud, const sfa_resource_row *r)
{
	owner_find *f = ud;
	json_t *a = json_loads(r->attrs ? r->attrs : "{}", 0, NULL);
	const char *v = json_string_value(json_object_get(a, f->field));

	if (v && strcmp(v, f->name) == 0) {
		snprintf(f->id, sizeof(f->id), "%s", r->id);
		f->hits++;
	}
	json_decref(a);
	return 0;
}

static int load_owners(sfa_store *st, const sfa_campaign_spec *sp,
		       const users *u, pairs *owners, const char **any,
		       sfa_err *err)
{
	size_t i, k;
	int rc;

	*any = NULL;
	for (i = 0; i < sp->nowners; i++) {
		const char *key = sp->owners[i].key,
			   *who = sp->owners[i].reviewer;
		const char *colon = strchr(key, ':');
		owner_find f;

		if (!user_by_name(u, who))
			return sfa_err_set(err, SFA_EINPUT,
					   "[review.owners] %s: reviewer %s "
					   "is not a user of snapshot %lld",
					   key, who, sp->snapshot_id);
		if (strcmp(key, "*") == 0) {
			*any = who;
			continue;
		}
		memset(&f, 0, sizeof(f));
		for (k = 0; colon && k < sizeof(owner_types) /
						 sizeof(*owner_types);
		     k++)
			if (strlen(owner_types[k].type) ==
				(size_t)(colon - key) &&
			    !strncmp(owner_types[k].type, key,
				     (size_t)(colon - key)))
				break;
		if (!colon || k == sizeof(owner_types) / sizeof(*owner_types))
			return sfa_err_set(
			    err, SFA_EINPUT,
			    "[review.owners] %s: not permission_set:Name, "
			    "group:DeveloperName, profile:Name, "
			    "connected_app:Name or *",
			    key);
		f.field = owner_types[k].field;
		f.name = colon + 1;
		if ((rc = sfa_store_each_resource(st, sp->snapshot_id,
						  owner_types[k].type,
						  on_owner_resource, &f, err)))
			return rc;
		if (!f.hits)
			return sfa_err_set(err, SFA_EINPUT,
					   "[review.owners] %s: snapshot %lld "
					   "has no %s with %s %s",
					   key, sp->snapshot_id,
					   owner_types[k].type, f.field, f.name);
		if (pair_add(owners, f.id, who))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	if (owners->n) /* none but `*`: no array to sort */
		qsort(owners->v, owners->n, sizeof(*owners->v), cmp_pair);
	return 0;
}

/* ---- --changed-since: keys of the earlier snapshot's rows ---- */

static uint64_t row_key(const sfa_access_row *r)
{
	const char *parts[] = {r->user_id,  r->access_type, r->access_id,
			       r->via_type, r->via_id};
	uint64_t h = SFA_FNV_BASIS;
	size_t i;

	/* Each part ends with a unit separator, as the token's text does. */
	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		h = sfa_fnv1a_add(sfa_fnv1a_add(h, parts[i]), "\x1f");
	return h;
}

typedef struct keys {
	uint64_t *v;
	size_t n, cap;
} keys;

static int on_old_row(void *ud, const sfa_access_row *r)
{
	keys *k = ud;

	if (SFA_GROW(k->v, k->cap, k->n + 1))
		return SFA_ENOMEM;
	k->v[k->n++] = row_key(r);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- rows per reviewer ---- */

/* The data rows of one worksheet: Excel's 1,048,576 rows less the
 * header.  A reviewer's rows must fit one Review sheet. */
#define SHEET_ROWS 1048575

/* Rows issued so far per reviewer, by name (an open-addressing table;
 * names are borrowed: users' text, the spec's or the owner map's). */
typedef struct tally {
	struct slot {
		const char *who;
		long long n;
	} * v;
	size_t cap, used;
} tally;

static struct slot *slot_of(struct slot *v, size_t cap, const char *who)
{
	size_t k = sfa_fnv1a(who) & (cap - 1);

	while (v[k].who && strcmp(v[k].who, who) != 0)
		k = (k + 1) & (cap - 1);
	return &v[k];
}

/* The count of who, one more; NULL out of memory. */
static long long *tally_one(tally *t, const char *who)
{
	struct slot *x;

	if ((t->used + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024, i;
		struct slot *v = calloc(cap, sizeof(*v));

		if (!v)
			return NULL;
		for (i = 0; i < t->cap; i++)
			if (t->v[i].who)
				*slot_of(v, cap, t->v[i].who) = t->v[i];
		free(t->v);
		t->v = v;
		t->cap = cap;
	}
	x = slot_of(t->v, t->cap, who);
	if (!x->who) {
		x->who = who;
		t->used++;
	}
	x->n++;
	return &x->n;
}

/* ---- issuing ---- */

typedef struct start {
	sfa_store *st;
	const sfa_campaign_spec *sp;
	sfa_campaign_txn *txn;
	long long id, seq;
	unsigned char secret[SFA_CAMPAIGN_SECRET_LEN];
	users users;
	pairs tiers, owners;
	const char *any_owner;
	keys old;
	/* the reviewer by manager of the current user */
	char cur_user[32];
	const char *cur_reviewer;
	sfa_buf self;	/* users who would review their own rows, "a, b" */
	sfa_buf self_last; /* the last one listed, to list each once */
	long long nself;
	tally per_reviewer;
	sfa_buf unowned; /* access items with no owner */
	pairs unowned_seen;
	long long nunowned;
	sfa_err *err;
} start;

static int in_scope(const start *s, const sfa_access_row *r, const char *tier)
{
	uint64_t k;

	/* --access-type is the read's filter (scope_filter()). */
	if (s->sp->privileged_only && !*tier)
		return 0;
	if (s->sp->changed_since) {
		k = row_key(r);
		if (s->old.n &&
		    bsearch(&k, s->old.v, s->old.n, sizeof(*s->old.v), cmp_u64))
			return 0;
	}
	return 1;
}

/* The manager's username when the manager can review, else the fallback
 * (no manager, an inactive or unknown manager, one's own manager). */
static const char *by_manager(const start *s, const sfa_access_row *r)
{
	const user *me = user_by_id(&s->users, r->user_id), *m;

	if (!me || !me->manager)
		return s->sp->fallback;
	m = user_by_id(&s->users, ut(&s->users, me->manager));
	if (!m || !m->active || m == me)
		return s->sp->fallback;
	return ut(&s->users, m->username);
}

static int list_once(sfa_buf *b, sfa_buf *last, long long *n, const char *what)
{
	if (last->data && strcmp(last->data, what) == 0)
		return 0;
	sfa_buf_reset(last);
	if (sfa_buf_puts(last, what))
		return SFA_ENOMEM;
	if (++*n > 10)
		return 0;
	return sfa_buf_printf(b, "%s%s", b->len ? ", " : "", what);
}

/* Lists an access item without an owner, each once. */
static int unowned(start *s, const char *item)
{
	size_t i;

	for (i = 0; i < s->unowned_seen.n; i++)
		if (strcmp(s->unowned_seen.v[i].key, item) == 0)
			return 0;
	if (pair_add(&s->unowned_seen, item, ""))
		return SFA_ENOMEM;
	if (++s->nunowned <= 10 &&
	    sfa_buf_printf(&s->unowned, "%s%s", s->unowned.len ? ", " : "",
			   item))
		return SFA_ENOMEM;
	return 0;
}

static int on_row(void *ud, const sfa_access_row *r)
{
	start *s = ud;
	const char *tier = row_tier(&s->tiers, r), *who, *cells[SFA_CC_NLOCKED];
	char token[65], key[160];
	long long *n;

	if (!in_scope(s, r, tier))
		return 0;
	if (strcmp(s->sp->routing, "owner") == 0) {
		who = pair_get(&s->owners, r->access_id);
		if (!who)
			who = s->any_owner;
		if (!who) {
			snprintf(key, sizeof(key), "%s %s (%s)",
				 r->access_type ? r->access_type : "",
				 r->access_name ? r->access_name : "",
				 r->access_id ? r->access_id : "");
			return unowned(s, key);
		}
	} else {
		if (strcmp(s->cur_user, r->user_id ? r->user_id : "") != 0) {
			snprintf(s->cur_user, sizeof(s->cur_user), "%s",
				 r->user_id ? r->user_id : "");
			s->cur_reviewer = by_manager(s, r);
		}
		who = s->cur_reviewer;
		if (!who)
			return sfa_err_set(
			    s->err, SFA_EINPUT,
			    "%s has no manager who can review (none, "
			    "inactive or themselves) and [review] fallback "
			    "is not set",
			    r->username ? r->username : r->user_id);
	}
	if (r->username && strcmp(who, r->username) == 0) {
		who = s->sp->escalation;
		if (!who || strcmp(who, r->username) == 0)
			return list_once(&s->self, &s->self_last, &s->nself,
					 r->username)
				   ? SFA_ENOMEM
				   : 0;
	}
	if (s->nself || s->nunowned)
		return 0; /* refused at the end; only list the rest */
	if (!(n = tally_one(&s->per_reviewer, who)))
		return SFA_ENOMEM;
	if (*n > SHEET_ROWS) /* said as soon as known, not 20 million rows on */
		return sfa_err_set(s->err, SFA_EINPUT,
				   "%s would review more than %d rows, more "
				   "than a worksheet holds: narrow the scope "
				   "(%s--access-type, --privileged-only, "
				   "--changed-since) or route --by owner",
				   who, SHEET_ROWS,
				   s->sp->include_inherited
				       ? "without --include-inherited, "
				       : "");
	cells[SFA_CC_USERNAME] = r->username;
	cells[SFA_CC_USER_ID] = r->user_id;
	cells[SFA_CC_NAME] = r->name;
	cells[SFA_CC_STATUS] = !r->is_active	? "inactive"
			       : r->is_frozen ? "frozen"
					      : "active";
	cells[SFA_CC_LAST_LOGIN_AT] = r->last_login_at;
	cells[SFA_CC_ACCESS_TYPE] = r->access_type;
	cells[SFA_CC_ACCESS_ID] = r->access_id;
	cells[SFA_CC_ACCESS_NAME] = r->access_name;
	cells[SFA_CC_VIA_TYPE] = r->via_type;
	cells[SFA_CC_VIA_ID] = r->via_id;
	cells[SFA_CC_VIA_NAME] = r->via_name;
	cells[SFA_CC_TIER] = tier;
	cells[SFA_CC_EXPIRES_AT] = r->expires_at;
	sfa_campaign_token(s->secret, sizeof(s->secret), r->snapshot_id,
			   r->user_id, r->access_type, r->access_id,
			   r->via_type, r->via_id, who, token);
	return sfa_campaign_txn_issue(s->txn, s->id, ++s->seq, who, token,
				      cells, s->err);
}

typedef struct snap {
	char hash[65], org[32];
	int complete;
} snap;

static int on_snapshot(void *ud, const sfa_snapshot_info *i)
{
	snap *s = ud;

	snprintf(s->hash, sizeof(s->hash), "%s",
		 i->content_hash ? i->content_hash : "");
	snprintf(s->org, sizeof(s->org), "%s", i->org_id ? i->org_id : "");
	s->complete = i->status && strcmp(i->status, "complete") == 0;
	return 0;
}

static int check_snapshot(sfa_store *st, long long id, const char *flag,
			  snap *out, sfa_err *err)
{
	int rc = sfa_store_get_snapshot(st, id, on_snapshot, out, err);

	if (rc == SFA_ENOTFOUND) {
		sfa_err_where(err, "%s", flag);
		return sfa_err_set(err, SFA_EINPUT, "no snapshot %lld", id);
	}
	if (!rc && !out->complete) {
		sfa_err_where(err, "%s", flag);
		return sfa_err_set(err, SFA_EINPUT,
				   "snapshot %lld is incomplete", id);
	}
	return rc;
}

static int check_reviewer(const start *s, const char *key, const char *who)
{
	if (who && !user_by_name(&s->users, who))
		return sfa_err_set(s->err, SFA_EINPUT,
				   "[review] %s = %s is not a user of "
				   "snapshot %lld",
				   key, who, s->sp->snapshot_id);
	return 0;
}

static int scope_text(const sfa_campaign_spec *sp, sfa_buf *b)
{
	size_t i;
	int bad = 0;

	if (sp->privileged_only)
		bad |= sfa_buf_puts(b, "privileged-only");
	for (i = 0; sp->access_types && i < sp->naccess_types; i++)
		bad |= sfa_buf_printf(b, "%s%s", i ? "," : b->len ? "; access-type=" : "access-type=",
				      sp->access_types[i]);
	if (sp->changed_since)
		bad |= sfa_buf_printf(b, "%schanged-since=%lld",
				      b->len ? "; " : "", sp->changed_since);
	if (!b->len)
		bad |= sfa_buf_puts(b, "all");
	bad |= sfa_buf_puts(b, sp->include_inherited
				   ? "; inherited rows included"
				   : "; inherited rows left out");
	return bad;
}

/* The access types in scope, for the snapshot's read to skip the others
 * before it names them (a 200,000-user snapshot has 21 million rows, most
 * of them nested group memberships).  A campaign issues access rows, not
 * the permission engine's privileged rows (system_permission,
 * object_permission): those say why a profile or permission set has its
 * tier, which that row's own tier cell shows, and no change file revokes
 * them. */
static unsigned scope_types(const sfa_campaign_spec *sp)
{
	unsigned types = 0;
	size_t i;
	int c;

	for (i = 0; sp->access_types && i < sp->naccess_types; i++)
		types |= 1u << sfa_access_type_code(sp->access_types[i]);
	if (types)
		return types;
	for (c = 0; c < SFA_AT_COUNT; c++)
		if (c != SFA_AT_DIRECT)
			types |= 1u << c;
	return types;
}

int sfa_campaign_start(sfa_store *st, const sfa_campaign_spec *sp,
		       long long *id_out, sfa_err *err)
{
	sfa_access_filter filter = {NULL, NULL, 0, 0};
	start s;
	snap sn, old;
	sfa_buf scope = {0};
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.st = st;
	s.sp = sp;
	s.err = err;
	for (i = 0; sp->access_types && i < sp->naccess_types; i++) {
		int c = sfa_access_type_code(sp->access_types[i]);

		if (c < 0 || !strcmp(sp->access_types[i], "direct")) {
			sfa_err_where(err, "--access-type");
			return sfa_err_set(err, SFA_EINPUT,
					   "unknown access type `%s`",
					   sp->access_types[i]);
		}
	}
	if ((rc = check_snapshot(st, sp->snapshot_id, "--snapshot", &sn,
				 err)) ||
	    (sp->changed_since &&
	     (rc = check_snapshot(st, sp->changed_since, "--changed-since",
				  &old, err))))
		return rc;
	if ((rc = load_users(st, sp->snapshot_id, &s.users, err)) ||
	    (rc = check_reviewer(&s, "fallback", sp->fallback)) ||
	    (rc = check_reviewer(&s, "escalation", sp->escalation)) ||
	    (rc = load_tiers(st, sp->snapshot_id, &s.tiers, err)))
		goto out;
	if (!strcmp(sp->routing, "owner") &&
	    (rc = load_owners(st, sp, &s.users, &s.owners, &s.any_owner, err)))
		goto out;
	filter.types = scope_types(sp);
	filter.skip_inherited = !sp->include_inherited;
	if (sp->changed_since) {
		rc = sfa_store_each_access(st, sp->changed_since, &filter,
					   on_old_row, &s.old, err);
		if (rc == SFA_ENOMEM)
			rc = sfa_err_set(err, rc, "out of memory");
		if (rc)
			goto out;
		if (s.old.n)
			qsort(s.old.v, s.old.n, sizeof(*s.old.v), cmp_u64);
	}
	if (scope_text(sp, &scope)) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = sfa_campaign_txn_begin(&s.txn, st, err)) ||
	    (rc = sfa_campaign_txn_create(s.txn, sp, sn.hash, sn.org,
					  scope.data, s.secret, &s.id, err)))
		goto out;
	rc = sfa_store_each_access(st, sp->snapshot_id, &filter, on_row, &s,
				   err);
	if (rc == SFA_ENOMEM)
		rc = sfa_err_set(err, rc, "out of memory");
	if (rc)
		goto out;
	if (s.nunowned) {
		rc = sfa_err_set(err, SFA_EINPUT,
				 "%lld access item%s without an owner in "
				 "[review.owners] and no `*`: %s%s",
				 s.nunowned, s.nunowned == 1 ? "" : "s",
				 s.unowned.data, s.nunowned > 10 ? ", ..." : "");
		goto out;
	}
	if (s.nself) {
		rc = sfa_err_set(err, SFA_EINPUT,
				 "%lld user%s would review their own access "
				 "(%s%s): set [review] escalation to "
				 "another user",
				 s.nself, s.nself == 1 ? "" : "s", s.self.data,
				 s.nself > 10 ? ", ..." : "");
		goto out;
	}
	if (!s.seq) {
		rc = sfa_err_set(err, SFA_EINPUT,
				 "no access row of snapshot %lld is in scope",
				 sp->snapshot_id);
		goto out;
	}
	if ((rc = sfa_campaign_txn_tokens(s.txn, s.id, err)) ||
	    (rc = sfa_campaign_txn_commit(s.txn, err)))
		goto out;
	*id_out = s.id;
out:
	sfa_campaign_txn_free(s.txn);
	free(s.users.v);
	sfa_buf_free(&s.users.text);
	pairs_free(&s.tiers);
	pairs_free(&s.owners);
	free(s.old.v);
	sfa_buf_free(&s.self);
	sfa_buf_free(&s.self_last);
	sfa_buf_free(&s.unowned);
	pairs_free(&s.unowned_seen);
	free(s.per_reviewer.v);
	sfa_buf_free(&scope);
	return rc;
}
