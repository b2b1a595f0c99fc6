/*
 * perm.c - the permission engine (lib/access/PERMISSIONS.md, "Sources of a
 * user's permissions" and "Effective permission rows").
 *
 * Nothing is multiplied out per user.  A question names one permission;
 * the containers that hold it (and, for object and field permissions, the
 * containers that imply it: ModifyAllData, ViewAllData, viewallfields)
 * are read through their indexes as sorted key sets.  Each source of the
 * snapshot (a profile's own permission set, a directly assignable
 * permission set, a permission set group with its components and muting
 * sets) is then decided by one rule, grant(); only the holders of the
 * sources that grant are read.  `permissions USER` builds the same key
 * sets from the user's few containers, so both answers come from the same
 * rule.
 *
 * It reads the user's access set (access_set.h) for the user's sources.
 */
#include "perm.h"
#include "access_set.h"
#include "grow.h"
#include "perm_sql.h"
#include "store_db.h"
#include "store_sql.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PREFIX "Permissions"

/* Object actions, in the order of SQL_PERM_HOLDERS_OBJECT's columns. */
static const char *const actions[] = {"read",	 "create",    "edit",
				      "delete",	 "viewall",   "modifyall",
				      "viewallfields"};
#define N_ACTIONS 7
#define A_READ 0
#define A_VIEWALL 4
#define A_VIEWALLFIELDS 6
static const char *const field_actions[] = {"read", "edit"};

/* Why a source grants, best first: its own row, then the implications. */
enum { IMP_NONE, IMP_MAD, IMP_VAD, IMP_VAF, IMP_NO = 99 };

enum { K_SYSTEM, K_OBJECT, K_FIELD };

/* via types, in the byte order of their names (the sort order). */
enum { V_PERMISSION_SET, V_PERMISSION_SET_GROUP, V_PROFILE };
static const char *const via_names[] = {"permission_set",
					"permission_set_group", "profile"};

typedef struct keyset {
	long long *k;
	size_t n, cap;
} keyset;

typedef struct container {
	long long key, profile, psg;
	char *sfid, *label;
	int owned;
} container;

typedef struct profile {
	long long key, owned_ps;
	char *sfid, *name;
} profile;

typedef struct component {
	long long psg, ps;
	char *sfid;
	int muting;
} component;

typedef struct group {
	long long key;
	char *sfid, *label, *status;
	size_t first, end; /* its components in comps[], by Id */
} group;

struct sfa_perm {
	sfa_store *st;
	long long snap;
	const sfa_priv *pv;
	char **names, **labels;
	int nnames, mad, vad; /* mad/vad: numbers of the two, or -1 */
	container *conts;
	size_t nconts;
	profile *profs;
	size_t nprofs;
	group *groups;
	size_t ngroups;
	component *comps;
	size_t ncomps;
	char **objects; /* the object catalogue, sorted without case */
	size_t nobjects;
	int have_vaf;
	int own_read; /* sfa_perm_open() began the read transaction */
	/* read_keys()'s statements, prepared once: a question runs one per
	 * source that grants it, thousands in a large org. */
	struct {
		const char *sql;
		sqlite3_stmt *s;
	} stmts[8];
	size_t nstmts;
};

/* One permission asked about, and the containers that hold or imply it. */
typedef struct query {
	int kind, action, perm; /* perm: system number */
	char canon[512];	/* the permission as output */
	char object[256];	/* its object (object and field kinds) */
	keyset exp, mad, vad, vaf;
} query;

/* ---- small helpers ---- */

static int ks_add(keyset *s, long long k)
{
	if (SFA_GROW(s->k, s->cap, s->n + 1))
		return -1;
	s->k[s->n++] = k;
	return 0;
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void ks_sort(keyset *s)
{
	if (s->n > 1)
		qsort(s->k, s->n, sizeof(*s->k), ll_cmp);
}

static int ks_has(const keyset *s, long long k)
{
	return s->n && bsearch(&k, s->k, s->n, sizeof(*s->k), ll_cmp) != NULL;
}

static void ks_free(keyset *s)
{
	free(s->k);
	memset(s, 0, sizeof(*s));
}

static char *dup_col(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return strdup(t ? (const char *)t : "");
}

static int oom(sfa_err *err)
{
	return sfa_err_set(err, SFA_ENOMEM, "out of memory");
}

/* Runs sql (bound: ?1 the snapshot, ?2 a key or text when given) and
 * adds column 0 of each row to s. */
static int read_keys(sfa_perm *p, const char *sql, long long k2,
		     const char *t2, int i3, keyset *s, sfa_err *err)
{
	sqlite3_stmt *q = NULL;
	size_t i;
	int rc;

	for (i = 0; i < p->nstmts && !q; i++)
		if (p->stmts[i].sql == sql)
			q = p->stmts[i].s;
	if (!q) {
		if ((rc = sfa_store_prep(p->st, sql, p->snap, &q,
					 "reading permissions", err)))
			return rc;
		if (p->nstmts < sizeof(p->stmts) / sizeof(*p->stmts)) {
			p->stmts[p->nstmts].sql = sql;
			p->stmts[p->nstmts++].s = q;
		}
	}
	if (t2)
		sqlite3_bind_text(q, 2, t2, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(q, 2, k2);
	if (sqlite3_bind_parameter_count(q) >= 3)
		sqlite3_bind_int(q, 3, i3);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (ks_add(s, sqlite3_column_int64(q, 0)))
			break;
	if (rc == SQLITE_ROW)
		rc = oom(err);
	else if (rc != SQLITE_DONE)
		rc = sfa_store_sqlerr(p->st, err, "reading permissions");
	else
		rc = 0;
	/* A statement not kept (all slots taken) goes; a kept one waits. */
	for (i = 0; i < p->nstmts && p->stmts[i].s != q; i++)
		;
	if (i < p->nstmts)
		sqlite3_reset(q);
	else
		sqlite3_finalize(q);
	if (rc == 0)
		ks_sort(s);
	return rc;
}

/* ---- opening ---- */

static int cont_cmp(const void *a, const void *b)
{
	return ll_cmp(&((const container *)a)->key, &((const container *)b)->key);
}

static int prof_cmp(const void *a, const void *b)
{
	return ll_cmp(&((const profile *)a)->key, &((const profile *)b)->key);
}

static int group_cmp(const void *a, const void *b)
{
	return ll_cmp(&((const group *)a)->key, &((const group *)b)->key);
}

/* Components by group, then by Id: the first that grants is the one
 * with the lowest Id (granted_by). */
static int comp_cmp(const void *a, const void *b)
{
	const component *x = a, *y = b;
	int c = ll_cmp(&x->psg, &y->psg);

	return c ? c : strcmp(x->sfid, y->sfid);
}

static int str_case_cmp(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static container *find_cont(const sfa_perm *p, long long key)
{
	container c = {0};

	c.key = key;
	return p->nconts ? bsearch(&c, p->conts, p->nconts, sizeof(c),
				   cont_cmp)
			 : NULL;
}

static profile *find_prof(const sfa_perm *p, long long key)
{
	profile c = {0};

	c.key = key;
	return p->nprofs ? bsearch(&c, p->profs, p->nprofs, sizeof(c),
				   prof_cmp)
			 : NULL;
}

static group *find_group(const sfa_perm *p, long long key)
{
	group c = {0};

	c.key = key;
	return p->ngroups ? bsearch(&c, p->groups, p->ngroups, sizeof(c),
				    group_cmp)
			  : NULL;
}

/* Grows *arr (of *n elements of size sz) by one zeroed element. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t sz)
{
	char *a;

	if (sfa_grow(arr, cap, *n + 1, sz))
		return NULL;
	a = *arr;
	memset(a + *n * sz, 0, sz);
	return a + (*n)++ * sz;
}

static int load(sfa_perm *p, sfa_err *err)
{
	sqlite3_stmt *q;
	size_t cap = 0, cap2 = 0, cap3 = 0, cap4 = 0, cap5 = 0, i, j;
	int rc;

	/* The catalogue of system permissions. */
	if ((rc = sfa_store_prep(p->st, SQL_PERM_NAMES, p->snap, &q,
				 "reading permissions", err)))
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		char **n = realloc(p->names, (size_t)(p->nnames + 1) *
						 sizeof(*n));
		char **l;

		if (n)
			p->names = n;
		l = n ? realloc(p->labels,
				(size_t)(p->nnames + 1) * sizeof(*l))
		      : NULL;
		if (!l) {
			sqlite3_finalize(q);
			return oom(err);
		}
		p->labels = l;
		/* perm numbers count from 0 without gaps (fetch_perm.c). */
		p->names[p->nnames] = dup_col(q, 1);
		p->labels[p->nnames] = dup_col(q, 2);
		p->nnames++;
	}
	sqlite3_finalize(q);
	p->mad = p->vad = -1;
	for (i = 0; i < (size_t)p->nnames; i++) {
		if (!strcmp(p->names[i], "ModifyAllData"))
			p->mad = (int)i;
		if (!strcmp(p->names[i], "ViewAllData"))
			p->vad = (int)i;
	}

	if ((rc = sfa_store_prep(p->st, SQL_PERM_CONTAINERS, p->snap, &q,
				 "reading permission sets", err)))
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		container *c = grow((void **)&p->conts, &p->nconts, &cap,
				    sizeof(*c));

		if (!c) {
			sqlite3_finalize(q);
			return oom(err);
		}
		c->key = sqlite3_column_int64(q, 0);
		c->sfid = dup_col(q, 1);
		c->label = dup_col(q, 2);
		c->owned = sqlite3_column_int(q, 3) != 0;
		c->profile = sqlite3_column_int64(q, 4);
		c->psg = sqlite3_column_int64(q, 5);
	}
	sqlite3_finalize(q);
	if (p->nconts)
		qsort(p->conts, p->nconts, sizeof(*p->conts), cont_cmp);

	if ((rc = sfa_store_prep(p->st, SQL_PERM_PROFILES, p->snap, &q,
				 "reading profiles", err)))
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		profile *f = grow((void **)&p->profs, &p->nprofs, &cap2,
				  sizeof(*f));

		if (!f) {
			sqlite3_finalize(q);
			return oom(err);
		}
		f->key = sqlite3_column_int64(q, 0);
		f->sfid = dup_col(q, 1);
		f->name = dup_col(q, 2);
	}
	sqlite3_finalize(q);
	if (p->nprofs)
		qsort(p->profs, p->nprofs, sizeof(*p->profs), prof_cmp);
	for (i = 0; i < p->nconts; i++) {
		profile *f;

		if (p->conts[i].owned &&
		    (f = find_prof(p, p->conts[i].profile)) != NULL)
			f->owned_ps = p->conts[i].key;
	}

	if ((rc = sfa_store_prep(p->st, SQL_PERM_GROUPS, p->snap, &q,
				 "reading permission set groups", err)))
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		group *g = grow((void **)&p->groups, &p->ngroups, &cap3,
				sizeof(*g));

		if (!g) {
			sqlite3_finalize(q);
			return oom(err);
		}
		g->key = sqlite3_column_int64(q, 0);
		g->sfid = dup_col(q, 1);
		g->label = dup_col(q, 2);
		g->status = dup_col(q, 3);
	}
	sqlite3_finalize(q);
	if (p->ngroups)
		qsort(p->groups, p->ngroups, sizeof(*p->groups), group_cmp);

	if ((rc = sfa_store_prep(p->st, SQL_PERM_COMPONENTS, p->snap, &q,
				 "reading group components", err)))
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		component *c = grow((void **)&p->comps, &p->ncomps, &cap4,
				    sizeof(*c));

		if (!c) {
			sqlite3_finalize(q);
			return oom(err);
		}
		c->psg = sqlite3_column_int64(q, 0);
		c->ps = sqlite3_column_int64(q, 1);
		c->sfid = dup_col(q, 2);
		c->muting = !strncmp(c->sfid, "0QM", 3);
	}
	sqlite3_finalize(q);
	if (p->ncomps)
		qsort(p->comps, p->ncomps, sizeof(*p->comps), comp_cmp);
	for (i = 0, j = 0; i < p->ngroups; i++) {
		while (j < p->ncomps && p->comps[j].psg < p->groups[i].key)
			j++;
		p->groups[i].first = j;
		while (j < p->ncomps && p->comps[j].psg == p->groups[i].key)
			j++;
		p->groups[i].end = j;
	}

	if ((rc = sfa_store_prep(p->st, SQL_PERM_OBJECTS, p->snap, &q,
				 "reading object permissions", err)))
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		char **o = grow((void **)&p->objects, &p->nobjects, &cap5,
				sizeof(*o));

		if (!o) {
			sqlite3_finalize(q);
			return oom(err);
		}
		*o = dup_col(q, 0);
	}
	sqlite3_finalize(q);
	if (p->nobjects)
		qsort(p->objects, p->nobjects, sizeof(*p->objects),
		      str_case_cmp);
	if ((rc = sfa_store_prep(p->st, SQL_PERM_HAS_VIEW_ALL_FIELDS, p->snap,
				 &q, "reading object permissions", err)))
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		p->have_vaf = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return 0;
}

