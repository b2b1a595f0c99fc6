/*
 * store_read.c - reading snapshots back: the snapshot list, the latest
 * complete one, access rows with their user and names joined in (the
 * access review's columns and order), and resources.
 */
#include "access_set.h"
#include "store_db.h"
#include "store_sql.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

#define TXT(s, i) ((const char *)sqlite3_column_text((s), (i)))

struct cb {
	sfa_snapshot_fn snap;
	sfa_resource_fn resource;
	sfa_license_seat_fn seat;
	sfa_territory_member_fn member;
	int rows;
};

static int snapshot_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_snapshot_info i;

	cb->rows++;
	i.id = sqlite3_column_int64(s, 0);
	i.org_id = TXT(s, 1);
	i.api_version = TXT(s, 2);
	i.options = TXT(s, 3);
	i.started_at = TXT(s, 4);
	i.finished_at = TXT(s, 5);
	i.status = TXT(s, 6);
	i.content_hash = TXT(s, 7);
	i.error = TXT(s, 8);
	i.n_users = sqlite3_column_int64(s, 9);
	i.n_resources = sqlite3_column_int64(s, 10);
	i.n_access = sqlite3_column_int64(s, 11);
	i.api_requests = sqlite3_column_int64(s, 12);
	return cb->snap(ud, &i);
}

int sfa_store_each_snapshot(sfa_store *st, sfa_snapshot_fn fn, void *ud,
			    sfa_err *err)
{
	struct cb cb = {.snap = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_SNAPSHOT_ALL, 0, &s,
				 "listing snapshots", err)))
		return rc;
	return sfa_store_each_row(st, s, snapshot_row, &cb, ud,
				  "listing snapshots", err);
}

int sfa_store_get_snapshot(sfa_store *st, long long id, sfa_snapshot_fn fn,
			   void *ud, sfa_err *err)
{
	struct cb cb = {.snap = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_SNAPSHOT_ONE, id, &s,
				 "reading a snapshot", err)) ||
	    (rc = sfa_store_each_row(st, s, snapshot_row, &cb, ud,
				     "reading a snapshot", err)))
		return rc;
	if (!cb.rows)
		return sfa_err_set(err, SFA_ENOTFOUND, "no snapshot %lld", id);
	return 0;
}

const char *sfa_left_out_why(sfa_left_out reason)
{
	return reason == SFA_LEFT_OUT_DEACTIVATED ? "deactivated"
						  : "not Standard";
}

const char *sfa_left_out_option(sfa_left_out reason)
{
	return reason == SFA_LEFT_OUT_DEACTIVATED
		   ? "--no-sync-deactivated-users"
		   : "--sync-non-standard-licenses";
}

static sfa_left_out reason_of(const char *stored)
{
	return stored && strcmp(stored, "deactivated") == 0
		   ? SFA_LEFT_OUT_DEACTIVATED
		   : SFA_LEFT_OUT_NON_STANDARD;
}

int sfa_store_left_out_counts(sfa_store *st, long long id,
			      sfa_left_out_counts *out, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sfa_store_prep(st, SQL_LEFT_OUT_COUNTS, id, &s,
				 "counting left-out users", err)))
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		out->users[reason_of(TXT(s, 0))] += sqlite3_column_int64(s, 1);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sfa_store_sqlerr(st, err, "counting left-out users");
	if ((rc = sfa_store_prep(st, SQL_LEFT_OUT_TOKENS, id, &s,
				 "counting left-out users", err)))
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		out->oauth_tokens = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW
		   ? 0
		   : sfa_store_sqlerr(st, err, "counting left-out users");
}

/* The first row of sql (?1 id, ?2 user): 1 with column 0 copied to
 * user_id and the left-out columns to *reason / user_type, 0 when none. */
