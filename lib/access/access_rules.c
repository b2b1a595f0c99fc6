/*
 * access_rules.c - lib/access/ACCESS-MODEL.md rules 1-9, user by user, in C.
 *
 * The small tables of a snapshot (groups, roles, permission sets, their
 * components and app grants: thousands of rows) are read into sorted
 * arrays; the large ones (users, PermissionSetAssignment, GroupMember,
 * OauthToken: millions) are read once each, sorted by user, and walked
 * side by side.  Each user's rows go to an access-set writer, which
 * sorts them and keeps the first copy of a repeated row.  Nothing is
 * staged, and no sort ever holds more than one user's rows or one
 * table's keys: the derivation used to append every row to a temporary
 * table and sort all of them, which was most of a sync's time.
 *
 * Rows are given in the order the rules are numbered, except that rules
 * 3 and 4 are given together, assignment by assignment: no row of one is
 * a row of the other, so only their order among themselves matters (the
 * assignment order), and that is kept.  Rule 5 comes before rule 8, whose
 * rows it may repeat with a date.  After rule 9 come the entitlement
 * rules of lib/access/ACCESS-MODEL.md (E1-E4: territories, licences,
 * custom permissions); rules 5 and 7 give `queue` rows for queues (E5).
 */
#include "access.h"
#include "access_pack.h"
#include "access_set.h"
#include "access_sql.h"
#include "buf.h"
#include "grow.h"
#include "store_db.h"
#include "store_sql.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- sorted multimaps of sfid keys ----
 * Built by appending (key, a, b) entries, then sorted; a lookup is a
 * binary search to the key's first entry. */
typedef struct multimap_entry {
	long long k, a, b;
} multimap_entry;

typedef struct multimap {
	multimap_entry *t;
	size_t n, cap;
} multimap;

static int multimap_add(multimap *m, long long k, long long a, long long b)
{
	if (SFA_GROW(m->t, m->cap, m->n + 1))
		return -1;
	m->t[m->n].k = k;
	m->t[m->n].a = a;
	m->t[m->n].b = b;
	m->n++;
	return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const multimap_entry *x = pa, *y = pb;

	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return (x->b > y->b) - (x->b < y->b);
}

static void multimap_sort(multimap *m)
{
	if (m->n > 1)
		qsort(m->t, m->n, sizeof(*m->t), entry_cmp);
}

/* The entries of key k: [return value, *end), NULL when there are none. */
static const multimap_entry *multimap_find(const multimap *m, long long k,
					   const multimap_entry **end)
{
	size_t lo = 0, hi = m->n;
	const multimap_entry *p;

	*end = NULL;
	if (!m->t)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->t[mid].k < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (p = *end = m->t + lo; *end < m->t + m->n && (*end)->k == k;
	     (*end)++)
		;
	return p < *end ? p : NULL;
}

/* ---- a set of keys for graph walks, emptied in O(1) by a new stamp ---- */
typedef struct key_set {
	long long *k;
	unsigned *stamp;
	size_t cap; /* a power of two, at least twice the keys it holds */
	unsigned now;
} key_set;

static int key_set_init(key_set *s, size_t keys)
{
	s->cap = 64;
	while (s->cap < 2 * keys + 2)
		s->cap *= 2;
	s->k = malloc(s->cap * sizeof(*s->k));
	s->stamp = calloc(s->cap, sizeof(*s->stamp));
	s->now = 0;
	return s->k && s->stamp ? 0 : -1;
}

static void key_set_clear(key_set *s)
{
	if (++s->now == 0) {
		memset(s->stamp, 0, s->cap * sizeof(*s->stamp));
		s->now = 1;
	}
}

