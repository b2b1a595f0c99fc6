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
#include "buf.h"
#include "store_int.h"
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

/* ---- the access section ----
 * A user's rows are turned into lines from pieces made once: the type
 * names are constants, each resource key's Salesforce id is looked up
 * once per snapshot (kept in a direct-mapped table like the store's id
 * cache, so memory stays fixed; a collision costs one lookup), and each of
 * the user's few dates is escaped once per user.  A line is then a few
 * copies, rows sort on integer type codes before any text, and the user's
 * lines go to SHA-256 in one call. */
#define NAME_SLOTS (1u << 16)

/* Bytes of the user's arena: at off, len of them; NULL is len < 0. */
struct piece {
	size_t off;
	int len;
};

/* A row of the user being hashed: the type codes, the ids as pieces and
 * the dates as indexes into the set's texts (-1 for NULL).  For sorting,
 * a[] and v[] point at the ids once the arena stops growing, and the
 * dates' raw texts are the set's. */
struct hrow {
	int type, via_type;
	struct piece access, via;
	int assigned, expires;
	const char *a, *v, *asg, *exp;
	uint64_t ak, vk; /* the ids' first 8 bytes, big-endian */
};

struct hash_user {
	struct sfa_sfid_slot *names; /* NAME_SLOTS, by integer key */
	sqlite3_stmt *sfid;	     /* SQL_HASH_SFID */
	sfa_buf arena;		     /* the user's ids and escaped texts */
	struct hrow *rows;
	size_t n, cap;
	struct piece *texts; /* the set's texts, escaped */
	size_t ntexts_cap;
	sfa_buf out; /* the user's lines */
	const char *type_name[SFA_AT_COUNT];
	size_t type_len[SFA_AT_COUNT];
};

static void hash_user_free(struct hash_user *h)
{
	free(h->names);
	sqlite3_finalize(h->sfid);
	sfa_buf_free(&h->arena);
	free(h->rows);
	free(h->texts);
	sfa_buf_free(&h->out);
}

/* Appends v (n bytes) to the arena escaped as a field, without its
 * separator, as piece p.  SQLITE_OK or SQLITE_NOMEM. */
static int put_piece(struct hash_user *h, const char *v, size_t n,
		     struct piece *p)
{
	size_t at = h->arena.len;

	if (put_escaped(&h->arena, (const unsigned char *)v, (int)n))
		return SQLITE_NOMEM;
	p->off = at;
	p->len = (int)(h->arena.len - at);
	return SQLITE_OK;
}

/* The Salesforce id of key k as piece p; a key with none (via_id 0 of a
 * direct row) is NULL, as a LEFT JOIN would give.  Only ids that need no
 * escaping are kept in the table, so a kept id is copied as it is. */
static int put_sfid(struct hash_user *h, sqlite3_int64 k, struct piece *p)
{
	struct sfa_sfid_slot *slot =
	    &h->names[(sqlite3_uint64)k * 0x9E3779B97F4A7C15ull >> 48];
	const char *v;
	int rc, n;

	p->off = 0;
	p->len = -1;
	if (k <= 0) /* sfid keys start at 1 */
		return SQLITE_OK;
	if (slot->key == k) {
		n = (int)strlen(slot->id);
		p->off = h->arena.len;
		p->len = n;
		return sfa_buf_append(&h->arena, slot->id, (size_t)n)
			   ? SQLITE_NOMEM
			   : SQLITE_OK;
	}
	sqlite3_bind_int64(h->sfid, 1, k);
	if ((rc = sqlite3_step(h->sfid)) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(h->sfid, 0);
		n = sqlite3_column_bytes(h->sfid, 0);
		rc = v ? put_piece(h, v, (size_t)n, p) : SQLITE_OK;
		if (v && rc == SQLITE_OK && p->len == n &&
		    (size_t)n < sizeof(slot->id)) {
			slot->key = k;
			memcpy(slot->id, v, (size_t)n + 1);
		}
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_reset(h->sfid);
	return rc;
}

/* Orders two ids (n bytes each, NULL first) bytewise: SQLite's ORDER BY
 * on BINARY text.  Salesforce ids need no escaping, so their escaped
 * pieces compare as the ids. */
static int id_cmp(const char *a, int an, const char *b, int bn)
{
	int c;

	if (an < 0 || bn < 0)
		return (an >= 0) - (bn >= 0);
	if ((c = memcmp(a, b, (size_t)(an < bn ? an : bn))) != 0)
		return c;
	return (an > bn) - (an < bn);
}

/* The first 8 bytes of id piece p (NUL-padded, 0 for NULL) as a
 * big-endian number: numbers in order are ids in bytewise order, up to
 * the bytes after the eighth.  Ids of one type share their first three. */
static uint64_t id_prefix(const char *v, struct piece p)
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < 8; i++)
		k = k << 8 | (i < p.len ? (unsigned char)v[i] : 0);
	return k;
}

