/*
 * sign.c - Ed25519 signatures of manifest.json (report_sign.h).  The
 * manifest names its signer's key ("signing_key") before it is signed, so
 * a signature made with another key and a manifest changed after signing
 * give different messages.
 */
#include "report_sign.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "report_manifest.h"
#include "secret.h"

#define ED25519_SIG 64
#define ED25519_SIG_B64 ((size_t)88) /* its base64: 4 * ceil(64 / 3) */
#define MANIFEST_MAX ((size_t)64 << 20)
#define KEY_MAX ((size_t)64 * 1024)

struct sfa_sign_key {
	EVP_PKEY *pkey;
	char id[8 + 64 + 1];
};

static int oom(sfa_err *err)
{
	return sfa_err_set(err, SFA_ENOMEM, "out of memory");
}

/* "ed25519:" + hex SHA-256 of the raw public key of pkey. */
static int key_id(EVP_PKEY *pkey, char out[8 + 64 + 1])
{
	unsigned char raw[32], md[32];
	size_t n = sizeof(raw);
	unsigned int mdlen = 0;
	int i;

	if (EVP_PKEY_get_raw_public_key(pkey, raw, &n) != 1 ||
	    EVP_Digest(raw, n, md, &mdlen, EVP_sha256(), NULL) != 1)
		return -1;
	snprintf(out, 9, "ed25519:");
	for (i = 0; i < 32; i++)
		snprintf(out + 8 + 2 * (size_t)i, 3, "%02x", md[i]);
	return 0;
}

int sfa_sign_key_load(sfa_sign_key **out, const char *path, sfa_err *err)
{
	sfa_sign_key *k;
	char *pem;
	size_t n;
	BIO *bio;
	int rc;

	*out = NULL;
	/* A key others could read may no longer prove who signed. */
	if ((rc = sfa_read_private_file(path, "signing key", KEY_MAX, &pem, &n,
					err)))
		return rc;
	if (!(k = calloc(1, sizeof(*k)))) {
		sfa_secret_wipe(pem, n);
		free(pem);
		return oom(err);
	}
	bio = BIO_new_mem_buf(pem, (int)n);
	k->pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	sfa_secret_wipe(pem, n);
	free(pem);
	if (!k->pkey || EVP_PKEY_get_base_id(k->pkey) != EVP_PKEY_ED25519 ||
	    key_id(k->pkey, k->id)) {
		sfa_sign_key_free(k);
		return sfa_err_set(err, SFA_EINPUT,
				   "signing key %.300s is not an Ed25519 "
				   "private key in PEM (make one with `openssl "
				   "genpkey -algorithm ed25519`)",
				   path);
	}
	*out = k;
	return 0;
}

void sfa_sign_key_free(sfa_sign_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

const char *sfa_sign_key_id(const sfa_sign_key *k)
{
	return k->id;
}

/* dir/name read whole; *len its size.  NULL with err set. */
static unsigned char *slurp(const char *dir, const char *name, size_t *len,
			    sfa_err *err)
{
	char path[4096], *buf;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (sfa_read_file(path, NULL, MANIFEST_MAX, &buf, len, err))
		return NULL;
	return (unsigned char *)buf;
}

int sfa_manifest_sign(const char *dir, const sfa_sign_key *k, sfa_err *err)
{
	unsigned char sig[ED25519_SIG], *doc;
	char b64[ED25519_SIG_B64 + 2], path[4096], tmp[4200];
	size_t len = 0, siglen = sizeof(sig);
	EVP_MD_CTX *ctx;
	FILE *f;
	int ok;

	if (!(doc = slurp(dir, SFA_MANIFEST_NAME, &len, err)))
		return err->code;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	     EVP_DigestSign(ctx, sig, &siglen, doc, len) == 1;
	EVP_MD_CTX_free(ctx);
	free(doc);
	if (!ok)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "OpenSSL could not sign the manifest");
	EVP_EncodeBlock((unsigned char *)b64, sig, (int)siglen);
	snprintf(path, sizeof(path), "%s/%s", dir, SFA_SIGNATURE_NAME);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(f = fopen(tmp, "w")))
		return sfa_err_set(err, SFA_EIO, "cannot write %s: %s", tmp,
				   strerror(errno));
	ok = fprintf(f, "%s\n", b64) > 0;
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
		remove(tmp);
		return sfa_err_set(err, SFA_EIO, "cannot write %s", path);
	}
	return 0;
}

