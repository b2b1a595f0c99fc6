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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends field v (n bytes, NULL for SQL NULL) escaped as above, then TAB
 * or, for the last field, LF.  Runs of plain bytes are copied at once. */
static int put_field(sfa_buf *b, const unsigned char *v, int n, int last)
{
	int i, from = 0, rc = 0;

	if (!v)
		rc = sfa_buf_puts(b, "\\N");
	for (i = 0; v && i < n && !rc; i++) {
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
	if (v && !rc && from < n)
		rc = sfa_buf_append(b, v + from, (size_t)(n - from));
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
 * Reading a user's rows by key and turning ids into Salesforce ids here,
 * rather than joining sfid and sorting in SQL, saves two index lookups per
 * row: a snapshot's millions of rows name a few thousand resources.  The
 * ids are kept in a direct-mapped table like the store's id cache, so
 * memory stays fixed; a collision costs one lookup. */
#define NAME_SLOTS (1u << 16)

/* One field of a row: its bytes in the user's arena, len < 0 for NULL. */
struct fld {
	size_t off;
	int len;
};

/* A row of the user being hashed: the six fields of SQL_HASH_USER_ACCESS
 * with ids as Salesforce ids; p[] is set once the arena stops growing. */
struct hrow {
	struct fld f[6];
	const char *p[6];
};

struct hash_user {
	struct sfa_sfid_slot *names; /* NAME_SLOTS, by integer key */
	sqlite3_stmt *sfid;	     /* SQL_HASH_SFID */
	sfa_buf arena;		     /* the fields of the user's rows */
	struct hrow *rows;
	size_t n, cap;
};

static void hash_user_free(struct hash_user *h)
{
	free(h->names);
	sqlite3_finalize(h->sfid);
	sfa_buf_free(&h->arena);
	free(h->rows);
}

/* Appends text v as field f (NULL stays NULL).  Returns SQLITE_OK or
 * SQLITE_NOMEM, like put_sfid(). */
static int put_text(struct hash_user *h, const char *v, struct fld *f)
{
	f->off = h->arena.len;
	f->len = v ? (int)strlen(v) : -1;
	return v && sfa_buf_append(&h->arena, v, (size_t)f->len) ? SQLITE_NOMEM
								 : SQLITE_OK;
}

/* Appends the Salesforce id of key k as field f; a key with none (via_id 0
 * of a direct row) is NULL, as a LEFT JOIN would give. */
static int put_sfid(struct hash_user *h, sqlite3_int64 k, struct fld *f)
{
	struct sfa_sfid_slot *slot =
	    &h->names[(sqlite3_uint64)k * 0x9E3779B97F4A7C15ull >> 48];
	const unsigned char *v;
	int rc, n;

	f->off = h->arena.len;
	f->len = -1;
	if (k > 0 && slot->key == k) {
		f->len = (int)strlen(slot->id);
		return sfa_buf_append(&h->arena, slot->id, (size_t)f->len)
			   ? SQLITE_NOMEM
			   : SQLITE_OK;
	}
	sqlite3_bind_int64(h->sfid, 1, k);
	if ((rc = sqlite3_step(h->sfid)) == SQLITE_ROW) {
		v = sqlite3_column_text(h->sfid, 0);
		n = sqlite3_column_bytes(h->sfid, 0);
		f->len = n;
		if (v && (size_t)n < sizeof(slot->id)) {
			slot->key = k;
			memcpy(slot->id, v, (size_t)n + 1);
		}
		rc = v && sfa_buf_append(&h->arena, v, (size_t)n) ? SQLITE_NOMEM
								  : SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_reset(h->sfid);
	return rc;
}

/* Orders fields bytewise, NULL first: SQLite's ORDER BY on BINARY text. */
static int fld_cmp(const char *a, int an, const char *b, int bn)
{
	int c;

	if (an < 0 || bn < 0)
		return (an >= 0) - (bn >= 0);
	if ((c = memcmp(a, b, (size_t)(an < bn ? an : bn))) != 0)
		return c;
	return (an > bn) - (an < bn);
}

static int hrow_cmp(const void *x, const void *y)
{
	const struct hrow *a = x, *b = y;
	int i, c;

	for (i = 0; i < 6; i++)
		if ((c = fld_cmp(a->p[i], a->f[i].len, b->p[i], b->f[i].len)))
			return c;
	return 0;
}

/* Turns the rows of one user (set) into h's rows, sorted in hash order.
 * Returns SQLITE_DONE or an SQLite error code. */
static int read_user(struct hash_user *h, const sfa_access_set *set)
{
	size_t r;
	int rc, i;

	sfa_buf_reset(&h->arena);
	h->n = 0;
	if (set->n > h->cap) {
		struct hrow *p = realloc(h->rows, set->n * sizeof(*p));

		if (!p)
			return SQLITE_NOMEM;
		h->rows = p;
		h->cap = set->n;
	}
	for (r = 0; r < set->n; r++) {
		const sfa_access_item *it = &set->items[r];
		struct hrow *row = &h->rows[h->n++];

		if ((rc = put_text(h, sfa_access_type_name(it->type),
				   &row->f[0])) ||
		    (rc = put_sfid(h, it->access_id, &row->f[1])) ||
		    (rc = put_text(h, sfa_access_type_name(it->via_type),
				   &row->f[2])) ||
		    (rc = put_sfid(h, it->via_id, &row->f[3])) ||
		    (rc = put_text(h, it->assigned_at, &row->f[4])) ||
		    (rc = put_text(h, it->expires_at, &row->f[5])))
			return rc;
		/* Every access row names a resource that is in sfid; a row
		 * whose access id is not would be dropped by a join. */
		if (row->f[1].len < 0)
			h->n--;
	}
	for (r = 0; r < h->n; r++)
		for (i = 0; i < 6; i++)
			h->rows[r].p[i] =
			    h->rows[r].f[i].len < 0 ? NULL
			    : h->rows[r].f[i].len == 0
				? ""
				: h->arena.data + h->rows[r].f[i].off;
	qsort(h->rows, h->n, sizeof(*h->rows), hrow_cmp);
	return SQLITE_DONE;
}

/* Hashes the rows read_user() left in h into md, each line led by the
 * user's Salesforce id. */
static int hash_user_rows(struct hash_user *h, EVP_MD_CTX *md,
			  const unsigned char *lead, int lead_n, sfa_buf *line,
			  long long *rows)
{
	size_t r;
	int i;

	for (r = 0; r < h->n; r++) {
		sfa_buf_reset(line);
		if (put_field(line, lead, lead_n, 0))
			return SQLITE_NOMEM;
		for (i = 0; i < 6; i++)
			if (put_field(line,
				      (const unsigned char *)h->rows[r].p[i],
				      h->rows[r].f[i].len, i == 5))
				return SQLITE_NOMEM;
		EVP_DigestUpdate(md, line->data, line->len);
		(*rows)++;
	}
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
	sfa_buf line = {0};
	sqlite3_stmt *users = NULL;
	sfa_access_set set = {0};
	int rc;

	EVP_DigestUpdate(md, title, sizeof(title) - 1);
	*rows = 0;
	if ((rc = sfa_store_prep(st, SQL_HASH_USERS, id, &users, what, err)))
		goto out;
	if (sqlite3_prepare_v2(st->db, SQL_HASH_SFID, -1, &h.sfid, NULL)) {
		rc = sfa_store_sqlerr(st, err, what);
		goto out;
	}
	if (!(h.names = calloc(NAME_SLOTS, sizeof(*h.names)))) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	while ((rc = sqlite3_step(users)) == SQLITE_ROW) {
		if ((rc = sfa_access_unpack(
			 sqlite3_column_blob(users, 2),
			 (size_t)sqlite3_column_bytes(users, 2), &set, err)))
			goto out;
		rc = read_user(&h, &set);
		if (rc == SQLITE_DONE)
			rc = hash_user_rows(
			    &h, md, sqlite3_column_text(users, 1),
			    sqlite3_column_bytes(users, 1), &line, rows);
		if (rc != SQLITE_DONE)
			break;
	}
	rc = hash_rc(st, rc, err);
out:
	hash_user_free(&h);
	sfa_buf_free(&line);
	sfa_access_set_free(&set);
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
