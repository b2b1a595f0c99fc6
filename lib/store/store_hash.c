/*
 * store_hash.c - the content hash of a snapshot: SHA-256 of a canonical
 * text of its resources and access rows, so the same org state always
 * hashes the same and any changed row changes the hash.
 *
 * The hashed bytes, exactly:
 *   "sfaccess-snapshot-v1\n"
 *   "resources\n"  then one line per resource:  type TAB id TAB name TAB
 *                  attrs LF, in order of (type, id, name, attrs)
 *   "access\n"     then one line per access row: user_id TAB access_type
 *                  TAB access_id TAB via_type TAB via_id TAB assigned_at
 *                  TAB expires_at LF, in order of those fields
 *   "privileged\n" (only when the snapshot has any: a snapshot without
 *                  permissions hashes as before) then one line per
 *                  privileged row of the access review
 *                  (lib/access/PERMISSIONS.md): user_id TAB access_type
 *                  TAB access_id TAB via_type TAB via_id TAB granted_by
 *                  TAB implied_by TAB tier LF, in order of those fields
 * Ids are the Salesforce ids as text; attrs the JSON of the resource
 * (store_sql.h); order compares fields bytewise, NULL first.  A NULL field
 * is written \N; in other fields a backslash is written \\, TAB \t, LF \n
 * and CR \r.  Nothing of the capture (snapshot id, times, first_seen_at)
 * is hashed.
 *
 * The access section is produced user by user (SQL_HASH_USERS gives each
 * user's access set): a user's Salesforce id is unique, so
 * this is exactly the order above, and each sort holds one user's rows
 * instead of the snapshot's millions.
 */
#include "access_pack.h"
#include "access_set.h"
#include "buf.h"
#include "grow.h"
#include "stable_sort.h"
#include "store_db.h"
#include "store_sql.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends v (n bytes) escaped as above.  Runs of plain bytes are copied
 * at once. */
static int put_escaped(sfa_buf *b, const unsigned char *v, int n)
{
	int i, from = 0, rc = 0;

	for (i = 0; i < n && !rc; i++) {
		const char *esc;

		switch (v[i]) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		if ((rc = sfa_buf_append(b, v + from, (size_t)(i - from))) == 0)
			rc = sfa_buf_puts(b, esc);
		from = i + 1;
	}
	if (!rc && from < n)
		rc = sfa_buf_append(b, v + from, (size_t)(n - from));
	return rc;
}

/* Appends field v (n bytes, NULL for SQL NULL) escaped as above, then TAB
 * or, for the last field, LF. */
static int put_field(sfa_buf *b, const unsigned char *v, int n, int last)
{
	int rc = v ? put_escaped(b, v, n) : sfa_buf_puts(b, "\\N");

	return rc ? rc : sfa_buf_puts(b, last ? "\n" : "\t");
}

/* Hashes one line per row of s into md; *rows counts them.  Returns
 * SQLITE_DONE at the end, SQLITE_NOMEM when the line cannot grow, else
 * SQLite's error. */
static int hash_rows(EVP_MD_CTX *md, sqlite3_stmt *s, sfa_buf *line,
		     long long *rows)
{
	int rc, i, n = sqlite3_column_count(s);

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sfa_buf_reset(line);
		for (i = 0; i < n; i++)
			if (put_field(line, sqlite3_column_text(s, i),
				      sqlite3_column_bytes(s, i), i == n - 1))
				return SQLITE_NOMEM;
		EVP_DigestUpdate(md, line->data, line->len);
		(*rows)++;
	}
	return rc;
}

/* Turns hash_rows()'s result into 0 or an error. */
static int hash_rc(sfa_store *st, int rc, sfa_err *err)
{
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_NOMEM)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return sfa_store_sqlerr(st, err, "hashing the snapshot");
}

/* The resources section: every row of SQL_HASH_RESOURCES. */
static int hash_resources(sfa_store *st, EVP_MD_CTX *md, long long id,
			  long long *rows, sfa_err *err)
{
	static const char title[] = "resources\n";
	sfa_buf line = {0};
	sqlite3_stmt *s;
	int rc;

	EVP_DigestUpdate(md, title, sizeof(title) - 1);
	*rows = 0;
	if ((rc = sfa_store_prep(st, SQL_HASH_RESOURCES, id, &s,
				 "hashing the snapshot", err)))
		return rc;
	rc = hash_rc(st, hash_rows(md, s, &line, rows), err);
	sfa_buf_free(&line);
	sqlite3_finalize(s);
	return rc;
}