static int find_one(sfa_store *st, const char *sql, long long id,
		    const char *user, char user_id[19], char type[64],
		    sfa_left_out *reason, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, sql, id, &s, "finding a user", err)))
		return rc;
	sqlite3_bind_text(s, 2, user, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(user_id, 19, "%s", TXT(s, 0) ? TXT(s, 0) : "");
		if (sqlite3_column_count(s) > 3) {
			snprintf(type, 64, "%s", TXT(s, 2) ? TXT(s, 2) : "");
			*reason = reason_of(TXT(s, 3));
		}
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = sfa_store_sqlerr(st, err, "finding a user");
	}
	sqlite3_finalize(s);
	return rc;
}

int sfa_store_find_user(sfa_store *st, long long id, const char *user,
			char user_id[19], sfa_err *err)
{
	char type[64] = "";
	sfa_left_out reason = SFA_LEFT_OUT_NON_STANDARD;
	int rc;

	rc = find_one(st, SQL_FIND_USER, id, user, user_id, type, &reason, err);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = find_one(st, SQL_FIND_LEFT_OUT, id, user, user_id, type, &reason,
		      err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sfa_err_set(err, SFA_ENOTFOUND,
				   "no user `%s` in snapshot %lld (give an "
				   "Id or a Username)",
				   user, id);
	if (reason == SFA_LEFT_OUT_NON_STANDARD)
		return sfa_err_set(err, SFA_ENOTFOUND,
				   "user `%s` (%s) was left out of snapshot "
				   "%lld: UserType %s, not Standard; sync with "
				   "%s to include it",
				   user, user_id, id, type,
				   sfa_left_out_option(reason));
	return sfa_err_set(err, SFA_ENOTFOUND,
			   "user `%s` (%s) was left out of snapshot %lld: "
			   "deactivated, and the sync ran with %s",
			   user, user_id, id, sfa_left_out_option(reason));
}

int sfa_store_latest_complete(sfa_store *st, const char *org_id, int nth,
			      long long *id_out, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_LATEST_COMPLETE, 0, &s,
				 "finding the latest snapshot", err)))
		return rc;
	if (org_id)
		sqlite3_bind_text(s, 1, org_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 1);
	sqlite3_bind_int(s, 2, nth < 0 ? 0 : nth);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sfa_err_set(err, SFA_ENOTFOUND,
				 nth ? "fewer than %d complete snapshots%s%s"
				     : "no complete snapshot%.0d%s%s",
				 nth + 1, org_id ? " of org " : "",
				 org_id ? org_id : "");
	} else
		rc = sfa_store_sqlerr(st, err, "finding the latest snapshot");
	sqlite3_finalize(s);
	return rc;
}

/* ---- one user's rows, named and sorted here ----
 * A snapshot has tens of thousands of resources for millions of rows, so
 * each (type, sfid key) met is looked up once with SQL_RESOURCE_NAME and
 * kept for the whole read in an open-addressing table.  A slot holds its
 * key and type, so that a lookup touches one slot, not the resource; the
 * few types are kept once, so that their text stays in cache. */

/* A text and its first 16 bytes as two big-endian numbers (zero-padded),
 * which decide most comparisons without reading the text. */
typedef struct sort_text {
	const char *s; /* NULL for SQL's NULL */
	unsigned long long head[2];
} sort_text;

/* A resource as the review shows it.  sfid and name point into text,
 * allocated with the resource so that sorting and writing find them next
 * to it; type is the table's. */
typedef struct resource {
	const char *type;
	sort_text sfid, name;
	long long key; /* sfid key */
	int ref;       /* sfa_access_row's access_ref / via_ref */
	char text[];
} resource;

typedef struct slot {
	long long key;
	const char *type; /* NULL for a free slot */
	resource *r;
} slot;

/* Owns slots[] (cap of them, a power of two, at most half used), every
 * resource in them and types[]; s is the prepared SQL_RESOURCE_NAME. */
typedef struct resources {
	sqlite3_stmt *s;
	slot *slots;
	size_t n, cap;
	char **types;
	size_t ntypes;
} resources;

