/*
 * access_set.c - writing users' access sets (access_pack.h) into the
 * access_set table: the rows a derivation gives for a user are sorted,
 * stripped of repeats, dated with first_seen_at and stored as one value;
 * and the store migration that moves a v3 access table into sets.
 */
#include "access_set.h"
#include "grow.h"
#include "stable_sort.h"
#include "store_db.h"
#include "store_sql.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* A row as added: its key and its texts as offsets into the writer's
 * arena (0 for NULL, else offset + 1, since the arena moves as it grows). */
struct witem {
	sfa_access_item it;
	size_t text[3];
};

/* What the rows are sorted by: a row's key and where it is in w[]. */
struct wkey {
	long long a, v; /* access_id, via_id */
	int type, via_type;
	size_t i;
};

struct sfa_access_writer {
	sfa_store *st;
	long long snap;
	sqlite3_stmt *put, *digest;
	sqlite3_stmt *prev_of; /* NULL without prev */
	char *started_at;
	struct witem *w;
	size_t n, cap;
	struct wkey *keys; /* cap of them, and cap more to merge into */
	sfa_buf arena;
	size_t last[3]; /* keep()'s last text per field, as offset + 1 */
	sfa_access_item *out;
	size_t out_cap;
	sfa_access_set prev_set;
	sfa_buf blob;
};

void sfa_access_writer_free(sfa_access_writer *w)
{
	if (!w)
		return;
	sqlite3_finalize(w->put);
	sqlite3_finalize(w->digest);
	sqlite3_finalize(w->prev_of);
	free(w->started_at);
	free(w->w);
	free(w->keys);
	sfa_buf_free(&w->arena);
	free(w->out);
	sfa_access_set_free(&w->prev_set);
	sfa_buf_free(&w->blob);
	free(w);
}

int sfa_access_writer_new(sfa_store *st, long long snap, long long prev,
			  sfa_access_writer **out, sfa_err *err)
{
	const char *what = "storing access rows";
	sfa_access_writer *w;
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if (!(w = calloc(1, sizeof(*w))))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	w->st = st;
	w->snap = snap;
	if ((rc = sfa_store_prep(st, SQL_ACCESS_SET_PUT, snap, &w->put, what,
				 err)) ||
	    (rc = sfa_store_prep(st, SQL_ACCESS_DIGEST_PUT, snap, &w->digest,
				 what, err)) ||
	    (prev && (rc = sfa_store_prep(st, SQL_ACCESS_SET_OF_USER, prev,
					  &w->prev_of, what, err))) ||
	    (rc =
		 sfa_store_prep(st, SQL_SNAPSHOT_STARTED, snap, &s, what, err)))
		goto fail;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		w->started_at = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (!w->started_at) {
		rc =
		    sfa_err_set(err, SFA_EINTERNAL,
				"store: snapshot %lld has no start time", snap);
		goto fail;
	}
	*out = w;
	return 0;
fail:
	sfa_access_writer_free(w);
	return rc;
}

/* Copies v into the arena: 0 for NULL, else offset + 1; (size_t)-1 when
 * out of memory.  A text equal to the one kept last for the same field
 * (*last) is not copied again: the user's rows repeat a few dates, and
 * rows that share a copy are found equal by pointer when packed. */
static size_t keep(sfa_access_writer *w, const char *v, size_t *last)
{
	size_t at = w->arena.len;

	if (!v)
		return 0;
	if (*last && strcmp(w->arena.data + *last - 1, v) == 0)
		return *last;
	if (sfa_buf_append(&w->arena, v, strlen(v) + 1))
		return (size_t)-1;
	return *last = at + 1;
}