/* ---- the privileged section ----
 * Its rows come from perm_priv_source, one set per source (schema v15),
 * and the sources' holders, as the perm_review view joins them.  Each
 * source row's line is made once without its user (the tail), with the
 * sort key of its other fields (access_type, access_id, via_type, via_id
 * joined by NUL bytes, which no field holds, so that one memcmp compares
 * them field by field); then the users, in order of their Salesforce id,
 * each get their sources' rows sorted by that key. */

enum { PV_PROFILE, PV_PERMISSION_SET, PV_PERMISSION_SET_GROUP };

struct prow {
	sqlite3_int64 via;
	int via_type;
	size_t key_off, tail_off;
	int key_len, tail_len;
};

/* An assignment that reaches a source: its assignee and the source. */
struct phold {
	sqlite3_int64 user, via;
	int via_type;
};

struct psection {
	sfa_buf text; /* keys and tails */
	struct prow *rows; /* by via, then key */
	size_t nrows;
	struct phold *holds; /* by user */
	size_t nholds;
	size_t *pick; /* the rows of the user being hashed */
	size_t npick, cappick;
};

static const struct psection *psorting;

static int via_code(const unsigned char *t)
{
	if (!t)
		return -1;
	if (!strcmp((const char *)t, "profile"))
		return PV_PROFILE;
	if (!strcmp((const char *)t, "permission_set"))
		return PV_PERMISSION_SET;
	if (!strcmp((const char *)t, "permission_set_group"))
		return PV_PERMISSION_SET_GROUP;
	return -1;
}

static int prow_key_cmp(const void *a, const void *b)
{
	const struct prow *x = &psorting->rows[*(const size_t *)a];
	const struct prow *y = &psorting->rows[*(const size_t *)b];
	int n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(psorting->text.data + x->key_off,
		       psorting->text.data + y->key_off, (size_t)n);

	return c ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

static int phold_cmp(const void *a, const void *b)
{
	const struct phold *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return (x->via > y->via) - (x->via < y->via);
}

/* The first row of source via, or nrows. */
static size_t first_row(const struct psection *ps, sqlite3_int64 via)
{
	size_t lo = 0, hi = ps->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->rows[mid].via < via)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int has_source(const struct psection *ps, sqlite3_int64 via,
		      int via_type)
{
	size_t i;

	for (i = first_row(ps, via); i < ps->nrows && ps->rows[i].via == via;
	     i++)
		if (ps->rows[i].via_type == via_type)
			return 1;
	return 0;
}

/* Reads the source rows (SQL_HASH_PRIV_SOURCES, in via order). */
static int read_sources(sqlite3_stmt *s, struct psection *ps)
{
	size_t cap = 0;
	int rc, i;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct prow *r;

		if (ps->nrows == cap) {
			struct prow *n;

			cap = cap ? 2 * cap : 1024;
			if (!(n = realloc(ps->rows, cap * sizeof(*n))))
				return SQLITE_NOMEM;
			ps->rows = n;
		}
		r = &ps->rows[ps->nrows++];
		r->via = sqlite3_column_int64(s, 0);
		r->via_type = via_code(sqlite3_column_text(s, 1));
		/* key: columns 2-5; tail: columns 2-8 (access_type ... tier) */
		r->key_off = ps->text.len;
		for (i = 2; i <= 5; i++)
			if (sfa_buf_append(&ps->text, sqlite3_column_text(s, i),
					   (size_t)sqlite3_column_bytes(s, i) +
					       (i < 5)))
				return SQLITE_NOMEM;
		r->key_len = (int)(ps->text.len - r->key_off);
		r->tail_off = ps->text.len;
		for (i = 2; i <= 8; i++)
			if (put_field(&ps->text, sqlite3_column_text(s, i),
				      sqlite3_column_bytes(s, i), i == 8))
				return SQLITE_NOMEM;
		r->tail_len = (int)(ps->text.len - r->tail_off);
	}
	return rc;
}

/* Reads the assignments that reach a source (SQL_HASH_PRIV_HOLDS): a
 * permission set held directly (no group) or a group. */