int sfa_perm_open(sfa_perm **out, sfa_store *st, long long snapshot_id,
		  const sfa_priv *pv, sfa_err *err)
{
	sqlite3_stmt *q;
	sfa_perm *p;
	int rc, found = 0;

	*out = NULL;
	if ((rc = sfa_store_prep(st, SQL_PERM_SNAPSHOT, snapshot_id, &q,
				 "reading the snapshot", err)))
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		found = !strcmp((const char *)sqlite3_column_text(q, 0),
				"complete");
	sqlite3_finalize(q);
	if (!found)
		return sfa_err_set(err, SFA_ENOTFOUND,
				   "no complete snapshot %lld", snapshot_id);
	if (!(p = calloc(1, sizeof(*p))))
		return oom(err);
	p->st = st;
	p->snap = snapshot_id;
	p->pv = pv;
	/* One read transaction for every question: a statement run outside
	 * one takes and drops the file's lock itself, which `who-can` would
	 * do once per user it reads. */
	if (sqlite3_get_autocommit(sfa_store_sqlite(st))) {
		if ((rc = sfa_store_exec(st, "BEGIN", "reading the snapshot",
					 err))) {
			sfa_perm_free(p);
			return rc;
		}
		p->own_read = 1;
	}
	if ((rc = load(p, err))) {
		sfa_perm_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void sfa_perm_free(sfa_perm *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nstmts; i++)
		sqlite3_finalize(p->stmts[i].s);
	if (p->own_read)
		sqlite3_exec(sfa_store_sqlite(p->st), "COMMIT", NULL, NULL,
			     NULL);
	for (i = 0; i < (size_t)p->nnames; i++) {
		free(p->names[i]);
		free(p->labels[i]);
	}
	for (i = 0; i < p->nconts; i++) {
		free(p->conts[i].sfid);
		free(p->conts[i].label);
	}
	for (i = 0; i < p->nprofs; i++) {
		free(p->profs[i].sfid);
		free(p->profs[i].name);
	}
	for (i = 0; i < p->ngroups; i++) {
		free(p->groups[i].sfid);
		free(p->groups[i].label);
		free(p->groups[i].status);
	}
	for (i = 0; i < p->ncomps; i++)
		free(p->comps[i].sfid);
	for (i = 0; i < p->nobjects; i++)
		free(p->objects[i]);
	free(p->names);
	free(p->labels);
	free(p->conts);
	free(p->profs);
	free(p->groups);
	free(p->comps);
	free(p->objects);
	free(p);
}

int sfa_perm_synced(const sfa_perm *p)
{
	return p->nnames > 0 || p->nobjects > 0;
}

/* ---- the rule ---- */

static int any_muted(const keyset *s, const long long *mute, size_t nmute)
{
	size_t i;

	for (i = 0; i < nmute; i++)
		if (ks_has(s, mute[i]))
			return 1;
	return 0;
}

/* Whether container c grants q inside a source whose muting sets are
 * mute[0..nmute) (a group's; none elsewhere), and why: IMP_NONE for its
 * own row, an IMP_* implication, or IMP_NO.  An own row beats an implied
 * one; ModifyAllData beats ViewAllData.  A muting set mutes what is true
 * on it, so a muted ModifyAllData implies nothing in that group. */
static int grant(const query *q, long long c, const long long *mute,
		 size_t nmute)
{
	if (ks_has(&q->exp, c) && !any_muted(&q->exp, mute, nmute))
		return IMP_NONE;
	if (q->kind == K_OBJECT) {
		if (ks_has(&q->mad, c) && !any_muted(&q->mad, mute, nmute))
			return IMP_MAD;
		if ((q->action == A_READ || q->action == A_VIEWALL) &&
		    ks_has(&q->vad, c) && !any_muted(&q->vad, mute, nmute))
			return IMP_VAD;
	}
	/* viewallfields on the field's object, its own or implied by
	 * ModifyAllData, reads every field. */
	if (q->kind == K_FIELD && q->action == A_READ &&
	    ((ks_has(&q->vaf, c) && !any_muted(&q->vaf, mute, nmute)) ||
	     (ks_has(&q->mad, c) && !any_muted(&q->mad, mute, nmute))))
		return IMP_VAF;
	return IMP_NO;
}

/* What group g grants of q: the best reason over its components, and the
 * component (lowest Id among those with that reason) in *by. */
static int group_grant(const sfa_perm *p, const group *g, const query *q,
		       const component **by)
{
	long long mute[16];
	size_t nmute = 0, i;
	int best = IMP_NO;

	*by = NULL;
	for (i = g->first; i < g->end; i++)
		if (p->comps[i].muting && nmute < sizeof(mute) / sizeof(*mute))
			mute[nmute++] = p->comps[i].ps;
	for (i = g->first; i < g->end; i++) {
		int r;

		if (p->comps[i].muting)
			continue;
		r = grant(q, p->comps[i].ps, mute, nmute);
		if (r < best) {
			best = r;
			*by = &p->comps[i];
		}
	}
	return best;
}

static void query_free(query *q)
{
	ks_free(&q->exp);
	ks_free(&q->mad);
	ks_free(&q->vad);
	ks_free(&q->vaf);
}

/* ---- names ---- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, prev, best;

	if (la > 200 || lb > 200)
		return (size_t)-1;
	if (!(row = malloc((lb + 1) * sizeof(*row))))
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (tolower((unsigned char)a[i - 1]) !=
					     tolower((unsigned char)b[j - 1]));

			best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1
							   : row[j - 1] + 1;
			row[j] = sub < best ? sub : best;
			prev = cur;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

/* The closest names to `name` among cands, for an unknown-name message:
 * up to three, nearest first, into out. */
typedef struct suggest {
	const char *best[3];
	size_t dist[3];
	const char *name;
} suggest;

static void suggest_add(suggest *s, const char *cand, const char *prefix)
{
	size_t d = edit_distance(s->name, cand), i, j;

	/* A candidate that starts with what was typed is close too. */
	if (!strncasecmp(cand, s->name, strlen(s->name)) && *s->name)
		d = d < 2 ? d : 2;
	(void)prefix;
	for (i = 0; i < 3; i++)
		if (!s->best[i] || d < s->dist[i]) {
			for (j = 2; j > i; j--) {
				s->best[j] = s->best[j - 1];
				s->dist[j] = s->dist[j - 1];
			}
			s->best[i] = cand;
			s->dist[i] = d;
			return;
		}
}

static int unknown(sfa_err *err, const char *what, const char *kind,
		   const suggest *s, const char *pre, const char *post)
{
	char list[600] = "";
	size_t i, n = 0;
	size_t limit = strlen(s->name) / 2 + 2;

	for (i = 0; i < 3 && s->best[i]; i++) {
		if (s->dist[i] > limit)
			break;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s%s%s",
				      i ? ", " : "", pre, s->best[i], post);
		if (n >= sizeof(list))
			break;
	}
	return sfa_err_set(err, SFA_ENOTFOUND, "unknown %s `%s`%s%s%s", kind,
			   what, list[0] ? "; did you mean " : "", list,
			   list[0] ? "?" : "");
}