int sfa_access_writer_add(sfa_access_writer *w, int type, long long access_id,
			  int via_type, long long via_id,
			  const char *assigned_at, const char *expires_at,
			  const char *first_seen_at)
{
	const char *text[3] = {assigned_at, expires_at, first_seen_at};
	struct witem *x;
	int i;

	if (w->n == w->cap) {
		/* keys holds two per item. */
		size_t cap = w->cap, kcap = 2 * w->cap;

		if (SFA_GROW(w->w, cap, w->n + 1) ||
		    SFA_GROW(w->keys, kcap, 2 * cap))
			return SFA_ENOMEM;
		w->cap = cap;
	}
	x = &w->w[w->n];
	x->it.type = type;
	x->it.via_type = via_type;
	x->it.access_id = access_id;
	x->it.via_id = via_id;
	for (i = 0; i < 3; i++)
		if ((x->text[i] = keep(w, text[i], &w->last[i])) == (size_t)-1)
			return SFA_ENOMEM;
	w->n++;
	return 0;
}

/* Whether row key x sorts before y (sfa_access_key_cmp()'s order). */
static int wkey_lt(const void *unused, const struct wkey *x,
		   const struct wkey *y)
{
	(void)unused;
	if (x->type != y->type)
		return x->type < y->type;
	if (x->a != y->a)
		return x->a < y->a;
	if (x->via_type != y->via_type)
		return x->via_type < y->via_type;
	return x->v < y->v;
}

/* Stable: repeats of a row stay in the order they were added, the first
 * being the one kept. */
SFA_STABLE_SORT(wkey_sort, struct wkey, const void *, wkey_lt)

static const char *text_of(const sfa_access_writer *w, size_t ref)
{
	return ref ? w->arena.data + ref - 1 : NULL;
}

/* Records the digest of the set just packed into w->blob: the first 16
 * bytes of its SHA-256.  Two different sets share one with a chance of
 * 2^-128.  A set is a function of its rows (sorted, texts in order of
 * first use), so equal rows with equal dates give equal digests, and the
 * differ skips the user.  SQLITE_DONE, an SQLite error, or -1 when
 * SHA-256 is unavailable. */
static int put_digest(sfa_access_writer *w, long long user_id)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int rc;

	if (!EVP_Digest(w->blob.data, w->blob.len, d, &n, EVP_sha256(), NULL) ||
	    n < 16)
		return -1;
	sqlite3_bind_int64(w->digest, 1, w->snap);
	sqlite3_bind_int64(w->digest, 2, user_id);
	sqlite3_bind_blob(w->digest, 3, d, 16, SQLITE_TRANSIENT);
	rc = sqlite3_step(w->digest);
	sqlite3_reset(w->digest);
	return rc;
}

/* Every rule appends what it grants, so a row can come more than once:
 * the first copy added is kept (its assigned_at).  first_seen_at is the
 * previous snapshot's for a row it has too, else the one added, else
 * this snapshot's start. */
