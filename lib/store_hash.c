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
 * The access section is produced user by user (SQL_HASH_USERS, then
 * SQL_HASH_USER_ACCESS per user): a user's Salesforce id is unique, so
 * this is exactly the order above, and each sort holds one user's rows
 * instead of the snapshot's millions.
 */
#include "buf.h"
#include "store_int.h"
#include "store_sql.h"

#include <openssl/evp.h>
#include <stdio.h>
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

/* Hashes one line per row of s into md, and into user when set, each led
 * by the field `lead` (lead_n bytes) when lead is set; *rows counts them.
 * Returns SQLITE_DONE at the end, SQLITE_NOMEM when the line cannot grow,
 * else SQLite's error. */
static int hash_rows(EVP_MD_CTX *md, EVP_MD_CTX *user, sqlite3_stmt *s,
		     const unsigned char *lead, int lead_n, sfa_buf *line,
		     long long *rows)
{
	int rc, i, n = sqlite3_column_count(s);

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sfa_buf_reset(line);
		if (lead && put_field(line, lead, lead_n, 0))
			return SQLITE_NOMEM;
		for (i = 0; i < n; i++)
			if (put_field(line, sqlite3_column_text(s, i),
				      sqlite3_column_bytes(s, i), i == n - 1))
				return SQLITE_NOMEM;
		EVP_DigestUpdate(md, line->data, line->len);
		if (user)
			EVP_DigestUpdate(user, line->data, line->len);
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
	rc = hash_rc(st, hash_rows(md, NULL, s, NULL, 0, &line, rows), err);
	sfa_buf_free(&line);
	sqlite3_finalize(s);
	return rc;
}

/* Records the digest of one user's lines (SQL_HASH_DIGEST_PUT) and
 * restarts the user's hash for the next one.  A digest is the first 16
 * bytes of the SHA-256: enough to tell two users' rows apart by chance
 * never, and half the bytes per user. */
static int put_digest(EVP_MD_CTX *user, sqlite3_stmt *put, sqlite3_int64 uid)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int rc;

	if (!EVP_DigestFinal_ex(user, d, &n) || n < 16 ||
	    !EVP_DigestInit_ex(user, EVP_sha256(), NULL))
		return SQLITE_ERROR;
	sqlite3_bind_int64(put, 2, uid);
	sqlite3_bind_blob(put, 3, d, 16, SQLITE_TRANSIENT);
	rc = sqlite3_step(put);
	sqlite3_reset(put);
	return rc == SQLITE_DONE ? 0 : rc;
}

/* The access section: per user in Salesforce id order, the user's rows,
 * each line led by the user's id.  With `digests`, each user's lines are
 * also hashed alone and recorded in user_digest. */
static int hash_access(sfa_store *st, EVP_MD_CTX *md, long long id, int digests,
		       long long *rows, sfa_err *err)
{
	static const char title[] = "access\n";
	sfa_buf line = {0};
	sqlite3_stmt *users = NULL, *acc = NULL, *put = NULL;
	EVP_MD_CTX *user = NULL;
	int rc;

	EVP_DigestUpdate(md, title, sizeof(title) - 1);
	*rows = 0;
	if ((rc = sfa_store_prep(st, SQL_HASH_USERS, id, &users,
				 "hashing the snapshot", err)) ||
	    (rc = sfa_store_prep(st, SQL_HASH_USER_ACCESS, id, &acc,
				 "hashing the snapshot", err)) ||
	    (digests && (rc = sfa_store_prep(st, SQL_HASH_DIGEST_PUT, id, &put,
					     "hashing the snapshot", err))))
		goto out;
	if (digests && (!(user = EVP_MD_CTX_new()) ||
			!EVP_DigestInit_ex(user, EVP_sha256(), NULL))) {
		rc = sfa_err_set(err, SFA_EINTERNAL, "SHA-256 unavailable");
		goto out;
	}
	while ((rc = sqlite3_step(users)) == SQLITE_ROW) {
		sqlite3_int64 uid = sqlite3_column_int64(users, 0);

		sqlite3_bind_int64(acc, 2, uid);
		rc = hash_rows(md, user, acc, sqlite3_column_text(users, 1),
			       sqlite3_column_bytes(users, 1), &line, rows);
		sqlite3_reset(acc);
		if (rc == SQLITE_DONE && user &&
		    (rc = put_digest(user, put, uid)) == 0)
			rc = SQLITE_DONE;
		if (rc != SQLITE_DONE)
			break;
	}
	rc = hash_rc(st, rc, err);
out:
	EVP_MD_CTX_free(user);
	sfa_buf_free(&line);
	sqlite3_finalize(put);
	sqlite3_finalize(acc);
	sqlite3_finalize(users);
	return rc;
}

int sfa_store_content_hash(sfa_store *st, long long id, int digests,
			   char hex[65], long long *n_resources, sfa_err *err)
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
	    (rc = hash_access(st, md, id, digests, &n_access, err))) {
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