static int read_holds(sqlite3_stmt *s, struct psection *ps)
{
	size_t cap = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct phold h;

		h.user = sqlite3_column_int64(s, 0);
		if (sqlite3_column_type(s, 2) == SQLITE_NULL) {
			h.via = sqlite3_column_int64(s, 1);
			h.via_type = PV_PERMISSION_SET;
		} else {
			h.via = sqlite3_column_int64(s, 2);
			h.via_type = PV_PERMISSION_SET_GROUP;
		}
		if (!has_source(ps, h.via, h.via_type))
			continue;
		if (ps->nholds == cap) {
			struct phold *n;

			cap = cap ? 2 * cap : 1024;
			if (!(n = realloc(ps->holds, cap * sizeof(*n))))
				return SQLITE_NOMEM;
			ps->holds = n;
		}
		ps->holds[ps->nholds++] = h;
	}
	if (ps->nholds > 1)
		qsort(ps->holds, ps->nholds, sizeof(*ps->holds), phold_cmp);
	return rc;
}

/* Adds source via's rows of via_type to the user's pick. */
static int pick_source(struct psection *ps, sqlite3_int64 via, int via_type)
{
	size_t i;

	for (i = first_row(ps, via); i < ps->nrows && ps->rows[i].via == via;
	     i++) {
		if (ps->rows[i].via_type != via_type)
			continue;
		if (ps->npick == ps->cappick) {
			size_t cap = ps->cappick ? 2 * ps->cappick : 64;
			size_t *n = realloc(ps->pick, cap * sizeof(*n));

			if (!n)
				return -1;
			ps->pick = n;
			ps->cappick = cap;
		}
		ps->pick[ps->npick++] = i;
	}
	return 0;
}

/* Hashes the lines of one user (key user, Salesforce id sfid/n, profile
 * key profile or 0). */
static int hash_user_privileged(EVP_MD_CTX *md, struct psection *ps,
				sqlite3_int64 user, sqlite3_int64 profile,
				const unsigned char *sfid, int n, sfa_buf *line)
{
	size_t lo = 0, hi = ps->nholds, i;

	ps->npick = 0;
	if (profile && pick_source(ps, profile, PV_PROFILE))
		return SQLITE_NOMEM;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->holds[mid].user < user)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < ps->nholds && ps->holds[i].user == user; i++)
		if (pick_source(ps, ps->holds[i].via, ps->holds[i].via_type))
			return SQLITE_NOMEM;
	if (!ps->npick)
		return 0;
	psorting = ps;
	if (ps->npick > 1)
		qsort(ps->pick, ps->npick, sizeof(*ps->pick), prow_key_cmp);
	psorting = NULL;
	sfa_buf_reset(line);
	for (i = 0; i < ps->npick; i++) {
		const struct prow *r = &ps->rows[ps->pick[i]];

		if (put_field(line, sfid, n, 0) ||
		    sfa_buf_append(line, ps->text.data + r->tail_off,
				   (size_t)r->tail_len))
			return SQLITE_NOMEM;
	}
	EVP_DigestUpdate(md, line->data, line->len);
	return 0;
}

static int hash_privileged(sfa_store *st, EVP_MD_CTX *md, long long id,
			   sfa_err *err)
{
	static const char title[] = "privileged\n";
	struct psection ps = {0};
	sfa_buf line = {0};
	sqlite3_stmt *s;
	int rc, any;

	if ((rc = sfa_store_prep(st, SQL_HAS_PRIVILEGED, id, &s,
				 "hashing the snapshot", err)))
		return rc;
	any = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (!any)
		return 0;
	EVP_DigestUpdate(md, title, sizeof(title) - 1);
	if ((rc = sfa_store_prep(st, SQL_HASH_PRIV_SOURCES, id, &s,
				 "hashing the snapshot", err)))
		return rc;
	rc = read_sources(s, &ps);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE) {
		if ((rc = sfa_store_prep(st, SQL_HASH_PRIV_HOLDS, id, &s,
					 "hashing the snapshot", err)))
			goto done;
		rc = read_holds(s, &ps);
		sqlite3_finalize(s);
	}
	if (rc == SQLITE_DONE) {
		if ((rc = sfa_store_prep(st, SQL_HASH_PRIVILEGED_USERS, id, &s,
					 "hashing the snapshot", err)))
			goto done;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW &&
		       (rc = hash_user_privileged(
			    md, &ps, sqlite3_column_int64(s, 0),
			    sqlite3_column_int64(s, 2), sqlite3_column_text(s, 1),
			    sqlite3_column_bytes(s, 1), &line)) == 0)
			;
		sqlite3_finalize(s);
	}
	rc = hash_rc(st, rc, err);