static const char *find_object(const sfa_perm *p, const char *name)
{
	size_t lo = 0, hi = p->nobjects;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcasecmp(p->objects[mid], name);

		if (c == 0)
			return p->objects[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int unknown_object(const sfa_perm *p, const char *what,
			  const char *obj, const char *post, sfa_err *err)
{
	suggest s = {{0}, {0}, obj};
	size_t i;

	for (i = 0; i < p->nobjects; i++)
		suggest_add(&s, p->objects[i], NULL);
	return unknown(err, what, "object", &s, "", post);
}

static int action_of(const char *a, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(a, list[i]))
			return (int)i;
	return -1;
}

static int unknown_action(const char *what, const char *a,
			  const char *const *list, size_t n, sfa_err *err)
{
	suggest s = {{0}, {0}, a};
	size_t i;

	for (i = 0; i < n; i++)
		suggest_add(&s, list[i], NULL);
	(void)what;
	return unknown(err, a, "action", &s, "", "");
}

static int system_number(const sfa_perm *p, const char *name)
{
	size_t n = strlen(PREFIX);
	int i;

	for (i = 0; i < p->nnames; i++)
		if (!strcasecmp(p->names[i], name))
			return i;
	if (!strncasecmp(name, PREFIX, n) && name[n])
		for (i = 0; i < p->nnames; i++)
			if (!strcasecmp(p->names[i], name + n))
				return i;
	for (i = 0; i < p->nnames; i++)
		if (p->labels[i][0] && !strcasecmp(p->labels[i], name))
			return i;
	return -1;
}

/* Fills q's key sets for a permission already named in q. */
static int holders(sfa_perm *p, query *q, sfa_err *err)
{
	int rc = 0;

	if (q->kind == K_SYSTEM)
		return read_keys(p, SQL_PERM_HOLDERS_SYSTEM, q->perm, NULL, 0,
				 &q->exp, err);
	if (q->kind == K_OBJECT) {
		rc = read_keys(p, SQL_PERM_HOLDERS_OBJECT, 0, q->object,
			       q->action, &q->exp, err);
		if (rc == 0 && p->mad >= 0)
			rc = read_keys(p, SQL_PERM_HOLDERS_SYSTEM, p->mad, NULL,
				       0, &q->mad, err);
		if (rc == 0 && p->vad >= 0)
			rc = read_keys(p, SQL_PERM_HOLDERS_SYSTEM, p->vad, NULL,
				       0, &q->vad, err);
		return rc;
	}
	/* The field's own name up to ':' is in canon. */
	{
		char field[512];
		char *colon;

		snprintf(field, sizeof(field), "%s", q->canon);
		if ((colon = strrchr(field, ':')))
			*colon = '\0';
		rc = read_keys(p, SQL_PERM_HOLDERS_FIELD, 0, field, q->action,
			       &q->exp, err);
	}
	if (rc == 0 && q->action == A_READ)
		rc = read_keys(p, SQL_PERM_HOLDERS_OBJECT, 0, q->object,
			       A_VIEWALLFIELDS, &q->vaf, err);
	if (rc == 0 && q->action == A_READ && p->mad >= 0 && p->have_vaf)
		rc = read_keys(p, SQL_PERM_HOLDERS_SYSTEM, p->mad, NULL, 0,
			       &q->mad, err);
	return rc;
}

/* The canonical spelling of field `name` (Object.Field), or 0. */
static int field_name(sfa_perm *p, const char *name, char *out, size_t n,
		      sfa_err *err)
{
	sqlite3_stmt *q;
	int rc, found = 0;

	if ((rc = sfa_store_prep(p->st, SQL_PERM_FIELD_NAME, p->snap, &q,
				 "reading field permissions", err)))
		return rc;
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(q, 0));
		found = 1;
	}
	sqlite3_finalize(q);
	return found;
}

/* A LIKE pattern for the fields of object obj: "obj.%", with LIKE's
 * wildcards in the name escaped (custom objects end in __c). */
static void like_pattern(const char *obj, char *out, size_t n)
{
	size_t o = 0;

	for (; *obj && o + 3 < n; obj++) {
		if (*obj == '_' || *obj == '%' || *obj == '\\')
			out[o++] = '\\';
		out[o++] = *obj;
	}
	if (o + 3 <= n) {
		out[o++] = '.';
		out[o++] = '%';
	}
	out[o] = '\0';
}

/* 1 when the snapshot's sync asked for field permissions, 0 when it did
 * not, -1 (err set) when the store cannot say. */
static int fields_asked(sfa_perm *p, sfa_err *err)
{
	sqlite3_stmt *q;
	int asked;

	if (sfa_store_prep(p->st, SQL_PERM_FIELDS_ASKED, p->snap, &q,
			   "reading the snapshot's options", err))
		return -1;
	asked = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
	sqlite3_finalize(q);
	return asked;
}

