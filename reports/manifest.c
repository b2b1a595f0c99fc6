/*
 * manifest.c - writing and verifying manifest.json.  A manifest is small
 * (a few files), so it is built as one jansson object; files are hashed
 * with OpenSSL's EVP SHA-256, by their writer as the bytes go out or read
 * back in fixed-size chunks.
 */
#include "report_manifest.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grow.h"

/* Owns doc (and through it every value). */
struct sfa_manifest {
	json_t *doc;
};

static int oom(sfa_err *err)
{
	return sfa_err_set(err, SFA_ENOMEM, "out of memory");
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

int sfa_manifest_new(sfa_manifest **out, const char *report, sfa_err *err)
{
	sfa_manifest *m = calloc(1, sizeof(*m));
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	*out = NULL;
	if (!m)
		return oom(err);
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	m->doc =
	    json_pack("{s:i, s:{s:s, s:s}, s:s, s:s, s:n, s:n, s:[], "
		      "s:[]}",
		      "manifest_version", 1, "tool", "name", "sfaccess",
		      "version", SFA_VERSION, "report", report, "generated_at",
		      now, "org_id", "api_version", "snapshots", "files");
	if (!m->doc) {
		free(m);
		return oom(err);
	}
	*out = m;
	return 0;
}

void sfa_manifest_free(sfa_manifest *m)
{
	if (!m)
		return;
	json_decref(m->doc);
	free(m);
}

int sfa_manifest_set_approved(sfa_manifest *m, const char *path, sfa_err *err)
{
	return json_object_set_new(m->doc, "approved_file", json_string(path))
		   ? oom(err)
		   : 0;
}

int sfa_manifest_set(sfa_manifest *m, const char *key, json_t *v, sfa_err *err)
{
	return json_object_set_new(m->doc, key, v) ? oom(err) : 0;
}

int sfa_manifest_set_signer(sfa_manifest *m, const char *key_id, sfa_err *err)
{
	return json_object_set_new(m->doc, "signing_key", json_string(key_id))
		   ? oom(err)
		   : 0;
}

int sfa_manifest_set_evidence(sfa_manifest *m, json_t *ev, sfa_err *err)
{
	static const char *const keys[] = {"provenance", "control_totals",
					   "drift", "reconciliation"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(ev, keys[i]);

		if (json_object_set(m->doc, keys[i], v ? v : json_null()))
			return oom(err);
	}
	return 0;
}

int sfa_manifest_add_snapshot(sfa_manifest *m, const sfa_snapinfo *s,
			      const char *role, sfa_err *err)
{
	json_t *snaps = json_object_get(m->doc, "snapshots");
	json_t *o = json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o}", "role",
			      role, "id", (json_int_t)s->id, "started_at",
			      str_or_null(s->started_at), "finished_at",
			      str_or_null(s->finished_at), "status",
			      str_or_null(s->status), "content_hash",
			      str_or_null(s->content_hash), "access_rows",
			      json_integer(s->n_access));

	if (!o || json_array_append_new(snaps, o))
		return oom(err);
	if (json_array_size(snaps) == 1 &&
	    (json_object_set_new(m->doc, "org_id", str_or_null(s->org_id)) ||
	     json_object_set_new(m->doc, "api_version",
				 str_or_null(s->api_version))))
		return oom(err);
	return 0;
}

/* Owns ctx. */
struct sfa_sha256 {
	EVP_MD_CTX *ctx;
	long long bytes;
};

int sfa_sha256_new(sfa_sha256 **out, sfa_err *err)
{
	sfa_sha256 *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h || !(h->ctx = EVP_MD_CTX_new())) {
		free(h);
		oom(err);
		return SFA_ENOMEM;
	}
	if (!EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
		sfa_sha256_free(h);
		sfa_err_set(err, SFA_EINTERNAL, "SHA-256 failed");
		return SFA_EINTERNAL;
	}
	*out = h;
	return 0;
}

void sfa_sha256_free(sfa_sha256 *h)
{
	if (h)
		EVP_MD_CTX_free(h->ctx);
	free(h);
}

int sfa_sha256_update(sfa_sha256 *h, const void *p, size_t n, sfa_err *err)
{
	if (!EVP_DigestUpdate(h->ctx, p, n))
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 failed");
	h->bytes += (long long)n;
	return 0;
}

