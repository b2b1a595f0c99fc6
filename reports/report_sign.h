/*
 * report_sign.h - signed manifests (EVIDENCE.md, Integrity): manifest.json
 * signed with Ed25519 (OpenSSL EVP), the signature base64 in
 * manifest.json.sig next to it, checked with the public key before the
 * files are.
 */
#ifndef SFA_REPORT_SIGN_H
#define SFA_REPORT_SIGN_H

#include <stddef.h>

#include "err.h"

#define SFA_SIGNATURE_NAME "manifest.json.sig"

typedef struct sfa_sign_key sfa_sign_key;

/* Loads an Ed25519 private key (PEM) from path.  Like every secret file,
 * it must be a regular file that neither group nor others may read or
 * write (mode 0600 or stricter): anything else is SFA_EINPUT naming the
 * mode and the chmod that fixes it.  *out is released with
 * sfa_sign_key_free(). */
int sfa_sign_key_load(sfa_sign_key **out, const char *path, sfa_err *err);
void sfa_sign_key_free(sfa_sign_key *k);

/* "ed25519:" and the SHA-256 of the raw public key in hex: the key a
 * manifest records as its signer, so that verify can tell a wrong key
 * from a changed manifest. */
const char *sfa_sign_key_id(const sfa_sign_key *k);

/* Signs dir/manifest.json as it is on disk and writes
 * dir/manifest.json.sig (through a temporary file and a rename). */
int sfa_manifest_sign(const char *dir, const sfa_sign_key *k, sfa_err *err);

/* Reads the text of a manifest.json.sig: 88 base64 characters (64 bytes
 * of signature) with whitespace around them and nothing else.  0 with
 * sig filled, or -1.  Exposed for the fuzz harness. */
int sfa_signature_decode(const char *text, unsigned char sig[64]);

/* Checks dir/manifest.json against dir/manifest.json.sig with the public
 * key (PEM) at pubkey_path.  0 with problem empty when it verifies; 0
 * with problem set (one line naming the cause: no signature, another
 * key, a changed manifest or signature) when it does not; SFA_EINPUT or
 * SFA_ENOTFOUND when the public key or the manifest cannot be read. */
int sfa_manifest_check_signature(const char *dir, const char *pubkey_path,
				 char *problem, size_t n, sfa_err *err);

#endif