static int unknown_field(sfa_perm *p, const char *what, const char *obj,
			 const char *field, const char *post, sfa_err *err)
{
	char pattern[600], full[600];
	sqlite3_stmt *q;
	char **names = NULL;
	size_t n = 0, i;
	suggest s = {{0}, {0}, full};
	int rc, any, asked = 0;

	snprintf(full, sizeof(full), "%s.%s", obj, field);

	if ((rc = sfa_store_prep(p->st, SQL_PERM_ANY_FIELD, p->snap, &q,
				 "reading field permissions", err)))
		return rc;
	any = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	if (!any && (asked = fields_asked(p, err)) < 0)
		return SFA_ESTORE;
	if (!any && !asked)
		return sfa_err_set(err, SFA_ENOTFOUND,
				   "`%s`: snapshot %lld holds no field "
				   "permissions; sync with "
				   "--sync-field-permissions to ask about fields",
				   what, p->snap);
	like_pattern(obj, pattern, sizeof(pattern));
	if ((rc = sfa_store_prep(p->st, SQL_PERM_FIELDS_OF, p->snap, &q,
				 "reading field permissions", err)))
		return rc;
	sqlite3_bind_text(q, 2, pattern, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		char **g = realloc(names, (n + 1) * sizeof(*g));

		if (!g)
			break;
		names = g;
		names[n++] = dup_col(q, 0);
	}
	sqlite3_finalize(q);
	for (i = 0; i < n; i++)
		if (names[i])
			suggest_add(&s, names[i], NULL);
	rc = unknown(err, what, "field", &s, "", post);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Parses `what` into q (names made canonical) and reads its key sets.
 * SFA_ENOTFOUND with suggestions for an unknown name. */
static int resolve(sfa_perm *p, const char *what, query *q, sfa_err *err)
{
	const char *colon = strrchr(what, ':');
	char left[512];
	const char *obj;
	int i;

	memset(q, 0, sizeof(*q));
	if (!colon) {
		suggest s = {{0}, {0}, what};

		if ((i = system_number(p, what)) < 0) {
			for (i = 0; i < p->nnames; i++)
				suggest_add(&s, p->names[i], NULL);
			return unknown(err, what, "permission", &s, "", "");
		}
		q->kind = K_SYSTEM;
		q->perm = i;
		snprintf(q->canon, sizeof(q->canon), "%s", p->names[i]);
		return holders(p, q, err);
	}
	if ((size_t)(colon - what) >= sizeof(left))
		return sfa_err_set(err, SFA_ENOTFOUND,
				   "unknown permission `%.80s...`", what);
	memcpy(left, what, (size_t)(colon - what));
	left[colon - what] = '\0';
	if (strchr(left, '.')) {
		char *dot = strchr(left, '.'), field[400];
		char post[16];

		q->kind = K_FIELD;
		if ((q->action = action_of(colon + 1, field_actions, 2)) < 0)
			return unknown_action(what, colon + 1, field_actions,
					      2, err);
		snprintf(post, sizeof(post), ":%s", field_actions[q->action]);
		*dot = '\0';
		if (!(obj = find_object(p, left))) {
			*dot = '.';
			return unknown_object(p, what, left, "", err);
		}
		*dot = '.';
		i = field_name(p, left, field, sizeof(field), err);
		if (i < 0)
			return i;
		if (!i)
			return unknown_field(p, what, obj, dot + 1, post, err);
		snprintf(q->object, sizeof(q->object), "%s", obj);
		snprintf(q->canon, sizeof(q->canon), "%s:%s", field,
			 field_actions[q->action]);
		return holders(p, q, err);
	}
	q->kind = K_OBJECT;
	if ((q->action = action_of(colon + 1, actions, N_ACTIONS)) < 0)
		return unknown_action(what, colon + 1, actions, N_ACTIONS, err);
	/* viewallfields exists "where synced" (lib/access/PERMISSIONS.md):
	 * without it ModifyAllData would seem to imply an action the org lacks.
	 */
	if (q->action == A_VIEWALLFIELDS && !p->have_vaf)
		return sfa_err_set(
		    err, SFA_ENOTFOUND,
		    "unknown action `viewallfields` in `%s`: the "
		    "snapshot's ObjectPermissions have no "
		    "PermissionsViewAllFields (the org's describe "
		    "lacks it)",
		    what);
	if (!(obj = find_object(p, left))) {
		char post[32];

		snprintf(post, sizeof(post), ":%s", actions[q->action]);
		return unknown_object(p, what, left, post, err);
	}
	snprintf(q->object, sizeof(q->object), "%s", obj);
	snprintf(q->canon, sizeof(q->canon), "%s:%s", obj, actions[q->action]);
	return holders(p, q, err);
}

static int tier_of(const sfa_perm *p, const query *q)
{
	if (q->kind == K_SYSTEM)
		return p->names ? sfa_priv_system_tier(p->pv, p->names[q->perm])
				: -1;
	if (q->kind == K_OBJECT)
		return sfa_priv_object_tier(p->pv, actions[q->action]);
	return -1;
}

/* ---- rows ---- */

/* A row before its user is read: the user key and the path. */
typedef struct prow {
	long long user;
	int via_type, implied;
	const char *via_id, *via_name, *granted_by;
	const char *permission, *label; /* borrowed from the query or p */
	int tier;
	size_t user_at; /* index into the users read */
} prow;

typedef struct urow {
	long long key, profile;
	char *sfid, *username, *name, *user_type;
	int is_active;
	size_t rank; /* in order of (username, sfid), set by emit() */
} urow;

typedef struct rows {
	prow *r;
	size_t n, cap;
	urow *u;
	size_t nu, capu;
	/* permission texts owned by the collection (permissions USER) */
	char **texts;
	size_t ntexts, captexts;
} rows;

static void rows_free(rows *rs)
{
	size_t i;

	for (i = 0; i < rs->nu; i++) {
		free(rs->u[i].sfid);
		free(rs->u[i].username);
		free(rs->u[i].name);
		free(rs->u[i].user_type);
	}
	for (i = 0; i < rs->ntexts; i++)
		free(rs->texts[i]);
	free(rs->texts);
	free(rs->r);
	free(rs->u);
	memset(rs, 0, sizeof(*rs));
}

static const char *implied_text(const query *q, int implied, char *buf,
				size_t n)
{
	switch (implied) {
	case IMP_MAD:
		return "ModifyAllData";
	case IMP_VAD:
		return "ViewAllData";
	case IMP_VAF:
		snprintf(buf, n, "%s:viewallfields", q->object);
		return buf;
	default:
		return "";
	}
}

static int add_row(rows *rs, long long user, int via_type, const char *via_id,
		   const char *via_name, const char *granted_by, int implied,
		   const char *permission, const char *label, int tier)
{
	prow *r = grow((void **)&rs->r, &rs->n, &rs->cap, sizeof(*r));

	if (!r)
		return -1;
	r->user = user;
	r->via_type = via_type;
	r->via_id = via_id;
	r->via_name = via_name;
	r->granted_by = granted_by;
	r->implied = implied;
	r->permission = permission;
	r->label = label;
	r->tier = tier;
	return 0;
}

/* Adds a row per holder of a source (users read by sql with key ?2). */
static int add_holders(sfa_perm *p, rows *rs, const char *sql, long long key,
		       int via_type, const char *via_id, const char *via_name,
		       const char *granted_by, int implied,
		       const char *permission, const char *label, int tier,
		       sfa_err *err)
{
	keyset users = {0};
	size_t i;
	int rc = read_keys(p, sql, key, NULL, 0, &users, err);

	for (i = 0; rc == 0 && i < users.n; i++)
		if (add_row(rs, users.k[i], via_type, via_id, via_name,
			    granted_by, implied, permission, label, tier))
			rc = oom(err);
	ks_free(&users);
	return rc;
}

/* A source of the snapshot that grants a permission: its path and why. */
typedef struct source {
	int via_type, implied;
	long long key; /* the profile, permission set or group */
	const char *via_id, *via_name, *granted_by;
} source;

typedef int (*source_fn)(sfa_perm *p, void *ud, const source *src,
			 sfa_err *err);

/* Calls fn for every source of the snapshot that grants q: profiles by
 * their own permission set, permission sets held directly, groups with
 * their muting. */
static int each_source(sfa_perm *p, const query *q, source_fn fn, void *ud,
		       sfa_err *err)
{
	int rc = 0, r;
	size_t i;
	source src;

	for (i = 0; rc == 0 && i < p->nprofs; i++) {
		const profile *f = &p->profs[i];

		if (!f->owned_ps ||
		    (r = grant(q, f->owned_ps, NULL, 0)) == IMP_NO)
			continue;
		src = (source){V_PROFILE, r, f->key, f->sfid, f->name, ""};
		rc = fn(p, ud, &src, err);
	}
	for (i = 0; rc == 0 && i < p->nconts; i++) {
		const container *c = &p->conts[i];

		if (c->owned || c->psg ||
		    (r = grant(q, c->key, NULL, 0)) == IMP_NO)
			continue;
		src = (source){V_PERMISSION_SET, r, c->key, c->sfid, c->label,
			       ""};
		rc = fn(p, ud, &src, err);
	}
	for (i = 0; rc == 0 && i < p->ngroups; i++) {
		const group *g = &p->groups[i];
		const component *by;

		if ((r = group_grant(p, g, q, &by)) == IMP_NO)
			continue;
		src = (source){V_PERMISSION_SET_GROUP, r, g->key, g->sfid,
			       g->label, by->sfid};
		rc = fn(p, ud, &src, err);
	}
	return rc;
}

/* What collect() adds every holder of a source to. */
typedef struct collecting {
	rows *rs;
	const char *text, *label;
	int tier;
} collecting;

static const char *const holders_sql[] = {
    [V_PROFILE] = SQL_PERM_USERS_OF_PROFILE,
    [V_PERMISSION_SET] = SQL_PERM_USERS_OF_PS,
    [V_PERMISSION_SET_GROUP] = SQL_PERM_USERS_OF_PSG,
};

static int collect_source(sfa_perm *p, void *ud, const source *src,
			  sfa_err *err)
{
	const collecting *c = ud;

	return add_holders(p, c->rs, holders_sql[src->via_type], src->key,
			   src->via_type, src->via_id, src->via_name,
			   src->granted_by, src->implied, c->text, c->label,
			   c->tier, err);
}

/* Every source of the snapshot that grants q, with its holders; the rows
 * name the permission `text` (borrowed for rs's lifetime). */
static int collect(sfa_perm *p, const query *q, const char *text, rows *rs,
		   sfa_err *err)
{
	collecting c;

	c.rs = rs;
	c.text = text;
	c.label = q->kind == K_SYSTEM && p->labels ? p->labels[q->perm] : "";
	c.tier = tier_of(p, q);
	return each_source(p, q, collect_source, &c, err);
}

static int urow_key_cmp(const void *a, const void *b)
{
	return ll_cmp(&((const urow *)a)->key, &((const urow *)b)->key);
}

static int read_user(sqlite3_stmt *s, urow *u)
{
	u->key = sqlite3_column_int64(s, 0);
	u->sfid = dup_col(s, 1);
	u->username = dup_col(s, 2);
	u->name = dup_col(s, 3);
	u->is_active = sqlite3_column_int(s, 4) != 0;
	u->user_type = dup_col(s, 5);
	u->profile = sqlite3_column_int64(s, 6);
	return u->sfid && u->username && u->name && u->user_type ? 0 : -1;
}

/* Reads the users the rows name; rows of users the snapshot does not
 * hold (left out by the sync's filters) are dropped. */
static int read_users(sfa_perm *p, rows *rs, sfa_err *err)
{
	keyset keys = {0};
	sqlite3_stmt *s;
	size_t i, j;
	int rc;

	for (i = 0; i < rs->n; i++)
		if (ks_add(&keys, rs->r[i].user)) {
			ks_free(&keys);
			return oom(err);
		}
	ks_sort(&keys);
	if ((rc = sfa_store_prep(p->st, SQL_PERM_USER_BY_KEY, p->snap, &s,
				 "reading users", err))) {
		ks_free(&keys);
		return rc;
	}
	for (i = 0; i < keys.n; i++) {
		urow *u;

		if (i && keys.k[i] == keys.k[i - 1])
			continue;
		sqlite3_bind_int64(s, 2, keys.k[i]);
		if (sqlite3_step(s) == SQLITE_ROW) {
			if (!(u = grow((void **)&rs->u, &rs->nu, &rs->capu,
				       sizeof(*u))) ||
			    read_user(s, u)) {
				sqlite3_finalize(s);
				ks_free(&keys);
				return oom(err);
			}
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	ks_free(&keys);
	for (i = 0, j = 0; i < rs->n; i++) {
		urow k = {0}, *u;

		k.key = rs->r[i].user;
		u = rs->nu ? bsearch(&k, rs->u, rs->nu, sizeof(k),
				     urow_key_cmp)
			   : NULL;
		if (!u)
			continue;
		rs->r[j] = rs->r[i];
		rs->r[j++].user_at = (size_t)(u - rs->u);
	}
	rs->n = j;
	return 0;
}

/* The sort of rows: by username (then user Id, for two users with one
 * name), permission, via_type, via_id. */
static const rows *sorting;

static int urow_name_cmp(const void *a, const void *b)
{
	const urow *x = &sorting->u[*(const size_t *)a];
	const urow *y = &sorting->u[*(const size_t *)b];
	int c = strcmp(x->username, y->username);

	return c ? c : strcmp(x->sfid, y->sfid);
}

/* Ranks the users by (username, sfid), so that the rows sort on one
 * integer per user instead of two string compares per comparison. */
static int rank_users(rows *rs)
{
	size_t *order, i;

	if (rs->nu < 2) {
		if (rs->nu)
			rs->u[0].rank = 0;
		return 0;
	}
	if (!(order = malloc(rs->nu * sizeof(*order))))
		return -1;
	for (i = 0; i < rs->nu; i++)
		order[i] = i;
	qsort(order, rs->nu, sizeof(*order), urow_name_cmp);
	for (i = 0; i < rs->nu; i++)
		rs->u[order[i]].rank = i;
	free(order);
	return 0;
}

static int prow_cmp(const void *a, const void *b)
{
	const prow *x = a, *y = b;
	size_t rx = sorting->u[x->user_at].rank, ry = sorting->u[y->user_at].rank;
	int c = (rx > ry) - (rx < ry);

	if (!c && x->permission != y->permission)
		c = strcmp(x->permission, y->permission);
	if (!c)
		c = (x->via_type > y->via_type) - (x->via_type < y->via_type);
	if (!c && x->via_id != y->via_id)
		c = strcmp(x->via_id, y->via_id);
	return c;
}

/* Emits rs sorted; q names the permission of every row (who-can), or is
 * NULL when the rows carry their own (the object of a viewallfields
 * implication is then the permission's). */
static int emit(const query *q, rows *rs, sfa_perm_fn fn, void *ud,
		sfa_err *err)
{
	char imp[600];
	size_t i;
	int rc = 0;

	sorting = rs;
	if (rank_users(rs)) {
		sorting = NULL;
		return oom(err);
	}
	if (rs->n > 1)
		qsort(rs->r, rs->n, sizeof(*rs->r), prow_cmp);
	for (i = 0; i < rs->n && rc == 0; i++) {
		const prow *r = &rs->r[i];
		const urow *u = &rs->u[r->user_at];
		sfa_perm_row out;
		query local;

		/* One path once (a repeated assignment). */
		if (i && prow_cmp(&rs->r[i - 1], r) == 0)
			continue;
		out.username = u->username;
		out.user_id = u->sfid;
		out.name = u->name;
		out.is_active = u->is_active;
		out.user_type = u->user_type;
		out.permission = r->permission;
		out.label = r->label;
		out.via_type = via_names[r->via_type];
		out.via_id = r->via_id;
		out.via_name = r->via_name;
		out.granted_by = r->granted_by;
		if (r->implied == IMP_VAF && !q) {
			/* permissions USER: the object is the permission's. */
			const char *dot = strchr(r->permission, '.');
			size_t n = dot ? (size_t)(dot - r->permission) : 0;

			memset(&local, 0, sizeof(local));
			if (n >= sizeof(local.object))
				n = sizeof(local.object) - 1;
			memcpy(local.object, r->permission, n);
			out.implied_by = implied_text(&local, r->implied, imp,
						      sizeof(imp));
		} else {
			out.implied_by =
			    implied_text(q, r->implied, imp, sizeof(imp));
		}
		out.tier = r->tier;
		rc = fn(ud, &out);
	}
	sorting = NULL;
	return rc;
}

/* One permission's rows, through who-can's steps. */
static int emit_one(sfa_perm *p, const char *what, sfa_perm_fn fn, void *ud,
		    sfa_err *err)
{
	rows rs = {0};
	query q;
	int rc = resolve(p, what, &q, err);

	if (rc == 0)
		rc = collect(p, &q, q.canon, &rs, err);
	if (rc == 0)
		rc = read_users(p, &rs, err);
	if (rc == 0)
		rc = emit(&q, &rs, fn, ud, err);
	rows_free(&rs);
	query_free(&q);
	return rc;
}

int sfa_perm_who_can(sfa_perm *p, const char *what, sfa_perm_fn fn, void *ud,
		     sfa_err *err)
{
	return emit_one(p, what, fn, ud, err);
}

int sfa_perm_name(sfa_perm *p, const char *what, char *canon, size_t n,
		  sfa_err *err)
{
	query q;
	int rc = resolve(p, what, &q, err);

	if (rc == 0)
		snprintf(canon, n, "%s", q.canon);
	query_free(&q);
	return rc;
}

/* ---- one user's permissions ---- */

/* A fact of one container: it holds `text` (ModifyAllData, Account:read,
 * Account.Phone:read) by its own row. */
typedef struct fact {
	const char *text;
	long long cont;
} fact;

typedef struct user_src {
	int via_type;
	long long key; /* the profile-owned set, permission set or group */
	const char *via_id, *via_name;
	const group *g;
} user_src;

typedef struct facts {
	fact *f;
	size_t n, cap;
	keyset conts; /* every container of the user's sources */
	user_src src[256];
	size_t nsrc;
} facts;

static int fact_cmp(const void *a, const void *b)
{
	const fact *x = a, *y = b;
	int c = strcmp(x->text, y->text);

	return c ? c : ll_cmp(&x->cont, &y->cont);
}

/* A text kept for the rows' lifetime. */
static const char *keep_text(rows *rs, const char *t)
{
	char **slot = grow((void **)&rs->texts, &rs->ntexts, &rs->captexts,
			   sizeof(*slot));

	if (!slot)
		return NULL;
	if (!(*slot = strdup(t))) {
		rs->ntexts--;
		return NULL;
	}
	return *slot;
}

static int add_fact(facts *fs, rows *rs, const char *text, long long cont)
{
	fact *f = grow((void **)&fs->f, &fs->n, &fs->cap, sizeof(*f));

	if (!f || !(f->text = keep_text(rs, text)))
		return -1;
	f->cont = cont;
	return 0;
}

static int object_matches(const char *object, const char *o, size_t n)
{
	return !object || (strlen(object) == n && !strncasecmp(object, o, n));
}

/* Reads the own facts of container c into fs. */
static int read_facts(sfa_perm *p, long long c, const char *object,
		      facts *fs, rows *rs, sfa_err *err)
{
	char text[600];
	sqlite3_stmt *q;
	int rc, a;

	if ((rc = sfa_store_prep(p->st, SQL_PERM_SYSTEM_OF, p->snap, &q,
				 "reading permissions", err)))
		return rc;
	sqlite3_bind_int64(q, 2, c);
	while (sqlite3_step(q) == SQLITE_ROW) {
		int n = sqlite3_column_int(q, 0);

		if (n >= 0 && n < p->nnames &&
		    add_fact(fs, rs, p->names[n], c)) {
			sqlite3_finalize(q);
			return oom(err);
		}
	}
	sqlite3_finalize(q);
	if ((rc = sfa_store_prep(p->st, SQL_PERM_OBJECT_OF, p->snap, &q,
				 "reading object permissions", err)))
		return rc;
	sqlite3_bind_int64(q, 2, c);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *o = (const char *)sqlite3_column_text(q, 0);

		if (!o || !object_matches(object, o, strlen(o)))
			continue;
		for (a = 0; a < N_ACTIONS; a++) {
			if (sqlite3_column_int(q, a + 1) != 1)
				continue;
			snprintf(text, sizeof(text), "%s:%s", o, actions[a]);
			if (add_fact(fs, rs, text, c)) {
				sqlite3_finalize(q);
				return oom(err);
			}
		}
	}
	sqlite3_finalize(q);
	if ((rc = sfa_store_prep(p->st, SQL_PERM_FIELD_OF, p->snap, &q,
				 "reading field permissions", err)))
		return rc;
	sqlite3_bind_int64(q, 2, c);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(q, 0);
		const char *dot = f ? strchr(f, '.') : NULL;

		if (!dot || !object_matches(object, f, (size_t)(dot - f)))
			continue;
		for (a = 0; a < 2; a++) {
			if (sqlite3_column_int(q, a + 1) != 1)
				continue;
			snprintf(text, sizeof(text), "%s:%s", f,
				 field_actions[a]);
			if (add_fact(fs, rs, text, c)) {
				sqlite3_finalize(q);
				return oom(err);
			}
		}
	}
	sqlite3_finalize(q);
	return 0;
}

/* The containers of fs holding text, into s. */
static int holders_of(const facts *fs, const char *text, keyset *s)
{
	fact k;
	size_t lo = 0, hi = fs->n;

	k.text = text;
	k.cont = -1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (fact_cmp(&fs->f[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < fs->n && !strcmp(fs->f[lo].text, text); lo++)
		if (ks_add(s, fs->f[lo].cont))
			return -1;
	ks_sort(s);
	return 0;
}


static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct cands {
	const char **t;
	size_t n, cap;
} cands;

static int add_cand(cands *c, rows *rs, const char *text)
{
	const char **slot = grow((void **)&c->t, &c->n, &c->cap, sizeof(*slot));

	return !slot || !(*slot = keep_text(rs, text));
}

/* The fields of object o, as candidates "Object.Field:read". */
static int add_field_reads(sfa_perm *p, const char *o, cands *c, rows *rs,
			   sfa_err *err)
{
	char pattern[600], text[600];
	sqlite3_stmt *q;
	int rc;

	like_pattern(o, pattern, sizeof(pattern));
	if ((rc = sfa_store_prep(p->st, SQL_PERM_FIELDS_OF, p->snap, &q,
				 "reading field permissions", err)))
		return rc;
	sqlite3_bind_text(q, 2, pattern, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		snprintf(text, sizeof(text), "%s:read",
			 (const char *)sqlite3_column_text(q, 0));
		if (add_cand(c, rs, text)) {
			sqlite3_finalize(q);
			return oom(err);
		}
	}
	sqlite3_finalize(q);
	return 0;
}

/* The sources of user u (lib/access/PERMISSIONS.md, Sources 1-3): the profile's
 * own permission set, and from the user's access set the direct permission
 * sets and the groups. */
/* u's sources into fs->src; of_user is SQL_ACCESS_SET_OF_USER prepared
 * for the snapshot. */
static int user_sources(sfa_perm *p, sqlite3_stmt *of_user, const urow *u,
			facts *fs, sfa_err *err)
{
	sfa_access_set set = {0};
	const profile *f = find_prof(p, u->profile);
	size_t i;
	int rc;

	if (f && f->owned_ps) {
		user_src *s = &fs->src[fs->nsrc++];

		s->via_type = V_PROFILE;
		s->key = f->owned_ps;
		s->via_id = f->sfid;
		s->via_name = f->name;
	}
	rc = sfa_access_set_read(p->st, of_user, u->key, &set, err);
	for (i = 0; rc == 0 && i < set.n; i++) {
		const sfa_access_item *it = &set.items[i];
		const container *c;
		const group *g;
		user_src *s;

		if (fs->nsrc == sizeof(fs->src) / sizeof(fs->src[0]))
			break;
		s = &fs->src[fs->nsrc];
		if (it->type == SFA_AT_PERMISSION_SET &&
		    it->via_type == SFA_AT_DIRECT &&
		    (c = find_cont(p, it->access_id)) && !c->owned && !c->psg) {
			s->via_type = V_PERMISSION_SET;
			s->key = c->key;
			s->via_id = c->sfid;
			s->via_name = c->label;
			fs->nsrc++;
		} else if (it->type == SFA_AT_PERMISSION_SET_GROUP &&
			   (g = find_group(p, it->access_id))) {
			s->via_type = V_PERMISSION_SET_GROUP;
			s->g = g;
			s->via_id = g->sfid;
			s->via_name = g->label;
			fs->nsrc++;
		}
	}
	sfa_access_set_free(&set);
	return rc;
}

/* u's rows into rs (u is copied into rs). */
static int user_rows(sfa_perm *p, const urow *u, const char *object,
		     rows *rs, sfa_err *err)
{
	facts fs = {0};
	cands c = {0};
	keyset mad = {0}, vad = {0};
	sqlite3_stmt *of_user;
	urow *ru;
	size_t i, j, at;
	int rc;

	if (!(ru = grow((void **)&rs->u, &rs->nu, &rs->capu, sizeof(*ru))))
		return oom(err);
	at = rs->nu - 1;
	ru->key = u->key;
	ru->profile = u->profile;
	ru->is_active = u->is_active;
	ru->sfid = strdup(u->sfid);
	ru->username = strdup(u->username);
	ru->name = strdup(u->name);
	ru->user_type = strdup(u->user_type);
	if (!ru->sfid || !ru->username || !ru->name || !ru->user_type)
		return oom(err);
	if ((rc = sfa_store_prep(p->st, SQL_ACCESS_SET_OF_USER, p->snap,
				 &of_user, "reading access", err)) == 0) {
		rc = user_sources(p, of_user, u, &fs, err);
		sqlite3_finalize(of_user);
	}
	for (i = 0; rc == 0 && i < fs.nsrc; i++) {
		const group *g = fs.src[i].g;

		if (!g) {
			if (ks_add(&fs.conts, fs.src[i].key))
				rc = oom(err);
			continue;
		}
		for (j = g->first; rc == 0 && j < g->end; j++)
			if (ks_add(&fs.conts, p->comps[j].ps))
				rc = oom(err);
	}
	ks_sort(&fs.conts);
	for (i = 0; rc == 0 && i < fs.conts.n; i++)
		if (!i || fs.conts.k[i] != fs.conts.k[i - 1])
			rc = read_facts(p, fs.conts.k[i], object, &fs, rs, err);
	if (fs.n > 1)
		qsort(fs.f, fs.n, sizeof(*fs.f), fact_cmp);
	/* Candidates: every own fact, and what ModifyAllData, ViewAllData
	 * and viewallfields would imply; grant() decides each. */
	for (i = 0; rc == 0 && i < fs.n; i++) {
		const char *t = fs.f[i].text, *colon = strrchr(t, ':');

		if (i && !strcmp(t, fs.f[i - 1].text))
			continue;
		if (add_cand(&c, rs, t))
			rc = oom(err);
		else if (colon && !strcmp(colon + 1, "viewallfields")) {
			char o[512];

			snprintf(o, sizeof(o), "%.*s", (int)(colon - t), t);
			rc = add_field_reads(p, o, &c, rs, err);
		}
	}
	if (rc == 0 && p->mad >= 0 &&
	    holders_of(&fs, p->names[p->mad], &mad))
		rc = oom(err);
	if (rc == 0 && p->vad >= 0 &&
	    holders_of(&fs, p->names[p->vad], &vad))
		rc = oom(err);
	for (i = 0; rc == 0 && (mad.n || vad.n) && i < p->nobjects; i++) {
		char text[600];
		int a, na = p->have_vaf ? N_ACTIONS : N_ACTIONS - 1;

		if (object && strcasecmp(object, p->objects[i]) != 0)
			continue;
		for (a = 0; rc == 0 && a < na; a++) {
			if (!mad.n && a != A_READ && a != A_VIEWALL)
				continue;
			snprintf(text, sizeof(text), "%s:%s", p->objects[i],
				 actions[a]);
			if (add_cand(&c, rs, text))
				rc = oom(err);
		}
		if (rc == 0 && mad.n && p->have_vaf)
			rc = add_field_reads(p, p->objects[i], &c, rs, err);
	}
	if (c.n > 1)
		qsort(c.t, c.n, sizeof(*c.t), str_cmp);
	for (i = 0; rc == 0 && i < c.n; i++) {
		const char *t = c.t[i], *colon = strrchr(t, ':');
		const char *dot;
		query q;

		if (i && !strcmp(t, c.t[i - 1]))
			continue;
		memset(&q, 0, sizeof(q));
		q.kind = !colon ? K_SYSTEM
			 : (dot = strchr(t, '.')) && dot < colon ? K_FIELD
								  : K_OBJECT;
		if (q.kind == K_SYSTEM) {
			q.perm = system_number(p, t);
		} else {
			size_t n = (size_t)(q.kind == K_FIELD ? dot - t
							      : colon - t);

			snprintf(q.object, sizeof(q.object), "%.*s", (int)n, t);
			q.action = q.kind == K_FIELD
				       ? action_of(colon + 1, field_actions, 2)
				       : action_of(colon + 1, actions,
						   N_ACTIONS);
			q.mad = mad;
			q.vad = vad;
		}
		if (holders_of(&fs, t, &q.exp)) {
			rc = oom(err);
			break;
		}
		if (q.kind == K_FIELD && q.action == A_READ) {
			char vaf[600];

			snprintf(vaf, sizeof(vaf), "%s:viewallfields",
				 q.object);
			if (holders_of(&fs, vaf, &q.vaf))
				rc = oom(err);
		}
		for (j = 0; rc == 0 && j < fs.nsrc; j++) {
			const user_src *s = &fs.src[j];
			const component *by = NULL;
			int r = s->g ? group_grant(p, s->g, &q, &by)
				     : grant(&q, s->key, NULL, 0);

			if (r == IMP_NO)
				continue;
			if (add_row(rs, u->key, s->via_type, s->via_id,
				    s->via_name, by ? by->sfid : "", r, t,
				    q.kind == K_SYSTEM && q.perm >= 0
					? p->labels[q.perm]
					: "",
				    tier_of(p, &q)))
				rc = oom(err);
			else
				rs->r[rs->n - 1].user_at = at;
		}
		/* mad and vad are shared by every candidate. */
		q.mad.k = q.vad.k = NULL;
		query_free(&q);
	}
	ks_free(&mad);
	ks_free(&vad);
	ks_free(&fs.conts);
	free(fs.f);
	free(c.t);
	return rc;
}

static int find_user(sfa_perm *p, const char *user, urow *u, sfa_err *err)
{
	static const char *const by[] = {SQL_PERM_USER_BY_NAME,
					 SQL_PERM_USER_BY_ID};
	sqlite3_stmt *q;
	size_t i;
	int rc, found = 0;

	for (i = 0; i < 2 && !found; i++) {
		if ((rc = sfa_store_prep(p->st, by[i], p->snap, &q,
					 "reading users", err)))
			return rc;
		sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW) {
			if (read_user(q, u)) {
				sqlite3_finalize(q);
				return oom(err);
			}
			found = 1;
		}
		sqlite3_finalize(q);
	}
	if (!found)
		return sfa_err_set(err, SFA_ENOTFOUND,
				   "no user `%s` (Username or Id) in snapshot "
				   "%lld",
				   user, p->snap);
	return 0;
}

static void urow_free(urow *u)
{
	free(u->sfid);
	free(u->username);
	free(u->name);
	free(u->user_type);
}

int sfa_perm_of_user(sfa_perm *p, const char *user, const char *object,
		     sfa_perm_fn fn, void *ud, sfa_err *err)
{
	urow u = {0};
	rows rs = {0};
	int rc;

	const char *named = object;

	if (named && !(object = find_object(p, named)))
		return unknown_object(p, named, named, "", err);
	if ((rc = find_user(p, user, &u, err))) {
		urow_free(&u); /* what a failed read kept */
		return rc;
	}
	rc = user_rows(p, &u, object, &rs, err);
	if (rc == 0)
		rc = emit(NULL, &rs, fn, ud, err);
	rows_free(&rs);
	urow_free(&u);
	return rc;
}

/* Every privileged permission's rows into rs. */
static int privileged_rows(sfa_perm *p, const char *object, rows *rs,
			   sfa_err *err)
{
	char what[600];
	query q;
	size_t i;
	int n, rc = 0, a;

	for (n = 0; rc == 0 && n < p->nnames; n++) {
		if (sfa_priv_system_tier(p->pv, p->names[n]) < 0)
			continue;
		if ((rc = resolve(p, p->names[n], &q, err)) == 0)
			rc = collect(p, &q, p->names[n], rs, err);
		query_free(&q);
	}
	for (i = 0; rc == 0 && i < p->nobjects; i++) {
		if (object && strcasecmp(object, p->objects[i]) != 0)
			continue;
		for (a = A_VIEWALL; rc == 0 && a <= A_VIEWALL + 1; a++) {
			const char *t;

			if (sfa_priv_object_tier(p->pv, actions[a]) < 0)
				continue;
			snprintf(what, sizeof(what), "%s:%s", p->objects[i],
				 actions[a]);
			if (!(t = keep_text(rs, what)))
				return oom(err);
			if ((rc = resolve(p, what, &q, err)) == 0)
				rc = collect(p, &q, t, rs, err);
			query_free(&q);
		}
	}
	return rc;
}

int sfa_perm_each_privileged(sfa_perm *p, int max_tier, sfa_perm_fn fn,
			     void *ud, sfa_err *err)
{
	char what[600];
	size_t i;
	int n, a, t, rc = 0;

	for (n = 0; rc == 0 && n < p->nnames; n++)
		if ((t = sfa_priv_system_tier(p->pv, p->names[n])) >= 0 &&
		    t <= max_tier)
			rc = emit_one(p, p->names[n], fn, ud, err);
	for (a = A_VIEWALL; rc == 0 && a <= A_VIEWALL + 1; a++) {
		if ((t = sfa_priv_object_tier(p->pv, actions[a])) < 0 ||
		    t > max_tier)
			continue;
		for (i = 0; rc == 0 && i < p->nobjects; i++) {
			snprintf(what, sizeof(what), "%s:%s", p->objects[i],
				 actions[a]);
			rc = emit_one(p, what, fn, ud, err);
		}
	}
	return rc;
}

/* One asked user's hold on a source, keyed as each_source() keys it: the
 * profile, the permission set held directly, or the group. */
typedef struct holding {
	int via_type;
	long long key;
	size_t user; /* index into of_users.u */
} holding;

/* What sfa_perm_each_privileged_of() walks with. */
typedef struct of_users {
	urow *u;
	size_t nu, capu;
	holding *h;
	size_t nh, caph;
	sfa_perm_fn fn;
	void *ud;
} of_users;

/* One permission of emit_of_users(): its query, label and tier. */
typedef struct of_permission {
	const of_users *w;
	const query *q;
	const char *label;
	int tier;
} of_permission;

static int holding_cmp(const void *a, const void *b)
{
	const holding *x = a, *y = b;
	int c = (x->via_type > y->via_type) - (x->via_type < y->via_type);

	if (!c)
		c = ll_cmp(&x->key, &y->key);
	return c ? c : (x->user > y->user) - (x->user < y->user);
}

static int add_holding(of_users *w, int via_type, long long key)
{
	holding *h = grow((void **)&w->h, &w->nh, &w->caph, sizeof(*h));

	if (!h)
		return -1;
	h->via_type = via_type;
	h->key = key;
	h->user = w->nu - 1;
	return 0;
}

/* Reads the asked users (a Salesforce Id the snapshot does not hold is
 * skipped) and the sources each reaches, sorted by source. */
static int read_holdings(sfa_perm *p, const char *const *users, size_t n,
			 of_users *w, sfa_err *err)
{
	sqlite3_stmt *by_id = NULL, *of_user = NULL;
	facts *fs = NULL;
	size_t i, j, k;
	int rc;

	if (!(fs = malloc(sizeof(*fs))))
		return oom(err);
	if ((rc = sfa_store_prep(p->st, SQL_PERM_USER_BY_ID, p->snap, &by_id,
				 "reading users", err)) == 0)
		rc = sfa_store_prep(p->st, SQL_ACCESS_SET_OF_USER, p->snap,
				    &of_user, "reading access", err);
	for (i = 0; rc == 0 && i < n; i++) {
		urow *u;

		sqlite3_bind_text(by_id, 2, users[i], -1, SQLITE_STATIC);
		if (sqlite3_step(by_id) != SQLITE_ROW) {
			sqlite3_reset(by_id);
			continue;
		}
		if (!(u = grow((void **)&w->u, &w->nu, &w->capu, sizeof(*u))) ||
		    read_user(by_id, u)) {
			rc = oom(err);
			break;
		}
		sqlite3_reset(by_id);
		memset(fs, 0, sizeof(*fs));
		if ((rc = user_sources(p, of_user, u, fs, err)))
			break;
		for (j = 0; rc == 0 && j < fs->nsrc; j++) {
			const user_src *src = &fs->src[j];

			if (add_holding(w, src->via_type,
					src->via_type == V_PROFILE ? u->profile
					: src->g		   ? src->g->key
								   : src->key))
				rc = oom(err);
		}
	}
	sqlite3_finalize(by_id);
	sqlite3_finalize(of_user);
	free(fs);
	if (rc)
		return rc;
	if (w->nh > 1)
		qsort(w->h, w->nh, sizeof(*w->h), holding_cmp);
	/* A source reached twice (a repeated assignment) gives one path. */
	for (i = 0, k = 0; i < w->nh; i++)
		if (!k || holding_cmp(&w->h[k - 1], &w->h[i]) != 0)
			w->h[k++] = w->h[i];
	w->nh = k;
	return 0;
}

/* each_source()'s step: a row for each asked user holding src. */
static int emit_holders(sfa_perm *p, void *ud, const source *src,
			sfa_err *err)
{
	const of_permission *op = ud;
	const of_users *w = op->w;
	holding k = {src->via_type, src->key, 0};
	size_t lo = 0, hi = w->nh;
	char imp[600];
	int rc = 0;

	(void)p;
	(void)err;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (holding_cmp(&w->h[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; rc == 0 && lo < w->nh && w->h[lo].via_type == src->via_type &&
	       w->h[lo].key == src->key;
	     lo++) {
		const urow *u = &w->u[w->h[lo].user];
		sfa_perm_row out;

		out.username = u->username;
		out.user_id = u->sfid;
		out.name = u->name;
		out.is_active = u->is_active;
		out.user_type = u->user_type;
		out.permission = op->q->canon;
		out.label = op->label;
		out.via_type = via_names[src->via_type];
		out.via_id = src->via_id;
		out.via_name = src->via_name;
		out.granted_by = src->granted_by;
		out.implied_by = implied_text(op->q, src->implied, imp,
					      sizeof(imp));
		out.tier = op->tier;
		rc = w->fn(w->ud, &out);
	}
	return rc;
}

/* Permission `what`'s rows of the asked users: each source that grants it
 * decided once, as who-can decides it. */
static int emit_of_users(sfa_perm *p, const char *what, const of_users *w,
			 sfa_err *err)
{
	query q;
	int rc = resolve(p, what, &q, err);

	if (rc == 0) {
		of_permission op = {w, &q,
				    q.kind == K_SYSTEM && p->labels
					? p->labels[q.perm]
					: "",
				    tier_of(p, &q)};

		rc = each_source(p, &q, emit_holders, &op, err);
	}
	query_free(&q);
	return rc;
}

int sfa_perm_each_privileged_of(sfa_perm *p, int min_tier, int max_tier,
				const char *const *users, size_t nusers,
				sfa_perm_fn fn, void *ud, sfa_err *err)
{
	of_users w;
	char what[600];
	size_t i;
	int n, a, t, rc;

	memset(&w, 0, sizeof(w));
	w.fn = fn;
	w.ud = ud;
	rc = read_holdings(p, users, nusers, &w, err);
	for (n = 0; rc == 0 && w.nh && n < p->nnames; n++)
		if ((t = sfa_priv_system_tier(p->pv, p->names[n])) >= min_tier &&
		    t <= max_tier)
			rc = emit_of_users(p, p->names[n], &w, err);
	for (a = A_VIEWALL; rc == 0 && w.nh && a <= A_VIEWALL + 1; a++) {
		if ((t = sfa_priv_object_tier(p->pv, actions[a])) < min_tier ||
		    t > max_tier)
			continue;
		for (i = 0; rc == 0 && i < p->nobjects; i++) {
			snprintf(what, sizeof(what), "%s:%s", p->objects[i],
				 actions[a]);
			rc = emit_of_users(p, what, &w, err);
		}
	}
	for (i = 0; i < w.nu; i++)
		urow_free(&w.u[i]);
	free(w.u);
	free(w.h);
	return rc;
}

int sfa_perm_each(sfa_perm *p, int all, const char *object, sfa_perm_fn fn,
		  void *ud, sfa_err *err)
{
	rows rs = {0};
	sqlite3_stmt *q;
	int rc;

	const char *named = object;

	if (named && !(object = find_object(p, named)))
		return unknown_object(p, named, named, "", err);
	if (!all) {
		rc = privileged_rows(p, object, &rs, err);
		if (rc == 0)
			rc = read_users(p, &rs, err);
		if (rc == 0)
			rc = emit(NULL, &rs, fn, ud, err);
		rows_free(&rs);
		return rc;
	}
	/* Every permission: user by user, in username order, each user's
	 * rows computed and let go before the next. */
	if ((rc = sfa_store_prep(p->st, SQL_PERM_USERS_BY_NAME, p->snap, &q,
				 "reading users", err)))
		return rc;
	while (rc == 0 && sqlite3_step(q) == SQLITE_ROW) {
		urow u = {0};

		if (read_user(q, &u))
			rc = oom(err);
		if (rc == 0)
			rc = user_rows(p, &u, object, &rs, err);
		if (rc == 0)
			rc = emit(NULL, &rs, fn, ud, err);
		rows_free(&rs);
		urow_free(&u);
	}
	sqlite3_finalize(q);
	return rc;
}

/* ---- the group aggregates ---- */

/* A disagreement found: group groups[group] and permission names[perm]. */
typedef struct found {
	size_t group;
	int perm, extra;
} found;

static int found_cmp(const void *a, const void *b)
{
	const found *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return (x->perm > y->perm) - (x->perm < y->perm);
}

/* Permission by permission, so that each one's holders are read once for
 * every group (a read per group and permission was 66,000 queries at
 * 50,000 users); reported group by group. */
int sfa_perm_check_aggregates(sfa_perm *p,
			      int (*fn)(void *ud,
					const sfa_perm_disagreement *d),
			      void *ud, sfa_err *err)
{
	const container **agg = NULL;
	found *fs = NULL;
	size_t i, nfound = 0, capfound = 0;
	int n, rc = 0;

	if (!p->ngroups)
		return 0;
	if (!(agg = calloc(p->ngroups, sizeof(const container *))))
		return oom(err);
	for (i = 0; i < p->nconts; i++) {
		const group *g = p->conts[i].psg ? find_group(p, p->conts[i].psg)
						 : NULL;

		if (g && !strcmp(g->status, "Updated") &&
		    !agg[g - p->groups])
			agg[g - p->groups] = &p->conts[i];
	}
	for (n = 0; rc == 0 && n < p->nnames; n++) {
		query q;

		memset(&q, 0, sizeof(q));
		q.kind = K_SYSTEM;
		q.perm = n;
		if ((rc = holders(p, &q, err)))
			break;
		for (i = 0; rc == 0 && i < p->ngroups; i++) {
			const component *by;
			int in_agg, granted;

			if (!agg[i])
				continue;
			in_agg = ks_has(&q.exp, agg[i]->key);
			granted =
			    group_grant(p, &p->groups[i], &q, &by) != IMP_NO;
			if (in_agg != granted) {
				found *f = grow((void **)&fs, &nfound,
						&capfound, sizeof(*f));

				if (!f)
					rc = oom(err);
				else
					*f = (found){i, n, in_agg};
			}
		}
		query_free(&q);
	}
	if (nfound > 1)
		qsort(fs, nfound, sizeof(*fs), found_cmp);
	for (i = 0; rc == 0 && i < nfound; i++) {
		const group *g = &p->groups[fs[i].group];
		sfa_perm_disagreement d;

		d.group_id = g->sfid;
		d.group_name = g->label;
		d.status = g->status;
		d.permission = p->names[fs[i].perm];
		d.extra = fs[i].extra;
		rc = fn(ud, &d);
	}
	free(fs);
	free(agg);
	return rc;
}

/* ---- the access review's privileged rows (at a snapshot's finish) ----
 * Stored per source (schema v15): every holder of a source gets the same
 * rows from it, and the perm_review view multiplies them out. */

typedef struct storing {
	sqlite3_stmt *put;
	const query *q;
	const char *type, *name;
	int tier;
} storing;

static int store_source(sfa_perm *p, void *ud, const source *src,
			sfa_err *err)
{
	const storing *w = ud;
	sqlite3_stmt *put = w->put;
	char imp[600];
	int rc;

	sqlite3_bind_int64(put, 1, p->snap);
	sqlite3_bind_int64(put, 2, src->key);
	sqlite3_bind_text(put, 3, via_names[src->via_type], -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 4, w->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 5, w->q->canon, -1, SQLITE_STATIC);
	sqlite3_bind_text(put, 6, w->name, -1, SQLITE_STATIC);
	if (src->granted_by[0])
		sqlite3_bind_text(put, 7, src->granted_by, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(put, 7);
	if (src->implied != IMP_NONE)
		sqlite3_bind_text(put, 8,
				  implied_text(w->q, src->implied, imp,
					       sizeof(imp)),
				  -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(put, 8);
	sqlite3_bind_int(put, 9, w->tier);
	rc = sqlite3_step(put);
	sqlite3_reset(put);
	return rc == SQLITE_DONE
		   ? 0
		   : sfa_store_sqlerr(p->st, err, "storing privileged rows");
}

/* The rows of privileged permission `what` (a system permission or an
 * object's viewall / modifyall), one per source that grants it. */
static int store_privileged(sfa_perm *p, sqlite3_stmt *put, const char *what,
			    sfa_err *err)
{
	char name[600];
	storing w;
	query q;
	int rc;

	if ((rc = resolve(p, what, &q, err)) == 0) {
		w.put = put;
		w.q = &q;
		w.tier = tier_of(p, &q);
		if (q.kind == K_SYSTEM) {
			w.type = "system_permission";
			w.name = p->labels[q.perm];
		} else {
			w.type = "object_permission";
			snprintf(name, sizeof(name), "%s (%s)",
				 q.action == A_VIEWALL ? "View All"
						       : "Modify All",
				 q.object);
			w.name = name;
		}
		rc = each_source(p, &q, store_source, &w, err);
	}
	query_free(&q);
	return rc;
}

int sfa_perm_store_review(sfa_store *st, const sfa_priv *pv, sfa_err *err)
{
	sfa_priv *own = NULL;
	sqlite3_stmt *put = NULL;
	sfa_perm *p;
	char what[600];
	size_t i;
	int rc, n, a;

	if (!pv) {
		if ((rc = sfa_priv_new(&own, err)))
			return rc;
		pv = own;
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		sfa_priv_free(own);
		return oom(err);
	}
	p->st = st;
	p->snap = sfa_store_writing(st);
	p->pv = pv;
	/* Every FieldPermissions row is in: their names' table can go. */
	sfa_store_field_names_free(st);
	rc = sfa_store_prep(st, SQL_PERM_FLAGS, sfa_store_writing(st), &put,
			    "filling the privileged flags", err);
	if (rc == 0)
		rc = sfa_store_run(st, put, "filling the privileged flags", err);
	put = NULL;
	if (rc == 0)
		rc = load(p, err);
	if (rc == 0)
		rc = sfa_store_prep(st, SQL_PERM_SOURCE_PUT, sfa_store_writing(st), &put,
				    "storing privileged rows", err);
	for (n = 0; rc == 0 && n < p->nnames; n++)
		if (sfa_priv_system_tier(pv, p->names[n]) >= 0)
			rc = store_privileged(p, put, p->names[n], err);
	for (i = 0; rc == 0 && i < p->nobjects; i++)
		for (a = A_VIEWALL; rc == 0 && a <= A_VIEWALL + 1; a++) {
			if (sfa_priv_object_tier(pv, actions[a]) < 0)
				continue;
			snprintf(what, sizeof(what), "%s:%s", p->objects[i],
				 actions[a]);
			rc = store_privileged(p, put, what, err);
		}
	sqlite3_finalize(put);
	sfa_perm_free(p);
	sfa_priv_free(own);
	return rc;
}