/* One row of the user being read: its resources (borrowed from the
 * table) and its dates, as offsets into the user's text (NO_TEXT for
 * NULL) since that text moves as it grows. */
#define NO_TEXT ((size_t)-1)
typedef struct item {
	const resource *access, *via;
	size_t assigned_at, expires_at, first_seen_at;
	size_t user; /* index into user_rows' users[] */
} item;

/* The user's columns of the review (SQL_EACH_ACCESS_USERS columns 1-12),
 * texts as offsets into the user_rows' text. */
#define USER_TEXTS 10
typedef struct user_cols {
	size_t text[USER_TEXTS];
	int is_active, is_frozen;
} user_cols;

/* Owns items[], users[] and text[]: the rows of one user (or of the users
 * sharing a username), reused user after user; set is the decoded access
 * set of the user being read. */
typedef struct user_rows {
	item *items;
	size_t n, cap;
	user_cols *users;
	size_t nusers, ucap;
	char *text;
	size_t len, size;
	sfa_access_set set;
	struct pitem *privs; /* privileged rows (perm_review) */
	size_t np, pcap;
} user_rows;

/* A privileged row of the access review: its texts in u->text, in the
 * order of SQL_PERM_REVIEW_OF_USER's columns. */
enum {
	P_TYPE,
	P_ID,
	P_NAME,
	P_VIA_TYPE,
	P_VIA_ID,
	P_VIA_NAME,
	P_GRANTED,
	P_IMPLIED,
	P_NTEXT
};
typedef struct pitem {
	size_t t[P_NTEXT];
	int tier, user;
} pitem;

static void resources_free(resources *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slots[i].r);
	for (i = 0; i < t->ntypes; i++)
		free(t->types[i]);
	free(t->types);
	free(t->slots);
	sqlite3_finalize(t->s);
}

/* Keys are hashed alone: a key is one Salesforce object, so it comes
 * with one type but for the odd row whose type does not match it. */
static size_t slot_of(const resources *t, const char *type, long long key)
{
	unsigned long long h = (unsigned long long)key * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 32) & (t->cap - 1);

	while (t->slots[i].type &&
	       (t->slots[i].key != key || strcmp(t->slots[i].type, type) != 0))
		i = (i + 1) & (t->cap - 1);
	return i;
}

/* Doubles the table (or makes its first one); 0 or SFA_ENOMEM. */
static int grow(resources *t)
{
	resources bigger = *t;
	size_t i;

	bigger.cap = t->cap ? t->cap * 2 : 1024;
	if (!(bigger.slots = calloc(bigger.cap, sizeof(slot))))
		return SFA_ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (t->slots[i].type)
			bigger.slots[slot_of(&bigger, t->slots[i].type,
					     t->slots[i].key)] = t->slots[i];
	free(t->slots);
	*t = bigger;
	return 0;
}

/* The table's copy of type; NULL when out of memory. */
static const char *type_of(resources *t, const char *type)
{
	char **p;
	size_t i;

	for (i = 0; i < t->ntypes; i++)
		if (strcmp(t->types[i], type) == 0)
			return t->types[i];
	if (!(p = realloc(t->types, (t->ntypes + 1) * sizeof(char *))))
		return NULL;
	t->types = p;
	if (!(p[t->ntypes] = strdup(type)))
		return NULL;
	return p[t->ntypes++];
}

static void set_sort_text(sort_text *t, const char *s)
{
	int i, end = !s;

	t->s = s;
	t->head[0] = t->head[1] = 0;
	for (i = 0; i < 16; i++) {
		unsigned char c = end ? 0 : (unsigned char)s[i];

		end = end || !c;
		t->head[i / 8] = t->head[i / 8] << 8 | c;
	}
}