/* Ids compared by their prefixes first: equal prefixes of ids that both
 * are (not NULL) and are longer than 8 bytes leave it to id_cmp(). */
static int id_order(uint64_t ak, const char *a, int an, uint64_t bk,
		    const char *b, int bn)
{
	if (ak != bk && an >= 0 && bn >= 0)
		return ak < bk ? -1 : 1;
	return id_cmp(a, an, b, bn);
}

static int hrow_cmp(const void *x, const void *y)
{
	const struct hrow *a = x, *b = y;
	int c;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = id_order(a->ak, a->a, a->access.len, b->ak, b->a,
			  b->access.len)))
		return c;
	if (a->via_type != b->via_type)
		return a->via_type < b->via_type ? -1 : 1;
	if ((c = id_order(a->vk, a->v, a->via.len, b->vk, b->v, b->via.len)))
		return c;
	if ((c = sfa_store_text_cmp(a->asg, b->asg)))
		return c;
	return sfa_store_text_cmp(a->exp, b->exp);
}

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

/* Turns the rows of one user (set) into h's rows, sorted in hash order.
 * Returns SQLITE_DONE or an SQLite error code. */
static int read_user(struct hash_user *h, const sfa_access_set *set)
{
	size_t ntexts = set->ntexts;
	size_t r;
	int rc;

	sfa_buf_reset(&h->arena);
	h->n = 0;
	if (set->n > h->cap) {
		struct hrow *p = realloc(h->rows, set->n * sizeof(*p));

		if (!p)
			return SQLITE_NOMEM;
		h->rows = p;
		h->cap = set->n;
	}
	if (ntexts > h->ntexts_cap) {
		struct piece *p = realloc(h->texts, ntexts * sizeof(*p));

		if (!p)
			return SQLITE_NOMEM;
		h->texts = p;
		h->ntexts_cap = ntexts;
	}
	for (r = 0; r < ntexts; r++)
		if ((rc = put_piece(h, set->strs[r], strlen(set->strs[r]),
				    &h->texts[r])))
			return rc;
	for (r = 0; r < set->n; r++) {
		const sfa_access_item *it = &set->items[r];
		struct hrow *row = &h->rows[h->n];

		row->type = it->type;
		row->via_type = it->via_type;
		if ((rc = put_sfid(h, it->access_id, &row->access)) ||
		    (rc = put_sfid(h, it->via_id, &row->via)))
			return rc;
		/* Every access row names a resource that is in sfid; a row
		 * whose access id is not would be dropped by a join. */
		if (row->access.len < 0)
			continue;
		row->assigned = text_index(set, it->assigned_at);
		row->expires = text_index(set, it->expires_at);
		row->asg = it->assigned_at;
		row->exp = it->expires_at;
		h->n++;
	}
	for (r = 0; r < h->n; r++) {
		struct hrow *row = &h->rows[r];

		row->a = h->arena.data + row->access.off;
		row->v = h->arena.data + row->via.off;
		row->ak = id_prefix(row->a, row->access);
		row->vk = id_prefix(row->v, row->via);
	}
	qsort(h->rows, h->n, sizeof(*h->rows), hrow_cmp);
	return SQLITE_DONE;
}

/* Bytes piece p takes in a line: \N for NULL. */
static size_t piece_len(struct piece p)
{
	return p.len < 0 ? 2 : (size_t)p.len;
}

/* Copies piece p (\N for NULL) and then sep to at; returns the end. */
static char *copy_piece(char *at, const struct hash_user *h, struct piece p,
			char sep)
{
	if (p.len < 0) {
		*at++ = '\\';
		*at++ = 'N';
	} else {
		memcpy(at, h->arena.data + p.off, (size_t)p.len);
		at += p.len;
	}
	*at++ = sep;
	return at;
}