done:
	sfa_buf_free(&line);
	sfa_buf_free(&ps.text);
	free(ps.rows);
	free(ps.holds);
	free(ps.pick);
	return rc;
}

/* ---- the access section ----
 * A user's rows are turned into lines from pieces made once: the type
 * names are constants, each resource key's Salesforce id is looked up
 * once per snapshot, and each of the user's few dates is escaped once per
 * user.  The rows sort on integers: type codes, the ids' bytes read as
 * big-endian numbers, and the dates' ranks among the user's dates.  A
 * line is then a few copies, and the user's lines go to SHA-256 in one
 * call. */

/* The Salesforce id of one key: raw (the sort compares it bytewise) and
 * escaped (the line has it), as offsets into the names' text; esc_off
 * is raw_off when the two are the same, as for every real id.  A key
 * without an sfid row has raw_len < 0: NULL, as a LEFT JOIN would give. */
struct name {
	sqlite3_int64 key;
	uint32_t raw_off, esc_off;
	int raw_len, esc_len;
};

/* A row of the user being hashed, as it sorts: the type codes, the ids'
 * first 18 bytes as three big-endian numbers (zero past an id's end: a
 * shorter id sorts first, as no id holds a NUL byte), whether via is
 * NULL (0, sorting first), the dates' ranks (-1 for NULL); then what the
 * line needs: the names and the dates' indexes among the set's texts. */
struct hrow {
	uint64_t a0, a1, v0, v1;
	uint32_t a2, v2;
	int asg_rank, exp_rank;
	unsigned char type, via_type, has_via;
	uint32_t an, vn;
	int asg, exp;
};

/* Bytes of the user's arena: at off, len of them. */
struct piece {
	size_t off;
	int len;
};

struct hash_user {
	sqlite3_stmt *sfid; /* SQL_HASH_SFID */
	struct name *names; /* every key met so far, in the order met */
	size_t nnames, names_cap;
	uint32_t *slots; /* open addressing: index into names + 1, 0 free */
	size_t nslots;
	sfa_buf text; /* the names' ids */
	struct hrow *rows, *tmp;
	size_t n, cap;
	struct piece *texts;  /* the set's texts, escaped */
	int *rank;	      /* the set's texts' ranks in text order */
	const char **by_text; /* the set's texts, sorted */
	size_t ntexts_cap;
	sfa_buf arena; /* the user's escaped texts */
	sfa_buf out;   /* the user's lines */
	const char *type_name[SFA_AT_COUNT];
	size_t type_len[SFA_AT_COUNT];
};

static void hash_user_free(struct hash_user *h)
{
	sqlite3_finalize(h->sfid);
	free(h->names);
	free(h->slots);
	sfa_buf_free(&h->text);
	free(h->rows);
	free(h->tmp);
	free(h->texts);
	free(h->rank);
	free(h->by_text);
	sfa_buf_free(&h->arena);
	sfa_buf_free(&h->out);
}

static size_t slot_of(const struct hash_user *h, sqlite3_int64 k)
{
	return (size_t)(((sqlite3_uint64)k * 0x9E3779B97F4A7C15ull) >> 32) &
	       (h->nslots - 1);
}

/* Doubles the slots (or makes the first 4096) and places every name. */
static int grow_slots(struct hash_user *h)
{
	size_t n = h->nslots ? 2 * h->nslots : 4096, i;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return SQLITE_NOMEM;
	free(h->slots);
	h->slots = s;
	h->nslots = n;
	for (i = 0; i < h->nnames; i++) {
		size_t at = slot_of(h, h->names[i].key);

		while (h->slots[at])
			at = (at + 1) & (n - 1);
		h->slots[at] = (uint32_t)i + 1;
	}
	return SQLITE_OK;
}

/* Reads key k's Salesforce id from sfid into a new name, placed at slot
 * at.  SQLITE_OK, SQLITE_NOMEM or SQLite's error. */
