/*
 * report_manifest.h - the evidence manifest every report run writes into
 * its directory (manifest.json), and its verification: tool version, org,
 * API version, the snapshots with their content hashes, the UTC time, and
 * per file its name, row count, size and SHA-256.
 */
#ifndef SFA_REPORT_MANIFEST_H
#define SFA_REPORT_MANIFEST_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"
#include "snapinfo.h"

#define SFA_MANIFEST_NAME "manifest.json"

typedef struct sfa_manifest sfa_manifest;

/* Starts a manifest for a report ("access_review", "changes").  *out is
 * released with sfa_manifest_free(). */
int sfa_manifest_new(sfa_manifest **out, const char *report, sfa_err *err);
void sfa_manifest_free(sfa_manifest *m);

/* Records a snapshot the report reads; role says which ("reviewed",
 * "from", "to").  The org and API version of the first one become the
 * manifest's. */
int sfa_manifest_add_snapshot(sfa_manifest *m, const sfa_snapinfo *s,
			      const char *role, sfa_err *err);

/* Records the evidence of the report's snapshot (store_evidence.h; the
 * reviewed one, or the one changes lead to): the manifest's "provenance",
 * "control_totals", "drift" and "reconciliation" (EVIDENCE.md).  ev is
 * borrowed. */
int sfa_manifest_set_evidence(sfa_manifest *m, json_t *ev, sfa_err *err);

/* Records the --approved change file a change report was checked
 * against ("approved_file"), so that verify --store can read it again. */
int sfa_manifest_set_approved(sfa_manifest *m, const char *path, sfa_err *err);

/* Sets the manifest's member key to v (taking the reference), for what a
 * report records of its options so that verify --store can repeat it. */
int sfa_manifest_set(sfa_manifest *m, const char *key, json_t *v, sfa_err *err);

/* Records the key the manifest will be signed with (report_sign.h,
 * sfa_sign_key_id()) as "signing_key". */
int sfa_manifest_set_signer(sfa_manifest *m, const char *key_id, sfa_err *err);

/* Hashes dir/name (a plain file name, no '/') and records its size and
 * SHA-256 with its row count (-1 when rows mean nothing for the file). */
int sfa_manifest_add_file(sfa_manifest *m, const char *dir, const char *name,
			  long long rows, sfa_err *err);

/* Records a file whose size and SHA-256 were taken as it was written
 * (sfa_sha256_*), so that a large report is not read back to hash it. */
int sfa_manifest_add_hashed(sfa_manifest *m, const char *name, long long rows,
			    long long bytes, const char *sha256, sfa_err *err);

/* Writes dir/manifest.json (through a temporary file and a rename, so a
 * reader never sees half a manifest). */
int sfa_manifest_write(sfa_manifest *m, const char *dir, sfa_err *err);

/* ---- verification ---- */

typedef enum {
	SFA_VERIFY_OK,
	SFA_VERIFY_MODIFIED, /* size or SHA-256 differ */
	SFA_VERIFY_MISSING,  /* listed, not in the directory */
	SFA_VERIFY_EXTRA     /* in the directory, not listed */
} sfa_verify_status;

typedef int (*sfa_verify_fn)(void *ud, const char *name,
			     sfa_verify_status status, const char *detail);

/* Re-hashes every file the manifest lists and looks for files it does not
 * list; calls fn once per file (listed ones in manifest order, then extra
 * ones sorted by name).  *nok / *nbad count the outcomes.  Returns
 * SFA_ENOTFOUND when dir or the manifest cannot be read, SFA_EINPUT when
 * the manifest is malformed (err says where), else 0 (findings are not
 * errors). */
int sfa_manifest_verify(const char *dir, sfa_verify_fn fn, void *ud, int *nok,
			int *nbad, sfa_err *err);

/* SHA-256 of a file as 64 lowercase hex digits, and its size. */
int sfa_sha256_file(const char *path, char hex[65], long long *bytes,
		    sfa_err *err);

/* A running SHA-256 of bytes fed in order, and their count.  *out is
 * released with sfa_sha256_free(); after sfa_sha256_final() it takes no
 * more bytes.  Errors are SFA_ENOMEM and SFA_EINTERNAL (OpenSSL failed). */
typedef struct sfa_sha256 sfa_sha256;

int sfa_sha256_new(sfa_sha256 **out, sfa_err *err);
void sfa_sha256_free(sfa_sha256 *h);
int sfa_sha256_update(sfa_sha256 *h, const void *p, size_t n, sfa_err *err);
int sfa_sha256_final(sfa_sha256 *h, char hex[65], long long *bytes,
		     sfa_err *err);

/* A file's size and SHA-256 as its writer took them; sha256 is empty when
 * the writer did not hash (the file is then read back). */
typedef struct sfa_file_digest {
	long long bytes;
	char sha256[65];
} sfa_file_digest;

#endif