int sfa_sha256_final(sfa_sha256 *h, char hex[65], long long *bytes,
		     sfa_err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t i;

	if (!EVP_DigestFinal_ex(h->ctx, md, &mdlen))
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 failed");
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	*bytes = h->bytes;
	return 0;
}

int sfa_sha256_file(const char *path, char hex[65], long long *bytes,
		    sfa_err *err)
{
	unsigned char buf[65536];
	sfa_sha256 *h;
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = 0;

	*bytes = 0;
	if (!f)
		return sfa_err_set(err,
				   errno == ENOENT ? SFA_ENOTFOUND : SFA_EIO,
				   "cannot read %s: %s", path, strerror(errno));
	if ((rc = sfa_sha256_new(&h, err))) {
		fclose(f);
		return rc;
	}
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = sfa_sha256_update(h, buf, n, err);
	if (rc == 0 && ferror(f))
		rc = sfa_err_set(err, SFA_EIO, "cannot read %s", path);
	fclose(f);
	if (rc == 0)
		rc = sfa_sha256_final(h, hex, bytes, err);
	sfa_sha256_free(h);
	return rc;
}

static int is_hex64(const char *s)
{
	int i;

	for (i = 0; s && i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s && s[64] == '\0';
}

/* A name the manifest may list: a plain file in the directory. */
static int plain_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0 && strcmp(name, SFA_MANIFEST_NAME) != 0;
}

int sfa_manifest_add_file(sfa_manifest *m, const char *dir, const char *name,
			  long long rows, sfa_err *err)
{
	char path[4096], hex[65];
	long long bytes;
	int rc;

	if (!plain_name(name))
		return sfa_err_set(err, SFA_EINTERNAL,
				   "manifest: bad file name");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((rc = sfa_sha256_file(path, hex, &bytes, err)))
		return rc;
	return sfa_manifest_add_hashed(m, name, rows, bytes, hex, err);
}

int sfa_manifest_add_hashed(sfa_manifest *m, const char *name, long long rows,
			    long long bytes, const char *sha256, sfa_err *err)
{
	json_t *o;

	if (!plain_name(name) || !is_hex64(sha256) || bytes < 0)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "manifest: bad file entry");
	o = json_pack("{s:s, s:o, s:I, s:s}", "name", name, "rows",
		      rows < 0 ? json_null() : json_integer(rows), "bytes",
		      (json_int_t)bytes, "sha256", sha256);
	if (!o || json_array_append_new(json_object_get(m->doc, "files"), o))
		return oom(err);
	return 0;
}

int sfa_manifest_write(sfa_manifest *m, const char *dir, sfa_err *err)
{
	char path[4096], tmp[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, SFA_MANIFEST_NAME);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(m->doc, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER))
		return sfa_err_set(err, SFA_EIO, "cannot write %s", tmp);
	if (rename(tmp, path) != 0) {
		int e = errno;

		remove(tmp);
		return sfa_err_set(err, SFA_EIO, "cannot write %s: %s", path,
				   strerror(e));
	}
	return 0;
}

/* ---- verification ---- */

/* Checks the shape verify relies on; names every problem's place. */
static int check_files(json_t *files, const char *mpath, sfa_err *err)
{
	size_t i, k;

	if (!json_is_array(files))
		return sfa_err_set(err, SFA_EINPUT,
				   "%s: \"files\" is not an array", mpath);
	for (i = 0; i < json_array_size(files); i++) {
		json_t *f = json_array_get(files, i);
		const char *name =
		    json_string_value(json_object_get(f, "name"));
		json_t *bytes = json_object_get(f, "bytes");

		if (!plain_name(name) || !json_is_integer(bytes) ||
		    json_integer_value(bytes) < 0 ||
		    !is_hex64(json_string_value(json_object_get(f, "sha256"))))
			return sfa_err_set(err, SFA_EINPUT,
					   "%s: files[%zu] needs a plain "
					   "\"name\", \"bytes\" and a hex "
					   "\"sha256\"",
					   mpath, i);
		for (k = 0; k < i; k++)
			if (strcmp(name,
				   json_string_value(json_object_get(
				       json_array_get(files, k), "name"))) == 0)
				return sfa_err_set(err, SFA_EINPUT,
						   "%s: %s is listed twice",
						   mpath, name);
	}
	return 0;
}