static int add_name(struct hash_user *h, sqlite3_int64 k, size_t at)
{
	struct name *nm;
	const char *v;
	int rc, n;

	if (h->nnames + 1 >= UINT32_MAX ||
	    SFA_GROW(h->names, h->names_cap, h->nnames + 1))
		return SQLITE_NOMEM;
	nm = &h->names[h->nnames];
	nm->key = k;
	nm->raw_len = nm->esc_len = -1;
	nm->raw_off = nm->esc_off = 0;
	sqlite3_bind_int64(h->sfid, 1, k);
	if ((rc = sqlite3_step(h->sfid)) == SQLITE_ROW &&
	    (v = (const char *)sqlite3_column_text(h->sfid, 0))) {
		/* The escaped id first: escaping turns a byte into two, so
		 * one as long as the raw id is the raw id, and one copy
		 * serves both. */
		n = sqlite3_column_bytes(h->sfid, 0);
		nm->raw_off = nm->esc_off = (uint32_t)h->text.len;
		nm->raw_len = n;
		if (h->text.len + 2 * (size_t)n + 2 > UINT32_MAX ||
		    put_escaped(&h->text, (const unsigned char *)v, n))
			rc = SQLITE_NOMEM;
		nm->esc_len = (int)(h->text.len - nm->esc_off);
		if (rc == SQLITE_ROW && nm->esc_len != n) {
			nm->raw_off = (uint32_t)h->text.len;
			if (sfa_buf_append(&h->text, v, (size_t)n))
				rc = SQLITE_NOMEM;
		}
	}
	sqlite3_reset(h->sfid);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	h->slots[at] = (uint32_t)++h->nnames;
	return SQLITE_OK;
}

/* The index in names of key k, read from sfid the first time.  Keys of
 * every user's rows are few (the org's groups, permission sets, roles,
 * ...), so each is read once per snapshot. */
static int name_of(struct hash_user *h, sqlite3_int64 k, uint32_t *out)
{
	size_t at;
	int rc;

	if (2 * (h->nnames + 1) > h->nslots && (rc = grow_slots(h)))
		return rc;
	for (at = slot_of(h, k); h->slots[at]; at = (at + 1) & (h->nslots - 1))
		if (h->names[h->slots[at] - 1].key == k) {
			*out = h->slots[at] - 1;
			return SQLITE_OK;
		}
	if ((rc = add_name(h, k, at)))
		return rc;
	*out = (uint32_t)h->nnames - 1;
	return SQLITE_OK;
}

/* Bytes i.. of name nm's raw id as a big-endian number of w bytes, zero
 * past its end. */
static uint64_t id_bytes(const struct hash_user *h, const struct name *nm,
			 int i, int w)
{
	const unsigned char *v =
	    (const unsigned char *)h->text.data + nm->raw_off;
	uint64_t k = 0;
	int j;

	for (j = i; j < i + w; j++)
		k = k << 8 | (j < nm->raw_len ? v[j] : 0);
	return k;
}

/* Orders two names whose first 18 bytes are equal: by the bytes after,
 * then by length. */
static int name_tail_cmp(const struct hash_user *h, uint32_t a, uint32_t b)
{
	const struct name *x = &h->names[a], *y = &h->names[b];
	int n = x->raw_len < y->raw_len ? x->raw_len : y->raw_len, c;

	if (n > 18 &&
	    (c = memcmp(h->text.data + x->raw_off + 18,
			h->text.data + y->raw_off + 18, (size_t)(n - 18))))
		return c;
	return (x->raw_len > y->raw_len) - (x->raw_len < y->raw_len);
}

/* Whether row x sorts before row y: (type, access id, via type, via id,
 * assigned_at, expires_at), ids and dates bytewise, NULL first. */
static int hrow_lt(const struct hash_user *h, const struct hrow *x,
		   const struct hrow *y)
{
	int c;

	if (x->type != y->type)
		return x->type < y->type;
	if (x->a0 != y->a0)
		return x->a0 < y->a0;
	if (x->a1 != y->a1)
		return x->a1 < y->a1;
	if (x->a2 != y->a2)
		return x->a2 < y->a2;
	if (x->an != y->an && (c = name_tail_cmp(h, x->an, y->an)))
		return c < 0;
	if (x->via_type != y->via_type)
		return x->via_type < y->via_type;
	if (x->has_via != y->has_via)
		return x->has_via < y->has_via;
	if (x->v0 != y->v0)
		return x->v0 < y->v0;
	if (x->v1 != y->v1)
		return x->v1 < y->v1;
	if (x->v2 != y->v2)
		return x->v2 < y->v2;
	if (x->has_via && x->vn != y->vn &&
	    (c = name_tail_cmp(h, x->vn, y->vn)))
		return c < 0;
	if (x->asg_rank != y->asg_rank)
		return x->asg_rank < y->asg_rank;
	return x->exp_rank < y->exp_rank;
}