/* 1 when k was added, 0 when it was there already. */
static int key_set_add(key_set *s, long long k)
{
	size_t i =
	    (size_t)((unsigned long long)k * 0x9E3779B97F4A7C15ull >> 32) &
	    (s->cap - 1);

	while (s->stamp[i] == s->now) {
		if (s->k[i] == k)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->stamp[i] = s->now;
	s->k[i] = k;
	return 1;
}

static void key_set_free(key_set *s)
{
	free(s->k);
	free(s->stamp);
}

/* ---- the snapshot's small tables ---- */
struct rules {
	sfa_store *st;
	sfa_access_writer *w;
	multimap not_direct;  /* rule 3: permission sets that are not granted
			     directly (profile-owned or aggregates) */
	multimap components;  /* rule 4: group -> its 0PS permission sets */
	multimap role_groups; /* rule 6: role -> (Role group) */
	multimap ras;	      /* rule 6: role -> (RoleAndSubordinates group,
				 internal only) of the groups related to it */
	multimap parent;      /* rule 6: role -> its parent role */
	key_set up;	      /* rule 6: the roles met walking up from one */
	multimap org_groups;  /* rule 8: the Organization groups, as keys */
	multimap nested;      /* rule 7: group D -> (G, H) for each nesting
				 edge G <- H whose H reaches D */
	multimap app_profile; /* rule 9: profile -> app */
	multimap app_psg;     /* rule 9: permission set group -> app */
	multimap app_ps;      /* rule 9: permission set -> app */
	multimap edges;	      /* rule 7: child group -> parent group, for each
				 GroupMember whose member is a group */
	multimap queues;      /* E5: the groups of Type Queue, as keys */
	multimap cp_profile;  /* E4: profile -> custom permission */
	multimap cp_psg;   /* E4: permission set group -> custom permission */
	multimap cp_ps;	   /* E4: permission set -> custom permission */
	multimap cp_muted; /* E4: group -> custom permission it mutes */
	/* the user being derived: what rules 7 and 9 start from, and the
	 * permission sets the user holds by a direct assignment (E4) */
	multimap seeds, held_ps, held_psg, held_ps_direct;
	/* assignments and memberships of users the sync left out: their
	 * Salesforce ids (schema v6), one after another, NUL-terminated */
	sfa_buf drop_psa, drop_gm;
};

static void rules_free(struct rules *r)
{
	multimap *all[] = {&r->not_direct, &r->components,    &r->role_groups,
			   &r->ras,	   &r->parent,	      &r->org_groups,
			   &r->nested,	   &r->app_profile,   &r->app_psg,
			   &r->app_ps,	   &r->edges,	      &r->seeds,
			   &r->held_ps,	   &r->held_psg,      &r->queues,
			   &r->cp_profile, &r->cp_psg,	      &r->cp_ps,
			   &r->cp_muted,   &r->held_ps_direct};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		free(all[i]->t);
	key_set_free(&r->up);
	sfa_buf_free(&r->drop_psa);
	sfa_buf_free(&r->drop_gm);
}

static int nomem(sfa_err *err)
{
	return sfa_err_set(err, SFA_ENOMEM, "out of memory");
}

/* Reads every row of sql (up to three integer columns; NULL reads 0)
 * into m and sorts it. */
static int load(struct rules *r, const char *sql, multimap *m, const char *what,
		sfa_err *err)
{
	sqlite3_stmt *s;
	int rc, cols;

	if ((rc = sfa_store_prep(r->st, sql, sfa_store_writing(r->st), &s, what,
				 err)))
		return rc;
	cols = sqlite3_column_count(s);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (multimap_add(m, sqlite3_column_int64(s, 0),
				 cols > 1 ? sqlite3_column_int64(s, 1) : 0,
				 cols > 2 ? sqlite3_column_int64(s, 2) : 0)) {
			sqlite3_finalize(s);
			return nomem(err);
		}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sfa_store_sqlerr(r->st, err, what);
	multimap_sort(m);
	return 0;
}

/* Rule 6: the RoleAndSubordinates(Internal) groups by related role, and
 * the role hierarchy by child.  A user is in such a group when the group's
 * role is the user's or above it, so rules_5_6_8() walks up from the
 * user's role: a walk as long as the hierarchy is deep, where listing
 * every role below each group would hold roles x depth entries (millions
 * in a large org). */
static int load_roles(struct rules *r, sfa_err *err)
{
	const char *what = "access rule 6 (role and subordinates)";
	int rc;

	if ((rc = load(r, SQL_RULES_RAS_GROUPS, &r->ras, what, err)) ||
	    (rc = load(r, SQL_RULES_ROLE_PARENTS, &r->parent, what, err)))
		return rc;
	return key_set_init(&r->up, r->parent.n + 1) ? nomem(err) : 0;
}

/* Rule 7: for each nesting edge G <- H (parent G, child group H), every
 * group D that H reaches (H itself, its child groups, theirs, ... each
 * once, so cycles end) gets (G, H): D's effective members are H's. */
static int load_nested(struct rules *r, sfa_err *err)
{
	const char *what = "access rule 7 (nested groups)";
	multimap children = {0}, stack = {0};
	key_set seen = {0};
	size_t i;
	int rc;

	if ((rc = load(r, SQL_RULES_NEST_EDGES, &r->edges, what, err)))
		goto out;
	for (i = 0; i < r->edges.n; i++) /* parent -> child */
		if (r->edges.t[i].a && multimap_add(&children, r->edges.t[i].a,
						    r->edges.t[i].k, 0)) {
			rc = nomem(err);
			goto out;
		}
	multimap_sort(&children);
	if (key_set_init(&seen, 2 * r->edges.n + 1)) {
		rc = nomem(err);
		goto out;
	}
	for (i = 0; i < r->edges.n && !rc; i++) {
		long long h = r->edges.t[i].k, g = r->edges.t[i].a;

		if (!g)
			continue;
		key_set_clear(&seen);
		stack.n = 0;
		key_set_add(&seen, h);
		if (multimap_add(&stack, h, 0, 0))
			rc = nomem(err);
		while (!rc && stack.n) {
			long long d = stack.t[--stack.n].k;
			const multimap_entry *c, *end;

			if (multimap_add(&r->nested, d, g, h)) {
				rc = nomem(err);
				break;
			}
			c = multimap_find(&children, d, &end);
			for (; c && c < end && !rc; c++)
				if (key_set_add(&seen, c->a) &&
				    multimap_add(&stack, c->a, 0, 0))
					rc = nomem(err);
		}
	}
	multimap_sort(&r->nested);
out:
	key_set_free(&seen);
	free(children.t);
	free(stack.t);
	return rc;
}

static int load_all(struct rules *r, sfa_err *err)
{
	int rc;

	if ((rc = load(r, SQL_RULES_NOT_DIRECT, &r->not_direct,
		       "access rule 3 (permission set)", err)) ||
	    (rc = load(r, SQL_RULES_COMPONENTS, &r->components,
		       "access rule 4 (group components)", err)) ||
	    (rc = load(r, SQL_RULES_ROLE_GROUPS, &r->role_groups,
		       "access rule 6 (role groups)", err)) ||
	    (rc = load_roles(r, err)) ||
	    (rc = load(r, SQL_RULES_ORG_GROUPS, &r->org_groups,
		       "access rule 8 (organization)", err)) ||
	    (rc = load_nested(r, err)) ||
	    (rc = load(r, SQL_RULES_APP_PROFILE, &r->app_profile,
		       "access rule 9 (connected apps by profile)", err)) ||
	    (rc = load(r, SQL_RULES_APP_PSG, &r->app_psg,
		       "access rule 9 (connected apps by group)", err)) ||
	    (rc = load(r, SQL_RULES_APP_PS, &r->app_ps,
		       "access rule 9 (connected apps by permission set)",
		       err)) ||
	    (rc = load(r, SQL_RULES_QUEUES, &r->queues, "queues", err)) ||
	    (rc = load(r, SQL_RULES_CP_PROFILE, &r->cp_profile,
		       "custom permissions by profile", err)) ||
	    (rc = load(r, SQL_RULES_CP_PSG, &r->cp_psg,
		       "custom permissions by group", err)) ||
	    (rc = load(r, SQL_RULES_CP_PS, &r->cp_ps,
		       "custom permissions by permission set", err)) ||
	    (rc = load(r, SQL_RULES_CP_MUTED, &r->cp_muted,
		       "muted custom permissions", err)))
		return rc;
	return 0;
}

/* ---- the large tables, walked by user ---- */
typedef struct stream {
	sqlite3_stmt *s;
	int more;
} stream;

/* What the per-user steps below return: 0, or which error to report. */
#define E_MEM (-1)
#define E_SQL (-2)
#define TRY(x)                                                                 \
	do {                                                                   \
		int try_rc_ = (x);                                             \
		if (try_rc_)                                                   \
			return try_rc_;                                        \
	} while (0)

static int next(stream *x)
{
	int rc = sqlite3_step(x->s);

	x->more = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : E_SQL;
}

/* Adds k to list l (of seeds, holdings or rows to drop). */
static int note(multimap *l, long long k)
{
	return multimap_add(l, k, 0, 0) ? E_MEM : 0;
}

/* Appends the text of column col of s, with its NUL, to ids. */
static int note_id(sfa_buf *ids, sqlite3_stmt *s, int col)
{
	const unsigned char *id = sqlite3_column_text(s, col);

	if (!id)
		return 0;
	return sfa_buf_append(ids, id, (size_t)sqlite3_column_bytes(s, col) + 1)
		   ? E_MEM
		   : 0;
}

/* Skips the rows of users before uid: rows of users the sync left out,
 * or of no user.  With drop, their ids (column id_col) are noted there,
 * to be deleted after the walk so that they neither linger in the
 * snapshot nor grant access; so are memberships, but not of a member that
 * is a group (rule 7's edges). */
static int skip(struct rules *r, stream *x, long long uid, sfa_buf *drop,
		int id_col)
{
	const multimap_entry *end;

	while (x->more && sqlite3_column_int64(x->s, 0) < uid) {
		if (drop &&
		    (drop != &r->drop_gm ||
		     !multimap_find(&r->edges, sqlite3_column_int64(x->s, 0),
				    &end)))
			TRY(note_id(drop, x->s, id_col));
		TRY(next(x));
	}
	return 0;
}

static int at(const stream *x, long long uid)
{
	return x->more && sqlite3_column_int64(x->s, 0) == uid;
}

static const char *text(const stream *x, int i)
{
	return (const char *)sqlite3_column_text(x->s, i);
}

/* Adds one row, unless its access key is missing (a NULL id, which the
 * access table's NOT NULL used to refuse). */
static int add(struct rules *r, int type, long long id, int via_type,
	       long long via_id, const char *assigned_at,
	       const char *expires_at)
{
	if (id == 0)
		return 0;
	return sfa_access_writer_add(r->w, type, id, via_type, via_id,
				     assigned_at, expires_at, NULL)
		   ? E_MEM
		   : 0;
}

/* Every row of map m under key k as (type, a, via_type, via_id). */
static int add_each(struct rules *r, const multimap *m, long long k, int type,
		    int via_type, long long via_id)
{
	const multimap_entry *p, *end;

	for (p = multimap_find(m, k, &end); p && p < end; p++)
		TRY(add(r, type, p->a, via_type, via_id, NULL, NULL));
	return 0;
}

enum { U_ID, U_PROFILE, U_ROLE, U_STANDARD, U_ACTIVE };
enum { A_USER, A_PS, A_PSG, A_MODSTAMP, A_EXPIRES, A_ID };
enum { M_USER, M_GROUP, M_MODSTAMP, M_ID };
enum { T_USER, T_APP, T_TOKEN };
enum { E_USER, E_TYPE, E_WHAT };

/* E5: a group's rows are `queue` rows when it is a queue. */
static int group_type(const struct rules *r, long long g)
{
	const multimap_entry *end;

	return multimap_find(&r->queues, g, &end) ? SFA_AT_QUEUE : SFA_AT_GROUP;
}

/* Rules 3 and 4 from the user's assignments (stream a at the user). */
static int rules_3_4(struct rules *r, stream *a, long long uid)
{
	while (at(a, uid)) {
		long long ps = sqlite3_column_int64(a->s, A_PS);
		long long psg = sqlite3_column_int64(a->s, A_PSG);
		const char *mod = text(a, A_MODSTAMP),
			   *exp = text(a, A_EXPIRES);
		const multimap_entry *c, *end;

		if (!psg && ps && !multimap_find(&r->not_direct, ps, &end)) {
			TRY(add(r, SFA_AT_PERMISSION_SET, ps, SFA_AT_DIRECT, 0,
				mod, exp));
			TRY(note(&r->held_ps, ps));
			TRY(note(&r->held_ps_direct, ps));
		}
		if (psg) {
			TRY(add(r, SFA_AT_PERMISSION_SET_GROUP, psg,
				SFA_AT_DIRECT, 0, mod, exp));
			TRY(note(&r->held_psg, psg));
			c = multimap_find(&r->components, psg, &end);
			for (; c && c < end; c++) {
				TRY(add(r, SFA_AT_PERMISSION_SET, c->a,
					SFA_AT_PERMISSION_SET_GROUP, psg, mod,
					exp));
				TRY(note(&r->held_ps, c->a));
			}
		}
		TRY(next(a));
	}
	return 0;
}

/* Rules 5, 6 and 8: the user's groups, which rule 7 starts from. */
static int rules_5_6_8(struct rules *r, stream *m, sqlite3_stmt *u)
{
	long long uid = sqlite3_column_int64(u, U_ID);
	long long role = sqlite3_column_int64(u, U_ROLE);
	int standard = sqlite3_column_int(u, U_STANDARD);
	const multimap_entry *t, *p, *end;
	long long up;
	size_t i;

	while (at(m, uid)) {
		long long g = sqlite3_column_int64(m->s, M_GROUP);

		TRY(add(r, group_type(r, g), g, SFA_AT_DIRECT, 0,
			text(m, M_MODSTAMP), NULL));
		TRY(note(&r->seeds, g));
		TRY(next(m));
	}
	if (role) {
		for (t = multimap_find(&r->role_groups, role, &end);
		     t && t < end; t++) {
			TRY(add(r, SFA_AT_GROUP, t->a, SFA_AT_ROLE, role, NULL,
				NULL));
			TRY(note(&r->seeds, t->a));
		}
		/* Up from the user's role, each role once, so a malformed
		 * cycle ends (as the UNION of the SQL walk down did). */
		key_set_clear(&r->up);
		for (up = role; up && key_set_add(&r->up, up);
		     up = (p = multimap_find(&r->parent, up, &end)) ? p->a : 0)
			for (t = multimap_find(&r->ras, up, &end); t && t < end;
			     t++) {
				if (t->b && !standard)
					continue;
				TRY(add(r, SFA_AT_GROUP, t->a, SFA_AT_ROLE,
					role, NULL, NULL));
				TRY(note(&r->seeds, t->a));
			}
	}
	if (standard && sqlite3_column_int(u, U_ACTIVE))
		for (i = 0; i < r->org_groups.n; i++) {
			long long g = r->org_groups.t[i].k;

			TRY(add(r, SFA_AT_GROUP, g, SFA_AT_DIRECT, 0, NULL,
				NULL));
			TRY(note(&r->seeds, g));
		}
	return 0;
}

/* Rule 7 from the seeds, rule 9 from the profile, the holdings and the
 * user's tokens (stream t at the user). */
static int rules_7_9(struct rules *r, stream *t, sqlite3_stmt *u)
{
	long long uid = sqlite3_column_int64(u, U_ID);
	long long profile = sqlite3_column_int64(u, U_PROFILE);
	const multimap_entry *n, *end;
	size_t s;

	for (s = 0; s < r->seeds.n; s++)
		for (n = multimap_find(&r->nested, r->seeds.t[s].k, &end);
		     n && n < end; n++)
			TRY(add(r, group_type(r, n->a), n->a, SFA_AT_GROUP,
				n->b, NULL, NULL));
	if (profile)
		TRY(add_each(r, &r->app_profile, profile, SFA_AT_CONNECTED_APP,
			     SFA_AT_PROFILE, profile));
	for (s = 0; s < r->held_psg.n; s++)
		TRY(add_each(r, &r->app_psg, r->held_psg.t[s].k,
			     SFA_AT_CONNECTED_APP, SFA_AT_PERMISSION_SET_GROUP,
			     r->held_psg.t[s].k));
	for (s = 0; s < r->held_ps.n; s++)
		TRY(add_each(r, &r->app_ps, r->held_ps.t[s].k,
			     SFA_AT_CONNECTED_APP, SFA_AT_PERMISSION_SET,
			     r->held_ps.t[s].k));
	while (at(t, uid)) {
		TRY(add(r, SFA_AT_CONNECTED_APP,
			sqlite3_column_int64(t->s, T_APP), SFA_AT_OAUTH_TOKEN,
			sqlite3_column_int64(t->s, T_TOKEN), NULL, NULL));
		TRY(next(t));
	}
	return 0;
}

/* Whether group g mutes custom permission cp (E4). */
static int muted(const struct rules *r, long long g, long long cp)
{
	const multimap_entry *p, *end;

	for (p = multimap_find(&r->cp_muted, g, &end); p && p < end; p++)
		if (p->a == cp)
			return 1;
	return 0;
}

/* E4's rows through group g: its aggregate's custom permissions and its
 * components', each unless g mutes it. */
static int custom_through_group(struct rules *r, long long g)
{
	const multimap_entry *p, *c, *end, *cend;

	for (p = multimap_find(&r->cp_psg, g, &end); p && p < end; p++)
		if (!muted(r, g, p->a))
			TRY(add(r, SFA_AT_CUSTOM_PERMISSION, p->a,
				SFA_AT_PERMISSION_SET_GROUP, g, NULL, NULL));
	for (c = multimap_find(&r->components, g, &cend); c && c < cend; c++)
		for (p = multimap_find(&r->cp_ps, c->a, &end); p && p < end;
		     p++)
			if (!muted(r, g, p->a))
				TRY(add(r, SFA_AT_CUSTOM_PERMISSION, p->a,
					SFA_AT_PERMISSION_SET, c->a, NULL,
					NULL));
	return 0;
}

/* E1-E4: the user's territories and licences (stream e at the user), and
 * custom permissions by profile, permission set and group.  A permission
 * set held both directly and through a group that mutes a custom
 * permission still grants it: muting works within its group only. */
static int rules_entitlements(struct rules *r, stream *e, sqlite3_stmt *u)
{
	long long uid = sqlite3_column_int64(u, U_ID);
	long long profile = sqlite3_column_int64(u, U_PROFILE);
	size_t s;

	while (at(e, uid)) {
		int type = sfa_access_type_code(text(e, E_TYPE));

		if (type >= 0)
			TRY(add(r, type, sqlite3_column_int64(e->s, E_WHAT),
				SFA_AT_DIRECT, 0, NULL, NULL));
		TRY(next(e));
	}
	if (profile)
		TRY(add_each(r, &r->cp_profile, profile,
			     SFA_AT_CUSTOM_PERMISSION, SFA_AT_PROFILE,
			     profile));
	for (s = 0; s < r->held_ps_direct.n; s++)
		TRY(add_each(r, &r->cp_ps, r->held_ps_direct.t[s].k,
			     SFA_AT_CUSTOM_PERMISSION, SFA_AT_PERMISSION_SET,
			     r->held_ps_direct.t[s].k));
	for (s = 0; s < r->held_psg.n; s++)
		TRY(custom_through_group(r, r->held_psg.t[s].k));
	return 0;
}

/* The rules of one user; 0, E_MEM or E_SQL. */
static int rules_of_user(struct rules *r, sqlite3_stmt *u, stream *a, stream *m,
			 stream *t, stream *e)
{
	long long uid = sqlite3_column_int64(u, U_ID);
	long long profile = sqlite3_column_int64(u, U_PROFILE);
	long long role = sqlite3_column_int64(u, U_ROLE);

	r->seeds.n = r->held_ps.n = r->held_psg.n = r->held_ps_direct.n = 0;
	TRY(skip(r, a, uid, &r->drop_psa, A_ID));
	TRY(skip(r, m, uid, &r->drop_gm, M_ID));
	TRY(skip(r, t, uid, NULL, 0));
	TRY(skip(r, e, uid, NULL, 0));
	if (profile)
		TRY(add(r, SFA_AT_PROFILE, profile, SFA_AT_DIRECT, 0, NULL,
			NULL));
	if (role)
		TRY(add(r, SFA_AT_ROLE, role, SFA_AT_DIRECT, 0, NULL, NULL));
	TRY(rules_3_4(r, a, uid));
	TRY(rules_5_6_8(r, m, u));
	TRY(rules_7_9(r, t, u));
	return rules_entitlements(r, e, u);
}

/* One user: every rule, then the user's set is stored. */
static int derive_user(struct rules *r, sqlite3_stmt *u, stream *a, stream *m,
		       stream *t, stream *e, sfa_err *err)
{
	int rc = rules_of_user(r, u, a, m, t, e);

	if (rc == E_SQL)
		return sfa_store_sqlerr(r->st, err, "deriving access");
	if (rc)
		return nomem(err);
	return sfa_access_writer_flush(r->w, sqlite3_column_int64(u, U_ID),
				       err);
}

/* Deletes the rows whose ids skip() noted in l with sql (?1 the
 * snapshot, ?2 the row's id). */
static int drop(sfa_store *st, const char *sql, const sfa_buf *l, sfa_err *err)
{
	const char *what = "dropping rows of unsynced users";
	sqlite3_stmt *s;
	size_t at;
	int rc = 0;

	if (l->len == 0)
		return 0;
	if ((rc =
		 sfa_store_prep(st, sql, sfa_store_writing(st), &s, what, err)))
		return rc;
	for (at = 0; at < l->len && !rc; at += strlen(l->data + at) + 1) {
		sqlite3_bind_text(s, 2, l->data + at, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = sfa_store_sqlerr(st, err, what);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

int sfa_access_rules_run(sfa_store *st, sfa_access_writer *w, sfa_err *err)
{
	const char *what = "deriving access";
	struct rules r;
	sqlite3_stmt *users = NULL;
	stream a = {NULL, 0}, m = {NULL, 0}, t = {NULL, 0}, e = {NULL, 0};
	int rc;

	memset(&r, 0, sizeof(r));
	r.st = st;
	r.w = w;
	if ((rc = load_all(&r, err)) ||
	    (rc = sfa_store_prep(st, SQL_RULES_USERS, sfa_store_writing(st),
				 &users, what, err)) ||
	    (rc = sfa_store_prep(st, SQL_RULES_ASSIGNMENTS,
				 sfa_store_writing(st), &a.s, what, err)) ||
	    (rc = sfa_store_prep(st, SQL_RULES_MEMBERS, sfa_store_writing(st),
				 &m.s, what, err)) ||
	    (rc = sfa_store_prep(st, SQL_RULES_TOKENS, sfa_store_writing(st),
				 &t.s, what, err)) ||
	    (rc = sfa_store_prep(st, SQL_RULES_ENTITLEMENTS,
				 sfa_store_writing(st), &e.s, what, err)))
		goto out;
	/* A sort takes as much memory as the page cache may (store.c): four
	 * at once would hold four times that.  They start with a smaller
	 * cache, which makes them write their runs to files sooner. */
	if (sqlite3_exec(sfa_store_sqlite(st), SQL_SORT_CACHE, NULL, NULL,
			 NULL) ||
	    next(&a) || next(&m) || next(&t) || next(&e) ||
	    sqlite3_exec(sfa_store_sqlite(st), SQL_STORE_CACHE, NULL, NULL,
			 NULL)) {
		rc = sfa_store_sqlerr(st, err, what);
		goto out;
	}
	while ((rc = sqlite3_step(users)) == SQLITE_ROW)
		if ((rc = derive_user(&r, users, &a, &m, &t, &e, err)))
			goto out;
	if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, what);
		goto out;
	}
	/* Rows past the last user belong to users left out too. */
	if ((rc = skip(&r, &a, LLONG_MAX, &r.drop_psa, A_ID)) ||
	    (rc = skip(&r, &m, LLONG_MAX, &r.drop_gm, M_ID))) {
		rc = rc == E_SQL ? sfa_store_sqlerr(st, err, what) : nomem(err);
		goto out;
	}
	sqlite3_finalize(a.s);
	sqlite3_finalize(m.s);
	a.s = m.s = NULL;
	if ((rc = drop(st, SQL_RULES_DROP_ASSIGNMENT, &r.drop_psa, err)) == 0)
		rc = drop(st, SQL_RULES_DROP_MEMBER, &r.drop_gm, err);
out:
	sqlite3_finalize(users);
	sqlite3_finalize(a.s);
	sqlite3_finalize(m.s);
	sqlite3_finalize(t.s);
	sqlite3_finalize(e.s);
	rules_free(&r);
	return rc;
}