int sfa_signature_decode(const char *text, unsigned char sig[ED25519_SIG])
{
	unsigned char buf[128], again[ED25519_SIG_B64 + 1];
	size_t n;
	int len;

	while (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t')
		text++;
	n = strcspn(text, " \r\n\t");
	if (n != ED25519_SIG_B64 ||
	    text[n + strspn(text + n, " \r\n\t")])
		return -1;
	len = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)n);
	/* 64 bytes encode to 88 characters ending "==": the block decodes
	 * to 66, the last two padding.  OpenSSL also takes characters that
	 * are no base64 (padding inside, stray bits), so only text that is
	 * exactly the encoding of the bytes it gave counts. */
	if (len != ED25519_SIG + 2)
		return -1;
	EVP_EncodeBlock(again, buf, ED25519_SIG);
	if (memcmp(again, text, ED25519_SIG_B64) != 0)
		return -1;
	memcpy(sig, buf, ED25519_SIG);
	return 0;
}

int sfa_manifest_check_signature(const char *dir, const char *pubkey_path,
				 char *problem, size_t n, sfa_err *err)
{
	unsigned char sig[ED25519_SIG], *doc = NULL, *sigtext = NULL;
	char id[8 + 64 + 1], path[4096];
	const char *signer;
	size_t len = 0, siglen = 0;
	EVP_PKEY *pub = NULL;
	EVP_MD_CTX *ctx;
	json_t *m = NULL;
	char *pem;
	BIO *bio;
	int rc = 0, ok;

	problem[0] = '\0';
	if ((rc = sfa_read_file(pubkey_path, "--pubkey", KEY_MAX, &pem, &len,
				err)))
		return rc;
	bio = BIO_new_mem_buf(pem, (int)len);
	pub = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	free(pem);
	len = 0;
	if (!pub || EVP_PKEY_get_base_id(pub) != EVP_PKEY_ED25519 ||
	    key_id(pub, id)) {
		EVP_PKEY_free(pub);
		return sfa_err_set(err, SFA_EINPUT,
				   "--pubkey %.300s is not an Ed25519 public "
				   "key in PEM (`openssl pkey -in KEY.pem "
				   "-pubout` makes one)",
				   pubkey_path);
	}
	if (!(doc = slurp(dir, SFA_MANIFEST_NAME, &len, err))) {
		rc = err->code;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, SFA_SIGNATURE_NAME);
	if (access(path, F_OK) != 0) {
		snprintf(problem, n,
			 "%s is missing: the manifest is not signed, and "
			 "--pubkey asks for a signature",
			 SFA_SIGNATURE_NAME);
		goto out;
	}
	if (!(sigtext = slurp(dir, SFA_SIGNATURE_NAME, &siglen, err))) {
		rc = err->code;
		goto out;
	}
	if (sfa_signature_decode((const char *)sigtext, sig)) {
		snprintf(problem, n,
			 "%s is not a base64 Ed25519 signature (64 bytes)",
			 SFA_SIGNATURE_NAME);
		goto out;
	}
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pub) == 1 &&
	     EVP_DigestVerify(ctx, sig, sizeof(sig), doc, len) == 1;
	EVP_MD_CTX_free(ctx);
	if (ok)
		goto out;
	m = json_loadb((const char *)doc, len, 0, NULL);
	signer = json_string_value(json_object_get(m, "signing_key"));
	if (signer && strcmp(signer, id) != 0)
		snprintf(problem, n,
			 "wrong signature: %s names signing key %.80s, and "
			 "--pubkey is %s",
			 SFA_MANIFEST_NAME, signer, id);
	else
		snprintf(problem, n,
			 "wrong signature: %s or %s was changed after "
			 "signing (the signature does not match the manifest)",
			 SFA_MANIFEST_NAME, SFA_SIGNATURE_NAME);
out:
	json_decref(m);
	free(doc);
	free(sigtext);
	EVP_PKEY_free(pub);
	return rc;
}