int sfa_access_writer_flush(sfa_access_writer *w, long long user_id,
			    sfa_err *err)
{
	struct wkey *keys;
	size_t i, n = 0, p = 0;
	int rc;

	if (w->n == 0)
		return 0;
	for (i = 0; i < w->n; i++) {
		const sfa_access_item *it = &w->w[i].it;
		struct wkey *k = &w->keys[i];

		k->a = it->access_id;
		k->v = it->via_id;
		k->type = it->type;
		k->via_type = it->via_type;
		k->i = i;
	}
	keys = wkey_sort(w->keys, w->keys + w->cap, w->n, NULL);
	if (w->out_cap < w->n) {
		sfa_access_item *o = realloc(w->out, w->n * sizeof(*o));

		if (!o)
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		w->out = o;
		w->out_cap = w->n;
	}
	if (w->prev_of && (rc = sfa_access_set_read(w->st, w->prev_of, user_id,
						    &w->prev_set, err)))
		return rc;
	for (i = 0; i < w->n; i++) {
		const struct witem *x = &w->w[keys[i].i];
		sfa_access_item *o;

		if (n && sfa_access_key_cmp(&w->out[n - 1], &x->it) == 0)
			continue;
		o = &w->out[n++];
		*o = x->it;
		o->assigned_at = text_of(w, x->text[0]);
		o->expires_at = text_of(w, x->text[1]);
		o->first_seen_at = text_of(w, x->text[2]);
		while (p < w->prev_set.n &&
		       sfa_access_key_cmp(&w->prev_set.items[p], o) < 0)
			p++;
		if (p < w->prev_set.n &&
		    sfa_access_key_cmp(&w->prev_set.items[p], o) == 0)
			o->first_seen_at = w->prev_set.items[p].first_seen_at;
		if (!o->first_seen_at)
			o->first_seen_at = w->started_at;
	}
	w->n = 0;
	sfa_buf_reset(&w->blob);
	rc = sfa_access_pack(w->out, n, &w->blob);
	sfa_buf_reset(&w->arena); /* out[] points into it until packed */
	memset(w->last, 0, sizeof(w->last));
	if (rc)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	sqlite3_bind_int64(w->put, 1, w->snap);
	sqlite3_bind_int64(w->put, 2, user_id);
	sqlite3_bind_int64(w->put, 3, (sqlite3_int64)n);
	sqlite3_bind_blob(w->put, 4, w->blob.data, (int)w->blob.len,
			  SQLITE_STATIC);
	rc = sqlite3_step(w->put);
	sqlite3_reset(w->put);
	if (rc == SQLITE_DONE && (rc = put_digest(w, user_id)) < 0)
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 unavailable");
	if (rc != SQLITE_DONE)
		return sfa_store_sqlerr(w->st, err, "storing access rows");
	return 0;
}

int sfa_access_set_read(sfa_store *st, sqlite3_stmt *of_user, long long user_id,
			sfa_access_set *set, sfa_err *err)
{
	int rc;

	set->n = 0;
	sqlite3_bind_int64(of_user, 2, user_id);
	rc = sqlite3_step(of_user);
	if (rc == SQLITE_ROW)
		rc = sfa_access_unpack(sqlite3_column_blob(of_user, 0),
				       (size_t)sqlite3_column_bytes(of_user, 0),
				       set, err);
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = sfa_store_sqlerr(st, err, "reading access rows");
	sqlite3_reset(of_user);
	return rc;
}

/* Schema v4: the v3 access table, read a user at a time in key order,
 * becomes access sets with the same rows and dates. */
int sfa_access_set_migrate(sfa_store *st, sfa_err *err)
{
	const char *what = "migrating the store";
	sfa_access_writer *w = NULL;
	sqlite3_stmt *s;
	long long snap = 0, user = 0;
	int rc, step;

	if ((rc = sfa_store_prep(st, SQL_V3_ACCESS_ROWS, 0, &s, what, err)))
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		long long sn = sqlite3_column_int64(s, 0);
		long long u = sqlite3_column_int64(s, 1);
		int t = sfa_access_type_code(
		    (const char *)sqlite3_column_text(s, 2));
		int v = sfa_access_type_code(
		    (const char *)sqlite3_column_text(s, 4));

		if (w && (sn != snap || u != user) &&
		    (rc = sfa_access_writer_flush(w, user, err)))
			goto out;
		if (!w || sn != snap) {
			sfa_access_writer_free(w);
			rc = sfa_access_writer_new(st, sn, 0, &w, err);
			if (rc || !w)
				goto out;
		}
		snap = sn;
		user = u;
		if (t < 0 || v < 0) {
			rc = sfa_err_set(err, SFA_ESTORE,
					 "store: snapshot %lld has an access "
					 "row of an unknown type",
					 sn);
			goto out;
		}
		if (sfa_access_writer_add(
			w, t, sqlite3_column_int64(s, 3), v,
			sqlite3_column_int64(s, 5),
			(const char *)sqlite3_column_text(s, 6),
			(const char *)sqlite3_column_text(s, 7),
			(const char *)sqlite3_column_text(s, 8))) {
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		rc = sfa_store_sqlerr(st, err, what);
	else if (w)
		rc = sfa_access_writer_flush(w, user, err);
out:
	sfa_access_writer_free(w);
	sqlite3_finalize(s);
	return rc;
}