/* Sets *out to the resource of type and key, looked up on first use. */
static int resource_of(sfa_store *st, resources *t, const char *type,
		       long long key, const resource **out, sfa_err *err)
{
	const char *sfid, *name;
	size_t i, nsfid, nname;
	resource *r;

	*out = NULL;
	if ((t->n + 1) * 2 > t->cap && grow(t))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	i = slot_of(t, type, key);
	if ((*out = t->slots[i].r))
		return 0;
	sqlite3_bind_text(t->s, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(t->s, 3, key);
	if (sqlite3_step(t->s) != SQLITE_ROW) {
		int rc = sfa_store_sqlerr(st, err, "naming access rows");

		sqlite3_reset(t->s);
		return rc;
	}
	sfid = TXT(t->s, 0);
	name = TXT(t->s, 1);
	nsfid = sfid ? strlen(sfid) + 1 : 0;
	nname = name ? strlen(name) + 1 : 0;
	if ((r = malloc(sizeof(*r) + nsfid + nname))) {
		r->key = key;
		r->type = type_of(t, type);
		set_sort_text(&r->sfid,
			      sfid ? memcpy(r->text, sfid, nsfid) : NULL);
		set_sort_text(&r->name,
			      name ? memcpy(r->text + nsfid, name, nname)
				   : NULL);
	}
	sqlite3_reset(t->s);
	if (!r || !r->type) {
		free(r);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	t->slots[i].key = key;
	t->slots[i].type = r->type;
	r->ref = (int)++t->n;
	*out = t->slots[i].r = r;
	return 0;
}

/* Copies v into u->text and sets *at to its offset (NO_TEXT for NULL); 0
 * or -1 (out of memory). */
static int keep_text(user_rows *u, const char *v, size_t *at)
{
	size_t n;

	*at = NO_TEXT;
	if (!v)
		return 0;
	n = strlen(v) + 1;
	if (SFA_GROW(u->text, u->size, u->len + n))
		return -1;
	memcpy(u->text + u->len, v, n);
	*at = u->len;
	u->len += n;
	return 0;
}

/* Keeps the user's columns of the current row of users (a row of
 * SQL_EACH_ACCESS_USERS) as u->users[u->nusers++]; 0 or -1. */
static int keep_user(user_rows *u, sqlite3_stmt *users)
{
	static const int cols[USER_TEXTS] = {1, 2, 3, 4, 5, 6, 7, 8, 11, 12};
	user_cols *c;
	int i;

	if (SFA_GROW(u->users, u->ucap, u->nusers + 1))
		return -1;
	c = &u->users[u->nusers];
	for (i = 0; i < USER_TEXTS; i++)
		if (keep_text(u, TXT(users, cols[i]), &c->text[i]))
			return -1;
	c->is_active = sqlite3_column_int(users, 9);
	c->is_frozen = sqlite3_column_int(users, 10);
	u->nusers++;
	return 0;
}

/* Makes room for one more row in u; 0 or -1 (out of memory). */
static int reserve_item(user_rows *u)
{
	return SFA_GROW(u->items, u->cap, u->n + 1) ? -1 : 0;
}

/* Text as ORDER BY compares it: NULL first, then bytewise. */
static int cmp_text(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? 1 : -1;
	return strcmp(a, b);
}

/* cmp_text() of two sort_texts. */
static int cmp_sort_text(const sort_text *a, const sort_text *b)
{
	int i;

	if (a->s == b->s)
		return 0;
	if (!a->s || !b->s)
		return a->s ? 1 : -1;
	for (i = 0; i < 2; i++)
		if (a->head[i] != b->head[i])
			return a->head[i] < b->head[i] ? -1 : 1;
	/* The same 16 bytes: equal if they hold the end, else read on. */
	return (a->head[1] & 0xff) ? strcmp(a->s + 16, b->s + 16) : 0;
}

/* SQL_ACCESS_ITEM_ORDER.  (access_type, access key, via_type, via key) is
 * an access set's key, so no two rows of a user compare equal; rows of
 * users sharing a username follow the users' order. */
static int cmp_item(const void *pa, const void *pb)
{
	const item *a = pa, *b = pb;
	int c;

	if ((c = cmp_text(a->access->type, b->access->type)) ||
	    (c = cmp_sort_text(&a->access->name, &b->access->name)) ||
	    (c = cmp_text(a->via->type, b->via->type)) ||
	    (c = cmp_sort_text(&a->via->name, &b->via->name)) ||
	    (c = cmp_sort_text(&a->access->sfid, &b->access->sfid)) ||
	    (c = cmp_sort_text(&a->via->sfid, &b->via->sfid)))
		return c;
	if (a->access->key != b->access->key)
		return a->access->key < b->access->key ? -1 : 1;
	if (a->via->key != b->via->key)
		return a->via->key < b->via->key ? -1 : 1;
	return a->user < b->user ? -1 : a->user > b->user;
}

static int read_privileged(sfa_store *st, sqlite3_stmt *pr, long long key,
			   user_rows *u, sfa_err *err)
{
	int rc, i;

	sqlite3_bind_int64(pr, 2, key);
	while ((rc = sqlite3_step(pr)) == SQLITE_ROW) {
		pitem *p;

		if (SFA_GROW(u->privs, u->pcap, u->np + 1)) {
			sqlite3_reset(pr);
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		}
		p = &u->privs[u->np++];
		p->user = (int)u->nusers - 1;
		p->tier = sqlite3_column_int(pr, P_NTEXT);
		for (i = 0; i < P_NTEXT; i++)
			if (keep_text(u, TXT(pr, i), &p->t[i])) {
				sqlite3_reset(pr);
				return sfa_err_set(err, SFA_ENOMEM,
						   "out of memory");
			}
	}
	sqlite3_reset(pr);
	return rc == SQLITE_DONE
		   ? 0
		   : sfa_store_sqlerr(st, err, "reading access rows");
}

/* Whether x follows from another of the user's rows (sfa_access_filter's
 * skip_inherited). */
static int inherited(const sfa_access_item *x)
{
	if (x->type == SFA_AT_GROUP || x->type == SFA_AT_QUEUE)
		return x->via_type == SFA_AT_GROUP ||
		       x->via_type == SFA_AT_ROLE;
	return x->type == SFA_AT_PERMISSION_SET &&
	       x->via_type == SFA_AT_PERMISSION_SET_GROUP;
}

/* Appends the rows of user `key` (type code `type`, or all when < 0;
 * only the types of mask `types` when not 0; no inherited rows when
 * skip_inherited) to u as rows of u's latest user; one is
 * SQL_ACCESS_SET_OF_USER, pr SQL_PERM_REVIEW_OF_USER (NULL: no privileged
 * rows wanted). */
static int read_user(sfa_store *st, sqlite3_stmt *one, sqlite3_stmt *pr,
		     long long key, int type, unsigned types, int skip_inherited,
		     resources *t, user_rows *u, sfa_err *err)
{
	size_t i;
	int rc;

	if ((rc = sfa_access_set_read(st, one, key, &u->set, err)) ||
	    (pr && (rc = read_privileged(st, pr, key, u, err))))
		return rc;
	for (i = 0; i < u->set.n; i++) {
		const sfa_access_item *x = &u->set.items[i];
		item *it;

		if ((type >= 0 && x->type != type) ||
		    (types && !(types & 1u << x->type)) ||
		    (skip_inherited && inherited(x)))
			continue;
		if (reserve_item(u))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		it = &u->items[u->n];
		if ((rc = resource_of(st, t, sfa_access_type_name(x->type),
				      x->access_id, &it->access, err)) ||
		    (rc = resource_of(st, t, sfa_access_type_name(x->via_type),
				      x->via_id, &it->via, err)))
			return rc;
		assert(it->access && it->via);
		if (!it->access->sfid.s) /* as an inner join on it would */
			continue;
		it->user = u->nusers - 1;
		if (keep_text(u, x->assigned_at, &it->assigned_at) ||
		    keep_text(u, x->expires_at, &it->expires_at) ||
		    keep_text(u, x->first_seen_at, &it->first_seen_at))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		u->n++;
	}
	return 0;
}

static const char *text_at(const user_rows *u, size_t at)
{
	return at == NO_TEXT ? NULL : u->text + at;
}

static const user_rows *sorting;

static int cmp_opt(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? 1 : -1;
	return strcmp(a, b);
}

/* Privileged rows in the review order (store_sql.h), then by user. */
static int cmp_pitem(const void *pa, const void *pb)
{
	const pitem *a = pa, *b = pb;
	static const int order[] = {P_TYPE,	P_NAME, P_VIA_TYPE,
				    P_VIA_NAME, P_ID,	P_VIA_ID};
	size_t k;
	int c;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		if ((c = cmp_opt(text_at(sorting, a->t[order[k]]),
				 text_at(sorting, b->t[order[k]]))))
			return c;
	return (a->user > b->user) - (a->user < b->user);
}

static int cmp_pitem_item(const user_rows *u, const pitem *p, const item *it)
{
	int c;

	if ((c = cmp_opt(text_at(u, p->t[P_TYPE]), it->access->type)) ||
	    (c = cmp_opt(text_at(u, p->t[P_NAME]), it->access->name.s)) ||
	    (c = cmp_opt(text_at(u, p->t[P_VIA_TYPE]), it->via->type)) ||
	    (c = cmp_opt(text_at(u, p->t[P_VIA_NAME]), it->via->name.s)) ||
	    (c = cmp_opt(text_at(u, p->t[P_ID]), it->access->sfid.s)))
		return c;
	return cmp_opt(text_at(u, p->t[P_VIA_ID]), it->via->sfid.s);
}

static void user_columns(const user_rows *u, const user_cols *c,
			 sfa_access_row *r)
{
	r->captured_at = text_at(u, c->text[0]);
	r->org_id = text_at(u, c->text[1]);
	r->user_id = text_at(u, c->text[2]);
	r->username = text_at(u, c->text[3]);
	r->name = text_at(u, c->text[4]);
	r->email = text_at(u, c->text[5]);
	r->user_type = text_at(u, c->text[6]);
	r->license = text_at(u, c->text[7]);
	r->is_active = c->is_active;
	r->is_frozen = c->is_frozen;
	r->last_login_at = text_at(u, c->text[8]);
	r->manager_username = text_at(u, c->text[9]);
}

static int emit_privileged(const user_rows *u, const pitem *p,
			   sfa_access_row *r, sfa_access_fn fn, void *ud)
{
	user_columns(u, &u->users[p->user], r);
	r->access_type = text_at(u, p->t[P_TYPE]);
	r->access_id = text_at(u, p->t[P_ID]);
	r->access_name = text_at(u, p->t[P_NAME]);
	r->via_type = text_at(u, p->t[P_VIA_TYPE]);
	r->via_id = text_at(u, p->t[P_VIA_ID]);
	r->via_name = text_at(u, p->t[P_VIA_NAME]);
	r->access_ref = r->via_ref = 0; /* cells written in full */
	r->assigned_at = r->expires_at = r->first_seen_at = NULL;
	r->tier = p->tier;
	r->granted_by = text_at(u, p->t[P_GRANTED]);
	r->implied_by = text_at(u, p->t[P_IMPLIED]);
	return fn(ud, r);
}

/* Hands fn the rows read into u, sorted, each with its user's columns. */
static int emit_user(user_rows *u, long long snapshot_id, sfa_access_fn fn,
		     void *ud)
{
	sfa_access_row r;
	size_t i;
	int stop = 0;

	size_t j = 0;

	if (u->n > 1)
		qsort(u->items, u->n, sizeof(*u->items), cmp_item);
	if (u->np > 1) {
		sorting = u;
		qsort(u->privs, u->np, sizeof(*u->privs), cmp_pitem);
		sorting = NULL;
	}
	r.snapshot_id = snapshot_id;
	for (i = 0; (i < u->n || j < u->np) && !stop; i++) {
		const item *it;
		const user_cols *c;

		/* The privileged rows in their place in the review order. */
		if (j < u->np &&
		    (i >= u->n ||
		     cmp_pitem_item(u, &u->privs[j], &u->items[i]) < 0)) {
			stop = emit_privileged(u, &u->privs[j++], &r, fn, ud);
			i--;
			continue;
		}
		it = &u->items[i];
		c = &u->users[it->user];
		r.tier = -1;
		r.granted_by = r.implied_by = NULL;

		r.captured_at = text_at(u, c->text[0]);
		r.org_id = text_at(u, c->text[1]);
		r.user_id = text_at(u, c->text[2]);
		r.username = text_at(u, c->text[3]);
		r.name = text_at(u, c->text[4]);
		r.email = text_at(u, c->text[5]);
		r.user_type = text_at(u, c->text[6]);
		r.license = text_at(u, c->text[7]);
		r.is_active = c->is_active;
		r.is_frozen = c->is_frozen;
		r.last_login_at = text_at(u, c->text[8]);
		r.manager_username = text_at(u, c->text[9]);
		r.access_type = it->access->type;
		r.access_id = it->access->sfid.s;
		r.access_name = it->access->name.s;
		r.access_ref = it->access->ref;
		r.via_type = it->via->type;
		r.via_id = it->via->sfid.s;
		r.via_name = it->via->name.s;
		r.via_ref = it->via->ref;
		r.assigned_at = text_at(u, it->assigned_at);
		r.expires_at = text_at(u, it->expires_at);
		r.first_seen_at = text_at(u, it->first_seen_at);
		stop = fn(ud, &r);
	}
	return stop;
}

/* Users in username order, each user's rows decoded from the user's
 * access set, named, and sorted on their own (store_sql.h); users sharing
 * a username are read together so that their rows interleave as one sort
 * would. */
int sfa_store_each_access(sfa_store *st, long long snapshot_id,
			  const sfa_access_filter *f, sfa_access_fn fn,
			  void *ud, sfa_err *err)
{
	const char *what = "reading access rows";
	sqlite3_stmt *users = NULL, *one = NULL, *pr = NULL;
	resources t = {NULL, NULL, 0, 0, NULL, 0};
	user_rows u = {0};
	int rc, type = -1;
	long long left = 0;

	if (f && f->access_type &&
	    (type = sfa_access_type_code(f->access_type)) < 0)
		type = SFA_AT_COUNT; /* a type no row has */
	if ((rc = sfa_store_prep(st, SQL_EACH_ACCESS_USERS, snapshot_id, &users,
				 what, err)) ||
	    (rc = sfa_store_prep(st, SQL_ACCESS_SET_OF_USER, snapshot_id, &one,
				 what, err)) ||
	    (rc = sfa_store_prep(st, SQL_RESOURCE_NAME, snapshot_id, &t.s, what,
				 err)))
		goto out;
	if ((!f || (!f->access_type && !f->types && !f->skip_inherited) ||
	     (f->access_type &&
	      (!strcmp(f->access_type, "system_permission") ||
	       !strcmp(f->access_type, "object_permission")))) &&
	    (rc = sfa_store_prep(st, SQL_PERM_REVIEW_OF_USER, snapshot_id, &pr,
				 what, err)))
		goto out;
	if (f && f->user)
		sqlite3_bind_text(users, 2, f->user, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(users)) == SQLITE_ROW) {
		if (left == 0) { /* the first user of a username */
			u.n = u.nusers = u.len = u.np = 0;
			left = sqlite3_column_int64(users, 13);
		}
		if (keep_user(&u, users)) {
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = read_user(st, one, pr, sqlite3_column_int64(users, 0),
				    type, f ? f->types : 0,
				    f ? f->skip_inherited : 0, &t, &u, err)))
			goto out;
		if (--left <= 0 && (rc = emit_user(&u, snapshot_id, fn, ud)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : sfa_store_sqlerr(st, err, what);
out:
	free(u.items);
	free(u.users);
	free(u.privs);
	free(u.text);
	sqlite3_finalize(pr);
	sfa_access_set_free(&u.set);
	resources_free(&t);
	sqlite3_finalize(one);
	sqlite3_finalize(users);
	return rc;
}

static int resource_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_resource_row r;

	r.type = TXT(s, 0);
	r.id = TXT(s, 1);
	r.name = TXT(s, 2);
	r.attrs = TXT(s, 3);
	return cb->resource(ud, &r);
}

static int seat_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_license_seat r;

	r.type = TXT(s, 0);
	r.id = TXT(s, 1);
	r.name = TXT(s, 2);
	r.total_known = sqlite3_column_type(s, 3) != SQLITE_NULL;
	r.total = sqlite3_column_int64(s, 3);
	r.used_known = sqlite3_column_type(s, 4) != SQLITE_NULL;
	r.used = sqlite3_column_int64(s, 4);
	r.assigned = sqlite3_column_int64(s, 5);
	r.assigned_inactive = sqlite3_column_int64(s, 6);
	return cb->seat(ud, &r);
}

int sfa_store_each_license_seat(sfa_store *st, long long snapshot_id,
				sfa_license_seat_fn fn, void *ud, sfa_err *err)
{
	struct cb cb = {.seat = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_LICENSE_SEATS, snapshot_id, &s,
				 "reading licence seats", err)))
		return rc;
	return sfa_store_each_row(st, s, seat_row, &cb, ud,
				  "reading licence seats", err);
}