static int listed(json_t *files, const char *name)
{
	size_t i;

	for (i = 0; i < json_array_size(files); i++)
		if (strcmp(name, json_string_value(json_object_get(
				     json_array_get(files, i), "name"))) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the names in dir that the manifest does not list, sorted;
 * *out (and each name) is owned by the caller. */
static int find_extra(const char *dir, json_t *files, char ***out, size_t *n,
		      sfa_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return sfa_err_set(err, SFA_ENOTFOUND, "cannot read %s: %s",
				   dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, SFA_MANIFEST_NAME) == 0 ||
		    strcmp(e->d_name, SFA_MANIFEST_NAME ".sig") == 0 ||
		    listed(files, e->d_name))
			continue;
		if (SFA_GROW(*out, cap, *n + 1) ||
		    !((*out)[*n] = strdup(e->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (e) {
		while (*n)
			free((*out)[--*n]);
		free(*out);
		*out = NULL;
		return oom(err);
	}
	if (*n)
		qsort(*out, *n, sizeof(char *), cmp_str);
	return 0;
}

static int verify_one(const char *dir, json_t *f, sfa_verify_fn fn, void *ud,
		      int *nok, int *nbad)
{
	const char *name = json_string_value(json_object_get(f, "name"));
	const char *want = json_string_value(json_object_get(f, "sha256"));
	long long want_bytes = json_integer_value(json_object_get(f, "bytes"));
	char path[4096], hex[65];
	long long bytes;
	sfa_err e;
	int rc;

	sfa_err_clear(&e);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = sfa_sha256_file(path, hex, &bytes, &e);
	if (rc == SFA_ENOTFOUND) {
		(*nbad)++;
		return fn(ud, name, SFA_VERIFY_MISSING, "not in the directory");
	}
	if (rc) {
		(*nbad)++;
		return fn(ud, name, SFA_VERIFY_MODIFIED, e.msg);
	}
	if (bytes != want_bytes || strcmp(hex, want) != 0) {
		char detail[256];

		snprintf(detail, sizeof(detail),
			 "%lld bytes, sha256 %.12s...; the manifest says %lld "
			 "bytes, sha256 %.12s...",
			 bytes, hex, want_bytes, want);
		(*nbad)++;
		return fn(ud, name, SFA_VERIFY_MODIFIED, detail);
	}
	(*nok)++;
	return fn(ud, name, SFA_VERIFY_OK, hex);
}

int sfa_manifest_verify(const char *dir, sfa_verify_fn fn, void *ud, int *nok,
			int *nbad, sfa_err *err)
{
	char mpath[4096];
	json_error_t je;
	json_t *doc, *files;
	char **extra = NULL;
	size_t i, nextra = 0;
	int rc = 0;

	*nok = *nbad = 0;
	snprintf(mpath, sizeof(mpath), "%s/%s", dir, SFA_MANIFEST_NAME);
	doc = json_load_file(mpath, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		FILE *probe = fopen(mpath, "rb");

		if (!probe)
			return sfa_err_set(err, SFA_ENOTFOUND,
					   "cannot read %s: %s", mpath,
					   strerror(errno));
		fclose(probe);
		sfa_err_where(err, "%s:%d", mpath, je.line);
		return sfa_err_set(err, SFA_EINPUT, "%s is not JSON: %s", mpath,
				   je.text);
	}
	files = json_object_get(doc, "files");
	if (!json_is_object(doc) || (rc = check_files(files, mpath, err)) ||
	    (rc = find_extra(dir, files, &extra, &nextra, err))) {
		if (!rc)
			rc = sfa_err_set(err, SFA_EINPUT,
					 "%s is not a manifest", mpath);
		json_decref(doc);
		return rc;
	}
	for (i = 0; i < json_array_size(files) && rc == 0; i++)
		rc = verify_one(dir, json_array_get(files, i), fn, ud, nok,
				nbad);
	for (i = 0; i < nextra; i++) {
		if (rc == 0) {
			(*nbad)++;
			rc = fn(ud, extra[i], SFA_VERIFY_EXTRA,
				"not listed in the manifest");
		}
		free(extra[i]);
	}
	free(extra);
	json_decref(doc);
	return rc;
}
