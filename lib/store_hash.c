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
 */
#include "buf.h"
#include "store_int.h"
#include "store_sql.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static int put_field(sfa_buf *b, const unsigned char *v, int n, int last)
{
	int i, rc = 0;

	if (!v)
		rc = sfa_buf_puts(b, "\\N");
	for (i = 0; v && i < n && !rc; i++) {
		switch (v[i]) {
		case '\\':
			rc = sfa_buf_puts(b, "\\\\");
			break;
		case '\t':
			rc = sfa_buf_puts(b, "\\t");
			break;
		case '\n':
			rc = sfa_buf_puts(b, "\\n");
			break;
		case '\r':
			rc = sfa_buf_puts(b, "\\r");
			break;
		default:
			rc = sfa_buf_append(b, &v[i], 1);
		}
	}
	return rc ? rc : sfa_buf_puts(b, last ? "\n" : "\t");
}

/* Hashes the section header and every row of sql; *rows counts them. */
static int hash_section(sfa_store *st, EVP_MD_CTX *md, const char *title,
			const char *sql, long long id, long long *rows,
			sfa_err *err)
{
	sfa_buf line = {0};
	sqlite3_stmt *s;
	int rc, i, n;

	EVP_DigestUpdate(md, title, strlen(title));
	if ((rc = sfa_store_prep(st, sql, id, &s, "hashing the snapshot", err)))
		return rc;
	n = sqlite3_column_count(s);
	*rows = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sfa_buf_reset(&line);
		for (i = 0; i < n; i++)
			if (put_field(&line, sqlite3_column_text(s, i),
				      sqlite3_column_bytes(s, i), i == n - 1))
				break;
		if (i < n) {
			rc = SQLITE_NOMEM;
			break;
		}
		EVP_DigestUpdate(md, line.data, line.len);
		(*rows)++;
	}
	sfa_buf_free(&line);
	if (rc == SQLITE_NOMEM) {
		sqlite3_finalize(s);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, "hashing the snapshot");
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
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
	int rc;

	if (!(md = EVP_MD_CTX_new()) ||
	    !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 unavailable");
	}
	EVP_DigestUpdate(md, head, sizeof(head) - 1);
	if ((rc = hash_section(st, md, "resources\n", SQL_HASH_RESOURCES, id,
			       n_resources, err)) ||
	    (rc = hash_section(st, md, "access\n", SQL_HASH_ACCESS, id,
			       &n_access, err))) {
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