SFA_STABLE_SORT(sort_hrows, struct hrow, const struct hash_user *, hrow_lt)

/* The index of text t among the set's texts (its items point at them),
 * -1 for NULL.  The texts lie in one buffer in index order, so a binary
 * search by address finds it: a user may have thousands of dates. */
static int text_index(const sfa_access_set *set, const char *t)
{
	size_t lo = 0, hi = set->ntexts;

	while (t && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->strs[mid] == t)
			return (int)mid;
		if (set->strs[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Escapes the set's texts into h->texts and ranks them: equal texts get
 * equal ranks, a text after another a higher one. */
static int read_texts(struct hash_user *h, const sfa_access_set *set)
{
	size_t t, ntexts = set->ntexts;
	int rank = 0;

	if (ntexts > h->ntexts_cap) {
		struct piece *p = realloc(h->texts, ntexts * sizeof(*p));
		int *r = p ? realloc(h->rank, ntexts * sizeof(*r)) : NULL;
		const char **b =
		    r ? realloc(h->by_text, ntexts * sizeof(*b)) : NULL;

		if (p)
			h->texts = p;
		if (r)
			h->rank = r;
		if (!b)
			return SQLITE_NOMEM;
		h->by_text = b;
		h->ntexts_cap = ntexts;
	}
	sfa_buf_reset(&h->arena);
	for (t = 0; t < ntexts; t++) {
		size_t at = h->arena.len;

		if (put_escaped(&h->arena, (const unsigned char *)set->strs[t],
				(int)strlen(set->strs[t])))
			return SQLITE_NOMEM;
		h->texts[t].off = at;
		h->texts[t].len = (int)(h->arena.len - at);
		h->by_text[t] = set->strs[t];
	}
	if (ntexts > 1)
		qsort(h->by_text, ntexts, sizeof(*h->by_text), str_cmp);
	for (t = 0; t < ntexts; t++) {
		if (t == 0 || strcmp(h->by_text[t - 1], h->by_text[t]) != 0)
			rank = (int)t;
		h->rank[text_index(set, h->by_text[t])] = rank;
	}
	return SQLITE_OK;
}

/* Turns the rows of one user (set) into h's rows, sorted in hash order.
 * Returns SQLITE_DONE or an SQLite error code. */
static int read_user(struct hash_user *h, const sfa_access_set *set)
{
	size_t r;
	int rc;

	h->n = 0;
	if (set->n > h->cap) {
		struct hrow *p = realloc(h->rows, set->n * sizeof(*p));
		struct hrow *t =
		    p ? realloc(h->tmp, set->n * sizeof(*t)) : NULL;

		if (p)
			h->rows = p;
		if (!t)
			return SQLITE_NOMEM;
		h->tmp = t;
		h->cap = set->n;
	}
	if ((rc = read_texts(h, set)))
		return rc;
	for (r = 0; r < set->n; r++) {
		const sfa_access_item *it = &set->items[r];
		struct hrow *row = &h->rows[h->n];
		const struct name *a, *v = NULL;

		/* Every access row names a resource that is in sfid; a row
		 * whose access id is not would be dropped by a join. */
		if (it->access_id <= 0)
			continue;
		if ((rc = name_of(h, it->access_id, &row->an)) ||
		    (it->via_id > 0 && (rc = name_of(h, it->via_id, &row->vn))))
			return rc;
		a = &h->names[row->an];
		if (a->raw_len < 0)
			continue;
		if (it->via_id > 0 && h->names[row->vn].raw_len >= 0)
			v = &h->names[row->vn];
		row->type = (unsigned char)it->type;
		row->via_type = (unsigned char)it->via_type;
		row->a0 = id_bytes(h, a, 0, 8);
		row->a1 = id_bytes(h, a, 8, 8);
		row->a2 = (uint32_t)id_bytes(h, a, 16, 2);
		row->has_via = v != NULL;
		row->v0 = v ? id_bytes(h, v, 0, 8) : 0;
		row->v1 = v ? id_bytes(h, v, 8, 8) : 0;
		row->v2 = v ? (uint32_t)id_bytes(h, v, 16, 2) : 0;
		row->asg = text_index(set, it->assigned_at);
		row->exp = text_index(set, it->expires_at);
		row->asg_rank = row->asg < 0 ? -1 : h->rank[row->asg];
		row->exp_rank = row->exp < 0 ? -1 : h->rank[row->exp];
		h->n++;
	}
	if (sort_hrows(h->rows, h->tmp, h->n, h) == h->tmp) {
		struct hrow *sorted = h->tmp;

		h->tmp = h->rows;
		h->rows = sorted;
	}
	return SQLITE_DONE;
}

/* Copies v (len bytes; \N when len < 0) and then sep to at; returns the
 * end. */
static char *copy_field(char *at, const char *v, int len, char sep)
{
	if (len < 0) {
		*at++ = '\\';
		*at++ = 'N';
	} else {
		memcpy(at, v, (size_t)len);
		at += len;
	}
	*at++ = sep;
	return at;
}

static size_t field_len(int len)
{
	return len < 0 ? 2 : (size_t)len;
}

/* The escaped via id of row r: NULL for a direct row. */
static const struct name *via_of(const struct hash_user *h,
				 const struct hrow *r)
{
	return r->has_via ? &h->names[r->vn] : NULL;
}

/* Hashes the rows read_user() left in h into md, each line led by the
 * user's Salesforce id (lead, lead_len bytes, escaped).  The user's lines
 * are measured first and then copied into place: a line is nine
 * fields. */
static int hash_user_rows(struct hash_user *h, EVP_MD_CTX *md, const char *lead,
			  int lead_len, long long *rows)
{
	size_t r, need = 0;
	char *at;

	for (r = 0; r < h->n; r++) {
		const struct hrow *row = &h->rows[r];
		const struct name *v = via_of(h, row);

		need += field_len(lead_len) + h->type_len[row->type] +
			field_len(h->names[row->an].esc_len) +
			h->type_len[row->via_type] +
			field_len(v ? v->esc_len : -1) + 7 +
			field_len(row->asg < 0 ? -1 : h->texts[row->asg].len) +
			field_len(row->exp < 0 ? -1 : h->texts[row->exp].len);
	}
	sfa_buf_reset(&h->out);
	if (sfa_buf_reserve(&h->out, need))
		return SQLITE_NOMEM;
	at = h->out.data;
	for (r = 0; r < h->n; r++) {
		const struct hrow *row = &h->rows[r];
		const struct name *a = &h->names[row->an], *v = via_of(h, row);

		at = copy_field(at, lead, lead_len, '\t');
		at = copy_field(at, h->type_name[row->type],
				(int)h->type_len[row->type], '\t');
		at =
		    copy_field(at, h->text.data + a->esc_off, a->esc_len, '\t');
		at = copy_field(at, h->type_name[row->via_type],
				(int)h->type_len[row->via_type], '\t');
		at = copy_field(at, v ? h->text.data + v->esc_off : NULL,
				v ? v->esc_len : -1, '\t');
		at = copy_field(
		    at,
		    row->asg < 0 ? NULL
				 : h->arena.data + h->texts[row->asg].off,
		    row->asg < 0 ? -1 : h->texts[row->asg].len, '\t');
		at = copy_field(
		    at,
		    row->exp < 0 ? NULL
				 : h->arena.data + h->texts[row->exp].off,
		    row->exp < 0 ? -1 : h->texts[row->exp].len, '\n');
	}
	h->out.len = (size_t)(at - h->out.data);
	h->out.data[h->out.len] = '\0';
	*rows += (long long)h->n;
	EVP_DigestUpdate(md, h->out.data, h->out.len);
	return SQLITE_DONE;
}

/* The access section: per user in Salesforce id order, the user's rows,
 * each line led by the user's id. */
static int hash_access(sfa_store *st, EVP_MD_CTX *md, long long id,
		       long long *rows, sfa_err *err)
{
	static const char title[] = "access\n";
	const char *what = "hashing the snapshot";
	struct hash_user h = {0};
	sqlite3_stmt *users = NULL, *one = NULL;
	sfa_access_set set = {0};
	sfa_buf lead = {0};
	int rc, i;

	EVP_DigestUpdate(md, title, sizeof(title) - 1);
	*rows = 0;
	if ((rc = sfa_store_prep(st, SQL_HASH_USERS, id, &users, what, err)) ||
	    (rc = sfa_store_prep(st, SQL_ACCESS_SET_OF_USER, id, &one, what,
				 err)))
		goto out;
	if (sqlite3_prepare_v2(sfa_store_sqlite(st), SQL_HASH_SFID, -1, &h.sfid,
			       NULL)) {
		rc = sfa_store_sqlerr(st, err, what);
		goto out;
	}
	for (i = 0; i < SFA_AT_COUNT; i++) {
		h.type_name[i] = sfa_access_type_name(i);
		h.type_len[i] = strlen(h.type_name[i]);
	}
	while ((rc = sqlite3_step(users)) == SQLITE_ROW) {
		if ((rc = sfa_access_set_read(
			 st, one, sqlite3_column_int64(users, 0), &set, err)))
			goto out;
		rc = read_user(&h, &set);
		sfa_buf_reset(&lead);
		if (rc == SQLITE_DONE &&
		    put_escaped(&lead, sqlite3_column_text(users, 1),
				sqlite3_column_bytes(users, 1)))
			rc = SQLITE_NOMEM;
		if (rc == SQLITE_DONE)
			rc = hash_user_rows(&h, md, lead.data ? lead.data : "",
					    (int)lead.len, rows);
		if (rc != SQLITE_DONE)
			break;
	}
	rc = hash_rc(st, rc, err);
out:
	hash_user_free(&h);
	sfa_access_set_free(&set);
	sfa_buf_free(&lead);
	sqlite3_finalize(one);
	sqlite3_finalize(users);
	return rc;
}

/* The page cache's size as PRAGMA cache_size gives it (negative: KiB). */
static int cache_size(sfa_store *st, int *out, sfa_err *err)
{
	sqlite3_stmt *q;

	if (sqlite3_prepare_v2(sfa_store_sqlite(st), "PRAGMA cache_size", -1,
			       &q, NULL))
		return sfa_store_sqlerr(st, err, "hashing the snapshot");
	*out = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	return 0;
}

/* Sets PRAGMA cache_size back to n, from cache_size(). */
static int set_cache_size(sfa_store *st, int n, sfa_err *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %d", n);
	if (sqlite3_exec(sfa_store_sqlite(st), sql, NULL, NULL, NULL))
		return sfa_store_sqlerr(st, err, "hashing the snapshot");
	return 0;
}

int sfa_store_content_hash(sfa_store *st, long long id, char hex[65],
			   long long *n_resources, sfa_err *err)
{
	static const char head[] = "sfaccess-snapshot-v1\n";
	unsigned char md_out[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	size_t i;
	long long n_access;
	EVP_MD_CTX *md;
	int rc, cache = 0, small = 0;

	if (!(md = EVP_MD_CTX_new()) ||
	    !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 unavailable");
	}
	EVP_DigestUpdate(md, head, sizeof(head) - 1);
	/* The hash reads the snapshot once, and the access sets in Salesforce
	 * id order, which no page cache helps with.  It runs with the small
	 * cache the big sorts start with: the sort of every resource line
	 * (110 MB at 200,000 users) and the table of names then fit where the
	 * page cache was, instead of on top of it, which was the peak of a
	 * sync's memory; the connection's own cache is back after. */
	if ((rc = cache_size(st, &cache, err)))
		goto out;
	if (sqlite3_exec(sfa_store_sqlite(st), SQL_SORT_CACHE, NULL, NULL,
			 NULL)) {
		rc = sfa_store_sqlerr(st, err, "hashing the snapshot");
		goto out;
	}
	small = 1;
	if ((rc = hash_resources(st, md, id, n_resources, err)) ||
	    (rc = hash_access(st, md, id, &n_access, err)) ||
	    (rc = hash_privileged(st, md, id, err)))
		goto out;
	small = 0;
	if ((rc = set_cache_size(st, cache, err)))
		goto out;
	EVP_DigestFinal_ex(md, md_out, &md_len);
	for (i = 0; i < md_len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md_out[i]);
	hex[64] = '\0';
out:
	if (small)
		set_cache_size(st, cache, NULL);
	EVP_MD_CTX_free(md);
	return rc;
}