/* Hashes the rows read_user() left in h into md, each line led by the
 * user's Salesforce id (lead, escaped).  The user's lines are measured
 * first and then copied into place: a line is nine pieces. */
static int hash_user_rows(struct hash_user *h, EVP_MD_CTX *md,
			  struct piece lead, long long *rows)
{
	static const struct piece none = {0, -1};
	size_t r, need = 0;
	char *at;

	for (r = 0; r < h->n; r++) {
		const struct hrow *row = &h->rows[r];

		need +=
		    piece_len(lead) + h->type_len[row->type] +
		    piece_len(row->access) + h->type_len[row->via_type] +
		    piece_len(row->via) + 7 +
		    (row->assigned < 0 ? 2
				       : piece_len(h->texts[row->assigned])) +
		    (row->expires < 0 ? 2 : piece_len(h->texts[row->expires]));
	}
	sfa_buf_reset(&h->out);
	if (sfa_buf_reserve(&h->out, need))
		return SQLITE_NOMEM;
	at = h->out.data;
	for (r = 0; r < h->n; r++) {
		const struct hrow *row = &h->rows[r];

		at = copy_piece(at, h, lead, '\t');
		memcpy(at, h->type_name[row->type], h->type_len[row->type]);
		at += h->type_len[row->type];
		*at++ = '\t';
		at = copy_piece(at, h, row->access, '\t');
		memcpy(at, h->type_name[row->via_type],
		       h->type_len[row->via_type]);
		at += h->type_len[row->via_type];
		*at++ = '\t';
		at = copy_piece(at, h, row->via, '\t');
		at = copy_piece(
		    at, h, row->assigned < 0 ? none : h->texts[row->assigned],
		    '\t');
		at = copy_piece(
		    at, h, row->expires < 0 ? none : h->texts[row->expires],
		    '\n');
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
	int rc, i;

	EVP_DigestUpdate(md, title, sizeof(title) - 1);
	*rows = 0;
	if ((rc = sfa_store_prep(st, SQL_HASH_USERS, id, &users, what, err)) ||
	    (rc = sfa_store_prep(st, SQL_ACCESS_SET_OF_USER, id, &one, what,
				 err)))
		goto out;
	if (sqlite3_prepare_v2(st->db, SQL_HASH_SFID, -1, &h.sfid, NULL)) {
		rc = sfa_store_sqlerr(st, err, what);
		goto out;
	}
	if (!(h.names = calloc(NAME_SLOTS, sizeof(*h.names)))) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < SFA_AT_COUNT; i++) {
		h.type_name[i] = sfa_access_type_name(i);
		h.type_len[i] = strlen(h.type_name[i]);
	}
	while ((rc = sqlite3_step(users)) == SQLITE_ROW) {
		struct piece lead;

		if ((rc = sfa_access_set_read(
			 st, one, sqlite3_column_int64(users, 0), &set, err)))
			goto out;
		rc = read_user(&h, &set);
		if (rc == SQLITE_DONE &&
		    (rc = put_piece(&h,
				    (const char *)sqlite3_column_text(users, 1),
				    (size_t)sqlite3_column_bytes(users, 1),
				    &lead)) == SQLITE_OK)
			rc = hash_user_rows(&h, md, lead, rows);
		if (rc != SQLITE_DONE)
			break;
	}
	rc = hash_rc(st, rc, err);
out:
	hash_user_free(&h);
	sfa_access_set_free(&set);
	sqlite3_finalize(one);
	sqlite3_finalize(users);
	return rc;
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
	int rc;

	if (!(md = EVP_MD_CTX_new()) ||
	    !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 unavailable");
	}
	EVP_DigestUpdate(md, head, sizeof(head) - 1);
	if ((rc = hash_resources(st, md, id, n_resources, err)) ||
	    (rc = hash_access(st, md, id, &n_access, err))) {
		EVP_MD_CTX_free(md);
		return rc;
	}
	EVP_DigestFinal_ex(md, md_out, &md_len);
	EVP_MD_CTX_free(md);
	for (i = 0; i < md_len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md_out[i]);
	hex[64] = '\0';
	return 0;
}