static int member_row(sqlite3_stmt *s, void *fn, void *ud)
{
	struct cb *cb = fn;
	sfa_territory_member m;

	m.user_id = TXT(s, 0);
	m.territory_id = TXT(s, 1);
	m.role = TXT(s, 2);
	return cb->member(ud, &m);
}

int sfa_store_each_territory_member(sfa_store *st, long long snapshot_id,
				    sfa_territory_member_fn fn, void *ud,
				    sfa_err *err)
{
	struct cb cb = {.member = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_TERRITORY_MEMBERS, snapshot_id, &s,
				 "reading territory members", err)))
		return rc;
	return sfa_store_each_row(st, s, member_row, &cb, ud,
				  "reading territory members", err);
}

int sfa_store_each_resource(sfa_store *st, long long snapshot_id,
			    const char *type, sfa_resource_fn fn, void *ud,
			    sfa_err *err)
{
	struct cb cb = {.resource = fn};
	sqlite3_stmt *s;
	int rc;

	if ((rc = sfa_store_prep(st, SQL_EACH_RESOURCE, snapshot_id, &s,
				 "reading resources", err)))
		return rc;
	if (type)
		sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	return sfa_store_each_row(st, s, resource_row, &cb, ud,
				  "reading resources", err);
}

static int integrity_row(sqlite3_stmt *s, void *fn, void *ud)
{
	char *report = ud;
	size_t n = *(size_t *)fn, used = strlen(report);
	const char *line = (const char *)sqlite3_column_text(s, 0);

	snprintf(report + used, n - used, "%s%s", used ? "; " : "",
		 line ? line : "");
	return 0;
}

int sfa_store_integrity(sfa_store *st, char *report, size_t n, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	report[0] = '\0';
	if ((rc = sfa_store_prep(st, SQL_INTEGRITY_CHECK, 0, &s,
				 "checking the store's integrity", err)))
		return rc;
	return sfa_store_each_row(st, s, integrity_row, &n, report,
				  "checking the store's integrity", err);
}

int sfa_store_has_privileged(sfa_store *st, long long snapshot_id, int *yes,
			     sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*yes = 0;
	if ((rc = sfa_store_prep(st, SQL_HAS_PRIVILEGED, snapshot_id, &s,
				 "reading access rows", err)))
		return rc;
	rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		   ? 0
		   : sfa_store_sqlerr(st, err, "reading access rows");
}
